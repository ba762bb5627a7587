//! The solver's optimum equals an exhaustive search on small random instances.

use haven_match::solver::{Edge, MAX_WEIGHT, Problem, solve};
use proptest::prelude::*;

/// A small instance: number of left vertices, capacities, edges (simple graph).
fn instance() -> impl Strategy<Value = (usize, Vec<u32>, Vec<Edge>)> {
    (1usize..=6, 1usize..=4).prop_flat_map(|(num_left, num_right)| {
        let caps = proptest::collection::vec(0u32..=3, num_right);
        let cells = proptest::collection::vec(
            proptest::option::weighted(0.5, prop_oneof![4 => 0i64..=20, 1 => 0i64..=MAX_WEIGHT]),
            num_left * num_right,
        );
        (Just(num_left), caps, cells).prop_map(move |(num_left, caps, cells)| {
            let edges = cells
                .iter()
                .enumerate()
                .filter_map(|(c, w)| {
                    w.map(|weight| Edge {
                        left: (c / num_right) as u32,
                        right: (c % num_right) as u32,
                        weight,
                    })
                })
                .collect();
            (num_left, caps, edges)
        })
    })
}

/// Best (cardinality, weight) over every assignment of each left vertex to one of its edges or
/// to nothing, respecting capacities.
pub fn brute_force(num_left: usize, caps: &[u32], edges: &[Edge]) -> (usize, i64) {
    let rows: Vec<Vec<&Edge>> = (0..num_left)
        .map(|i| edges.iter().filter(|e| e.left as usize == i).collect())
        .collect();
    let mut load = vec![0u32; caps.len()];
    let mut best = (0usize, 0i64);
    fn go(
        i: usize,
        rows: &[Vec<&Edge>],
        caps: &[u32],
        load: &mut [u32],
        acc: (usize, i64),
        best: &mut (usize, i64),
    ) {
        if i == rows.len() {
            if acc > *best {
                *best = acc;
            }
            return;
        }
        go(i + 1, rows, caps, load, acc, best);
        for e in &rows[i] {
            let r = e.right as usize;
            if load[r] < caps[r] {
                load[r] += 1;
                go(i + 1, rows, caps, load, (acc.0 + 1, acc.1 + e.weight), best);
                load[r] -= 1;
            }
        }
    }
    go(0, &rows, caps, &mut load, (0, 0), &mut best);
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn solver_matches_brute_force((num_left, caps, edges) in instance()) {
        let problem = Problem::new(num_left, caps.clone(), &edges).unwrap();
        let solution = solve(&problem);
        let expected = brute_force(num_left, &caps, &edges);
        prop_assert_eq!((solution.cardinality, solution.total_weight), expected);
        // The reported matching is feasible and its totals are honest.
        let mut load = vec![0u32; caps.len()];
        let mut total = 0i64;
        for (i, assigned) in solution.assignment.iter().enumerate() {
            if let Some(r) = assigned {
                load[*r as usize] += 1;
                let best_edge = edges
                    .iter()
                    .filter(|e| e.left as usize == i && e.right == *r)
                    .map(|e| e.weight)
                    .max();
                prop_assert_eq!(best_edge, Some(solution.matched_weight[i]));
                total += solution.matched_weight[i];
            }
        }
        prop_assert!(load.iter().zip(&caps).all(|(l, c)| l <= c));
        prop_assert_eq!(total, solution.total_weight);
        // Deterministic: solving again gives the same matching.
        prop_assert_eq!(solve(&problem), solution);
    }
}

/// Square one-to-one instances, where `solve` takes the auction path when it can certify.
fn square() -> impl Strategy<Value = (usize, Vec<Edge>)> {
    (1usize..=6).prop_flat_map(|n| {
        let cells = proptest::collection::vec(proptest::option::weighted(0.6, 0i64..=30), n * n);
        (Just(n), cells).prop_map(|(n, cells)| {
            let edges = cells
                .iter()
                .enumerate()
                .filter_map(|(c, w)| {
                    w.map(|weight| Edge {
                        left: (c / n) as u32,
                        right: (c % n) as u32,
                        weight,
                    })
                })
                .collect();
            (n, edges)
        })
    })
}

/// A medium random instance: `n` mentees, `n` mentors, a planted perfect matching sometimes.
fn medium() -> impl Strategy<Value = (usize, Vec<u32>, Vec<Edge>)> {
    (
        20usize..120,
        1usize..8,
        any::<bool>(),
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(|(n, degree, planted, capacities, seed)| {
            let mut x = seed | 1;
            let mut next = move |bound: usize| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % bound as u64) as usize
            };
            let caps = (0..n)
                .map(|_| if capacities { 1 + next(3) as u32 } else { 1 })
                .collect();
            let mut edges = Vec::new();
            for i in 0..n {
                let mut rights: Vec<usize> = (0..degree).map(|_| next(n)).collect();
                if planted {
                    rights.push((i * 7 + 3) % n);
                }
                rights.sort_unstable();
                rights.dedup();
                for r in rights {
                    let weight = next(50) as i64;
                    edges.push(Edge {
                        left: i as u32,
                        right: r as u32,
                        weight,
                    });
                }
            }
            (n, caps, edges)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn square_one_to_one_matches_brute_force((n, edges) in square()) {
        let caps = vec![1; n];
        let problem = Problem::new(n, caps.clone(), &edges).unwrap();
        let solution = solve(&problem);
        prop_assert_eq!((solution.cardinality, solution.total_weight), brute_force(n, &caps, &edges));
        let mut used = vec![false; n];
        for r in solution.assignment.iter().flatten() {
            prop_assert!(!std::mem::replace(&mut used[*r as usize], true));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Both algorithms (auction with certificate, shortest paths) agree on larger instances
    /// than brute force can check.
    #[test]
    fn auction_and_shortest_paths_agree((n, caps, edges) in medium()) {
        let problem = Problem::new(n, caps, &edges).unwrap();
        let fast = solve(&problem);
        let reference = haven_match::solver::shortest_paths(&problem);
        prop_assert_eq!(
            (fast.cardinality, fast.total_weight),
            (reference.cardinality, reference.total_weight)
        );
    }
}
