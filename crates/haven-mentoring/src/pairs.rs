//! A coordinator's decisions about single pairs: picking one by hand, locking, forbidding, and
//! moving a match through its lifecycle. Each checks the hard rules where a person's safety
//! depends on them.

use haven_domain::mentoring::{
    ConstraintKind, Ending, Match, MatchStatus, MenteeProfile, MentorProfile, PairConstraint,
    StatusChange,
};
use haven_domain::{MatchId, ParticipantId, ProgrammeId};
use haven_match::criteria::{breakdown, total};
use haven_match::rules::{RuleKind, first_failure};
use haven_store::mentoring::Advance;
use haven_store::{MentoringStore, MentoringStoreExt, StoreError};

use crate::run::Snapshot;
use crate::{Actor, MentoringError};

fn find<'a, T>(
    items: &'a [T],
    id: ParticipantId,
    key: impl Fn(&T) -> ParticipantId,
    what: &'static str,
) -> Result<&'a T, StoreError> {
    items
        .iter()
        .find(|x| key(x) == id)
        .ok_or_else(|| StoreError::not_found(what))
}

/// The first hard rule the pair fails today, forbids included; else both of them.
fn check_rules<'a>(
    snapshot: &'a Snapshot,
    actor: &Actor,
    mentor: ParticipantId,
    mentee: ParticipantId,
) -> Result<(&'a MentorProfile, &'a MenteeProfile), MentoringError> {
    let r = find(&snapshot.mentors, mentor, |m| m.id, "mentor")?;
    let e = find(&snapshot.mentees, mentee, |m| m.id, "mentee")?;
    if !r.is_active() || !e.is_active() {
        return Err(MentoringError::Withdrawn);
    }
    if let Some(rule) = first_failure(
        &snapshot.programme.settings,
        &r.profile,
        &e.profile,
        actor.now.date(),
    ) {
        return Err(MentoringError::RuleFails(rule));
    }
    let forbidden = snapshot
        .constraints
        .iter()
        .any(|c| c.kind == ConstraintKind::Forbid && c.mentor == mentor && c.mentee == mentee);
    if forbidden {
        return Err(MentoringError::RuleFails(RuleKind::Forbidden));
    }
    Ok((r, e))
}

/// Proposes a pair the coordinator picked, and locks it so re-runs keep it. Refused with the
/// failing rule, when the mentor is full, or when the mentee already has an agreed match.
pub async fn propose_by_hand<S: MentoringStore + Sync + ?Sized>(
    store: &S,
    actor: &Actor,
    programme: ProgrammeId,
    mentor: ParticipantId,
    mentee: ParticipantId,
) -> Result<Match, MentoringError> {
    let snapshot = Snapshot::load(store, actor, programme).await?;
    let (r, e) = check_rules(&snapshot, actor, mentor, mentee)?;
    if snapshot
        .matches
        .iter()
        .any(|m| m.mentee == mentee && m.status.is_settled())
    {
        return Err(MentoringError::MenteeSettled);
    }
    let capacity = snapshot.capacity(r);
    let taken = snapshot
        .matches
        .iter()
        .filter(|m| m.status != MatchStatus::Ended)
        .filter(|m| m.mentor == mentor && m.mentee != mentee)
        .count();
    if taken >= usize::from(capacity) {
        return Err(MentoringError::MentorFull { capacity });
    }
    let criteria = breakdown(
        &snapshot.programme.settings.criteria,
        &r.profile,
        &e.profile,
    );
    let m = Match {
        id: MatchId::new_random(),
        tenant: actor.tenant,
        programme,
        mentor,
        mentee,
        status: MatchStatus::Proposed,
        score: total(&criteria),
        criteria,
        history: vec![StatusChange {
            status: MatchStatus::Proposed,
            at: actor.now,
            actor: actor.user,
        }],
        ending: None,
    };
    // Proposed and locked (so re-runs keep it) in one transaction.
    store
        .propose_by_hand(
            &m,
            &actor.event("match_proposed", "match", m.id.to_string()),
        )
        .await?;
    Ok(m)
}

/// `Withdrawn` if either has left the programme (a lock or forbid would mean nothing).
async fn both_taking_part<S: MentoringStore + Sync + ?Sized>(
    store: &S,
    actor: &Actor,
    mentor: ParticipantId,
    mentee: ParticipantId,
) -> Result<(), MentoringError> {
    let r = store.mentor(actor.tenant, mentor).await?;
    let e = store.mentee(actor.tenant, mentee).await?;
    if r.is_active() && e.is_active() {
        Ok(())
    } else {
        Err(MentoringError::Withdrawn)
    }
}

/// Locks a pair so every run keeps it ([`ConstraintKind::Lock`]; a mentee has one lock at most,
/// so the store releases an older lock of the same mentee in the same transaction), or forbids
/// it ([`ConstraintKind::Forbid`]: never proposed again; its proposal, if any, goes).
pub async fn constrain<S: MentoringStore + Sync + ?Sized>(
    store: &S,
    actor: &Actor,
    programme: ProgrammeId,
    mentor: ParticipantId,
    mentee: ParticipantId,
    kind: ConstraintKind,
) -> Result<(), MentoringError> {
    both_taking_part(store, actor, mentor, mentee).await?;
    let constraint = PairConstraint {
        programme,
        mentor,
        mentee,
        kind,
    };
    let action = match kind {
        ConstraintKind::Lock => "pair_locked",
        ConstraintKind::Forbid => "pair_forbidden",
    };
    let event = actor.event(action, "participant", mentee.to_string());
    Ok(store
        .set_constraint(actor.tenant, &constraint, &event)
        .await?)
}

/// Removes a lock or forbid.
pub async fn release<S: MentoringStore + Sync + ?Sized>(
    store: &S,
    actor: &Actor,
    programme: ProgrammeId,
    mentor: ParticipantId,
    mentee: ParticipantId,
) -> Result<(), MentoringError> {
    let event = actor.event("pair_released", "participant", mentee.to_string());
    Ok(store
        .remove_constraint(actor.tenant, programme, mentor, mentee, &event)
        .await?)
}

/// Moves a match one step on. Agreeing, introducing and starting re-check the hard rules
/// (a DBS check may have lapsed since the proposal); ending needs the outcome and feedback.
pub async fn advance<S: MentoringStore + Sync + ?Sized>(
    store: &S,
    actor: &Actor,
    id: MatchId,
    to: MatchStatus,
    ending: Option<&Ending>,
) -> Result<Match, MentoringError> {
    let m = store.get_match(actor.tenant, id).await?;
    m.status.check_transition(to)?;
    if to != MatchStatus::Ended {
        let snapshot = Snapshot::load(store, actor, m.programme).await?;
        let (r, _) = check_rules(&snapshot, actor, m.mentor, m.mentee)?;
        if to == MatchStatus::Agreed {
            // The capacity may have been lowered since the proposal: agreeing must not put
            // the mentor over it (proposals do not count; only settled matches do).
            let capacity = snapshot.capacity(r);
            let settled = snapshot
                .matches
                .iter()
                .filter(|o| o.id != m.id && o.mentor == m.mentor && o.status.is_settled())
                .count();
            if settled >= usize::from(capacity) {
                return Err(MentoringError::MentorFull { capacity });
            }
        }
    }
    let action = match to {
        MatchStatus::Proposed => "match_proposed",
        MatchStatus::Agreed => "match_agreed",
        MatchStatus::Introduced => "match_introduced",
        MatchStatus::Active => "match_activated",
        MatchStatus::Ended => "match_ended",
    };
    let step = Advance {
        tenant: actor.tenant,
        id,
        to,
        at: actor.now,
        actor: actor.user,
        ending,
    };
    store
        .advance_match(&step, &actor.event(action, "match", id.to_string()))
        .await?;
    Ok(store.get_match(actor.tenant, id).await?)
}
