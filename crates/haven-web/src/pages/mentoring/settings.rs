//! `/organisations/{tenant}/mentoring/{programme}/settings`: a coordinator changes a programme's
//! name, criteria weights, hard rules, capacity and safeguarding policy in the form that created
//! it, filled in from what is stored. Nothing else changes at once: proposals are recomputed at
//! the next run, and agreed pairs stay (the page says so).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::Text;
use haven_domain::mentoring::Programme;
use haven_mentoring::Actor;
use haven_store::MentoringStoreExt;

use super::fields::Problem;
use super::programme_form::{self, FormView};
use super::programmes::{read_form, shown};
use super::{actor, programme_id};
use crate::AppError;
use crate::access::ActingMember;
use crate::error::page_with_status;
use crate::locale::{Chrome, Tr};
use crate::pages::render;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "mentoring_programme_settings.html")]
struct SettingsPage {
    chrome: Chrome,
    id: String,
    programme_id: String,
    programme_name: String,
    csrf: String,
    problems: Vec<(String, String)>,
    fields: FormView,
}

fn page(
    state: &AppState,
    tr: Tr,
    acting: &ActingMember,
    programme: &Programme,
    form: HashMap<String, String>,
    problems: &[Problem],
) -> SettingsPage {
    let id = acting.tenant.id.to_string();
    SettingsPage {
        problems: shown(&tr, problems),
        fields: FormView::new(&tr, form),
        chrome: Chrome::new(
            state,
            tr,
            &format!("/organisations/{id}/mentoring/{}/settings", programme.id),
            state.config().demo_notice,
        ),
        id,
        programme_id: programme.id.to_string(),
        programme_name: programme.name.as_str().to_owned(),
        csrf: acting.me.session.csrf_token.clone(),
    }
}

/// `GET /organisations/{tenant}/mentoring/{programme}/settings`: the form, filled in.
pub(crate) async fn edit(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let programme = state
        .store()
        .programme(acting.tenant.id, programme_id(&params)?)
        .await?;
    let form = programme_form::form_of(programme.name.as_str(), &programme.settings);
    Ok(render(&page(&state, tr, &acting, &programme, form, &[]))?.into_response())
}

/// `POST /organisations/{tenant}/mentoring/{programme}/settings`: saves every field, or shows
/// every problem with nothing saved.
pub(crate) async fn update(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    let form = read_form(&body)?;
    acting.me.check_csrf(form.get("csrf").map(String::as_str))?;
    let mut programme = state
        .store()
        .programme(acting.tenant.id, programme_id(&params)?)
        .await?;
    let (name, settings) = match programme_form::programme(&form) {
        Ok(parsed) => parsed,
        Err(problems) => {
            let html = render(&page(&state, tr, &acting, &programme, form, &problems))?;
            return Ok(page_with_status(StatusCode::BAD_REQUEST, html));
        }
    };
    save_settings(
        &state,
        &actor(&state, &acting),
        &mut programme,
        name,
        settings,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/organisations/{}/mentoring/{}",
        acting.tenant.id, programme.id
    ))
    .into_response())
}

/// Replaces a programme's name and settings and stores them with their audit event, noting
/// when they changed: the programme page compares that with the last run. The page and the
/// API both change settings through here, so neither can forget the time.
pub(crate) async fn save_settings(
    state: &AppState,
    actor: &Actor,
    programme: &mut Programme,
    name: Text,
    settings: haven_match::profile::Programme,
) -> Result<(), AppError> {
    programme.name = name;
    programme.settings = settings;
    programme.settings_changed_at = Some(actor.now);
    state
        .store()
        .save_programme(
            programme,
            &actor.event("programme_updated", "programme", programme.id.to_string()),
        )
        .await?;
    Ok(())
}
