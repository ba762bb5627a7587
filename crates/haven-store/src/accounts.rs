//! Accounts, sessions and the audit log. Every change that the audit log must record takes the
//! event and writes it in the same transaction as the change, so neither exists without the
//! other.

use async_trait::async_trait;
use haven_auth::audit_chain::StoredEntry;
use haven_domain::accounts::{
    AuditEvent, Email, LinkPurpose, Membership, OneTimeLink, SessionRecord, Tenant, TenantStatus,
    User,
};
use haven_domain::{TenantId, UserId};
use time::OffsetDateTime;

use crate::StoreError;

/// Everything that setting up an account writes (from a set-up link or an invitation to a
/// person without a password yet), stored by [`AccountStore::set_up_account`] in one
/// transaction: the link is used up, the password, second factor, recovery codes and the used
/// TOTP step are set, the membership (for an invitation) is added, and the events are audited.
#[derive(Debug)]
pub struct AccountSetUp<'a> {
    /// Whose account.
    pub user: UserId,
    /// The digest of the link being used; it must be this user's, unused and unexpired.
    pub link_digest: &'a str,
    /// What the link is for.
    pub link_purpose: LinkPurpose,
    /// Now, for the link's expiry and its use.
    pub now: OffsetDateTime,
    /// The new password's hash.
    pub password_hash: &'a str,
    /// The TOTP secret as stored (sealed).
    pub totp_secret: &'a [u8],
    /// The TOTP step the person just used to prove the second factor.
    pub totp_step: u64,
    /// Digests of the new recovery codes.
    pub recovery_digests: &'a [String],
    /// The person's preferred language (the one they set the account up in).
    pub language: Option<&'a str>,
    /// The membership an invitation grants.
    pub membership: Option<Membership>,
    /// The audit events, in order.
    pub events: &'a [AuditEvent],
}

/// Users, tenants and memberships.
#[async_trait]
pub trait AccountStore {
    /// Creates a user; `Conflict` if the e-mail address is taken.
    async fn create_user(&self, user: &User, audit: &AuditEvent) -> Result<(), StoreError>;
    /// One user.
    async fn user(&self, id: UserId) -> Result<User, StoreError>;
    /// The user with this address.
    async fn user_by_email(&self, email: &Email) -> Result<User, StoreError>;
    /// Sets an account up in one transaction (see [`AccountSetUp`]). `NotFound` if the link is
    /// not this user's, already used or expired; then nothing is written.
    async fn set_up_account(&self, set_up: &AccountSetUp<'_>) -> Result<(), StoreError>;
    /// Finishes a password reset in one transaction: uses up the reset link (it must be this
    /// user's, unused and unexpired, else `NotFound` and nothing is written), sets the new
    /// password, ends every session of the user (one an attacker may hold), and audits it.
    async fn reset_password(
        &self,
        user: UserId,
        link_digest: &str,
        now: OffsetDateTime,
        password_hash: &str,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// Sets the language e-mails to this person are written in; `NotFound` if no such user.
    async fn set_language(
        &self,
        id: UserId,
        language: &str,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// Every stored TOTP secret (as stored, sealed or from before sealing), for resealing.
    async fn totp_secrets(&self) -> Result<Vec<(UserId, Vec<u8>)>, StoreError>;
    /// Replaces a user's stored TOTP secret only if it is still `old`, so a secret set up
    /// meanwhile is never overwritten; returns whether it was replaced.
    async fn replace_totp_secret(
        &self,
        id: UserId,
        old: &[u8],
        new: &[u8],
    ) -> Result<bool, StoreError>;
    /// Records that TOTP step `step` was used, only if it is later than the last one used.
    /// Returns whether it was recorded (false: the code was already used).
    async fn claim_totp_step(&self, id: UserId, step: u64) -> Result<bool, StoreError>;
    /// Marks a recovery code used; false if there is no such unused code.
    async fn claim_recovery_code(
        &self,
        id: UserId,
        digest: &str,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// Creates a tenant.
    async fn create_tenant(&self, tenant: &Tenant, audit: &AuditEvent) -> Result<(), StoreError>;
    /// One tenant.
    async fn tenant(&self, id: TenantId) -> Result<Tenant, StoreError>;
    /// Tenants, optionally only those in one state, oldest first.
    async fn tenants(&self, status: Option<TenantStatus>) -> Result<Vec<Tenant>, StoreError>;
    /// Changes a tenant's state.
    async fn set_tenant_status(
        &self,
        id: TenantId,
        status: TenantStatus,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// Adds a member or changes their role. `LastAdmin` if it would demote the organisation's
    /// only admin (checked under a lock on the tenant, so concurrent changes cannot both pass).
    async fn set_membership(
        &self,
        membership: &Membership,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// Removes a member; `NotFound` if they were not one, `LastAdmin` if they are its only admin.
    async fn remove_membership(
        &self,
        user: UserId,
        tenant: TenantId,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// A user's memberships.
    async fn memberships_of(&self, user: UserId) -> Result<Vec<Membership>, StoreError>;
    /// A tenant's members.
    async fn members_of(&self, tenant: TenantId) -> Result<Vec<Membership>, StoreError>;
}

/// One-time links and sessions.
#[async_trait]
pub trait SessionStore {
    /// Stores a new link.
    async fn create_link(&self, link: &OneTimeLink) -> Result<(), StoreError>;
    /// The unused, unexpired link with this digest and purpose.
    async fn link(
        &self,
        digest: &str,
        purpose: LinkPurpose,
        now: OffsetDateTime,
    ) -> Result<OneTimeLink, StoreError>;
    /// Uses a link up: afterwards it is `NotFound`. `NotFound` if already used or expired.
    async fn use_link(
        &self,
        digest: &str,
        purpose: LinkPurpose,
        now: OffsetDateTime,
    ) -> Result<OneTimeLink, StoreError>;

    /// Stores a new session.
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError>;
    /// The session with this digest (expired or not: the caller decides).
    async fn session(&self, digest: &str) -> Result<SessionRecord, StoreError>;
    /// Replaces a session's mutable fields (tenant, second factor, times).
    async fn update_session(&self, session: &SessionRecord) -> Result<(), StoreError>;
    /// Ends one session.
    async fn delete_session(&self, digest: &str) -> Result<(), StoreError>;
    /// Ends every session of a user ("sign out everywhere"); returns how many.
    async fn delete_sessions_of(&self, user: UserId) -> Result<u64, StoreError>;

    /// Counts a failed sign-in under `key` (an account or an address); returns the count.
    async fn record_sign_in_failure(
        &self,
        key: &str,
        at: OffsetDateTime,
    ) -> Result<u32, StoreError>;
    /// Failures under `key` and when the last was.
    async fn sign_in_failures(
        &self,
        key: &str,
    ) -> Result<Option<(u32, OffsetDateTime)>, StoreError>;
    /// Forgets failures under `key` after a success.
    async fn clear_sign_in_failures(&self, key: &str) -> Result<(), StoreError>;
}

/// The audit log, read side (writes ride along with the changes they record).
#[async_trait]
pub trait AuditStore {
    /// Appends an event that is not part of another change (a sign-in, a view, an export).
    async fn append_audit(&self, event: &AuditEvent) -> Result<(), StoreError>;
    /// Every chain's name.
    async fn audit_scopes(&self) -> Result<Vec<String>, StoreError>;
    /// One chain's entries in order.
    async fn audit_entries(&self, scope: &str) -> Result<Vec<StoredEntry>, StoreError>;
}
