//! Users, tenants and memberships in PostgreSQL.

use async_trait::async_trait;
use haven_domain::accounts::{
    AuditEvent, Email, LinkPurpose, Membership, Role, Tenant, TenantStatus, User,
};
use haven_domain::directory::MAX_NAME_CHARS;
use haven_domain::{OrganisationId, TenantId, Text, UserId};
use haven_store::AccountSetUp;
use haven_store::{AccountStore, StoreError};
use sqlx::Row;
use sqlx::postgres::PgRow;
use time::OffsetDateTime;

use crate::errors::map_err;
use crate::{PostgresStore, audit};

/// Refuses a change that would leave `tenant` without an admin: `user` stops being one (a new
/// role that is not admin, or `None` for removal) while nobody else is. The tenant's row is
/// locked first, so membership changes in one organisation queue behind each other and two
/// admins demoting each other at once cannot both pass the check.
async fn keep_an_admin(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    user: UserId,
    tenant: TenantId,
    new_role: Option<Role>,
) -> Result<(), StoreError> {
    if new_role == Some(Role::OrganisationAdmin) {
        return Ok(());
    }
    sqlx::query("SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE")
        .bind(tenant.as_uuid())
        .fetch_optional(&mut **tx)
        .await
        .map_err(map_err("organisation"))?;
    let (is_admin, other_admins): (i64, i64) = sqlx::query_as(
        "SELECT \
           COUNT(*) FILTER (WHERE user_id = $1), \
           COUNT(*) FILTER (WHERE user_id <> $1) \
         FROM memberships WHERE tenant_id = $2 AND role = $3",
    )
    .bind(user.as_uuid())
    .bind(tenant.as_uuid())
    .bind(Role::OrganisationAdmin.code())
    .fetch_one(&mut **tx)
    .await
    .map_err(map_err("membership"))?;
    if is_admin > 0 && other_admins == 0 {
        return Err(StoreError::LastAdmin);
    }
    Ok(())
}

/// Uses up `user`'s unused, unexpired link for `purpose` inside `tx`; `NotFound` (and the
/// caller's transaction rolls back) if there is none.
async fn use_users_link(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    digest: &str,
    purpose: LinkPurpose,
    user: UserId,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let used = sqlx::query(
        "UPDATE one_time_links SET used_at = $4 \
         WHERE digest = $1 AND purpose = $2 AND user_id = $3 \
           AND used_at IS NULL AND expires_at > $4",
    )
    .bind(digest)
    .bind(purpose.code())
    .bind(user.as_uuid())
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(map_err("link"))?;
    if used.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::not_found("link"))
    }
}

/// Inserts a membership or changes its role, inside `tx`.
async fn upsert_membership(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    m: &Membership,
) -> Result<(), StoreError> {
    keep_an_admin(tx, m.user, m.tenant, Some(m.role)).await?;
    sqlx::query(
        "INSERT INTO memberships (user_id, tenant_id, role) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, tenant_id) DO UPDATE SET role = excluded.role",
    )
    .bind(m.user.as_uuid())
    .bind(m.tenant.as_uuid())
    .bind(m.role.code())
    .execute(&mut **tx)
    .await
    .map_err(map_err("user or organisation"))?;
    Ok(())
}

const USER_COLUMNS: &str =
    "id, email, password_hash, totp_secret, totp_last_step, site_admin, language, created_at";
const TENANT_COLUMNS: &str = "id, name, status, directory_organization_id, created_at";

fn user(row: PgRow) -> Result<User, StoreError> {
    let get = map_err("user");
    let email: String = row.try_get("email").map_err(&get)?;
    let step: Option<i64> = row.try_get("totp_last_step").map_err(&get)?;
    Ok(User {
        id: UserId::from_uuid(row.try_get("id").map_err(&get)?),
        email: Email::parse(&email).map_err(|e| StoreError::corrupt("user email", e))?,
        password_hash: row.try_get("password_hash").map_err(&get)?,
        totp_secret: row.try_get("totp_secret").map_err(&get)?,
        totp_last_step: step.and_then(|s| u64::try_from(s).ok()),
        site_admin: row.try_get("site_admin").map_err(&get)?,
        language: row.try_get("language").map_err(&get)?,
        created_at: row.try_get("created_at").map_err(&get)?,
    })
}

fn tenant(row: PgRow) -> Result<Tenant, StoreError> {
    let get = map_err("organisation");
    let name: String = row.try_get("name").map_err(&get)?;
    let status: String = row.try_get("status").map_err(&get)?;
    let listing: Option<uuid::Uuid> = row.try_get("directory_organization_id").map_err(&get)?;
    Ok(Tenant {
        id: TenantId::from_uuid(row.try_get("id").map_err(&get)?),
        name: Text::parse(&name, MAX_NAME_CHARS)
            .map_err(|e| StoreError::corrupt("tenant name", e))?,
        status: TenantStatus::from_code(&status)
            .ok_or_else(|| StoreError::corrupt("tenant status", &status))?,
        listing: listing.map(OrganisationId::from_uuid),
        created_at: row.try_get("created_at").map_err(&get)?,
    })
}

fn membership(row: PgRow) -> Result<Membership, StoreError> {
    let get = map_err("membership");
    let role: String = row.try_get("role").map_err(&get)?;
    Ok(Membership {
        user: UserId::from_uuid(row.try_get("user_id").map_err(&get)?),
        tenant: TenantId::from_uuid(row.try_get("tenant_id").map_err(&get)?),
        role: Role::from_code(&role)
            .ok_or_else(|| StoreError::corrupt("membership role", &role))?,
    })
}

fn step_to_sql(step: u64) -> Result<i64, StoreError> {
    i64::try_from(step).map_err(|_| StoreError::Other("TOTP step out of range".to_owned()))
}

#[async_trait]
impl AccountStore for PostgresStore {
    async fn create_user(&self, new: &User, event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err("user"))?;
        sqlx::query(&format!(
            "INSERT INTO users ({USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(new.id.as_uuid())
        .bind(new.email.as_str())
        .bind(&new.password_hash)
        .bind(&new.totp_secret)
        .bind(new.totp_last_step.map(step_to_sql).transpose()?)
        .bind(new.site_admin)
        .bind(&new.language)
        .bind(new.created_at)
        .execute(&mut *tx)
        .await
        .map_err(map_err("user"))?;
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("user"))
    }

    async fn user(&self, id: UserId) -> Result<User, StoreError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id.as_uuid())
            .fetch_one(&self.pool)
            .await
            .map_err(map_err("user"))?;
        user(row)
    }

    async fn user_by_email(&self, email: &Email) -> Result<User, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
        ))
        .bind(email.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(map_err("user"))?;
        user(row)
    }

    async fn set_up_account(&self, set_up: &AccountSetUp<'_>) -> Result<(), StoreError> {
        let user = set_up.user.as_uuid();
        let mut tx = self.pool.begin().await.map_err(map_err("user"))?;
        use_users_link(
            &mut tx,
            set_up.link_digest,
            set_up.link_purpose,
            set_up.user,
            set_up.now,
        )
        .await?;
        let done = sqlx::query(
            "UPDATE users SET password_hash = $1, totp_secret = $2, totp_last_step = $3, \
               language = COALESCE($4, language) \
             WHERE id = $5",
        )
        .bind(set_up.password_hash)
        .bind(set_up.totp_secret)
        .bind(step_to_sql(set_up.totp_step)?)
        .bind(set_up.language)
        .bind(user)
        .execute(&mut *tx)
        .await
        .map_err(map_err("user"))?;
        if done.rows_affected() != 1 {
            return Err(StoreError::not_found("user"));
        }
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(map_err("recovery code"))?;
        for digest in set_up.recovery_digests {
            sqlx::query("INSERT INTO recovery_codes (user_id, digest) VALUES ($1, $2)")
                .bind(user)
                .bind(digest)
                .execute(&mut *tx)
                .await
                .map_err(map_err("recovery code"))?;
        }
        if let Some(membership) = &set_up.membership {
            upsert_membership(&mut tx, membership).await?;
        }
        for event in set_up.events {
            audit::append(&mut tx, event).await?;
        }
        tx.commit().await.map_err(map_err("user"))
    }

    async fn reset_password(
        &self,
        user: UserId,
        link_digest: &str,
        now: OffsetDateTime,
        password_hash: &str,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err("user"))?;
        use_users_link(&mut tx, link_digest, LinkPurpose::PasswordReset, user, now).await?;
        let user = user.as_uuid();
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(map_err("user"))?;
        if done.rows_affected() != 1 {
            return Err(StoreError::not_found("user"));
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(map_err("session"))?;
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("user"))
    }

    async fn set_language(
        &self,
        id: UserId,
        language: &str,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err("user"))?;
        let done = sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
            .bind(language)
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(map_err("user"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("user"));
        }
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("user"))
    }

    async fn totp_secrets(&self) -> Result<Vec<(UserId, Vec<u8>)>, StoreError> {
        let rows: Vec<(uuid::Uuid, Vec<u8>)> = sqlx::query_as(
            "SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err("user"))?;
        rows.into_iter()
            .map(|(id, secret)| Ok((UserId::from_uuid(id), secret)))
            .collect()
    }

    async fn replace_totp_secret(
        &self,
        id: UserId,
        old: &[u8],
        new: &[u8],
    ) -> Result<bool, StoreError> {
        let done =
            sqlx::query("UPDATE users SET totp_secret = $1 WHERE id = $2 AND totp_secret = $3")
                .bind(new)
                .bind(id.as_uuid())
                .bind(old)
                .execute(&self.pool)
                .await
                .map_err(map_err("user"))?;
        Ok(done.rows_affected() == 1)
    }

    async fn claim_totp_step(&self, id: UserId, step: u64) -> Result<bool, StoreError> {
        let step = step_to_sql(step)?;
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1 \
             WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(id.as_uuid())
        .execute(&self.pool)
        .await
        .map_err(map_err("user"))?;
        Ok(done.rows_affected() == 1)
    }

    async fn claim_recovery_code(
        &self,
        id: UserId,
        digest: &str,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND digest = $3 AND used_at IS NULL",
        )
        .bind(at)
        .bind(id.as_uuid())
        .bind(digest)
        .execute(&self.pool)
        .await
        .map_err(map_err("recovery code"))?;
        Ok(done.rows_affected() == 1)
    }

    async fn create_tenant(&self, new: &Tenant, event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err("organisation"))?;
        sqlx::query(&format!(
            "INSERT INTO tenants ({TENANT_COLUMNS}) VALUES ($1, $2, $3, $4, $5)"
        ))
        .bind(new.id.as_uuid())
        .bind(new.name.as_str())
        .bind(new.status.code())
        .bind(new.listing.map(|l| l.as_uuid()))
        .bind(new.created_at)
        .execute(&mut *tx)
        .await
        .map_err(map_err("organisation"))?;
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("organisation"))
    }

    async fn tenant(&self, id: TenantId) -> Result<Tenant, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {TENANT_COLUMNS} FROM tenants WHERE id = $1"
        ))
        .bind(id.as_uuid())
        .fetch_one(&self.pool)
        .await
        .map_err(map_err("organisation"))?;
        tenant(row)
    }

    async fn tenants(&self, status: Option<TenantStatus>) -> Result<Vec<Tenant>, StoreError> {
        sqlx::query(&format!(
            "SELECT {TENANT_COLUMNS} FROM tenants WHERE $1::text IS NULL OR status = $1 ORDER BY created_at, id"
        ))
        .bind(status.map(TenantStatus::code))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err("organisation"))?
        .into_iter()
        .map(tenant)
        .collect()
    }

    async fn set_tenant_status(
        &self,
        id: TenantId,
        status: TenantStatus,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err("organisation"))?;
        let done = sqlx::query("UPDATE tenants SET status = $1 WHERE id = $2")
            .bind(status.code())
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(map_err("organisation"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("organisation"));
        }
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("organisation"))
    }

    async fn set_membership(&self, m: &Membership, event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err("membership"))?;
        upsert_membership(&mut tx, m).await?;
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("membership"))
    }

    async fn remove_membership(
        &self,
        user: UserId,
        tenant: TenantId,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err("membership"))?;
        keep_an_admin(&mut tx, user, tenant, None).await?;
        let done = sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND tenant_id = $2")
            .bind(user.as_uuid())
            .bind(tenant.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(map_err("membership"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("membership"));
        }
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("membership"))
    }

    async fn memberships_of(&self, user: UserId) -> Result<Vec<Membership>, StoreError> {
        sqlx::query("SELECT user_id, tenant_id, role FROM memberships WHERE user_id = $1 ORDER BY tenant_id")
            .bind(user.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(map_err("membership"))?
            .into_iter()
            .map(membership)
            .collect()
    }

    async fn members_of(&self, tenant: TenantId) -> Result<Vec<Membership>, StoreError> {
        sqlx::query("SELECT user_id, tenant_id, role FROM memberships WHERE tenant_id = $1 ORDER BY user_id")
            .bind(tenant.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(map_err("membership"))?
            .into_iter()
            .map(membership)
            .collect()
    }
}
