//! `haven user` and `haven audit`: account and audit-log commands for operators.

use haven_auth::audit_chain::verify_chain;
use haven_domain::UserId;
use haven_domain::accounts::{AuditEvent, AuditScope, Email, LinkPurpose, OneTimeLink, User};
use haven_store::{Store, StoreError};
use time::Duration;

use crate::Failure;

/// How long a set-up link works.
const SET_UP_LINK_LIFETIME: Duration = Duration::hours(24);

/// Creates a site administrator and prints their set-up link.
pub async fn create_site_admin(
    store: &dyn Store,
    email: &str,
    public_url: &str,
) -> Result<(), Failure> {
    let email =
        Email::parse(email).map_err(|e| Failure::startup(format!("the e-mail address {e}")))?;
    let now = time::OffsetDateTime::now_utc();
    let user = User {
        id: UserId::new_random(),
        email,
        password_hash: None,
        totp_secret: None,
        totp_last_step: None,
        site_admin: true,
        language: None,
        created_at: now,
    };
    let event = AuditEvent {
        scope: AuditScope::Site,
        at: now,
        actor: None,
        action: "site_admin_created",
        subject: Some(("user", user.id.to_string())),
    };
    match store.create_user(&user, &event).await {
        Ok(()) => {}
        Err(StoreError::Conflict { .. }) => {
            return Err(Failure::startup(
                "an account with that e-mail address already exists",
            ));
        }
        Err(e) => return Err(Failure::runtime(e.to_string())),
    }
    let token = haven_auth::token::new_token();
    let link = OneTimeLink {
        digest: token.digest,
        user: user.id,
        purpose: LinkPurpose::SetUp,
        invitation: None,
        expires_at: now + SET_UP_LINK_LIFETIME,
    };
    store
        .create_link(&link)
        .await
        .map_err(|e| Failure::runtime(e.to_string()))?;
    println!("Site administrator created. Open this link to choose a password and a second factor");
    println!("(it works once, for 24 hours; give it to no one else):");
    println!("{public_url}/account/set-up/{}", token.secret);
    Ok(())
}

/// Verifies every chain; fails naming the first broken entry.
pub async fn verify(store: &dyn Store) -> Result<(), Failure> {
    let scopes = store
        .audit_scopes()
        .await
        .map_err(|e| Failure::runtime(e.to_string()))?;
    let mut entries_checked = 0;
    for scope in &scopes {
        let entries = store
            .audit_entries(scope)
            .await
            .map_err(|e| Failure::runtime(e.to_string()))?;
        verify_chain(&entries).map_err(|e| Failure::runtime(format!("audit log broken: {e}")))?;
        entries_checked += entries.len();
    }
    println!(
        "audit log intact: {} chain(s), {entries_checked} entries",
        scopes.len()
    );
    Ok(())
}

/// Prints each chain's head.
pub async fn checkpoint(store: &dyn Store) -> Result<(), Failure> {
    let scopes = store
        .audit_scopes()
        .await
        .map_err(|e| Failure::runtime(e.to_string()))?;
    for scope in &scopes {
        let entries = store
            .audit_entries(scope)
            .await
            .map_err(|e| Failure::runtime(e.to_string()))?;
        if let Some(last) = entries.last() {
            println!("{scope} {} {}", last.seq, last.hash);
        }
    }
    Ok(())
}
