//! `/organisations/{tenant}`: an organisation's overview for its members, and choosing it as
//! the one the person acts for (a person acts for one organisation at a time).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::accounts::Role;

use super::role_name;
use crate::AppError;
use crate::access::ActingMember;
use crate::locale::{Chrome, Tr};
use crate::pages::account::CsrfOnly;
use crate::pages::render;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "tenant.html")]
struct OverviewPage {
    chrome: Chrome,
    id: String,
    name: String,
    role: String,
    acting: bool,
    admin: bool,
    coordinator: bool,
    csrf: String,
}

/// `GET /organisations/{tenant}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
) -> Result<Response, AppError> {
    let id = acting.tenant.id.to_string();
    let role = tr.get_with("org-your-role", &[("role", &role_name(&tr, acting.role))]);
    let page = OverviewPage {
        chrome: Chrome::new(
            &state,
            tr,
            &format!("/organisations/{id}"),
            state.config().demo_notice,
        ),
        id,
        name: acting.tenant.name.into_string(),
        role,
        acting: acting.me.session.tenant == Some(acting.tenant.id),
        admin: acting.role == Role::OrganisationAdmin,
        coordinator: acting.role >= Role::Caseworker,
        csrf: acting.me.session.csrf_token.clone(),
    };
    Ok(render(&page)?.into_response())
}

/// `POST /organisations/{tenant}/act`: act for this organisation from now on.
pub(crate) async fn act(
    State(state): State<AppState>,
    acting: ActingMember,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    acting.me.check_csrf(form.csrf.as_deref())?;
    let mut session = acting.me.session.clone();
    session.tenant = Some(acting.tenant.id);
    state.store().update_session(&session).await?;
    Ok(Redirect::to(&format!("/organisations/{}", acting.tenant.id)).into_response())
}
