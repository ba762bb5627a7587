//! `PUT /api/organizations/{id}/services/{service_id}`: an organisation's integration writes one
//! of its own services as HSDS JSON (a `service` or `service_full` object), with an API token
//! holding `listings:write`.
//!
//! - `{id}` must be the token's organisation's listing and `{service_id}` a service of it or an
//!   unused id (which creates the service); anything else is 404, as if it did not exist.
//! - The body is read by `haven-hsds`'s importer, the same code as `haven import hsds`; every
//!   problem comes back as 400 problem+json naming the field by JSON pointer, and nothing is
//!   written.
//! - Records nested in the body may be new or already this service's (or, for locations, this
//!   organisation's); a record of anyone else's is 404, and so is a record whose links (its
//!   `service_id`, `location_id`, ...) point at anyone else's (`listing_links`). Shared vocabulary (taxonomies and their
//!   terms) that already exists is referred to, never changed. The nested organization is
//!   ignored (the listing's own details are edited elsewhere).
//! - The write replaces the service and what hangs off it, in one transaction with the audit
//!   event; the service is marked checked today (`assured_date`), and the directory refreshed.

use std::collections::{HashMap, HashSet};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use haven_domain::accounts::{AuditEvent, AuditScope};
use haven_hsds::import::{Importer, Position, Severity};
use haven_hsds::model::{IsoDate, Service};
use haven_hsds::{Dataset, Table};
use haven_store::ListingChange;
use uuid::Uuid;

use crate::AppError;
use crate::access::ActingToken;
use crate::api::listing_links::{Allowed, LinkProblem};
use crate::directory::ServiceShape;
use crate::directory::uk_time::uk_local;
use crate::error::ErrorKind;
use crate::pages::listings::owned_records;
use crate::pages::path_id;
use crate::state::AppState;

/// A field of the body that is wrong: where (JSON pointer and field), and why.
fn detail(pointer: &str, field: Option<&str>, reason: impl Into<String>) -> (String, String) {
    let at = match field {
        Some(field) => format!("{pointer}/{field}"),
        None if pointer.is_empty() => "/".to_owned(),
        None => pointer.to_owned(),
    };
    (at, reason.into())
}

/// `PUT /api/organizations/{id}/services/{service_id}`.
pub(crate) async fn put_service(
    State(state): State<AppState>,
    acting: ActingToken,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let organisation: Uuid = path_id(&params, "id")?;
    let service_id: Uuid = path_id(&params, "service_id")?;
    let stored = state.store().dataset().await?;
    // Only the token's own listing, and only its own services (or an unused id): else 404.
    let own_listing = acting
        .tenant
        .listing
        .map(|l| l.as_uuid())
        .filter(|l| *l == organisation && stored.contains(Table::Organization, *l));
    let Some(listing) = own_listing else {
        return Err(AppError::not_found());
    };
    let existing = stored.get::<Service>(service_id);
    if existing.is_some_and(|s| s.organization_id != Some(listing)) {
        return Err(AppError::not_found());
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.starts_with("application/json") || v.starts_with("application/hsds+json")
        });
    if !is_json {
        return Err(AppError::new(ErrorKind::UnsupportedMediaType));
    }

    let imported =
        Importer::new()
            .known_ids(&stored)
            .read_json_as(Table::Service, body.as_ref(), "body");
    let mut problems: Vec<(String, String)> = imported
        .report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| {
            let pointer = match &p.position {
                Position::Pointer(pointer) => pointer.as_str(),
                _ => "",
            };
            detail(pointer, p.field.as_deref(), p.reason.clone())
        })
        .collect();
    let mut upsert = imported.dataset;
    match upsert.service.as_slice() {
        [service] if service.id == service_id => {}
        [service] => problems.push(detail(
            "",
            Some("id"),
            format!(
                "{} is not the service id in the address ({service_id})",
                service.id
            ),
        )),
        [] if problems.is_empty() => {
            problems.push(detail("", None, "the body holds no service"));
        }
        [] => {}
        _ => problems.push(detail("", None, "the body holds more than one service")),
    }
    if let Some(service) = upsert.service.first_mut() {
        match service.organization_id {
            Some(id) if id != listing => problems.push(detail(
                "",
                Some("organization_id"),
                format!("{id} is not the organization in the address ({listing})"),
            )),
            _ => service.organization_id = Some(listing),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::invalid_details(problems));
    }

    // Records the service already has, and this organisation's locations, may be rewritten.
    let previous: Vec<(Table, Uuid)> = existing
        .map(|_| owned_records(&stored, service_id, listing, true))
        .unwrap_or_default();
    let mut owned: HashSet<(Table, Uuid)> = previous.iter().copied().collect();
    owned.insert((Table::Service, service_id));
    owned.extend(
        stored
            .location
            .iter()
            .filter(|l| l.organization_id == Some(listing))
            .map(|l| (Table::Location, l.id)),
    );
    let records = upsert
        .records_json()
        .map_err(|e| AppError::internal(format!("reading back a record: {e}")))?;
    let allowed = Allowed {
        stored: &stored,
        listing,
        service: service_id,
        owned: &owned,
        written: records.iter().map(|(_, id, _)| *id).collect(),
    };
    let mut keep = Dataset::new();
    for (table, id, value) in records {
        let exists = stored.contains(table, id);
        match table {
            // The listing's own details are not changed here; another organisation is 404.
            Table::Organization if id == listing => continue,
            Table::Organization => return Err(AppError::not_found()),
            // Shared vocabulary: referred to as it is stored.
            Table::Taxonomy | Table::TaxonomyTerm if exists => continue,
            _ if exists && !owned.contains(&(table, id)) => {
                return Err(AppError::not_found());
            }
            _ => {}
        }
        // Every reference the record carries stays within this listing (see listing_links).
        match allowed.check(table, id, &value) {
            Ok(()) => {}
            Err(LinkProblem::Foreign) => return Err(AppError::not_found()),
            Err(LinkProblem::Dangling { table, id, field }) => {
                return Err(AppError::invalid_details(vec![detail(
                    "",
                    None,
                    format!("{table} {id}: {field} refers to no record of this organisation"),
                )]));
            }
            Err(LinkProblem::NewVocabulary { table, id }) => {
                return Err(AppError::invalid_details(vec![detail(
                    "",
                    None,
                    format!(
                        "{table} {id} is not in Haven's vocabulary; refer to an existing one \
                         (GET /api/taxonomy_terms)"
                    ),
                )]));
            }
        }
        keep.push_json(table, value)
            .map_err(|e| AppError::internal(format!("keeping a record: {e}")))?;
    }
    let now = state.clock().now();
    for service in &mut keep.service {
        service.assured_date = Some(IsoDate(uk_local(now).date()));
    }

    // Replaces what hangs off the service; the service row itself stays (its reports too).
    let remove: Vec<(Table, Uuid)> = previous
        .into_iter()
        .filter(|r| *r != (Table::Service, service_id))
        .collect();
    let action = if existing.is_some() {
        "api_service_updated"
    } else {
        "api_service_created"
    };
    state
        .store()
        .change_listing(&ListingChange {
            remove: &remove,
            upsert: &keep,
            tenant_listing: None,
            audit: &AuditEvent {
                scope: AuditScope::Tenant(acting.tenant.id),
                at: now,
                actor: None,
                action,
                subject: Some(("service", service_id.to_string())),
            },
        })
        .await?;
    let status = if existing.is_some() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let refreshed = state.directory().refresh_if_changed(state.store()).await;
    if let Err(e) = &refreshed {
        tracing::warn!(error = %e, "directory refresh after an API write failed");
    }
    // The write is committed, so a directory that cannot show the service (see
    // `written_from_directory`) means answering from the store, not a 500.
    let from_directory = match refreshed {
        Ok(_) => written_from_directory(&state, service_id).await,
        Err(_) => None,
    };
    let body = match from_directory {
        Some(body) => body,
        None => written_from_store(&state, service_id).await?,
    };
    Ok((status, [(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The written service as `GET /api/services/{id}` shows it, from the current directory.
/// `None` if that cannot say: its records are unavailable, or a refresh begun before the
/// write (the periodic one, or another request's) finished after this request's and put back
/// a directory without the service.
async fn written_from_directory(state: &AppState, id: Uuid) -> Option<String> {
    let directory = state.directory().current();
    let records = directory.records().await.ok()?;
    let service = directory.service_json(&records, id, ServiceShape::Full)?;
    serde_json::to_string(&service).ok()
}

/// The written service read back from the store and redacted as the public API shows it: the
/// answer when the directory has no fresh copy (a second read of the whole dataset, so only
/// then).
async fn written_from_store(state: &AppState, id: Uuid) -> Result<String, AppError> {
    let written = state.store().dataset().await?;
    let public = haven_hsds::redact::public_dataset(&written);
    let answer = haven_hsds::export::service_full(&public, id)
        .ok_or_else(|| AppError::internal("the written service is not in the stored dataset"))?;
    serde_json::to_string(&answer)
        .map_err(|e| AppError::internal(format!("writing the written service as JSON: {e}")))
}
