//! Haven's mentoring matching engine. Pure computation: no I/O, no clock, no randomness.
//!
//! - [`profile`]: programmes, mentors and mentees (serde types the web layer stores as JSON).
//! - [`rules`]: hard rules, each a named variant so explanations can cite it.
//! - [`criteria`]: weighted criteria and the per-pair score breakdown.
//! - [`solver`]: the exact sparse max-cardinality, max-weight b-matching solver.
//! - [`explain`]: the outcome: pairs with their breakdown, unmatched mentees with the reason.
//! - [`match_programme`]: puts them together.

pub mod criteria;
mod engine;
pub mod error;
pub mod explain;
mod geo;
pub mod profile;
pub mod rules;
pub mod solver;
mod validate;

pub use engine::match_programme;
pub use error::MatchError;
pub use explain::{MatchOutcome, ProposedPair, RuleCount, UnmatchedMentee, UnmatchedReason};
pub use geo::distance_km;
pub use validate::{Constraints, Pair};
