//! One error type for every handler, mapped once to a status, and rendered once, by
//! [`render_errors`], as `application/problem+json` under `/api` or as a friendly page in the
//! person's language elsewhere, with a stable code and the request id to quote.

use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use haven_store::StoreError;
use serde::Serialize;

use crate::locale::{Chrome, Tr};
use crate::state::AppState;

/// What kind of failure, which decides the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400: the request is malformed or a value is invalid.
    BadRequest,
    /// 401: the API needs credentials.
    Unauthorised,
    /// 403: a cross-site write or a missing CSRF token. Never used for records of another
    /// organisation: those are 404, so their existence does not leak.
    Forbidden,
    /// 404: no such thing, or not this caller's to see.
    NotFound,
    /// 405: the route exists but not with that method.
    MethodNotAllowed,
    /// 408: the request took too long.
    Timeout,
    /// 409: the write clashes with what is stored.
    Conflict,
    /// 413: the body is too large.
    PayloadTooLarge,
    /// 415: the body is in a format the route does not take.
    UnsupportedMediaType,
    /// 503: the database is unreachable or overloaded.
    Unavailable,
    /// 500: a defect in Haven.
    Internal,
}

impl ErrorKind {
    /// The HTTP status.
    pub const fn status(self) -> StatusCode {
        match self {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthorised => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::Timeout => StatusCode::REQUEST_TIMEOUT,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code shown to people and in logs, so a report can be matched to its cause.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "HVN-400",
            ErrorKind::Unauthorised => "HVN-401",
            ErrorKind::Forbidden => "HVN-403",
            ErrorKind::NotFound => "HVN-404",
            ErrorKind::MethodNotAllowed => "HVN-405",
            ErrorKind::Timeout => "HVN-408",
            ErrorKind::Conflict => "HVN-409",
            ErrorKind::PayloadTooLarge => "HVN-413",
            ErrorKind::UnsupportedMediaType => "HVN-415",
            ErrorKind::Unavailable => "HVN-503",
            ErrorKind::Internal => "HVN-500",
        }
    }

    fn from_status(status: StatusCode) -> Self {
        match status {
            StatusCode::UNAUTHORIZED => ErrorKind::Unauthorised,
            StatusCode::FORBIDDEN => ErrorKind::Forbidden,
            StatusCode::NOT_FOUND => ErrorKind::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ErrorKind::MethodNotAllowed,
            StatusCode::REQUEST_TIMEOUT => ErrorKind::Timeout,
            StatusCode::CONFLICT => ErrorKind::Conflict,
            StatusCode::PAYLOAD_TOO_LARGE => ErrorKind::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorKind::UnsupportedMediaType,
            StatusCode::SERVICE_UNAVAILABLE => ErrorKind::Unavailable,
            s if s.is_client_error() => ErrorKind::BadRequest,
            _ => ErrorKind::Internal,
        }
    }

    /// Message ids for the title and explanation shown to a person.
    fn messages(self) -> (&'static str, &'static str) {
        match self {
            ErrorKind::NotFound => ("error-not-found-title", "error-not-found-body"),
            ErrorKind::Unavailable | ErrorKind::Timeout => {
                ("error-unavailable-title", "error-unavailable-body")
            }
            ErrorKind::Internal => ("error-title", "error-internal-body"),
            ErrorKind::Forbidden => ("error-forbidden-title", "error-forbidden-body"),
            _ => ("error-bad-request-title", "error-bad-request-body"),
        }
    }
}

/// A problem with one input field: which field, and a message id saying what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field's name as the form or JSON names it.
    pub field: String,
    /// Message id of the explanation.
    pub message: &'static str,
}

impl FieldProblem {
    /// The problem `message` (a message id) with the field `field`.
    pub fn new(field: &str, message: &'static str) -> Self {
        Self {
            field: field.to_owned(),
            message,
        }
    }
}

/// The error every handler returns.
#[derive(Debug, Clone)]
pub struct AppError {
    kind: ErrorKind,
    problems: Vec<FieldProblem>,
    /// Problems already put into words (field, explanation), such as an HSDS import's report.
    details: Vec<(String, String)>,
    /// Detail for the log only: never sent to the client, never personal data.
    internal: Option<String>,
}

impl AppError {
    /// An error of a kind.
    pub fn new(kind: ErrorKind) -> Self {
        Self {
            kind,
            problems: Vec::new(),
            details: Vec::new(),
            internal: None,
        }
    }

    /// 404.
    pub fn not_found() -> Self {
        Self::new(ErrorKind::NotFound)
    }

    /// 400 naming each invalid field with an explanation already in words (the HSDS
    /// importer's, in English, as the HSDS field names are).
    pub fn invalid_details(details: Vec<(String, String)>) -> Self {
        Self {
            details,
            ..Self::new(ErrorKind::BadRequest)
        }
    }

    /// 400 naming each invalid field.
    pub fn invalid(problems: Vec<FieldProblem>) -> Self {
        Self {
            problems,
            ..Self::new(ErrorKind::BadRequest)
        }
    }

    /// 500 with detail for the log.
    pub fn internal(detail: impl Into<String>) -> Self {
        Self {
            internal: Some(detail.into()),
            ..Self::new(ErrorKind::Internal)
        }
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        let kind = match &e {
            StoreError::NotFound { .. } => ErrorKind::NotFound,
            StoreError::Conflict { .. } | StoreError::LastAdmin | StoreError::Refused { .. } => {
                ErrorKind::Conflict
            }
            StoreError::Unavailable(_) => ErrorKind::Unavailable,
            StoreError::Corrupt { .. } | StoreError::Other(_) => ErrorKind::Internal,
        };
        Self {
            internal: Some(e.to_string()),
            ..Self::new(kind)
        }
    }
}

impl IntoResponse for AppError {
    /// The body is filled in later by [`render_errors`], which knows the person's language and
    /// the request id; the error rides along in the response's extensions until then.
    fn into_response(self) -> Response {
        let mut response = self.kind.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// Marks an error response whose body the handler rendered itself (a form shown again with
/// its mistakes marked), which [`render_errors`] must leave alone.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeepBody;

/// A page the handler rendered itself, sent with an error status.
pub(crate) fn page_with_status(status: StatusCode, html: Html<String>) -> Response {
    let mut response = (status, html).into_response();
    response.extensions_mut().insert(KeepBody);
    response
}

/// A JSON answer with an error status whose body is already what the client should read (a
/// refusal it can act on), so the error-rendering layer leaves it alone.
pub(crate) fn json_with_status(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    response.extensions_mut().insert(KeepBody);
    response
}

/// Answers routes that do not exist.
pub(crate) async fn not_found_fallback() -> AppError {
    AppError::not_found()
}

#[derive(Serialize)]
struct ProblemJson<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    status: u16,
    code: &'static str,
    request_id: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldJson>,
}

#[derive(Serialize)]
struct FieldJson {
    field: String,
    message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    title: String,
    body: String,
    reference: String,
    problems: Vec<(String, String)>,
}

/// Renders every error response, from handlers and from the layers around them alike.
pub(crate) async fn render_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_api = request.uri().path().starts_with("/api");
    let tr = Tr::for_request(&state, request.headers());
    let request_id = request
        .headers()
        .get(crate::layers::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let path = request.uri().path().to_owned();

    let response = next.run(request).await;
    let status = response.status();
    let is_error = status.is_client_error() || status.is_server_error();
    if !is_error || response.extensions().get::<KeepBody>().is_some() {
        return response;
    }
    let error = response
        .extensions()
        .get::<AppError>()
        .cloned()
        .unwrap_or_else(|| AppError::new(ErrorKind::from_status(status)));
    log(&error, &request_id);

    let (title_id, body_id) = error.kind.messages();
    let title = tr.get(title_id);
    let problems: Vec<(String, String)> = error
        .problems
        .iter()
        .map(|p| (p.field.clone(), tr.get(p.message)))
        .chain(error.details.iter().cloned())
        .collect();
    let mut rendered = if is_api {
        let problem = ProblemJson {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            code: error.kind.code(),
            request_id: &request_id,
            errors: problems
                .into_iter()
                .map(|(field, message)| FieldJson { field, message })
                .collect(),
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = Response::new(Body::from(body));
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    } else {
        let reference = tr.get_with(
            "error-reference",
            &[
                ("code", error.kind.code()),
                ("request", request_id.as_str()),
            ],
        );
        let page = ErrorPage {
            chrome: Chrome::new(&state, tr, &path, false),
            title,
            body: String::new(),
            reference,
            problems,
        };
        let page = ErrorPage {
            body: page.chrome.tr.get(body_id),
            ..page
        };
        match page.render() {
            Ok(html) => Html(html).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                Response::new(Body::from("Error"))
            }
        }
    };
    *rendered.status_mut() = status;
    if let Some(allow) = response.headers().get(header::ALLOW) {
        rendered.headers_mut().insert(header::ALLOW, allow.clone());
    }
    rendered
}

/// Defects and outages are logged at their level; a person's mistake is not an error of ours,
/// so it is logged at debug only.
fn log(error: &AppError, request_id: &str) {
    let code = error.kind.code();
    let detail = error.internal.as_deref().unwrap_or("");
    match error.kind {
        ErrorKind::Internal => tracing::error!(code, request_id, detail, "request failed"),
        ErrorKind::Unavailable => tracing::warn!(code, request_id, detail, "request failed"),
        _ => tracing::debug!(code, request_id, "request refused"),
    }
}
