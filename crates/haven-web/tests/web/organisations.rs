//! Organisations end to end through HTTP: sign-up, approval, set-up from the e-mailed link,
//! invitations, role changes with re-authentication, the last admin, the audit trail, password
//! reset that still asks for the second factor, and the new-device alert.

use axum::http::StatusCode;
use haven_auth::totp::{TotpSecret, code_at};
use haven_domain::UserId;
use haven_domain::accounts::{AuditEvent, AuditScope, Email, LinkPurpose, OneTimeLink, Role, User};
use haven_domain::clock::Clock;
use time::{Duration, OffsetDateTime};

use crate::harness::{Harness, Reply, form};

pub const PASSWORD: &str = "blue kettle under the stairs";

pub fn site(action: &'static str, at: OffsetDateTime) -> AuditEvent {
    AuditEvent {
        scope: AuditScope::Site,
        at,
        actor: None,
        action,
        subject: None,
    }
}

pub fn value_after<'a>(page: &'a str, marker: &str) -> &'a str {
    let start = page
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {page}"))
        + marker.len();
    let end = start + page[start..].find('"').unwrap();
    &page[start..end]
}

/// A user with an address and (maybe) a password hash, nothing else.
pub fn plain_user(email: &str, password_hash: Option<&str>) -> User {
    User {
        id: UserId::new_random(),
        email: Email::parse(email).unwrap(),
        password_hash: password_hash.map(str::to_owned),
        totp_secret: None,
        totp_last_step: None,
        site_admin: false,
        language: None,
        created_at: time::macros::datetime!(2026-11-22 12:00 UTC),
    }
}

/// The newest message to `to`.
pub fn mail_to(h: &Harness, to: &str) -> String {
    h.mail()
        .into_iter()
        .rfind(|m| m.contains(&format!("To: {to}")))
        .unwrap_or_else(|| panic!("no mail to {to}"))
}

/// The path of the first link to `prefix` in a message.
pub fn link_in(mail: &str, prefix: &str) -> String {
    let start = mail
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} in {mail}"));
    let end = start
        + mail[start..]
            .find(|c: char| c.is_whitespace())
            .unwrap_or(mail.len() - start);
    mail[start..end].to_owned()
}

/// Completes a set-up form at `path`; returns the TOTP secret and the session cookie.
pub async fn set_up_at(h: &Harness, path: &str) -> (TotpSecret, String) {
    let page = h.request("GET", path, None, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let secret_text = value_after(&page.body, r#"name="totp_secret" value=""#).to_owned();
    let secret = TotpSecret::from_base32(&secret_text).unwrap();
    let code = code_at(&secret, h.clock.now());
    let body = form(&[
        ("password", PASSWORD),
        ("password_again", PASSWORD),
        ("totp_secret", &secret_text),
        ("code", &code),
    ]);
    let done = h.request("POST", path, None, Some(&body)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Save your recovery codes"));
    (
        secret,
        format!("haven_session={}", done.cookie("haven_session").unwrap()),
    )
}

pub async fn site_admin(h: &Harness) -> String {
    site_admin_account(h).await.1
}

/// The site admin's account: its TOTP secret and session cookie.
pub async fn site_admin_account(h: &Harness) -> (TotpSecret, String) {
    let now = h.clock.now();
    let user = User {
        id: UserId::new_random(),
        email: Email::parse("site@example.org").unwrap(),
        password_hash: None,
        totp_secret: None,
        totp_last_step: None,
        site_admin: true,
        language: None,
        created_at: now,
    };
    h.store
        .create_user(&user, &site("site_admin_created", now))
        .await
        .unwrap();
    let token = haven_auth::token::new_token();
    h.store
        .create_link(&OneTimeLink {
            digest: token.digest,
            user: user.id,
            purpose: LinkPurpose::SetUp,
            invitation: None,
            expires_at: now + Duration::hours(24),
        })
        .await
        .unwrap();
    set_up_at(h, &format!("/account/set-up/{}", token.secret)).await
}

pub async fn get(h: &Harness, path: &str, cookie: &str) -> Reply {
    h.request("GET", path, Some(cookie), None).await
}

pub async fn post(h: &Harness, path: &str, cookie: Option<&str>, body: &str) -> Reply {
    h.request("POST", path, cookie, Some(body)).await
}

#[tokio::test]
async fn an_organisation_signs_up_is_approved_and_invites_a_caseworker() {
    let h = Harness::sqlite().await;
    let admin = site_admin(&h).await;

    // Sign-up: the same page whether or not the address already had an account.
    let page = h.request("GET", "/organisations/sign-up", None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    let missing = post(&h, "/organisations/sign-up", None, "name=&email=nope").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(
        missing.body.contains(r##"href="#name""##) && missing.body.contains(r##"href="#email""##)
    );
    let fresh = post(
        &h,
        "/organisations/sign-up",
        None,
        &form(&[("name", "Compas"), ("email", "amina@example.org")]),
    )
    .await;
    let existing = post(
        &h,
        "/organisations/sign-up",
        None,
        &form(&[("name", "Other"), ("email", "site@example.org")]),
    )
    .await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert_eq!(
        fresh.body, existing.body,
        "nothing says whether the account existed"
    );
    assert!(
        mail_to(&h, "amina@example.org").contains("We have received the application for Compas")
    );

    // The site admin approves; the applicant gets a set-up link.
    let list = get(&h, "/admin/organisations", &admin).await;
    assert!(list.body.contains("Compas"));
    let csrf = value_after(&list.body, r#"name="csrf" value=""#).to_owned();
    let compas = h
        .store
        .tenants(None)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name.as_str() == "Compas")
        .unwrap();
    let approve = format!("/admin/organisations/{}/approve", compas.id);
    assert_eq!(
        post(&h, &approve, Some(&admin), "csrf=wrong").await.status,
        StatusCode::FORBIDDEN
    );
    let approved = post(&h, &approve, Some(&admin), &format!("csrf={csrf}")).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    let link = link_in(&mail_to(&h, "amina@example.org"), "/account/set-up/");
    let (amina_secret, amina) = set_up_at(&h, &link).await;
    let account = get(&h, "/account", &amina).await;
    let overview_path = format!("/organisations/{}", compas.id);
    assert!(account.body.contains(&format!(r#"href="{overview_path}""#)));
    let overview = get(&h, &overview_path, &amina).await;
    assert_eq!(overview.status, StatusCode::OK);
    let csrf = value_after(&overview.body, r#"name="csrf" value=""#).to_owned();
    let act = post(
        &h,
        &format!("{overview_path}/act"),
        Some(&amina),
        &format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(act.status, StatusCode::SEE_OTHER);
    assert!(
        get(&h, &overview_path, &amina)
            .await
            .body
            .contains("You are working for this organisation")
    );

    // Amina invites a caseworker, who sets up from the invitation.
    let members_path = format!("{overview_path}/members");
    let invited = post(
        &h,
        &members_path,
        Some(&amina),
        &form(&[
            ("csrf", &csrf),
            ("email", "cw@example.org"),
            ("role", "caseworker"),
        ]),
    )
    .await;
    assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.body);
    let invitation = link_in(&mail_to(&h, "cw@example.org"), "/invitations/");
    h.clock.advance(Duration::seconds(30));
    let (_, cw) = set_up_at(&h, &invitation).await;
    assert_eq!(get(&h, &overview_path, &cw).await.status, StatusCode::OK);
    assert_eq!(
        get(&h, &members_path, &cw).await.status,
        StatusCode::NOT_FOUND
    );
    let used = h.request("GET", &invitation, None, None).await;
    assert_eq!(used.status, StatusCode::GONE);
    assert!(used.body.contains("This link no longer works"));

    // Role change within the re-authentication window; removal after it asks again.
    let cw_id = h
        .store
        .user_by_email(&Email::parse("cw@example.org").unwrap())
        .await
        .unwrap()
        .id;
    let role_path = format!("{members_path}/{cw_id}/role");
    let changed = post(
        &h,
        &role_path,
        Some(&amina),
        &form(&[("csrf", &csrf), ("role", "volunteer")]),
    )
    .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let roles: Vec<Role> = h
        .store
        .members_of(compas.id)
        .await
        .unwrap()
        .iter()
        .map(|m| m.role)
        .collect();
    assert!(roles.contains(&Role::Volunteer));
    h.clock.advance(Duration::minutes(6));
    let remove_path = format!("{members_path}/{cw_id}/remove");
    let confirm = post(&h, &remove_path, Some(&amina), &form(&[("csrf", &csrf)])).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Confirm it is you"));
    let wrong = post(
        &h,
        &remove_path,
        Some(&amina),
        &form(&[("csrf", &csrf), ("password", "nope"), ("code", "000000")]),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let code = code_at(&amina_secret, h.clock.now());
    let removed = post(
        &h,
        &remove_path,
        Some(&amina),
        &form(&[("csrf", &csrf), ("password", PASSWORD), ("code", &code)]),
    )
    .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert_eq!(h.store.members_of(compas.id).await.unwrap().len(), 1);
    assert_eq!(
        get(&h, &overview_path, &cw).await.status,
        StatusCode::NOT_FOUND
    );

    // The last admin can be neither removed nor demoted.
    let amina_id = h
        .store
        .user_by_email(&Email::parse("amina@example.org").unwrap())
        .await
        .unwrap()
        .id;
    for (path, body) in [
        (
            format!("{members_path}/{amina_id}/remove"),
            form(&[("csrf", &csrf)]),
        ),
        (
            format!("{members_path}/{amina_id}/role"),
            form(&[("csrf", &csrf), ("role", "viewer")]),
        ),
    ] {
        let refused = post(&h, &path, Some(&amina), &body).await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.body.contains("at least one administrator"));
    }

    // The audit trail shows it all, with ids only, and verifies.
    let audit = get(&h, &format!("{overview_path}/audit"), &amina).await;
    assert_eq!(audit.status, StatusCode::OK);
    for action in [
        "organisation_approved",
        "member_invited",
        "member_joined",
        "member_role_changed",
        "member_removed",
    ] {
        assert!(audit.body.contains(action), "{action}");
    }
    assert!(audit.body.contains("The audit trail is complete"));
    assert!(!audit.body.contains("cw@example.org"));
    let newest = audit.body.find("member_removed").unwrap();
    assert!(
        newest < audit.body.find("member_invited").unwrap(),
        "newest first"
    );

    // Password reset asks for the second factor afterwards, and the new browser is reported.
    let answer = post(
        &h,
        "/account/reset",
        None,
        &form(&[("email", "amina@example.org")]),
    )
    .await;
    let nobody = post(
        &h,
        "/account/reset",
        None,
        &form(&[("email", "nobody@example.org")]),
    )
    .await;
    assert_eq!(answer.body, nobody.body);
    let reset_mail = h
        .wait_for_mail(|m| m.contains("To: amina@example.org") && m.contains("/account/reset/"))
        .await;
    let reset = link_in(&reset_mail, "/account/reset/");
    assert_eq!(
        h.request("GET", &reset, None, None).await.status,
        StatusCode::OK
    );
    const NEW_PASSWORD: &str = "green teapot on the windowsill";
    let done = post(
        &h,
        &reset,
        None,
        &form(&[("password", NEW_PASSWORD), ("password_again", NEW_PASSWORD)]),
    )
    .await;
    assert_eq!(done.location(), "/sign-in/code");
    let half = format!("haven_session={}", done.cookie("haven_session").unwrap());
    assert_eq!(get(&h, "/account", &half).await.location(), "/sign-in");
    assert_eq!(
        get(&h, "/account", &amina).await.location(),
        "/sign-in",
        "other sessions ended"
    );
    h.clock.advance(Duration::seconds(30));
    let code = code_at(&amina_secret, h.clock.now());
    let signed_in = post(&h, "/sign-in/code", Some(&half), &form(&[("code", &code)])).await;
    assert_eq!(signed_in.location(), "/account");
    assert!(signed_in.cookie("haven_device").is_some());
    let alert = mail_to(&h, "amina@example.org");
    assert!(alert.contains("A new sign-in to your account"), "{alert}");
    assert!(alert.contains("2026-11-22"));
    assert_eq!(
        h.request("GET", &reset, None, None).await.status,
        StatusCode::GONE
    );
}
