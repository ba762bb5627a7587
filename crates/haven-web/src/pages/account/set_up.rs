//! `/account/set-up/{token}`: the link from `haven user create` (and later invitations) where a
//! person chooses a password and sets up their second factor, in one form that works without
//! JavaScript.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use haven_auth::password::{check_new_password, hash_password};
use haven_auth::totp::{TotpSecret, otpauth_uri, qr_svg, verify};
use haven_domain::accounts::{AuditEvent, LinkPurpose, Membership, OneTimeLink, User};
use haven_store::AccountSetUp;
use serde::Deserialize;

use super::one_time_link;
use super::site_event;
use crate::AppError;
use crate::auth::devices;
use crate::auth::session::{start, with_cookie};
use crate::error::{FieldProblem, page_with_status};
use crate::locale::{Chrome, Tr};
use crate::pages::render;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "set_up.html")]
pub(crate) struct SetUpPage {
    chrome: Chrome,
    action: String,
    pub lead: Option<String>,
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
    pub password: Option<String>,
    pub password_again: Option<String>,
    pub totp_secret: Option<String>,
    pub code: Option<String>,
}

async fn valid_link(state: &AppState, token: &str) -> Result<(OneTimeLink, User), AppError> {
    let link = one_time_link(state, token, LinkPurpose::SetUp)
        .await?
        .ok_or_else(AppError::not_found)?;
    let user = state.store().user(link.user).await?;
    Ok((link, user))
}

/// The set-up form for `user`, posting to `action`.
pub(crate) fn page(
    state: &AppState,
    tr: Tr,
    action: &str,
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
    let problems = tr.problems(problems);
    SetUpPage {
        chrome: Chrome::new(state, tr, "/account/set-up", state.config().demo_notice),
        action: action.to_owned(),
        lead: None,
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
    let action = format!("/account/set-up/{token}");
    Ok(render(&page(&state, tr, &action, &user, &secret, Vec::new()))?.into_response())
}

/// A set-up form that passed its checks: what to store.
pub(crate) struct CheckedSetUp {
    password: String,
    secret: TotpSecret,
    step: u64,
}

/// Checks a submitted set-up form for `user`; a refusal is the form again, with its problems
/// named, ready to send.
pub(crate) fn check(
    state: &AppState,
    tr: Tr,
    action: &str,
    user: &User,
    form: SetUpForm,
    now: time::OffsetDateTime,
) -> Result<Result<CheckedSetUp, Response>, AppError> {
    let secret = form
        .totp_secret
        .as_deref()
        .and_then(TotpSecret::from_base32)
        .unwrap_or_else(TotpSecret::generate);
    let password = form.password.unwrap_or_default();
    let mut problems = Vec::new();
    if let Err(reason) = check_new_password(&password, user.email.as_str()) {
        problems.push(FieldProblem::new("password", password_message(reason)));
    } else if form.password_again.as_deref() != Some(password.as_str()) {
        problems.push(FieldProblem::new("password_again", "setup-error-mismatch"));
    }
    let step = verify(&secret, form.code.as_deref().unwrap_or(""), now, None);
    if step.is_none() {
        problems.push(FieldProblem::new("code", "setup-error-code"));
    }
    let Some(step) = step.filter(|_| problems.is_empty()) else {
        let html = render(&page(state, tr, action, user, &secret, problems))?;
        return Ok(Err(page_with_status(StatusCode::BAD_REQUEST, html)));
    };
    Ok(Ok(CheckedSetUp {
        password,
        secret,
        step,
    }))
}

/// The link being used to set an account up, and what joining brings with it.
pub(crate) struct SetUpLink<'a> {
    /// The link's digest.
    pub digest: &'a str,
    /// What the link is for.
    pub purpose: LinkPurpose,
    /// The membership an invitation grants, with its audit event.
    pub joins: Option<(Membership, AuditEvent)>,
}

/// Uses up the link and stores the password, second factor and recovery codes (and the
/// membership an invitation grants) in one transaction, then signs the person in and shows
/// their recovery codes. A second submission of the same link finds it used: nothing is set up
/// twice, and nothing is half set up.
pub(crate) async fn finish(
    state: &AppState,
    tr: Tr,
    headers: &HeaderMap,
    user: &User,
    checked: CheckedSetUp,
    link: SetUpLink<'_>,
    now: time::OffsetDateTime,
) -> Result<Response, AppError> {
    let store = state.store();
    let hash = hash_password(&checked.password).map_err(|e| AppError::internal(e.to_string()))?;
    let codes = haven_auth::recovery::new_codes();
    let digests: Vec<String> = codes
        .iter()
        .map(|c| haven_auth::recovery::code_digest(c))
        .collect();
    let mut events = vec![
        site_event("password_set", Some(user.id), now),
        site_event("second_factor_set", Some(user.id), now),
    ];
    let (membership, joined) = link.joins.map_or((None, None), |(m, e)| (Some(m), Some(e)));
    events.extend(joined);
    let sealed = crate::auth::secrets::seal_totp(state, user.id, &checked.secret)?;
    store
        .set_up_account(&AccountSetUp {
            user: user.id,
            link_digest: link.digest,
            link_purpose: link.purpose,
            now,
            password_hash: &hash,
            totp_secret: &sealed,
            totp_step: checked.step,
            recovery_digests: &digests,
            language: Some(tr.language().tag),
            membership,
            events: &events,
        })
        .await?;
    let (_, cookie) = start(state, user, true, now).await?;
    store
        .append_audit(&site_event("sign_in", Some(user.id), now))
        .await?;
    let page = RecoveryCodesPage {
        chrome: Chrome::new(state, tr, "/account", state.config().demo_notice),
        codes,
    };
    let response = with_cookie(render(&page)?.into_response(), cookie);
    // The browser that set the account up is its first known device: no alert for it.
    devices::remember(state, headers, user, now, response, false).await
}

/// `POST /account/set-up/{token}`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    tr: Tr,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(form): Form<SetUpForm>,
) -> Result<Response, AppError> {
    let (_, user) = valid_link(&state, &token).await?;
    let now = state.clock().now();
    let action = format!("/account/set-up/{token}");
    let checked = match check(&state, tr.clone(), &action, &user, form, now)? {
        Ok(checked) => checked,
        Err(refused) => return Ok(refused),
    };
    let digest = haven_auth::token::digest(&token);
    let link = SetUpLink {
        digest: &digest,
        purpose: LinkPurpose::SetUp,
        joins: None,
    };
    finish(&state, tr, &headers, &user, checked, link, now).await
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
