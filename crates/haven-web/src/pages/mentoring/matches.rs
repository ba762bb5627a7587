//! A programme's page: its settings, mentors and mentees, matching, the pairs with their
//! explanations, the unmatched mentees with their reasons, and the coordinator's actions.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::ParticipantId;
use haven_domain::mentoring::{ConstraintKind, Outcome, dbs_last_valid_day};
use haven_match::criteria::Criterion;
use haven_match::profile::AgeBand;
use haven_match::rules::HardRule;
use haven_mentoring::run::{self, Snapshot};
use haven_mentoring::{MentoringError, pairs};

use super::fields::{self, DBS_LEVELS, Problem, code_of};
use super::programmes::read_form;
use super::view::{self, criterion_name, goals_text, outcome_name, rule_name, status_name};
use super::{actor, match_id, participant_id, programme_id, refusal};
use crate::AppError;
use crate::access::ActingMember;
use crate::error::{FieldProblem, page_with_status};
use crate::locale::{Chrome, Tr};
use crate::pages::render;
use crate::state::AppState;

pub(crate) struct PersonRow {
    pub id: String,
    pub name: String,
    pub languages: String,
    pub goals: String,
    pub notes: String,
    pub linked: bool,
    /// The place name given for where they meet; empty if remote only.
    pub place: String,
    /// Withdrawn from the programme: listed for the record, left out of runs.
    pub withdrawn: bool,
}

pub(crate) struct CriterionRow {
    pub label: String,
    pub points: u32,
    pub weight: u32,
    pub score: u64,
    /// For proximity: the two places compared ("Leeds – Bradford"), when both are known.
    pub detail: String,
}

pub(crate) struct MatchRow {
    pub id: String,
    pub mentor_id: String,
    pub mentee_id: String,
    pub mentor: String,
    pub mentee: String,
    pub status: &'static str,
    pub status_name: String,
    pub score: u64,
    pub locked: bool,
    pub criteria: Vec<CriterionRow>,
    pub history: Vec<(String, String)>,
    pub ending: Option<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "mentoring_programme.html")]
struct ProgrammePage {
    /// When matching last ran (or that it never has).
    last_run: String,
    /// What changed since the last run, if anything.
    changed_since: Option<String>,
    chrome: Chrome,
    id: String,
    programme_id: String,
    programme_name: String,
    csrf: String,
    notice: Option<String>,
    problems: Vec<(String, String)>,
    settings: Vec<String>,
    mentors: Vec<PersonRow>,
    mentees: Vec<PersonRow>,
    matches: Vec<MatchRow>,
    unmatched: Vec<(String, String)>,
    constraints: Vec<(String, String, String, String, String)>,
    outcomes: Vec<(&'static str, String)>,
    mentor_columns: String,
    mentee_columns: String,
}

fn languages(list: &[haven_match::profile::Language]) -> String {
    list.iter()
        .map(|l| l.code.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

fn settings(tr: &Tr, s: &Snapshot) -> Vec<String> {
    let p = &s.programme.settings;
    let mut out = vec![tr.get_with(
        "mentoring-summary-capacity",
        &[("capacity", &p.mentor_capacity.to_string())],
    )];
    for c in &p.criteria {
        out.push(tr.get_with(
            "mentoring-summary-criterion",
            &[
                ("criterion", &criterion_name(tr, c.criterion)),
                ("weight", &c.weight.to_string()),
            ],
        ));
    }
    for r in &p.rules {
        out.push(tr.get_with(
            "mentoring-summary-rule",
            &[("rule", &rule_name(tr, r.kind()))],
        ));
        if let HardRule::AvailabilityOverlap { min_slots } = r {
            out.push(tr.get_with(
                "mentoring-summary-min-slots",
                &[("slots", &min_slots.to_string())],
            ));
        }
    }
    out.push(tr.get_with(
        "mentoring-summary-safeguarding",
        &[(
            "level",
            &tr.get(&format!(
                "mentoring-dbs-{}",
                code_of(&DBS_LEVELS, p.safeguarding.required_level)
            )),
        )],
    ));
    out
}

/// When matching last ran and, if anything changed since, what: the unmatched reasons describe
/// the programme as it is now, which may not be what the last run saw.
fn last_run(tr: &Tr, s: &Snapshot) -> (String, Option<String>) {
    let Some(run) = s.programme.last_run else {
        return (tr.get("mentoring-never-run"), None);
    };
    let at = run.at.to_offset(time::UtcOffset::UTC);
    let said = tr.get_with(
        "mentoring-last-run",
        &[
            ("date", &at.date().to_string()),
            ("time", &format!("{:02}:{:02}", at.hour(), at.minute())),
        ],
    );
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let withdrawn = s
        .mentors
        .iter()
        .filter_map(|m| m.withdrawn)
        .chain(s.mentees.iter().filter_map(|m| m.withdrawn))
        .filter(|w| *w > run.at)
        .count();
    let mut changes = Vec::new();
    for (key, n) in [
        (
            "mentoring-change-mentors-added",
            count(s.mentors.len()).saturating_sub(run.mentors),
        ),
        (
            "mentoring-change-mentees-added",
            count(s.mentees.len()).saturating_sub(run.mentees),
        ),
        ("mentoring-change-withdrawn", count(withdrawn)),
    ] {
        if n > 0 {
            changes.push(tr.get_with(key, &[("count", &n.to_string())]));
        }
    }
    if s.programme.settings_changed_at.is_some_and(|c| c > run.at) {
        changes.push(tr.get("mentoring-changed-settings"));
    }
    let changed = (!changes.is_empty()).then(|| {
        tr.get_with(
            "mentoring-changed-since",
            &[(
                "changes",
                &changes.join(tr.get("mentoring-list-separator").as_str()),
            )],
        )
    });
    (said, changed)
}

/// Everything the programme page shows.
async fn page(
    state: &AppState,
    tr: Tr,
    acting: &ActingMember,
    programme: haven_domain::ProgrammeId,
    notice: Option<String>,
    problems: Vec<(String, String)>,
) -> Result<ProgrammePage, AppError> {
    let actor = actor(state, acting);
    let s = Snapshot::load(state.store(), &actor, programme).await?;
    let today = actor.now.date();
    let names: HashMap<String, String> = s
        .mentors
        .iter()
        .map(|m| (m.id.to_string(), m.name.as_str().to_owned()))
        .chain(
            s.mentees
                .iter()
                .map(|m| (m.id.to_string(), m.name.as_str().to_owned())),
        )
        .collect();
    let name = |id: &str| names.get(id).cloned().unwrap_or_default();
    let places: HashMap<ParticipantId, &str> = s
        .mentors
        .iter()
        .filter_map(|m| Some((m.id, m.place.as_ref()?.as_str())))
        .chain(
            s.mentees
                .iter()
                .filter_map(|m| Some((m.id, m.place.as_ref()?.as_str()))),
        )
        .collect();
    let place = |id: ParticipantId| {
        places
            .get(&id)
            .map_or_else(String::new, |p| (*p).to_owned())
    };
    let mentors = s
        .mentors
        .iter()
        .map(|m| {
            let capacity = s.capacity(m);
            let dbs = match &m.profile.dbs {
                None => tr.get("mentoring-dbs-none"),
                Some(check) => {
                    let level = tr.get(&format!(
                        "mentoring-dbs-{}",
                        code_of(&DBS_LEVELS, check.level)
                    ));
                    let current = haven_match::rules::safeguarded(
                        Some(check),
                        &s.programme.settings.safeguarding,
                        today,
                    );
                    let until = dbs_last_valid_day(check, &s.programme.settings.safeguarding)
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| tr.get("mentoring-dbs-no-end"));
                    tr.get_with(
                        if current {
                            "mentoring-dbs-current"
                        } else {
                            "mentoring-dbs-not-current"
                        },
                        &[("level", &level), ("until", &until)],
                    )
                }
            };
            PersonRow {
                id: m.id.to_string(),
                name: m.name.as_str().to_owned(),
                languages: languages(&m.profile.languages),
                goals: goals_text(&tr, &m.profile.skills),
                notes: format!(
                    "{} · {dbs}",
                    tr.get_with("mentoring-takes", &[("capacity", &capacity.to_string())])
                ),
                linked: m.user.is_some(),
                place: place(m.id),
                withdrawn: !m.is_active(),
            }
        })
        .collect();
    let mentees = s
        .mentees
        .iter()
        .map(|m| PersonRow {
            id: m.id.to_string(),
            name: m.name.as_str().to_owned(),
            languages: languages(&m.profile.languages),
            goals: goals_text(&tr, &m.profile.goals),
            notes: if m.profile.at_risk || m.profile.age_band == AgeBand::Under18 {
                tr.get("mentoring-needs-safeguarding")
            } else {
                String::new()
            },
            linked: m.user.is_some(),
            place: place(m.id),
            withdrawn: !m.is_active(),
        })
        .collect();
    let locked = |mentor, mentee| {
        s.constraints
            .iter()
            .any(|c| c.kind == ConstraintKind::Lock && c.mentor == mentor && c.mentee == mentee)
    };
    let mut matches: Vec<MatchRow> = s
        .matches
        .iter()
        .map(|m| MatchRow {
            id: m.id.to_string(),
            mentor_id: m.mentor.to_string(),
            mentee_id: m.mentee.to_string(),
            mentor: name(&m.mentor.to_string()),
            mentee: name(&m.mentee.to_string()),
            status: m.status.code(),
            status_name: status_name(&tr, m.status),
            score: m.score,
            locked: locked(m.mentor, m.mentee),
            criteria: m
                .criteria
                .iter()
                .map(|c| CriterionRow {
                    label: criterion_name(&tr, c.criterion),
                    points: c.points,
                    weight: c.weight,
                    score: c.score,
                    detail: match (c.criterion, places.get(&m.mentor), places.get(&m.mentee)) {
                        (Criterion::Proximity, Some(a), Some(b)) => format!("{a} – {b}"),
                        _ => String::new(),
                    },
                })
                .collect(),
            history: m
                .history
                .iter()
                .map(|h| (status_name(&tr, h.status), h.at.date().to_string()))
                .collect(),
            ending: m.ending.as_ref().map(|e| {
                (
                    outcome_name(&tr, e.outcome),
                    e.mentor_feedback
                        .as_ref()
                        .map_or_else(|| "—".to_owned(), |f| f.as_str().to_owned()),
                    e.mentee_feedback
                        .as_ref()
                        .map_or_else(|| "—".to_owned(), |f| f.as_str().to_owned()),
                )
            }),
        })
        .collect();
    matches.sort_by(|a, b| (a.status == "ended", &a.mentee).cmp(&(b.status == "ended", &b.mentee)));
    let (unmatched, notice) = match run::unmatched_now(&s, &actor) {
        Ok(list) => (
            list.iter()
                .map(|u| {
                    (
                        name(&u.mentee.0),
                        view::reason_text(&tr, &u.reason, |id| name(id)),
                    )
                })
                .collect(),
            notice,
        ),
        // The stored state no longer fits the rules (a profile changed): say so, once.
        Err(e) => (Vec::new(), notice.or(Some(refusal(&tr, e)?))),
    };
    let constraints = s
        .constraints
        .iter()
        .map(|c| {
            (
                name(&c.mentor.to_string()),
                name(&c.mentee.to_string()),
                tr.get(&format!("mentoring-constraint-{}", c.kind.code())),
                c.mentor.to_string(),
                c.mentee.to_string(),
            )
        })
        .collect();
    let id = acting.tenant.id.to_string();
    let (last_run, changed_since) = last_run(&tr, &s);
    Ok(ProgrammePage {
        last_run,
        changed_since,
        settings: settings(&tr, &s),
        outcomes: Outcome::CHOSEN
            .iter()
            .map(|o| (o.code(), outcome_name(&tr, *o)))
            .collect(),
        chrome: Chrome::new(
            state,
            tr,
            &format!("/organisations/{id}/mentoring/{programme}"),
            state.config().demo_notice,
        ),
        id,
        programme_id: programme.to_string(),
        programme_name: s.programme.name.as_str().to_owned(),
        csrf: acting.me.session.csrf_token.clone(),
        notice,
        problems,
        mentors,
        mentees,
        matches,
        unmatched,
        constraints,
        mentor_columns: super::participants::columns(haven_domain::mentoring::Side::Mentor)
            .join(", "),
        mentee_columns: super::participants::columns(haven_domain::mentoring::Side::Mentee)
            .join(", "),
    })
}

/// `GET /organisations/{tenant}/mentoring/{programme}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let programme = programme_id(&params)?;
    Ok(render(&page(&state, tr, &acting, programme, None, Vec::new()).await?)?.into_response())
}

/// Back to the programme page after a change, or the page again with the refusal.
pub(crate) async fn done(
    state: &AppState,
    tr: Tr,
    acting: &ActingMember,
    programme: haven_domain::ProgrammeId,
    result: Result<(), MentoringError>,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "/organisations/{}/mentoring/{programme}#matches",
            acting.tenant.id
        ))
        .into_response()),
        Err(e) => {
            let notice = refusal(&tr, e)?;
            let html =
                render(&page(state, tr, acting, programme, Some(notice), Vec::new()).await?)?;
            Ok(page_with_status(StatusCode::CONFLICT, html))
        }
    }
}

/// `POST …/run`: runs matching.
pub(crate) async fn run(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    let form = read_form(&body)?;
    acting.me.check_csrf(form.get("csrf").map(String::as_str))?;
    let programme = programme_id(&params)?;
    let actor = actor(&state, &acting);
    let result = run::run_matching(state.store(), &actor, programme)
        .await
        .map(|_| ());
    done(&state, tr, &acting, programme, result).await
}

fn invalid(field: &str) -> AppError {
    AppError::invalid(vec![FieldProblem {
        field: field.to_owned(),
        message: "mentoring-error-pair",
    }])
}

/// `POST …/pairs`: `action` (propose, lock, forbid, release) on `mentor` and `mentee`.
pub(crate) async fn pair(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    let form = read_form(&body)?;
    acting.me.check_csrf(form.get("csrf").map(String::as_str))?;
    let programme = programme_id(&params)?;
    let get = |f: &str| form.get(f).map_or("", String::as_str);
    let mentor = participant_id(get("mentor")).ok_or_else(|| invalid("mentor"))?;
    let mentee = participant_id(get("mentee")).ok_or_else(|| invalid("mentee"))?;
    let actor = actor(&state, &acting);
    let store = state.store();
    let result = match get("action") {
        "propose" => pairs::propose_by_hand(store, &actor, programme, mentor, mentee)
            .await
            .map(|_| ()),
        "lock" => {
            pairs::constrain(
                store,
                &actor,
                programme,
                mentor,
                mentee,
                ConstraintKind::Lock,
            )
            .await
        }
        "forbid" => {
            pairs::constrain(
                store,
                &actor,
                programme,
                mentor,
                mentee,
                ConstraintKind::Forbid,
            )
            .await
        }
        "release" => pairs::release(store, &actor, programme, mentor, mentee).await,
        _ => return Err(invalid("action")),
    };
    done(&state, tr, &acting, programme, result).await
}

/// `POST …/matches/{match}`: moves a match on (`to`), with the outcome and both sides'
/// feedback when it ends.
pub(crate) async fn step(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    let form = read_form(&body)?;
    acting.me.check_csrf(form.get("csrf").map(String::as_str))?;
    let programme = programme_id(&params)?;
    let id = match_id(&params)?;
    let (to, ending) = match fields::step(&form) {
        Ok(step) => step,
        Err(problems) if problems.iter().any(|p| p.field == "to") => return Err(invalid("to")),
        Err(problems) => {
            let shown = problems
                .into_iter()
                .map(|Problem { field, message }| {
                    (
                        format!("{}-{id}", field.replace('_', "-")),
                        tr.get_with(
                            "mentoring-field-problem",
                            &[
                                (
                                    "field",
                                    &tr.get(&format!(
                                        "mentoring-field-{}",
                                        field.replace('_', "-")
                                    )),
                                ),
                                ("problem", &tr.get(message)),
                            ],
                        ),
                    )
                })
                .collect();
            let html = render(&page(&state, tr, &acting, programme, None, shown).await?)?;
            return Ok(page_with_status(StatusCode::BAD_REQUEST, html));
        }
    };
    let actor = actor(&state, &acting);
    // The match must belong to this programme as well as this organisation.
    let m = haven_store::MentoringStoreExt::get_match(state.store(), acting.tenant.id, id).await?;
    if m.programme != programme {
        return Err(AppError::not_found());
    }
    let result = pairs::advance(state.store(), &actor, id, to, ending.as_ref())
        .await
        .map(|_| ());
    done(&state, tr, &acting, programme, result).await
}
