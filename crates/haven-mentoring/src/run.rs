//! Running matching for a programme: load it, turn the organisation's decisions into the
//! engine's constraints, match, and store the new proposals in place of the old ones.

use std::collections::HashSet;

use haven_domain::mentoring::{
    ConstraintKind, Match, MatchStatus, MenteeProfile, MentorProfile, PairConstraint, Programme,
    StatusChange,
};
use haven_domain::{MatchId, ParticipantId, ProgrammeId};
use haven_match::profile::{MenteeId, MentorId};
use haven_match::{Constraints, MatchOutcome, Pair, UnmatchedMentee, match_programme};
use haven_store::{MentoringStore, MentoringStoreExt, StoreError};

use crate::{Actor, MentoringError};

/// Everything one matching decision reads.
#[derive(Debug)]
pub struct Snapshot {
    pub programme: Programme,
    pub mentors: Vec<MentorProfile>,
    pub mentees: Vec<MenteeProfile>,
    pub matches: Vec<Match>,
    pub constraints: Vec<PairConstraint>,
}

impl Snapshot {
    /// Loads a programme of the actor's organisation; `NotFound` for anyone else's.
    pub async fn load<S: MentoringStore + Sync + ?Sized>(
        store: &S,
        actor: &Actor,
        programme: ProgrammeId,
    ) -> Result<Self, StoreError> {
        let t = actor.tenant;
        Ok(Self {
            programme: store.programme(t, programme).await?,
            mentors: store.mentors(t, programme).await?,
            mentees: store.mentees(t, programme).await?,
            matches: store.matches(t, programme).await?,
            constraints: store.constraints(t, programme).await?,
        })
    }

    /// How many mentees `mentor` takes: their own capacity, else the programme's.
    pub fn capacity(&self, mentor: &MentorProfile) -> u8 {
        mentor
            .profile
            .capacity
            .unwrap_or(self.programme.settings.mentor_capacity)
    }

    /// Mentees whose match is agreed or further along: a run must keep them.
    fn settled_mentees(&self) -> HashSet<ParticipantId> {
        self.matches
            .iter()
            .filter(|m| m.status.is_settled())
            .map(|m| m.mentee)
            .collect()
    }

    /// The engine's constraints: settled matches and locks are kept, forbids never proposed.
    /// With `keep_proposals`, open proposals are kept too (to explain the current state).
    fn constraints(&self, keep_proposals: bool) -> Constraints {
        let pair = |mentor: ParticipantId, mentee: ParticipantId| Pair {
            mentor: MentorId(mentor.to_string()),
            mentee: MenteeId(mentee.to_string()),
        };
        let mut kept: HashSet<ParticipantId> = HashSet::new();
        let mut locked = Vec::new();
        let open = self.matches.iter().filter(|m| {
            m.status.is_settled() || keep_proposals && m.status == MatchStatus::Proposed
        });
        for m in open {
            if kept.insert(m.mentee) {
                locked.push(pair(m.mentor, m.mentee));
            }
        }
        let mut forbidden = Vec::new();
        for c in &self.constraints {
            match c.kind {
                // A lock on a mentee who is settled with someone else has been overtaken.
                ConstraintKind::Lock if kept.insert(c.mentee) => {
                    locked.push(pair(c.mentor, c.mentee));
                }
                ConstraintKind::Lock => {}
                ConstraintKind::Forbid => forbidden.push(pair(c.mentor, c.mentee)),
            }
        }
        Constraints { locked, forbidden }
    }

    fn engine(&self, keep_proposals: bool, actor: &Actor) -> Result<MatchOutcome, MentoringError> {
        // People who withdrew keep their history but take no part in matching.
        let mentors: Vec<_> = self
            .mentors
            .iter()
            .filter(|m| m.is_active())
            .map(|m| m.profile.clone())
            .collect();
        let mentees: Vec<_> = self
            .mentees
            .iter()
            .filter(|m| m.is_active())
            .map(|m| m.profile.clone())
            .collect();
        Ok(match_programme(
            &self.programme.settings,
            &mentors,
            &mentees,
            &self.constraints(keep_proposals),
            actor.now.date(),
        )?)
    }
}

fn participant(raw: &str) -> Result<ParticipantId, StoreError> {
    raw.parse()
        .map_err(|e| StoreError::corrupt("participant id in a profile", e))
}

/// Runs matching for a programme and stores the proposals, replacing earlier ones. Agreed,
/// introduced and active pairs are kept as they are; locked pairs are proposed again; forbidden
/// pairs are never proposed. Returns the engine's outcome, with its explanations.
pub async fn run_matching<S: MentoringStore + Sync + ?Sized>(
    store: &S,
    actor: &Actor,
    programme: ProgrammeId,
) -> Result<MatchOutcome, MentoringError> {
    let snapshot = Snapshot::load(store, actor, programme).await?;
    let outcome = snapshot.engine(false, actor)?;
    let settled = snapshot.settled_mentees();
    let mut proposals = Vec::new();
    for pair in &outcome.pairs {
        let mentee = participant(&pair.mentee.0)?;
        if settled.contains(&mentee) {
            continue;
        }
        proposals.push(Match {
            id: MatchId::new_random(),
            tenant: actor.tenant,
            programme,
            mentor: participant(&pair.mentor.0)?,
            mentee,
            status: MatchStatus::Proposed,
            score: pair.score,
            criteria: pair.criteria.clone(),
            history: vec![StatusChange {
                status: MatchStatus::Proposed,
                at: actor.now,
                actor: actor.user,
            }],
            ending: None,
        });
    }
    let event = actor.event("matching_run", "programme", programme.to_string());
    store
        .store_proposals(actor.tenant, programme, &proposals, &event)
        .await?;
    Ok(outcome)
}

/// Why each mentee without an open match has none, as things stand now: the engine is asked
/// again with every open match kept, so the reasons describe the stored state, not a new run.
pub fn unmatched_now(
    snapshot: &Snapshot,
    actor: &Actor,
) -> Result<Vec<UnmatchedMentee>, MentoringError> {
    Ok(snapshot.engine(true, actor)?.unmatched)
}
