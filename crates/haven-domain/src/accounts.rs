//! Accounts: people who sign in, the organisations they act for (tenants), their roles, and the
//! rules about who may do what.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::{OrganisationId, TenantId, UserId};

/// An e-mail address, trimmed and lower-cased so one person has one account.
///
/// Deliberately permissive (one `@`, something either side, no spaces): the only real check of
/// an address is a message reaching it.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

/// Why an address was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Not of the form `name@domain`.
    #[error("is not an e-mail address")]
    Malformed,
    /// Longer than 254 characters (RFC 5321's limit).
    #[error("is too long")]
    TooLong,
}

impl Email {
    /// Validates and normalises an address.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let address = raw.trim().to_lowercase();
        if address.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let Some((local, domain)) = address.split_once('@') else {
            return Err(EmailError::Malformed);
        };
        let valid = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !address.chars().any(|c| c.is_whitespace() || c.is_control());
        if valid {
            Ok(Self(address))
        } else {
            Err(EmailError::Malformed)
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Addresses are personal data: debug output never shows them.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(…)")
    }
}

/// What a member may do in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads what the organisation shares with all members; no case data.
    Viewer,
    /// Helps with the organisation's work; limited case access.
    Volunteer,
    /// Records and works on cases.
    Caseworker,
    /// Manages members, listings and settings.
    OrganisationAdmin,
}

impl Role {
    /// Every role, least privileged first.
    pub const ALL: [Role; 4] = [
        Role::Viewer,
        Role::Volunteer,
        Role::Caseworker,
        Role::OrganisationAdmin,
    ];

    /// The stable code.
    pub const fn code(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Volunteer => "volunteer",
            Role::Caseworker => "caseworker",
            Role::OrganisationAdmin => "organisation_admin",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.code() == code)
    }

    /// Roles that can see case data must use a second factor.
    pub const fn sees_case_data(self) -> bool {
        matches!(
            self,
            Role::Volunteer | Role::Caseworker | Role::OrganisationAdmin
        )
    }
}

/// Where an organisation's application to use Haven stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantStatus {
    /// Signed up, waiting for a site admin.
    Pending,
    /// Approved: its members can sign in and work.
    Approved,
    /// Turned down.
    Rejected,
}

impl TenantStatus {
    /// Every status.
    pub const ALL: [TenantStatus; 3] = [
        TenantStatus::Pending,
        TenantStatus::Approved,
        TenantStatus::Rejected,
    ];

    /// The stable code.
    pub const fn code(self) -> &'static str {
        match self {
            TenantStatus::Pending => "pending",
            TenantStatus::Approved => "approved",
            TenantStatus::Rejected => "rejected",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }
}

/// A person who signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Stable id.
    pub id: UserId,
    /// Sign-in address.
    pub email: Email,
    /// Argon2id PHC string; `None` until the person sets a password.
    pub password_hash: Option<String>,
    /// TOTP secret; `None` until the person sets up a second factor.
    pub totp_secret: Option<Vec<u8>>,
    /// The last TOTP step accepted, so no code is accepted twice.
    pub totp_last_step: Option<u64>,
    /// Runs the whole site: approves organisations, moderates listings.
    pub site_admin: bool,
    /// The language the person reads Haven in (a language tag such as `ar`), for e-mails to
    /// them; `None` until known.
    pub language: Option<String>,
    /// When the account was made.
    pub created_at: OffsetDateTime,
}

/// An organisation using Haven: the tenant whose records are isolated from all others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    /// Stable id.
    pub id: TenantId,
    /// Its name.
    pub name: crate::Text,
    /// Approval state.
    pub status: TenantStatus,
    /// Its listing in the public directory, if it has claimed or created one.
    pub listing: Option<OrganisationId>,
    /// When it signed up.
    pub created_at: OffsetDateTime,
}

/// A person's role in a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Membership {
    /// Who.
    pub user: UserId,
    /// Where.
    pub tenant: TenantId,
    /// As what.
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_hidden_from_debug() {
        let email = Email::parse("  Amina@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "amina@example.org");
        assert_eq!(format!("{email:?}"), "Email(…)");
        for bad in [
            "",
            "amina",
            "@example.org",
            "amina@",
            "amina@example",
            "a b@example.org",
            "a@b@c.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn role_codes_round_trip_and_case_roles_need_two_factors() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert!(!Role::Viewer.sees_case_data());
        assert!(Role::Caseworker.sees_case_data());
    }
}

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkPurpose {
    /// First sign-in: set a password and a second factor.
    SetUp,
    /// Join an organisation with a role.
    Invitation,
    /// Choose a new password (the second factor is still asked for).
    PasswordReset,
}

impl LinkPurpose {
    /// Every purpose.
    pub const ALL: [LinkPurpose; 3] = [
        LinkPurpose::SetUp,
        LinkPurpose::Invitation,
        LinkPurpose::PasswordReset,
    ];

    /// The stable code.
    pub const fn code(self) -> &'static str {
        match self {
            LinkPurpose::SetUp => "set_up",
            LinkPurpose::Invitation => "invitation",
            LinkPurpose::PasswordReset => "password_reset",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// A link sent to a person that works once, until it expires. Only its digest is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneTimeLink {
    /// SHA-256 of the secret in the link.
    pub digest: String,
    /// The account it acts on.
    pub user: UserId,
    /// What it is for.
    pub purpose: LinkPurpose,
    /// For invitations: the organisation and role offered.
    pub invitation: Option<(TenantId, Role)>,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
}

/// A signed-in browser. Only the digest of the cookie's secret is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the cookie value.
    pub digest: String,
    /// Who.
    pub user: UserId,
    /// The organisation the person is acting for now, if any.
    pub tenant: Option<TenantId>,
    /// The token every state-changing form must carry.
    pub csrf_token: String,
    /// Whether the second factor has been given (until then the session can only finish
    /// signing in).
    pub second_factor_done: bool,
    /// When the session began: it ends 12 hours later whatever happens.
    pub created_at: OffsetDateTime,
    /// The last request: it ends after 30 minutes without one.
    pub last_seen_at: OffsetDateTime,
    /// When the person last proved who they are (for re-authentication before sensitive
    /// actions).
    pub authenticated_at: OffsetDateTime,
}

/// How long a session may last without a request.
pub const SESSION_IDLE_LIMIT: time::Duration = time::Duration::minutes(30);
/// How long a session may last at all.
pub const SESSION_ABSOLUTE_LIMIT: time::Duration = time::Duration::hours(12);
/// How recently a person must have proved who they are before a sensitive action.
pub const REAUTHENTICATION_WINDOW: time::Duration = time::Duration::minutes(5);

impl SessionRecord {
    /// Whether the session has ended by either time limit at `now`.
    pub fn expired(&self, now: OffsetDateTime) -> bool {
        now - self.last_seen_at > SESSION_IDLE_LIMIT
            || now - self.created_at > SESSION_ABSOLUTE_LIMIT
    }
}

/// Which audit chain an event belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditScope {
    /// Site-wide events (sign-ins, approvals).
    Site,
    /// One organisation's events.
    Tenant(TenantId),
}

impl AuditScope {
    /// The chain's name in storage.
    pub fn key(&self) -> String {
        match self {
            AuditScope::Site => "site".to_owned(),
            AuditScope::Tenant(id) => id.to_string(),
        }
    }
}

/// Something that happened, for the audit log. Ids only, never personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// Which chain.
    pub scope: AuditScope,
    /// When.
    pub at: OffsetDateTime,
    /// Who did it, if a signed-in person.
    pub actor: Option<UserId>,
    /// What, as a stable code (e.g. `sign_in`, `sign_in_failed`, `role_change`).
    pub action: &'static str,
    /// What it was done to: a kind and an id.
    pub subject: Option<(&'static str, String)>,
}
