//! Accounts end to end through HTTP: the set-up link, sign-in with a second factor, throttling,
//! sessions and their limits, CSRF, and the audit trail they leave.

use axum::http::StatusCode;
use haven_auth::audit_chain::verify_chain;
use haven_auth::totp::{TotpSecret, code_at};
use haven_domain::UserId;
use haven_domain::accounts::{AuditEvent, AuditScope, Email, LinkPurpose, OneTimeLink, User};
use haven_domain::clock::Clock;
use time::Duration;

use crate::harness::{Harness, Reply, form};

const EMAIL: &str = "amina@example.org";
const PASSWORD: &str = "blue kettle under the stairs";

/// Creates an account and its set-up link, as `haven user create` does.
async fn invite(h: &Harness) -> (UserId, String) {
    let now = h.clock.now();
    let user = User {
        id: UserId::new_random(),
        email: Email::parse(EMAIL).unwrap(),
        password_hash: None,
        totp_secret: None,
        totp_last_step: None,
        site_admin: true,
        language: None,
        created_at: now,
    };
    let event = AuditEvent {
        scope: AuditScope::Site,
        at: now,
        actor: None,
        action: "site_admin_created",
        subject: None,
    };
    h.store.create_user(&user, &event).await.unwrap();
    let token = haven_auth::token::new_token();
    let link = OneTimeLink {
        digest: token.digest,
        user: user.id,
        purpose: LinkPurpose::SetUp,
        invitation: None,
        expires_at: now + Duration::hours(24),
    };
    h.store.create_link(&link).await.unwrap();
    (user.id, format!("/account/set-up/{}", token.secret))
}

fn hidden_secret(page: &str) -> TotpSecret {
    let marker = r#"name="totp_secret" value=""#;
    let start = page.find(marker).unwrap() + marker.len();
    let end = start + page[start..].find('"').unwrap();
    TotpSecret::from_base32(&page[start..end]).unwrap()
}

/// Completes set-up; returns the TOTP secret, the recovery codes and the session cookie.
async fn set_up(h: &Harness) -> (TotpSecret, Vec<String>, String) {
    let (_, link) = invite(h).await;
    let page = h.request("GET", &link, None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<svg"),
        "a QR code for the authenticator app"
    );
    let secret = hidden_secret(&page.body);
    let code = code_at(&secret, h.clock.now());
    let secret_text = secret.to_base32();
    let body = form(&[
        ("password", PASSWORD),
        ("password_again", PASSWORD),
        ("totp_secret", &secret_text),
        ("code", &code),
    ]);
    let done = h.request("POST", &link, None, Some(&body)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Save your recovery codes"));
    let codes: Vec<String> = done
        .body
        .match_indices("<li><code>")
        .map(|(i, _)| done.body[i + 10..i + 21].to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    let cookie = format!("haven_session={}", done.cookie("haven_session").unwrap());
    (secret, codes, cookie)
}

async fn sign_in_with_password(h: &Harness, email: &str, password: &str) -> Reply {
    h.request(
        "POST",
        "/sign-in",
        None,
        Some(&form(&[("email", email), ("password", password)])),
    )
    .await
}

/// Signs in fully with a code; returns the session cookie.
async fn sign_in(h: &Harness, code: &str) -> Reply {
    let first = sign_in_with_password(h, EMAIL, PASSWORD).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    assert_eq!(first.location(), "/sign-in/code");
    let partial = format!("haven_session={}", first.cookie("haven_session").unwrap());
    h.request(
        "POST",
        "/sign-in/code",
        Some(&partial),
        Some(&form(&[("code", code)])),
    )
    .await
}

#[tokio::test]
async fn set_up_link_sets_password_and_second_factor_then_signs_in() {
    let h = Harness::sqlite().await;
    let (_, _, cookie) = set_up(&h).await;
    let account = h.request("GET", "/account", Some(&cookie), None).await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains(&format!("Signed in as {EMAIL}")));
    assert!(account.body.contains("site administrator"));
    let user = h
        .store
        .user_by_email(&Email::parse(EMAIL).unwrap())
        .await
        .unwrap();
    assert!(user.password_hash.unwrap().starts_with("$argon2id$"));
    assert!(user.totp_secret.is_some());
}

#[tokio::test]
async fn set_up_refuses_weak_passwords_and_wrong_codes_and_changes_nothing() {
    let h = Harness::sqlite().await;
    let (user, link) = invite(&h).await;
    let page = h.request("GET", &link, None, None).await;
    let secret = hidden_secret(&page.body).to_base32();
    let body = form(&[
        ("password", "password1234"),
        ("password_again", "password1234"),
        ("totp_secret", &secret),
        ("code", "000000"),
    ]);
    let refused = h.request("POST", &link, None, Some(&body)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("one of the most common passwords"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("That code is not right"));
    assert!(
        refused.body.contains(&secret),
        "the same key is offered again"
    );
    let mismatch = form(&[
        ("password", PASSWORD),
        ("password_again", "something else entirely"),
    ]);
    let refused = h.request("POST", &link, None, Some(&mismatch)).await;
    assert!(refused.body.contains("The two passwords are not the same."));
    assert_eq!(h.store.user(user).await.unwrap().password_hash, None);
    // The link still works after refused attempts, but not after it is used or has expired.
    assert_eq!(
        h.request("GET", &link, None, None).await.status,
        StatusCode::OK
    );
    h.clock.advance(Duration::hours(25));
    assert_eq!(
        h.request("GET", &link, None, None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn sign_in_needs_password_then_an_unused_code() {
    let h = Harness::sqlite().await;
    let (secret, _, _) = set_up(&h).await;
    h.clock.advance(Duration::minutes(2));

    // Half signed in is not signed in.
    let first = sign_in_with_password(&h, EMAIL, PASSWORD).await;
    let partial = format!("haven_session={}", first.cookie("haven_session").unwrap());
    let account = h.request("GET", "/account", Some(&partial), None).await;
    assert_eq!(account.location(), "/sign-in");
    let wrong = h
        .request("POST", "/sign-in/code", Some(&partial), Some("code=123456"))
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);

    let code = code_at(&secret, h.clock.now());
    let done = h
        .request(
            "POST",
            "/sign-in/code",
            Some(&partial),
            Some(&form(&[("code", &code)])),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), "/account");
    let full = format!("haven_session={}", done.cookie("haven_session").unwrap());
    assert_ne!(full, partial, "the session id changes once signed in");
    assert_eq!(
        h.request("GET", "/account", Some(&full), None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        h.request("GET", "/account", Some(&partial), None)
            .await
            .location(),
        "/sign-in"
    );

    // The same code cannot be used again, even at once.
    let again = sign_in(&h, &code).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn recovery_codes_work_once_each() {
    let h = Harness::sqlite().await;
    let (_, codes, _) = set_up(&h).await;
    let done = sign_in(&h, &codes[3].to_uppercase()).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(sign_in(&h, &codes[3]).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn wrong_passwords_are_throttled_and_reveal_no_account() {
    let h = Harness::sqlite().await;
    let _ = set_up(&h).await;
    let unknown = sign_in_with_password(&h, "nobody@example.org", PASSWORD).await;
    let wrong = sign_in_with_password(&h, EMAIL, "not the password at all").await;
    assert_eq!(unknown.status, wrong.status);
    let message = "The e-mail address or the password is not right.";
    assert!(unknown.body.contains(message) && wrong.body.contains(message));

    for _ in 0..9 {
        sign_in_with_password(&h, EMAIL, "not the password at all").await;
    }
    // Now even the right password must wait, and says so.
    let slowed = sign_in_with_password(&h, EMAIL, PASSWORD).await;
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(slowed.body.contains("Too many attempts"));
    // An unknown address is slowed the same way.
    for _ in 0..10 {
        sign_in_with_password(&h, "nobody@example.org", PASSWORD).await;
    }
    assert_eq!(
        sign_in_with_password(&h, "nobody@example.org", PASSWORD)
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // After the wait, the right password works, and still needs the second factor.
    h.clock.advance(Duration::minutes(16));
    let later = sign_in_with_password(&h, EMAIL, PASSWORD).await;
    assert_eq!(later.location(), "/sign-in/code");
}

#[tokio::test]
async fn sessions_end_after_idle_and_absolute_limits() {
    let h = Harness::sqlite().await;
    let (_, _, cookie) = set_up(&h).await;
    h.clock.advance(Duration::minutes(29));
    assert_eq!(
        h.request("GET", "/account", Some(&cookie), None)
            .await
            .status,
        StatusCode::OK
    );
    h.clock.advance(Duration::minutes(31));
    assert_eq!(
        h.request("GET", "/account", Some(&cookie), None)
            .await
            .location(),
        "/sign-in"
    );

    let secret = hidden_secret_of_user(&h).await;
    let cookie = cookie_after_sign_in(&h, &secret).await;
    // Active all day, a request every 20 minutes: the session still ends at 12 hours.
    for step in 1..=40 {
        h.clock.advance(Duration::minutes(20));
        let reply = h.request("GET", "/account", Some(&cookie), None).await;
        if reply.status != StatusCode::OK {
            assert_eq!(reply.location(), "/sign-in");
            assert_eq!(step, 37, "ended after 12 hours, not before");
            return;
        }
    }
    panic!("a session outlived 12 hours");
}

async fn hidden_secret_of_user(h: &Harness) -> TotpSecret {
    let user = h
        .store
        .user_by_email(&Email::parse(EMAIL).unwrap())
        .await
        .unwrap();
    open_stored(h, &user)
}

/// Opens a user's stored TOTP secret with the app's key, as sign-in does.
fn open_stored(h: &Harness, user: &User) -> TotpSecret {
    let context = format!("haven totp secret {}", user.id);
    let plain = h
        .state
        .config()
        .sealer
        .open(context.as_bytes(), user.totp_secret.as_deref().unwrap())
        .unwrap();
    TotpSecret::from_bytes(plain).unwrap()
}

#[tokio::test]
async fn totp_secrets_are_sealed_at_rest_and_bound_to_their_owner() {
    for h in Harness::backends().await {
        let (secret, _, _) = set_up(&h).await;
        let user = h
            .store
            .user_by_email(&Email::parse(EMAIL).unwrap())
            .await
            .unwrap();
        let stored = user.totp_secret.clone().unwrap();
        assert!(stored.starts_with(b"hvs1"), "sealed with a version prefix");
        assert!(
            !stored
                .windows(8)
                .any(|w| secret.to_bytes().windows(8).any(|s| s == w)),
            "no run of the secret is stored in the clear"
        );
        assert_eq!(open_stored(&h, &user), secret);
        // Copied onto another account, it does not open.
        let other = format!("haven totp secret {}", UserId::new_random());
        assert!(
            h.state
                .config()
                .sealer
                .open(other.as_bytes(), &stored)
                .is_err()
        );
        // Sign-in opens it.
        let cookie = cookie_after_sign_in(&h, &secret).await;
        let account = h.request("GET", "/account", Some(&cookie), None).await;
        assert_eq!(account.status, StatusCode::OK);
        h.finish().await;
    }
}

#[tokio::test]
async fn plain_totp_secrets_from_before_sealing_are_sealed_at_start() {
    for h in Harness::backends().await {
        let (secret, _, _) = set_up(&h).await;
        let user = h
            .store
            .user_by_email(&Email::parse(EMAIL).unwrap())
            .await
            .unwrap();
        let sealed = user.totp_secret.clone().unwrap();
        // As an older Haven stored it: the plain bytes.
        assert!(
            h.store
                .replace_totp_secret(user.id, &sealed, &secret.to_bytes())
                .await
                .unwrap()
        );
        // Unsealed, sign-in refuses the code rather than trusting an unsealed value.
        h.clock.advance(Duration::minutes(1));
        let refused = sign_in(&h, &code_at(&secret, h.clock.now())).await;
        assert_ne!(refused.status, StatusCode::SEE_OTHER);

        let sealer = &h.state.config().sealer;
        let report = haven_web::seal_stored_secrets(h.store.as_ref(), sealer)
            .await
            .unwrap();
        assert_eq!(report.sealed, 1);
        let again = haven_web::seal_stored_secrets(h.store.as_ref(), sealer)
            .await
            .unwrap();
        assert_eq!(
            again,
            haven_web::SealReport::default(),
            "nothing left to do"
        );
        let user = h.store.user(user.id).await.unwrap();
        assert!(user.totp_secret.as_deref().unwrap().starts_with(b"hvs1"));
        assert_eq!(open_stored(&h, &user), secret);
        let cookie = cookie_after_sign_in(&h, &secret).await;
        let account = h.request("GET", "/account", Some(&cookie), None).await;
        assert_eq!(account.status, StatusCode::OK);

        // With another key, the stored secret is named as not opening: Haven must not start.
        let wrong = haven_auth::seal::Sealer::ephemeral();
        let rotated = haven_web::seal_stored_secrets(h.store.as_ref(), &wrong).await;
        assert!(rotated.is_err());
        h.finish().await;
    }
}

async fn cookie_after_sign_in(h: &Harness, secret: &TotpSecret) -> String {
    h.clock.advance(Duration::minutes(1));
    let done = sign_in(h, &code_at(secret, h.clock.now())).await;
    format!("haven_session={}", done.cookie("haven_session").unwrap())
}

#[tokio::test]
async fn sign_out_needs_the_csrf_token_and_everywhere_ends_all_sessions() {
    let h = Harness::sqlite().await;
    let (secret, _, first) = set_up(&h).await;
    let second = cookie_after_sign_in(&h, &secret).await;
    let page = h.request("GET", "/account", Some(&first), None).await;
    let marker = r#"name="csrf" value=""#;
    let start = page.body.find(marker).unwrap() + marker.len();
    let csrf = &page.body[start..start + page.body[start..].find('"').unwrap()];

    let forged = h
        .request(
            "POST",
            "/sign-out/everywhere",
            Some(&first),
            Some("csrf=forged"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(
        h.request("GET", "/account", Some(&second), None)
            .await
            .status,
        StatusCode::OK
    );

    let done = h
        .request(
            "POST",
            "/sign-out/everywhere",
            Some(&first),
            Some(&format!("csrf={csrf}")),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    for cookie in [&first, &second] {
        assert_eq!(
            h.request("GET", "/account", Some(cookie), None)
                .await
                .location(),
            "/sign-in"
        );
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused_before_any_handler() {
    let h = Harness::sqlite().await;
    let request = axum::http::Request::post("/sign-in")
        .header("sec-fetch-site", "cross-site")
        .header(
            axum::http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(axum::body::Body::from("email=a%40b.org&password=x"))
        .unwrap();
    let (status, _, _) = h.send(request).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        h.store
            .sign_in_failures("anything")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn sign_ins_and_failures_are_audited_without_personal_data() {
    let h = Harness::sqlite().await;
    let (secret, _, _) = set_up(&h).await;
    sign_in_with_password(&h, EMAIL, "wrong password entirely").await;
    cookie_after_sign_in(&h, &secret).await;
    let entries = h.store.audit_entries("site").await.unwrap();
    verify_chain(&entries).unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "site_admin_created",
            "password_set",
            "second_factor_set",
            "sign_in",
            "sign_in_failed",
            "sign_in"
        ]
    );
    for entry in &entries {
        let text = format!("{entry:?}");
        assert!(
            !text.contains("amina"),
            "no e-mail address in the audit log: {text}"
        );
    }
}

#[tokio::test]
async fn site_admins_work_through_the_report_queue() {
    let h = Harness::sqlite().await;
    let service = h.seed_service().await;
    let sent = h
        .request(
            "POST",
            &format!("/services/{}/report", service.id),
            None,
            Some("reason=closed&details=Moved+away"),
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let (_, _, admin) = set_up(&h).await;
    let queue = h.request("GET", "/admin/reports", Some(&admin), None).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains("English classes for Roma children"));
    assert!(queue.body.contains("Moved away"));
    let marker = r#"name="csrf" value=""#;
    let start = queue.body.find(marker).unwrap() + marker.len();
    let csrf = &queue.body[start..start + queue.body[start..].find('"').unwrap()];
    let action = queue.body.find("/admin/reports/").unwrap();
    let path = &queue.body[action..action + queue.body[action..].find('"').unwrap()];
    let resolved = h
        .request("POST", path, Some(&admin), Some(&format!("csrf={csrf}")))
        .await;
    assert_eq!(resolved.status, StatusCode::SEE_OTHER);
    let after = h.request("GET", "/admin/reports", Some(&admin), None).await;
    assert!(after.body.contains("No reports are waiting."));
    let actions: Vec<String> = h
        .store
        .audit_entries("site")
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"report_resolved".to_owned()));
}
