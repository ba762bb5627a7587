//! Haven's HTTP layer: thin handlers that parse, authorise, call the domain and render.
//!
//! [`app`] builds the whole router from an [`AppState`]; the binary serves it, and tests drive
//! it in-process with `tower::ServiceExt::oneshot`.

mod access;
mod api;
mod assets;
mod auth;
pub use auth::secrets::{SealReport, SealStoredError, seal_stored_secrets};
pub mod directory;
mod error;
mod health;
mod layers;
mod locale;
mod mail;
mod pages;
mod state;

use axum::Router;

pub use access::{Access, ApiScope, RouteRule, route_rules};
pub use error::{AppError, ErrorKind};
pub use state::{AppState, StateError, WebConfig, shared_gazetteer};

/// The cookie that remembers a person's chosen language.
pub const LANGUAGE_COOKIE: &str = "haven_lang";

/// Every route with its access rule.
fn routes(state: &AppState) -> (Router<AppState>, Vec<RouteRule>) {
    use access::{Access::Public, Routes};
    Routes::new(state)
        .get("/healthz", Public, health::alive)
        .get("/readyz", Public, health::ready)
        .get("/static/{name}", Public, assets::serve)
        .merge(pages::routes(state))
        .merge(api::routes(state))
        .into_parts()
}

/// Every route Haven serves, with its middleware.
pub fn app(state: AppState) -> Router {
    let (router, _) = routes(&state);
    let router = router.fallback(error::not_found_fallback);
    layers::wrap(router, &state).with_state(state)
}
