//! Seeded generation of sparse matching instances.
//!
//! Each mentee gets `degree` distinct candidate mentors, one of which comes from a random perfect
//! matching planted in the graph. The planted matching guarantees that every mentee can be
//! matched, which SciPy's `min_weight_full_bipartite_matching` and OR-tools' assignment solver
//! require; the optimum itself is whatever the weights make it, not the planted matching.

use haven_match::solver::Problem;

use crate::rng::SplitMix64;

/// Mentor capacities used by an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capacities {
    /// Every mentor takes exactly one mentee: a classic assignment problem.
    One,
    /// Each mentor takes 1, 2 or 3 mentees (uniformly at random); matching is optional.
    OneToThree,
}

impl Capacities {
    /// Short label used in reports and file names.
    pub fn label(self) -> &'static str {
        match self {
            Self::One => "1",
            Self::OneToThree => "1-3",
        }
    }
}

/// What to generate: `size` mentees and `size` mentors, `degree` candidates per mentee.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Number of mentees, and of mentors.
    pub size: usize,
    /// Candidate mentors per mentee.
    pub degree: usize,
    /// Mentor capacities.
    pub capacities: Capacities,
    /// Largest score; scores are uniform in `1..=max_weight` (SciPy ignores explicit zeros).
    pub max_weight: i64,
    /// Seed of the random stream.
    pub seed: u64,
}

/// A generated instance in compressed rows, as written to the exchange file.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Number of mentees.
    pub num_left: usize,
    /// Capacity of each mentor.
    pub capacities: Vec<u32>,
    /// Row offsets: mentee `i`'s candidates are `row_start[i]..row_start[i + 1]`.
    pub row_start: Vec<usize>,
    /// Candidate mentor of each edge.
    pub cols: Vec<u32>,
    /// Score of each edge.
    pub weights: Vec<i64>,
}

/// Generates the instance described by `spec`; the same spec always gives the same instance.
pub fn generate(spec: &Spec) -> Instance {
    let n = spec.size;
    let degree = spec.degree.min(n);
    let mut rng = SplitMix64::new(spec.seed ^ (n as u64).rotate_left(32) ^ degree as u64);
    let capacities = (0..n)
        .map(|_| match spec.capacities {
            Capacities::One => 1,
            Capacities::OneToThree => 1 + rng.below(3) as u32,
        })
        .collect();
    let planted = permutation(n, &mut rng);
    let mut row_start = Vec::with_capacity(n + 1);
    let mut cols = Vec::with_capacity(n * degree);
    let mut weights = Vec::with_capacity(n * degree);
    // `taken[j] == i + 1` marks mentor j as already a candidate of mentee i.
    let mut taken = vec![0usize; n];
    for (i, &mentor) in planted.iter().enumerate() {
        row_start.push(cols.len());
        let first = cols.len();
        cols.push(mentor);
        taken[mentor as usize] = i + 1;
        while cols.len() - first < degree {
            let j = rng.below(n as u64) as usize;
            if taken[j] != i + 1 {
                taken[j] = i + 1;
                cols.push(j as u32);
            }
        }
        // Shuffle the row so the planted edge is not always first (edge order breaks ties).
        let row = &mut cols[first..];
        for a in (1..row.len()).rev() {
            let b = rng.below(a as u64 + 1) as usize;
            row.swap(a, b);
        }
        for _ in 0..degree {
            weights.push(1 + rng.below(spec.max_weight as u64) as i64);
        }
    }
    row_start.push(cols.len());
    Instance {
        num_left: n,
        capacities,
        row_start,
        cols,
        weights,
    }
}

impl Instance {
    /// The solver's view of this instance.
    pub fn to_problem(&self) -> Result<Problem, haven_match::solver::ProblemError> {
        Problem::from_rows(
            self.num_left,
            self.capacities.clone(),
            self.row_start.clone(),
            self.cols.clone(),
            self.weights.clone(),
        )
    }
}

fn permutation(n: usize, rng: &mut SplitMix64) -> Vec<u32> {
    let mut items: Vec<u32> = (0..n as u32).collect();
    for a in (1..n).rev() {
        let b = rng.below(a as u64 + 1) as usize;
        items.swap(a, b);
    }
    items
}
