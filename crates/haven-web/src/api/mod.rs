//! The JSON API, following HSDS 3.0's API names where they exist.

use axum::Json;
use serde_json::{Value, json};

use crate::access::{Access::Public, Access::Token, ApiScope, Routes};
use crate::state::AppState;

pub(crate) mod cache;
mod directory;
mod listing;
mod listing_links;
mod listing_write;
mod mentoring;

pub(crate) fn routes(state: &AppState) -> Routes {
    Routes::new(state)
        .get("/api", Public, root)
        .get("/api/", Public, root)
        .get("/api/openapi.json", Public, openapi)
        .get(
            "/api/organisation/listing",
            Token(ApiScope::ListingsRead),
            listing::own,
        )
        .put(
            "/api/organizations/{id}/services/{service_id}",
            Token(ApiScope::ListingsWrite),
            listing_write::put_service,
        )
        .get(
            "/api/mentoring/programmes",
            Token(ApiScope::MentoringRead),
            mentoring::list,
        )
        .post(
            "/api/mentoring/programmes",
            Token(ApiScope::MentoringWrite),
            mentoring::create,
        )
        .get(
            "/api/mentoring/programmes/{programme}",
            Token(ApiScope::MentoringRead),
            mentoring::show,
        )
        .put(
            "/api/mentoring/programmes/{programme}",
            Token(ApiScope::MentoringWrite),
            mentoring::update,
        )
        .post(
            "/api/mentoring/programmes/{programme}/mentors",
            Token(ApiScope::MentoringWrite),
            mentoring::add_mentors,
        )
        .post(
            "/api/mentoring/programmes/{programme}/mentees",
            Token(ApiScope::MentoringWrite),
            mentoring::add_mentees,
        )
        .post(
            "/api/mentoring/programmes/{programme}/people/{participant}/withdraw",
            Token(ApiScope::MentoringWrite),
            mentoring::withdraw,
        )
        .post(
            "/api/mentoring/programmes/{programme}/run",
            Token(ApiScope::MentoringWrite),
            mentoring::run_matching,
        )
        .post(
            "/api/mentoring/programmes/{programme}/pairs",
            Token(ApiScope::MentoringWrite),
            mentoring::pair,
        )
        .post(
            "/api/mentoring/matches/{match}",
            Token(ApiScope::MentoringWrite),
            mentoring::step,
        )
        .get("/api/services", Public, directory::services)
        .get("/api/services/{id}", Public, directory::service)
        .get("/api/organizations", Public, directory::organizations)
        .get("/api/organizations/{id}", Public, directory::organization)
        .get(
            "/api/service_at_locations",
            Public,
            directory::service_at_locations,
        )
        .get(
            "/api/service_at_locations/{id}",
            Public,
            directory::service_at_location,
        )
        .get("/api/taxonomies", Public, directory::taxonomies)
        .get("/api/taxonomies/{id}", Public, directory::taxonomy)
        .get("/api/taxonomy_terms", Public, directory::taxonomy_terms)
        .get("/api/taxonomy_terms/{id}", Public, directory::taxonomy_term)
}

/// `GET /api/openapi.json`: the OpenAPI 3.1 description of this API, served by the server
/// itself so it always matches what runs.
async fn openapi() -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
}

/// `GET /api/`: HSDS's API root, saying which version and profile this server speaks.
async fn root() -> Json<Value> {
    Json(json!({
        "version": "3.0",
        "profile": "https://openreferral.org/hsds",
        "openapi_url": "/api/openapi.json",
    }))
}
