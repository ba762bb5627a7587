//! API tokens in PostgreSQL.

use async_trait::async_trait;
use haven_domain::TenantId;
use haven_domain::accounts::AuditEvent;
use haven_store::{ApiToken, StoreError, TokenStore};
use sqlx::Row;
use sqlx::postgres::PgRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::errors::map_err;
use crate::{PostgresStore, audit};

const COLUMNS: &str =
    "id, tenant_id, name, digest, scopes, created_at, expires_at, last_used_at, revoked_at";

fn token(row: PgRow) -> Result<ApiToken, StoreError> {
    let get = map_err("API token");
    let scopes: String = row.try_get("scopes").map_err(&get)?;
    Ok(ApiToken {
        id: row.try_get("id").map_err(&get)?,
        tenant: TenantId::from_uuid(row.try_get("tenant_id").map_err(&get)?),
        name: row.try_get("name").map_err(&get)?,
        digest: row.try_get("digest").map_err(&get)?,
        scopes: scopes.split_whitespace().map(str::to_owned).collect(),
        created_at: row.try_get("created_at").map_err(&get)?,
        expires_at: row.try_get("expires_at").map_err(&get)?,
        last_used_at: row.try_get("last_used_at").map_err(&get)?,
        revoked_at: row.try_get("revoked_at").map_err(&get)?,
    })
}

#[async_trait]
impl TokenStore for PostgresStore {
    async fn create_api_token(&self, new: &ApiToken, event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err("API token"))?;
        sqlx::query(&format!(
            "INSERT INTO api_tokens ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)"
        ))
        .bind(new.id)
        .bind(new.tenant.as_uuid())
        .bind(&new.name)
        .bind(&new.digest)
        .bind(new.scopes.join(" "))
        .bind(new.created_at)
        .bind(new.expires_at)
        .execute(&mut *tx)
        .await
        .map_err(map_err("API token"))?;
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("API token"))
    }

    async fn api_tokens_of(&self, tenant: TenantId) -> Result<Vec<ApiToken>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE tenant_id = $1 ORDER BY created_at DESC, id"
        ))
        .bind(tenant.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err("API token"))?
        .into_iter()
        .map(token)
        .collect()
    }

    async fn api_token_by_digest(&self, digest: &str) -> Result<ApiToken, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE digest = $1"
        ))
        .bind(digest)
        .fetch_one(&self.pool)
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
        let mut tx = self.pool.begin().await.map_err(map_err("API token"))?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 \
             WHERE id = $2 AND tenant_id = $3 AND revoked_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .bind(tenant.as_uuid())
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
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(map_err("API token"))?;
        Ok(())
    }
}
