//! Successive shortest augmenting paths with Dijkstra and node potentials.
//!
//! The b-matching is solved as a min-cost flow. Every left vertex `i` supplies one unit to a sink
//! `T`, either through a right vertex `j` (arc `i -> j` of cost `-(big_m + w_ij)`, then `j -> T`
//! with capacity `cap_j`) or directly (arc `i -> T` of cost 0: "left unmatched"). Minimising the
//! cost maximises `big_m * cardinality + weight`, which is the lexicographic objective.
//!
//! Left vertices are routed one at a time along a shortest path in the residual graph, measured
//! with reduced costs `c(u, v) + pi(u) - pi(v)`, which the potentials `pi` keep non-negative, so
//! Dijkstra applies. Each augmentation keeps the flow optimal for the units routed so far; after
//! the last one it is optimal overall. This is exact and needs no epsilon.
//!
//! Two facts make the search cheap and are used throughout:
//! - A left vertex other than the source can only be entered through the reverse of its matched
//!   arc, whose reduced cost is 0. So left vertices never enter the heap: they are scanned at their
//!   mentor's distance the moment the mentor is settled (as in Jonker–Volgenant).
//! - The search stops as soon as the sink is the closest unsettled node, and only settled nodes'
//!   potentials change (`pi += d - d(T)`), which equals the textbook update shifted by a constant.
//!   The cost of one augmentation is therefore proportional to the region it explores, not to `n`.
//!
//! Potential bounds (why `i64` never overflows): `pi(T) = 0` throughout; a left vertex starts at
//! `big_m + max_j w_ij` and only decreases, but stays `>= 0` because its arc to `T` keeps a
//! non-negative reduced cost; a right vertex starts at 0, only decreases and stays
//! `>= -(big_m + max_weight)` because its matched arcs have reduced cost 0. Every distance is at
//! most the source's potential. `Problem` checks that these magnitudes fit comfortably.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{Problem, Solution};

/// Marks a left vertex that has not been routed yet.
const FREE: u32 = u32::MAX;
/// Marks a left vertex routed straight to the sink: left unmatched in the optimum.
const UNMATCHED: u32 = u32::MAX - 1;

/// Solves `problem` exactly by successive shortest paths: the returned matching has maximum
/// cardinality and, among those, maximum total weight. Ties are broken deterministically (by
/// vertex and edge order). Works on every problem; [`super::solve`] is faster on square ones.
pub fn solve(problem: &Problem) -> Solution {
    let mut state = State::new(problem);
    for source in 0..problem.num_left {
        state.route(problem, source as u32);
    }
    state.into_solution(problem)
}

/// How the sink was reached by the current search.
#[derive(Clone, Copy)]
enum SinkVia {
    /// Through right vertex `j`, which still had spare capacity.
    Right(u32),
    /// Through left vertex `k`'s own arc to the sink (k becomes unmatched).
    Unmatched(u32),
}

struct State {
    pot_left: Vec<i64>,
    pot_right: Vec<i64>,
    /// Right vertex matched to each left vertex, or `FREE` / `UNMATCHED`.
    assign: Vec<u32>,
    /// Weight of each left vertex's matched edge.
    assign_weight: Vec<i64>,
    /// Position of each matched left vertex in `slots`.
    slot_of: Vec<u32>,
    /// `slots[slot_start[j]..slot_start[j] + load[j]]` are the left vertices matched to `j`.
    slot_start: Vec<u32>,
    slots: Vec<u32>,
    load: Vec<u32>,
    search: Search,
}

/// Scratch space for one Dijkstra search, reused across searches. A generation counter marks
/// which entries belong to the current search, so nothing is cleared between searches.
struct Search {
    generation: u32,
    seen: Vec<u32>,
    settled: Vec<u32>,
    dist: Vec<i64>,
    /// Left vertex whose edge gave `dist[j]`, and that edge's weight.
    pred_left: Vec<u32>,
    pred_weight: Vec<i64>,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
    settled_rights: Vec<u32>,
    scanned_lefts: Vec<(u32, i64)>,
}

impl State {
    fn new(problem: &Problem) -> Self {
        let num_right = problem.capacities.len();
        // Initial potentials make every reduced cost non-negative: each left vertex starts at its
        // best edge's value, so its best edges have reduced cost 0 and are tried first.
        let pot_left = (0..problem.num_left)
            .map(|i| {
                let row = &problem.weights[problem.row_start[i]..problem.row_start[i + 1]];
                row.iter().max().map_or(0, |&w| problem.big_m + w)
            })
            .collect();
        let mut slot_start = Vec::with_capacity(num_right + 1);
        let mut total = 0u32;
        for &capacity in &problem.capacities {
            slot_start.push(total);
            total = total.saturating_add(capacity);
        }
        slot_start.push(total);
        Self {
            pot_left,
            pot_right: vec![0; num_right],
            assign: vec![FREE; problem.num_left],
            assign_weight: vec![0; problem.num_left],
            slot_of: vec![0; problem.num_left],
            slot_start,
            slots: vec![FREE; total as usize],
            load: vec![0; num_right],
            search: Search {
                generation: 0,
                seen: vec![0; num_right],
                settled: vec![0; num_right],
                dist: vec![0; num_right],
                pred_left: vec![0; num_right],
                pred_weight: vec![0; num_right],
                heap: BinaryHeap::new(),
                settled_rights: Vec::new(),
                scanned_lefts: Vec::new(),
            },
        }
    }

    /// Routes the unit of left vertex `source` along a shortest residual path to the sink.
    fn route(&mut self, problem: &Problem, source: u32) {
        let search = &mut self.search;
        search.generation = search.generation.wrapping_add(1);
        if search.generation == 0 {
            // The counter wrapped: old marks could look current, so clear them once.
            search.seen.fill(0);
            search.settled.fill(0);
            search.generation = 1;
        }
        search.heap.clear();
        search.settled_rights.clear();
        search.scanned_lefts.clear();

        let mut best = i64::MAX;
        let mut via = SinkVia::Unmatched(source);
        self.scan_left(problem, source, 0, &mut best, &mut via);
        while let Some(&Reverse((d, j))) = self.search.heap.peek() {
            if d >= best {
                break;
            }
            self.search.heap.pop();
            let ju = j as usize;
            let stamp = self.search.generation;
            if self.search.settled[ju] == stamp || d > self.search.dist[ju] {
                continue;
            }
            self.search.settled[ju] = stamp;
            self.search.settled_rights.push(j);
            if self.load[ju] < problem.capacities[ju] {
                // Reduced cost of j -> T is pi(j) - pi(T) = pi(j).
                let through = d + self.pot_right[ju];
                if through < best {
                    best = through;
                    via = SinkVia::Right(j);
                }
            }
            let start = self.slot_start[ju] as usize;
            for s in start..start + self.load[ju] as usize {
                let k = self.slots[s];
                self.scan_left(problem, k, d, &mut best, &mut via);
            }
        }
        self.update_potentials(best);
        self.augment(source, via);
    }

    /// Relaxes the arcs out of left vertex `k`, reached at distance `dk`.
    fn scan_left(&mut self, problem: &Problem, k: u32, dk: i64, best: &mut i64, via: &mut SinkVia) {
        let ku = k as usize;
        let pk = self.pot_left[ku];
        let current = self.assign[ku];
        self.search.scanned_lefts.push((k, dk));
        // Arc k -> T (leave k unmatched); k's reduced cost there is pi(k) - pi(T) = pi(k).
        let through = dk + pk;
        if through < *best {
            *best = through;
            *via = SinkVia::Unmatched(k);
        }
        let base = dk + pk - problem.big_m;
        let stamp = self.search.generation;
        let search = &mut self.search;
        for e in problem.row_start[ku]..problem.row_start[ku + 1] {
            let j = problem.cols[e];
            if j == current {
                continue; // k's matched arc is saturated; only its reverse is residual.
            }
            let ju = j as usize;
            let w = problem.weights[e];
            let nd = base - w - self.pot_right[ju];
            if search.seen[ju] != stamp || nd < search.dist[ju] {
                if search.settled[ju] == stamp {
                    continue;
                }
                search.seen[ju] = stamp;
                search.dist[ju] = nd;
                search.pred_left[ju] = k;
                search.pred_weight[ju] = w;
                search.heap.push(Reverse((nd, j)));
            }
        }
    }

    /// Shifts the potentials of the nodes settled in this search so that every residual arc keeps
    /// a non-negative reduced cost and the arcs of the shortest path get reduced cost 0.
    fn update_potentials(&mut self, best: i64) {
        for &j in &self.search.settled_rights {
            let ju = j as usize;
            self.pot_right[ju] += self.search.dist[ju] - best;
        }
        for &(k, dk) in &self.search.scanned_lefts {
            self.pot_left[k as usize] += dk - best;
        }
    }

    /// Flips the matched and unmatched arcs along the path found by the search, walking back from
    /// the sink to `source`.
    fn augment(&mut self, source: u32, via: SinkVia) {
        // `(j, slot)`: right vertex that takes a new left vertex, and where it goes in `slots`.
        let (mut j, mut slot) = match via {
            SinkVia::Unmatched(k) => {
                let ku = k as usize;
                let previous = self.assign[ku];
                self.assign[ku] = UNMATCHED;
                self.assign_weight[ku] = 0;
                if k == source {
                    return;
                }
                (previous, self.slot_of[ku])
            }
            SinkVia::Right(j) => {
                let ju = j as usize;
                let slot = self.slot_start[ju] + self.load[ju];
                self.load[ju] += 1;
                (j, slot)
            }
        };
        loop {
            let ju = j as usize;
            let k = self.search.pred_left[ju];
            let ku = k as usize;
            let previous = self.assign[ku];
            let previous_slot = self.slot_of[ku];
            self.slots[slot as usize] = k;
            self.slot_of[ku] = slot;
            self.assign[ku] = j;
            self.assign_weight[ku] = self.search.pred_weight[ju];
            if k == source {
                return;
            }
            j = previous;
            slot = previous_slot;
        }
    }

    fn into_solution(self, problem: &Problem) -> Solution {
        let assignment: Vec<Option<u32>> = self
            .assign
            .iter()
            .map(|&j| (j != FREE && j != UNMATCHED).then_some(j))
            .collect();
        let cardinality = assignment.iter().filter(|a| a.is_some()).count();
        let total_weight = self.assign_weight.iter().sum();
        debug_assert_eq!(assignment.len(), problem.num_left);
        Solution {
            assignment,
            matched_weight: self.assign_weight,
            cardinality,
            total_weight,
        }
    }
}
