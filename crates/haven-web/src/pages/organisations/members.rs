//! `/organisations/{tenant}/members`: an organisation's admins see its members, invite people,
//! change roles and remove members. Changes need a recent sign-in (or the password and a code
//! again), are audited in the organisation's chain with ids only, and never leave the
//! organisation without an admin.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::UserId;
use haven_domain::accounts::{Email, LinkPurpose, Membership, OneTimeLink, Role};
use haven_i18n::{LANGUAGES, language_by_tag};
use haven_store::StoreError;
use serde::Deserialize;

use super::sign_up::user_for;
use super::{LINK_LIFETIME, role_name, tenant_event};
use crate::AppError;
use crate::access::ActingMember;
use crate::auth::reauth::{Proof, require_recent};
use crate::error::{FieldProblem, page_with_status};
use crate::locale::{Chrome, Tr};
use crate::mail;
use crate::pages::{path_id, render};
use crate::state::AppState;

struct MemberRow {
    id: String,
    email: String,
    role: String,
    role_code: &'static str,
}

#[derive(Template)]
#[template(path = "organisation_members.html")]
struct MembersPage {
    chrome: Chrome,
    id: String,
    name: String,
    members: Vec<MemberRow>,
    /// (code, name) of every role.
    roles: Vec<(&'static str, String)>,
    invite_email: String,
    invite_role: String,
    /// (tag, name) of every language an invitation can be written in.
    languages: Vec<(&'static str, &'static str)>,
    invite_language: String,
    csrf: String,
    problems: Vec<(String, String)>,
}

/// The invitation form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct InviteForm {
    csrf: Option<String>,
    email: Option<String>,
    role: Option<String>,
    /// The language of the invitation e-mail (and the new account's, if it is new).
    language: Option<String>,
}

/// The role and removal forms (with the confirmation fields when re-submitted).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChangeForm {
    csrf: Option<String>,
    role: Option<String>,
    password: Option<String>,
    code: Option<String>,
}

async fn page(
    state: &AppState,
    tr: Tr,
    acting: &ActingMember,
    invite: &InviteForm,
    problems: Vec<FieldProblem>,
) -> Result<MembersPage, AppError> {
    let store = state.store();
    let mut members = Vec::new();
    for membership in store.members_of(acting.tenant.id).await? {
        let user = store.user(membership.user).await?;
        members.push(MemberRow {
            id: user.id.to_string(),
            email: user.email.as_str().to_owned(),
            role: role_name(&tr, membership.role),
            role_code: membership.role.code(),
        });
    }
    members.sort_by(|a, b| a.email.cmp(&b.email));
    let roles = Role::ALL
        .into_iter()
        .map(|role| (role.code(), role_name(&tr, role)))
        .collect();
    let problems = tr.problems(problems);
    let id = acting.tenant.id.to_string();
    let invite_language = invite
        .language
        .clone()
        .unwrap_or_else(|| tr.language().tag.to_owned());
    Ok(MembersPage {
        chrome: Chrome::new(
            state,
            tr,
            &format!("/organisations/{id}/members"),
            state.config().demo_notice,
        ),
        id,
        name: acting.tenant.name.as_str().to_owned(),
        members,
        roles,
        invite_email: invite.email.clone().unwrap_or_default(),
        invite_role: invite.role.clone().unwrap_or_default(),
        languages: LANGUAGES.iter().map(|l| (l.tag, l.autonym)).collect(),
        invite_language,
        csrf: acting.me.session.csrf_token.clone(),
        problems,
    })
}

fn back(acting: &ActingMember) -> Response {
    Redirect::to(&format!("/organisations/{}/members", acting.tenant.id)).into_response()
}

/// `GET /organisations/{tenant}/members`.
pub(crate) async fn list(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
) -> Result<Response, AppError> {
    let page = page(&state, tr, &acting, &InviteForm::default(), Vec::new()).await?;
    Ok(render(&page)?.into_response())
}

/// `POST /organisations/{tenant}/members`: invites someone.
pub(crate) async fn invite(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    acting.me.check_csrf(form.csrf.as_deref())?;
    let now = state.clock().now();
    let mut problems = Vec::new();
    let email = Email::parse(form.email.as_deref().unwrap_or(""));
    if email.is_err() {
        problems.push(FieldProblem::new("email", "org-error-email"));
    }
    let role = form.role.as_deref().and_then(Role::from_code);
    if role.is_none() {
        problems.push(FieldProblem::new("role", "org-error-role"));
    }
    let language = match form.language.as_deref() {
        None | Some("") => Some(tr.language()),
        Some(tag) => language_by_tag(tag),
    };
    if language.is_none() {
        problems.push(FieldProblem::new("language", "org-error-language"));
    }
    let (Ok(email), Some(role), Some(language)) = (email, role, language) else {
        let html = render(&page(&state, tr, &acting, &form, problems).await?)?;
        return Ok(page_with_status(StatusCode::BAD_REQUEST, html));
    };
    let store = state.store();
    let user = user_for(&state, &email, Some(language.tag), now).await?;
    let members = store.members_of(acting.tenant.id).await?;
    if members.iter().any(|m| m.user == user.id) {
        let problems = vec![FieldProblem::new("email", "org-error-already-member")];
        let html = render(&page(&state, tr, &acting, &form, problems).await?)?;
        return Ok(page_with_status(StatusCode::CONFLICT, html));
    }
    let token = haven_auth::token::new_token();
    store
        .create_link(&OneTimeLink {
            digest: token.digest,
            user: user.id,
            purpose: LinkPurpose::Invitation,
            invitation: Some((acting.tenant.id, role)),
            expires_at: now + LINK_LIFETIME,
        })
        .await?;
    store
        .append_audit(&tenant_event(
            acting.tenant.id,
            "member_invited",
            Some(acting.me.user.id),
            Some(user.id),
            now,
        ))
        .await?;
    let link = mail::link(&state, &format!("/invitations/{}", token.secret));
    let name = acting.tenant.name.as_str();
    // In the language the inviter chose for the invitee, not the inviter's own.
    let tr = Tr::for_language(&state, language);
    let role_text = role_name(&tr, role);
    mail::send(
        &state,
        &email,
        tr.get_with("org-mail-invited-subject", &[("organisation", name)]),
        tr.get_with(
            "org-mail-invited-body",
            &[
                ("organisation", name),
                ("role", &role_text),
                ("link", &link),
            ],
        ),
    )
    .await;
    Ok(back(&acting))
}

/// The members page again, saying the organisation must keep an admin (409).
async fn last_admin(state: &AppState, tr: Tr, acting: &ActingMember) -> Result<Response, AppError> {
    let problems = vec![FieldProblem::new("members", "org-error-last-admin")];
    let html = render(&page(state, tr, acting, &InviteForm::default(), problems).await?)?;
    Ok(page_with_status(StatusCode::CONFLICT, html))
}

/// What to do to a member.
enum Change {
    Role(Role),
    Remove,
}

async fn change(
    state: &AppState,
    tr: Tr,
    acting: &ActingMember,
    params: &HashMap<String, String>,
    form: &ChangeForm,
    change: Change,
    action: &str,
) -> Result<Response, AppError> {
    acting.me.check_csrf(form.csrf.as_deref())?;
    let now = state.clock().now();
    let user: UserId = path_id(params, "user")?;
    let store = state.store();
    let members = store.members_of(acting.tenant.id).await?;
    let target = members
        .iter()
        .find(|m| m.user == user)
        .ok_or_else(AppError::not_found)?;
    let admins = members
        .iter()
        .filter(|m| m.role == Role::OrganisationAdmin)
        .count();
    let leaves_admins = match change {
        Change::Role(role) => role != Role::OrganisationAdmin,
        Change::Remove => true,
    };
    if target.role == Role::OrganisationAdmin && leaves_admins && admins <= 1 {
        return last_admin(state, tr, acting).await;
    }
    let mut hidden = vec![("csrf".to_owned(), acting.me.session.csrf_token.clone())];
    if let Change::Role(role) = change {
        hidden.push(("role".to_owned(), role.code().to_owned()));
    }
    let proof = Proof {
        password: form.password.as_deref(),
        code: form.code.as_deref(),
    };
    if let Some(confirm) =
        require_recent(state, tr.clone(), &acting.me, action, hidden, proof, now).await?
    {
        return Ok(confirm);
    }
    // The check above answers the usual case early; the store checks again under a lock, so
    // two admins demoting each other at the same moment cannot leave the organisation without
    // one.
    let written = match change {
        Change::Role(role) => {
            store
                .set_membership(
                    &Membership {
                        user,
                        tenant: acting.tenant.id,
                        role,
                    },
                    &tenant_event(
                        acting.tenant.id,
                        "member_role_changed",
                        Some(acting.me.user.id),
                        Some(user),
                        now,
                    ),
                )
                .await
        }
        Change::Remove => {
            store
                .remove_membership(
                    user,
                    acting.tenant.id,
                    &tenant_event(
                        acting.tenant.id,
                        "member_removed",
                        Some(acting.me.user.id),
                        Some(user),
                        now,
                    ),
                )
                .await
        }
    };
    match written {
        Ok(()) => {}
        Err(StoreError::LastAdmin) => return last_admin(state, tr, acting).await,
        Err(e) => return Err(e.into()),
    }
    Ok(back(acting))
}

/// `POST /organisations/{tenant}/members/{user}/role`.
pub(crate) async fn change_role(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    let Some(role) = form.role.as_deref().and_then(Role::from_code) else {
        acting.me.check_csrf(form.csrf.as_deref())?;
        return Err(AppError::invalid(vec![FieldProblem::new(
            "role",
            "org-error-role",
        )]));
    };
    let action = format!(
        "/organisations/{}/members/{}/role",
        acting.tenant.id,
        params.get("user").map_or("", String::as_str)
    );
    change(
        &state,
        tr,
        &acting,
        &params,
        &form,
        Change::Role(role),
        &action,
    )
    .await
}

/// `POST /organisations/{tenant}/members/{user}/remove`.
pub(crate) async fn remove(
    State(state): State<AppState>,
    tr: Tr,
    acting: ActingMember,
    Path(params): Path<HashMap<String, String>>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    let action = format!(
        "/organisations/{}/members/{}/remove",
        acting.tenant.id,
        params.get("user").map_or("", String::as_str)
    );
    change(&state, tr, &acting, &params, &form, Change::Remove, &action).await
}
