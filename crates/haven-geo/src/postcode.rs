//! UK postcode, sector and outward-code newtypes, validated by format only.
//!
//! Whether a well-formed code actually exists is the gazetteer's question, not the parser's:
//! keeping the two apart lets forms validate input without loading any data.
//!
//! The format rules are the published Royal Mail / ONS ones (see the BS 7666 postcode
//! schema). They are strict enough to catch typos such as `CV1 2GI` but every outward code
//! and sector in the embedded data passes them (checked in the gazetteer tests).
//! BFPO and overseas-territory codes (`ASCN 1ZZ`) are deliberately not supported: Haven's
//! directory covers the UK only.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// Anything longer than this cannot be a postcode even with generous spacing; checking it
/// first keeps the parser's work bounded on hostile input.
const MAX_INPUT_LEN: usize = 32;

/// Why a string is not a valid postcode, sector or outward code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostcodeError {
    #[error("the postcode is empty")]
    Empty,
    #[error("the postcode is too long")]
    TooLong,
    #[error("a postcode cannot contain {0:?}")]
    InvalidCharacter(char),
    #[error("a full postcode has 5 to 7 letters and digits, this has {0}")]
    WrongLength(usize),
    #[error("{0:?} is not a valid outward code (the first part, like \"LS1\" or \"SW1A\")")]
    InvalidOutward(String),
    #[error(
        "{0:?} is not a valid inward code (the last part, a digit and two letters, like \"2GT\")"
    )]
    InvalidInward(String),
    #[error("{0:?} is not a valid postcode sector (like \"CV1 2\")")]
    InvalidSector(String),
}

/// Strips all whitespace and upper-cases; rejects anything but ASCII letters and digits.
fn compact(input: &str) -> Result<String, PostcodeError> {
    if input.len() > MAX_INPUT_LEN {
        return Err(PostcodeError::TooLong);
    }
    let mut out = String::with_capacity(8);
    for c in input.chars() {
        if c.is_whitespace() {
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            return Err(PostcodeError::InvalidCharacter(c));
        }
        out.push(c.to_ascii_uppercase());
    }
    if out.is_empty() {
        return Err(PostcodeError::Empty);
    }
    Ok(out)
}

fn is_valid_outward(s: &str) -> bool {
    let b = s.as_bytes();
    let letter = |c: u8, excluded: &[u8]| c.is_ascii_uppercase() && !excluded.contains(&c);
    let digit = |c: u8| c.is_ascii_digit();
    // Position rules: 1st letter never Q V X; 2nd letter never I J Z; a letter after the
    // district digit is limited to the sets Royal Mail uses for central London codes.
    const FIRST_EXCLUDED: &[u8] = b"QVX";
    const SECOND_EXCLUDED: &[u8] = b"IJZ";
    const A9A_THIRD: &[u8] = b"ABCDEFGHJKPSTUW";
    const AA9A_FOURTH: &[u8] = b"ABEHMNPRVWXY";
    match *b {
        // A9
        [a, n] => letter(a, FIRST_EXCLUDED) && digit(n),
        // A99, A9A
        [a, n, m] if digit(n) => letter(a, FIRST_EXCLUDED) && (digit(m) || A9A_THIRD.contains(&m)),
        // AA9
        [a, b2, n] => letter(a, FIRST_EXCLUDED) && letter(b2, SECOND_EXCLUDED) && digit(n),
        // AA99, AA9A
        [a, b2, n, last] => {
            letter(a, FIRST_EXCLUDED)
                && letter(b2, SECOND_EXCLUDED)
                && digit(n)
                && (digit(last) || AA9A_FOURTH.contains(&last))
        }
        _ => false,
    }
}

fn is_valid_inward(s: &str) -> bool {
    // The unit letters never use C I K M O V (they look like other characters in handwriting).
    const EXCLUDED: &[u8] = b"CIKMOV";
    match *s.as_bytes() {
        [n, a, b] => {
            n.is_ascii_digit()
                && [a, b]
                    .iter()
                    .all(|c| c.is_ascii_uppercase() && !EXCLUDED.contains(c))
        }
        _ => false,
    }
}

/// `GIR 0AA` (Girobank) breaks every rule but is a real, still-listed postcode.
const GIRO_OUTWARD: &str = "GIR";

/// An outward code (postcode district), e.g. `LS1`, `SW1A`, `BT1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Outcode(String);

impl Outcode {
    /// Accepts any case and stray spaces (`" ls 1 "` → `LS1`).
    pub fn parse(input: &str) -> Result<Self, PostcodeError> {
        let s = compact(input)?;
        Self::from_compact(s)
    }

    fn from_compact(s: String) -> Result<Self, PostcodeError> {
        if is_valid_outward(&s) || s == GIRO_OUTWARD {
            Ok(Self(s))
        } else {
            Err(PostcodeError::InvalidOutward(s))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The postcode area: the leading letters (`SW1A` → `SW`).
    pub fn area(&self) -> &str {
        let end = self
            .0
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(self.0.len());
        &self.0[..end]
    }
}

/// A postcode sector: outward code plus the inward digit, e.g. `CV1 2`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sector {
    outcode: Outcode,
    digit: u8,
}

impl Sector {
    /// Accepts `"CV1 2"`, `"cv12"` etc.
    pub fn parse(input: &str) -> Result<Self, PostcodeError> {
        let s = compact(input)?;
        let Some((outward, digit)) = s.split_at_checked(s.len().saturating_sub(1)) else {
            return Err(PostcodeError::InvalidSector(s));
        };
        let digit = match digit.as_bytes() {
            [d] if d.is_ascii_digit() => d - b'0',
            _ => return Err(PostcodeError::InvalidSector(s)),
        };
        let outcode = Outcode::from_compact(outward.to_owned())
            .map_err(|_| PostcodeError::InvalidSector(s.clone()))?;
        Ok(Self { outcode, digit })
    }

    pub fn outcode(&self) -> &Outcode {
        &self.outcode
    }
}

/// A full UK postcode, normalised to upper case with one space, e.g. `CV1 2GT`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Postcode {
    outward: Outcode,
    inward: String,
}

impl Postcode {
    /// Normalises case and spacing (`cv12gt`, ` CV1  2GT `) and validates the format.
    pub fn parse(input: &str) -> Result<Self, PostcodeError> {
        let s = compact(input)?;
        if !(5..=7).contains(&s.len()) {
            return Err(PostcodeError::WrongLength(s.len()));
        }
        // The inward code is always the last three characters; that is what makes
        // space-less input unambiguous. `compact` guarantees ASCII, so the split is safe.
        let Some((outward, inward)) = s.split_at_checked(s.len() - 3) else {
            return Err(PostcodeError::WrongLength(s.len()));
        };
        if outward == GIRO_OUTWARD {
            if inward == "0AA" {
                return Ok(Self {
                    outward: Outcode(outward.to_owned()),
                    inward: inward.to_owned(),
                });
            }
            return Err(PostcodeError::InvalidInward(inward.to_owned()));
        }
        if !is_valid_outward(outward) {
            return Err(PostcodeError::InvalidOutward(outward.to_owned()));
        }
        if !is_valid_inward(inward) {
            return Err(PostcodeError::InvalidInward(inward.to_owned()));
        }
        Ok(Self {
            outward: Outcode(outward.to_owned()),
            inward: inward.to_owned(),
        })
    }

    pub fn outward(&self) -> &Outcode {
        &self.outward
    }

    pub fn inward(&self) -> &str {
        &self.inward
    }

    pub fn sector(&self) -> Sector {
        let digit = self.inward.as_bytes().first().map_or(0, |d| d - b'0');
        Sector {
            outcode: self.outward.clone(),
            digit,
        }
    }
}

impl fmt::Display for Outcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Sector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.outcode, self.digit)
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.outward, self.inward)
    }
}

macro_rules! string_traits {
    ($t:ty) => {
        impl FromStr for $t {
            type Err = PostcodeError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        /// Serialised in its canonical printed form.
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    };
}

string_traits!(Outcode);
string_traits!(Sector);
string_traits!(Postcode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_spacing() {
        for input in ["CV1 2GT", "cv12gt", "  cv1   2gt ", "Cv1\t2Gt"] {
            let pc = Postcode::parse(input).unwrap();
            assert_eq!(pc.to_string(), "CV1 2GT");
            assert_eq!(pc.outward().as_str(), "CV1");
            assert_eq!(pc.inward(), "2GT");
            assert_eq!(pc.sector().to_string(), "CV1 2");
        }
    }

    #[test]
    fn accepts_every_shape() {
        for (input, outward) in [
            ("M1 1AE", "M1"),
            ("B33 8TH", "B33"),
            ("CR2 6XH", "CR2"),
            ("DN55 1PT", "DN55"),
            ("W1A 0AX", "W1A"),
            ("SW1A 1AA", "SW1A"),
            ("EC1A 1BB", "EC1A"),
            ("BT1 5GS", "BT1"),
            ("GIR 0AA", "GIR"),
        ] {
            let pc = Postcode::parse(input).unwrap();
            assert_eq!(pc.outward().as_str(), outward);
            assert_eq!(pc.to_string(), input);
        }
    }

    #[test]
    fn names_what_is_wrong() {
        assert_eq!(Postcode::parse("  "), Err(PostcodeError::Empty));
        assert_eq!(Postcode::parse("CV1"), Err(PostcodeError::WrongLength(3)));
        assert_eq!(
            Postcode::parse("CV1-2GT"),
            Err(PostcodeError::InvalidCharacter('-'))
        );
        assert_eq!(
            Postcode::parse("QV1 2GT"),
            Err(PostcodeError::InvalidOutward("QV1".into()))
        );
        assert_eq!(
            Postcode::parse("CV1 2GI"),
            Err(PostcodeError::InvalidInward("2GI".into()))
        );
        assert_eq!(
            Postcode::parse("CV1 GT2"),
            Err(PostcodeError::InvalidInward("GT2".into()))
        );
        assert_eq!(
            Postcode::parse(&"A".repeat(100)),
            Err(PostcodeError::TooLong)
        );
        assert!(Postcode::parse("Lëeds").is_err());
    }

    #[test]
    fn outcodes_and_sectors() {
        assert_eq!(Outcode::parse(" ls1 ").unwrap().as_str(), "LS1");
        assert_eq!(Outcode::parse("SW1A").unwrap().area(), "SW");
        assert_eq!(Outcode::parse("BT1").unwrap().area(), "BT");
        assert!(Outcode::parse("LS").is_err());
        assert!(Outcode::parse("Leeds").is_err());
        assert!(Outcode::parse("1LS").is_err());
        let sector = Sector::parse("cv1 2").unwrap();
        assert_eq!(sector.to_string(), "CV1 2");
        assert_eq!(sector.outcode().as_str(), "CV1");
        assert!(Sector::parse("CV1 X").is_err());
        assert!(Sector::parse("2").is_err());
    }
}
