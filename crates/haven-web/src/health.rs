//! Probes for process managers and load balancers.

use axum::extract::State;
use axum::http::StatusCode;

use crate::error::AppError;
use crate::state::AppState;

/// `GET /healthz`: the process is up and serving.
pub(crate) async fn alive() -> &'static str {
    "ok"
}

/// `GET /readyz`: the database answers, so requests can be served.
pub(crate) async fn ready(
    State(state): State<AppState>,
) -> Result<(StatusCode, &'static str), AppError> {
    state.store().ping().await.map_err(AppError::from)?;
    Ok((StatusCode::OK, "ready"))
}
