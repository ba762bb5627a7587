//! Sign-up and password-reset requests: throttled per address and per network address with a
//! message in the person's language, and a reset request answered the same, at once, whether
//! or not the account exists.

use std::net::{IpAddr, Ipv4Addr};

use axum::http::StatusCode;
use haven_domain::accounts::Email;
use time::Duration;

use crate::harness::{Harness, Reply, form};

async fn reset(h: &Harness, email: &str, peer: Option<IpAddr>) -> Reply {
    h.request_from(
        "POST",
        "/account/reset",
        None,
        Some(&form(&[("email", email)])),
        peer,
    )
    .await
}

/// An account with a password, as if set up.
async fn account(h: &Harness, email: &str) {
    let user = crate::organisations::plain_user(email, Some("$argon2id$v=19$stub"));
    h.store
        .create_user(
            &user,
            &crate::organisations::site("user_created", user.created_at),
        )
        .await
        .unwrap();
}

/// The reply without what differs per request anyway (the request id).
fn shape(reply: &Reply) -> (StatusCode, Vec<(String, String)>, String) {
    let mut headers: Vec<(String, String)> = reply
        .headers
        .iter()
        .filter(|(name, _)| name.as_str() != "x-request-id")
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
        .collect();
    headers.sort();
    (reply.status, headers, reply.body.clone())
}

#[tokio::test]
async fn reset_answers_the_same_whether_or_not_the_account_exists() {
    for h in Harness::backends().await {
        account(&h, "amina@example.org").await;
        let known = reset(&h, "amina@example.org", None).await;
        let unknown = reset(&h, "nobody@example.org", None).await;
        assert_eq!(known.status, StatusCode::OK);
        assert_eq!(shape(&known), shape(&unknown));
        // The link goes out, off the request path, only to the account that exists: once the
        // background work of both requests is done, amina has mail and nobody has none.
        let background = h.state.background();
        background.close();
        tokio::time::timeout(std::time::Duration::from_secs(10), background.wait())
            .await
            .expect("the reset work finished");
        assert!(background.is_empty(), "the reset work finished");
        background.reopen();
        let mail = h.mail();
        assert!(
            mail.iter()
                .any(|m| m.contains("To: amina@example.org") && m.contains("/account/reset/")),
            "{mail:?}"
        );
        assert!(!mail.iter().any(|m| m.contains("nobody@example.org")));
        h.finish().await;
    }
}

#[tokio::test]
async fn reset_requests_are_throttled_per_address_and_per_network_address() {
    for h in Harness::backends().await {
        account(&h, "amina@example.org").await;
        for _ in 0..3 {
            assert_eq!(
                reset(&h, "amina@example.org", None).await.status,
                StatusCode::OK
            );
        }
        let refused = reset(&h, "amina@example.org", None).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            refused.body.contains("Too many requests") && refused.body.contains("60 minute"),
            "{}",
            refused.body
        );
        // Throttled the same for an address with no account: it reveals nothing.
        for _ in 0..3 {
            reset(&h, "nobody@example.org", None).await;
        }
        let nobody = reset(&h, "nobody@example.org", None).await;
        assert_eq!(nobody.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            refused.body.replace("amina", "nobody"),
            nobody.body,
            "same refusal"
        );
        // In the person's language.
        let arabic = h
            .request(
                "POST",
                "/account/reset",
                Some("haven_lang=ar"),
                Some(&form(&[("email", "amina@example.org")])),
            )
            .await;
        assert_eq!(arabic.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(arabic.body.contains("طلبات كثيرة جداً"), "{}", arabic.body);
        // An hour after the last admitted request, it is admitted again.
        h.clock.advance(Duration::minutes(61));
        assert_eq!(
            reset(&h, "amina@example.org", None).await.status,
            StatusCode::OK
        );

        // Per network address: ten requests for different addresses, then a wait.
        let peer = Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7)));
        for i in 0..10 {
            let reply = reset(&h, &format!("p{i}@example.org"), peer).await;
            assert_eq!(reply.status, StatusCode::OK);
        }
        let flood = reset(&h, "p10@example.org", peer).await;
        assert_eq!(flood.status, StatusCode::TOO_MANY_REQUESTS);
        let elsewhere = reset(
            &h,
            "p10@example.org",
            Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 8))),
        )
        .await;
        assert_eq!(elsewhere.status, StatusCode::OK);

        // Someone asking for zara's reset from their network cannot lock zara out of hers...
        let attacker = Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 66)));
        let zara = Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 5)));
        for _ in 0..3 {
            assert_eq!(
                reset(&h, "zara@example.org", attacker).await.status,
                StatusCode::OK
            );
        }
        assert_eq!(
            reset(&h, "zara@example.org", attacker).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(
            reset(&h, "zara@example.org", zara).await.status,
            StatusCode::OK
        );
        // ...but from many networks together her mailbox is not flooded: ten in all.
        for last in 1..=6u8 {
            assert_eq!(
                reset(
                    &h,
                    "zara@example.org",
                    Some(IpAddr::V4(Ipv4Addr::new(198, 18, 0, last)))
                )
                .await
                .status,
                StatusCode::OK
            );
        }
        assert_eq!(
            reset(
                &h,
                "zara@example.org",
                Some(IpAddr::V4(Ipv4Addr::new(198, 18, 1, 1)))
            )
            .await
            .status,
            StatusCode::TOO_MANY_REQUESTS
        );
        h.finish().await;
    }
}

async fn sign_up(h: &Harness, name: &str, email: &str) -> Reply {
    h.request(
        "POST",
        "/organisations/sign-up",
        None,
        Some(&form(&[("name", name), ("email", email)])),
    )
    .await
}

#[tokio::test]
async fn sign_ups_are_throttled_and_the_refusal_writes_nothing() {
    for h in Harness::backends().await {
        for i in 0..3 {
            let reply = sign_up(&h, &format!("Group {i}"), "amina@example.org").await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        }
        let tenants = h.store.tenants(None).await.unwrap().len();
        let refused = sign_up(&h, "Group 4", "amina@example.org").await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            refused.body.contains("Too many requests"),
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("Group 4"),
            "the form keeps what was typed"
        );
        assert_eq!(h.store.tenants(None).await.unwrap().len(), tenants);
        // Another applicant is not held up by this one.
        assert_eq!(
            sign_up(&h, "Other group", "other@example.org").await.status,
            StatusCode::OK
        );
        assert!(
            h.store
                .user_by_email(&Email::parse("other@example.org").unwrap())
                .await
                .is_ok()
        );
        h.finish().await;
    }
}
