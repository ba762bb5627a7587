//! Getting in and out: the set-up link, sign-in with a second factor, the account page and
//! signing out.

mod overview;
mod reset;
pub(crate) mod set_up;
pub(crate) mod sign_in;

pub(crate) use overview::CsrfOnly;

use haven_domain::UserId;
use haven_domain::accounts::{AuditEvent, AuditScope, LinkPurpose, OneTimeLink};
use time::OffsetDateTime;

use crate::access::Access::{Public, SignedIn};
use crate::access::Routes;
use crate::state::AppState;

pub(crate) fn routes(state: &AppState) -> Routes {
    Routes::new(state)
        .get("/account", SignedIn, overview::show)
        .post("/account/language", SignedIn, overview::set_language)
        .get("/account/set-up/{token}", Public, set_up::form)
        .post("/account/set-up/{token}", Public, set_up::submit)
        .get("/account/reset", Public, reset::form)
        .post("/account/reset", Public, reset::submit)
        .get("/account/reset/{token}", Public, reset::new_password_form)
        .post("/account/reset/{token}", Public, reset::new_password_submit)
        .get("/sign-in", Public, sign_in::form)
        .post("/sign-in", Public, sign_in::submit)
        .get("/sign-in/code", Public, sign_in::code_form)
        .post("/sign-in/code", Public, sign_in::code_submit)
        .post("/sign-out", SignedIn, overview::sign_out)
        .post(
            "/sign-out/everywhere",
            SignedIn,
            overview::sign_out_everywhere,
        )
}

/// A site-wide audit event about a user.
pub(crate) fn site_event(
    action: &'static str,
    actor: Option<UserId>,
    at: OffsetDateTime,
) -> AuditEvent {
    AuditEvent {
        scope: AuditScope::Site,
        at,
        actor,
        action,
        subject: actor.map(|id| ("user", id.to_string())),
    }
}

/// The unused, unexpired one-time link for `purpose` whose secret is `token`; `None` if there
/// is none (each page says so in its own way).
pub(crate) async fn one_time_link(
    state: &AppState,
    token: &str,
    purpose: LinkPurpose,
) -> Result<Option<OneTimeLink>, crate::AppError> {
    let now = state.clock().now();
    match state
        .store()
        .link(&haven_auth::token::digest(token), purpose, now)
        .await
    {
        Ok(link) => Ok(Some(link)),
        Err(haven_store::StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
