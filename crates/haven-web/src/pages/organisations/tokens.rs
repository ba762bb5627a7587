//! `/organisations/{tenant}/tokens`: an organisation's admins create API tokens for their own
//! integrations (a name, scopes, an expiry of at most a year), see them listed, and revoke
//! them. A token's secret is shown once, when it is created; only its digest is stored. Creating
//! and revoking need a recent sign-in, and are audited with ids only.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::accounts::{AuditEvent, AuditScope};
use haven_store::ApiToken;
use serde::Deserialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::AppError;
use crate::access::{ActingMember, ApiScope};
use crate::auth::reauth::{Proof, require_recent};
use crate::error::{FieldProblem, page_with_status};
use crate::locale::{Chrome, Tr};
use crate::pages::{path_id, read_form, render};
use crate::state::AppState;

/// The longest a token may live.
const MAX_DAYS: i64 = 365;
/// Expiry choices offered, in days.
const EXPIRY_CHOICES: [i64; 4] = [30, 90, 180, 365];
const MAX_NAME_CHARS: usize = 100;

struct TokenRow {
    id: String,
    name: String,
    scopes: String,
    expires: String,
    last_used: String,
    usable: bool,
}

#[derive(Template)]
#[template(path = "organisation_tokens.html")]
struct TokensPage {
    chrome: Chrome,
    id: String,
    name: String,
    tokens: Vec<TokenRow>,
    /// The secret of the token just created: shown this once.
    secret: Option<String>,
    scopes: Vec<(&'static str, bool)>,
    expiry_choices: Vec<(String, bool)>,
    form_name: String,
    csrf: String,
    problems: Vec<(String, String)>,
}

/// The create and revoke forms (with the confirmation fields when re-submitted).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TokenForm {
    csrf: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: Vec<String>,
    #[serde(default)]
    days: String,
    password: Option<String>,
    code: Option<String>,
}

fn day(at: OffsetDateTime) -> String {
    at.date().to_string()
}

async fn page(
    state: &AppState,
    tr: Tr,
    acting: &ActingMember,
    form: &TokenForm,
    secret: Option<String>,
    problems: Vec<FieldProblem>,
) -> Result<TokensPage, AppError> {
    let now = state.clock().now();
    let tokens = state
        .store()
        .api_tokens_of(acting.tenant.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id.to_string(),
            usable: t.is_usable(now),
            name: t.name,
            scopes: t.scopes.join(", "),
            expires: day(t.expires_at),
            last_used: t.last_used_at.map(day).unwrap_or_default(),
        })
        .collect();
    let id = acting.tenant.id.to_string();
    let chosen_days = if form.days.is_empty() {
        "90"
    } else {
        form.days.as_str()
    };
    let problems = tr.problems(problems);
    Ok(TokensPage {
        chrome: Chrome::new(
            state,
            tr,
            &format!("/organisations/{id}/tokens"),
            state.config().demo_notice,
        ),
        id,
        name: acting.tenant.name.as_str().to_owned(),
        tokens,
        secret,
        scopes: ApiScope::ALL
            .iter()
            .map(|s| (s.code(), form.scope.iter().any(|c| c == s.code())))
            .collect(),
        expiry_choices: EXPIRY_CHOICES
            .iter()
            .map(|d| (d.to_string(), d.to_string() == chosen_days))
            .collect(),
        form_name: form.name.clone(),
        csrf: acting.me.session.csrf_token.clone(),
        problems,
    })
}

fn event(
    acting: &ActingMember,
    action: &'static str,
    token: Uuid,
    at: OffsetDateTime,
) -> AuditEvent {
    AuditEvent {
        scope: AuditScope::Tenant(acting.tenant.id),
        at,
        actor: Some(acting.me.user.id),
        action,
        subject: Some(("api_token", token.to_string())),
    }
}

/// `GET /organisations/{tenant}/tokens`.
pub(crate) async fn list(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
) -> Result<Response, AppError> {
    let page = page(&state, tr, &acting, &TokenForm::default(), None, Vec::new()).await?;
    Ok(render(&page)?.into_response())
}

/// `POST /organisations/{tenant}/tokens`: creates a token and shows its secret once.
pub(crate) async fn create(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    body: String,
) -> Result<Response, AppError> {
    let form: TokenForm = read_form(&body)?;
    acting.me.check_csrf(form.csrf.as_deref())?;
    let now = state.clock().now();
    let mut problems = Vec::new();
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        problems.push(FieldProblem::new("name", "token-error-name"));
    }
    let scopes: Option<Vec<ApiScope>> = form
        .scope
        .iter()
        .map(|c| ApiScope::from_code(c))
        .collect::<Option<Vec<_>>>()
        .filter(|s| !s.is_empty());
    if scopes.is_none() {
        problems.push(FieldProblem::new("scopes", "token-error-scopes"));
    }
    let days = form
        .days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=MAX_DAYS).contains(d));
    if days.is_none() {
        problems.push(FieldProblem::new("days", "token-error-days"));
    }
    let (Some(mut scopes), Some(days), true) = (scopes, days, problems.is_empty()) else {
        let html = render(&page(&state, tr, &acting, &form, None, problems).await?)?;
        return Ok(page_with_status(StatusCode::BAD_REQUEST, html));
    };
    scopes.sort();
    scopes.dedup();
    let mut hidden = vec![
        ("csrf".to_owned(), acting.me.session.csrf_token.clone()),
        ("name".to_owned(), name.to_owned()),
        ("days".to_owned(), days.to_string()),
    ];
    hidden.extend(
        scopes
            .iter()
            .map(|s| ("scope".to_owned(), s.code().to_owned())),
    );
    let action = format!("/organisations/{}/tokens", acting.tenant.id);
    let proof = Proof {
        password: form.password.as_deref(),
        code: form.code.as_deref(),
    };
    if let Some(confirm) =
        require_recent(&state, tr.clone(), &acting.me, &action, hidden, proof, now).await?
    {
        return Ok(confirm);
    }
    let secret = haven_auth::token::new_token();
    let token = ApiToken {
        id: Uuid::new_v4(),
        tenant: acting.tenant.id,
        name: name.to_owned(),
        digest: secret.digest,
        scopes: scopes.iter().map(|s| s.code().to_owned()).collect(),
        created_at: now,
        expires_at: now + Duration::days(days),
        last_used_at: None,
        revoked_at: None,
    };
    state
        .store()
        .create_api_token(&token, &event(&acting, "api_token_created", token.id, now))
        .await?;
    let page = page(
        &state,
        tr,
        &acting,
        &TokenForm::default(),
        Some(secret.secret),
        Vec::new(),
    )
    .await?;
    // The secret is on this page only: never cache it.
    let mut response = page_with_status(StatusCode::CREATED, render(&page)?);
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// `POST /organisations/{tenant}/tokens/{token}/revoke`.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    let form: TokenForm = read_form(&body)?;
    acting.me.check_csrf(form.csrf.as_deref())?;
    let now = state.clock().now();
    let id: Uuid = path_id(&params, "token")?;
    let back = format!("/organisations/{}/tokens", acting.tenant.id);
    let tokens = state.store().api_tokens_of(acting.tenant.id).await?;
    let token = tokens
        .iter()
        .find(|t| t.id == id)
        .ok_or_else(AppError::not_found)?;
    if token.revoked_at.is_some() {
        return Ok(Redirect::to(&back).into_response());
    }
    let hidden = vec![("csrf".to_owned(), acting.me.session.csrf_token.clone())];
    let proof = Proof {
        password: form.password.as_deref(),
        code: form.code.as_deref(),
    };
    let action = format!("{back}/{id}/revoke");
    if let Some(confirm) =
        require_recent(&state, tr, &acting.me, &action, hidden, proof, now).await?
    {
        return Ok(confirm);
    }
    state
        .store()
        .revoke_api_token(
            acting.tenant.id,
            id,
            now,
            &event(&acting, "api_token_revoked", id, now),
        )
        .await?;
    Ok(Redirect::to(&back).into_response())
}
