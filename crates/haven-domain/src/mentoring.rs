//! Mentoring programmes as an organisation keeps them: the programme, its mentors and mentees
//! (profiles the matching engine reads, plus who they are), and the matches with their life.
//!
//! The engine's own types (`haven_match::profile`) describe what matching needs; these wrap them
//! with what the organisation needs: ids, names, contact, a linked account, and the status.

use haven_match::criteria::CriterionScore;
use haven_match::profile::{DbsCheck, Mentee, Mentor, SafeguardingPolicy};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::accounts::Email;
use crate::{MatchId, ParticipantId, ProgrammeId, TenantId, Text, UserId};

/// Longest programme or person name.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest piece of feedback.
pub const MAX_FEEDBACK_CHARS: usize = 4000;

/// A mentoring programme run by an organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Programme {
    pub id: ProgrammeId,
    pub tenant: TenantId,
    pub name: Text,
    /// Criteria, weights, hard rules, capacity and safeguarding policy, as the engine reads
    /// them. Its `name` is kept equal to `name` above.
    pub settings: haven_match::profile::Programme,
    pub created_at: OffsetDateTime,
    /// When the name or settings last changed after creation.
    pub settings_changed_at: Option<OffsetDateTime>,
    /// The last matching run, if any: when, and how many people the programme had then.
    pub last_run: Option<LastRun>,
}

/// What a programme looked like at its last matching run, so the programme page can say what
/// has changed since (the reasons it gives for unmatched mentees describe the present).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastRun {
    pub at: OffsetDateTime,
    /// Mentors in the programme then, withdrawn ones included (people are never deleted, so
    /// the difference with today's count is how many were added since).
    pub mentors: u32,
    /// Mentees then, withdrawn ones included.
    pub mentees: u32,
}

/// A mentor or a mentee in a programme: who they are, and the profile matching reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant<P> {
    pub id: ParticipantId,
    pub tenant: TenantId,
    pub programme: ProgrammeId,
    pub name: Text,
    pub email: Option<Email>,
    /// The Haven account of this person, if they have one, so they can see their own match.
    pub user: Option<UserId>,
    /// The engine's profile. Its `id` is always this participant's id as text.
    pub profile: P,
    /// The place name the coordinator gave for the profile's meeting point, as they typed it.
    /// `None` when meeting only remotely (or for a point stored before names were kept).
    pub place: Option<Text>,
    /// When they withdrew from the programme. A withdrawn person keeps their history (ended
    /// matches, feedback) but is left out of every later run and cannot be paired by hand.
    pub withdrawn: Option<OffsetDateTime>,
}

impl<P> Participant<P> {
    /// Whether they are still taking part.
    pub const fn is_active(&self) -> bool {
        self.withdrawn.is_none()
    }
}

/// A mentor in a programme.
pub type MentorProfile = Participant<Mentor>;
/// A mentee in a programme.
pub type MenteeProfile = Participant<Mentee>;

/// Which side of a pair a participant is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Mentor,
    Mentee,
}

impl Side {
    /// The stable code.
    pub const fn code(self) -> &'static str {
        match self {
            Side::Mentor => "mentor",
            Side::Mentee => "mentee",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Side::Mentor, Side::Mentee]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// Where a match stands. It only moves forward:
/// proposed → agreed → introduced → active → ended (ending is possible from agreed onwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchStatus {
    /// Chosen by a matching run (or by hand); nobody has agreed to it yet.
    Proposed,
    /// The coordinator agreed it. Re-runs keep it.
    Agreed,
    /// Mentor and mentee have been introduced.
    Introduced,
    /// Mentoring is under way.
    Active,
    /// Finished, with both sides' feedback and an outcome.
    Ended,
}

/// A status change a match cannot make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a match cannot move from {} to {}", from.code(), to.code())]
pub struct IllegalTransition {
    pub from: MatchStatus,
    pub to: MatchStatus,
}

impl MatchStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [MatchStatus; 5] = [
        MatchStatus::Proposed,
        MatchStatus::Agreed,
        MatchStatus::Introduced,
        MatchStatus::Active,
        MatchStatus::Ended,
    ];

    /// The stable code.
    pub const fn code(self) -> &'static str {
        match self {
            MatchStatus::Proposed => "proposed",
            MatchStatus::Agreed => "agreed",
            MatchStatus::Introduced => "introduced",
            MatchStatus::Active => "active",
            MatchStatus::Ended => "ended",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether a matching run must keep this pair: anything the coordinator agreed and that has
    /// not ended.
    pub const fn is_settled(self) -> bool {
        matches!(
            self,
            MatchStatus::Agreed | MatchStatus::Introduced | MatchStatus::Active
        )
    }

    /// Checks that a match may move from `self` to `to`.
    pub fn check_transition(self, to: MatchStatus) -> Result<(), IllegalTransition> {
        use MatchStatus::*;
        let allowed = matches!(
            (self, to),
            (Proposed, Agreed)
                | (Agreed, Introduced)
                | (Introduced, Active)
                | (Agreed | Introduced | Active, Ended)
        );
        if allowed {
            Ok(())
        } else {
            Err(IllegalTransition { from: self, to })
        }
    }
}

/// How a mentoring relationship ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The mentee reached their goals.
    GoalsMet,
    /// Some of them.
    PartlyMet,
    /// None of them.
    NotMet,
    /// Stopped before the goals could be worked on (moved away, lost contact).
    EndedEarly,
    /// One of them withdrew from the programme; the coordinator ended the match with it.
    Withdrawn,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 5] = [
        Outcome::GoalsMet,
        Outcome::PartlyMet,
        Outcome::NotMet,
        Outcome::EndedEarly,
        Outcome::Withdrawn,
    ];

    /// The outcomes a coordinator chooses when ending a match by hand (`Withdrawn` is set by
    /// withdrawing a person).
    pub const CHOSEN: [Outcome; 4] = [
        Outcome::GoalsMet,
        Outcome::PartlyMet,
        Outcome::NotMet,
        Outcome::EndedEarly,
    ];

    /// The stable code.
    pub const fn code(self) -> &'static str {
        match self {
            Outcome::GoalsMet => "goals_met",
            Outcome::PartlyMet => "partly_met",
            Outcome::NotMet => "not_met",
            Outcome::EndedEarly => "ended_early",
            Outcome::Withdrawn => "withdrawn",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What is recorded when a match ends. Ending by hand needs both sides' feedback; a match
/// ended because someone withdrew has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub outcome: Outcome,
    pub mentor_feedback: Option<Text>,
    pub mentee_feedback: Option<Text>,
}

/// One step in a match's life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub status: MatchStatus,
    pub at: OffsetDateTime,
    pub actor: Option<UserId>,
}

/// A mentor–mentee pair and its explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub id: MatchId,
    pub tenant: TenantId,
    pub programme: ProgrammeId,
    pub mentor: ParticipantId,
    pub mentee: ParticipantId,
    pub status: MatchStatus,
    /// The pair's score when it was proposed.
    pub score: u64,
    /// Each criterion's part of the score: the explanation a coordinator reads.
    pub criteria: Vec<CriterionScore>,
    /// Every status it has had, oldest first; the last is `status`.
    pub history: Vec<StatusChange>,
    /// Set once the match has ended.
    pub ending: Option<Ending>,
}

/// A decision a coordinator made about a pair before or between runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    /// The pair must be kept by every run.
    Lock,
    /// The pair must never be proposed.
    Forbid,
}

impl ConstraintKind {
    /// The stable code.
    pub const fn code(self) -> &'static str {
        match self {
            ConstraintKind::Lock => "lock",
            ConstraintKind::Forbid => "forbid",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Self> {
        [ConstraintKind::Lock, ConstraintKind::Forbid]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// A locked or forbidden pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PairConstraint {
    pub programme: ProgrammeId,
    pub mentor: ParticipantId,
    pub mentee: ParticipantId,
    pub kind: ConstraintKind,
}

/// The last day a DBS check is accepted under `policy`: the earlier of the organisation's
/// recorded expiry and, unless the Update Service keeps it current, the end of the programme's
/// certificate age limit. `None`: it never lapses on its own.
pub fn dbs_last_valid_day(check: &DbsCheck, policy: &SafeguardingPolicy) -> Option<Date> {
    let by_age = if check.update_service {
        None
    } else {
        policy.max_certificate_age_days.and_then(|days| {
            check
                .issued
                .checked_add(time::Duration::days(i64::from(days)))
        })
    };
    match (check.expires, by_age) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use haven_match::profile::DbsLevel;
    use time::macros::date;

    #[test]
    fn matches_only_move_forward() {
        use MatchStatus::*;
        assert!(Proposed.check_transition(Agreed).is_ok());
        assert!(Agreed.check_transition(Introduced).is_ok());
        assert!(Introduced.check_transition(Active).is_ok());
        assert!(Active.check_transition(Ended).is_ok());
        assert!(Agreed.check_transition(Ended).is_ok());
        assert!(Proposed.check_transition(Active).is_err());
        assert!(Proposed.check_transition(Ended).is_err());
        assert!(Ended.check_transition(Active).is_err());
        assert!(Active.check_transition(Agreed).is_err());
        let err = Proposed.check_transition(Introduced).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a match cannot move from proposed to introduced"
        );
    }

    #[test]
    fn codes_round_trip() {
        for s in MatchStatus::ALL {
            assert_eq!(MatchStatus::from_code(s.code()), Some(s));
        }
        for o in Outcome::ALL {
            assert_eq!(Outcome::from_code(o.code()), Some(o));
        }
        assert_eq!(Side::from_code("mentee"), Some(Side::Mentee));
        assert_eq!(
            ConstraintKind::from_code("forbid"),
            Some(ConstraintKind::Forbid)
        );
        assert_eq!(MatchStatus::from_code("nope"), None);
    }

    #[test]
    fn dbs_lapses_at_the_earlier_limit() {
        let policy = SafeguardingPolicy {
            required_level: DbsLevel::Enhanced,
            max_certificate_age_days: Some(365),
        };
        let mut check = DbsCheck {
            level: DbsLevel::Enhanced,
            issued: date!(2026 - 01 - 01),
            update_service: false,
            expires: None,
        };
        assert_eq!(
            dbs_last_valid_day(&check, &policy),
            Some(date!(2027 - 01 - 01))
        );
        check.expires = Some(date!(2026 - 06 - 01));
        assert_eq!(
            dbs_last_valid_day(&check, &policy),
            Some(date!(2026 - 06 - 01))
        );
        check.expires = None;
        check.update_service = true;
        assert_eq!(dbs_last_valid_day(&check, &policy), None);
    }
}
