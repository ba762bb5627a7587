//! Mentoring in SQLite. Every query filters by the tenant, so another organisation's record is
//! simply not found.

use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use haven_domain::accounts::AuditEvent;
use haven_domain::mentoring::{ConstraintKind, MatchStatus, PairConstraint, Side};
use haven_domain::{MatchId, ParticipantId, ProgrammeId, TenantId, UserId};
use haven_store::StoreError;
use haven_store::mentoring::{
    Advance, MatchEventRow, MatchRow, MentoringStore, ParticipantRow, ProgrammeRow, Withdrawal,
    check_advance, check_forbid, constraint_kind,
};
use haven_store::rows::uuid_from_text;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, SqliteConnection, Transaction};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::errors::map_err;
use crate::time_text::{from_text, optional_from_text, to_text};
use crate::{SqliteStore, audit};

const PROGRAMME: &str = "SELECT id, tenant_id, name, settings, created_at, settings_changed_at, \
     last_run_at, last_run_mentors, last_run_mentees FROM mentoring_programmes";
const PARTICIPANT: &str = "SELECT id, tenant_id, programme_id, side, name, email, user_id, \
     profile, place, withdrawn_at FROM mentoring_participants";
const MATCH: &str = "SELECT id, tenant_id, programme_id, mentor_id, mentee_id, status, score, \
     criteria, outcome, mentor_feedback, mentee_feedback FROM mentoring_matches";

fn uuid(row: &SqliteRow, column: &str) -> Result<Uuid, StoreError> {
    let text: String = row.try_get(column).map_err(map_err("mentoring"))?;
    uuid_from_text("mentoring id", &text)
}

fn optional_uuid(row: &SqliteRow, column: &str) -> Result<Option<Uuid>, StoreError> {
    let text: Option<String> = row.try_get(column).map_err(map_err("mentoring"))?;
    text.map(|t| uuid_from_text("mentoring id", &t)).transpose()
}

fn get<T>(row: &SqliteRow, column: &str) -> Result<T, StoreError>
where
    T: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
{
    row.try_get(column).map_err(map_err("mentoring"))
}

fn programme(row: &SqliteRow) -> Result<ProgrammeRow, StoreError> {
    Ok(ProgrammeRow {
        id: uuid(row, "id")?,
        tenant_id: uuid(row, "tenant_id")?,
        name: get(row, "name")?,
        settings: get(row, "settings")?,
        created_at: from_text("programme time", &get::<String>(row, "created_at")?)?,
        settings_changed_at: optional_from_text(
            "programme settings_changed_at",
            get(row, "settings_changed_at")?,
        )?,
        last_run_at: optional_from_text("programme last_run_at", get(row, "last_run_at")?)?,
        last_run_mentors: get(row, "last_run_mentors")?,
        last_run_mentees: get(row, "last_run_mentees")?,
    })
}

fn participant(row: &SqliteRow) -> Result<ParticipantRow, StoreError> {
    Ok(ParticipantRow {
        id: uuid(row, "id")?,
        tenant_id: uuid(row, "tenant_id")?,
        programme_id: uuid(row, "programme_id")?,
        side: get(row, "side")?,
        name: get(row, "name")?,
        email: get(row, "email")?,
        user_id: optional_uuid(row, "user_id")?,
        profile: get(row, "profile")?,
        place: get(row, "place")?,
        withdrawn_at: optional_from_text("participant withdrawn_at", get(row, "withdrawn_at")?)?,
    })
}

fn match_without_events(row: &SqliteRow) -> Result<MatchRow, StoreError> {
    Ok(MatchRow {
        id: uuid(row, "id")?,
        tenant_id: uuid(row, "tenant_id")?,
        programme_id: uuid(row, "programme_id")?,
        mentor_id: uuid(row, "mentor_id")?,
        mentee_id: uuid(row, "mentee_id")?,
        status: get(row, "status")?,
        score: get(row, "score")?,
        criteria: get(row, "criteria")?,
        outcome: get(row, "outcome")?,
        mentor_feedback: get(row, "mentor_feedback")?,
        mentee_feedback: get(row, "mentee_feedback")?,
        events: Vec::new(),
    })
}

fn date_text(date: Date) -> String {
    date.to_string()
}

impl SqliteStore {
    /// Reads matches with their histories: one query for the matches, one for all their events.
    async fn matches_where(
        &self,
        condition: &str,
        binds: &[String],
    ) -> Result<Vec<MatchRow>, StoreError> {
        let sql = format!("{MATCH} WHERE {condition} ORDER BY id");
        let mut query = sqlx::query(&sql);
        for b in binds {
            query = query.bind(b);
        }
        let rows = query
            .fetch_all(&self.readers)
            .await
            .map_err(map_err("match"))?;
        let mut matches = rows
            .iter()
            .map(match_without_events)
            .collect::<Result<Vec<_>, _>>()?;
        if matches.is_empty() {
            return Ok(matches);
        }
        let sql = format!(
            "SELECT match_id, status, at, actor_id FROM mentoring_match_events \
             WHERE match_id IN (SELECT id FROM mentoring_matches WHERE {condition}) \
             ORDER BY match_id, seq"
        );
        let mut query = sqlx::query(&sql);
        for b in binds {
            query = query.bind(b);
        }
        let mut events: HashMap<Uuid, Vec<MatchEventRow>> = HashMap::new();
        for e in query
            .fetch_all(&self.readers)
            .await
            .map_err(map_err("match"))?
        {
            events
                .entry(uuid(&e, "match_id")?)
                .or_default()
                .push(MatchEventRow {
                    status: get(&e, "status")?,
                    at: from_text("match time", &get::<String>(&e, "at")?)?,
                    actor_id: optional_uuid(&e, "actor_id")?,
                });
        }
        for m in &mut matches {
            m.events = events.remove(&m.id).unwrap_or_default();
        }
        Ok(matches)
    }
}

/// `NotFound` unless the programme is the tenant's.
async fn own_programme(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    programme: Uuid,
) -> Result<(), StoreError> {
    sqlx::query("SELECT 1 FROM mentoring_programmes WHERE id = ? AND tenant_id = ?")
        .bind(programme.to_string())
        .bind(tenant.to_string())
        .fetch_one(conn)
        .await
        .map_err(map_err("programme"))?;
    Ok(())
}
/// Locks the pair, releasing any other lock of the same mentee (a mentee has one lock at
/// most), inside the caller's transaction so a refused lock never leaves the old one released.
async fn lock_pair(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    programme: Uuid,
    mentor: Uuid,
    mentee: Uuid,
) -> Result<(), StoreError> {
    sqlx::query(
        "DELETE FROM mentoring_constraints \
         WHERE tenant_id = ? AND programme_id = ? AND mentee_id = ? AND kind = 'lock' \
           AND mentor_id <> ?",
    )
    .bind(tenant.to_string())
    .bind(programme.to_string())
    .bind(mentee.to_string())
    .bind(mentor.to_string())
    .execute(&mut *conn)
    .await
    .map_err(map_err("pair"))?;
    upsert_constraint(
        conn,
        tenant,
        programme,
        mentor,
        mentee,
        ConstraintKind::Lock,
    )
    .await
}

/// Sets the pair's constraint to `kind`, whatever it was.
async fn upsert_constraint(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    programme: Uuid,
    mentor: Uuid,
    mentee: Uuid,
    kind: ConstraintKind,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO mentoring_constraints (tenant_id, programme_id, mentor_id, mentee_id, kind) \
         VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (programme_id, mentor_id, mentee_id) DO UPDATE SET kind = excluded.kind",
    )
    .bind(tenant.to_string())
    .bind(programme.to_string())
    .bind(mentor.to_string())
    .bind(mentee.to_string())
    .bind(kind.code())
    .execute(conn)
    .await
    .map_err(map_err("pair"))?;
    Ok(())
}

/// `NotFound` unless `id` is a participant of that side, programme and tenant.
async fn own_participant(
    conn: &mut SqliteConnection,
    tenant: Uuid,
    programme: Uuid,
    id: Uuid,
    side: Side,
) -> Result<(), StoreError> {
    sqlx::query(
        "SELECT 1 FROM mentoring_participants \
         WHERE id = ? AND tenant_id = ? AND programme_id = ? AND side = ?",
    )
    .bind(id.to_string())
    .bind(tenant.to_string())
    .bind(programme.to_string())
    .bind(side.code())
    .fetch_one(conn)
    .await
    .map_err(map_err(side.code()))?;
    Ok(())
}

/// Appends `status` to the match's history with the next sequence number.
async fn append_match_event(
    tx: &mut Transaction<'_, Sqlite>,
    match_id: &str,
    status: &str,
    at: OffsetDateTime,
    actor: Option<UserId>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO mentoring_match_events (match_id, seq, status, at, actor_id) \
         SELECT ?, COALESCE(MAX(seq), -1) + 1, ?, ?, ? FROM mentoring_match_events \
         WHERE match_id = ?",
    )
    .bind(match_id)
    .bind(status)
    .bind(to_text(at)?)
    .bind(actor.map(|a| a.to_string()))
    .bind(match_id)
    .execute(&mut **tx)
    .await
    .map_err(map_err("match"))?;
    Ok(())
}

async fn insert_match(tx: &mut Transaction<'_, Sqlite>, m: &MatchRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO mentoring_matches (id, tenant_id, programme_id, mentor_id, mentee_id, \
         status, score, criteria, outcome, mentor_feedback, mentee_feedback) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(m.id.to_string())
    .bind(m.tenant_id.to_string())
    .bind(m.programme_id.to_string())
    .bind(m.mentor_id.to_string())
    .bind(m.mentee_id.to_string())
    .bind(&m.status)
    .bind(m.score)
    .bind(&m.criteria)
    .bind(&m.outcome)
    .bind(&m.mentor_feedback)
    .bind(&m.mentee_feedback)
    .execute(&mut **tx)
    .await
    .map_err(map_err("match"))?;
    for (seq, e) in m.events.iter().enumerate() {
        sqlx::query(
            "INSERT INTO mentoring_match_events (match_id, seq, status, at, actor_id) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(m.id.to_string())
        .bind(i64::try_from(seq).unwrap_or(i64::MAX))
        .bind(&e.status)
        .bind(to_text(e.at)?)
        .bind(e.actor_id.map(|a| a.to_string()))
        .execute(&mut **tx)
        .await
        .map_err(map_err("match"))?;
    }
    Ok(())
}

/// Inserts a match after checking that it is the tenant's and the programme's and that both
/// people are the programme's mentor and mentee; `NotFound` otherwise.
async fn insert_owned_match(
    tx: &mut Transaction<'_, Sqlite>,
    tenant: Uuid,
    programme: Uuid,
    row: &MatchRow,
) -> Result<(), StoreError> {
    if row.tenant_id != tenant || row.programme_id != programme {
        return Err(StoreError::not_found("programme"));
    }
    own_participant(tx, tenant, programme, row.mentor_id, Side::Mentor).await?;
    own_participant(tx, tenant, programme, row.mentee_id, Side::Mentee).await?;
    insert_match(tx, row).await
}

#[async_trait]
impl MentoringStore for SqliteStore {
    async fn insert_programme(
        &self,
        row: &ProgrammeRow,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("programme"))?;
        sqlx::query(
            "INSERT INTO mentoring_programmes (id, tenant_id, name, settings, created_at) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(row.id.to_string())
        .bind(row.tenant_id.to_string())
        .bind(&row.name)
        .bind(&row.settings)
        .bind(to_text(row.created_at)?)
        .execute(&mut *tx)
        .await
        .map_err(map_err("programme"))?;
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("programme"))
    }

    async fn update_programme(
        &self,
        row: &ProgrammeRow,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("programme"))?;
        let done = sqlx::query(
            "UPDATE mentoring_programmes SET name = ?, settings = ?, settings_changed_at = ? \
             WHERE id = ? AND tenant_id = ?",
        )
        .bind(&row.name)
        .bind(&row.settings)
        .bind(row.settings_changed_at.map(to_text).transpose()?)
        .bind(row.id.to_string())
        .bind(row.tenant_id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(map_err("programme"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("programme"));
        }
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("programme"))
    }

    async fn programme_rows(&self, tenant: TenantId) -> Result<Vec<ProgrammeRow>, StoreError> {
        sqlx::query(&format!(
            "{PROGRAMME} WHERE tenant_id = ? ORDER BY name, id"
        ))
        .bind(tenant.to_string())
        .fetch_all(&self.readers)
        .await
        .map_err(map_err("programme"))?
        .iter()
        .map(programme)
        .collect()
    }

    async fn programme_row(
        &self,
        tenant: TenantId,
        id: ProgrammeId,
    ) -> Result<ProgrammeRow, StoreError> {
        let row = sqlx::query(&format!("{PROGRAMME} WHERE id = ? AND tenant_id = ?"))
            .bind(id.to_string())
            .bind(tenant.to_string())
            .fetch_one(&self.readers)
            .await
            .map_err(map_err("programme"))?;
        programme(&row)
    }

    async fn all_programme_rows(&self) -> Result<Vec<ProgrammeRow>, StoreError> {
        sqlx::query(&format!("{PROGRAMME} ORDER BY tenant_id, name, id"))
            .fetch_all(&self.readers)
            .await
            .map_err(map_err("programme"))?
            .iter()
            .map(programme)
            .collect()
    }

    async fn insert_participants(
        &self,
        tenant: TenantId,
        rows: &[ParticipantRow],
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("participant"))?;
        if rows.iter().any(|row| row.tenant_id != tenant.as_uuid()) {
            return Err(StoreError::not_found("programme"));
        }
        let programmes: BTreeSet<Uuid> = rows.iter().map(|row| row.programme_id).collect();
        for programme in programmes {
            own_programme(&mut tx, tenant.as_uuid(), programme).await?;
        }
        for row in rows {
            sqlx::query(
                "INSERT INTO mentoring_participants \
                 (id, tenant_id, programme_id, side, name, email, user_id, profile, place) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(row.id.to_string())
            .bind(row.tenant_id.to_string())
            .bind(row.programme_id.to_string())
            .bind(&row.side)
            .bind(&row.name)
            .bind(&row.email)
            .bind(row.user_id.map(|u| u.to_string()))
            .bind(&row.profile)
            .bind(&row.place)
            .execute(&mut *tx)
            .await
            .map_err(map_err("participant"))?;
        }
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("participant"))
    }

    async fn update_participant(
        &self,
        row: &ParticipantRow,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("participant"))?;
        let done = sqlx::query(
            "UPDATE mentoring_participants SET name = ?, email = ?, user_id = ?, profile = ?, \
             place = ? WHERE id = ? AND tenant_id = ? AND programme_id = ? AND side = ?",
        )
        .bind(&row.name)
        .bind(&row.email)
        .bind(row.user_id.map(|u| u.to_string()))
        .bind(&row.profile)
        .bind(&row.place)
        .bind(row.id.to_string())
        .bind(row.tenant_id.to_string())
        .bind(row.programme_id.to_string())
        .bind(&row.side)
        .execute(&mut *tx)
        .await
        .map_err(map_err("participant"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("participant"));
        }
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("participant"))
    }

    async fn participant_rows(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
        side: Side,
    ) -> Result<Vec<ParticipantRow>, StoreError> {
        sqlx::query(&format!(
            "{PARTICIPANT} WHERE tenant_id = ? AND programme_id = ? AND side = ? ORDER BY name, id"
        ))
        .bind(tenant.to_string())
        .bind(programme.to_string())
        .bind(side.code())
        .fetch_all(&self.readers)
        .await
        .map_err(map_err("participant"))?
        .iter()
        .map(participant)
        .collect()
    }

    async fn participant_row(
        &self,
        tenant: TenantId,
        id: ParticipantId,
    ) -> Result<ParticipantRow, StoreError> {
        let row = sqlx::query(&format!("{PARTICIPANT} WHERE id = ? AND tenant_id = ?"))
            .bind(id.to_string())
            .bind(tenant.to_string())
            .fetch_one(&self.readers)
            .await
            .map_err(map_err("participant"))?;
        participant(&row)
    }

    async fn participant_rows_of_user(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<Vec<ParticipantRow>, StoreError> {
        sqlx::query(&format!(
            "{PARTICIPANT} WHERE tenant_id = ? AND user_id = ? ORDER BY name, id"
        ))
        .bind(tenant.to_string())
        .bind(user.to_string())
        .fetch_all(&self.readers)
        .await
        .map_err(map_err("participant"))?
        .iter()
        .map(participant)
        .collect()
    }

    async fn replace_proposals(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
        rows: &[MatchRow],
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("match"))?;
        own_programme(&mut tx, tenant.as_uuid(), programme.as_uuid()).await?;
        sqlx::query(
            "DELETE FROM mentoring_matches \
             WHERE programme_id = ? AND tenant_id = ? AND status = 'proposed'",
        )
        .bind(programme.to_string())
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await
        .map_err(map_err("match"))?;
        for row in rows {
            insert_owned_match(&mut tx, tenant.as_uuid(), programme.as_uuid(), row).await?;
        }
        sqlx::query(
            "UPDATE mentoring_programmes SET last_run_at = ?, \
             last_run_mentors = (SELECT COUNT(*) FROM mentoring_participants \
                 WHERE programme_id = mentoring_programmes.id AND side = 'mentor'), \
             last_run_mentees = (SELECT COUNT(*) FROM mentoring_participants \
                 WHERE programme_id = mentoring_programmes.id AND side = 'mentee') \
             WHERE id = ? AND tenant_id = ?",
        )
        .bind(to_text(event.at)?)
        .bind(programme.to_string())
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await
        .map_err(map_err("programme"))?;
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("match"))
    }

    async fn insert_proposal(
        &self,
        tenant: TenantId,
        row: &MatchRow,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("match"))?;
        own_programme(&mut tx, tenant.as_uuid(), row.programme_id).await?;
        // The mentee's other proposals go first, so the new one is the only one left. This runs
        // before the mentee is checked to be the programme's, so it filters by the tenant itself.
        sqlx::query(
            "DELETE FROM mentoring_matches \
             WHERE mentee_id = ? AND tenant_id = ? AND status = 'proposed'",
        )
        .bind(row.mentee_id.to_string())
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await
        .map_err(map_err("match"))?;
        insert_owned_match(&mut tx, tenant.as_uuid(), row.programme_id, row).await?;
        // A pair picked by hand is locked with it, so re-runs keep it: one transaction.
        lock_pair(
            &mut tx,
            row.tenant_id,
            row.programme_id,
            row.mentor_id,
            row.mentee_id,
        )
        .await?;
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("match"))
    }

    async fn match_rows(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
    ) -> Result<Vec<MatchRow>, StoreError> {
        self.matches_where(
            "tenant_id = ? AND programme_id = ?",
            &[tenant.to_string(), programme.to_string()],
        )
        .await
    }

    async fn match_row(&self, tenant: TenantId, id: MatchId) -> Result<MatchRow, StoreError> {
        self.matches_where(
            "tenant_id = ? AND id = ?",
            &[tenant.to_string(), id.to_string()],
        )
        .await?
        .pop()
        .ok_or_else(|| StoreError::not_found("match"))
    }

    async fn match_rows_of_participant(
        &self,
        tenant: TenantId,
        participant: ParticipantId,
    ) -> Result<Vec<MatchRow>, StoreError> {
        self.matches_where(
            "tenant_id = ? AND (mentor_id = ? OR mentee_id = ?)",
            &[
                tenant.to_string(),
                participant.to_string(),
                participant.to_string(),
            ],
        )
        .await
    }

    async fn withdraw_participant(
        &self,
        w: &Withdrawal,
        event: &AuditEvent,
    ) -> Result<u32, StoreError> {
        let (id, tenant) = (w.participant.to_string(), w.tenant.to_string());
        let mut tx = self.writer.begin().await.map_err(map_err("participant"))?;
        let done = sqlx::query(
            "UPDATE mentoring_participants SET withdrawn_at = ? \
             WHERE id = ? AND tenant_id = ? AND withdrawn_at IS NULL",
        )
        .bind(to_text(w.at)?)
        .bind(&id)
        .bind(&tenant)
        .execute(&mut *tx)
        .await
        .map_err(map_err("participant"))?;
        if done.rows_affected() == 0 {
            // Either not the tenant's (not found) or withdrawn already (refused).
            sqlx::query("SELECT 1 FROM mentoring_participants WHERE id = ? AND tenant_id = ?")
                .bind(&id)
                .bind(&tenant)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err("participant"))?;
            return Err(StoreError::refused("participant", "already withdrawn"));
        }
        for sql in [
            "DELETE FROM mentoring_matches \
             WHERE (mentor_id = ? OR mentee_id = ?) AND status = 'proposed'",
            "DELETE FROM mentoring_constraints WHERE mentor_id = ? OR mentee_id = ?",
        ] {
            sqlx::query(sql)
                .bind(&id)
                .bind(&id)
                .execute(&mut *tx)
                .await
                .map_err(map_err("participant"))?;
        }
        let ended: Vec<String> = sqlx::query_scalar(
            "UPDATE mentoring_matches SET status = 'ended', outcome = 'withdrawn', \
             mentor_feedback = NULL, mentee_feedback = NULL \
             WHERE (mentor_id = ? OR mentee_id = ?) \
             AND status IN ('agreed', 'introduced', 'active') RETURNING id",
        )
        .bind(&id)
        .bind(&id)
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err("match"))?;
        for m in &ended {
            append_match_event(&mut tx, m, MatchStatus::Ended.code(), w.at, w.actor).await?;
        }
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("participant"))?;
        Ok(u32::try_from(ended.len()).unwrap_or(u32::MAX))
    }

    async fn advance_match(
        &self,
        advance: &Advance<'_>,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("match"))?;
        // Writing first takes SQLite's write lock, so the status read with it cannot go stale.
        let current: String = sqlx::query_scalar(
            "UPDATE mentoring_matches SET status = status WHERE id = ? AND tenant_id = ? \
             RETURNING status",
        )
        .bind(advance.id.to_string())
        .bind(advance.tenant.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err("match"))?
        .ok_or_else(|| StoreError::not_found("match"))?;
        check_advance(&current, advance)?;
        let ending = advance.ending;
        sqlx::query(
            "UPDATE mentoring_matches SET status = ?, outcome = ?, mentor_feedback = ?, \
             mentee_feedback = ? WHERE id = ?",
        )
        .bind(advance.to.code())
        .bind(ending.map(|e| e.outcome.code()))
        .bind(
            ending
                .and_then(|e| e.mentor_feedback.as_ref())
                .map(|f| f.as_str()),
        )
        .bind(
            ending
                .and_then(|e| e.mentee_feedback.as_ref())
                .map(|f| f.as_str()),
        )
        .bind(advance.id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(map_err("match"))?;
        append_match_event(
            &mut tx,
            &advance.id.to_string(),
            advance.to.code(),
            advance.at,
            advance.actor,
        )
        .await?;
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("match"))
    }

    async fn set_constraint(
        &self,
        tenant: TenantId,
        c: &PairConstraint,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let (t, p) = (tenant.as_uuid(), c.programme.as_uuid());
        let mut tx = self.writer.begin().await.map_err(map_err("pair"))?;
        own_programme(&mut tx, t, p).await?;
        own_participant(&mut tx, t, p, c.mentor.as_uuid(), Side::Mentor).await?;
        own_participant(&mut tx, t, p, c.mentee.as_uuid(), Side::Mentee).await?;
        if c.kind == ConstraintKind::Forbid {
            let statuses: Vec<String> = sqlx::query_scalar(
                "SELECT status FROM mentoring_matches \
                 WHERE mentor_id = ? AND mentee_id = ? AND status <> 'ended'",
            )
            .bind(c.mentor.to_string())
            .bind(c.mentee.to_string())
            .fetch_all(&mut *tx)
            .await
            .map_err(map_err("pair"))?;
            check_forbid(&statuses)?;
            sqlx::query(
                "DELETE FROM mentoring_matches \
                 WHERE mentor_id = ? AND mentee_id = ? AND status = 'proposed'",
            )
            .bind(c.mentor.to_string())
            .bind(c.mentee.to_string())
            .execute(&mut *tx)
            .await
            .map_err(map_err("pair"))?;
        }
        let (mentor, mentee) = (c.mentor.as_uuid(), c.mentee.as_uuid());
        if c.kind == ConstraintKind::Lock {
            lock_pair(&mut tx, t, p, mentor, mentee).await?;
        } else {
            upsert_constraint(&mut tx, t, p, mentor, mentee, c.kind).await?;
        }
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("pair"))
    }

    async fn remove_constraint(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
        mentor: ParticipantId,
        mentee: ParticipantId,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("pair"))?;
        let done = sqlx::query(
            "DELETE FROM mentoring_constraints \
             WHERE tenant_id = ? AND programme_id = ? AND mentor_id = ? AND mentee_id = ?",
        )
        .bind(tenant.to_string())
        .bind(programme.to_string())
        .bind(mentor.to_string())
        .bind(mentee.to_string())
        .execute(&mut *tx)
        .await
        .map_err(map_err("pair"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("pair"));
        }
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("pair"))
    }

    async fn constraints(
        &self,
        tenant: TenantId,
        programme: ProgrammeId,
    ) -> Result<Vec<PairConstraint>, StoreError> {
        let rows = sqlx::query(
            "SELECT mentor_id, mentee_id, kind FROM mentoring_constraints \
             WHERE tenant_id = ? AND programme_id = ? ORDER BY mentor_id, mentee_id",
        )
        .bind(tenant.to_string())
        .bind(programme.to_string())
        .fetch_all(&self.readers)
        .await
        .map_err(map_err("pair"))?;
        rows.iter()
            .map(|row| {
                Ok(PairConstraint {
                    programme,
                    mentor: ParticipantId::from_uuid(uuid(row, "mentor_id")?),
                    mentee: ParticipantId::from_uuid(uuid(row, "mentee_id")?),
                    kind: constraint_kind(&get::<String>(row, "kind")?)?,
                })
            })
            .collect()
    }

    async fn record_dbs_reminder(
        &self,
        tenant: TenantId,
        mentor: ParticipantId,
        threshold_days: u32,
        last_day: Date,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO mentoring_dbs_reminders \
             (tenant_id, mentor_id, threshold_days, last_day, sent_at) \
             SELECT tenant_id, id, ?, ?, ? FROM mentoring_participants \
             WHERE id = ? AND tenant_id = ? AND side = 'mentor' \
             ON CONFLICT DO NOTHING",
        )
        .bind(i64::from(threshold_days))
        .bind(date_text(last_day))
        .bind(to_text(at)?)
        .bind(mentor.to_string())
        .bind(tenant.to_string())
        .execute(&self.writer)
        .await
        .map_err(map_err("DBS reminder"))?;
        Ok(done.rows_affected() == 1)
    }

    async fn dbs_reminder_sent(
        &self,
        tenant: TenantId,
        mentor: ParticipantId,
        threshold_days: u32,
        last_day: Date,
    ) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM mentoring_dbs_reminders \
             WHERE tenant_id = ? AND mentor_id = ? AND threshold_days = ? AND last_day = ?",
        )
        .bind(tenant.to_string())
        .bind(mentor.to_string())
        .bind(i64::from(threshold_days))
        .bind(date_text(last_day))
        .fetch_optional(&self.readers)
        .await
        .map_err(map_err("DBS reminder"))?;
        Ok(found.is_some())
    }
}
