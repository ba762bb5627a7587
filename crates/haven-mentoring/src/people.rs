//! A mentor or mentee leaving a programme. Their record and history stay (ended matches keep
//! their explanation and history); they take no part in later runs and cannot be paired.

use haven_domain::mentoring::Side;
use haven_domain::{ParticipantId, ProgrammeId};
use haven_store::mentoring::Withdrawal;
use haven_store::{MentoringStore, StoreError};

use crate::{Actor, MentoringError};

/// Withdraws a person of `programme`: their proposals, locks and forbids go, and each agreed,
/// introduced or active match of theirs ends with the outcome `withdrawn`. Returns how many
/// matches ended. `NotFound` unless they are the programme's; refused if already withdrawn.
pub async fn withdraw<S: MentoringStore + Sync + ?Sized>(
    store: &S,
    actor: &Actor,
    programme: ProgrammeId,
    participant: ParticipantId,
) -> Result<(Side, u32), MentoringError> {
    let row = store.participant_row(actor.tenant, participant).await?;
    if row.programme_id != programme.as_uuid() {
        return Err(StoreError::not_found("participant").into());
    }
    let side = Side::from_code(&row.side)
        .ok_or_else(|| StoreError::corrupt("participant side", &row.side))?;
    let withdrawal = Withdrawal {
        tenant: actor.tenant,
        participant,
        at: actor.now,
        actor: actor.user,
    };
    let event = actor.event(
        match side {
            Side::Mentor => "mentor_withdrawn",
            Side::Mentee => "mentee_withdrawn",
        },
        "participant",
        participant.to_string(),
    );
    let ended = store.withdraw_participant(&withdrawal, &event).await?;
    Ok((side, ended))
}
