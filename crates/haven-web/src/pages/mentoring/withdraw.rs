//! `…/people/{participant}/withdraw`: a mentor or mentee leaves the programme. The page first
//! says what will happen (which agreed, introduced or active matches end, with the outcome
//! "withdrawn"; proposals, locks and forbids naming them go) and asks to confirm; the record and
//! the history stay, and later runs leave them out.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use haven_domain::ParticipantId;
use haven_domain::mentoring::Side;
use haven_mentoring::people;
use haven_store::MentoringStoreExt;

use super::matches::done;
use super::participants::{person, programme};
use super::programmes::read_form;
use super::view::status_name;
use super::{actor, participant_id, programme_id};
use crate::AppError;
use crate::access::ActingMember;
use crate::locale::{Chrome, Tr};
use crate::pages::render;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "mentoring_withdraw.html")]
struct WithdrawPage {
    chrome: Chrome,
    id: String,
    programme_id: String,
    programme_name: String,
    person_id: String,
    heading: String,
    /// Set when they have withdrawn already: when.
    already: Option<String>,
    /// The other person and the status of each match that withdrawing ends.
    open: Vec<(String, String)>,
    csrf: String,
}

/// `GET …/people/{participant}/withdraw`: what withdrawing will do, and the button.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let p = programme(&state, &acting, &params).await?;
    let row = person(&state, &acting, &p, &params).await?;
    let me = ParticipantId::from_uuid(row.id);
    let tenant = acting.tenant.id;
    let store = state.store();
    let side = Side::from_code(&row.side).ok_or_else(AppError::not_found)?;
    let mut open = Vec::new();
    for m in store.matches_of_participant(tenant, me).await? {
        if !m.status.is_settled() {
            continue;
        }
        let other = if side == Side::Mentor {
            m.mentee
        } else {
            m.mentor
        };
        let other = store.participant_row(tenant, other).await?.name;
        open.push((other, status_name(&tr, m.status)));
    }
    let already = row.withdrawn_at.map(|at| {
        tr.get_with(
            "mentoring-withdrawn-on",
            &[("name", &row.name), ("date", &at.date().to_string())],
        )
    });
    let heading = tr.get_with("mentoring-withdraw-title", &[("name", &row.name)]);
    let id = tenant.to_string();
    let page = WithdrawPage {
        chrome: Chrome::new(
            &state,
            tr,
            &format!(
                "/organisations/{id}/mentoring/{}/people/{me}/withdraw",
                p.id
            ),
            state.config().demo_notice,
        ),
        id,
        programme_id: p.id.to_string(),
        programme_name: p.name.as_str().to_owned(),
        person_id: me.to_string(),
        heading,
        already,
        open,
        csrf: acting.me.session.csrf_token.clone(),
    };
    Ok(render(&page)?.into_response())
}

/// `POST …/people/{participant}/withdraw`: withdraws them, then back to the programme.
pub(crate) async fn withdraw(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    let form = read_form(&body)?;
    acting.me.check_csrf(form.get("csrf").map(String::as_str))?;
    let programme = programme_id(&params)?;
    let participant = params
        .get("participant")
        .and_then(|v| participant_id(v))
        .ok_or_else(AppError::not_found)?;
    let actor = actor(&state, &acting);
    // The service reads the person and checks they are this organisation's and this
    // programme's (`NotFound`, a 404, otherwise), so nothing is read here first.
    let result = people::withdraw(state.store(), &actor, programme, participant)
        .await
        .map(|_| ());
    // Withdrawn meanwhile (by another coordinator): the programme page says so, with 409.
    done(&state, tr, &acting, programme, result).await
}
