//! Adding mentors and mentees: one by form, or many by CSV upload. Both read the same fields
//! (`fields.rs`); a CSV file is written whole or not at all, and its problems are listed by row
//! and column.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::accounts::Email;
use haven_domain::mentoring::{MenteeProfile, MentorProfile, Participant, Programme, Side};
use haven_domain::{ParticipantId, TenantId, Text, UserId};
use haven_store::mentoring::participant_from_row;
use haven_store::{MentoringStoreExt, StoreError};

use super::csv_import::{self, RowProblem};
use super::fields::{
    self, AGE_BANDS, COMMON, DBS_LEVELS, GENDERS, GOALS, MENTEE_ONLY, MENTOR_ONLY, Problem,
};
use super::programmes::{read_form, shown};
use super::{actor, programme_id};
use crate::AppError;
use crate::access::ActingMember;
use crate::error::page_with_status;
use crate::locale::{Chrome, Tr};
use crate::pages::render;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "mentoring_participant.html")]
struct ParticipantPage {
    chrome: Chrome,
    id: String,
    programme_id: String,
    programme_name: String,
    mentor: bool,
    /// Where the form posts: the add route, or the person's own for an edit.
    action: String,
    editing: bool,
    csrf: String,
    problems: Vec<(String, String)>,
    form: HashMap<String, String>,
    goals: Vec<(&'static str, String)>,
    genders: Vec<(&'static str, String)>,
    age_bands: Vec<(&'static str, String)>,
    dbs_levels: Vec<(&'static str, String)>,
}

impl ParticipantPage {
    fn value(&self, field: &str) -> String {
        self.form.get(field).cloned().unwrap_or_default()
    }

    fn heading(&self) -> String {
        let key = match (self.editing, self.mentor) {
            (true, true) => "mentoring-edit-mentor",
            (true, false) => "mentoring-edit-mentee",
            (false, true) => "mentoring-add-mentor",
            (false, false) => "mentoring-add-mentee",
        };
        self.chrome.tr.get(key)
    }
}

#[derive(Template)]
#[template(path = "mentoring_csv_report.html")]
struct CsvReport {
    chrome: Chrome,
    id: String,
    programme_id: String,
    programme_name: String,
    mentor: bool,
    rows: Vec<(u64, String, String)>,
}

/// Each code of `table` with its label (the message `prefix` + code), for a select box.
pub(crate) fn options<T>(
    tr: &Tr,
    prefix: &str,
    table: &[(&'static str, T)],
) -> Vec<(&'static str, String)> {
    table
        .iter()
        .map(|(c, _)| (*c, tr.get(&format!("{prefix}{c}"))))
        .collect()
}

fn side_path(side: Side) -> &'static str {
    match side {
        Side::Mentor => "mentors",
        Side::Mentee => "mentees",
    }
}

pub(crate) async fn programme(
    state: &AppState,
    acting: &ActingMember,
    params: &HashMap<String, String>,
) -> Result<Programme, AppError> {
    Ok(state
        .store()
        .programme(acting.tenant.id, programme_id(params)?)
        .await?)
}

fn form_page(
    state: &AppState,
    tr: Tr,
    acting: &ActingMember,
    p: &Programme,
    (side, editing): (Side, Option<ParticipantId>),
    form: HashMap<String, String>,
    problems: &[Problem],
) -> ParticipantPage {
    let id = acting.tenant.id.to_string();
    let action = match editing {
        Some(person) => format!("/organisations/{id}/mentoring/{}/people/{person}", p.id),
        None => format!("/organisations/{id}/mentoring/{}/{}", p.id, side_path(side)),
    };
    ParticipantPage {
        action,
        editing: editing.is_some(),
        problems: shown(&tr, problems),
        goals: options(&tr, "mentoring-goal-", &GOALS),
        genders: options(&tr, "mentoring-gender-", &GENDERS),
        age_bands: options(&tr, "mentoring-age-", &AGE_BANDS),
        dbs_levels: options(&tr, "mentoring-dbs-", &DBS_LEVELS),
        chrome: Chrome::new(
            state,
            tr,
            &format!(
                "/organisations/{id}/mentoring/{}/{}/new",
                p.id,
                side_path(side)
            ),
            state.config().demo_notice,
        ),
        id,
        programme_id: p.id.to_string(),
        programme_name: p.name.as_str().to_owned(),
        mentor: side == Side::Mentor,
        csrf: acting.me.session.csrf_token.clone(),
        form,
    }
}

async fn new_participant(
    state: AppState,
    tr: Tr,
    acting: ActingMember,
    params: HashMap<String, String>,
    side: Side,
) -> Result<Response, AppError> {
    let p = programme(&state, &acting, &params).await?;
    let page = form_page(&state, tr, &acting, &p, (side, None), HashMap::new(), &[]);
    Ok(render(&page)?.into_response())
}

/// `GET …/mentors/new`.
pub(crate) async fn new_mentor(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    new_participant(state, tr, acting, params, Side::Mentor).await
}

/// `GET …/mentees/new`.
pub(crate) async fn new_mentee(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    new_participant(state, tr, acting, params, Side::Mentee).await
}

/// People read from fields, ready to store (one side only).
#[derive(Default)]
pub(crate) struct Batch {
    pub(crate) mentors: Vec<MentorProfile>,
    pub(crate) mentees: Vec<MenteeProfile>,
}

/// The account with this e-mail, if it belongs to a member of the organisation. Anyone else
/// gets the same answer as an unknown address, so nothing leaks about other organisations.
async fn member_account(
    state: &AppState,
    tenant: TenantId,
    email: &Email,
) -> Result<Option<UserId>, AppError> {
    let user = match state.store().user_by_email(email).await {
        Ok(user) => user,
        Err(StoreError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let member = state
        .store()
        .memberships_of(user.id)
        .await?
        .iter()
        .any(|m| m.tenant == tenant);
    Ok(member.then_some(user.id))
}

/// Reads one person into the batch, or returns the problems by field.
pub(crate) async fn read_person<F: fields::Fields + ?Sized>(
    state: &AppState,
    tenant: TenantId,
    p: &Programme,
    side: Side,
    form: &F,
    batch: &mut Batch,
    existing: Option<(ParticipantId, fields::KeptPlace)>,
) -> Result<Vec<Problem>, AppError> {
    let today = state.clock().now().date();
    let gazetteer = state.gazetteer();
    let (id, kept_place) = existing.unwrap_or_else(|| (ParticipantId::new_random(), None));
    let (person, mut problems) = match side {
        Side::Mentor => match fields::mentor_keeping(form, gazetteer, today, kept_place) {
            Ok((person, profile)) => (Some((person, Ok(profile))), Vec::new()),
            Err(problems) => (None, problems),
        },
        Side::Mentee => match fields::mentee_keeping(form, gazetteer, kept_place) {
            Ok((person, profile)) => (Some((person, Err(profile))), Vec::new()),
            Err(problems) => (None, problems),
        },
    };
    let Some((person, profile)) = person else {
        return Ok(problems);
    };
    let user = match &person.account {
        None => None,
        Some(email) => match member_account(state, tenant, email).await? {
            Some(user) => Some(user),
            None => {
                problems.push(Problem {
                    field: "account",
                    message: "mentoring-error-account",
                });
                return Ok(problems);
            }
        },
    };
    match profile {
        Ok(profile) => batch.mentors.push(Participant {
            id,
            tenant,
            programme: p.id,
            name: person.name,
            email: person.email,
            user,
            profile,
            place: person.place.clone(),
            withdrawn: None,
        }),
        Err(profile) => batch.mentees.push(Participant {
            id,
            tenant,
            programme: p.id,
            name: person.name,
            email: person.email,
            user,
            profile,
            place: person.place.clone(),
            withdrawn: None,
        }),
    }
    Ok(problems)
}

pub(crate) async fn write(
    state: &AppState,
    actor: &haven_mentoring::Actor,
    p: &Programme,
    batch: Batch,
) -> Result<(), AppError> {
    let store = state.store();
    if !batch.mentors.is_empty() {
        let event = actor.event("mentors_added", "programme", p.id.to_string());
        store
            .add_mentors(actor.tenant, &batch.mentors, &event)
            .await?;
    }
    if !batch.mentees.is_empty() {
        let event = actor.event("mentees_added", "programme", p.id.to_string());
        store
            .add_mentees(actor.tenant, &batch.mentees, &event)
            .await?;
    }
    Ok(())
}

fn back(acting: &ActingMember, p: &Programme) -> Response {
    Redirect::to(&format!(
        "/organisations/{}/mentoring/{}",
        acting.tenant.id, p.id
    ))
    .into_response()
}

async fn add(
    state: AppState,
    tr: Tr,
    acting: ActingMember,
    params: HashMap<String, String>,
    body: String,
    side: Side,
) -> Result<Response, AppError> {
    let form = read_form(&body)?;
    acting.me.check_csrf(form.get("csrf").map(String::as_str))?;
    let p = programme(&state, &acting, &params).await?;
    let mut batch = Batch::default();
    let problems = read_person(&state, acting.tenant.id, &p, side, &form, &mut batch, None).await?;
    if !problems.is_empty() {
        let page = form_page(&state, tr, &acting, &p, (side, None), form, &problems);
        return Ok(page_with_status(StatusCode::BAD_REQUEST, render(&page)?));
    }
    write(&state, &actor(&state, &acting), &p, batch).await?;
    Ok(back(&acting, &p))
}

/// `POST …/mentors`.
pub(crate) async fn add_mentor(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    add(state, tr, acting, params, body, Side::Mentor).await
}

/// `POST …/mentees`.
pub(crate) async fn add_mentee(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    add(state, tr, acting, params, body, Side::Mentee).await
}

/// The columns a file of this side may have.
pub(crate) fn columns(side: Side) -> Vec<&'static str> {
    let mut all: Vec<&'static str> = COMMON.to_vec();
    all.extend(match side {
        Side::Mentor => MENTOR_ONLY.as_slice(),
        Side::Mentee => MENTEE_ONLY.as_slice(),
    });
    all
}

/// Reads a whole CSV file: every row's problems, or the people to add.
pub(crate) async fn read_csv(
    state: &AppState,
    acting: &ActingMember,
    p: &Programme,
    side: Side,
    bytes: &[u8],
) -> Result<Result<Batch, Vec<RowProblem>>, AppError> {
    let rows = match csv_import::rows(bytes, &columns(side)) {
        Ok(rows) => rows,
        Err(problems) => return Ok(Err(problems)),
    };
    let mut batch = Batch::default();
    let mut problems = Vec::new();
    for (row, fields) in rows {
        for p in read_person(state, acting.tenant.id, p, side, &fields, &mut batch, None).await? {
            problems.push(RowProblem {
                row,
                column: p.field.to_owned(),
                message: p.message,
            });
        }
    }
    Ok(if problems.is_empty() {
        Ok(batch)
    } else {
        Err(problems)
    })
}

async fn upload(
    state: AppState,
    tr: Tr,
    acting: ActingMember,
    params: HashMap<String, String>,
    mut multipart: Multipart,
    side: Side,
) -> Result<Response, AppError> {
    let bad = || AppError::new(crate::error::ErrorKind::BadRequest);
    let mut csrf = None;
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
        match field.name() {
            Some("csrf") => csrf = Some(field.text().await.map_err(|_| bad())?),
            Some("file") => file = Some(field.bytes().await.map_err(|_| bad())?),
            _ => {}
        }
    }
    acting.me.check_csrf(csrf.as_deref())?;
    let p = programme(&state, &acting, &params).await?;
    let bytes = file.unwrap_or_default();
    let problems = match read_csv(&state, &acting, &p, side, &bytes).await? {
        Ok(batch) => {
            write(&state, &actor(&state, &acting), &p, batch).await?;
            return Ok(back(&acting, &p));
        }
        Err(problems) => problems,
    };
    let id = acting.tenant.id.to_string();
    let rows = problems
        .into_iter()
        .map(|r| (r.row, r.column, tr.get(r.message)))
        .collect();
    let page = CsvReport {
        chrome: Chrome::new(
            &state,
            tr,
            &format!("/organisations/{id}/mentoring/{}", p.id),
            state.config().demo_notice,
        ),
        id,
        programme_id: p.id.to_string(),
        programme_name: p.name.as_str().to_owned(),
        mentor: side == Side::Mentor,
        rows,
    };
    Ok(page_with_status(StatusCode::BAD_REQUEST, render(&page)?))
}

/// `POST …/mentors/csv` (multipart: `csrf`, `file`).
pub(crate) async fn upload_mentors(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    upload(state, tr, acting, params, multipart, Side::Mentor).await
}

/// `POST …/mentees/csv` (multipart: `csrf`, `file`).
pub(crate) async fn upload_mentees(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    upload(state, tr, acting, params, multipart, Side::Mentee).await
}

/// The participant named in the path, if it is one of this programme's.
pub(crate) async fn person(
    state: &AppState,
    acting: &ActingMember,
    p: &Programme,
    params: &HashMap<String, String>,
) -> Result<haven_store::mentoring::ParticipantRow, AppError> {
    let id = params
        .get("participant")
        .and_then(|v| super::participant_id(v))
        .ok_or_else(AppError::not_found)?;
    let row = state.store().participant_row(acting.tenant.id, id).await?;
    if row.programme_id != p.id.as_uuid() {
        return Err(AppError::not_found());
    }
    Ok(row)
}

/// The fields every person has (name, place as typed, e-mail) and their linked account.
fn common_form<P>(p: &Participant<P>) -> (Vec<(String, String)>, Option<UserId>) {
    let text = |t: Option<&str>| t.unwrap_or_default().to_owned();
    (
        vec![
            ("name".to_owned(), p.name.as_str().to_owned()),
            ("place".to_owned(), text(p.place.as_ref().map(Text::as_str))),
            (
                "email".to_owned(),
                text(p.email.as_ref().map(|e| e.as_str())),
            ),
        ],
        p.user,
    )
}

/// `GET …/people/{participant}`: a mentor's or mentee's details in the form, to change them
/// (a renewed DBS check, a new availability).
pub(crate) async fn edit(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let p = programme(&state, &acting, &params).await?;
    let row = person(&state, &acting, &p, &params).await?;
    let id = ParticipantId::from_uuid(row.id);
    let side = Side::from_code(&row.side).ok_or_else(AppError::not_found)?;
    let store = state.store();
    // The row already read is the person: convert it rather than read it again.
    let (mut form, (common, user)) = match side {
        Side::Mentor => {
            let m: MentorProfile = participant_from_row(row)?;
            (fields::mentor_fields(&m.profile), common_form(&m))
        }
        Side::Mentee => {
            let m: MenteeProfile = participant_from_row(row)?;
            (fields::mentee_fields(&m.profile), common_form(&m))
        }
    };
    form.extend(common);
    if let Some(user) = user {
        let user = store.user(user).await?;
        form.insert("account".to_owned(), user.email.as_str().to_owned());
    }
    let page = form_page(&state, tr, &acting, &p, (side, Some(id)), form, &[]);
    Ok(render(&page)?.into_response())
}

/// `POST …/people/{participant}`: saves the changed details.
pub(crate) async fn update(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    body: String,
) -> Result<Response, AppError> {
    let form = read_form(&body)?;
    acting.me.check_csrf(form.get("csrf").map(String::as_str))?;
    let p = programme(&state, &acting, &params).await?;
    let row = person(&state, &acting, &p, &params).await?;
    let id = ParticipantId::from_uuid(row.id);
    let side = Side::from_code(&row.side).ok_or_else(AppError::not_found)?;
    let store = state.store();
    let kept_place = match side {
        Side::Mentor => {
            let m: MentorProfile = participant_from_row(row)?;
            fields::place_of(&m.profile.meeting).map(|point| (point, m.place))
        }
        Side::Mentee => {
            let m: MenteeProfile = participant_from_row(row)?;
            fields::place_of(&m.profile.meeting).map(|point| (point, m.place))
        }
    };
    let mut batch = Batch::default();
    let problems = read_person(
        &state,
        acting.tenant.id,
        &p,
        side,
        &form,
        &mut batch,
        Some((id, kept_place)),
    )
    .await?;
    if !problems.is_empty() {
        let page = form_page(&state, tr, &acting, &p, (side, Some(id)), form, &problems);
        return Ok(page_with_status(StatusCode::BAD_REQUEST, render(&page)?));
    }
    let actor = actor(&state, &acting);
    if let Some(m) = batch.mentors.first() {
        let event = actor.event("mentor_updated", "participant", id.to_string());
        store.save_mentor(m, &event).await?;
    }
    if let Some(m) = batch.mentees.first() {
        let event = actor.event("mentee_updated", "participant", id.to_string());
        store.save_mentee(m, &event).await?;
    }
    Ok(back(&acting, &p))
}
