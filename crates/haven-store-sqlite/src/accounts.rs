//! Users, tenants and memberships in SQLite.

use async_trait::async_trait;
use haven_domain::accounts::{
    AuditEvent, Email, LinkPurpose, Membership, Role, Tenant, TenantStatus, User,
};
use haven_domain::directory::MAX_NAME_CHARS;
use haven_domain::{OrganisationId, TenantId, Text, UserId};
use haven_store::AccountSetUp;
use haven_store::rows::uuid_from_text;
use haven_store::{AccountStore, StoreError};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use time::OffsetDateTime;

use crate::errors::map_err;
use crate::time_text::{from_text, to_text};
use crate::{SqliteStore, audit};

/// Refuses a change that would leave `tenant` without an admin: `user` stops being one (a new
/// role that is not admin, or `None` for removal) while nobody else is. The first statement
/// writes, so the transaction holds SQLite's write lock before it reads: no other change can
/// slip in between the check and the write.
async fn keep_an_admin(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    user: UserId,
    tenant: TenantId,
    new_role: Option<Role>,
) -> Result<(), StoreError> {
    if new_role == Some(Role::OrganisationAdmin) {
        return Ok(());
    }
    sqlx::query("UPDATE tenants SET status = status WHERE id = $1")
        .bind(tenant.to_string())
        .execute(&mut **tx)
        .await
        .map_err(map_err("organisation"))?;
    let (is_admin, other_admins): (i64, i64) = sqlx::query_as(
        "SELECT \
           COALESCE(SUM(user_id = $1), 0), \
           COALESCE(SUM(user_id <> $1), 0) \
         FROM memberships WHERE tenant_id = $2 AND role = $3",
    )
    .bind(user.to_string())
    .bind(tenant.to_string())
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
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
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
    .bind(user.to_string())
    .bind(to_text(now)?)
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
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    m: &Membership,
) -> Result<(), StoreError> {
    keep_an_admin(tx, m.user, m.tenant, Some(m.role)).await?;
    sqlx::query(
        "INSERT INTO memberships (user_id, tenant_id, role) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, tenant_id) DO UPDATE SET role = excluded.role",
    )
    .bind(m.user.to_string())
    .bind(m.tenant.to_string())
    .bind(m.role.code())
    .execute(&mut **tx)
    .await
    .map_err(map_err("user or organisation"))?;
    Ok(())
}

const USER_COLUMNS: &str =
    "id, email, password_hash, totp_secret, totp_last_step, site_admin, language, created_at";
const TENANT_COLUMNS: &str = "id, name, status, directory_organization_id, created_at";

fn user(row: SqliteRow) -> Result<User, StoreError> {
    let get = map_err("user");
    let id: String = row.try_get("id").map_err(&get)?;
    let email: String = row.try_get("email").map_err(&get)?;
    let step: Option<i64> = row.try_get("totp_last_step").map_err(&get)?;
    let created_at: String = row.try_get("created_at").map_err(&get)?;
    Ok(User {
        id: UserId::from_uuid(uuid_from_text("user id", &id)?),
        email: Email::parse(&email).map_err(|e| StoreError::corrupt("user email", e))?,
        password_hash: row.try_get("password_hash").map_err(&get)?,
        totp_secret: row.try_get("totp_secret").map_err(&get)?,
        totp_last_step: step.and_then(|s| u64::try_from(s).ok()),
        site_admin: row.try_get::<i64, _>("site_admin").map_err(&get)? == 1,
        language: row.try_get("language").map_err(&get)?,
        created_at: from_text("user created_at", &created_at)?,
    })
}

fn tenant(row: SqliteRow) -> Result<Tenant, StoreError> {
    let get = map_err("organisation");
    let id: String = row.try_get("id").map_err(&get)?;
    let name: String = row.try_get("name").map_err(&get)?;
    let status: String = row.try_get("status").map_err(&get)?;
    let listing: Option<String> = row.try_get("directory_organization_id").map_err(&get)?;
    let created_at: String = row.try_get("created_at").map_err(&get)?;
    Ok(Tenant {
        id: TenantId::from_uuid(uuid_from_text("tenant id", &id)?),
        name: Text::parse(&name, MAX_NAME_CHARS)
            .map_err(|e| StoreError::corrupt("tenant name", e))?,
        status: TenantStatus::from_code(&status)
            .ok_or_else(|| StoreError::corrupt("tenant status", &status))?,
        listing: listing
            .map(|l| uuid_from_text("tenant listing", &l).map(OrganisationId::from_uuid))
            .transpose()?,
        created_at: from_text("tenant created_at", &created_at)?,
    })
}

fn membership(row: SqliteRow) -> Result<Membership, StoreError> {
    let get = map_err("membership");
    let user: String = row.try_get("user_id").map_err(&get)?;
    let tenant: String = row.try_get("tenant_id").map_err(&get)?;
    let role: String = row.try_get("role").map_err(&get)?;
    Ok(Membership {
        user: UserId::from_uuid(uuid_from_text("membership user", &user)?),
        tenant: TenantId::from_uuid(uuid_from_text("membership tenant", &tenant)?),
        role: Role::from_code(&role)
            .ok_or_else(|| StoreError::corrupt("membership role", &role))?,
    })
}

fn step_to_sql(step: u64) -> Result<i64, StoreError> {
    i64::try_from(step).map_err(|_| StoreError::Other("TOTP step out of range".to_owned()))
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn create_user(&self, new: &User, event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("user"))?;
        sqlx::query(&format!(
            "INSERT INTO users ({USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(new.id.to_string())
        .bind(new.email.as_str())
        .bind(&new.password_hash)
        .bind(&new.totp_secret)
        .bind(new.totp_last_step.map(step_to_sql).transpose()?)
        .bind(i64::from(new.site_admin))
        .bind(&new.language)
        .bind(to_text(new.created_at)?)
        .execute(&mut *tx)
        .await
        .map_err(map_err("user"))?;
        audit::append(&mut tx, event).await?;
        tx.commit().await.map_err(map_err("user"))
    }

    async fn user(&self, id: UserId) -> Result<User, StoreError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id.to_string())
            .fetch_one(&self.readers)
            .await
            .map_err(map_err("user"))?;
        user(row)
    }

    async fn user_by_email(&self, email: &Email) -> Result<User, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
        ))
        .bind(email.as_str())
        .fetch_one(&self.readers)
        .await
        .map_err(map_err("user"))?;
        user(row)
    }

    async fn set_up_account(&self, set_up: &AccountSetUp<'_>) -> Result<(), StoreError> {
        let user = set_up.user.to_string();
        let mut tx = self.writer.begin().await.map_err(map_err("user"))?;
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
        .bind(&user)
        .execute(&mut *tx)
        .await
        .map_err(map_err("user"))?;
        if done.rows_affected() != 1 {
            return Err(StoreError::not_found("user"));
        }
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(&user)
            .execute(&mut *tx)
            .await
            .map_err(map_err("recovery code"))?;
        for digest in set_up.recovery_digests {
            sqlx::query("INSERT INTO recovery_codes (user_id, digest) VALUES ($1, $2)")
                .bind(&user)
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
        let mut tx = self.writer.begin().await.map_err(map_err("user"))?;
        use_users_link(&mut tx, link_digest, LinkPurpose::PasswordReset, user, now).await?;
        let user = user.to_string();
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(&user)
            .execute(&mut *tx)
            .await
            .map_err(map_err("user"))?;
        if done.rows_affected() != 1 {
            return Err(StoreError::not_found("user"));
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(&user)
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
        let mut tx = self.writer.begin().await.map_err(map_err("user"))?;
        let done = sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
            .bind(language)
            .bind(id.to_string())
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
        let rows: Vec<(String, Vec<u8>)> = sqlx::query_as(
            "SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL ORDER BY id",
        )
        .fetch_all(&self.readers)
        .await
        .map_err(map_err("user"))?;
        rows.into_iter()
            .map(|(id, secret)| Ok((UserId::from_uuid(uuid_from_text("user id", &id)?), secret)))
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
                .bind(id.to_string())
                .bind(old)
                .execute(&self.writer)
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
        .bind(id.to_string())
        .execute(&self.writer)
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
        .bind(to_text(at)?)
        .bind(id.to_string())
        .bind(digest)
        .execute(&self.writer)
        .await
        .map_err(map_err("recovery code"))?;
        Ok(done.rows_affected() == 1)
    }

    async fn create_tenant(&self, new: &Tenant, event: &AuditEvent) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("organisation"))?;
        sqlx::query(&format!(
            "INSERT INTO tenants ({TENANT_COLUMNS}) VALUES ($1, $2, $3, $4, $5)"
        ))
        .bind(new.id.to_string())
        .bind(new.name.as_str())
        .bind(new.status.code())
        .bind(new.listing.map(|l| l.to_string()))
        .bind(to_text(new.created_at)?)
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
        .bind(id.to_string())
        .fetch_one(&self.readers)
        .await
        .map_err(map_err("organisation"))?;
        tenant(row)
    }

    async fn tenants(&self, status: Option<TenantStatus>) -> Result<Vec<Tenant>, StoreError> {
        sqlx::query(&format!(
            "SELECT {TENANT_COLUMNS} FROM tenants WHERE $1 IS NULL OR status = $1 ORDER BY created_at, id"
        ))
        .bind(status.map(TenantStatus::code))
        .fetch_all(&self.readers)
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
        let mut tx = self.writer.begin().await.map_err(map_err("organisation"))?;
        let done = sqlx::query("UPDATE tenants SET status = $1 WHERE id = $2")
            .bind(status.code())
            .bind(id.to_string())
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
        let mut tx = self.writer.begin().await.map_err(map_err("membership"))?;
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
        let mut tx = self.writer.begin().await.map_err(map_err("membership"))?;
        keep_an_admin(&mut tx, user, tenant, None).await?;
        let done = sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND tenant_id = $2")
            .bind(user.to_string())
            .bind(tenant.to_string())
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
            .bind(user.to_string())
            .fetch_all(&self.readers)
            .await
            .map_err(map_err("membership"))?
            .into_iter()
            .map(membership)
            .collect()
    }

    async fn members_of(&self, tenant: TenantId) -> Result<Vec<Membership>, StoreError> {
        sqlx::query("SELECT user_id, tenant_id, role FROM memberships WHERE tenant_id = $1 ORDER BY user_id")
            .bind(tenant.to_string())
            .fetch_all(&self.readers)
            .await
            .map_err(map_err("membership"))?
            .into_iter()
            .map(membership)
            .collect()
    }
}
