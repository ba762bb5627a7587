//! Value types for HSDS fields whose text must follow a format (date, time, date-time, email,
//! URI) and the enumerations HSDS fixes. Each has a `parse` constructor, so a value held in the
//! model is always valid; serde goes through the same constructor.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;

/// Why a field's text is not a valid value of its type; the import report quotes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub String);

fn err(message: impl Into<String>) -> ValueError {
    ValueError(message.into())
}

/// A calendar date, written `YYYY-MM-DD` (the Frictionless `date` type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IsoDate(pub time::Date);

impl IsoDate {
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        time::Date::parse(text, format).map(IsoDate).map_err(|_| {
            err(format!(
                "'{}' is not a date (expected YYYY-MM-DD)",
                clip(text)
            ))
        })
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}",
            d.year(),
            u8::from(d.month()),
            d.day()
        )
    }
}

/// An instant with its UTC offset, written as RFC 3339 (the Frictionless `datetime` type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp(pub time::OffsetDateTime);

impl Timestamp {
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let parsed = time::OffsetDateTime::parse(text, &Rfc3339)
            .map_err(|_| err(format!("'{}' is not an RFC 3339 date-time", clip(text))))?;
        // Only values that can be written back out are accepted, so export never fails.
        parsed
            .format(&Rfc3339)
            .map_err(|_| err(format!("'{}' cannot be written as RFC 3339", clip(text))))?;
        Ok(Timestamp(parsed))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `parse` guarantees the value formats; an unformattable value would be a bug elsewhere.
        match self.0.format(&Rfc3339) {
            Ok(text) => f.write_str(&text),
            Err(_) => Err(fmt::Error),
        }
    }
}

/// A time of day as HSDS writes it: `HH:MM`, optionally `:SS` and fractions, optionally `Z` or
/// an offset such as `-05:00`. The text is kept as given (HSDS asks for the zone designator,
/// the Frictionless `time` type omits it, and both appear in the wild), and checked on entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockTime(String);

impl ClockTime {
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        if clock_time_is_valid(text) {
            Ok(ClockTime(text.to_owned()))
        } else {
            Err(err(format!(
                "'{}' is not a time of day (expected HH:MM or HH:MM:SS, optionally with Z or an offset)",
                clip(text)
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Hour and minute, ignoring seconds and zone.
    pub fn hour_minute(&self) -> (u8, u8) {
        let b = self.0.as_bytes();
        let two = |i: usize| (b[i] - b'0') * 10 + (b[i + 1] - b'0');
        (two(0), two(3))
    }
}

fn two_digits(b: &[u8], at: usize, max: u8) -> bool {
    match (b.get(at), b.get(at + 1)) {
        (Some(h), Some(l)) if h.is_ascii_digit() && l.is_ascii_digit() => {
            (h - b'0') * 10 + (l - b'0') <= max
        }
        _ => false,
    }
}

fn clock_time_is_valid(text: &str) -> bool {
    let b = text.as_bytes();
    if !(two_digits(b, 0, 23) && b.get(2) == Some(&b':') && two_digits(b, 3, 59)) {
        return false;
    }
    let mut i = 5;
    if b.get(i) == Some(&b':') {
        if !two_digits(b, i + 1, 59) {
            return false;
        }
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return false;
            }
        }
    }
    match b.get(i) {
        None => true,
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            two_digits(b, i + 1, 23)
                && b.get(i + 3) == Some(&b':')
                && two_digits(b, i + 4, 59)
                && i + 6 == b.len()
        }
        Some(_) => false,
    }
}

/// An e-mail address: checked only for shape (`local@domain`, no spaces), which is what
/// JSON Schema's `email` format can promise without sending mail.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let shaped = text
            .rsplit_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
            && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        if shaped {
            Ok(Email(text.to_owned()))
        } else {
            Err(err(format!("'{}' is not an e-mail address", clip(text))))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An absolute URI (`scheme:rest`, RFC 3986's shape, no spaces).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uri(String);

impl Uri {
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let shaped = text.split_once(':').is_some_and(|(scheme, rest)| {
            let mut chars = scheme.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !rest.is_empty()
        }) && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        if shaped {
            Ok(Uri(text.to_owned()))
        } else {
            Err(err(format!("'{}' is not an absolute URI", clip(text))))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! text_conversions {
    ($($ty:ident),*) => {$(
        impl TryFrom<String> for $ty {
            type Error = ValueError;
            fn try_from(text: String) -> Result<Self, ValueError> {
                $ty::parse(&text)
            }
        }
        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.to_string()
            }
        }
    )*};
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

text_conversions!(IsoDate, Timestamp, ClockTime, Email, Uri);

/// Defines an HSDS enumeration: its Rust variants, their exact HSDS spellings, and parsing.
macro_rules! hsds_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),*
        }

        impl $name {
            /// Every value, in HSDS order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The exact spellings HSDS allows, in HSDS order.
            pub const TEXTS: &'static [&'static str] = &[$($text),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(text: &str) -> Result<Self, ValueError> {
                match text {
                    $($text => Ok($name::$variant),)*
                    _ => Err(err(format!(
                        "'{}' is not one of: {}", clip(text), Self::TEXTS.join(", ")
                    ))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

hsds_enum!(
    /// `service.status`.
    ServiceStatus {
        Active = "active",
        Inactive = "inactive",
        Defunct = "defunct",
        TemporarilyClosed = "temporarily closed",
    }
);

hsds_enum!(
    /// `location.location_type` and `address.address_type`.
    LocationType {
        Physical = "physical",
        Postal = "postal",
        Virtual = "virtual",
    }
);

hsds_enum!(
    /// `schedule.wkst` (iCalendar's two-letter days, as the HSDS 3.0 JSON schema and
    /// datapackage define them; `schema.csv` says MON..SUN, which is a known inconsistency).
    Weekday {
        Monday = "MO",
        Tuesday = "TU",
        Wednesday = "WE",
        Thursday = "TH",
        Friday = "FR",
        Saturday = "SA",
        Sunday = "SU",
    }
);

hsds_enum!(
    /// `schedule.freq`.
    Frequency {
        Weekly = "WEEKLY",
        Monthly = "MONTHLY",
    }
);

/// Shortens a value quoted in a message, so a huge field cannot make a huge report.
pub(crate) fn clip(text: &str) -> String {
    const MAX: usize = 80;
    if text.len() <= MAX {
        return text.to_owned();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times() {
        for ok in ["10:00", "10:00:00", "09:00-05:00", "23:59:59.5Z", "00:00Z"] {
            assert!(ClockTime::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "24:00",
            "9:00",
            "10:60",
            "10:00:",
            "10:00+5",
            "10:00Zx",
            "10:00:00.",
        ] {
            assert!(ClockTime::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(ClockTime::parse("09:30Z").unwrap().hour_minute(), (9, 30));
    }

    #[test]
    fn dates_and_timestamps_round_trip() {
        let d = IsoDate::parse("2005-01-01").unwrap();
        assert_eq!(d.to_string(), "2005-01-01");
        assert!(IsoDate::parse("2005-02-30").is_err());
        let t = Timestamp::parse("2023-03-15T10:30:45.123Z").unwrap();
        assert_eq!(Timestamp::parse(&t.to_string()).unwrap(), t);
    }

    #[test]
    fn emails_and_uris() {
        assert!(Email::parse("a@b").is_ok());
        assert!(Email::parse("a b@c").is_err());
        assert!(Email::parse("@c").is_err());
        assert!(Uri::parse("http://example.com").is_ok());
        assert!(Uri::parse("example.com").is_err());
        assert!(Uri::parse("1http://x").is_err());
    }

    #[test]
    fn clip_respects_char_boundaries() {
        let long = "é".repeat(100);
        assert!(clip(&long).len() <= 84);
    }
}
