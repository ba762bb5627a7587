//! Re-authentication before sensitive actions: the person must have proved who they are within
//! [`REAUTHENTICATION_WINDOW`], or give their password and a second-factor code again on a
//! small confirmation page that re-submits the original form.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use haven_auth::password::verify_password;
use haven_domain::accounts::REAUTHENTICATION_WINDOW;
use time::OffsetDateTime;

use crate::AppError;
use crate::auth::SignedIn;
use crate::auth::throttle::{account_key, minutes, remaining_wait};
use crate::error::page_with_status;
use crate::locale::{Chrome, Tr};
use crate::pages::account::sign_in::second_factor_ok;
use crate::pages::render;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    action: String,
    /// Fields of the original form, sent again with the confirmation.
    hidden: Vec<(String, String)>,
    problems: Vec<(String, String)>,
}

/// The confirmation fields a re-submitted form may carry.
pub(crate) struct Proof<'a> {
    pub password: Option<&'a str>,
    pub code: Option<&'a str>,
}

/// `Ok(None)`: go ahead. `Ok(Some(page))`: send this confirmation page instead.
pub(crate) async fn require_recent(
    state: &AppState,
    tr: Tr,
    me: &SignedIn,
    action: &str,
    hidden: Vec<(String, String)>,
    proof: Proof<'_>,
    now: OffsetDateTime,
) -> Result<Option<Response>, AppError> {
    if now - me.session.authenticated_at <= REAUTHENTICATION_WINDOW {
        return Ok(None);
    }
    let page = |tr: Tr, problems: Vec<(String, String)>| ConfirmPage {
        chrome: Chrome::new(state, tr, action, state.config().demo_notice),
        action: action.to_owned(),
        hidden: hidden.clone(),
        problems,
    };
    let (Some(password), Some(code)) = (proof.password, proof.code) else {
        return Ok(Some(render(&page(tr, Vec::new()))?.into_response()));
    };
    let key = account_key(me.user.email.as_str());
    let store = state.store();
    if let Some(wait) = remaining_wait(store.sign_in_failures(&key).await?, now) {
        let minutes = minutes(wait);
        let problems = vec![(
            "password".to_owned(),
            tr.get_with("sign-in-error-throttled", &[("minutes", &minutes)]),
        )];
        let html = render(&page(tr, problems))?;
        return Ok(Some(page_with_status(StatusCode::TOO_MANY_REQUESTS, html)));
    }
    let password_ok = me
        .user
        .password_hash
        .as_deref()
        .is_some_and(|hash| verify_password(password, hash));
    // The code is checked only after the password, so a wrong password cannot use one up.
    let ok = password_ok && second_factor_ok(state, &me.user, code, now).await?;
    if !ok {
        store.record_sign_in_failure(&key, now).await?;
        let problems = vec![("password".to_owned(), tr.get("confirm-error-wrong"))];
        let html = render(&page(tr, problems))?;
        return Ok(Some(page_with_status(StatusCode::BAD_REQUEST, html)));
    }
    store.clear_sign_in_failures(&key).await?;
    let mut session = me.session.clone();
    session.authenticated_at = now;
    store.update_session(&session).await?;
    Ok(None)
}
