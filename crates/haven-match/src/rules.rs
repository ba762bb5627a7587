//! Hard rules: yes/no tests a pair must pass to be proposed. Each rule is a named variant so an
//! explanation can say which rule excluded a mentor.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::geo::distance_km;
use crate::profile::{
    AgeBand, DbsCheck, GenderPreference, LanguageLevel, Meeting, Mentee, Mentor, Programme,
    SafeguardingPolicy,
};

/// A hard rule a programme can switch on. Parameters live in the variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum HardRule {
    /// Mentor and mentee share a language, both speaking it at least at `min_level`.
    SharedLanguage {
        /// Lowest acceptable level, for both people.
        min_level: LanguageLevel,
    },
    /// They can meet: both accept remote meetings, or both meet in person and live within
    /// their combined travel distances of each other.
    CompatibleMeeting,
    /// The mentor can help with at least one of the mentee's goals.
    GoalCovered,
    /// Each person's gender is one the other accepts.
    GenderPreference,
    /// They share at least `min_slots` weekly availability slots.
    AvailabilityOverlap {
        /// Fewest shared slots.
        min_slots: u8,
    },
}

/// Which rule excluded a pair: the programme's rules plus the ones the engine always applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The mentee is under 18 or at risk, and the mentor's DBS check is missing, not current or
    /// below the programme's required level. Always applied.
    Safeguarding,
    /// The pair is forbidden by the organisation. Always applied.
    Forbidden,
    /// See [`HardRule::SharedLanguage`].
    SharedLanguage,
    /// See [`HardRule::CompatibleMeeting`].
    CompatibleMeeting,
    /// See [`HardRule::GoalCovered`].
    GoalCovered,
    /// See [`HardRule::GenderPreference`].
    GenderPreference,
    /// See [`HardRule::AvailabilityOverlap`].
    AvailabilityOverlap,
}

impl HardRule {
    /// The kind reported when this rule fails.
    pub fn kind(&self) -> RuleKind {
        match self {
            Self::SharedLanguage { .. } => RuleKind::SharedLanguage,
            Self::CompatibleMeeting => RuleKind::CompatibleMeeting,
            Self::GoalCovered => RuleKind::GoalCovered,
            Self::GenderPreference => RuleKind::GenderPreference,
            Self::AvailabilityOverlap { .. } => RuleKind::AvailabilityOverlap,
        }
    }

    /// Whether `mentor` and `mentee` pass this rule.
    pub fn passes(&self, mentor: &Mentor, mentee: &Mentee) -> bool {
        match *self {
            Self::SharedLanguage { min_level } => shares_language(mentor, mentee, min_level),
            Self::CompatibleMeeting => can_meet(&mentor.meeting, &mentee.meeting),
            Self::GoalCovered => mentee.goals.iter().any(|g| mentor.skills.contains(g)),
            Self::GenderPreference => {
                accepts(&mentee.gender_preference, mentor.gender)
                    && accepts(&mentor.gender_preference, mentee.gender)
            }
            Self::AvailabilityOverlap { min_slots } => {
                shared_slots(mentor, mentee) >= usize::from(min_slots)
            }
        }
    }
}

/// The first rule the pair fails, checking safeguarding first and then the programme's rules in
/// the order listed; `None` if the pair may be proposed. Forbidden pairs are the caller's
/// concern: this function judges the people, not the organisation's decisions.
pub fn first_failure(
    programme: &Programme,
    mentor: &Mentor,
    mentee: &Mentee,
    today: Date,
) -> Option<RuleKind> {
    if needs_safeguarding(mentee)
        && !safeguarded(mentor.dbs.as_ref(), &programme.safeguarding, today)
    {
        return Some(RuleKind::Safeguarding);
    }
    programme
        .rules
        .iter()
        .find(|rule| !rule.passes(mentor, mentee))
        .map(HardRule::kind)
}

/// Under-18s and mentees flagged at risk may only be matched with a safeguarded mentor.
pub fn needs_safeguarding(mentee: &Mentee) -> bool {
    mentee.at_risk || mentee.age_band == AgeBand::Under18
}

/// Whether a DBS check is current on `today` and at the required level.
///
/// Current means: issued on or before today; not past an expiry date the organisation recorded;
/// and either registered with the Update Service (which keeps a certificate up to date, so the
/// programme's age limit does not apply) or no older than the programme's maximum age. An explicit
/// expiry always wins, because it records a decision the organisation made.
pub fn safeguarded(dbs: Option<&DbsCheck>, policy: &SafeguardingPolicy, today: Date) -> bool {
    let Some(check) = dbs else { return false };
    if check.level < policy.required_level || check.issued > today {
        return false;
    }
    if check.expires.is_some_and(|expires| today > expires) {
        return false;
    }
    if check.update_service {
        return true;
    }
    policy
        .max_certificate_age_days
        .is_none_or(|days| (today - check.issued).whole_days() <= i64::from(days))
}

/// Best level at which both people speak a common language, if any.
pub fn best_shared_level(mentor: &Mentor, mentee: &Mentee) -> Option<LanguageLevel> {
    mentor
        .languages
        .iter()
        .flat_map(|a| {
            mentee
                .languages
                .iter()
                .filter(|b| a.code == b.code)
                .map(|b| a.level.min(b.level))
        })
        .max()
}

fn shares_language(mentor: &Mentor, mentee: &Mentee, min_level: LanguageLevel) -> bool {
    best_shared_level(mentor, mentee).is_some_and(|level| level >= min_level)
}

/// Whether two people can meet: both accept remote, or both meet in person within reach.
pub fn can_meet(a: &Meeting, b: &Meeting) -> bool {
    accepts_remote(a) && accepts_remote(b) || in_person_distance(a, b).is_some()
}

fn accepts_remote(meeting: &Meeting) -> bool {
    match meeting {
        Meeting::RemoteOnly => true,
        Meeting::InPerson { remote_ok, .. } => *remote_ok,
    }
}

/// Distance between two in-person people, if each can travel part of the way: they can meet
/// somewhere in between when the distance is at most the sum of their travel limits.
pub fn in_person_distance(a: &Meeting, b: &Meeting) -> Option<f64> {
    match (a, b) {
        (
            Meeting::InPerson {
                place: pa,
                max_travel_km: ta,
                ..
            },
            Meeting::InPerson {
                place: pb,
                max_travel_km: tb,
                ..
            },
        ) => {
            let distance = distance_km(*pa, *pb);
            (distance <= f64::from(*ta) + f64::from(*tb)).then_some(distance)
        }
        _ => None,
    }
}

fn accepts(preference: &GenderPreference, gender: crate::profile::Gender) -> bool {
    match preference {
        GenderPreference::Any => true,
        GenderPreference::Only(accepted) => accepted.contains(&gender),
    }
}

/// Number of weekly slots both people are free.
pub fn shared_slots(mentor: &Mentor, mentee: &Mentee) -> usize {
    mentor
        .availability
        .intersection(&mentee.availability)
        .count()
}
