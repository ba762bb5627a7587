//! `/organisations/{tenant}/my-match`: a member who is a mentor or mentee sees their own
//! matches (agreed onwards; proposals are the coordinator's working notes) and nobody else's.
//! The other person's e-mail appears once they have been introduced.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use haven_domain::mentoring::{MatchStatus, Side};
use haven_store::MentoringStoreExt;

use super::view::status_name;
use crate::AppError;
use crate::access::ActingMember;
use crate::locale::{Chrome, Tr};
use crate::pages::render;
use crate::state::AppState;

pub(crate) struct MyMatch {
    pub programme: String,
    pub role: String,
    pub other: String,
    pub email: Option<String>,
    pub status: String,
}

#[derive(Template)]
#[template(path = "mentoring_my_match.html")]
struct MyMatchPage {
    chrome: Chrome,
    id: String,
    name: String,
    matches: Vec<MyMatch>,
}

/// `GET /organisations/{tenant}/my-match`.
pub(crate) async fn show(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
) -> Result<Response, AppError> {
    let tenant = acting.tenant.id;
    let store = state.store();
    let mut matches = Vec::new();
    for row in store
        .participant_rows_of_user(tenant, acting.me.user.id)
        .await?
    {
        let me = haven_domain::ParticipantId::from_uuid(row.id);
        let side = Side::from_code(&row.side).unwrap_or(Side::Mentee);
        let programme = store
            .programme(
                tenant,
                haven_domain::ProgrammeId::from_uuid(row.programme_id),
            )
            .await?;
        for m in store.matches_of_participant(tenant, me).await? {
            if m.status == MatchStatus::Proposed {
                continue;
            }
            let other_id = if side == Side::Mentor {
                m.mentee
            } else {
                m.mentor
            };
            let other = store.participant_row(tenant, other_id).await?;
            let introduced = matches!(m.status, MatchStatus::Introduced | MatchStatus::Active);
            matches.push(MyMatch {
                programme: programme.name.as_str().to_owned(),
                role: tr.get(&format!("mentoring-you-are-{}", side.code())),
                other: other.name,
                email: other.email.filter(|_| introduced),
                status: status_name(&tr, m.status),
            });
        }
    }
    let id = tenant.to_string();
    let page = MyMatchPage {
        chrome: Chrome::new(
            &state,
            tr,
            &format!("/organisations/{id}/my-match"),
            state.config().demo_notice,
        ),
        id,
        name: acting.tenant.name.as_str().to_owned(),
        matches,
    };
    Ok(render(&page)?.into_response())
}
