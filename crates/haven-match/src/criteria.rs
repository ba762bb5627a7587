//! Weighted criteria: each scores a pair from 0 to [`FULL_POINTS`]; a pair's score is the sum of
//! points times weight. Everything is an integer so the optimum is exact and reproducible.

use serde::{Deserialize, Serialize};

use crate::profile::{LanguageLevel, Mentee, Mentor};
use crate::rules::{best_shared_level, in_person_distance, shared_slots};

/// Points a criterion gives a perfect fit.
pub const FULL_POINTS: u32 = 100;

/// Largest weight a programme may give a criterion. With [`FULL_POINTS`] and a handful of
/// criteria, pair scores stay in the millions: far inside the solver's limits.
pub const MAX_CRITERION_WEIGHT: u32 = 1000;

/// Shared availability slots that earn full points; fewer earn a proportional share.
const SLOTS_FOR_FULL_POINTS: usize = 3;

/// Something that makes a pair better, scored from 0 to [`FULL_POINTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// The best level at which they share a language: basic 25, conversational 50, fluent 75,
    /// native 100; no shared language 0.
    Language,
    /// Share of the mentee's goals the mentor can help with.
    Goals,
    /// Shared weekly slots, full points from three.
    Availability,
    /// For two in-person people within reach: the closer, the better (full points at the same
    /// place, none at the edge of their combined travel range). Otherwise 0.
    Proximity,
    /// Same age band 100, adjacent band 50, otherwise 0.
    AgeBand,
    /// Same gender 100, otherwise 0 (some programmes value this; it is not a hard rule here).
    SameGender,
}

/// A criterion and how much it counts in a programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightedCriterion {
    /// The criterion.
    pub criterion: Criterion,
    /// Its weight, `0..=MAX_CRITERION_WEIGHT`.
    pub weight: u32,
}

/// How one criterion scored one pair: part of a pair's explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionScore {
    /// The criterion.
    pub criterion: Criterion,
    /// Points out of [`FULL_POINTS`].
    pub points: u32,
    /// The programme's weight for it.
    pub weight: u32,
    /// `points * weight`: this criterion's share of the pair's score.
    pub score: u64,
}

impl CriterionScore {
    /// Whether the criterion counted in the pair's favour at all.
    pub fn matched(&self) -> bool {
        self.points > 0
    }
}

/// Scores every weighted criterion of the programme for one pair, in the programme's order.
pub fn breakdown(
    criteria: &[WeightedCriterion],
    mentor: &Mentor,
    mentee: &Mentee,
) -> Vec<CriterionScore> {
    criteria
        .iter()
        .map(|wc| {
            let points = points(wc.criterion, mentor, mentee);
            CriterionScore {
                criterion: wc.criterion,
                points,
                weight: wc.weight,
                score: u64::from(points) * u64::from(wc.weight),
            }
        })
        .collect()
}

/// Total score of a breakdown.
pub fn total(scores: &[CriterionScore]) -> u64 {
    scores.iter().map(|s| s.score).sum()
}

/// Points, `0..=FULL_POINTS`, that `criterion` gives the pair.
pub fn points(criterion: Criterion, mentor: &Mentor, mentee: &Mentee) -> u32 {
    match criterion {
        Criterion::Language => match best_shared_level(mentor, mentee) {
            None => 0,
            Some(LanguageLevel::Basic) => 25,
            Some(LanguageLevel::Conversational) => 50,
            Some(LanguageLevel::Fluent) => 75,
            Some(LanguageLevel::Native) => 100,
        },
        Criterion::Goals => {
            let covered = mentee
                .goals
                .iter()
                .filter(|g| mentor.skills.contains(g))
                .count();
            share(covered, mentee.goals.len())
        }
        Criterion::Availability => share(
            shared_slots(mentor, mentee).min(SLOTS_FOR_FULL_POINTS),
            SLOTS_FOR_FULL_POINTS,
        ),
        Criterion::Proximity => proximity(mentor, mentee),
        Criterion::AgeBand => {
            match (mentor.age_band as i32 - mentee.age_band as i32).unsigned_abs() {
                0 => FULL_POINTS,
                1 => FULL_POINTS / 2,
                _ => 0,
            }
        }
        Criterion::SameGender => {
            if mentor.gender == mentee.gender {
                FULL_POINTS
            } else {
                0
            }
        }
    }
}

/// `FULL_POINTS * part / whole`, rounded down; 0 when `whole` is 0.
fn share(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 0;
    }
    let points = (FULL_POINTS as usize * part.min(whole)) / whole;
    u32::try_from(points).unwrap_or(FULL_POINTS)
}

fn proximity(mentor: &Mentor, mentee: &Mentee) -> u32 {
    use crate::profile::Meeting::InPerson;
    let (
        InPerson {
            max_travel_km: a, ..
        },
        InPerson {
            max_travel_km: b, ..
        },
    ) = (&mentor.meeting, &mentee.meeting)
    else {
        return 0;
    };
    let reach = f64::from(*a) + f64::from(*b);
    match in_person_distance(&mentor.meeting, &mentee.meeting) {
        Some(distance) if reach > 0.0 => {
            // Rounded to whole points so tiny floating-point differences cannot reorder pairs.
            let closeness = (1.0 - distance / reach).clamp(0.0, 1.0);
            (closeness * f64::from(FULL_POINTS)).round() as u32
        }
        Some(_) => FULL_POINTS, // Both travel 0 km and live at the same place.
        None => 0,
    }
}
