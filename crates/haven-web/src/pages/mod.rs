//! Server-rendered pages. Each works as plain HTML forms, without JavaScript.

pub(crate) mod account;
mod home;
mod language;
mod listing;
pub(crate) mod listings;
pub(crate) mod mentoring;
mod moderation;
pub(crate) mod organisations;
mod report;
mod search;
mod views;

use crate::access::Access::{Public, SiteAdmin};
use crate::access::Routes;
use crate::state::AppState;

pub(crate) fn routes(state: &AppState) -> Routes {
    Routes::new(state)
        .get("/", Public, home::show)
        .get("/search", Public, search::show)
        .get("/services/{id}", Public, listing::service)
        .get(
            "/directory/organisations/{id}",
            Public,
            listing::organisation,
        )
        .get("/about", Public, listing::about)
        .get("/admin/reports", SiteAdmin, moderation::queue)
        .post(
            "/admin/reports/{id}/resolve",
            SiteAdmin,
            moderation::resolve,
        )
        .get("/language/{tag}", Public, language::switch)
        .get("/services/{id}/report", Public, report::form)
        .post("/services/{id}/report", Public, report::submit)
        .get("/services/{id}/report/thanks", Public, report::thanks)
        .merge(account::routes(state))
        .merge(organisations::routes(state))
        .merge(listings::routes(state))
        .merge(mentoring::routes(state))
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

/// Reads a form body; one that cannot be read is a 400 naming the form as a whole.
pub(crate) fn read_form<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, crate::AppError> {
    serde_html_form::from_str(body).map_err(|_| {
        crate::AppError::invalid(vec![crate::error::FieldProblem::new(
            "form",
            "listing-error-form",
        )])
    })
}

/// A path parameter as an id; anything unreadable is simply not found.
pub(crate) fn path_id<T: std::str::FromStr>(
    params: &std::collections::HashMap<String, String>,
    name: &str,
) -> Result<T, crate::AppError> {
    params
        .get(name)
        .and_then(|v| v.parse().ok())
        .ok_or_else(crate::AppError::not_found)
}
