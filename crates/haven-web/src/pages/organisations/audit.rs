//! `/organisations/{tenant}/audit`: the organisation's audit chain, newest first, paged, and
//! whether the chain verifies.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use haven_auth::audit_chain::verify_chain;
use haven_domain::accounts::AuditScope;
use serde::Deserialize;

use crate::AppError;
use crate::access::ActingMember;
use crate::locale::{Chrome, Tr};
use crate::mail;
use crate::pages::render;
use crate::state::AppState;

const PAGE_SIZE: usize = 50;

struct Row {
    when: String,
    action: String,
    actor: String,
    subject: String,
}

#[derive(Template)]
#[template(path = "organisation_audit.html")]
struct AuditPage {
    chrome: Chrome,
    id: String,
    verified: bool,
    rows: Vec<Row>,
    newer: Option<usize>,
    older: Option<usize>,
}

/// `?page=N`, counting from 0 (the newest).
#[derive(Debug, Deserialize)]
pub(crate) struct PageQuery {
    page: Option<usize>,
}

/// `GET /organisations/{tenant}/audit`.
pub(crate) async fn show(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    let entries = state
        .store()
        .audit_entries(&AuditScope::Tenant(acting.tenant.id).key())
        .await?;
    let verified = verify_chain(&entries).is_ok();
    let page = query.page.unwrap_or(0);
    let total = entries.len();
    let rows = entries
        .iter()
        .rev()
        .skip(page.saturating_mul(PAGE_SIZE))
        .take(PAGE_SIZE)
        .map(|e| Row {
            when: time::OffsetDateTime::from_unix_timestamp_nanos(e.at_unix_nanos)
                .map(mail::when)
                .unwrap_or_default(),
            action: e.action.clone(),
            actor: e.actor.clone().unwrap_or_else(|| "-".to_owned()),
            subject: match (&e.subject_kind, &e.subject_id) {
                (Some(kind), Some(id)) => format!("{kind} {id}"),
                _ => "-".to_owned(),
            },
        })
        .collect();
    let id = acting.tenant.id.to_string();
    let page = AuditPage {
        chrome: Chrome::new(
            &state,
            tr,
            &format!("/organisations/{id}/audit"),
            state.config().demo_notice,
        ),
        id,
        verified,
        rows,
        newer: page.checked_sub(1),
        older: ((page + 1) * PAGE_SIZE < total).then_some(page + 1),
    };
    Ok(render(&page)?.into_response())
}
