//! The audit log in PostgreSQL: appends inside the caller's transaction, reads for verification.

use async_trait::async_trait;
use haven_auth::audit_chain::{EntryFields, GENESIS, StoredEntry, entry_hash};
use haven_domain::accounts::AuditEvent;
use haven_store::{AuditStore, StoreError};
use sqlx::{Postgres, Row, Transaction};

use crate::PostgresStore;
use crate::errors::map_err;

/// Appends `event` to its chain inside `tx`. The first statement writes (creating the chain's
/// head row if needed) and the head is read `FOR UPDATE`, so two appends to one chain wait for
/// each other instead of both reading the same head.
pub(crate) async fn append(
    tx: &mut Transaction<'_, Postgres>,
    event: &AuditEvent,
) -> Result<(), StoreError> {
    let scope = event.scope.key();
    sqlx::query("INSERT INTO audit_heads (scope, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (scope) DO NOTHING")
        .bind(&scope)
        .bind(GENESIS)
        .execute(&mut **tx)
        .await
        .map_err(map_err("audit"))?;
    let head = sqlx::query("SELECT seq, hash FROM audit_heads WHERE scope = $1 FOR UPDATE")
        .bind(&scope)
        .fetch_one(&mut **tx)
        .await
        .map_err(map_err("audit"))?;
    let previous_seq: i64 = head.try_get("seq").map_err(map_err("audit"))?;
    let prev_hash: String = head.try_get("hash").map_err(map_err("audit"))?;
    let seq = previous_seq + 1;
    let at_nanos = i64::try_from(event.at.unix_timestamp_nanos())
        .map_err(|_| StoreError::Other("audit time out of range".to_owned()))?;
    let actor = event.actor.map(|a| a.to_string());
    let (subject_kind, subject_id) = match &event.subject {
        Some((kind, id)) => (Some(*kind), Some(id.as_str())),
        None => (None, None),
    };
    let hash = entry_hash(&EntryFields {
        scope: &scope,
        seq: u64::try_from(seq).unwrap_or(0),
        at_unix_nanos: i128::from(at_nanos),
        actor: actor.as_deref(),
        action: event.action,
        subject_kind,
        subject_id,
        prev_hash: &prev_hash,
    });
    sqlx::query(
        "INSERT INTO audit_log (scope, seq, at_nanos, actor, action, subject_kind, subject_id, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&scope)
    .bind(seq)
    .bind(at_nanos)
    .bind(actor)
    .bind(event.action)
    .bind(subject_kind)
    .bind(subject_id)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut **tx)
    .await
    .map_err(map_err("audit"))?;
    sqlx::query("UPDATE audit_heads SET seq = $1, hash = $2 WHERE scope = $3")
        .bind(seq)
        .bind(&hash)
        .bind(&scope)
        .execute(&mut **tx)
        .await
        .map_err(map_err("audit"))?;
    Ok(())
}

#[async_trait]
impl AuditStore for PostgresStore {
    async fn append_audit(&self, event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err("audit"))?;
        append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("audit"))
    }

    async fn audit_scopes(&self) -> Result<Vec<String>, StoreError> {
        sqlx::query_scalar("SELECT DISTINCT scope FROM audit_log ORDER BY scope")
            .fetch_all(&self.pool)
            .await
            .map_err(map_err("audit"))
    }

    async fn audit_entries(&self, scope: &str) -> Result<Vec<StoredEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT scope, seq, at_nanos, actor, action, subject_kind, subject_id, prev_hash, hash \
             FROM audit_log WHERE scope = $1 ORDER BY seq",
        )
        .bind(scope)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err("audit"))?;
        rows.into_iter()
            .map(|row| {
                let get = map_err("audit");
                let seq: i64 = row.try_get("seq").map_err(&get)?;
                let at: i64 = row.try_get("at_nanos").map_err(&get)?;
                Ok(StoredEntry {
                    scope: row.try_get("scope").map_err(&get)?,
                    seq: u64::try_from(seq).map_err(|e| StoreError::corrupt("audit seq", e))?,
                    at_unix_nanos: i128::from(at),
                    actor: row.try_get("actor").map_err(&get)?,
                    action: row.try_get("action").map_err(&get)?,
                    subject_kind: row.try_get("subject_kind").map_err(&get)?,
                    subject_id: row.try_get("subject_id").map_err(&get)?,
                    prev_hash: row.try_get("prev_hash").map_err(&get)?,
                    hash: row.try_get("hash").map_err(&get)?,
                })
            })
            .collect()
    }
}
