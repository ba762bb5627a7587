//! Mentoring programmes, their mentors and mentees, matches with their status history, locked and
//! forbidden pairs, and DBS reminders already sent.
//!
//! Every method takes the organisation (tenant) and filters by it inside the query, so asking for
//! another organisation's record answers `NotFound`, exactly as if it did not exist.
//!
//! Backends store and return plain rows ([`ParticipantRow`], [`MatchRow`]); the typed methods of
//! [`MentoringStoreExt`] convert them here, once, so both backends read stored values the same way.

use async_trait::async_trait;
use haven_domain::accounts::{AuditEvent, Email};
use haven_domain::mentoring::{
    ConstraintKind, Ending, LastRun, MAX_FEEDBACK_CHARS, MAX_NAME_CHARS, Match, MatchStatus,
    MenteeProfile, MentorProfile, Outcome, PairConstraint, Participant, Programme, Side,
    StatusChange,
};
use haven_domain::{MatchId, ParticipantId, ProgrammeId, TenantId, Text, UserId};
use haven_match::profile::{Mentee, MenteeId, Mentor, MentorId};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::StoreError;

/// A `mentoring_programmes` row.
#[derive(Debug, Clone)]
pub struct ProgrammeRow {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    /// The engine's programme settings as JSON.
    pub settings: String,
    pub created_at: OffsetDateTime,
    /// Written by `update_programme`.
    pub settings_changed_at: Option<OffsetDateTime>,
    /// Written by `replace_proposals` (read only otherwise): the run's time and the number of
    /// mentors and mentees (withdrawn included) the programme had then.
    pub last_run_at: Option<OffsetDateTime>,
    pub last_run_mentors: Option<i64>,
    pub last_run_mentees: Option<i64>,
}

/// A `mentoring_participants` row: a mentor or a mentee.
#[derive(Debug, Clone)]
pub struct ParticipantRow {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub programme_id: Uuid,
    /// `mentor` or `mentee`.
    pub side: String,
    pub name: String,
    pub email: Option<String>,
    pub user_id: Option<Uuid>,
    /// The engine's profile as JSON.
    pub profile: String,
    /// The place name given for the profile's meeting point.
    pub place: Option<String>,
    /// When they withdrew; `None` while taking part. Set only by
    /// [`MentoringStore::withdraw_participant`].
    pub withdrawn_at: Option<OffsetDateTime>,
}

/// A `mentoring_matches` row with its `mentoring_match_events`, oldest first.
#[derive(Debug, Clone)]
pub struct MatchRow {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub programme_id: Uuid,
    pub mentor_id: Uuid,
    pub mentee_id: Uuid,
    pub status: String,
    pub score: i64,
    /// The criteria breakdown as JSON.
    pub criteria: String,
    pub outcome: Option<String>,
    pub mentor_feedback: Option<String>,
    pub mentee_feedback: Option<String>,
    pub events: Vec<MatchEventRow>,
}

/// A `mentoring_match_events` row.
#[derive(Debug, Clone)]
pub struct MatchEventRow {
    pub status: String,
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
}

/// A status change for [`MentoringStore::advance_match`].
#[derive(Debug, Clone)]
pub struct Advance<'a> {
    pub tenant: TenantId,
    pub id: MatchId,
    pub to: MatchStatus,
    pub at: OffsetDateTime,
    pub actor: Option<UserId>,
    /// Required when, and only when, `to` is `Ended`.
    pub ending: Option<&'a Ending>,
}

/// A person leaving a programme, for [`MentoringStore::withdraw_participant`].
#[derive(Debug, Clone, Copy)]
pub struct Withdrawal {
    pub tenant: TenantId,
    pub participant: ParticipantId,
    pub at: OffsetDateTime,
    pub actor: Option<UserId>,
}

/// Storage for mentoring. Rows in, rows out; see [`MentoringStoreExt`] for the typed methods.
#[async_trait]
pub trait MentoringStore {
    /// Stores a new programme with its audit event; `Conflict` if the id exists.
    async fn insert_programme(
        &self,
        row: &ProgrammeRow,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// Replaces a programme's name, settings and `settings_changed_at`; `NotFound` unless it is
    /// the tenant's.
    async fn update_programme(
        &self,
        row: &ProgrammeRow,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// The tenant's programmes, by name.
    async fn programme_rows(&self, tenant: TenantId) -> Result<Vec<ProgrammeRow>, StoreError>;
    /// One of the tenant's programmes; `NotFound` otherwise.
    async fn programme_row(
        &self,
        tenant: TenantId,
        id: ProgrammeId,
    ) -> Result<ProgrammeRow, StoreError>;
    /// Every organisation's programmes: only for site-wide jobs (DBS reminders).
    async fn all_programme_rows(&self) -> Result<Vec<ProgrammeRow>, StoreError>;

    /// Adds participants, all in one transaction with the audit event: every row or none.
    /// `NotFound` if a row's programme is not the tenant's (or its user does not exist).
    async fn insert_participants(
        &self,
        tenant: TenantId,
        rows: &[ParticipantRow],
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// Replaces a participant's name, e-mail, account and profile; `NotFound` unless the
    /// tenant's (side and programme never change).
    async fn update_participant(
        &self,
        row: &ParticipantRow,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// A programme's mentors or mentees, by name.
    async fn participant_rows(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
        side: Side,
    ) -> Result<Vec<ParticipantRow>, StoreError>;
    /// One of the tenant's participants; `NotFound` otherwise.
    async fn participant_row(
        &self,
        tenant: TenantId,
        id: ParticipantId,
    ) -> Result<ParticipantRow, StoreError>;
    /// The tenant's participants linked to `user`, in any programme.
    async fn participant_rows_of_user(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<Vec<ParticipantRow>, StoreError>;

    /// Replaces the programme's proposed matches by `rows` in one transaction with the audit
    /// event; agreed, introduced, active and ended matches stay. Records the run on the
    /// programme: the audit event's time, and how many mentors and mentees it has. `NotFound`
    /// unless the programme is the tenant's; `Conflict` if a mentee would have two open matches.
    async fn replace_proposals(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
        rows: &[MatchRow],
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// Adds one proposed match chosen by hand, replacing any other proposal for its mentee,
    /// and locks the pair (releasing the mentee's other lock) in the same transaction.
    /// `NotFound` unless the mentor and mentee are the programme's and the tenant's;
    /// `Conflict` if the mentee already has a settled match.
    async fn insert_proposal(
        &self,
        tenant: TenantId,
        row: &MatchRow,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// A programme's matches, ended ones included.
    async fn match_rows(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
    ) -> Result<Vec<MatchRow>, StoreError>;
    /// One of the tenant's matches; `NotFound` otherwise.
    async fn match_row(&self, tenant: TenantId, id: MatchId) -> Result<MatchRow, StoreError>;
    /// Matches naming this participant on either side.
    async fn match_rows_of_participant(
        &self,
        tenant: TenantId,
        participant: ParticipantId,
    ) -> Result<Vec<MatchRow>, StoreError>;
    /// Withdraws a mentor or mentee, in one transaction with the audit event: marks them
    /// withdrawn, drops proposals and locked or forbidden pairs naming them, and ends each of
    /// their agreed, introduced or active matches with the outcome `withdrawn` and a history
    /// entry. Returns how many matches it ended. `NotFound` unless the tenant's; `Refused` if
    /// they have already withdrawn.
    async fn withdraw_participant(
        &self,
        withdrawal: &Withdrawal,
        audit: &AuditEvent,
    ) -> Result<u32, StoreError>;
    /// Moves a match to a new status, with its history entry and audit event, in one
    /// transaction. `NotFound` unless the tenant's; `Refused` for a move the lifecycle does not
    /// allow, or for an ending given (or missing) wrongly.
    async fn advance_match(
        &self,
        advance: &Advance<'_>,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;

    /// Locks or forbids a pair (replacing the other kind for that pair). Locking releases the
    /// mentee's lock with another mentor (one lock per mentee). Forbidding drops a proposal for
    /// the pair; forbidding a settled pair is `Refused`. `NotFound` unless both people are the
    /// programme's and the tenant's; then nothing changes.
    async fn set_constraint(
        &self,
        tenant: TenantId,
        constraint: &PairConstraint,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// Removes a lock or forbid; `NotFound` if there is none.
    async fn remove_constraint(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
        mentor: ParticipantId,
        mentee: ParticipantId,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// A programme's locked and forbidden pairs.
    async fn constraints(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
    ) -> Result<Vec<PairConstraint>, StoreError>;

    /// Records that coordinators were reminded `threshold_days` before `last_day` about this
    /// mentor's check. Returns false if that reminder had already been recorded.
    async fn record_dbs_reminder(
        &self,
        tenant: TenantId,
        mentor: ParticipantId,
        threshold_days: u32,
        last_day: Date,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError>;
    /// Whether that reminder was recorded.
    async fn dbs_reminder_sent(
        &self,
        tenant: TenantId,
        mentor: ParticipantId,
        threshold_days: u32,
        last_day: Date,
    ) -> Result<bool, StoreError>;
}

/// Typed access to [`MentoringStore`]: conversions between rows and domain values live here.
#[async_trait]
pub trait MentoringStoreExt: MentoringStore + Sync {
    /// Stores a new programme.
    async fn create_programme(&self, p: &Programme, audit: &AuditEvent) -> Result<(), StoreError> {
        self.insert_programme(&programme_row(p)?, audit).await
    }
    /// Replaces a programme's name and settings.
    async fn save_programme(&self, p: &Programme, audit: &AuditEvent) -> Result<(), StoreError> {
        self.update_programme(&programme_row(p)?, audit).await
    }
    /// The tenant's programmes.
    async fn programmes(&self, tenant: TenantId) -> Result<Vec<Programme>, StoreError> {
        self.programme_rows(tenant)
            .await?
            .into_iter()
            .map(programme_from_row)
            .collect()
    }
    /// One of the tenant's programmes.
    async fn programme(&self, tenant: TenantId, id: ProgrammeId) -> Result<Programme, StoreError> {
        programme_from_row(self.programme_row(tenant, id).await?)
    }
    /// Every programme of every organisation.
    async fn all_programmes(&self) -> Result<Vec<Programme>, StoreError> {
        self.all_programme_rows()
            .await?
            .into_iter()
            .map(programme_from_row)
            .collect()
    }
    /// Adds mentors in one transaction.
    async fn add_mentors(
        &self,
        tenant: TenantId,
        mentors: &[MentorProfile],
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let rows = mentors
            .iter()
            .map(|m| participant_row(m, Side::Mentor))
            .collect::<Result<Vec<_>, _>>()?;
        self.insert_participants(tenant, &rows, audit).await
    }
    /// Adds mentees in one transaction.
    async fn add_mentees(
        &self,
        tenant: TenantId,
        mentees: &[MenteeProfile],
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let rows = mentees
            .iter()
            .map(|m| participant_row(m, Side::Mentee))
            .collect::<Result<Vec<_>, _>>()?;
        self.insert_participants(tenant, &rows, audit).await
    }
    /// Replaces a mentor's details.
    async fn save_mentor(&self, m: &MentorProfile, audit: &AuditEvent) -> Result<(), StoreError> {
        self.update_participant(&participant_row(m, Side::Mentor)?, audit)
            .await
    }
    /// Replaces a mentee's details.
    async fn save_mentee(&self, m: &MenteeProfile, audit: &AuditEvent) -> Result<(), StoreError> {
        self.update_participant(&participant_row(m, Side::Mentee)?, audit)
            .await
    }
    /// A programme's mentors.
    async fn mentors(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
    ) -> Result<Vec<MentorProfile>, StoreError> {
        self.participant_rows(tenant, programme, Side::Mentor)
            .await?
            .into_iter()
            .map(participant_from_row)
            .collect()
    }
    /// A programme's mentees.
    async fn mentees(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
    ) -> Result<Vec<MenteeProfile>, StoreError> {
        self.participant_rows(tenant, programme, Side::Mentee)
            .await?
            .into_iter()
            .map(participant_from_row)
            .collect()
    }
    /// One of the tenant's mentors; `NotFound` if it is a mentee.
    async fn mentor(
        &self,
        tenant: TenantId,
        id: ParticipantId,
    ) -> Result<MentorProfile, StoreError> {
        let row = self.participant_row(tenant, id).await?;
        if row.side != Side::Mentor.code() {
            return Err(StoreError::not_found("mentor"));
        }
        participant_from_row(row)
    }
    /// One of the tenant's mentees; `NotFound` if it is a mentor.
    async fn mentee(
        &self,
        tenant: TenantId,
        id: ParticipantId,
    ) -> Result<MenteeProfile, StoreError> {
        let row = self.participant_row(tenant, id).await?;
        if row.side != Side::Mentee.code() {
            return Err(StoreError::not_found("mentee"));
        }
        participant_from_row(row)
    }
    /// A programme's matches.
    async fn matches(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
    ) -> Result<Vec<Match>, StoreError> {
        self.match_rows(tenant, programme)
            .await?
            .into_iter()
            .map(match_from_row)
            .collect()
    }
    /// One of the tenant's matches.
    async fn get_match(&self, tenant: TenantId, id: MatchId) -> Result<Match, StoreError> {
        match_from_row(self.match_row(tenant, id).await?)
    }
    /// Matches naming this participant.
    async fn matches_of_participant(
        &self,
        tenant: TenantId,
        participant: ParticipantId,
    ) -> Result<Vec<Match>, StoreError> {
        self.match_rows_of_participant(tenant, participant)
            .await?
            .into_iter()
            .map(match_from_row)
            .collect()
    }
    /// Replaces the programme's proposals.
    async fn store_proposals(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
        proposals: &[Match],
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        let rows = proposals
            .iter()
            .map(match_row)
            .collect::<Result<Vec<_>, _>>()?;
        self.replace_proposals(tenant, programme, &rows, audit)
            .await
    }
    /// Adds a proposal chosen by hand.
    async fn propose_by_hand(&self, m: &Match, audit: &AuditEvent) -> Result<(), StoreError> {
        self.insert_proposal(m.tenant, &match_row(m)?, audit).await
    }
}

impl<T: MentoringStore + Sync + ?Sized> MentoringStoreExt for T {}

/// Engine profiles whose id is the participant's id.
pub trait EngineProfile: Serialize + DeserializeOwned + Send + Sync {
    /// Sets the engine's id from the participant's.
    fn set_id(&mut self, id: ParticipantId);
}

impl EngineProfile for Mentor {
    fn set_id(&mut self, id: ParticipantId) {
        self.id = MentorId(id.to_string());
    }
}

impl EngineProfile for Mentee {
    fn set_id(&mut self, id: ParticipantId) {
        self.id = MenteeId(id.to_string());
    }
}

fn json<T: Serialize>(what: &'static str, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(format!("{what}: {e}")))
}

fn name(what: &'static str, raw: &str) -> Result<Text, StoreError> {
    Text::parse(raw, MAX_NAME_CHARS).map_err(|e| StoreError::corrupt(what, e))
}

/// A programme as a row.
pub fn programme_row(p: &Programme) -> Result<ProgrammeRow, StoreError> {
    Ok(ProgrammeRow {
        id: p.id.as_uuid(),
        tenant_id: p.tenant.as_uuid(),
        name: p.name.as_str().to_owned(),
        settings: json("programme settings", &p.settings)?,
        created_at: p.created_at,
        settings_changed_at: p.settings_changed_at,
        last_run_at: p.last_run.map(|r| r.at),
        last_run_mentors: p.last_run.map(|r| i64::from(r.mentors)),
        last_run_mentees: p.last_run.map(|r| i64::from(r.mentees)),
    })
}

/// A row as a programme.
pub fn programme_from_row(row: ProgrammeRow) -> Result<Programme, StoreError> {
    let mut settings: haven_match::profile::Programme = serde_json::from_str(&row.settings)
        .map_err(|e| StoreError::corrupt("programme settings", e))?;
    settings.name = row.name.clone();
    Ok(Programme {
        id: ProgrammeId::from_uuid(row.id),
        tenant: TenantId::from_uuid(row.tenant_id),
        name: name("programme name", &row.name)?,
        settings,
        created_at: row.created_at,
        settings_changed_at: row.settings_changed_at,
        last_run: match (row.last_run_at, row.last_run_mentors, row.last_run_mentees) {
            (Some(at), Some(mentors), Some(mentees)) => Some(LastRun {
                at,
                mentors: u32::try_from(mentors).map_err(|e| StoreError::corrupt("last run", e))?,
                mentees: u32::try_from(mentees).map_err(|e| StoreError::corrupt("last run", e))?,
            }),
            _ => None,
        },
    })
}

/// A participant as a row.
pub fn participant_row<P: EngineProfile>(
    p: &Participant<P>,
    side: Side,
) -> Result<ParticipantRow, StoreError> {
    Ok(ParticipantRow {
        id: p.id.as_uuid(),
        tenant_id: p.tenant.as_uuid(),
        programme_id: p.programme.as_uuid(),
        side: side.code().to_owned(),
        name: p.name.as_str().to_owned(),
        email: p.email.as_ref().map(|e| e.as_str().to_owned()),
        user_id: p.user.map(|u| u.as_uuid()),
        profile: json("participant profile", &p.profile)?,
        place: p.place.as_ref().map(|t| t.as_str().to_owned()),
        withdrawn_at: p.withdrawn,
    })
}

/// A row as a participant.
pub fn participant_from_row<P: EngineProfile>(
    row: ParticipantRow,
) -> Result<Participant<P>, StoreError> {
    let id = ParticipantId::from_uuid(row.id);
    let mut profile: P = serde_json::from_str(&row.profile)
        .map_err(|e| StoreError::corrupt("participant profile", e))?;
    profile.set_id(id);
    Ok(Participant {
        id,
        tenant: TenantId::from_uuid(row.tenant_id),
        programme: ProgrammeId::from_uuid(row.programme_id),
        name: name("participant name", &row.name)?,
        email: row
            .email
            .map(|e| Email::parse(&e).map_err(|e| StoreError::corrupt("participant e-mail", e)))
            .transpose()?,
        user: row.user_id.map(UserId::from_uuid),
        profile,
        place: row
            .place
            .map(|raw| name("participant place", &raw))
            .transpose()?,
        withdrawn: row.withdrawn_at,
    })
}

/// A match as a row; its history becomes the event rows.
pub fn match_row(m: &Match) -> Result<MatchRow, StoreError> {
    Ok(MatchRow {
        id: m.id.as_uuid(),
        tenant_id: m.tenant.as_uuid(),
        programme_id: m.programme.as_uuid(),
        mentor_id: m.mentor.as_uuid(),
        mentee_id: m.mentee.as_uuid(),
        status: m.status.code().to_owned(),
        score: i64::try_from(m.score).unwrap_or(i64::MAX),
        criteria: json("match criteria", &m.criteria)?,
        outcome: m.ending.as_ref().map(|e| e.outcome.code().to_owned()),
        mentor_feedback: m
            .ending
            .as_ref()
            .and_then(|e| e.mentor_feedback.as_ref())
            .map(|f| f.as_str().to_owned()),
        mentee_feedback: m
            .ending
            .as_ref()
            .and_then(|e| e.mentee_feedback.as_ref())
            .map(|f| f.as_str().to_owned()),
        events: m
            .history
            .iter()
            .map(|c| MatchEventRow {
                status: c.status.code().to_owned(),
                at: c.at,
                actor_id: c.actor.map(|a| a.as_uuid()),
            })
            .collect(),
    })
}

fn status(code: &str) -> Result<MatchStatus, StoreError> {
    MatchStatus::from_code(code).ok_or_else(|| StoreError::corrupt("match status", code))
}

/// A row as a match.
pub fn match_from_row(row: MatchRow) -> Result<Match, StoreError> {
    let feedback = |raw: Option<String>| -> Result<Option<Text>, StoreError> {
        raw.map(|f| {
            Text::parse(&f, MAX_FEEDBACK_CHARS).map_err(|e| StoreError::corrupt("feedback", e))
        })
        .transpose()
    };
    let ending = match row.outcome {
        Some(outcome) => Some(Ending {
            outcome: Outcome::from_code(&outcome)
                .ok_or_else(|| StoreError::corrupt("match outcome", &outcome))?,
            mentor_feedback: feedback(row.mentor_feedback)?,
            mentee_feedback: feedback(row.mentee_feedback)?,
        }),
        None => None,
    };
    Ok(Match {
        id: MatchId::from_uuid(row.id),
        tenant: TenantId::from_uuid(row.tenant_id),
        programme: ProgrammeId::from_uuid(row.programme_id),
        mentor: ParticipantId::from_uuid(row.mentor_id),
        mentee: ParticipantId::from_uuid(row.mentee_id),
        status: status(&row.status)?,
        score: u64::try_from(row.score).map_err(|e| StoreError::corrupt("match score", e))?,
        criteria: serde_json::from_str(&row.criteria)
            .map_err(|e| StoreError::corrupt("match criteria", e))?,
        history: row
            .events
            .into_iter()
            .map(|e| {
                Ok(StatusChange {
                    status: status(&e.status)?,
                    at: e.at,
                    actor: e.actor_id.map(UserId::from_uuid),
                })
            })
            .collect::<Result<_, StoreError>>()?,
        ending,
    })
}

/// Checks an [`Advance`] against the match's current status, for the backends to call inside
/// their transaction: the lifecycle's order, and an ending exactly when the match ends.
pub fn check_advance(current: &str, advance: &Advance<'_>) -> Result<(), StoreError> {
    let from = status(current)?;
    from.check_transition(advance.to)
        .map_err(|e| StoreError::refused("match status", e))?;
    let full = advance
        .ending
        .is_some_and(|e| e.mentor_feedback.is_some() && e.mentee_feedback.is_some());
    match (advance.to == MatchStatus::Ended, advance.ending.is_some()) {
        // Without an ending there is no feedback either, so `full` is false.
        (true, _) if !full => Err(StoreError::refused(
            "match status",
            "ending a match needs an outcome and both sides' feedback",
        )),
        (false, true) => Err(StoreError::refused(
            "match status",
            "only an ending records an outcome",
        )),
        _ => Ok(()),
    }
}

/// Whether a pair whose matches not yet ended have these stored statuses may be forbidden:
/// only proposals give way to a forbid; an agreed (or later) match must be ended first.
pub fn check_forbid(statuses: &[String]) -> Result<(), StoreError> {
    if statuses.iter().any(|s| s != MatchStatus::Proposed.code()) {
        return Err(StoreError::refused(
            "pair",
            "an agreed match cannot be forbidden; end it first",
        ));
    }
    Ok(())
}

/// The kind of a stored constraint.
pub fn constraint_kind(code: &str) -> Result<ConstraintKind, StoreError> {
    ConstraintKind::from_code(code).ok_or_else(|| StoreError::corrupt("pair constraint", code))
}
