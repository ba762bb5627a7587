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
    let counts = state.store().directory_counts().await?;
    let count = tr.count(
        "home-count",
        &[
            ("organisations", counts.organisations),
            ("services", counts.services),
        ],
    );
    let page = HomePage {
        chrome: Chrome::new(&state, tr, "/", state.config().demo_notice),
        count,
    };
    super::render(&page)
}
