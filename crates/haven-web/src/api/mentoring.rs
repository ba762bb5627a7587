//! `/api/mentoring/…`: the mentoring pages' work as JSON, for an organisation's own systems,
//! with an API token (`mentoring:read`, `mentoring:write`). Input uses the same flat field
//! names as the forms and CSV files; every problem is named (`mentors[2].age_band`) and nothing
//! is written unless all of it is right. Refusals (a rule a pair breaks, a lifecycle step out
//! of order) are 409 with the reason in words and as codes.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use haven_domain::ProgrammeId;
use haven_domain::mentoring::{ConstraintKind, Match, Participant, Programme, Side};
use haven_mentoring::run::{self, Snapshot};
use haven_mentoring::{Actor, MentoringError, pairs, people};
use haven_store::MentoringStoreExt;
use serde::Serialize;
use serde_json::{Value, json};

use crate::AppError;
use crate::access::ActingToken;
use crate::error::{FieldProblem, json_with_status};
use crate::locale::Tr;
use crate::pages::mentoring::csv_import::MAX_ROWS;
use crate::pages::mentoring::fields::{self, Fields, Problem};
use crate::pages::mentoring::participants::{Batch, read_person, write};
use crate::pages::mentoring::settings::save_settings;
use crate::pages::mentoring::{match_id, participant_id, programme_form, programme_id, refusal};
use crate::state::AppState;

/// A JSON object read as flat fields: strings as they are, numbers and booleans as text,
/// arrays joined with `;` (so `"goals": ["english", "employment"]` works as well as a string).
struct JsonFields(HashMap<String, String>);

impl JsonFields {
    fn from(value: &Value) -> Option<Self> {
        let object = value.as_object()?;
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(";"),
            other => other.to_string(),
        };
        Some(Self(
            object.iter().map(|(k, v)| (k.clone(), text(v))).collect(),
        ))
    }
}

impl Fields for JsonFields {
    fn value(&self, name: &str) -> &str {
        self.0.get(name).map_or("", |v| v.trim())
    }
}

/// Problems with the body's fields as 400 JSON, each named by its field.
fn invalid(problems: Vec<Problem>) -> AppError {
    AppError::invalid(
        problems
            .into_iter()
            .map(|p| FieldProblem {
                field: p.field.to_owned(),
                message: p.message,
            })
            .collect(),
    )
}

fn bad_json() -> AppError {
    AppError::invalid(vec![FieldProblem {
        field: "body".to_owned(),
        message: "mentoring-error-json",
    }])
}

fn parse(body: &str) -> Result<Value, AppError> {
    serde_json::from_str(body).map_err(|_| bad_json())
}

fn actor(state: &AppState, acting: &ActingToken) -> Actor {
    Actor {
        tenant: acting.tenant.id,
        user: None,
        now: state.clock().now(),
    }
}

/// The code a refusal carries in JSON (`refused`).
fn refusal_code(e: &MentoringError) -> String {
    match e {
        MentoringError::RuleFails(rule) => {
            format!("rule:{}", crate::pages::mentoring::view::rule_code(*rule))
        }
        MentoringError::MentorFull { .. } => "mentor_full".to_owned(),
        MentoringError::MenteeSettled => "mentee_settled".to_owned(),
        MentoringError::Withdrawn => "withdrawn".to_owned(),
        MentoringError::Transition(_) => "transition".to_owned(),
        MentoringError::Engine(_) => "engine".to_owned(),
        MentoringError::Store(_) => "state".to_owned(),
    }
}

/// A refusal as JSON `{refused, message}`; other failures stay errors.
fn refusal_json(tr: &Tr, e: MentoringError) -> Result<Value, AppError> {
    let code = refusal_code(&e);
    let message = refusal(tr, e)?;
    Ok(json!({ "refused": code, "message": message }))
}

/// A refusal as 409 JSON; other failures stay errors.
fn refused(tr: &Tr, e: MentoringError) -> Result<Response, AppError> {
    Ok(json_with_status(StatusCode::CONFLICT, refusal_json(tr, e)?))
}

#[derive(Serialize)]
struct ProgrammeJson<'a> {
    id: String,
    name: &'a str,
    settings: &'a haven_match::profile::Programme,
}

fn programme_json(p: &Programme) -> ProgrammeJson<'_> {
    ProgrammeJson {
        id: p.id.to_string(),
        name: p.name.as_str(),
        settings: &p.settings,
    }
}

fn person_json<P: Serialize>(p: &Participant<P>) -> Value {
    json!({
        "id": p.id.to_string(),
        "name": p.name.as_str(),
        "email": p.email.as_ref().map(|e| e.as_str()),
        "has_account": p.user.is_some(),
        "place": p.place.as_ref().map(|t| t.as_str()),
        "withdrawn_at": p.withdrawn.and_then(|at| at.format(&time::format_description::well_known::Rfc3339).ok()),
        "profile": p.profile,
    })
}

fn match_json(m: &Match) -> Value {
    json!({
        "id": m.id.to_string(),
        "mentor": m.mentor.to_string(),
        "mentee": m.mentee.to_string(),
        "status": m.status.code(),
        "score": m.score,
        "criteria": m.criteria,
        "history": m.history.iter().map(|h| json!({
            "status": h.status.code(),
            "at": h.at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        })).collect::<Vec<_>>(),
        "ending": m.ending.as_ref().map(|e| json!({
            "outcome": e.outcome.code(),
            "mentor_feedback": e.mentor_feedback.as_ref().map(|f| f.as_str()),
            "mentee_feedback": e.mentee_feedback.as_ref().map(|f| f.as_str()),
        })),
    })
}

/// `GET /api/mentoring/programmes`.
pub(crate) async fn list(
    State(state): State<AppState>,
    acting: ActingToken,
) -> Result<Json<Value>, AppError> {
    let programmes = state.store().programmes(acting.tenant.id).await?;
    Ok(Json(json!(
        programmes.iter().map(programme_json).collect::<Vec<_>>()
    )))
}

/// `POST /api/mentoring/programmes`: the programme form's fields as a JSON object.
pub(crate) async fn create(
    State(state): State<AppState>,
    acting: ActingToken,
    body: String,
) -> Result<Response, AppError> {
    let fields = JsonFields::from(&parse(&body)?).ok_or_else(bad_json)?;
    let (name, settings) = programme_form::programme(&fields).map_err(invalid)?;
    let actor = actor(&state, &acting);
    let programme = Programme {
        id: ProgrammeId::new_random(),
        tenant: acting.tenant.id,
        name,
        settings,
        created_at: actor.now,
        settings_changed_at: None,
        last_run: None,
    };
    state
        .store()
        .create_programme(
            &programme,
            &actor.event("programme_created", "programme", programme.id.to_string()),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(json!(programme_json(&programme)))).into_response())
}

/// `PUT /api/mentoring/programmes/{programme}`: replaces the name and settings with the
/// programme form's fields. Proposals are recomputed at the next run; agreed pairs stay.
pub(crate) async fn update(
    State(state): State<AppState>,
    acting: ActingToken,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    let id = programme_id(&params)?;
    let fields = JsonFields::from(&parse(&body)?).ok_or_else(bad_json)?;
    let (name, settings) = programme_form::programme(&fields).map_err(invalid)?;
    let actor = actor(&state, &acting);
    let mut programme = state.store().programme(acting.tenant.id, id).await?;
    save_settings(&state, &actor, &mut programme, name, settings).await?;
    Ok(Json(json!(programme_json(&programme))).into_response())
}

/// `POST /api/mentoring/programmes/{programme}/people/{participant}/withdraw`: the person
/// leaves the programme; their agreed, introduced or active matches end as `withdrawn`.
pub(crate) async fn withdraw(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingToken,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let programme = programme_id(&params)?;
    let participant = params
        .get("participant")
        .and_then(|v| participant_id(v))
        .ok_or_else(AppError::not_found)?;
    let actor = actor(&state, &acting);
    match people::withdraw(state.store(), &actor, programme, participant).await {
        Ok((side, ended)) => Ok(Json(json!({
            "id": participant.to_string(),
            "side": side.code(),
            "ended_matches": ended,
        }))
        .into_response()),
        Err(MentoringError::Store(haven_store::StoreError::Refused { .. })) => {
            Ok(json_with_status(
                StatusCode::CONFLICT,
                json!({ "refused": "withdrawn", "message": tr.get("mentoring-refused-withdrawn-already") }),
            ))
        }
        Err(e) => refused(&tr, e),
    }
}

/// `GET /api/mentoring/programmes/{programme}`: everything about it, with the explanations.
/// When the stored state no longer fits the rules (a profile or the settings changed), there
/// is no explanation: `unmatched` is `null` and `unmatched_refused` says why, as the page does.
pub(crate) async fn show(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingToken,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Json<Value>, AppError> {
    let actor = actor(&state, &acting);
    let s = Snapshot::load(state.store(), &actor, programme_id(&params)?).await?;
    let (unmatched, unmatched_refused) = match run::unmatched_now(&s, &actor) {
        Ok(list) => (json!(list), Value::Null),
        Err(e) => (Value::Null, refusal_json(&tr, e)?),
    };
    Ok(Json(json!({
        "programme": programme_json(&s.programme),
        "mentors": s.mentors.iter().map(person_json).collect::<Vec<_>>(),
        "mentees": s.mentees.iter().map(person_json).collect::<Vec<_>>(),
        "matches": s.matches.iter().map(match_json).collect::<Vec<_>>(),
        "unmatched": unmatched,
        "unmatched_refused": unmatched_refused,
        "constraints": s.constraints.iter().map(|c| json!({
            "mentor": c.mentor.to_string(),
            "mentee": c.mentee.to_string(),
            "kind": c.kind.code(),
        })).collect::<Vec<_>>(),
    })))
}

async fn add(
    state: AppState,
    acting: ActingToken,
    params: HashMap<String, String>,
    body: String,
    side: Side,
) -> Result<Response, AppError> {
    let list = parse(&body)?;
    let items = list
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(bad_json)?;
    if items.len() > MAX_ROWS {
        // The same limit as a CSV file: one write transaction must stay short.
        return Err(AppError::invalid(vec![FieldProblem {
            field: format!("[{MAX_ROWS}]"),
            message: "mentoring-error-api-too-many",
        }]));
    }
    let p = state
        .store()
        .programme(acting.tenant.id, programme_id(&params)?)
        .await?;
    let key = match side {
        Side::Mentor => "mentors",
        Side::Mentee => "mentees",
    };
    let mut batch = Batch::default();
    let mut problems = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(fields) = JsonFields::from(item) else {
            problems.push(FieldProblem {
                field: format!("{key}[{i}]"),
                message: "mentoring-error-json",
            });
            continue;
        };
        for problem in read_person(
            &state,
            acting.tenant.id,
            &p,
            side,
            &fields,
            &mut batch,
            None,
        )
        .await?
        {
            problems.push(FieldProblem {
                field: format!("{key}[{i}].{}", problem.field),
                message: problem.message,
            });
        }
    }
    if !problems.is_empty() {
        return Err(AppError::invalid(problems));
    }
    let added = batch.mentors.len() + batch.mentees.len();
    let ids: Vec<String> = batch
        .mentors
        .iter()
        .map(|m| m.id.to_string())
        .chain(batch.mentees.iter().map(|m| m.id.to_string()))
        .collect();
    write(&state, &actor(&state, &acting), &p, batch).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "added": added, "ids": ids })),
    )
        .into_response())
}

/// `POST /api/mentoring/programmes/{programme}/mentors`: a JSON array of mentors.
pub(crate) async fn add_mentors(
    State(state): State<AppState>,
    acting: ActingToken,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    add(state, acting, params, body, Side::Mentor).await
}

/// `POST /api/mentoring/programmes/{programme}/mentees`: a JSON array of mentees.
pub(crate) async fn add_mentees(
    State(state): State<AppState>,
    acting: ActingToken,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    add(state, acting, params, body, Side::Mentee).await
}

/// `POST /api/mentoring/programmes/{programme}/run`: runs matching; answers the outcome.
pub(crate) async fn run_matching(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingToken,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let actor = actor(&state, &acting);
    match run::run_matching(state.store(), &actor, programme_id(&params)?).await {
        Ok(outcome) => Ok(Json(json!(outcome)).into_response()),
        Err(e) => refused(&tr, e),
    }
}

/// `POST /api/mentoring/programmes/{programme}/pairs`: `{action, mentor, mentee}` with action
/// propose, lock, forbid or release.
pub(crate) async fn pair(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingToken,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    let fields = JsonFields::from(&parse(&body)?).ok_or_else(bad_json)?;
    let invalid = |field: &str| {
        AppError::invalid(vec![FieldProblem {
            field: field.to_owned(),
            message: "mentoring-error-pair",
        }])
    };
    let programme = programme_id(&params)?;
    let mentor = participant_id(fields.value("mentor")).ok_or_else(|| invalid("mentor"))?;
    let mentee = participant_id(fields.value("mentee")).ok_or_else(|| invalid("mentee"))?;
    let actor = actor(&state, &acting);
    let store = state.store();
    let result = match fields.value("action") {
        "propose" => pairs::propose_by_hand(store, &actor, programme, mentor, mentee)
            .await
            .map(|m| Some(match_json(&m))),
        "lock" => pairs::constrain(
            store,
            &actor,
            programme,
            mentor,
            mentee,
            ConstraintKind::Lock,
        )
        .await
        .map(|()| None),
        "forbid" => pairs::constrain(
            store,
            &actor,
            programme,
            mentor,
            mentee,
            ConstraintKind::Forbid,
        )
        .await
        .map(|()| None),
        "release" => pairs::release(store, &actor, programme, mentor, mentee)
            .await
            .map(|()| None),
        _ => return Err(invalid("action")),
    };
    match result {
        Ok(Some(m)) => Ok((StatusCode::CREATED, Json(m)).into_response()),
        Ok(None) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(e) => refused(&tr, e),
    }
}

/// `POST /api/mentoring/matches/{match}`: `{to}`, and for `ended` also `outcome`,
/// `mentor_feedback` and `mentee_feedback`.
pub(crate) async fn step(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingToken,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    let fields = JsonFields::from(&parse(&body)?).ok_or_else(bad_json)?;
    let id = match_id(&params)?;
    let (to, ending) = fields::step(&fields).map_err(invalid)?;
    let actor = actor(&state, &acting);
    match pairs::advance(state.store(), &actor, id, to, ending.as_ref()).await {
        Ok(m) => Ok(Json(match_json(&m)).into_response()),
        Err(e) => refused(&tr, e),
    }
}
