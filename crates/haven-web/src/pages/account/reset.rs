//! Password reset. `/account/reset` always answers the same ("if an account exists, we sent a
//! link"), throttled per address and per network address. The link (one hour) sets a new
//! password and then leads to the second-factor step: a reset never bypasses the second factor.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_auth::password::{check_new_password, hash_password};
use haven_domain::accounts::{Email, LinkPurpose, OneTimeLink};
use haven_store::StoreError;
use serde::Deserialize;
use time::Duration;

use super::one_time_link;
use super::set_up::password_message;
use super::site_event;
use crate::AppError;
use crate::auth::session::{start, with_cookie};
use crate::auth::throttle::{PeerAddress, RESET_LIMIT, admit, minutes};
use crate::error::{FieldProblem, page_with_status};
use crate::locale::{Chrome, Tr};
use crate::mail;
use crate::pages::organisations::expired;
use crate::pages::render;
use crate::state::AppState;

/// How long a reset link works.
const RESET_LINK_LIFETIME: Duration = Duration::hours(1);

#[derive(Template)]
#[template(path = "reset.html")]
struct RequestPage {
    chrome: Chrome,
    sent: bool,
    email: String,
    problems: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "reset_password.html")]
struct NewPasswordPage {
    chrome: Chrome,
    action: String,
    problems: Vec<(String, String)>,
}

/// `/account/reset` form.
#[derive(Debug, Deserialize)]
pub(crate) struct RequestForm {
    email: Option<String>,
}

/// The new-password form.
#[derive(Debug, Deserialize)]
pub(crate) struct NewPasswordForm {
    password: Option<String>,
    password_again: Option<String>,
}

/// `GET /account/reset`.
pub(crate) async fn form(State(state): State<AppState>, tr: Tr) -> Result<Response, AppError> {
    let page = RequestPage {
        chrome: Chrome::new(&state, tr, "/account/reset", state.config().demo_notice),
        sent: false,
        email: String::new(),
        problems: Vec::new(),
    };
    Ok(render(&page)?.into_response())
}

/// `POST /account/reset`. Throttled per typed address and per network address; past the
/// throttle, the answer is the same page, straight away, whether or not the account exists:
/// looking the account up, making the link and sending the message happen off the request path.
pub(crate) async fn submit(
    State(state): State<AppState>,
    tr: Tr,
    PeerAddress(peer): PeerAddress,
    Form(form): Form<RequestForm>,
) -> Result<Response, AppError> {
    let now = state.clock().now();
    let typed = form.email.unwrap_or_default();
    if let Some(wait) = admit(state.store(), RESET_LIMIT, &typed, peer, now).await? {
        let problems = vec![(
            "email".to_owned(),
            tr.get_with("request-error-throttled", &[("minutes", &minutes(wait))]),
        )];
        let page = RequestPage {
            chrome: Chrome::new(&state, tr, "/account/reset", state.config().demo_notice),
            sent: false,
            email: typed,
            problems,
        };
        return Ok(page_with_status(
            StatusCode::TOO_MANY_REQUESTS,
            render(&page)?,
        ));
    }
    if let Ok(email) = Email::parse(&typed) {
        let (task_state, tr) = (state.clone(), tr.clone());
        state.background().spawn(async move {
            let state = task_state;
            if let Err(e) = send_reset_link(&state, &tr, &email, now).await {
                tracing::warn!(error = %e, "a password reset link could not be made");
            }
        });
    }
    let page = RequestPage {
        chrome: Chrome::new(&state, tr, "/account/reset", state.config().demo_notice),
        sent: true,
        email: String::new(),
        problems: Vec::new(),
    };
    Ok(render(&page)?.into_response())
}

/// Makes a reset link for the account with this address, if there is one that has a password,
/// and e-mails it in the person's language (else the language they asked in).
async fn send_reset_link(
    state: &AppState,
    tr: &Tr,
    email: &Email,
    now: time::OffsetDateTime,
) -> Result<(), StoreError> {
    let store = state.store();
    let user = match store.user_by_email(email).await {
        Ok(user) if user.password_hash.is_some() => user,
        Ok(_) | Err(StoreError::NotFound { .. }) => return Ok(()),
        Err(e) => return Err(e),
    };
    let token = haven_auth::token::new_token();
    store
        .create_link(&OneTimeLink {
            digest: token.digest,
            user: user.id,
            purpose: LinkPurpose::PasswordReset,
            invitation: None,
            expires_at: now + RESET_LINK_LIFETIME,
        })
        .await?;
    let link = mail::link(state, &format!("/account/reset/{}", token.secret));
    let tr = tr.or_tagged(user.language.as_deref());
    mail::send(
        state,
        email,
        tr.get("reset-mail-subject"),
        tr.get_with("reset-mail-body", &[("link", &link)]),
    )
    .await;
    Ok(())
}

fn new_password_page(
    state: &AppState,
    tr: Tr,
    token: &str,
    problems: Vec<(String, String)>,
) -> NewPasswordPage {
    NewPasswordPage {
        chrome: Chrome::new(state, tr, "/account/reset", state.config().demo_notice),
        action: format!("/account/reset/{token}"),
        problems,
    }
}

/// `GET /account/reset/{token}`.
pub(crate) async fn new_password_form(
    State(state): State<AppState>,
    tr: Tr,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if one_time_link(&state, &token, LinkPurpose::PasswordReset)
        .await?
        .is_none()
    {
        return expired(&state, tr, "/account/reset");
    }
    Ok(render(&new_password_page(&state, tr, &token, Vec::new()))?.into_response())
}

/// `POST /account/reset/{token}`: sets the password, ends every session, and starts a
/// half-signed-in one that still needs the second factor.
pub(crate) async fn new_password_submit(
    State(state): State<AppState>,
    tr: Tr,
    Path(token): Path<String>,
    Form(form): Form<NewPasswordForm>,
) -> Result<Response, AppError> {
    let Some(link) = one_time_link(&state, &token, LinkPurpose::PasswordReset).await? else {
        return expired(&state, tr, "/account/reset");
    };
    let now = state.clock().now();
    let store = state.store();
    let user = store.user(link.user).await?;
    let password = form.password.unwrap_or_default();
    let mut problems = Vec::new();
    if let Err(reason) = check_new_password(&password, user.email.as_str()) {
        problems.push(FieldProblem::new("password", password_message(reason)));
    } else if form.password_again.as_deref() != Some(password.as_str()) {
        problems.push(FieldProblem::new("password_again", "setup-error-mismatch"));
    }
    if !problems.is_empty() {
        let problems = tr.problems(problems);
        let html = render(&new_password_page(&state, tr, &token, problems))?;
        return Ok(page_with_status(StatusCode::BAD_REQUEST, html));
    }
    // Hash first, then one transaction: the link used, the password set, every session ended.
    let hash = hash_password(&password).map_err(|e| AppError::internal(e.to_string()))?;
    match store
        .reset_password(
            user.id,
            &haven_auth::token::digest(&token),
            now,
            &hash,
            &site_event("password_reset", Some(user.id), now),
        )
        .await
    {
        Ok(()) => {}
        // Used by a submission that arrived meanwhile, or just expired.
        Err(StoreError::NotFound { .. }) => return expired(&state, tr, "/account/reset"),
        Err(e) => return Err(e.into()),
    }
    let (_, cookie) = start(&state, &user, false, now).await?;
    Ok(with_cookie(
        Redirect::to("/sign-in/code").into_response(),
        cookie,
    ))
}
