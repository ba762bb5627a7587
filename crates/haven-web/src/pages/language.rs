//! The language switcher: a plain link that sets a cookie and goes back where the person was.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::state::AppState;
use crate::{AppError, LANGUAGE_COOKIE};

#[derive(Deserialize)]
pub(crate) struct Next {
    next: Option<String>,
}

/// `GET /language/{tag}?next=/path`.
pub(crate) async fn switch(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    Query(query): Query<Next>,
) -> Result<Response, AppError> {
    let language = haven_i18n::language_by_tag(&tag).ok_or_else(AppError::not_found)?;
    let target = query
        .next
        .as_deref()
        .filter(|n| is_local_path(n))
        .unwrap_or("/");
    let secure = if state.config().secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
        language.tag
    );
    let mut response = Redirect::to(target).into_response();
    let cookie = HeaderValue::from_str(&cookie).map_err(|e| AppError::internal(e.to_string()))?;
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// Only paths on this site, so the switcher cannot be used to send people elsewhere.
fn is_local_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn refuses_other_sites() {
        assert!(is_local_path("/services/1"));
        assert!(!is_local_path("//evil.example"));
        assert!(!is_local_path("https://evil.example"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path(""));
    }
}
