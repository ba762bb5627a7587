//! One-time links, sessions and sign-in throttling in PostgreSQL.

use async_trait::async_trait;
use haven_domain::accounts::{LinkPurpose, OneTimeLink, Role, SessionRecord};
use haven_domain::{TenantId, UserId};
use haven_store::{SessionStore, StoreError};
use sqlx::Row;
use sqlx::postgres::PgRow;
use time::OffsetDateTime;

use crate::PostgresStore;
use crate::errors::map_err;

const LINK_COLUMNS: &str = "digest, user_id, purpose, tenant_id, role, expires_at";
const SESSION_COLUMNS: &str = "digest, user_id, tenant_id, csrf_token, second_factor_done, created_at, last_seen_at, authenticated_at";

fn link(row: PgRow) -> Result<OneTimeLink, StoreError> {
    let get = map_err("link");
    let purpose: String = row.try_get("purpose").map_err(&get)?;
    let tenant: Option<uuid::Uuid> = row.try_get("tenant_id").map_err(&get)?;
    let role: Option<String> = row.try_get("role").map_err(&get)?;
    let invitation = match (tenant, role) {
        (Some(tenant), Some(role)) => Some((
            TenantId::from_uuid(tenant),
            Role::from_code(&role).ok_or_else(|| StoreError::corrupt("link role", &role))?,
        )),
        _ => None,
    };
    Ok(OneTimeLink {
        digest: row.try_get("digest").map_err(&get)?,
        user: UserId::from_uuid(row.try_get("user_id").map_err(&get)?),
        purpose: LinkPurpose::from_code(&purpose)
            .ok_or_else(|| StoreError::corrupt("link purpose", &purpose))?,
        invitation,
        expires_at: row.try_get("expires_at").map_err(&get)?,
    })
}

fn session(row: PgRow) -> Result<SessionRecord, StoreError> {
    let get = map_err("session");
    let tenant: Option<uuid::Uuid> = row.try_get("tenant_id").map_err(&get)?;
    let time = |name: &'static str| -> Result<OffsetDateTime, StoreError> {
        row.try_get(name).map_err(map_err("session"))
    };
    Ok(SessionRecord {
        digest: row.try_get("digest").map_err(&get)?,
        user: UserId::from_uuid(row.try_get("user_id").map_err(&get)?),
        tenant: tenant.map(TenantId::from_uuid),
        csrf_token: row.try_get("csrf_token").map_err(&get)?,
        second_factor_done: row.try_get("second_factor_done").map_err(&get)?,
        created_at: time("created_at")?,
        last_seen_at: time("last_seen_at")?,
        authenticated_at: time("authenticated_at")?,
    })
}

#[async_trait]
impl SessionStore for PostgresStore {
    async fn create_link(&self, new: &OneTimeLink) -> Result<(), StoreError> {
        let (tenant, role) = match new.invitation {
            Some((tenant, role)) => (Some(tenant.as_uuid()), Some(role.code())),
            None => (None, None),
        };
        sqlx::query(&format!(
            "INSERT INTO one_time_links ({LINK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
        ))
        .bind(&new.digest)
        .bind(new.user.as_uuid())
        .bind(new.purpose.code())
        .bind(tenant)
        .bind(role)
        .bind(new.expires_at)
        .execute(&self.pool)
        .await
        .map_err(map_err("link"))?;
        Ok(())
    }

    async fn link(
        &self,
        digest: &str,
        purpose: LinkPurpose,
        now: OffsetDateTime,
    ) -> Result<OneTimeLink, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {LINK_COLUMNS} FROM one_time_links \
             WHERE digest = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3"
        ))
        .bind(digest)
        .bind(purpose.code())
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err("link"))?;
        link(row)
    }

    async fn use_link(
        &self,
        digest: &str,
        purpose: LinkPurpose,
        now: OffsetDateTime,
    ) -> Result<OneTimeLink, StoreError> {
        let row = sqlx::query(&format!(
            "UPDATE one_time_links SET used_at = $3 \
             WHERE digest = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
             RETURNING {LINK_COLUMNS}"
        ))
        .bind(digest)
        .bind(purpose.code())
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err("link"))?;
        link(row)
    }

    async fn create_session(&self, new: &SessionRecord) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "INSERT INTO sessions ({SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(&new.digest)
        .bind(new.user.as_uuid())
        .bind(new.tenant.map(|t| t.as_uuid()))
        .bind(&new.csrf_token)
        .bind(new.second_factor_done)
        .bind(new.created_at)
        .bind(new.last_seen_at)
        .bind(new.authenticated_at)
        .execute(&self.pool)
        .await
        .map_err(map_err("user"))?;
        Ok(())
    }

    async fn session(&self, digest: &str) -> Result<SessionRecord, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE digest = $1"
        ))
        .bind(digest)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err("session"))?;
        session(row)
    }

    async fn update_session(&self, s: &SessionRecord) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE sessions SET tenant_id = $1, csrf_token = $2, second_factor_done = $3, \
             last_seen_at = $4, authenticated_at = $5 WHERE digest = $6",
        )
        .bind(s.tenant.map(|t| t.as_uuid()))
        .bind(&s.csrf_token)
        .bind(s.second_factor_done)
        .bind(s.last_seen_at)
        .bind(s.authenticated_at)
        .bind(&s.digest)
        .execute(&self.pool)
        .await
        .map_err(map_err("organisation"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("session"));
        }
        Ok(())
    }

    async fn delete_session(&self, digest: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE digest = $1")
            .bind(digest)
            .execute(&self.pool)
            .await
            .map_err(map_err("session"))?;
        Ok(())
    }

    async fn delete_sessions_of(&self, user: UserId) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(map_err("session"))?;
        Ok(done.rows_affected())
    }

    async fn record_sign_in_failure(
        &self,
        key: &str,
        at: OffsetDateTime,
    ) -> Result<u32, StoreError> {
        let failures: i32 = sqlx::query_scalar(
            "INSERT INTO sign_in_failures (key, failures, last_failure_at) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET failures = sign_in_failures.failures + 1, last_failure_at = excluded.last_failure_at \
             RETURNING failures",
        )
        .bind(key)
        .bind(at)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err("throttle"))?;
        Ok(u32::try_from(failures).unwrap_or(u32::MAX))
    }

    async fn sign_in_failures(
        &self,
        key: &str,
    ) -> Result<Option<(u32, OffsetDateTime)>, StoreError> {
        let row =
            sqlx::query("SELECT failures, last_failure_at FROM sign_in_failures WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err("throttle"))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let failures: i32 = row.try_get("failures").map_err(map_err("throttle"))?;
        let at: OffsetDateTime = row
            .try_get("last_failure_at")
            .map_err(map_err("throttle"))?;
        Ok(Some((u32::try_from(failures).unwrap_or(u32::MAX), at)))
    }

    async fn clear_sign_in_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(map_err("throttle"))?;
        Ok(())
    }
}
