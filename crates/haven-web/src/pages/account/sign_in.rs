//! Signing in: e-mail and password, then the second factor (an authenticator code or a
//! recovery code). Every failure looks the same whether or not the account exists, and both
//! steps are throttled per account and per network address.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use haven_auth::password::{decoy_hash, verify_password};
use haven_auth::totp::verify;
use haven_domain::accounts::{Email, User};
use haven_store::StoreError;
use serde::Deserialize;
use time::OffsetDateTime;

use super::site_event;
use crate::AppError;
use crate::auth::next::{safe_next, with_next};
use crate::auth::session::{start, with_cookie};
use crate::auth::throttle::{PeerAddress, account_key, address_key, minutes, remaining_wait};
use crate::auth::{Signed, devices};
use crate::error::{FieldProblem, page_with_status};
use crate::locale::{Chrome, Tr};
use crate::pages::render;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    email: String,
    /// Where to go once signed in (a checked same-site path), or empty.
    next: String,
    problems: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "sign_in_code.html")]
struct CodePage {
    chrome: Chrome,
    next: String,
    problems: Vec<(String, String)>,
}

/// Sign-in form fields.
#[derive(Debug, Deserialize)]
pub(crate) struct SignInForm {
    email: Option<String>,
    password: Option<String>,
    next: Option<String>,
}

/// `?next=` on the sign-in pages.
#[derive(Debug, Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

/// Second-factor form fields.
#[derive(Debug, Deserialize)]
pub(crate) struct CodeForm {
    code: Option<String>,
    next: Option<String>,
}

/// Where a fully signed-in person goes: the checked `next`, else their account.
fn destination(next: Option<&str>) -> String {
    safe_next(next).unwrap_or_else(|| "/account".to_owned())
}

fn sign_in_page(
    state: &AppState,
    tr: Tr,
    email: &str,
    next: Option<&str>,
    problems: Vec<(String, String)>,
) -> SignInPage {
    SignInPage {
        chrome: Chrome::new(state, tr, "/sign-in", state.config().demo_notice),
        email: email.to_owned(),
        next: safe_next(next).unwrap_or_default(),
        problems,
    }
}

/// `GET /sign-in`.
pub(crate) async fn form(
    State(state): State<AppState>,
    tr: Tr,
    signed: Signed,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = query.next.as_deref();
    Ok(match signed {
        Signed::In(_) => Redirect::to(&destination(next)).into_response(),
        Signed::Partly { .. } => Redirect::to(&with_next("/sign-in/code", next)).into_response(),
        Signed::Out => render(&sign_in_page(&state, tr, "", next, Vec::new()))?.into_response(),
    })
}

async fn throttled(
    state: &AppState,
    keys: &[String],
    now: OffsetDateTime,
) -> Result<Option<time::Duration>, AppError> {
    let mut longest = None;
    for key in keys {
        let failures = state.store().sign_in_failures(key).await?;
        if let Some(wait) = remaining_wait(failures, now) {
            longest = Some(longest.map_or(wait, |l: time::Duration| l.max(wait)));
        }
    }
    Ok(longest)
}

async fn record_failure(
    state: &AppState,
    keys: &[String],
    now: OffsetDateTime,
) -> Result<(), AppError> {
    for key in keys {
        state.store().record_sign_in_failure(key, now).await?;
    }
    Ok(())
}

fn too_many(tr: &Tr, wait: time::Duration) -> Vec<(String, String)> {
    vec![(
        "email".to_owned(),
        tr.get_with("sign-in-error-throttled", &[("minutes", &minutes(wait))]),
    )]
}

/// `POST /sign-in`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    tr: Tr,
    PeerAddress(peer): PeerAddress,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let now = state.clock().now();
    let typed_email = form.email.unwrap_or_default();
    let password = form.password.unwrap_or_default();
    let mut keys = vec![account_key(typed_email.trim())];
    if let Some(peer) = peer {
        keys.push(address_key(peer));
    }
    if let Some(wait) = throttled(&state, &keys, now).await? {
        let html = render(&sign_in_page(
            &state,
            tr.clone(),
            &typed_email,
            form.next.as_deref(),
            too_many(&tr, wait),
        ))?;
        return Ok(page_with_status(StatusCode::TOO_MANY_REQUESTS, html));
    }

    let user = match Email::parse(&typed_email) {
        Ok(email) => match state.store().user_by_email(&email).await {
            Ok(user) => Some(user),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e.into()),
        },
        Err(_) => None,
    };
    // Verify against a decoy when there is no account, so both take the same time.
    let stored = user
        .as_ref()
        .and_then(|u| u.password_hash.as_deref())
        .unwrap_or(decoy_hash());
    let password_ok = verify_password(&password, stored);
    let Some(user) = user.filter(|_| password_ok) else {
        record_failure(&state, &keys, now).await?;
        state
            .store()
            .append_audit(&site_event("sign_in_failed", None, now))
            .await?;
        let problems = vec![("email".to_owned(), tr.get("sign-in-error-wrong"))];
        let html = render(&sign_in_page(
            &state,
            tr,
            &typed_email,
            form.next.as_deref(),
            problems,
        ))?;
        return Ok(page_with_status(StatusCode::BAD_REQUEST, html));
    };
    let (_, cookie) = start(&state, &user, false, now).await?;
    Ok(with_cookie(
        Redirect::to(&with_next("/sign-in/code", form.next.as_deref())).into_response(),
        cookie,
    ))
}

fn code_page(
    state: &AppState,
    tr: Tr,
    next: Option<&str>,
    problems: Vec<(String, String)>,
) -> CodePage {
    CodePage {
        chrome: Chrome::new(state, tr, "/sign-in/code", state.config().demo_notice),
        next: safe_next(next).unwrap_or_default(),
        problems,
    }
}

/// `GET /sign-in/code`.
pub(crate) async fn code_form(
    State(state): State<AppState>,
    tr: Tr,
    signed: Signed,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = query.next.as_deref();
    Ok(match signed {
        Signed::In(_) => Redirect::to(&destination(next)).into_response(),
        Signed::Out => Redirect::to(&with_next("/sign-in", next)).into_response(),
        Signed::Partly { .. } => render(&code_page(&state, tr, next, Vec::new()))?.into_response(),
    })
}

/// Accepts an authenticator code (never twice) or an unused recovery code.
pub(crate) async fn second_factor_ok(
    state: &AppState,
    user: &User,
    typed: &str,
    now: OffsetDateTime,
) -> Result<bool, AppError> {
    let store = state.store();
    if let Some(secret) = crate::auth::secrets::open_totp(state, user)
        && let Some(step) = verify(&secret, typed, now, user.totp_last_step)
    {
        return Ok(store.claim_totp_step(user.id, step).await?);
    }
    let digest = haven_auth::recovery::code_digest(typed);
    Ok(store.claim_recovery_code(user.id, &digest, now).await?)
}

/// `POST /sign-in/code`.
pub(crate) async fn code_submit(
    State(state): State<AppState>,
    tr: Tr,
    headers: HeaderMap,
    signed: Signed,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let (session, user) = match signed {
        Signed::Partly { session, user } => (*session, *user),
        Signed::In(_) => {
            return Ok(Redirect::to(&destination(form.next.as_deref())).into_response());
        }
        Signed::Out => {
            return Ok(Redirect::to(&with_next("/sign-in", form.next.as_deref())).into_response());
        }
    };
    let now = state.clock().now();
    let keys = vec![account_key(user.email.as_str())];
    if let Some(wait) = throttled(&state, &keys, now).await? {
        let problems = vec![(
            "code".to_owned(),
            tr.get_with("sign-in-error-throttled", &[("minutes", &minutes(wait))]),
        )];
        let html = render(&code_page(&state, tr, form.next.as_deref(), problems))?;
        return Ok(page_with_status(StatusCode::TOO_MANY_REQUESTS, html));
    }
    if !second_factor_ok(&state, &user, form.code.as_deref().unwrap_or(""), now).await? {
        record_failure(&state, &keys, now).await?;
        state
            .store()
            .append_audit(&site_event("second_factor_failed", Some(user.id), now))
            .await?;
        let problems = tr.problems(vec![FieldProblem::new("code", "code-error-wrong")]);
        let html = render(&code_page(&state, tr, form.next.as_deref(), problems))?;
        return Ok(page_with_status(StatusCode::BAD_REQUEST, html));
    }
    let store = state.store();
    for key in &keys {
        store.clear_sign_in_failures(key).await?;
    }
    // A new session id once fully signed in, so an id planted before sign-in is worthless.
    store.delete_session(&session.digest).await?;
    let (_, cookie) = start(&state, &user, true, now).await?;
    store
        .append_audit(&site_event("sign_in", Some(user.id), now))
        .await?;
    let response = with_cookie(
        Redirect::to(&destination(form.next.as_deref())).into_response(),
        cookie,
    );
    devices::remember(&state, &headers, &user, now, response, true).await
}
