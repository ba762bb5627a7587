//! `/organisations/sign-up`: an organisation applies to use Haven. The applicant's account is
//! made if it does not exist yet (without a password: a site admin's approval sends the set-up
//! link), and the answer is the same page whether or not it existed.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use haven_domain::accounts::{Email, Membership, Role, Tenant, TenantStatus, User};
use haven_domain::{OrganisationId, Text, UserId};
use haven_store::{Page, StoreError};
use serde::Deserialize;

use super::{site_tenant_event, tenant_event};
use crate::AppError;
use crate::auth::throttle::{PeerAddress, SIGN_UP_LIMIT, admit, minutes};
use crate::error::{FieldProblem, page_with_status};
use crate::locale::{Chrome, Tr};
use crate::mail;
use crate::pages::account::site_event;
use crate::pages::render;
use crate::state::AppState;

/// Longest organisation name accepted.
const NAME_MAX: usize = 200;
/// Directory organisations offered for claiming.
const LISTINGS_SHOWN: u64 = 1000;

#[derive(Template)]
#[template(path = "organisation_sign_up.html")]
struct SignUpPage {
    chrome: Chrome,
    name: String,
    email: String,
    listing: String,
    /// (id, name) of each directory organisation.
    listings: Vec<(String, String)>,
    problems: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "organisation_sign_up_done.html")]
struct DonePage {
    chrome: Chrome,
}

/// The form's fields.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SignUpForm {
    name: Option<String>,
    email: Option<String>,
    listing: Option<String>,
}

async fn page(
    state: &AppState,
    tr: Tr,
    form: &SignUpForm,
    problems: Vec<FieldProblem>,
) -> Result<SignUpPage, AppError> {
    let listings = state
        .store()
        .organisations(Page::first(LISTINGS_SHOWN))
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), o.name.into_string()))
        .collect();
    let problems = tr.problems(problems);
    Ok(SignUpPage {
        chrome: Chrome::new(
            state,
            tr,
            "/organisations/sign-up",
            state.config().demo_notice,
        ),
        name: form.name.clone().unwrap_or_default(),
        email: form.email.clone().unwrap_or_default(),
        listing: form.listing.clone().unwrap_or_default(),
        listings,
        problems,
    })
}

/// `GET /organisations/sign-up`.
pub(crate) async fn form(State(state): State<AppState>, tr: Tr) -> Result<Response, AppError> {
    let page = page(&state, tr, &SignUpForm::default(), Vec::new()).await?;
    Ok(render(&page)?.into_response())
}

/// The account with this address, made (without a password) if there is none.
///
/// A new account's preferred language is `language`: the one the applicant used, or for an
/// invitation the one the inviter chose for the invitee.
pub(crate) async fn user_for(
    state: &AppState,
    email: &Email,
    language: Option<&str>,
    now: time::OffsetDateTime,
) -> Result<User, AppError> {
    let store = state.store();
    match store.user_by_email(email).await {
        Ok(user) => return Ok(user),
        Err(StoreError::NotFound { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    let user = User {
        id: UserId::new_random(),
        email: email.clone(),
        password_hash: None,
        totp_secret: None,
        totp_last_step: None,
        site_admin: false,
        language: language.map(str::to_owned),
        created_at: now,
    };
    let mut event = site_event("user_created", None, now);
    event.subject = Some(("user", user.id.to_string()));
    match store.create_user(&user, &event).await {
        Ok(()) => Ok(user),
        // Made by a request running at the same moment.
        Err(StoreError::Conflict { .. }) => Ok(store.user_by_email(email).await?),
        Err(e) => Err(e.into()),
    }
}

/// `POST /organisations/sign-up`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    tr: Tr,
    PeerAddress(peer): PeerAddress,
    Form(form): Form<SignUpForm>,
) -> Result<Response, AppError> {
    let now = state.clock().now();
    let mut problems = Vec::new();
    let name = Text::parse(form.name.as_deref().unwrap_or(""), NAME_MAX);
    if name.is_err() {
        problems.push(FieldProblem::new("name", "org-error-name"));
    }
    let email = Email::parse(form.email.as_deref().unwrap_or(""));
    if email.is_err() {
        problems.push(FieldProblem::new("email", "org-error-email"));
    }
    let listing = match form.listing.as_deref().map(str::trim).unwrap_or("") {
        "" => None,
        raw => match raw.parse::<OrganisationId>() {
            Ok(id) => match state.store().organisation(id).await {
                Ok(_) => Some(id),
                Err(StoreError::NotFound { .. }) => {
                    problems.push(FieldProblem::new("listing", "org-error-listing"));
                    None
                }
                Err(e) => return Err(e.into()),
            },
            Err(_) => {
                problems.push(FieldProblem::new("listing", "org-error-listing"));
                None
            }
        },
    };
    let (Ok(name), Ok(email), true) = (name, email, problems.is_empty()) else {
        let html = render(&page(&state, tr, &form, problems).await?)?;
        return Ok(page_with_status(StatusCode::BAD_REQUEST, html));
    };

    // Throttled per applicant address and per network address, the same whether or not the
    // address has an account.
    if let Some(wait) = admit(state.store(), SIGN_UP_LIMIT, email.as_str(), peer, now).await? {
        let mut refused = page(&state, tr.clone(), &form, Vec::new()).await?;
        refused.problems = vec![(
            "email".to_owned(),
            tr.get_with("request-error-throttled", &[("minutes", &minutes(wait))]),
        )];
        let html = render(&refused)?;
        return Ok(page_with_status(StatusCode::TOO_MANY_REQUESTS, html));
    }
    let user = user_for(&state, &email, Some(tr.language().tag), now).await?;
    let tenant = Tenant {
        id: haven_domain::TenantId::new_random(),
        name: name.clone(),
        status: TenantStatus::Pending,
        listing,
        created_at: now,
    };
    let store = state.store();
    store
        .create_tenant(
            &tenant,
            &site_tenant_event(tenant.id, "organisation_signed_up", None, now),
        )
        .await?;
    store
        .set_membership(
            &Membership {
                user: user.id,
                tenant: tenant.id,
                role: Role::OrganisationAdmin,
            },
            &tenant_event(tenant.id, "member_added", None, Some(user.id), now),
        )
        .await?;
    mail::send(
        &state,
        &email,
        tr.get("org-mail-received-subject"),
        tr.get_with("org-mail-received-body", &[("organisation", name.as_str())]),
    )
    .await;
    let page = DonePage {
        chrome: Chrome::new(
            &state,
            tr,
            "/organisations/sign-up",
            state.config().demo_notice,
        ),
    };
    Ok(render(&page)?.into_response())
}
