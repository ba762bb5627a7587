//! Haven's HTTP layer: thin handlers that parse, authorise, call the domain and render.
//!
//! [`app`] builds the whole router from an [`AppState`]; the binary serves it, and tests drive
//! it in-process with `tower::ServiceExt::oneshot`.

mod api;
mod assets;
mod auth;
mod error;
mod health;
mod layers;
mod locale;
mod pages;
mod state;

use axum::Router;
use axum::routing::get;

pub use error::{AppError, ErrorKind};
pub use state::{AppState, WebConfig};

/// The cookie that remembers a person's chosen language.
pub const LANGUAGE_COOKIE: &str = "haven_lang";

/// Every route Haven serves, with its middleware.
pub fn app(state: AppState) -> Router {
    let routes = Router::new()
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .route("/static/{name}", get(assets::serve))
        .merge(pages::routes())
        .merge(api::routes())
        .fallback(error::not_found_fallback);
    layers::wrap(routes, &state).with_state(state)
}
