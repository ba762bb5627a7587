//! `match_programme` on small random programmes: every hard rule holds on every output, locks
//! and forbidden pairs and capacities are honoured, reasons are true, and the optimum equals an
//! exhaustive search.

use std::collections::HashSet;

use haven_match::criteria::{breakdown, total};
use haven_match::profile::{Mentee, Mentor, Programme};
use haven_match::rules::first_failure;
use haven_match::solver::Edge;
use haven_match::{Constraints, MatchError, Pair, UnmatchedReason, match_programme};
use proptest::prelude::*;

use crate::people::{mentee, mentor, programme, today};
use crate::solver::brute_force;

#[derive(Debug)]
struct Case {
    programme: Programme,
    mentors: Vec<Mentor>,
    mentees: Vec<Mentee>,
    constraints: Constraints,
}

fn capacity(p: &Programme, m: &Mentor) -> usize {
    usize::from(m.capacity.unwrap_or(p.mentor_capacity))
}

fn eligible(c: &Case, r: usize, l: usize, forbidden: &HashSet<(usize, usize)>) -> bool {
    !forbidden.contains(&(r, l))
        && first_failure(&c.programme, &c.mentors[r], &c.mentees[l], today()).is_none()
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<u64>(),
        proptest::collection::vec(any::<u64>(), 0..=4),
        proptest::collection::vec(any::<u64>(), 0..=6),
        proptest::collection::vec((any::<u8>(), any::<u8>(), 0u8..4), 0..=8),
    )
        .prop_map(|(p, rs, ls, picks)| {
            let mut c = Case {
                programme: programme(p),
                mentors: rs.iter().enumerate().map(|(i, &s)| mentor(i, s)).collect(),
                mentees: ls.iter().enumerate().map(|(i, &s)| mentee(i, s)).collect(),
                constraints: Constraints::default(),
            };
            if c.mentors.is_empty() || c.mentees.is_empty() {
                return c;
            }
            let mut forbidden = HashSet::new();
            let mut locks = vec![0usize; c.mentors.len()];
            let mut locked_mentees = HashSet::new();
            for (a, b, kind) in picks {
                let r = usize::from(a) % c.mentors.len();
                let l = usize::from(b) % c.mentees.len();
                let pair = Pair {
                    mentor: c.mentors[r].id.clone(),
                    mentee: c.mentees[l].id.clone(),
                };
                if kind == 0 {
                    let room = locks[r] < capacity(&c.programme, &c.mentors[r]);
                    if room && !locked_mentees.contains(&l) && eligible(&c, r, l, &forbidden) {
                        locks[r] += 1;
                        locked_mentees.insert(l);
                        c.constraints.locked.push(pair);
                    }
                } else if kind == 1 && !locked_mentees.contains(&l) {
                    forbidden.insert((r, l));
                    c.constraints.forbidden.push(pair);
                }
            }
            c
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn engine_output_is_valid_and_optimal(c in case()) {
        let outcome =
            match_programme(&c.programme, &c.mentors, &c.mentees, &c.constraints, today()).unwrap();
        let r_at = |id: &_| c.mentors.iter().position(|m| &m.id == id).unwrap();
        let l_at = |id: &_| c.mentees.iter().position(|m| &m.id == id).unwrap();
        let forbidden: HashSet<(usize, usize)> =
            c.constraints.forbidden.iter().map(|p| (r_at(&p.mentor), l_at(&p.mentee))).collect();
        let locked: HashSet<(usize, usize)> =
            c.constraints.locked.iter().map(|p| (r_at(&p.mentor), l_at(&p.mentee))).collect();

        // Every pair passes every hard rule, is not forbidden, and is scored honestly.
        let mut load = vec![0usize; c.mentors.len()];
        let mut seen = HashSet::new();
        let mut free_total = 0u64;
        let mut sum = 0u64;
        for pair in &outcome.pairs {
            let (r, l) = (r_at(&pair.mentor), l_at(&pair.mentee));
            prop_assert!(eligible(&c, r, l, &forbidden), "pair {:?} breaks a rule", pair);
            prop_assert!(seen.insert(l), "mentee matched twice");
            prop_assert_eq!(pair.locked, locked.contains(&(r, l)));
            let criteria = breakdown(&c.programme.criteria, &c.mentors[r], &c.mentees[l]);
            prop_assert_eq!(pair.score, total(&criteria));
            prop_assert_eq!(&pair.criteria, &criteria);
            load[r] += 1;
            sum += pair.score;
            if !pair.locked {
                free_total += pair.score;
            }
        }
        prop_assert_eq!(sum, outcome.total_score);
        for (r, m) in c.mentors.iter().enumerate() {
            prop_assert!(load[r] <= capacity(&c.programme, m), "capacity exceeded");
        }
        // Every lock is kept.
        for &(r, l) in &locked {
            prop_assert!(outcome.pairs.iter().any(|p| r_at(&p.mentor) == r && l_at(&p.mentee) == l));
        }
        // Everyone is either paired or explained, and the explanation is true.
        prop_assert_eq!(outcome.pairs.len() + outcome.unmatched.len(), c.mentees.len());
        for u in &outcome.unmatched {
            let l = l_at(&u.mentee);
            let eligible_mentors: Vec<usize> =
                (0..c.mentors.len()).filter(|&r| eligible(&c, r, l, &forbidden)).collect();
            match &u.reason {
                UnmatchedReason::NoMentors => prop_assert!(c.mentors.is_empty()),
                UnmatchedReason::NoEligibleMentor { excluded_by } => {
                    prop_assert!(eligible_mentors.is_empty());
                    let counted: usize = excluded_by.iter().map(|x| x.mentors).sum();
                    prop_assert_eq!(counted, c.mentors.len());
                }
                UnmatchedReason::CandidatesTaken { candidates } => {
                    prop_assert_eq!(candidates.len(), eligible_mentors.len());
                    for &r in &eligible_mentors {
                        prop_assert_eq!(load[r], capacity(&c.programme, &c.mentors[r]));
                    }
                }
            }
        }
        // The optimum: exhaustive search over the free mentees and the mentors' spare room.
        let free: Vec<usize> = (0..c.mentees.len())
            .filter(|l| !locked.iter().any(|&(_, x)| x == *l))
            .collect();
        let mut edges = Vec::new();
        for (row, &l) in free.iter().enumerate() {
            for r in 0..c.mentors.len() {
                if eligible(&c, r, l, &forbidden) {
                    let score = total(&breakdown(&c.programme.criteria, &c.mentors[r], &c.mentees[l]));
                    edges.push(Edge { left: row as u32, right: r as u32, weight: score as i64 });
                }
            }
        }
        let spare: Vec<u32> = c.mentors.iter().enumerate().map(|(r, m)| {
            (capacity(&c.programme, m) - locked.iter().filter(|&&(x, _)| x == r).count()) as u32
        }).collect();
        let (count, weight) = brute_force(free.len(), &spare, &edges);
        prop_assert_eq!(outcome.pairs.len() - locked.len(), count);
        prop_assert_eq!(free_total as i64, weight);
        // Deterministic.
        let again =
            match_programme(&c.programme, &c.mentors, &c.mentees, &c.constraints, today()).unwrap();
        prop_assert_eq!(again, outcome);
    }
}

fn small_case() -> Case {
    let mut p = programme(7);
    p.rules.clear();
    p.mentor_capacity = 1;
    let mut mentees: Vec<Mentee> = (0..2).map(|i| mentee(i, i as u64 + 100)).collect();
    for m in &mut mentees {
        m.at_risk = false;
        m.age_band = haven_match::profile::AgeBand::From25To34;
    }
    Case {
        programme: p,
        mentors: (0..2).map(|i| mentor(i, i as u64)).collect(),
        mentees,
        constraints: Constraints::default(),
    }
}

fn run(c: &Case) -> Result<haven_match::MatchOutcome, MatchError> {
    match_programme(
        &c.programme,
        &c.mentors,
        &c.mentees,
        &c.constraints,
        today(),
    )
}

fn pair(r: &str, l: &str) -> Pair {
    Pair {
        mentor: haven_match::profile::MentorId(r.into()),
        mentee: haven_match::profile::MenteeId(l.into()),
    }
}

#[test]
fn bad_capacities_are_refused() {
    let mut c = small_case();
    c.programme.mentor_capacity = 4;
    assert!(matches!(
        run(&c),
        Err(MatchError::ProgrammeCapacity { capacity: 4 })
    ));
    c.programme.mentor_capacity = 1;
    c.mentors[1].capacity = Some(0);
    assert!(matches!(
        run(&c),
        Err(MatchError::MentorCapacity { capacity: 0, .. })
    ));
}

#[test]
fn unknown_ids_in_constraints_are_refused() {
    let mut c = small_case();
    c.constraints.locked.push(pair("nobody", "e0"));
    assert!(matches!(
        run(&c),
        Err(MatchError::UnknownMentor {
            list: "locked",
            index: 0,
            ..
        })
    ));
    c.constraints.locked.clear();
    c.constraints.forbidden.push(pair("r0", "nobody"));
    assert!(matches!(
        run(&c),
        Err(MatchError::UnknownMentee {
            list: "forbidden",
            ..
        })
    ));
}

#[test]
fn locks_over_capacity_are_refused() {
    let mut c = small_case();
    c.constraints.locked = vec![pair("r0", "e0"), pair("r0", "e1")];
    assert!(matches!(
        run(&c),
        Err(MatchError::LocksExceedCapacity { locked: 2, .. })
    ));
}

#[test]
fn mentee_locked_twice_or_locked_and_forbidden_is_refused() {
    let mut c = small_case();
    c.constraints.locked = vec![pair("r0", "e0"), pair("r1", "e0")];
    assert!(matches!(run(&c), Err(MatchError::MenteeLockedTwice { .. })));
    c.constraints.locked = vec![pair("r0", "e0")];
    c.constraints.forbidden = vec![pair("r0", "e0")];
    assert!(matches!(
        run(&c),
        Err(MatchError::LockedAndForbidden { .. })
    ));
}

#[test]
fn lock_breaking_safeguarding_is_refused() {
    let mut c = small_case();
    c.mentees[0].at_risk = true;
    c.mentors[0].dbs = None;
    c.constraints.locked = vec![pair("r0", "e0")];
    assert!(matches!(
        run(&c),
        Err(MatchError::LockedPairBreaksRule {
            rule: haven_match::rules::RuleKind::Safeguarding,
            ..
        })
    ));
}

#[test]
fn outcome_round_trips_through_json() {
    let c = small_case();
    let outcome = run(&c).unwrap();
    let json = serde_json::to_string(&outcome).unwrap();
    assert_eq!(
        serde_json::from_str::<haven_match::MatchOutcome>(&json).unwrap(),
        outcome
    );
    let json = serde_json::to_string(&c.mentors).unwrap();
    assert_eq!(
        serde_json::from_str::<Vec<Mentor>>(&json).unwrap(),
        c.mentors
    );
}
