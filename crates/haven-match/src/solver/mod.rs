//! Exact sparse maximum-cardinality, maximum-weight bipartite b-matching.
//!
//! This module knows nothing about mentors or programmes: it sees "left" vertices (mentees, each
//! matched at most once), "right" vertices (mentors, each with a capacity) and weighted candidate
//! edges. [`solve`] returns a matching that first has as many edges as possible and then, among
//! all matchings of that size, the largest total weight. Weights are integers, so the optimum is
//! exact, not approximate.
//!
//! Locked and forbidden pairs are the caller's business: a forbidden pair is an edge that is never
//! added, and a locked pair is removed from the problem beforehand by dropping the mentee and
//! lowering the mentor's capacity (see `crate::engine`).

mod auction;
mod problem;
mod ssp;

pub use problem::{Edge, MAX_WEIGHT, Problem, ProblemError};
pub use ssp::solve as shortest_paths;

/// Solves `problem` exactly: maximum cardinality, then maximum total weight; deterministic.
///
/// Square one-to-one problems first try an epsilon-scaling auction, which is much faster on them
/// and is kept only with a duality certificate of optimality; everything else (and any auction
/// that cannot certify) goes to [`shortest_paths`].
pub fn solve(problem: &Problem) -> Solution {
    auction::try_solve(problem).unwrap_or_else(|| ssp::solve(problem))
}

/// The optimal matching found by [`solve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// For each left vertex, the right vertex it is matched to, if any.
    pub assignment: Vec<Option<u32>>,
    /// For each left vertex, the weight of the edge it is matched by (0 when unmatched).
    pub matched_weight: Vec<i64>,
    /// Number of matched left vertices: the first objective, maximised.
    pub cardinality: usize,
    /// Sum of the weights of the matched edges: the second objective, maximised.
    pub total_weight: i64,
}
