//! The top level: hard rules filter the pairs, criteria score them, the exact solver picks the
//! matching, and every pair and every unmatched mentee gets its explanation.

use std::collections::BTreeMap;

use time::Date;

use crate::criteria::{breakdown, total};
use crate::error::MatchError;
use crate::explain::{MatchOutcome, ProposedPair, RuleCount, UnmatchedMentee, UnmatchedReason};
use crate::profile::{Mentee, Mentor, Programme};
use crate::rules::{RuleKind, first_failure};
use crate::solver::{self, Edge, Problem};
use crate::validate::{Constraints, validate};

/// Matches the mentees of `programme` with its mentors.
///
/// The result first matches as many mentees as possible and then maximises the total score,
/// exactly; locked pairs are kept, forbidden pairs never proposed and mentor capacities honoured.
/// The same input always gives the same output. `today` decides whether DBS checks are current:
/// time is a parameter, never read from the clock.
pub fn match_programme(
    programme: &Programme,
    mentors: &[Mentor],
    mentees: &[Mentee],
    constraints: &Constraints,
    today: Date,
) -> Result<MatchOutcome, MatchError> {
    let input = validate(programme, mentors, mentees, constraints, today)?;

    // Locked pairs leave the problem: their mentees are settled, their mentors have less room.
    let mut remaining: Vec<u32> = input.capacities.iter().map(|&c| u32::from(c)).collect();
    for &r in input.locked_mentor.iter().flatten() {
        remaining[r] = remaining[r].saturating_sub(1);
    }

    // Every free mentee against every mentor: the first failing rule, or an edge with its score.
    let free: Vec<usize> = (0..mentees.len())
        .filter(|&l| input.locked_mentor[l].is_none())
        .collect();
    let mut edges = Vec::new();
    let mut exclusions: Vec<BTreeMap<RuleKind, usize>> = vec![BTreeMap::new(); free.len()];
    let mut candidates: Vec<Vec<usize>> = vec![Vec::new(); free.len()];
    for (row, &l) in free.iter().enumerate() {
        for (r, mentor) in mentors.iter().enumerate() {
            let failure = first_failure(programme, mentor, &mentees[l], today).or_else(|| {
                input
                    .forbidden
                    .contains(&(r, l))
                    .then_some(RuleKind::Forbidden)
            });
            if let Some(rule) = failure {
                *exclusions[row].entry(rule).or_insert(0) += 1;
                continue;
            }
            candidates[row].push(r);
            let score = total(&breakdown(&programme.criteria, mentor, &mentees[l]));
            // Scores are bounded by the criteria's limits (validated), far below MAX_WEIGHT.
            let weight = i64::try_from(score).unwrap_or(solver::MAX_WEIGHT);
            edges.push(Edge {
                left: row as u32,
                right: r as u32,
                weight,
            });
        }
    }
    let problem = Problem::new(free.len(), remaining, &edges)?;
    let solution = solver::solve(&problem);

    let mut mentor_of: Vec<Option<(usize, bool)>> = input
        .locked_mentor
        .iter()
        .map(|m| m.map(|r| (r, true)))
        .collect();
    for (row, assigned) in solution.assignment.iter().enumerate() {
        if let Some(r) = assigned {
            mentor_of[free[row]] = Some((*r as usize, false));
        }
    }
    let row_of: BTreeMap<usize, usize> =
        free.iter().enumerate().map(|(row, &l)| (l, row)).collect();

    let mut outcome = MatchOutcome {
        pairs: Vec::new(),
        unmatched: Vec::new(),
        total_score: 0,
    };
    for (l, mentee) in mentees.iter().enumerate() {
        match mentor_of[l] {
            Some((r, locked)) => {
                let criteria = breakdown(&programme.criteria, &mentors[r], mentee);
                let score = total(&criteria);
                outcome.total_score += score;
                outcome.pairs.push(ProposedPair {
                    mentor: mentors[r].id.clone(),
                    mentee: mentee.id.clone(),
                    locked,
                    score,
                    criteria,
                });
            }
            None => {
                let row = row_of.get(&l).copied().unwrap_or_default();
                let reason = if mentors.is_empty() {
                    UnmatchedReason::NoMentors
                } else if candidates[row].is_empty() {
                    let excluded_by = exclusions[row]
                        .iter()
                        .map(|(&rule, &mentors)| RuleCount { rule, mentors })
                        .collect();
                    UnmatchedReason::NoEligibleMentor { excluded_by }
                } else {
                    let candidates = candidates[row]
                        .iter()
                        .map(|&r| mentors[r].id.clone())
                        .collect();
                    UnmatchedReason::CandidatesTaken { candidates }
                };
                outcome.unmatched.push(UnmatchedMentee {
                    mentee: mentee.id.clone(),
                    reason,
                });
            }
        }
    }
    Ok(outcome)
}
