//! A service's page and an organisation's page in the public directory, and the About page.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use uuid::Uuid;

use crate::AppError;
use crate::locale::{Chrome, Tr};
use crate::pages::render;
use crate::pages::views::{ServiceView, service_view};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "service.html")]
struct ServicePage {
    chrome: Chrome,
    s: ServiceView,
    eligibility: Vec<String>,
    places: Vec<String>,
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    chrome: Chrome,
    name: String,
    description: String,
    scope: String,
    website: Option<String>,
    services: Vec<ServiceView>,
}

#[derive(Template)]
#[template(path = "about.html")]
struct AboutPage {
    chrome: Chrome,
    sources: Vec<(String, String, String, String)>,
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw.trim()).map_err(|_| AppError::not_found())
}

/// `GET /services/{id}`.
pub(crate) async fn service(
    State(state): State<AppState>,
    tr: Tr,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let id = parse_id(&id)?;
    let directory = state.directory().current();
    let card = directory.services.get(id).ok_or_else(AppError::not_found)?;
    let view = service_view(&tr, &card, None, false, state.clock().now());
    let page = ServicePage {
        eligibility: view.eligibility.clone(),
        places: view.places.clone(),
        chrome: Chrome::new(
            &state,
            tr,
            &format!("/services/{id}"),
            state.config().demo_notice,
        ),
        s: view,
    };
    render(&page)
}

/// `GET /directory/organisations/{id}`.
pub(crate) async fn organisation(
    State(state): State<AppState>,
    tr: Tr,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let id = parse_id(&id)?;
    let directory = state.directory().current();
    let card = directory
        .organisations
        .get(&id)
        .ok_or_else(AppError::not_found)?;
    let now = state.clock().now();
    let services = card
        .services
        .iter()
        .filter_map(|s| directory.services.get(*s))
        .map(|s| service_view(&tr, &s, None, false, now))
        .collect();
    let page = OrganisationPage {
        name: card.name.clone(),
        description: card.description.clone(),
        scope: tr.get(&format!(
            "scope-{}",
            haven_hsds::vocabulary::Term::code(card.scope)
        )),
        website: card.website.clone(),
        services,
        chrome: Chrome::new(
            &state,
            tr,
            &format!("/directory/organisations/{id}"),
            state.config().demo_notice,
        ),
    };
    render(&page)
}

/// `GET /about`.
pub(crate) async fn about(State(state): State<AppState>, tr: Tr) -> Result<Html<String>, AppError> {
    let sources = haven_geo::ATTRIBUTIONS
        .iter()
        .map(|a| {
            (
                a.source.to_owned(),
                a.text.to_owned(),
                a.licence.to_owned(),
                a.licence_url.to_owned(),
            )
        })
        .collect();
    let page = AboutPage {
        chrome: Chrome::new(&state, tr, "/about", state.config().demo_notice),
        sources,
    };
    render(&page)
}
