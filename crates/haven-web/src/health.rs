//! Probes for process managers and load balancers.

use axum::extract::State;
use axum::http::StatusCode;

use crate::error::AppError;
use crate::state::AppState;

/// `GET /healthz`: the process is up and serving.
pub(crate) async fn alive() -> &'static str {
    "ok"
}

/// `GET /readyz`: the database answers, so requests can be served. The directory's pages and
/// search are ready too (serving starts only once their cards and index are loaded); after a
/// start from a snapshot the HSDS API may still wait a few seconds for the directory's records
/// (see `Directory::records`), and answers once they are read.
pub(crate) async fn ready(
    State(state): State<AppState>,
) -> Result<(StatusCode, &'static str), AppError> {
    state.store().ping().await.map_err(AppError::from)?;
    Ok((StatusCode::OK, "ready"))
}
