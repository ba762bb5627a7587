//! Getting in and out: the set-up link, sign-in with a second factor, the account page and
//! signing out.

mod overview;
mod set_up;
mod sign_in;

use axum::Router;
use axum::routing::{get, post};
use haven_domain::UserId;
use haven_domain::accounts::{AuditEvent, AuditScope};
use time::OffsetDateTime;

use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(overview::show))
        .route(
            "/account/set-up/{token}",
            get(set_up::form).post(set_up::submit),
        )
        .route("/sign-in", get(sign_in::form).post(sign_in::submit))
        .route(
            "/sign-in/code",
            get(sign_in::code_form).post(sign_in::code_submit),
        )
        .route("/sign-out", post(overview::sign_out))
        .route("/sign-out/everywhere", post(overview::sign_out_everywhere))
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
