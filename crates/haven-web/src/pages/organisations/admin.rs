//! `/admin/organisations`: site admins approve or reject organisations that signed up.
//! Approval e-mails each of the organisation's admins a set-up link (if they have no password
//! yet) or a notice to sign in.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::TenantId;
use haven_domain::accounts::{LinkPurpose, OneTimeLink, Role, TenantStatus};
use haven_store::StoreError;

use super::{LINK_LIFETIME, site_tenant_event, tenant_event};
use crate::AppError;
use crate::auth::SignedIn;
use crate::locale::{Chrome, Tr};
use crate::mail;
use crate::pages::account::CsrfOnly;
use crate::pages::{path_id, render};
use crate::state::AppState;

struct Pending {
    id: String,
    name: String,
    signed_up: String,
    listing: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_organisations.html")]
struct AdminPage {
    chrome: Chrome,
    pending: Vec<Pending>,
    csrf: String,
}

/// `GET /admin/organisations`.
pub(crate) async fn list(
    State(state): State<AppState>,
    tr: Tr,
    me: SignedIn,
) -> Result<Response, AppError> {
    let store = state.store();
    let mut pending = Vec::new();
    for tenant in store.tenants(Some(TenantStatus::Pending)).await? {
        let listing = match tenant.listing {
            Some(id) => match store.organisation(id).await {
                Ok(o) => Some(tr.get_with("admin-orgs-claims", &[("listing", o.name.as_str())])),
                Err(StoreError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        pending.push(Pending {
            id: tenant.id.to_string(),
            name: tenant.name.into_string(),
            signed_up: tr.get_with(
                "admin-orgs-signed-up",
                &[("when", &mail::when(tenant.created_at))],
            ),
            listing,
        });
    }
    let page = AdminPage {
        chrome: Chrome::new(
            &state,
            tr,
            "/admin/organisations",
            state.config().demo_notice,
        ),
        pending,
        csrf: me.session.csrf_token.clone(),
    };
    Ok(render(&page)?.into_response())
}

async fn decide(
    state: &AppState,
    tr: &Tr,
    me: &SignedIn,
    params: &HashMap<String, String>,
    form: &CsrfOnly,
    approve: bool,
) -> Result<Response, AppError> {
    me.check_csrf(form.csrf.as_deref())?;
    let id: TenantId = path_id(params, "tenant")?;
    let store = state.store();
    let tenant = store.tenant(id).await?;
    let back = Redirect::to("/admin/organisations").into_response();
    // Only a pending application is decided; deciding again changes nothing.
    if tenant.status != TenantStatus::Pending {
        return Ok(back);
    }
    let now = state.clock().now();
    let (status, action) = if approve {
        (TenantStatus::Approved, "organisation_approved")
    } else {
        (TenantStatus::Rejected, "organisation_rejected")
    };
    store
        .set_tenant_status(
            id,
            status,
            &site_tenant_event(id, action, Some(me.user.id), now),
        )
        .await?;
    store
        .append_audit(&tenant_event(id, action, Some(me.user.id), None, now))
        .await?;
    let name = tenant.name.as_str();
    for membership in store.members_of(id).await? {
        if membership.role != Role::OrganisationAdmin {
            continue;
        }
        let user = store.user(membership.user).await?;
        // Each applicant reads the answer in their own language.
        let tr = &tr.or_tagged(user.language.as_deref());
        if !approve {
            mail::send(
                state,
                &user.email,
                tr.get_with("org-mail-rejected-subject", &[("organisation", name)]),
                tr.get_with("org-mail-rejected-body", &[("organisation", name)]),
            )
            .await;
            store
                .append_audit(&tenant_event(
                    id,
                    "applicant_told_of_rejection",
                    Some(me.user.id),
                    Some(user.id),
                    now,
                ))
                .await?;
        } else if user.password_hash.is_none() {
            let token = haven_auth::token::new_token();
            store
                .create_link(&OneTimeLink {
                    digest: token.digest,
                    user: user.id,
                    purpose: LinkPurpose::SetUp,
                    invitation: None,
                    expires_at: now + LINK_LIFETIME,
                })
                .await?;
            let link = mail::link(state, &format!("/account/set-up/{}", token.secret));
            mail::send(
                state,
                &user.email,
                tr.get_with("org-mail-approved-subject", &[("organisation", name)]),
                tr.get_with(
                    "org-mail-approved-set-up-body",
                    &[("organisation", name), ("link", &link)],
                ),
            )
            .await;
        } else {
            let link = mail::link(state, "/sign-in");
            mail::send(
                state,
                &user.email,
                tr.get_with("org-mail-approved-subject", &[("organisation", name)]),
                tr.get_with(
                    "org-mail-approved-sign-in-body",
                    &[("organisation", name), ("link", &link)],
                ),
            )
            .await;
        }
    }
    Ok(back)
}

/// `POST /admin/organisations/{tenant}/approve`.
pub(crate) async fn approve(
    State(state): State<AppState>,
    tr: Tr,
    me: SignedIn,
    Path(params): Path<HashMap<String, String>>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    decide(&state, &tr, &me, &params, &form, true).await
}

/// `POST /admin/organisations/{tenant}/reject`.
pub(crate) async fn reject(
    State(state): State<AppState>,
    tr: Tr,
    me: SignedIn,
    Path(params): Path<HashMap<String, String>>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    decide(&state, &tr, &me, &params, &form, false).await
}
