//! The service form: what a person typed, and its validation into a [`Draft`] that cannot hold
//! a bad value. Every problem names its field; the typed values are kept to show again.

use haven_domain::directory::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};
use haven_domain::spoken::{SPOKEN, Spoken, spoken};
use haven_geo::{Gazetteer, LatLon};
use haven_hsds::model::ClockTime;
use haven_hsds::vocabulary::{ImmigrationStatus, Need, Term};
use serde::Deserialize;

use crate::error::FieldProblem;

/// iCalendar day codes, Monday first (the directory's `day-0` is Monday).
pub(crate) const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// The service form as submitted (or as read back from a stored service).
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct ServiceForm {
    pub csrf: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub need: Vec<String>,
    #[serde(default)]
    pub open_to: Vec<String>,
    #[serde(default)]
    pub language: Vec<String>,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub day: Vec<String>,
    #[serde(default)]
    pub opens: String,
    #[serde(default)]
    pub closes: String,
    #[serde(default)]
    pub place: String,
    pub confidential: Option<String>,
    pub remote: Option<String>,
}

/// Where a service is, resolved.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    /// Canonical name of what was typed (`CV1 2GT`, `Keighley`).
    pub label: String,
    pub point: LatLon,
    /// The local authority, the only name a confidential location is shown with.
    pub area: String,
}

/// Weekly opening hours.
#[derive(Debug, Clone)]
pub(crate) struct Hours {
    /// Indexes into [`DAYS`], in order.
    pub days: Vec<usize>,
    pub opens: ClockTime,
    pub closes: ClockTime,
}

/// A valid service.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub name: String,
    pub description: Option<String>,
    pub needs: Vec<Need>,
    pub open_to: Vec<ImmigrationStatus>,
    pub languages: Vec<Spoken>,
    pub phone: Option<String>,
    pub hours: Option<Hours>,
    pub place: Option<Placed>,
    pub confidential: bool,
    pub remote: bool,
}

/// Terms whose codes were all recognised, or `None` if any was not.
fn terms<T: Term + Ord>(codes: &[String]) -> Option<Vec<T>> {
    let mut out: Vec<T> = codes
        .iter()
        .map(|c| T::from_code(c.trim()))
        .collect::<Option<_>>()?;
    out.sort();
    out.dedup();
    Some(out)
}

/// `HH:MM`, 00:00 to 23:59 (HSDS times have no 24:00).
fn clock(text: &str) -> Option<(ClockTime, u16)> {
    let text = text.trim();
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    if h >= 24 || m >= 60 {
        return None;
    }
    Some((ClockTime::parse(text).ok()?, h * 60 + m))
}

/// A UK-style phone number: digits with spaces, brackets, hyphens and a leading `+`.
fn phone(text: &str) -> Option<String> {
    let text = text.trim();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let allowed = text.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-') || (i == 0 && c == '+')
    });
    (allowed && (6..=15).contains(&digits) && text.chars().count() <= 25).then(|| text.to_owned())
}

impl ServiceForm {
    pub fn is_confidential(&self) -> bool {
        self.confidential.is_some()
    }

    pub fn is_remote(&self) -> bool {
        self.remote.is_some()
    }

    /// Validates everything, naming every field that is wrong.
    pub fn validate(&self, gazetteer: &Gazetteer) -> Result<Draft, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            problems.push(FieldProblem::new("name", "listing-error-name"));
        }
        let description = self.description.trim();
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            problems.push(FieldProblem::new(
                "description",
                "listing-error-description",
            ));
        }
        let needs = terms::<Need>(&self.need).filter(|n| !n.is_empty());
        if needs.is_none() {
            problems.push(FieldProblem::new("needs", "listing-error-needs"));
        }
        let open_to = terms::<ImmigrationStatus>(&self.open_to);
        if open_to.is_none() {
            problems.push(FieldProblem::new("open_to", "listing-error-open-to"));
        }
        let languages: Option<Vec<Spoken>> = self
            .language
            .iter()
            .map(|code| spoken(code))
            .collect::<Option<Vec<_>>>()
            .map(|mut found| {
                found.sort_by_key(|s| SPOKEN.iter().position(|k| k.code == s.code));
                found.dedup();
                found
            });
        if languages.is_none() {
            problems.push(FieldProblem::new("languages", "listing-error-languages"));
        }
        let phone_number = if self.phone.trim().is_empty() {
            Some(None)
        } else {
            phone(&self.phone).map(Some)
        };
        if phone_number.is_none() {
            problems.push(FieldProblem::new("phone", "listing-error-phone"));
        }
        let hours = self.hours();
        if hours.is_err() {
            problems.push(FieldProblem::new("opens", "listing-error-hours"));
        }
        let place = if self.place.trim().is_empty() {
            if !self.is_remote() {
                problems.push(FieldProblem::new("place", "listing-error-place-or-remote"));
            }
            None
        } else {
            match gazetteer.resolve(&self.place) {
                Ok(place) => Some(Placed {
                    label: place.label,
                    point: place.point,
                    area: place.local_authority,
                }),
                Err(_) => {
                    problems.push(FieldProblem::new("place", "listing-error-place"));
                    None
                }
            }
        };
        if self.is_confidential() && place.is_none() && problems.is_empty() {
            problems.push(FieldProblem::new("place", "listing-error-confidential"));
        }
        match (needs, open_to, languages, phone_number, hours) {
            (Some(needs), Some(open_to), Some(languages), Some(phone), Ok(hours))
                if problems.is_empty() =>
            {
                Ok(Draft {
                    name: name.to_owned(),
                    description: (!description.is_empty()).then(|| description.to_owned()),
                    needs,
                    open_to,
                    languages,
                    phone,
                    hours,
                    place,
                    confidential: self.is_confidential(),
                    remote: self.is_remote(),
                })
            }
            _ => Err(problems),
        }
    }

    /// No hours at all, or days with an opening and a later closing time.
    fn hours(&self) -> Result<Option<Hours>, ()> {
        let nothing =
            self.day.is_empty() && self.opens.trim().is_empty() && self.closes.trim().is_empty();
        if nothing {
            return Ok(None);
        }
        let mut days: Vec<usize> = self
            .day
            .iter()
            .map(|d| DAYS.iter().position(|k| *k == d.trim()).ok_or(()))
            .collect::<Result<_, _>>()?;
        days.sort_unstable();
        days.dedup();
        let (opens, open_minute) = clock(&self.opens).ok_or(())?;
        let (closes, close_minute) = clock(&self.closes).ok_or(())?;
        if days.is_empty() || open_minute >= close_minute {
            return Err(());
        }
        Ok(Some(Hours {
            days,
            opens,
            closes,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_and_phones() {
        assert!(clock("09:30").is_some());
        assert!(clock("23:59").is_some());
        assert!(clock("24:00").is_none());
        assert!(clock("9:30").is_none());
        assert!(clock("12:60").is_none());
        assert_eq!(phone(" 0113 496 0000 ").as_deref(), Some("0113 496 0000"));
        assert!(phone("+44 (0)113 496-0000").is_some());
        assert!(phone("call me").is_none());
        assert!(phone("12+3456789").is_none());
    }
}
