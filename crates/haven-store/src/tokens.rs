//! API tokens an organisation creates for its own integrations. Only a digest of each secret
//! is stored; a token is found by that digest, and is usable while unexpired and unrevoked.

use async_trait::async_trait;
use haven_domain::TenantId;
use haven_domain::accounts::AuditEvent;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;

/// One stored token (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: Uuid,
    pub tenant: TenantId,
    /// What the organisation calls it ("Website sync").
    pub name: String,
    /// SHA-256 of the secret, as `haven_auth::token::digest` gives it.
    pub digest: String,
    /// Scope codes (`listings:read`), sorted.
    pub scopes: Vec<String>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

impl ApiToken {
    /// Whether it may be used at `now`.
    pub fn is_usable(&self, now: OffsetDateTime) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// API tokens.
#[async_trait]
pub trait TokenStore {
    /// Stores a new token with its audit event; `Conflict` if the digest is already known.
    async fn create_api_token(
        &self,
        token: &ApiToken,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// A tenant's tokens, newest first.
    async fn api_tokens_of(&self, tenant: TenantId) -> Result<Vec<ApiToken>, StoreError>;
    /// The token with this digest; `NotFound` if none.
    async fn api_token_by_digest(&self, digest: &str) -> Result<ApiToken, StoreError>;
    /// Revokes a token of `tenant` with its audit event; `NotFound` if it is not one of the
    /// tenant's unrevoked tokens.
    async fn revoke_api_token(
        &self,
        tenant: TenantId,
        id: Uuid,
        at: OffsetDateTime,
        audit: &AuditEvent,
    ) -> Result<(), StoreError>;
    /// Records that a token was used.
    async fn touch_api_token(&self, id: Uuid, at: OffsetDateTime) -> Result<(), StoreError>;
}
