//! `/account/set-up/{token}`: the link from `haven user create` (and later invitations) where a
//! person chooses a password and sets up their second factor, in one form that works without
//! JavaScript.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use haven_auth::password::{check_new_password, hash_password};
use haven_auth::totp::{TotpSecret, otpauth_uri, qr_svg, verify};
use haven_domain::accounts::{LinkPurpose, OneTimeLink, User};
use serde::Deserialize;

use super::site_event;
use crate::AppError;
use crate::auth::session::{start, with_cookie};
use crate::error::{FieldProblem, page_with_status};
use crate::locale::{Chrome, Tr};
use crate::pages::render;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "set_up.html")]
struct SetUpPage {
    chrome: Chrome,
    token: String,
    secret: String,
    qr_svg: String,
    problems: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct RecoveryCodesPage {
    chrome: Chrome,
    codes: Vec<String>,
}

/// The form's fields; all optional so that a missing one is named, not a generic rejection.
#[derive(Debug, Deserialize)]
pub(crate) struct SetUpForm {
    password: Option<String>,
    password_again: Option<String>,
    totp_secret: Option<String>,
    code: Option<String>,
}

async fn valid_link(state: &AppState, token: &str) -> Result<(OneTimeLink, User), AppError> {
    let now = state.clock().now();
    let link = state
        .store()
        .link(&haven_auth::token::digest(token), LinkPurpose::SetUp, now)
        .await?;
    let user = state.store().user(link.user).await?;
    Ok((link, user))
}

fn page(
    state: &AppState,
    tr: Tr,
    token: &str,
    user: &User,
    secret: &TotpSecret,
    problems: Vec<FieldProblem>,
) -> SetUpPage {
    let uri = otpauth_uri(secret, "Haven", user.email.as_str());
    let svg = qr_svg(&uri).unwrap_or_default();
    // The renderer starts with an XML declaration, which has no place inside HTML.
    let svg = svg
        .find("<svg")
        .map_or(svg.clone(), |start| svg[start..].to_owned());
    let problems = problems
        .into_iter()
        .map(|p| (p.field, tr.get(p.message)))
        .collect();
    SetUpPage {
        chrome: Chrome::new(state, tr, "/account/set-up", state.config().demo_notice),
        token: token.to_owned(),
        secret: secret.to_base32(),
        qr_svg: svg,
        problems,
    }
}

/// `GET /account/set-up/{token}`.
pub(crate) async fn form(
    State(state): State<AppState>,
    tr: Tr,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (_, user) = valid_link(&state, &token).await?;
    let secret = TotpSecret::generate();
    Ok(render(&page(&state, tr, &token, &user, &secret, Vec::new()))?.into_response())
}

fn problem(field: &str, message: &'static str) -> FieldProblem {
    FieldProblem {
        field: field.to_owned(),
        message,
    }
}

/// `POST /account/set-up/{token}`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    tr: Tr,
    Path(token): Path<String>,
    Form(form): Form<SetUpForm>,
) -> Result<Response, AppError> {
    let (_, user) = valid_link(&state, &token).await?;
    let now = state.clock().now();
    let secret = form
        .totp_secret
        .as_deref()
        .and_then(TotpSecret::from_base32)
        .unwrap_or_else(TotpSecret::generate);
    let password = form.password.unwrap_or_default();
    let mut problems = Vec::new();
    if let Err(reason) = check_new_password(&password, user.email.as_str()) {
        problems.push(problem("password", password_message(reason)));
    } else if form.password_again.as_deref() != Some(password.as_str()) {
        problems.push(problem("password_again", "setup-error-mismatch"));
    }
    let step = verify(&secret, form.code.as_deref().unwrap_or(""), now, None);
    if step.is_none() {
        problems.push(problem("code", "setup-error-code"));
    }
    let Some(step) = step.filter(|_| problems.is_empty()) else {
        let html = render(&page(&state, tr, &token, &user, &secret, problems))?;
        return Ok(page_with_status(StatusCode::BAD_REQUEST, html));
    };

    let store = state.store();
    // Using the link up first means a second submission of the same form cannot set up twice.
    store
        .use_link(&haven_auth::token::digest(&token), LinkPurpose::SetUp, now)
        .await?;
    let hash = hash_password(&password).map_err(|e| AppError::internal(e.to_string()))?;
    store
        .set_password(
            user.id,
            &hash,
            &site_event("password_set", Some(user.id), now),
        )
        .await?;
    let codes = haven_auth::recovery::new_codes();
    let digests: Vec<String> = codes
        .iter()
        .map(|c| haven_auth::recovery::code_digest(c))
        .collect();
    store
        .set_second_factor(
            user.id,
            &secret.to_bytes(),
            &digests,
            &site_event("second_factor_set", Some(user.id), now),
        )
        .await?;
    store.claim_totp_step(user.id, step).await?;
    let (_, cookie) = start(&state, &user, true, now).await?;
    store
        .append_audit(&site_event("sign_in", Some(user.id), now))
        .await?;
    let page = RecoveryCodesPage {
        chrome: Chrome::new(&state, tr, "/account", state.config().demo_notice),
        codes,
    };
    Ok(with_cookie(render(&page)?.into_response(), cookie))
}

/// The message id explaining a refused password.
pub(crate) fn password_message(problem: haven_auth::password::PasswordProblem) -> &'static str {
    use haven_auth::password::PasswordProblem;
    match problem {
        PasswordProblem::TooShort => "password-error-too-short",
        PasswordProblem::TooLong => "password-error-too-long",
        PasswordProblem::Common => "password-error-common",
        PasswordProblem::ContainsEmail => "password-error-contains-email",
    }
}
