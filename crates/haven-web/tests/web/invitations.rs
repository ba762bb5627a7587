//! An invitation to an address that already has an account: the person signs in and lands
//! back on the invitation to accept it. `next` only ever leads to a path on this site.

use axum::http::StatusCode;
use haven_auth::totp::{TotpSecret, code_at};
use haven_domain::clock::Clock;
use time::Duration;

use crate::harness::{Harness, Reply, form};
use crate::organisations::{
    PASSWORD, get, link_in, post, set_up_at, site_admin_account, value_after,
};

/// Signs in as `email` with `next` on both steps, as the pages carry it; returns both replies.
async fn sign_in_with_next(
    h: &Harness,
    email: &str,
    secret: &TotpSecret,
    next: &str,
) -> (Reply, Reply) {
    let first = post(
        h,
        "/sign-in",
        None,
        &form(&[("email", email), ("password", PASSWORD), ("next", next)]),
    )
    .await;
    let partial = format!("haven_session={}", first.cookie("haven_session").unwrap());
    h.clock.advance(Duration::seconds(31));
    let code = code_at(secret, h.clock.now());
    let second = post(
        h,
        "/sign-in/code",
        Some(&partial),
        &form(&[("code", &code), ("next", next)]),
    )
    .await;
    (first, second)
}

#[tokio::test]
async fn an_invited_account_signs_in_and_lands_back_on_the_invitation() {
    for h in Harness::backends().await {
        let (site_secret, admin) = site_admin_account(&h).await;
        // Compas applies, is approved, and Amina sets up.
        post(
            &h,
            "/organisations/sign-up",
            None,
            &form(&[("name", "Compas"), ("email", "amina@example.org")]),
        )
        .await;
        let list = get(&h, "/admin/organisations", &admin).await;
        let csrf = value_after(&list.body, r#"name="csrf" value=""#).to_owned();
        let compas = h.store.tenants(None).await.unwrap()[0].id;
        post(
            &h,
            &format!("/admin/organisations/{compas}/approve"),
            Some(&admin),
            &format!("csrf={csrf}"),
        )
        .await;
        let approval = h
            .wait_for_mail(|m| {
                m.contains("To: amina@example.org") && m.contains("/account/set-up/")
            })
            .await;
        let (_, amina) = set_up_at(&h, &link_in(&approval, "/account/set-up/")).await;

        // Amina invites the site admin's existing account.
        let members = format!("/organisations/{compas}/members");
        let page = get(&h, &members, &amina).await;
        let csrf = value_after(&page.body, r#"name="csrf" value=""#).to_owned();
        let invited = post(
            &h,
            &members,
            Some(&amina),
            &form(&[
                ("csrf", &csrf),
                ("email", "site@example.org"),
                ("role", "viewer"),
            ]),
        )
        .await;
        assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.body);
        let mail = h
            .wait_for_mail(|m| m.contains("To: site@example.org") && m.contains("/invitations/"))
            .await;
        let invitation = link_in(&mail, "/invitations/");

        // Signed out, the invitation's sign-in link comes back to it.
        let page = h.request("GET", &invitation, None, None).await;
        assert_eq!(page.status, StatusCode::OK);
        let sign_in = value_after(&page.body, r#"<p><a href=""#).replace("&amp;", "&");
        assert!(
            sign_in.starts_with("/sign-in?next=%2Finvitations%2F"),
            "{sign_in}"
        );
        let form_page = h.request("GET", &sign_in, None, None).await;
        assert!(
            form_page
                .body
                .contains(&format!(r#"name="next" value="{invitation}""#)),
            "{}",
            form_page.body
        );
        let (first, second) =
            sign_in_with_next(&h, "site@example.org", &site_secret, &invitation).await;
        assert!(
            first
                .location()
                .starts_with("/sign-in/code?next=%2Finvitations%2F"),
            "{}",
            first.location()
        );
        assert_eq!(second.status, StatusCode::SEE_OTHER);
        assert_eq!(second.location(), invitation);
        let cookie = format!("haven_session={}", second.cookie("haven_session").unwrap());
        let page = get(&h, &invitation, &cookie).await;
        assert!(page.body.contains(r#"name="csrf""#), "Accept is offered");
        let csrf = value_after(&page.body, r#"name="csrf" value=""#).to_owned();
        let accepted = post(&h, &invitation, Some(&cookie), &format!("csrf={csrf}")).await;
        assert_eq!(accepted.location(), format!("/organisations/{compas}"));
        let site_user = h
            .store
            .user_by_email(&haven_domain::accounts::Email::parse("site@example.org").unwrap())
            .await
            .unwrap();
        assert_eq!(h.store.memberships_of(site_user.id).await.unwrap().len(), 1);
        h.finish().await;
    }
}

#[tokio::test]
async fn next_never_leads_off_the_site() {
    let h = Harness::sqlite().await;
    let (secret, _) = site_admin_account(&h).await;
    for attempt in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/x\r\nSet-Cookie: haven_session=planted",
    ] {
        let (first, second) = sign_in_with_next(&h, "site@example.org", &secret, attempt).await;
        assert_eq!(first.location(), "/sign-in/code", "{attempt:?}");
        assert_eq!(second.status, StatusCode::SEE_OTHER, "{attempt:?}");
        assert_eq!(second.location(), "/account", "{attempt:?}");
        // Nor through the query string of the pages themselves.
        let cookie = format!("haven_session={}", second.cookie("haven_session").unwrap());
        let encoded = serde_html_form::to_string([("next", attempt)]).unwrap();
        for page in ["/sign-in", "/sign-in/code"] {
            let reply = get(&h, &format!("{page}?{encoded}"), &cookie).await;
            assert_eq!(reply.location(), "/account", "{page} {attempt:?}");
        }
        let signed_out = h
            .request("GET", &format!("/sign-in?{encoded}"), None, None)
            .await;
        assert!(!signed_out.body.contains(r#"name="next""#), "{attempt:?}");
    }
    h.finish().await;
}
