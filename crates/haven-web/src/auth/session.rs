//! Server-side sessions: the cookie holds a 256-bit random secret, the database only its
//! digest. Sessions end after 30 minutes without a request or 12 hours in all; a person is
//! signed in only once the second factor is given.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::accounts::{Membership, SessionRecord, User};
use haven_store::StoreError;
use time::{Duration, OffsetDateTime};

use crate::error::{AppError, ErrorKind};
use crate::locale::cookie_value;
use crate::state::AppState;

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "haven_session";

/// Writes to `last_seen_at` at most this often, so reading pages does not mean writing rows.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// A fully signed-in person.
#[derive(Debug, Clone)]
pub(crate) struct SignedIn {
    pub user: User,
    pub session: SessionRecord,
    pub memberships: Vec<Membership>,
}

impl SignedIn {
    /// Checks the CSRF token a form carried against the session's.
    pub fn check_csrf(&self, submitted: Option<&str>) -> Result<(), AppError> {
        match submitted {
            Some(token) if haven_auth::token::same_secret(token, &self.session.csrf_token) => {
                Ok(())
            }
            _ => Err(AppError::new(ErrorKind::Forbidden)),
        }
    }
}

/// Where the person stands.
#[derive(Debug, Clone)]
pub(crate) enum Signed {
    /// No valid session.
    Out,
    /// Password given; second factor still to come.
    Partly {
        session: Box<SessionRecord>,
        user: Box<User>,
    },
    /// Signed in.
    In(Box<SignedIn>),
}

impl Signed {
    /// Reads the session from the request's cookie.
    pub async fn from_headers(
        state: &AppState,
        headers: &axum::http::HeaderMap,
    ) -> Result<Self, AppError> {
        let Some(secret) = cookie_value(headers, SESSION_COOKIE) else {
            return Ok(Signed::Out);
        };
        let digest = haven_auth::token::digest(&secret);
        let store = state.store();
        let mut session = match store.session(&digest).await {
            Ok(session) => session,
            Err(StoreError::NotFound { .. }) => return Ok(Signed::Out),
            Err(e) => return Err(e.into()),
        };
        let now = state.clock().now();
        if session.expired(now) {
            store.delete_session(&digest).await?;
            return Ok(Signed::Out);
        }
        if now - session.last_seen_at > TOUCH_EVERY {
            session.last_seen_at = now;
            store.update_session(&session).await?;
        }
        let user = store.user(session.user).await?;
        if !session.second_factor_done {
            return Ok(Signed::Partly {
                session: Box::new(session),
                user: Box::new(user),
            });
        }
        let memberships = store.memberships_of(user.id).await?;
        Ok(Signed::In(Box::new(SignedIn {
            user,
            session,
            memberships,
        })))
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Signed::from_headers(state, &parts.headers).await
    }
}

/// Sends people who are not signed in to the sign-in page.
#[derive(Debug)]
pub(crate) struct SignInFirst;

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        Redirect::to("/sign-in").into_response()
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        // The route's guard has usually looked the session up already.
        if let Some(me) = parts.extensions.get::<SignedIn>() {
            return Ok(me.clone());
        }
        match Signed::from_headers(state, &parts.headers).await {
            Ok(Signed::In(signed_in)) => Ok(*signed_in),
            Ok(_) => Err(SignInFirst.into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// Starts a session for `user`; returns the record and the `Set-Cookie` value.
pub(crate) async fn start(
    state: &AppState,
    user: &User,
    second_factor_done: bool,
    now: OffsetDateTime,
) -> Result<(SessionRecord, HeaderValue), AppError> {
    let token = haven_auth::token::new_token();
    let csrf = haven_auth::token::new_token();
    let session = SessionRecord {
        digest: token.digest,
        user: user.id,
        tenant: None,
        csrf_token: csrf.secret,
        second_factor_done,
        created_at: now,
        last_seen_at: now,
        authenticated_at: now,
    };
    state.store().create_session(&session).await?;
    Ok((session, session_cookie(state, &token.secret)?))
}

fn session_cookie(state: &AppState, secret: &str) -> Result<HeaderValue, AppError> {
    let secure = if state.config().secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax{secure}"
    ))
    .map_err(|e| AppError::internal(e.to_string()))
}

/// A `Set-Cookie` value that removes the session cookie.
pub(crate) fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("haven_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// Adds a `Set-Cookie` header to a response.
pub(crate) fn with_cookie(mut response: Response, cookie: HeaderValue) -> Response {
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}
