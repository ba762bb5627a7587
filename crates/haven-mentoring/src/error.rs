//! What can stop a mentoring step, specific enough for the page to say what to do.

use haven_domain::mentoring::IllegalTransition;
use haven_match::MatchError;
use haven_match::rules::RuleKind;
use haven_store::StoreError;

/// Why a mentoring step did nothing.
#[derive(Debug, thiserror::Error)]
pub enum MentoringError {
    /// The store failed or refused (not found, conflict, ...).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The engine refused the input (for example an agreed pair that now fails safeguarding).
    #[error("matching could not run: {0}")]
    Engine(#[from] MatchError),
    /// A pair picked by hand, or being agreed, fails a hard rule.
    #[error("the pair fails the rule {0:?}")]
    RuleFails(RuleKind),
    /// The mentor already has as many mentees as they take.
    #[error("the mentor already has {capacity} mentees")]
    MentorFull {
        /// The mentor's capacity.
        capacity: u8,
    },
    /// The mentee already has an agreed match.
    #[error("the mentee already has an agreed match")]
    MenteeSettled,
    /// One of the pair has withdrawn from the programme.
    #[error("one of the pair has withdrawn from the programme")]
    Withdrawn,
    /// The lifecycle does not allow this step.
    #[error(transparent)]
    Transition(#[from] IllegalTransition),
}
