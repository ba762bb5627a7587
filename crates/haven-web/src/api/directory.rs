//! The directory's HSDS 3.0 API: services (with Haven's search), organizations,
//! service_at_locations, taxonomies and taxonomy terms, shaped as HSDS and always from the
//! public (redacted) dataset.

use std::io::Write as _;

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
use crate::directory::{ServiceShape, write_service};
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

/// HSDS's list parameters `full` (every related record nested) and `minimal` (ids and dates
/// only); a list item is otherwise the record's own fields (`service_list` and friends).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ListShape {
    full: Option<String>,
    minimal: Option<String>,
}

impl ListShape {
    /// The shape asked for, or the problems with `full` and `minimal`, named.
    fn parse(&self) -> Result<ServiceShape, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let full = flag(&self.full, "full", &mut problems);
        let minimal = flag(&self.minimal, "minimal", &mut problems);
        if full && minimal {
            problems.push(FieldProblem {
                field: "minimal".to_owned(),
                message: "api-error-full-minimal",
            });
        }
        match (problems.is_empty(), full, minimal) {
            (false, _, _) => Err(problems),
            (true, true, _) => Ok(ServiceShape::Full),
            (true, _, true) => Ok(ServiceShape::Minimal),
            (true, false, false) => Ok(ServiceShape::List),
        }
    }

    /// `full` alone, for the lists HSDS gives no `minimal` (organizations, service at
    /// locations): whether to nest everything.
    fn full(&self) -> Result<bool, AppError> {
        let mut problems = Vec::new();
        let full = flag(&self.full, "full", &mut problems);
        if problems.is_empty() {
            Ok(full)
        } else {
            Err(AppError::invalid(problems))
        }
    }
}

/// A boolean query parameter: absent or empty is false; anything but true/false/1/0 is a
/// problem named after the parameter (a typo must not silently change the answer's shape).
fn flag(raw: &Option<String>, field: &str, problems: &mut Vec<FieldProblem>) -> bool {
    match raw.as_deref().map(str::trim).unwrap_or("") {
        "" | "false" | "0" => false,
        "true" | "1" => true,
        _ => {
            problems.push(FieldProblem {
                field: field.to_owned(),
                message: "api-error-boolean",
            });
            false
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
/// `per_page`, `full`, `minimal`, and Haven's `place`, `lat`, `lon`, `radius_km`, `need`,
/// `language`, `eligibility`, `scope`, `open_now`, `sort`. Each item is a `service_list`
/// unless `full` or `minimal` says otherwise.
///
/// The page comes from the snapshot's cache when the same query string was answered in the
/// same minute to a client accepting the same encoding (see `api::cache`).
pub(crate) async fn services(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    Query(params): Query<SearchParams>,
    Query(shape): Query<ListShape>,
) -> Result<Response, AppError> {
    let (search, shape) = match (params.parse(haven_search::MAX_PER_PAGE), shape.parse()) {
        (Ok(search), Ok(shape)) => (search, shape),
        (search, shape) => {
            let mut problems = search.err().unwrap_or_default();
            problems.extend(shape.err().unwrap_or_default());
            return Err(AppError::invalid(problems));
        }
    };
    let directory = state.directory().current();
    let now = state.clock().now();
    let key = Key {
        query: raw.unwrap_or_default(),
        minute: now.unix_timestamp().div_euclid(60),
        gzip: cache::accepts_gzip(&headers),
    };
    if let Some(body) = directory.api_cache.get(&key) {
        return Ok(cached(body, key.gzip));
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
    let per_hit = match shape {
        ServiceShape::Full => 8192,
        ServiceShape::List => 1024,
        ServiceShape::Minimal => 96,
    };
    let mut body = Vec::with_capacity(results.hits.len() * per_hit + 256);
    body.extend_from_slice(b"{\"contents\":[");
    let mut size: u64 = 0;
    for hit in &results.hits {
        let Some(service) = directory.service_json(&records, hit.id, shape) else {
            continue;
        };
        // Haven's additions ride alongside HSDS's fields, under names HSDS does not use
        // (not in `minimal`, which is ids and dates only).
        let mut extra = Vec::new();
        if let Some(reach) = hit.reach.filter(|_| shape != ServiceShape::Minimal) {
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
            body.push(b',');
        }
        write_service(&service, &extra, &mut body)
            .map_err(|e| AppError::internal(format!("writing service {}: {e}", hit.id)))?;
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
    let body = if key.gzip {
        match cache::gzip(&body) {
            Some(packed) => packed,
            // Not compressible here (out of memory): the compression layer will try.
            None => return Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response()),
        }
    } else {
        axum::body::Bytes::from(body)
    };
    let gzip = key.gzip;
    directory.api_cache.insert(key, body.clone());
    Ok(cached(body, gzip))
}

/// A JSON body as kept in the cache: gzip-compressed (which the compression layer leaves
/// alone, since it already has a `Content-Encoding`) or plain (which the layer may still
/// compress for a client asking for another encoding, such as brotli alone).
fn cached(body: axum::body::Bytes, gzip: bool) -> Response {
    let json = (header::CONTENT_TYPE, "application/json");
    let vary = (header::VARY, "accept-encoding");
    if gzip {
        ([json, (header::CONTENT_ENCODING, "gzip"), vary], body).into_response()
    } else {
        ([json, vary], body).into_response()
    }
}

/// `GET /api/services/{id}`.
pub(crate) async fn service(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let directory = state.directory().current();
    let records = directory.records().await?;
    let service = directory
        .service_json(&records, id(&raw)?, ServiceShape::Full)
        .ok_or_else(AppError::not_found)?;
    Ok(Json(Value::Object(service)).into_response())
}

/// `GET /api/organizations`.
pub(crate) async fn organizations(
    State(state): State<AppState>,
    Query(paging): Query<Paging>,
    Query(shape): Query<ListShape>,
) -> Result<Json<Value>, AppError> {
    let render = if shape.full()? {
        export::organization_full
    } else {
        export::organization_list
    };
    list(
        &state.directory().current().records().await?.dataset,
        Table::Organization,
        &paging,
        render,
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
    Query(shape): Query<ListShape>,
) -> Result<Json<Value>, AppError> {
    let render = if shape.full()? {
        export::service_at_location_full
    } else {
        export::service_at_location_list
    };
    list(
        &state.directory().current().records().await?.dataset,
        Table::ServiceAtLocation,
        &paging,
        render,
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
