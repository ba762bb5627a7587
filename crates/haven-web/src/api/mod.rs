//! The JSON API, following HSDS 3.0's API names where they exist.

use axum::Json;
use serde_json::{Value, json};

use crate::access::{Access::Public, Routes};
use crate::state::AppState;

pub(crate) fn routes(state: &AppState) -> Routes {
    Routes::new(state)
        .get("/api", Public, root)
        .get("/api/", Public, root)
}

/// `GET /api/`: HSDS's API root, saying which version and profile this server speaks.
async fn root() -> Json<Value> {
    Json(json!({
        "version": "3.0",
        "profile": "https://openreferral.org/hsds",
        "openapi_url": "/api/openapi.json",
    }))
}
