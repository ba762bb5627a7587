//! Input the engine refuses, each error naming what is wrong and where.

use thiserror::Error;

use crate::profile::{MenteeId, MentorId};
use crate::rules::RuleKind;

/// Why a matching run could not start. Nothing is matched when any of these is returned.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MatchError {
    /// The programme's default mentor capacity is outside 1..=3.
    #[error("programme capacity {capacity} is outside 1..=3")]
    ProgrammeCapacity {
        /// The rejected capacity.
        capacity: u8,
    },
    /// A mentor's own capacity is outside 1..=3.
    #[error("mentor {mentor} has capacity {capacity}, outside 1..=3")]
    MentorCapacity {
        /// The mentor.
        mentor: MentorId,
        /// The rejected capacity.
        capacity: u8,
    },
    /// A criterion weight is above the maximum.
    #[error("criterion {index} has weight {weight}, above {max}")]
    CriterionWeight {
        /// Position of the criterion in the programme.
        index: usize,
        /// The rejected weight.
        weight: u32,
        /// The largest accepted weight.
        max: u32,
    },
    /// Two mentors share an id.
    #[error("mentor id {0} appears twice")]
    DuplicateMentor(MentorId),
    /// Two mentees share an id.
    #[error("mentee id {0} appears twice")]
    DuplicateMentee(MenteeId),
    /// A locked or forbidden pair names a mentor not in this run.
    #[error("{list} pair {index} names unknown mentor {mentor}")]
    UnknownMentor {
        /// `"locked"` or `"forbidden"`.
        list: &'static str,
        /// Position in that list.
        index: usize,
        /// The unknown id.
        mentor: MentorId,
    },
    /// A locked or forbidden pair names a mentee not in this run.
    #[error("{list} pair {index} names unknown mentee {mentee}")]
    UnknownMentee {
        /// `"locked"` or `"forbidden"`.
        list: &'static str,
        /// Position in that list.
        index: usize,
        /// The unknown id.
        mentee: MenteeId,
    },
    /// A mentee appears in two locked pairs.
    #[error("mentee {mentee} is locked to both {first} and {second}")]
    MenteeLockedTwice {
        /// The mentee.
        mentee: MenteeId,
        /// The first mentor it is locked to.
        first: MentorId,
        /// The second.
        second: MentorId,
    },
    /// A locked pair is also forbidden.
    #[error("pair {mentor} / {mentee} is both locked and forbidden")]
    LockedAndForbidden {
        /// The mentor.
        mentor: MentorId,
        /// The mentee.
        mentee: MenteeId,
    },
    /// A locked pair fails a hard rule (for example a DBS check has since expired).
    #[error("locked pair {mentor} / {mentee} fails rule {rule:?}")]
    LockedPairBreaksRule {
        /// The mentor.
        mentor: MentorId,
        /// The mentee.
        mentee: MenteeId,
        /// The first rule it fails.
        rule: RuleKind,
    },
    /// More pairs are locked to a mentor than the mentor's capacity.
    #[error("mentor {mentor} has {locked} locked pairs but capacity {capacity}")]
    LocksExceedCapacity {
        /// The mentor.
        mentor: MentorId,
        /// Locked pairs naming the mentor.
        locked: usize,
        /// The mentor's capacity.
        capacity: u8,
    },
    /// The solver refused the problem (only if the input is astronomically large).
    #[error("the problem is too large for the solver: {0}")]
    Solver(#[from] crate::solver::ProblemError),
}
