//! The home page: "What do you need help with?" and "Where are you?".

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::AppError;
use crate::locale::{Chrome, Tr};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    count: String,
}

/// `GET /`.
pub(crate) async fn show(State(state): State<AppState>, tr: Tr) -> Result<Html<String>, AppError> {
    // The directory snapshot already knows its size: no database query on the busiest page.
    let directory = state.directory().current();
    let count = tr.count(
        "home-count",
        &[
            ("organisations", directory.organisations.len() as u64),
            ("services", directory.service_count() as u64),
        ],
    );
    let page = HomePage {
        chrome: Chrome::new(&state, tr, "/", state.config().demo_notice),
        count,
    };
    super::render(&page)
}
