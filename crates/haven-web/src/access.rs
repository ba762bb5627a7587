//! Authorisation by route. Every route is added through [`Routes`] with the [`Access`] rule that
//! guards it, and the rule is enforced by a layer on that route, so the table the authorisation
//! matrix test reads ([`route_rules`]) is the same table that protects requests.
//!
//! Records of an organisation are reached through a `{tenant}` path segment; a person who is not
//! a member of that organisation with a sufficient role gets 404, exactly as if it did not
//! exist, so nothing about another organisation leaks.

use axum::Router;
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;
use haven_domain::TenantId;
use haven_domain::accounts::{Role, Tenant, TenantStatus};

use crate::auth::{Signed, SignedIn};
use crate::error::{AppError, ErrorKind};
use crate::state::AppState;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone fully signed in (password and second factor).
    SignedIn,
    /// Site administrators.
    SiteAdmin,
    /// Members of the approved organisation named by the `{tenant}` path segment, with at
    /// least this role.
    Member(Role),
    /// API clients with a bearer token of an approved organisation, unexpired, unrevoked and
    /// holding this scope. Anything else is 401 (problem+json); sessions do not count.
    Token(ApiScope),
}

/// What an API token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ApiScope {
    /// Read the organisation's own listing.
    ListingsRead,
    /// Change the organisation's own listing.
    ListingsWrite,
    /// Read the organisation's mentoring programmes, people and matches.
    MentoringRead,
    /// Change them: programmes, people, matching, pairs, lifecycle steps.
    MentoringWrite,
}

impl ApiScope {
    pub const ALL: [ApiScope; 4] = [
        ApiScope::ListingsRead,
        ApiScope::ListingsWrite,
        ApiScope::MentoringRead,
        ApiScope::MentoringWrite,
    ];

    /// The code stored and shown (`listings:read`).
    pub fn code(self) -> &'static str {
        match self {
            ApiScope::ListingsRead => "listings:read",
            ApiScope::ListingsWrite => "listings:write",
            ApiScope::MentoringRead => "mentoring:read",
            ApiScope::MentoringWrite => "mentoring:write",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The organisation a `Token` route acts for, checked by the route's guard.
#[derive(Debug, Clone)]
pub(crate) struct ActingToken {
    pub tenant: Tenant,
}

impl FromRequestParts<AppState> for ActingToken {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &AppState,
    ) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<ActingToken>()
            .cloned()
            .ok_or_else(|| AppError::internal("ActingToken used on a route without a Token rule"))
    }
}

/// How long a token's recorded last use may lag behind its real last use.
const TOUCH_EVERY: time::Duration = time::Duration::hours(1);

/// The tenant of a usable bearer token with `scope`, or 401. Only the digest is looked up, and
/// nothing about the token is logged.
async fn bearer(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    scope: ApiScope,
) -> Result<ActingToken, AppError> {
    let unauthorised = || AppError::new(ErrorKind::Unauthorised);
    let secret = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.len() <= 200)
        .ok_or_else(unauthorised)?;
    let now = state.clock().now();
    let token = match state
        .store()
        .api_token_by_digest(&haven_auth::token::digest(secret))
        .await
    {
        Ok(token) => token,
        Err(haven_store::StoreError::NotFound { .. }) => return Err(unauthorised()),
        Err(e) => return Err(e.into()),
    };
    if !token.is_usable(now) || !token.scopes.iter().any(|s| s == scope.code()) {
        return Err(unauthorised());
    }
    let tenant = match state.store().tenant(token.tenant).await {
        Ok(tenant) if tenant.status == TenantStatus::Approved => tenant,
        Ok(_) => return Err(unauthorised()),
        Err(e) => return Err(e.into()),
    };
    // Last use is shown to the day, so it is written at most once an hour: not a write (on
    // SQLite's single writer) for every API request.
    let stale = token
        .last_used_at
        .is_none_or(|at| now - at >= TOUCH_EVERY || now < at);
    if stale && let Err(e) = state.store().touch_api_token(token.id, now).await {
        tracing::warn!(error = %e, "recording an API token's use failed");
    }
    Ok(ActingToken { tenant })
}

/// One route and its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteRule {
    /// HTTP method.
    pub method: Method,
    /// Path pattern, as registered (`/organisations/{tenant}/members`).
    pub path: &'static str,
    /// Who may use it.
    pub access: Access,
}

/// The organisation a `Member` route is acting on, checked by the route's guard.
#[derive(Debug, Clone)]
pub(crate) struct ActingMember {
    pub me: SignedIn,
    pub tenant: Tenant,
    pub role: Role,
}

impl FromRequestParts<AppState> for ActingMember {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &AppState,
    ) -> Result<Self, AppError> {
        // Present on every `Member` route, put there by its guard; absent means a handler was
        // registered under the wrong rule, which the matrix test catches.
        parts
            .extensions
            .get::<ActingMember>()
            .cloned()
            .ok_or_else(|| AppError::internal("ActingMember used on a route without a Member rule"))
    }
}

/// Builds the router and its rule table together.
pub(crate) struct Routes {
    state: AppState,
    router: Router<AppState>,
    rules: Vec<RouteRule>,
}

#[derive(Clone)]
struct Guard {
    state: AppState,
    access: Access,
}

impl Routes {
    pub fn new(state: &AppState) -> Self {
        Self {
            state: state.clone(),
            router: Router::new(),
            rules: Vec::new(),
        }
    }

    pub fn get<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::GET, path, access, axum::routing::get(handler))
    }

    pub fn put<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::PUT, path, access, axum::routing::put(handler))
    }

    pub fn post<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::POST, path, access, axum::routing::post(handler))
    }

    fn add(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        route: MethodRouter<AppState>,
    ) -> Self {
        let guard = Guard {
            state: self.state.clone(),
            access,
        };
        let guarded = route.layer(middleware::from_fn_with_state(guard, enforce));
        self.router = self.router.route(path, guarded);
        self.rules.push(RouteRule {
            method,
            path,
            access,
        });
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.rules.extend(other.rules);
        self
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteRule>) {
        (self.router, self.rules)
    }
}

fn not_signed_in(request: &Request) -> Response {
    if request.uri().path().starts_with("/api") {
        AppError::new(ErrorKind::Unauthorised).into_response()
    } else {
        Redirect::to("/sign-in").into_response()
    }
}

async fn enforce(State(guard): State<Guard>, mut request: Request, next: Next) -> Response {
    if guard.access == Access::Public {
        return next.run(request).await;
    }
    if let Access::Token(scope) = guard.access {
        return match bearer(&guard.state, request.headers(), scope).await {
            Ok(acting) => {
                request.extensions_mut().insert(acting);
                next.run(request).await
            }
            Err(e) => e.into_response(),
        };
    }
    let me = match Signed::from_headers(&guard.state, request.headers()).await {
        Ok(Signed::In(me)) => *me,
        Ok(_) => return not_signed_in(&request),
        Err(e) => return e.into_response(),
    };
    match guard.access {
        Access::Public | Access::SignedIn | Access::Token(_) => {}
        Access::SiteAdmin => {
            if !me.user.site_admin {
                return AppError::not_found().into_response();
            }
        }
        Access::Member(minimum) => {
            let (mut parts, body) = request.into_parts();
            let params = RawPathParams::from_request_parts(&mut parts, &guard.state).await;
            request = Request::from_parts(parts, body);
            let tenant_id = params.ok().and_then(|params| {
                params
                    .iter()
                    .find(|(name, _)| *name == "tenant")
                    .and_then(|(_, value)| value.parse::<TenantId>().ok())
            });
            let Some(tenant_id) = tenant_id else {
                return AppError::not_found().into_response();
            };
            let role = me
                .memberships
                .iter()
                .find(|m| m.tenant == tenant_id)
                .map(|m| m.role)
                .filter(|role| *role >= minimum);
            let Some(role) = role else {
                return AppError::not_found().into_response();
            };
            let tenant = match guard.state.store().tenant(tenant_id).await {
                Ok(tenant) if tenant.status == TenantStatus::Approved => tenant,
                Ok(_) => return AppError::not_found().into_response(),
                Err(e) => return AppError::from(e).into_response(),
            };
            request.extensions_mut().insert(ActingMember {
                me: me.clone(),
                tenant,
                role,
            });
        }
    }
    request.extensions_mut().insert(me);
    next.run(request).await
}

/// Every route with its rule, for the authorisation matrix test.
pub fn route_rules(state: &AppState) -> Vec<RouteRule> {
    crate::routes(state).1
}
