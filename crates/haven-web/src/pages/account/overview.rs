//! `/account`: who is signed in, their organisations, and signing out.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::accounts::TenantStatus;
use haven_i18n::{LANGUAGES, language_by_tag};
use serde::Deserialize;

use super::site_event;
use crate::AppError;
use crate::auth::SignedIn;
use crate::auth::session::{clear_cookie, with_cookie};
use crate::error::FieldProblem;
use crate::locale::{Chrome, Tr};
use crate::pages::render;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    signed_in_as: String,
    site_admin: bool,
    /// (name, role, link to its page when approved, status when not).
    organisations: Vec<(String, String, Option<String>, String)>,
    csrf: String,
    /// (tag, name) of every language Haven speaks.
    languages: Vec<(&'static str, &'static str)>,
    /// The person's preferred language (for e-mails).
    language: String,
}

/// The preferred-language form.
#[derive(Debug, Deserialize)]
pub(crate) struct LanguageForm {
    csrf: Option<String>,
    language: Option<String>,
}

/// A form whose only field is the CSRF token.
#[derive(Debug, Deserialize)]
pub(crate) struct CsrfOnly {
    pub csrf: Option<String>,
}

/// `GET /account`.
pub(crate) async fn show(
    State(state): State<AppState>,
    tr: Tr,
    me: SignedIn,
) -> Result<Response, AppError> {
    let mut organisations = Vec::new();
    for membership in &me.memberships {
        let tenant = state.store().tenant(membership.tenant).await?;
        let approved = tenant.status == TenantStatus::Approved;
        organisations.push((
            tenant.name.into_string(),
            tr.get(&format!("role-{}", membership.role.code())),
            approved.then(|| format!("/organisations/{}", tenant.id)),
            if approved {
                String::new()
            } else {
                tr.get(&format!("org-status-{}", tenant.status.code()))
            },
        ));
    }
    let signed_in_as = tr.get_with("account-signed-in-as", &[("email", me.user.email.as_str())]);
    let language = me
        .user
        .language
        .clone()
        .unwrap_or_else(|| tr.language().tag.to_owned());
    let page = AccountPage {
        languages: LANGUAGES.iter().map(|l| (l.tag, l.autonym)).collect(),
        language,
        chrome: Chrome::new(&state, tr, "/account", state.config().demo_notice),
        signed_in_as,
        site_admin: me.user.site_admin,
        organisations,
        csrf: me.session.csrf_token.clone(),
    };
    Ok(render(&page)?.into_response())
}

/// `POST /account/language`: the language Haven's e-mails to this person are written in.
pub(crate) async fn set_language(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<LanguageForm>,
) -> Result<Response, AppError> {
    me.check_csrf(form.csrf.as_deref())?;
    let Some(language) = form.language.as_deref().and_then(language_by_tag) else {
        return Err(AppError::invalid(vec![FieldProblem::new(
            "language",
            "account-error-language",
        )]));
    };
    let now = state.clock().now();
    state
        .store()
        .set_language(
            me.user.id,
            language.tag,
            &site_event("language_changed", Some(me.user.id), now),
        )
        .await?;
    Ok(Redirect::to("/account").into_response())
}

/// `POST /sign-out`.
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    me.check_csrf(form.csrf.as_deref())?;
    let now = state.clock().now();
    state.store().delete_session(&me.session.digest).await?;
    state
        .store()
        .append_audit(&site_event("sign_out", Some(me.user.id), now))
        .await?;
    Ok(with_cookie(
        Redirect::to("/").into_response(),
        clear_cookie(),
    ))
}

/// `POST /sign-out/everywhere`: ends every session of this person, on every device.
pub(crate) async fn sign_out_everywhere(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    me.check_csrf(form.csrf.as_deref())?;
    let now = state.clock().now();
    state.store().delete_sessions_of(me.user.id).await?;
    state
        .store()
        .append_audit(&site_event("sessions_revoked", Some(me.user.id), now))
        .await?;
    Ok(with_cookie(
        Redirect::to("/sign-in").into_response(),
        clear_cookie(),
    ))
}
