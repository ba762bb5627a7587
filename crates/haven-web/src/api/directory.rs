//! The directory's HSDS 3.0 API: services (with Haven's search), organizations,
//! service_at_locations, taxonomies and taxonomy terms, shaped as HSDS and always from the
//! public (redacted) dataset.

use std::fmt::Write as _;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Query;
use haven_hsds::export::{self, Page};
use haven_hsds::{Dataset, Table};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::api::cache::{self, Key};
use crate::directory::search::{Outcome, SearchParams, run};
use crate::error::{AppError, FieldProblem};
use crate::state::AppState;

/// Paging parameters of the list endpoints.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Paging {
    page: Option<String>,
    per_page: Option<String>,
}

const DEFAULT_PER_PAGE: u64 = 50;
const MAX_PER_PAGE: u64 = 100;

impl Paging {
    fn parse(&self) -> Result<(u64, u64), AppError> {
        let mut problems = Vec::new();
        let parse = |raw: &Option<String>,
                     default: u64,
                     max: u64,
                     field: &str,
                     problems: &mut Vec<FieldProblem>| {
            match raw
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::parse::<u64>)
            {
                None => default,
                Some(Ok(n)) if (1..=max).contains(&n) => n,
                Some(_) => {
                    problems.push(FieldProblem {
                        field: field.to_owned(),
                        message: if field == "page" {
                            "search-error-page"
                        } else {
                            "search-error-per-page"
                        },
                    });
                    default
                }
            }
        };
        let page = parse(&self.page, 1, u64::MAX, "page", &mut problems);
        let per_page = parse(
            &self.per_page,
            DEFAULT_PER_PAGE,
            MAX_PER_PAGE,
            "per_page",
            &mut problems,
        );
        if problems.is_empty() {
            Ok((page, per_page))
        } else {
            Err(AppError::invalid(problems))
        }
    }
}

fn id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw.trim()).map_err(|_| AppError::not_found())
}

fn page_json(
    contents: Vec<Value>,
    total: u64,
    page: u64,
    per_page: u64,
) -> Result<Json<Value>, AppError> {
    serde_json::to_value(Page::new(contents, total, page, per_page))
        .map(Json)
        .map_err(|e| AppError::internal(e.to_string()))
}

/// One page of a table, each record rendered by `render`.
fn list(
    dataset: &Dataset,
    table: Table,
    paging: &Paging,
    render: fn(&Dataset, Uuid) -> Option<Value>,
) -> Result<Json<Value>, AppError> {
    let (page, per_page) = paging.parse()?;
    let ids = dataset.ids_of(table);
    let skip = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    let take = usize::try_from(per_page).unwrap_or(usize::MAX);
    let contents = ids
        .iter()
        .skip(skip)
        .take(take)
        .filter_map(|id| render(dataset, *id))
        .collect();
    page_json(contents, ids.len() as u64, page, per_page)
}

/// `GET /api/services`: HSDS's `search`, `postcode`, `proximity`, `taxonomy_term_id`, `page`,
/// `per_page`, and Haven's `place`, `lat`, `lon`, `radius_km`, `need`, `language`,
/// `eligibility`, `scope`, `open_now`, `sort`.
///
/// A client accepting gzip gets the compressed page from the snapshot's cache when the same
/// query string was answered in the same minute (see `api::cache`).
pub(crate) async fn services(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    Query(params): Query<SearchParams>,
) -> Result<Response, AppError> {
    let search = params
        .parse(haven_search::MAX_PER_PAGE)
        .map_err(AppError::invalid)?;
    let directory = state.directory().current();
    let now = state.clock().now();
    let key = cache::accepts_gzip(&headers).then(|| Key {
        query: raw.unwrap_or_default(),
        minute: now.unix_timestamp().div_euclid(60),
    });
    if let Some(body) = key.as_ref().and_then(|k| directory.api_cache.get(k)) {
        return Ok(gzipped(body));
    }
    let outcome = run(&directory, state.gazetteer(), &search, now)
        .map_err(|e| AppError::internal(format!("search: {e}")))?;
    let results = match outcome {
        Outcome::Found { results, .. } => results,
        Outcome::UnknownPlace(_) => {
            return Err(AppError::invalid(vec![FieldProblem {
                field: if params.place.is_some() {
                    "place".to_owned()
                } else {
                    "postcode".to_owned()
                },
                message: "api-error-place",
            }]));
        }
    };
    let page = Page::new(
        vec![(); 0],
        results.total,
        u64::from(search.page),
        u64::from(search.per_page),
    );
    let records = directory.records().await?;
    let mut body = String::with_capacity(results.hits.len() * 8192 + 256);
    body.push_str("{\"contents\":[");
    let mut size: u64 = 0;
    for hit in &results.hits {
        let Some(service) = directory.service_json(&records, hit.id) else {
            continue;
        };
        // Haven's additions ride alongside HSDS's fields, under names HSDS does not use.
        let mut extra = Vec::new();
        if let Some(reach) = hit.reach {
            let (kind, distance) = match reach {
                haven_search::Reach::Local { distance_km } => ("local", Some(distance_km)),
                haven_search::Reach::CoversArea => ("covers_area", None),
                haven_search::Reach::National => ("national", None),
                haven_search::Reach::Remote => ("remote", None),
            };
            if let Some(km) = distance {
                extra.push((
                    "haven_distance_km",
                    Value::from((km * 100.0).round() / 100.0),
                ));
            }
            extra.push(("haven_reach", Value::from(kind)));
        }
        if size > 0 {
            body.push(',');
        }
        service.write(&extra, &mut body);
        size += 1;
    }
    // The page's other fields, in the order the other list endpoints write them.
    let _ = write!(
        body,
        "],\"empty\":{},\"first_page\":{},\"last_page\":{},\"page_number\":{},\"size\":{size},\"total_items\":{},\"total_pages\":{}}}",
        size == 0,
        page.first_page,
        page.last_page,
        page.page_number,
        page.total_items,
        page.total_pages,
    );
    if let Some(key) = key
        && let Some(packed) = cache::gzip(body.as_bytes())
    {
        directory.api_cache.insert(key, packed.clone());
        return Ok(gzipped(packed));
    }
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// A compressed JSON body; the compression layer leaves a response that already has a
/// `Content-Encoding` alone.
fn gzipped(body: axum::body::Bytes) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CONTENT_ENCODING, "gzip"),
            (header::VARY, "accept-encoding"),
        ],
        body,
    )
        .into_response()
}

/// `GET /api/services/{id}`.
pub(crate) async fn service(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let directory = state.directory().current();
    let records = directory.records().await?;
    let service = directory
        .service_json(&records, id(&raw)?)
        .ok_or_else(AppError::not_found)?;
    let mut body = String::new();
    service.write(&[], &mut body);
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `GET /api/organizations`.
pub(crate) async fn organizations(
    State(state): State<AppState>,
    Query(paging): Query<Paging>,
) -> Result<Json<Value>, AppError> {
    list(
        &state.directory().current().records().await?.dataset,
        Table::Organization,
        &paging,
        export::organization_full,
    )
}

/// `GET /api/organizations/{id}`.
pub(crate) async fn organization(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<Value>, AppError> {
    let records = state.directory().current().records().await?;
    export::organization_full(&records.dataset, id(&raw)?)
        .map(Json)
        .ok_or_else(AppError::not_found)
}

/// `GET /api/service_at_locations`.
pub(crate) async fn service_at_locations(
    State(state): State<AppState>,
    Query(paging): Query<Paging>,
) -> Result<Json<Value>, AppError> {
    list(
        &state.directory().current().records().await?.dataset,
        Table::ServiceAtLocation,
        &paging,
        export::service_at_location_full,
    )
}

/// `GET /api/service_at_locations/{id}`.
pub(crate) async fn service_at_location(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<Value>, AppError> {
    let records = state.directory().current().records().await?;
    export::service_at_location_full(&records.dataset, id(&raw)?)
        .map(Json)
        .ok_or_else(AppError::not_found)
}

/// `GET /api/taxonomies`.
pub(crate) async fn taxonomies(
    State(state): State<AppState>,
    Query(paging): Query<Paging>,
) -> Result<Json<Value>, AppError> {
    list(
        &state.directory().current().records().await?.dataset,
        Table::Taxonomy,
        &paging,
        export::taxonomy,
    )
}

/// `GET /api/taxonomies/{id}`.
pub(crate) async fn taxonomy(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<Value>, AppError> {
    let records = state.directory().current().records().await?;
    export::taxonomy(&records.dataset, id(&raw)?)
        .map(Json)
        .ok_or_else(AppError::not_found)
}

/// `GET /api/taxonomy_terms`.
pub(crate) async fn taxonomy_terms(
    State(state): State<AppState>,
    Query(paging): Query<Paging>,
) -> Result<Json<Value>, AppError> {
    list(
        &state.directory().current().records().await?.dataset,
        Table::TaxonomyTerm,
        &paging,
        export::taxonomy_term,
    )
}

/// `GET /api/taxonomy_terms/{id}`.
pub(crate) async fn taxonomy_term(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<Value>, AppError> {
    let records = state.directory().current().records().await?;
    export::taxonomy_term(&records.dataset, id(&raw)?)
        .map(Json)
        .ok_or_else(AppError::not_found)
}
