//! `/organisations/{tenant}/mentoring`: mentoring programmes. Coordinators (caseworkers and
//! organisation admins: mentoring profiles hold safeguarding metadata and at-risk flags, which
//! are case-level information volunteers and viewers do not see) create programmes, add mentors
//! and mentees by form or CSV, run matching, read each pair's explanation, lock, forbid, pick
//! pairs by hand, and move matches through their lifecycle. `/organisations/{tenant}/my-match`
//! shows any member their own matches, and nothing else.
//!
//! The decisions are `haven-mentoring`'s; these handlers parse, authorise and render.

pub(crate) mod csv_import;
pub(crate) mod fields;
mod matches;
mod my_match;
pub(crate) mod participants;
pub(crate) mod programme_form;
mod programmes;
pub(crate) mod settings;
pub(crate) mod view;
mod withdraw;

use std::collections::HashMap;

use haven_domain::accounts::Role;
use haven_domain::{MatchId, ParticipantId, ProgrammeId};
use haven_mentoring::{Actor, MentoringError};
use haven_store::StoreError;

use crate::AppError;
use crate::access::Access::Member;
use crate::access::{ActingMember, Routes};
use crate::locale::Tr;
use crate::pages::path_id;
use crate::state::AppState;

pub(crate) fn routes(state: &AppState) -> Routes {
    let coordinator = Member(Role::Caseworker);
    Routes::new(state)
        .get(
            "/organisations/{tenant}/mentoring",
            coordinator,
            programmes::list,
        )
        .post(
            "/organisations/{tenant}/mentoring",
            coordinator,
            programmes::create,
        )
        .get(
            "/organisations/{tenant}/mentoring/{programme}",
            coordinator,
            matches::show,
        )
        .get(
            "/organisations/{tenant}/mentoring/{programme}/mentors/new",
            coordinator,
            participants::new_mentor,
        )
        .post(
            "/organisations/{tenant}/mentoring/{programme}/mentors",
            coordinator,
            participants::add_mentor,
        )
        .get(
            "/organisations/{tenant}/mentoring/{programme}/mentees/new",
            coordinator,
            participants::new_mentee,
        )
        .post(
            "/organisations/{tenant}/mentoring/{programme}/mentees",
            coordinator,
            participants::add_mentee,
        )
        .post(
            "/organisations/{tenant}/mentoring/{programme}/mentors/csv",
            coordinator,
            participants::upload_mentors,
        )
        .post(
            "/organisations/{tenant}/mentoring/{programme}/mentees/csv",
            coordinator,
            participants::upload_mentees,
        )
        .get(
            "/organisations/{tenant}/mentoring/{programme}/people/{participant}",
            coordinator,
            participants::edit,
        )
        .post(
            "/organisations/{tenant}/mentoring/{programme}/people/{participant}",
            coordinator,
            participants::update,
        )
        .get(
            "/organisations/{tenant}/mentoring/{programme}/settings",
            coordinator,
            settings::edit,
        )
        .post(
            "/organisations/{tenant}/mentoring/{programme}/settings",
            coordinator,
            settings::update,
        )
        .get(
            "/organisations/{tenant}/mentoring/{programme}/people/{participant}/withdraw",
            coordinator,
            withdraw::confirm,
        )
        .post(
            "/organisations/{tenant}/mentoring/{programme}/people/{participant}/withdraw",
            coordinator,
            withdraw::withdraw,
        )
        .post(
            "/organisations/{tenant}/mentoring/{programme}/run",
            coordinator,
            matches::run,
        )
        .post(
            "/organisations/{tenant}/mentoring/{programme}/pairs",
            coordinator,
            matches::pair,
        )
        .post(
            "/organisations/{tenant}/mentoring/{programme}/matches/{match}",
            coordinator,
            matches::step,
        )
        .get(
            "/organisations/{tenant}/my-match",
            Member(Role::Viewer),
            my_match::show,
        )
}

/// The acting coordinator as the service sees them.
pub(crate) fn actor(state: &AppState, acting: &ActingMember) -> Actor {
    Actor {
        tenant: acting.tenant.id,
        user: Some(acting.me.user.id),
        now: state.clock().now(),
    }
}

pub(crate) fn programme_id(params: &HashMap<String, String>) -> Result<ProgrammeId, AppError> {
    path_id(params, "programme")
}

pub(crate) fn match_id(params: &HashMap<String, String>) -> Result<MatchId, AppError> {
    path_id(params, "match")
}

pub(crate) fn participant_id(raw: &str) -> Option<ParticipantId> {
    raw.trim().parse().ok()
}

/// A refusal a coordinator can act on, in their language; other failures stay errors.
pub(crate) fn refusal(tr: &Tr, e: MentoringError) -> Result<String, AppError> {
    use haven_match::MatchError;
    Ok(match e {
        MentoringError::RuleFails(rule) => tr.get_with(
            "mentoring-refused-rule",
            &[("rule", &view::rule_name(tr, rule))],
        ),
        MentoringError::MentorFull { capacity } => tr.get_with(
            "mentoring-refused-full",
            &[("capacity", &capacity.to_string())],
        ),
        MentoringError::MenteeSettled => tr.get("mentoring-refused-settled"),
        MentoringError::Withdrawn => tr.get("mentoring-refused-withdrawn"),
        MentoringError::Transition(t) => tr.get_with(
            "mentoring-refused-transition",
            &[
                ("from", &view::status_name(tr, t.from)),
                ("to", &view::status_name(tr, t.to)),
            ],
        ),
        MentoringError::Engine(MatchError::LockedPairBreaksRule { rule, .. }) => tr.get_with(
            "mentoring-refused-locked-rule",
            &[("rule", &view::rule_name(tr, rule))],
        ),
        MentoringError::Engine(MatchError::LocksExceedCapacity { .. }) => {
            tr.get("mentoring-refused-locks-capacity")
        }
        MentoringError::Engine(_) => tr.get("mentoring-refused-engine"),
        MentoringError::Store(StoreError::Refused { .. }) => tr.get("mentoring-refused-state"),
        MentoringError::Store(StoreError::Conflict { .. }) => tr.get("mentoring-refused-conflict"),
        MentoringError::Store(e) => return Err(e.into()),
    })
}
