//! The solver's input: a validated sparse bipartite graph in compressed-row form.

use thiserror::Error;

/// The largest edge weight accepted. Scores are fixed-point integers far below this; the bound
/// keeps every internal sum (big-M offset included) well inside `i64`.
pub const MAX_WEIGHT: i64 = 1 << 32;

/// One candidate edge between a left vertex (mentee) and a right vertex (mentor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// Index of the left vertex.
    pub left: u32,
    /// Index of the right vertex.
    pub right: u32,
    /// Weight of the edge, in `0..=MAX_WEIGHT`.
    pub weight: i64,
}

/// Why a [`Problem`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProblemError {
    /// An edge names a left vertex that does not exist.
    #[error("edge {edge} names left vertex {left}, but there are only {num_left}")]
    LeftOutOfRange {
        /// Position of the edge in the input.
        edge: usize,
        /// The offending left index.
        left: u32,
        /// Number of left vertices.
        num_left: usize,
    },
    /// An edge names a right vertex that does not exist.
    #[error("edge {edge} names right vertex {right}, but there are only {num_right}")]
    RightOutOfRange {
        /// Position of the edge in the input.
        edge: usize,
        /// The offending right index.
        right: u32,
        /// Number of right vertices.
        num_right: usize,
    },
    /// An edge weight is negative or above [`MAX_WEIGHT`].
    #[error("edge {edge} has weight {weight}, outside 0..={MAX_WEIGHT}")]
    WeightOutOfRange {
        /// Position of the edge in the input.
        edge: usize,
        /// The offending weight.
        weight: i64,
    },
    /// The compressed-row arrays are inconsistent.
    #[error("malformed compressed rows: {0}")]
    MalformedRows(&'static str),
    /// The problem is too large for exact 64-bit arithmetic with the big-M offset.
    #[error("problem too large: {0} vertices times the maximum weight overflows 64-bit costs")]
    TooLarge(usize),
}

/// A validated b-matching problem: left vertices, right capacities and candidate edges, stored
/// row by row (all edges of left vertex 0, then of left vertex 1, ...).
#[derive(Debug, Clone)]
pub struct Problem {
    pub(super) num_left: usize,
    pub(super) capacities: Vec<u32>,
    /// `row_start[i]..row_start[i + 1]` are the edges of left vertex `i`.
    pub(super) row_start: Vec<usize>,
    pub(super) cols: Vec<u32>,
    pub(super) weights: Vec<i64>,
    /// Offset added to every edge so that one more matched edge always beats any weight gain.
    pub(super) big_m: i64,
}

impl Problem {
    /// Builds a problem from a list of edges, in any order. Edges of the same left vertex keep
    /// their input order, so the result (and the solver's tie-breaking) is deterministic.
    /// Parallel edges are allowed; the solver simply uses the better one.
    pub fn new(
        num_left: usize,
        capacities: Vec<u32>,
        edges: &[Edge],
    ) -> Result<Self, ProblemError> {
        let num_right = capacities.len();
        let mut row_start = vec![0usize; num_left + 1];
        for (index, edge) in edges.iter().enumerate() {
            check_edge(index, edge, num_left, num_right)?;
            row_start[edge.left as usize + 1] += 1;
        }
        for i in 0..num_left {
            row_start[i + 1] += row_start[i];
        }
        // Counting sort by left vertex: stable, linear, no comparisons.
        let mut next = row_start.clone();
        let mut cols = vec![0u32; edges.len()];
        let mut weights = vec![0i64; edges.len()];
        for edge in edges {
            let slot = &mut next[edge.left as usize];
            cols[*slot] = edge.right;
            weights[*slot] = edge.weight;
            *slot += 1;
        }
        Self::from_rows(num_left, capacities, row_start, cols, weights)
    }

    /// Builds a problem from compressed rows directly (what a large generator produces without
    /// an intermediate edge list). `row_start` has `num_left + 1` non-decreasing entries starting
    /// at 0 and ending at `cols.len()`; `cols` and `weights` have one entry per edge.
    pub fn from_rows(
        num_left: usize,
        capacities: Vec<u32>,
        row_start: Vec<usize>,
        cols: Vec<u32>,
        weights: Vec<i64>,
    ) -> Result<Self, ProblemError> {
        if row_start.len() != num_left + 1 {
            return Err(ProblemError::MalformedRows(
                "row_start must have num_left + 1 entries",
            ));
        }
        if row_start.first() != Some(&0) || row_start.last() != Some(&cols.len()) {
            return Err(ProblemError::MalformedRows(
                "row_start must run from 0 to the edge count",
            ));
        }
        if row_start.windows(2).any(|w| w[0] > w[1]) {
            return Err(ProblemError::MalformedRows(
                "row_start must be non-decreasing",
            ));
        }
        if cols.len() != weights.len() {
            return Err(ProblemError::MalformedRows(
                "cols and weights differ in length",
            ));
        }
        let num_right = capacities.len();
        for i in 0..num_left {
            for e in row_start[i]..row_start[i + 1] {
                let edge = Edge {
                    left: i as u32,
                    right: cols[e],
                    weight: weights[e],
                };
                check_edge(e, &edge, num_left, num_right)?;
            }
        }
        let max_weight = weights.iter().copied().max().unwrap_or(0);
        let slots: u64 = capacities.iter().map(|&c| u64::from(c)).sum();
        let most_edges = slots.min(num_left as u64);
        let big_m = big_m(max_weight, most_edges).ok_or(ProblemError::TooLarge(num_left))?;
        Ok(Self {
            num_left,
            capacities,
            row_start,
            cols,
            weights,
            big_m,
        })
    }

    /// Number of left vertices (mentees).
    pub fn num_left(&self) -> usize {
        self.num_left
    }

    /// Number of right vertices (mentors).
    pub fn num_right(&self) -> usize {
        self.capacities.len()
    }

    /// Number of candidate edges.
    pub fn num_edges(&self) -> usize {
        self.cols.len()
    }

    /// Capacity of each right vertex.
    pub fn capacities(&self) -> &[u32] {
        &self.capacities
    }

    /// The edges of left vertex `left` as `(right, weight)` pairs, in input order.
    pub fn edges_of(&self, left: usize) -> impl Iterator<Item = (u32, i64)> + '_ {
        let range = self
            .row_start
            .get(left..=left + 1)
            .map_or(0..0, |r| r[0]..r[1]);
        range.map(move |e| (self.cols[e], self.weights[e]))
    }

    /// Bytes held by this problem's arrays.
    pub fn memory_bytes(&self) -> usize {
        self.row_start.len() * size_of::<usize>()
            + self.cols.len() * size_of::<u32>()
            + self.weights.len() * size_of::<i64>()
            + self.capacities.len() * size_of::<u32>()
    }
}

fn check_edge(
    index: usize,
    edge: &Edge,
    num_left: usize,
    num_right: usize,
) -> Result<(), ProblemError> {
    if edge.left as usize >= num_left {
        return Err(ProblemError::LeftOutOfRange {
            edge: index,
            left: edge.left,
            num_left,
        });
    }
    if edge.right as usize >= num_right {
        return Err(ProblemError::RightOutOfRange {
            edge: index,
            right: edge.right,
            num_right,
        });
    }
    if !(0..=MAX_WEIGHT).contains(&edge.weight) {
        return Err(ProblemError::WeightOutOfRange {
            edge: index,
            weight: edge.weight,
        });
    }
    Ok(())
}

/// The lexicographic objective (cardinality first, then weight) as one integer cost: each matched
/// edge earns `big_m + weight`. With `k` the most edges any matching can have, `big_m` greater
/// than `k * max_weight` makes one extra edge worth more than every possible weight difference.
/// Potentials and path lengths stay within a few multiples of `big_m + max_weight`, so we demand
/// that be far from `i64::MAX`.
fn big_m(max_weight: i64, most_edges: u64) -> Option<i64> {
    let most_edges = i64::try_from(most_edges).ok()?;
    let big_m = max_weight.checked_mul(most_edges)?.checked_add(1)?;
    let per_edge = big_m.checked_add(max_weight)?;
    (per_edge <= i64::MAX / 16).then_some(big_m)
}
