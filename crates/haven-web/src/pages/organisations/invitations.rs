//! `/invitations/{token}`: joining an organisation. A person with no password yet sets one and
//! a second factor here (the set-up form) and becomes a member; a person who already has an
//! account must be signed in as that account and accepts.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use haven_auth::totp::TotpSecret;
use haven_domain::accounts::{LinkPurpose, Membership, Role, Tenant, TenantStatus, User};
use serde::Deserialize;

use super::{role_name, tenant_event};
use crate::AppError;
use crate::auth::Signed;
use crate::auth::next::with_next;
use crate::error::page_with_status;
use crate::locale::{Chrome, Tr};
use crate::pages::account::one_time_link;
use crate::pages::account::set_up::{self, SetUpForm};
use crate::pages::render;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    chrome: Chrome,
    lead: String,
    /// Signed in as the invited account: the Accept button is shown.
    can_accept: bool,
    action: String,
    csrf: String,
    /// The sign-in page, coming back here afterwards.
    sign_in: String,
}

#[derive(Template)]
#[template(path = "link_expired.html")]
pub(crate) struct ExpiredPage {
    chrome: Chrome,
}

/// A link that is unknown, used or expired: a clear page, 410.
pub(crate) fn expired(state: &AppState, tr: Tr, path: &str) -> Result<Response, AppError> {
    let page = ExpiredPage {
        chrome: Chrome::new(state, tr, path, state.config().demo_notice),
    };
    Ok(page_with_status(StatusCode::GONE, render(&page)?))
}

/// The invitation form: the set-up fields, or only the CSRF token for Accept.
#[derive(Debug, Deserialize)]
pub(crate) struct InvitationForm {
    csrf: Option<String>,
    password: Option<String>,
    password_again: Option<String>,
    totp_secret: Option<String>,
    code: Option<String>,
}

struct Valid {
    user: User,
    tenant: Tenant,
    role: Role,
}

async fn valid(state: &AppState, token: &str) -> Result<Option<Valid>, AppError> {
    let store = state.store();
    let Some(link) = one_time_link(state, token, LinkPurpose::Invitation).await? else {
        return Ok(None);
    };
    let Some((tenant, role)) = link.invitation else {
        return Ok(None);
    };
    let tenant = store.tenant(tenant).await?;
    if tenant.status != TenantStatus::Approved {
        return Ok(None);
    }
    let user = store.user(link.user).await?;
    Ok(Some(Valid { user, tenant, role }))
}

fn lead(tr: &Tr, valid: &Valid) -> String {
    tr.get_with(
        "org-invitation-lead",
        &[
            ("organisation", valid.tenant.name.as_str()),
            ("role", &role_name(tr, valid.role)),
        ],
    )
}

/// `GET /invitations/{token}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    tr: Tr,
    signed: Signed,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let path = format!("/invitations/{token}");
    let Some(valid) = valid(&state, &token).await? else {
        return expired(&state, tr, "/invitations");
    };
    if valid.user.password_hash.is_none() {
        let mut page = set_up::page(
            &state,
            tr.clone(),
            &path,
            &valid.user,
            &TotpSecret::generate(),
            Vec::new(),
        );
        page.lead = Some(lead(&tr, &valid));
        return Ok(render(&page)?.into_response());
    }
    let (can_accept, csrf) = match &signed {
        Signed::In(me) if me.user.id == valid.user.id => (true, me.session.csrf_token.clone()),
        _ => (false, String::new()),
    };
    let page = InvitationPage {
        lead: lead(&tr, &valid),
        chrome: Chrome::new(&state, tr, "/invitations", state.config().demo_notice),
        can_accept,
        sign_in: with_next("/sign-in", Some(&path)),
        action: path,
        csrf,
    };
    Ok(render(&page)?.into_response())
}

/// `POST /invitations/{token}`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    tr: Tr,
    headers: HeaderMap,
    signed: Signed,
    Path(token): Path<String>,
    Form(form): Form<InvitationForm>,
) -> Result<Response, AppError> {
    let path = format!("/invitations/{token}");
    let Some(valid) = valid(&state, &token).await? else {
        return expired(&state, tr, "/invitations");
    };
    let now = state.clock().now();
    let store = state.store();
    let membership = Membership {
        user: valid.user.id,
        tenant: valid.tenant.id,
        role: valid.role,
    };
    let joined = tenant_event(
        valid.tenant.id,
        "member_joined",
        Some(valid.user.id),
        Some(valid.user.id),
        now,
    );
    let digest = haven_auth::token::digest(&token);
    if valid.user.password_hash.is_none() {
        let fields = SetUpForm {
            password: form.password,
            password_again: form.password_again,
            totp_secret: form.totp_secret,
            code: form.code,
        };
        let checked = match set_up::check(&state, tr.clone(), &path, &valid.user, fields, now)? {
            Ok(checked) => checked,
            Err(refused) => return Ok(refused),
        };
        let link = set_up::SetUpLink {
            digest: &digest,
            purpose: LinkPurpose::Invitation,
            joins: Some((membership, joined)),
        };
        return set_up::finish(&state, tr, &headers, &valid.user, checked, link, now).await;
    }
    match signed {
        Signed::In(me) if me.user.id == valid.user.id => {
            me.check_csrf(form.csrf.as_deref())?;
            store
                .use_link(&digest, LinkPurpose::Invitation, now)
                .await?;
            store.set_membership(&membership, &joined).await?;
            Ok(Redirect::to(&format!("/organisations/{}", valid.tenant.id)).into_response())
        }
        _ => {
            let page = InvitationPage {
                lead: lead(&tr, &valid),
                chrome: Chrome::new(&state, tr, "/invitations", state.config().demo_notice),
                can_accept: false,
                sign_in: with_next("/sign-in", Some(&path)),
                action: path,
                csrf: String::new(),
            };
            Ok(page_with_status(StatusCode::BAD_REQUEST, render(&page)?))
        }
    }
}
