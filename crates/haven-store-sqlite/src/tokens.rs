//! API tokens in SQLite.

use async_trait::async_trait;
use haven_domain::TenantId;
use haven_domain::accounts::AuditEvent;
use haven_store::rows::uuid_from_text;
use haven_store::{ApiToken, StoreError, TokenStore};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::errors::map_err;
use crate::time_text::{from_text, optional_from_text, to_text};
use crate::{SqliteStore, audit};

const COLUMNS: &str =
    "id, tenant_id, name, digest, scopes, created_at, expires_at, last_used_at, revoked_at";

fn token(row: SqliteRow) -> Result<ApiToken, StoreError> {
    let get = map_err("API token");
    let text = |name: &str| -> Result<String, StoreError> { row.try_get(name).map_err(&get) };
    Ok(ApiToken {
        id: uuid_from_text("API token id", &text("id")?)?,
        tenant: TenantId::from_uuid(uuid_from_text("API token tenant", &text("tenant_id")?)?),
        name: text("name")?,
        digest: text("digest")?,
        scopes: text("scopes")?
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        created_at: from_text("API token time", &text("created_at")?)?,
        expires_at: from_text("API token time", &text("expires_at")?)?,
        last_used_at: optional_from_text(
            "API token last_used_at",
            row.try_get("last_used_at").map_err(&get)?,
        )?,
        revoked_at: optional_from_text(
            "API token revoked_at",
            row.try_get("revoked_at").map_err(&get)?,
        )?,
    })
}

#[async_trait]
impl TokenStore for SqliteStore {
    async fn create_api_token(&self, new: &ApiToken, event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("API token"))?;
        sqlx::query(&format!(
            "INSERT INTO api_tokens ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)"
        ))
        .bind(new.id.to_string())
        .bind(new.tenant.to_string())
        .bind(&new.name)
        .bind(&new.digest)
        .bind(new.scopes.join(" "))
        .bind(to_text(new.created_at)?)
        .bind(to_text(new.expires_at)?)
        .execute(&mut *tx)
        .await
        .map_err(map_err("API token"))?;
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("API token"))
    }

    async fn api_tokens_of(&self, tenant: TenantId) -> Result<Vec<ApiToken>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE tenant_id = ? ORDER BY created_at DESC, id"
        ))
        .bind(tenant.to_string())
        .fetch_all(&self.readers)
        .await
        .map_err(map_err("API token"))?
        .into_iter()
        .map(token)
        .collect()
    }

    async fn api_token_by_digest(&self, digest: &str) -> Result<ApiToken, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE digest = ?"
        ))
        .bind(digest)
        .fetch_one(&self.readers)
        .await
        .map_err(map_err("API token"))?;
        token(row)
    }

    async fn revoke_api_token(
        &self,
        tenant: TenantId,
        id: Uuid,
        at: OffsetDateTime,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("API token"))?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = ? \
             WHERE id = ? AND tenant_id = ? AND revoked_at IS NULL",
        )
        .bind(to_text(at)?)
        .bind(id.to_string())
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await
        .map_err(map_err("API token"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("API token"));
        }
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("API token"))
    }

    async fn touch_api_token(&self, id: Uuid, at: OffsetDateTime) -> Result<(), StoreError> {
        sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
            .bind(to_text(at)?)
            .bind(id.to_string())
            .execute(&self.writer)
            .await
            .map_err(map_err("API token"))?;
        Ok(())
    }
}
