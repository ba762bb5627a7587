//! Validation at the edge: turns ids into positions and refuses inconsistent input before any
//! matching happens, so the engine itself never meets a bad value.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::criteria::MAX_CRITERION_WEIGHT;
use crate::error::MatchError;
use crate::profile::{Mentee, MenteeId, Mentor, MentorId, Programme};
use crate::rules::first_failure;

/// Decisions the organisation has already made about pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraints {
    /// Pairs that must stay: agreed pairs carried over from earlier runs.
    pub locked: Vec<Pair>,
    /// Pairs that must never be proposed.
    pub forbidden: Vec<Pair>,
}

/// A mentor and a mentee, by id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Pair {
    /// The mentor.
    pub mentor: MentorId,
    /// The mentee.
    pub mentee: MenteeId,
}

/// The input, checked and indexed by position.
#[derive(Debug)]
pub(crate) struct Validated {
    /// Capacity of each mentor, by position.
    pub capacities: Vec<u8>,
    /// Locked mentor of each mentee, by position.
    pub locked_mentor: Vec<Option<usize>>,
    /// Forbidden `(mentor, mentee)` positions.
    pub forbidden: std::collections::HashSet<(usize, usize)>,
}

/// Checks capacities, weights, ids and locks; see [`MatchError`] for everything refused.
pub(crate) fn validate(
    programme: &Programme,
    mentors: &[Mentor],
    mentees: &[Mentee],
    constraints: &Constraints,
    today: Date,
) -> Result<Validated, MatchError> {
    if !(1..=3).contains(&programme.mentor_capacity) {
        return Err(MatchError::ProgrammeCapacity {
            capacity: programme.mentor_capacity,
        });
    }
    for (index, wc) in programme.criteria.iter().enumerate() {
        if wc.weight > MAX_CRITERION_WEIGHT {
            let max = MAX_CRITERION_WEIGHT;
            return Err(MatchError::CriterionWeight {
                index,
                weight: wc.weight,
                max,
            });
        }
    }
    let mut capacities = Vec::with_capacity(mentors.len());
    for mentor in mentors {
        let capacity = mentor.capacity.unwrap_or(programme.mentor_capacity);
        if !(1..=3).contains(&capacity) {
            return Err(MatchError::MentorCapacity {
                mentor: mentor.id.clone(),
                capacity,
            });
        }
        capacities.push(capacity);
    }
    let mentor_at = index_of(mentors.iter().map(|m| &m.id), MatchError::DuplicateMentor)?;
    let mentee_at = index_of(mentees.iter().map(|m| &m.id), MatchError::DuplicateMentee)?;
    let resolve = |list: &'static str, index: usize, pair: &Pair| {
        let mentor = *mentor_at
            .get(&pair.mentor)
            .ok_or_else(|| MatchError::UnknownMentor {
                list,
                index,
                mentor: pair.mentor.clone(),
            })?;
        let mentee = *mentee_at
            .get(&pair.mentee)
            .ok_or_else(|| MatchError::UnknownMentee {
                list,
                index,
                mentee: pair.mentee.clone(),
            })?;
        Ok::<_, MatchError>((mentor, mentee))
    };

    let mut forbidden = std::collections::HashSet::new();
    for (index, pair) in constraints.forbidden.iter().enumerate() {
        forbidden.insert(resolve("forbidden", index, pair)?);
    }
    let mut locked_mentor: Vec<Option<usize>> = vec![None; mentees.len()];
    let mut locks_per_mentor = vec![0usize; mentors.len()];
    for (index, pair) in constraints.locked.iter().enumerate() {
        let (r, l) = resolve("locked", index, pair)?;
        if let Some(first) = locked_mentor[l] {
            if first == r {
                continue; // The same lock twice says nothing new.
            }
            return Err(MatchError::MenteeLockedTwice {
                mentee: pair.mentee.clone(),
                first: mentors[first].id.clone(),
                second: pair.mentor.clone(),
            });
        }
        if forbidden.contains(&(r, l)) {
            return Err(MatchError::LockedAndForbidden {
                mentor: pair.mentor.clone(),
                mentee: pair.mentee.clone(),
            });
        }
        if let Some(rule) = first_failure(programme, &mentors[r], &mentees[l], today) {
            return Err(MatchError::LockedPairBreaksRule {
                mentor: pair.mentor.clone(),
                mentee: pair.mentee.clone(),
                rule,
            });
        }
        locked_mentor[l] = Some(r);
        locks_per_mentor[r] += 1;
    }
    for (r, &locked) in locks_per_mentor.iter().enumerate() {
        if locked > usize::from(capacities[r]) {
            let mentor = mentors[r].id.clone();
            return Err(MatchError::LocksExceedCapacity {
                mentor,
                locked,
                capacity: capacities[r],
            });
        }
    }
    Ok(Validated {
        capacities,
        locked_mentor,
        forbidden,
    })
}

fn index_of<'a, Id: Clone + Eq + std::hash::Hash + 'a>(
    ids: impl Iterator<Item = &'a Id>,
    duplicate: impl Fn(Id) -> MatchError,
) -> Result<HashMap<Id, usize>, MatchError> {
    let mut at = HashMap::new();
    for (position, id) in ids.enumerate() {
        if at.insert(id.clone(), position).is_some() {
            return Err(duplicate(id.clone()));
        }
    }
    Ok(at)
}
