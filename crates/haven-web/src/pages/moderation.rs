//! `/admin/reports`: the moderation queue. Site admins read what people reported about listings
//! and mark each report dealt with once the listing is checked.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::ReportId;
use haven_domain::accounts::{AuditEvent, AuditScope};
use haven_store::{Page, StoreError};

use crate::AppError;
use crate::auth::SignedIn;
use crate::locale::{Chrome, Tr};
use crate::mail;
use crate::pages::account::CsrfOnly;
use crate::pages::{path_id, render};
use crate::state::AppState;

/// Reports shown at once; the oldest come first, so nothing waits forever.
const QUEUE_PAGE: u64 = 100;

struct QueuedReport {
    id: String,
    service_id: String,
    service_name: String,
    reason: String,
    details: Option<String>,
    received: String,
}

#[derive(Template)]
#[template(path = "admin_reports.html")]
struct QueuePage {
    chrome: Chrome,
    reports: Vec<QueuedReport>,
    csrf: String,
}

/// `GET /admin/reports`.
pub(crate) async fn queue(
    State(state): State<AppState>,
    tr: Tr,
    me: SignedIn,
) -> Result<Response, AppError> {
    let store = state.store();
    let mut reports = Vec::new();
    for report in store.open_listing_reports(Page::first(QUEUE_PAGE)).await? {
        let service_name = match store.service(report.service_id).await {
            Ok(service) => service.name.into_string(),
            Err(StoreError::NotFound { .. }) => continue,
            Err(e) => return Err(e.into()),
        };
        reports.push(QueuedReport {
            id: report.id.to_string(),
            service_id: report.service_id.to_string(),
            service_name,
            reason: tr.get(&format!("report-reason-{}", report.reason.code())),
            details: report.details.map(|d| d.into_string()),
            received: tr.get_with(
                "admin-reports-received",
                &[("when", &mail::when(report.received_at))],
            ),
        });
    }
    let page = QueuePage {
        chrome: Chrome::new(&state, tr, "/admin/reports", state.config().demo_notice),
        reports,
        csrf: me.session.csrf_token.clone(),
    };
    Ok(render(&page)?.into_response())
}

/// `POST /admin/reports/{id}/resolve`.
pub(crate) async fn resolve(
    State(state): State<AppState>,
    me: SignedIn,
    Path(params): Path<HashMap<String, String>>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    me.check_csrf(form.csrf.as_deref())?;
    let id: ReportId = path_id(&params, "id")?;
    // A second click on the same report (or a colleague's) is not an error.
    if state
        .store()
        .listing_report(id)
        .await?
        .resolved_at
        .is_some()
    {
        return Ok(Redirect::to("/admin/reports").into_response());
    }
    let now = state.clock().now();
    let event = AuditEvent {
        scope: AuditScope::Site,
        at: now,
        actor: Some(me.user.id),
        action: "report_resolved",
        subject: Some(("listing_report", id.to_string())),
    };
    state
        .store()
        .resolve_listing_report(id, now, &event)
        .await?;
    Ok(Redirect::to("/admin/reports").into_response())
}
