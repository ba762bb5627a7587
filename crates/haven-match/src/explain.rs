//! What the engine returns: proposed pairs with their score breakdown, and unmatched mentees with
//! the reason. These are the words a coordinator reads, so each reason is specific.

use serde::{Deserialize, Serialize};

use crate::criteria::CriterionScore;
use crate::profile::{MenteeId, MentorId};
use crate::rules::RuleKind;

/// The result of one matching run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchOutcome {
    /// Every pair, locked ones included, in the mentees' input order.
    pub pairs: Vec<ProposedPair>,
    /// Mentees left without a mentor, in input order, each with the reason.
    pub unmatched: Vec<UnmatchedMentee>,
    /// Sum of the scores of all pairs, locked ones included.
    pub total_score: u64,
}

/// A mentor–mentee pair with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedPair {
    /// The mentor.
    pub mentor: MentorId,
    /// The mentee.
    pub mentee: MenteeId,
    /// Whether the pair was locked (agreed earlier) rather than chosen by this run.
    pub locked: bool,
    /// The pair's score: the sum of the criteria's scores.
    pub score: u64,
    /// Each criterion's contribution, in the programme's order.
    pub criteria: Vec<CriterionScore>,
}

/// A mentee without a mentor, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmatchedMentee {
    /// The mentee.
    pub mentee: MenteeId,
    /// Why no mentor was proposed.
    pub reason: UnmatchedReason,
}

/// Why a mentee was left unmatched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum UnmatchedReason {
    /// The run had no mentors at all.
    NoMentors,
    /// No mentor passes the hard rules. Each mentor is counted once, under the first rule it
    /// fails (safeguarding, then forbidden pairs, then the programme's rules in order).
    NoEligibleMentor {
        /// How many mentors each rule excluded, by rule.
        excluded_by: Vec<RuleCount>,
    },
    /// Some mentors passed every rule, but all their places went to other mentees: locked pairs,
    /// or the optimum, which matches as many mentees as possible and then maximises the total
    /// score.
    CandidatesTaken {
        /// The eligible mentors, in input order.
        candidates: Vec<MentorId>,
    },
}

/// How many mentors one rule excluded for a mentee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCount {
    /// The rule.
    pub rule: RuleKind,
    /// Mentors it excluded first.
    pub mentors: usize,
}
