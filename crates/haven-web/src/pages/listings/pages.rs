//! The listing pages and their form handlers.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::OrganisationId;
use haven_domain::accounts::{AuditEvent, AuditScope};
use haven_domain::directory::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};
use haven_domain::spoken::SPOKEN;
use haven_hsds::Dataset;
use haven_hsds::model::{Organization, Service};
use haven_hsds::vocabulary::{ImmigrationStatus, Need, Term};
use haven_store::{ListingChange, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{DAYS, ServiceForm};
use super::records::{Assured, form_of, owned_records, service_dataset};
use crate::AppError;
use crate::access::ActingMember;
use crate::directory::uk_time::uk_local;
use crate::error::{FieldProblem, page_with_status};
use crate::locale::{Chrome, Tr};
use crate::pages::account::CsrfOnly;
use crate::pages::{path_id, read_form, render};
use crate::state::AppState;

struct ServiceRow {
    id: String,
    name: String,
}

#[derive(Template)]
#[template(path = "listing.html")]
struct ListingPage {
    chrome: Chrome,
    id: String,
    tenant_name: String,
    /// (id, name, description) of the listing, if there is one.
    listing: Option<(String, String, String)>,
    services: Vec<ServiceRow>,
    form_name: String,
    form_description: String,
    csrf: String,
    problems: Vec<(String, String)>,
}

/// One checkbox.
struct Choice {
    value: &'static str,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "listing_service.html")]
struct ServicePage {
    chrome: Chrome,
    id: String,
    /// Where the form posts.
    action: String,
    editing: bool,
    form: ServiceForm,
    needs: Vec<Choice>,
    open_to: Vec<Choice>,
    languages: Vec<Choice>,
    days: Vec<Choice>,
    csrf: String,
    problems: Vec<(String, String)>,
}

/// The form creating an organisation's listing.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListingForm {
    csrf: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

fn event(
    acting: &ActingMember,
    action: &'static str,
    kind: &'static str,
    id: Uuid,
    at: time::OffsetDateTime,
) -> AuditEvent {
    AuditEvent {
        scope: AuditScope::Tenant(acting.tenant.id),
        at,
        actor: Some(acting.me.user.id),
        action,
        subject: Some((kind, id.to_string())),
    }
}

fn listing_path(acting: &ActingMember) -> String {
    format!("/organisations/{}/listing", acting.tenant.id)
}

/// The tenant's listing organisation, from the stored (unredacted) dataset.
fn own_listing(acting: &ActingMember, dataset: &Dataset) -> Option<Uuid> {
    let id = acting.tenant.listing?.as_uuid();
    dataset
        .organization
        .iter()
        .any(|o| o.id == id)
        .then_some(id)
}

/// The tenant's listing organisation if it exists, asked of the store without reading the
/// whole dataset.
async fn stored_listing(state: &AppState, acting: &ActingMember) -> Result<Option<Uuid>, AppError> {
    let Some(id) = acting.tenant.listing else {
        return Ok(None);
    };
    match state.store().organisation(id).await {
        Ok(_) => Ok(Some(id.as_uuid())),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A service of this tenant's listing, or 404.
fn own_service<'d>(
    acting: &ActingMember,
    dataset: &'d Dataset,
    params: &HashMap<String, String>,
) -> Result<(Uuid, &'d Service), AppError> {
    let listing = own_listing(acting, dataset).ok_or_else(AppError::not_found)?;
    let id: Uuid = path_id(params, "service")?;
    let service = dataset
        .get::<Service>(id)
        .filter(|s| s.organization_id == Some(listing))
        .ok_or_else(AppError::not_found)?;
    Ok((listing, service))
}

/// The listing page over `dataset` (the stored one, which the caller has already read).
fn listing_page(
    state: &AppState,
    tr: Tr,
    acting: &ActingMember,
    dataset: &Dataset,
    form: &ListingForm,
    problems: Vec<FieldProblem>,
) -> ListingPage {
    let own = own_listing(acting, dataset);
    let listing = own
        .and_then(|id| dataset.get::<Organization>(id))
        .map(|o| (o.id.to_string(), o.name.clone(), o.description.clone()));
    let mut services: Vec<ServiceRow> = match own {
        Some(listing) => dataset
            .service
            .iter()
            .filter(|s| s.organization_id == Some(listing))
            .map(|s| ServiceRow {
                id: s.id.to_string(),
                name: s.name.clone(),
            })
            .collect(),
        None => Vec::new(),
    };
    services.sort_by(|a, b| a.name.cmp(&b.name));
    let form_name = match (&listing, form.name.is_empty()) {
        (_, false) => form.name.clone(),
        (Some((_, name, _)), true) => name.clone(),
        (None, true) => acting.tenant.name.as_str().to_owned(),
    };
    let form_description = match (&listing, form.description.is_empty()) {
        (Some((_, _, description)), true) => description.clone(),
        _ => form.description.clone(),
    };
    let problems = tr.problems(problems);
    ListingPage {
        chrome: Chrome::new(state, tr, &listing_path(acting), state.config().demo_notice),
        id: acting.tenant.id.to_string(),
        tenant_name: acting.tenant.name.as_str().to_owned(),
        listing,
        services,
        form_name,
        form_description,
        csrf: acting.me.session.csrf_token.clone(),
        problems,
    }
}

/// `GET /organisations/{tenant}/listing`.
pub(crate) async fn show(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
) -> Result<Response, AppError> {
    let dataset = state.store().dataset().await?;
    let page = listing_page(
        &state,
        tr,
        &acting,
        &dataset,
        &ListingForm::default(),
        Vec::new(),
    );
    Ok(render(&page)?.into_response())
}

async fn refresh(state: &AppState) {
    if let Err(e) = state.directory().refresh_if_changed(state.store()).await {
        tracing::warn!(error = %e, "directory refresh after a listing change failed");
    }
}

/// `POST /organisations/{tenant}/listing`: creates the organisation's listing, or changes its
/// name and description.
pub(crate) async fn create_listing(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    body: String,
) -> Result<Response, AppError> {
    let form: ListingForm = read_form(&body)?;
    acting.me.check_csrf(form.csrf.as_deref())?;
    let dataset = state.store().dataset().await?;
    let existing = own_listing(&acting, &dataset).and_then(|id| dataset.get::<Organization>(id));
    let name = form.name.trim();
    let description = form.description.trim();
    let mut problems = Vec::new();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        problems.push(FieldProblem::new("name", "listing-error-name"));
    }
    if description.is_empty() || description.chars().count() > MAX_DESCRIPTION_CHARS {
        problems.push(FieldProblem::new(
            "description",
            "listing-error-organisation-description",
        ));
    }
    if !problems.is_empty() {
        // The page again over the dataset already read: one read of it per request.
        let html = render(&listing_page(
            &state, tr, &acting, &dataset, &form, problems,
        ))?;
        return Ok(page_with_status(StatusCode::BAD_REQUEST, html));
    }
    let now = state.clock().now();
    // Editing keeps the fields the form does not show; creating starts a new organisation.
    let (organisation, tenant_listing, action) = match existing {
        Some(organisation) => {
            let mut organisation = organisation.clone();
            organisation.name = name.to_owned();
            organisation.description = description.to_owned();
            (organisation, None, "listing_updated")
        }
        None => {
            let id = Uuid::new_v4();
            let organisation: Organization = serde_json::from_value(serde_json::json!({
                "id": id, "name": name, "description": description,
            }))
            .map_err(|e| AppError::internal(format!("building an organisation: {e}")))?;
            let tenant_listing = Some((acting.tenant.id, OrganisationId::from_uuid(id)));
            (organisation, tenant_listing, "listing_created")
        }
    };
    let id = organisation.id;
    let mut upsert = Dataset::new();
    upsert.organization.push(organisation);
    state
        .store()
        .change_listing(&ListingChange {
            remove: &[],
            upsert: &upsert,
            tenant_listing,
            audit: &event(&acting, action, "organisation", id, now),
        })
        .await?;
    refresh(&state).await;
    Ok(Redirect::to(&listing_path(&acting)).into_response())
}

fn service_page(
    state: &AppState,
    tr: Tr,
    acting: &ActingMember,
    service: Option<Uuid>,
    form: ServiceForm,
    problems: Vec<FieldProblem>,
) -> ServicePage {
    let base = listing_path(acting);
    let action = match service {
        Some(id) => format!("{base}/services/{id}"),
        None => format!("{base}/services"),
    };
    let choices = |values: Vec<(&'static str, String)>, chosen: &[String]| -> Vec<Choice> {
        values
            .into_iter()
            .map(|(value, label)| Choice {
                value,
                label,
                checked: chosen.iter().any(|c| c == value),
            })
            .collect()
    };
    let needs = choices(
        Need::ALL
            .iter()
            .map(|n| (n.code(), tr.get(&format!("need-{}", n.code()))))
            .collect(),
        &form.need,
    );
    let open_to = choices(
        ImmigrationStatus::ALL
            .iter()
            .map(|s| (s.code(), tr.get(&format!("eligibility-{}", s.code()))))
            .collect(),
        &form.open_to,
    );
    let languages = choices(
        SPOKEN
            .iter()
            .map(|s| {
                let label = if s.autonym == s.english {
                    s.english.to_owned()
                } else {
                    format!("{} ({})", s.autonym, s.english)
                };
                (s.code, label)
            })
            .collect(),
        &form.language,
    );
    let days = choices(
        DAYS.iter()
            .enumerate()
            .map(|(i, d)| (*d, tr.get(&format!("day-{i}"))))
            .collect(),
        &form.day,
    );
    let problems = tr.problems(problems);
    ServicePage {
        chrome: Chrome::new(state, tr, &action, state.config().demo_notice),
        id: acting.tenant.id.to_string(),
        action,
        editing: service.is_some(),
        form,
        needs,
        open_to,
        languages,
        days,
        csrf: acting.me.session.csrf_token.clone(),
        problems,
    }
}

/// `GET /organisations/{tenant}/listing/services/new`.
pub(crate) async fn new_service(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
) -> Result<Response, AppError> {
    if stored_listing(&state, &acting).await?.is_none() {
        return Ok(Redirect::to(&listing_path(&acting)).into_response());
    }
    let page = service_page(
        &state,
        tr,
        &acting,
        None,
        ServiceForm::default(),
        Vec::new(),
    );
    Ok(render(&page)?.into_response())
}

/// `GET /organisations/{tenant}/listing/services/{service}`.
pub(crate) async fn edit_service(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let dataset = state.store().dataset().await?;
    let (_, service) = own_service(&acting, &dataset, &params)?;
    let form = form_of(&dataset, service);
    let page = service_page(&state, tr, &acting, Some(service.id), form, Vec::new());
    Ok(render(&page)?.into_response())
}

/// Validates and saves a service: new when `params` names none.
async fn save(
    state: &AppState,
    tr: Tr,
    acting: &ActingMember,
    params: &HashMap<String, String>,
    body: &str,
) -> Result<Response, AppError> {
    let form: ServiceForm = read_form(body)?;
    acting.me.check_csrf(form.csrf.as_deref())?;
    // An edit needs the records around the service; a new one only that the listing exists.
    let editing = params.contains_key("service");
    let dataset = if editing {
        state.store().dataset().await?
    } else {
        Dataset::new()
    };
    let (listing, existing) = if editing {
        let (listing, service) = own_service(acting, &dataset, params)?;
        (listing, Some(service))
    } else {
        let listing = stored_listing(state, acting)
            .await?
            .ok_or_else(AppError::not_found)?;
        (listing, None)
    };
    let id = existing.map_or_else(Uuid::new_v4, |s| s.id);
    let draft = match form.validate(state.gazetteer()) {
        Ok(draft) => draft,
        Err(problems) => {
            let page = service_page(state, tr, acting, existing.map(|s| s.id), form, problems);
            return Ok(page_with_status(StatusCode::BAD_REQUEST, render(&page)?));
        }
    };
    let now = state.clock().now();
    let by = haven_hsds::model::Email::parse(acting.me.user.email.as_str()).ok();
    let upsert = service_dataset(
        &draft,
        id,
        listing,
        existing,
        Assured {
            date: uk_local(now).date(),
            by,
        },
    )?;
    let remove = if existing.is_some() {
        owned_records(&dataset, id, listing, false)
    } else {
        Vec::new()
    };
    let action = if existing.is_some() {
        "listing_service_updated"
    } else {
        "listing_service_created"
    };
    state
        .store()
        .change_listing(&ListingChange {
            remove: &remove,
            upsert: &upsert,
            tenant_listing: None,
            audit: &event(acting, action, "service", id, now),
        })
        .await?;
    refresh(state).await;
    Ok(Redirect::to(&listing_path(acting)).into_response())
}

/// `POST /organisations/{tenant}/listing/services`.
pub(crate) async fn create_service(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    body: String,
) -> Result<Response, AppError> {
    save(&state, tr, &acting, &HashMap::new(), &body).await
}

/// `POST /organisations/{tenant}/listing/services/{service}`.
pub(crate) async fn update_service(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    save(&state, tr, &acting, &params, &body).await
}

/// `POST /organisations/{tenant}/listing/services/{service}/remove`.
pub(crate) async fn remove_service(
    State(state): State<AppState>,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    axum::Form(form): axum::Form<CsrfOnly>,
) -> Result<Response, AppError> {
    acting.me.check_csrf(form.csrf.as_deref())?;
    let dataset = state.store().dataset().await?;
    let (listing, service) = own_service(&acting, &dataset, &params)?;
    let id = service.id;
    let remove = owned_records(&dataset, id, listing, true);
    let now = state.clock().now();
    state
        .store()
        .change_listing(&ListingChange {
            remove: &remove,
            upsert: &Dataset::new(),
            tenant_listing: None,
            audit: &event(&acting, "listing_service_removed", "service", id, now),
        })
        .await?;
    refresh(&state).await;
    Ok(Redirect::to(&listing_path(&acting)).into_response())
}
