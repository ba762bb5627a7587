//! Cross-site request forgery, first line: a state-changing request must come from Haven's own
//! pages. Browsers say where a request comes from (`Sec-Fetch-Site`, and `Origin` on every
//! POST); anything cross-site is refused before a handler runs. Forms of signed-in people also
//! carry a per-session token (see `session`), the second line.

use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::{AppError, ErrorKind};

/// Refuses cross-site state-changing requests.
pub(crate) async fn same_origin_writes(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && is_cross_site(&request) {
        return AppError::new(ErrorKind::Forbidden).into_response();
    }
    next.run(request).await
}

fn is_cross_site(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // "none" is a person typing the address or using a bookmark.
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Neither header: not a browser (a script or a test client), which cookies do not
        // follow across sites; the session's CSRF token still guards signed-in forms.
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
    origin == "null" || origin_host != host
}
