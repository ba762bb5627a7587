//! The audit log in PostgreSQL: the shared statements of `haven_store::audit_rows`, run inside the
//! caller's transaction.

use async_trait::async_trait;
use haven_auth::audit_chain::{GENESIS, StoredEntry};
use haven_domain::accounts::AuditEvent;
use haven_store::audit_rows::{
    AuditRow, INSERT_ENTRY, INSERT_HEAD, SELECT_ENTRIES, SELECT_SCOPES, UPDATE_HEAD,
};
use haven_store::{AuditStore, StoreError};
use sqlx::{Postgres, Row, Transaction};

use crate::PostgresStore;
use crate::errors::map_err;

/// Reads the chain head while holding it.
const SELECT_HEAD: &str = "SELECT seq, hash FROM audit_heads WHERE scope = $1 FOR UPDATE";

/// Appends `event` to its chain inside `tx`. The first statement writes (creating the chain's head row if
/// needed) and the head is read `FOR UPDATE`, so two appends to one chain wait for each other
/// instead of both reading the same head.
pub(crate) async fn append(
    tx: &mut Transaction<'_, Postgres>,
    event: &AuditEvent,
) -> Result<(), StoreError> {
    let scope = event.scope.key();
    sqlx::query(INSERT_HEAD)
        .bind(&scope)
        .bind(GENESIS)
        .execute(&mut **tx)
        .await
        .map_err(map_err("audit"))?;
    let head = sqlx::query(SELECT_HEAD)
        .bind(&scope)
        .fetch_one(&mut **tx)
        .await
        .map_err(map_err("audit"))?;
    let row = AuditRow::next(
        event,
        head.try_get("seq").map_err(map_err("audit"))?,
        head.try_get("hash").map_err(map_err("audit"))?,
    )?;
    sqlx::query(INSERT_ENTRY)
        .bind(&row.scope)
        .bind(row.seq)
        .bind(row.at_nanos)
        .bind(&row.actor)
        .bind(&row.action)
        .bind(&row.subject_kind)
        .bind(&row.subject_id)
        .bind(&row.prev_hash)
        .bind(&row.hash)
        .execute(&mut **tx)
        .await
        .map_err(map_err("audit"))?;
    sqlx::query(UPDATE_HEAD)
        .bind(row.seq)
        .bind(&row.hash)
        .bind(&row.scope)
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
        sqlx::query_scalar(SELECT_SCOPES)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err("audit"))
    }

    async fn audit_entries(&self, scope: &str) -> Result<Vec<StoredEntry>, StoreError> {
        let rows = sqlx::query(SELECT_ENTRIES)
            .bind(scope)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err("audit"))?;
        rows.into_iter()
            .map(|row| {
                let get = map_err("audit");
                AuditRow {
                    scope: row.try_get("scope").map_err(&get)?,
                    seq: row.try_get("seq").map_err(&get)?,
                    at_nanos: row.try_get("at_nanos").map_err(&get)?,
                    actor: row.try_get("actor").map_err(&get)?,
                    action: row.try_get("action").map_err(&get)?,
                    subject_kind: row.try_get("subject_kind").map_err(&get)?,
                    subject_id: row.try_get("subject_id").map_err(&get)?,
                    prev_hash: row.try_get("prev_hash").map_err(&get)?,
                    hash: row.try_get("hash").map_err(&get)?,
                }
                .into_stored()
            })
            .collect()
    }
}
