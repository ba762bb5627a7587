//! "Report a problem with this listing": a public form that feeds the moderation queue.
//!
//! It asks for nothing about the person reporting, so the queue holds no personal data.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use haven_domain::directory::MAX_REPORT_CHARS;
use haven_domain::{ListingReport, ReportId, ReportReason, Service, ServiceId, Text, TextError};
use serde::Deserialize;

use crate::AppError;
use crate::error::{FieldProblem, page_with_status};
use crate::locale::{Chrome, Tr};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    chrome: Chrome,
    service: Service,
    reasons: Vec<(&'static str, String)>,
    chosen: String,
    details: String,
    problems: Vec<(String, String)>,
    max_details: usize,
}

#[derive(Template)]
#[template(path = "report_thanks.html")]
struct ThanksPage {
    chrome: Chrome,
    service: Service,
}

/// The form's fields, all optional here so that a missing one is reported by name.
#[derive(Debug, Deserialize)]
pub(crate) struct ReportForm {
    reason: Option<String>,
    details: Option<String>,
}

async fn service_of(state: &AppState, id: &str) -> Result<Service, AppError> {
    // A malformed id names no listing: the same answer as a missing one.
    let id: ServiceId = id.parse().map_err(|_| AppError::not_found())?;
    Ok(state.store().service(id).await?)
}

fn page(
    state: &AppState,
    tr: Tr,
    service: Service,
    form: Option<&ReportForm>,
    problems: Vec<FieldProblem>,
) -> ReportPage {
    let path = format!("/services/{}/report", service.id);
    let reasons = ReportReason::ALL
        .iter()
        .map(|r| (r.code(), tr.get(&format!("report-reason-{}", r.code()))))
        .collect();
    let problems = tr.problems(problems);
    ReportPage {
        chrome: Chrome::new(state, tr, &path, state.config().demo_notice),
        service,
        reasons,
        chosen: form.and_then(|f| f.reason.clone()).unwrap_or_default(),
        details: form.and_then(|f| f.details.clone()).unwrap_or_default(),
        problems,
        max_details: MAX_REPORT_CHARS,
    }
}

/// `GET /services/{id}/report`.
pub(crate) async fn form(
    State(state): State<AppState>,
    tr: Tr,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let service = service_of(&state, &id).await?;
    super::render(&page(&state, tr, service, None, Vec::new()))
}

/// Checks the form; every problem is named with its field.
fn validate(form: &ReportForm) -> Result<(ReportReason, Option<Text>), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let reason = form.reason.as_deref().and_then(ReportReason::from_code);
    if reason.is_none() {
        problems.push(FieldProblem::new("reason", "report-error-reason"));
    }
    let details = match form
        .details
        .as_deref()
        .map(|d| Text::parse(d, MAX_REPORT_CHARS))
    {
        None | Some(Err(TextError::Empty)) => None,
        Some(Ok(text)) => Some(text),
        Some(Err(TextError::TooLong { .. })) => {
            problems.push(FieldProblem::new("details", "report-error-details-long"));
            None
        }
        Some(Err(TextError::ControlCharacter)) => {
            problems.push(FieldProblem::new("details", "report-error-details-control"));
            None
        }
    };
    match reason {
        Some(reason) if problems.is_empty() => Ok((reason, details)),
        _ => Err(problems),
    }
}

/// `POST /services/{id}/report`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    tr: Tr,
    Path(id): Path<String>,
    Form(form): Form<ReportForm>,
) -> Result<Response, AppError> {
    let service = service_of(&state, &id).await?;
    let (reason, details) = match validate(&form) {
        Ok(valid) => valid,
        Err(problems) => {
            let html = super::render(&page(&state, tr, service, Some(&form), problems))?;
            return Ok(page_with_status(StatusCode::BAD_REQUEST, html));
        }
    };
    let report = ListingReport {
        id: ReportId::new_random(),
        service_id: service.id,
        reason,
        details,
        received_at: state.clock().now(),
        resolved_at: None,
    };
    state.store().add_listing_report(&report).await?;
    Ok(Redirect::to(&format!("/services/{}/report/thanks", service.id)).into_response())
}

/// `GET /services/{id}/report/thanks`.
pub(crate) async fn thanks(
    State(state): State<AppState>,
    tr: Tr,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let service = service_of(&state, &id).await?;
    let path = format!("/services/{}/report/thanks", service.id);
    let page = ThanksPage {
        chrome: Chrome::new(&state, tr, &path, state.config().demo_notice),
        service,
    };
    super::render(&page)
}
