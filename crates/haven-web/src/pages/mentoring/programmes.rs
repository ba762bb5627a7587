//! The organisation's programmes, and creating one.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::ProgrammeId;
use haven_domain::mentoring::Programme;
use haven_store::MentoringStoreExt;

use super::fields::Problem;
use super::programme_form::{DEFAULT_WEIGHTS, FormView, weight_field};
use super::{actor, programme_form};
use crate::AppError;
use crate::access::ActingMember;
use crate::error::{FieldProblem, page_with_status};
use crate::locale::{Chrome, Tr};
use crate::pages::render;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "mentoring_programmes.html")]
struct ProgrammesPage {
    chrome: Chrome,
    id: String,
    name: String,
    programmes: Vec<(String, String)>,
    csrf: String,
    problems: Vec<(String, String)>,
    fields: FormView,
}

/// A posted form as a map (the last value of a repeated field wins); unreadable is a 400.
pub(crate) fn read_form(body: &str) -> Result<HashMap<String, String>, AppError> {
    let pairs: Vec<(String, String)> = serde_html_form::from_str(body).map_err(|_| {
        AppError::invalid(vec![FieldProblem {
            field: "form".to_owned(),
            message: "listing-error-form",
        }])
    })?;
    Ok(pairs.into_iter().collect())
}

/// Problems as the form summary shows them: the field's id and the message.
pub(crate) fn shown(tr: &Tr, problems: &[Problem]) -> Vec<(String, String)> {
    problems
        .iter()
        .map(|p| {
            (
                p.field.to_owned(),
                tr.get_with(
                    "mentoring-field-problem",
                    &[
                        (
                            "field",
                            &tr.get(&format!("mentoring-field-{}", p.field.replace('_', "-"))),
                        ),
                        ("problem", &tr.get(p.message)),
                    ],
                ),
            )
        })
        .collect()
}

async fn page(
    state: &AppState,
    tr: Tr,
    acting: &ActingMember,
    mut form: HashMap<String, String>,
    problems: &[Problem],
) -> Result<ProgrammesPage, AppError> {
    let id = acting.tenant.id.to_string();
    let programmes = state
        .store()
        .programmes(acting.tenant.id)
        .await?
        .into_iter()
        .map(|p| (p.id.to_string(), p.name.into_string()))
        .collect();
    // A new programme's form offers the default weights for any left out.
    for (criterion, default) in DEFAULT_WEIGHTS {
        form.entry(weight_field(criterion).to_owned())
            .or_insert_with(|| default.to_string());
    }
    Ok(ProgrammesPage {
        problems: shown(&tr, problems),
        fields: FormView::new(&tr, form),
        chrome: Chrome::new(
            state,
            tr,
            &format!("/organisations/{id}/mentoring"),
            state.config().demo_notice,
        ),
        id,
        name: acting.tenant.name.as_str().to_owned(),
        programmes,
        csrf: acting.me.session.csrf_token.clone(),
    })
}

/// `GET /organisations/{tenant}/mentoring`.
pub(crate) async fn list(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
) -> Result<Response, AppError> {
    let mut form = HashMap::new();
    for (k, v) in [
        ("capacity", "1"),
        ("dbs_required_level", "enhanced"),
        ("dbs_max_age_days", "1095"),
        ("rule_goal_covered", "on"),
        ("rule_shared_language", "on"),
        ("rule_language_level", "conversational"),
        ("rule_min_slots", "1"),
    ] {
        form.insert(k.to_owned(), v.to_owned());
    }
    Ok(render(&page(&state, tr, &acting, form, &[]).await?)?.into_response())
}

/// `POST /organisations/{tenant}/mentoring`: creates a programme.
pub(crate) async fn create(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    body: String,
) -> Result<Response, AppError> {
    let form = read_form(&body)?;
    acting.me.check_csrf(form.get("csrf").map(String::as_str))?;
    let (name, settings) = match programme_form::programme(&form) {
        Ok(parsed) => parsed,
        Err(problems) => {
            let html = render(&page(&state, tr, &acting, form, &problems).await?)?;
            return Ok(page_with_status(StatusCode::BAD_REQUEST, html));
        }
    };
    let actor = actor(&state, &acting);
    let programme = Programme {
        id: ProgrammeId::new_random(),
        tenant: acting.tenant.id,
        name,
        settings,
        created_at: actor.now,
        settings_changed_at: None,
        last_run: None,
    };
    state
        .store()
        .create_programme(
            &programme,
            &actor.event("programme_created", "programme", programme.id.to_string()),
        )
        .await?;
    Ok(Redirect::to(&format!(
        "/organisations/{}/mentoring/{}",
        acting.tenant.id, programme.id
    ))
    .into_response())
}
