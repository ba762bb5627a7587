//! Fast path for square one-to-one problems: Bertsekas' auction with epsilon scaling, accepted
//! only with a duality certificate of exact optimality. Anything else returns `None` and the
//! caller falls back to the shortest-path solver, so this module can only make things faster,
//! never wrong.
//!
//! Why it is exact when it answers: weights are scaled by `K > n`, and the last phase runs with
//! `epsilon = 1`, so every mentee ends within `1/K` (in original units) of its best choice at the
//! final prices. Prices and best profits then form a dual solution whose value exceeds the
//! matching's weight by less than `n / K < 1`; weights are integers, so the matching is optimal.
//! We do not take that on trust: `certify` recomputes the gap from scratch.
//!
//! When it applies: as many mentees as mentors, every capacity 1. A perfect matching is then the
//! maximum cardinality, and the auction finds one exactly when one exists; if bidding runs too
//! long (no perfect matching, or a price war) we give up.

use super::{Problem, Solution};

/// Scale factor and phase settings. `EPSILON_DIVISOR` is the usual 4–10 of the literature.
const EPSILON_DIVISOR: i64 = 6;
/// Bids allowed per mentee per phase before giving up (a perfect matching is then unlikely or
/// the prices are warring; the exact solver takes over).
const BIDS_PER_MENTEE: usize = 200;

/// Solves `problem` by auction if it is square and one-to-one and the result is certified
/// optimal; `None` otherwise.
pub fn try_solve(problem: &Problem) -> Option<Solution> {
    let n = problem.num_left;
    if n == 0 || problem.capacities.len() != n || problem.capacities.iter().any(|&c| c != 1) {
        return None;
    }
    let max_weight = problem.weights.iter().copied().max()?;
    // K is a power of two above n; benefits K * w must leave room for prices to climb.
    let shift = (usize::BITS - n.leading_zeros()) as i64;
    let scale = 1i64.checked_shl(shift as u32)?;
    let top = max_weight.checked_mul(scale)?;
    if top > i64::MAX / 64 {
        return None;
    }
    let mut auction = Auction::new(problem, shift);
    let mut epsilon = (top / 4).max(1);
    loop {
        if !auction.phase(problem, epsilon) {
            return None;
        }
        if epsilon == 1 {
            break;
        }
        epsilon = (epsilon / EPSILON_DIVISOR).max(1);
    }
    auction.certify(problem, scale)
}

struct Auction {
    shift: i64,
    price: Vec<i64>,
    /// Mentor held by each mentee, `u32::MAX` if none.
    holds: Vec<u32>,
    /// Mentee holding each mentor, `u32::MAX` if none.
    holder: Vec<u32>,
    /// Weight of the edge each mentee holds.
    held_weight: Vec<i64>,
    queue: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl Auction {
    fn new(problem: &Problem, shift: i64) -> Self {
        let n = problem.num_left;
        Self {
            shift,
            price: vec![0; n],
            holds: vec![NONE; n],
            holder: vec![NONE; n],
            held_weight: vec![0; n],
            queue: Vec::with_capacity(n),
        }
    }

    /// One scaling phase: prices are kept, assignments restart, and unassigned mentees bid until
    /// all hold a mentor. Returns false if the bid budget runs out.
    fn phase(&mut self, problem: &Problem, epsilon: i64) -> bool {
        self.holds.fill(NONE);
        self.holder.fill(NONE);
        self.queue.clear();
        self.queue.extend((0..problem.num_left as u32).rev());
        let mut budget = BIDS_PER_MENTEE.saturating_mul(problem.num_left);
        while let Some(i) = self.queue.pop() {
            if budget == 0 {
                return false;
            }
            budget -= 1;
            let Some((j, w, increment)) = self.best_two(problem, i as usize, epsilon) else {
                return false; // A mentee with no candidates: no perfect matching.
            };
            let ju = j as usize;
            self.price[ju] += increment;
            let previous = self.holder[ju];
            if previous != NONE {
                self.holds[previous as usize] = NONE;
                self.queue.push(previous);
            }
            self.holder[ju] = i;
            self.holds[i as usize] = j;
            self.held_weight[i as usize] = w;
        }
        true
    }

    /// Mentee `i`'s best mentor, that edge's weight, and the bid increment
    /// `best value - second value + epsilon`.
    fn best_two(&self, problem: &Problem, i: usize, epsilon: i64) -> Option<(u32, i64, i64)> {
        let (mut best, mut second) = (i64::MIN, i64::MIN);
        let (mut best_j, mut best_w) = (NONE, 0);
        for e in problem.row_start[i]..problem.row_start[i + 1] {
            let j = problem.cols[e];
            let w = problem.weights[e];
            let value = (w << self.shift) - self.price[j as usize];
            if value > best {
                second = best;
                best = value;
                best_j = j;
                best_w = w;
            } else if value > second {
                second = value;
            }
        }
        if best_j == NONE {
            return None;
        }
        // With a single candidate there is no competitor: bid the minimum.
        let gap = if second == i64::MIN { 0 } else { best - second };
        Some((best_j, best_w, gap + epsilon))
    }

    /// Checks the duality gap from scratch and, if below one original unit, returns the matching.
    fn certify(self, problem: &Problem, scale: i64) -> Option<Solution> {
        let mut dual: i128 = self.price.iter().map(|&p| i128::from(p)).sum();
        let mut primal: i128 = 0;
        for i in 0..problem.num_left {
            let best = (problem.row_start[i]..problem.row_start[i + 1])
                .map(|e| (problem.weights[e] << self.shift) - self.price[problem.cols[e] as usize])
                .max()?;
            dual += i128::from(best);
            if self.holds[i] == NONE {
                return None;
            }
            primal += i128::from(self.held_weight[i] << self.shift);
        }
        if dual - primal >= i128::from(scale) {
            return None;
        }
        let assignment: Vec<Option<u32>> = self.holds.iter().map(|&j| Some(j)).collect();
        Some(Solution {
            cardinality: assignment.len(),
            total_weight: self.held_weight.iter().sum(),
            assignment,
            matched_weight: self.held_weight,
        })
    }
}
