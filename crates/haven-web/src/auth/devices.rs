//! Known browsers: a long-lived random `haven_device` cookie identifies a browser, the store
//! keeps digests of those ids per person, and a sign-in from a browser new to that account
//! sends the person an e-mail with the time (never the network address).

use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use haven_domain::accounts::User;
use time::OffsetDateTime;

use crate::AppError;
use crate::auth::session::with_cookie;
use crate::locale::{Tr, cookie_value};
use crate::mail;
use crate::state::AppState;

/// The device cookie's name.
pub(crate) const DEVICE_COOKIE: &str = "haven_device";

/// About 400 days, the longest lifetime browsers honour.
const DEVICE_COOKIE_SECONDS: u32 = 400 * 24 * 60 * 60;

/// The device id the browser sent, if it looks like one Haven made.
fn device_id(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, DEVICE_COOKIE).filter(|id| {
        id.len() == 43
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// Remembers this browser for `user` once a sign-in has completed, giving it a device cookie
/// if it has none; with `alert`, e-mails the person when the browser is new to the account.
pub(crate) async fn remember(
    state: &AppState,
    headers: &HeaderMap,
    user: &User,
    now: OffsetDateTime,
    response: Response,
    alert: bool,
) -> Result<Response, AppError> {
    let (id, response) = match device_id(headers) {
        Some(id) => (id, response),
        None => {
            let id = haven_auth::token::new_token().secret;
            let secure = if state.config().secure_cookies {
                "; Secure"
            } else {
                ""
            };
            let cookie = HeaderValue::from_str(&format!(
                "{DEVICE_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={DEVICE_COOKIE_SECONDS}{secure}"
            ))
            .map_err(|e| AppError::internal(e.to_string()))?;
            (id, with_cookie(response, cookie))
        }
    };
    let is_new = state
        .store()
        .remember_device(user.id, &haven_auth::token::digest(&id), now)
        .await?;
    if is_new && alert {
        // In the person's own language when they chose one, else the one this browser uses.
        let tr = Tr::for_request(state, headers).or_tagged(user.language.as_deref());
        let when = mail::when(now);
        mail::send(
            state,
            &user.email,
            tr.get("mail-new-device-subject"),
            tr.get_with("mail-new-device-body", &[("when", &when)]),
        )
        .await;
    }
    Ok(response)
}
