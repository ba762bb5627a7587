//! Server-rendered pages. Each works as plain HTML forms, without JavaScript.

mod account;
mod home;
mod language;
mod report;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/language/{tag}", get(language::switch))
        .route(
            "/services/{id}/report",
            get(report::form).post(report::submit),
        )
        .route("/services/{id}/report/thanks", get(report::thanks))
        .merge(account::routes())
}

/// Renders a template, turning a rendering failure (a defect) into a 500.
pub(crate) fn render(
    template: &impl askama::Template,
) -> Result<axum::response::Html<String>, crate::AppError> {
    template
        .render()
        .map(axum::response::Html)
        .map_err(|e| crate::AppError::internal(format!("template: {e}")))
}
