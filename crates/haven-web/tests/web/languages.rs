//! E-mails in the recipient's language: the language used to sign up or set up is kept on the
//! account and can be changed on the account page; an inviter chooses the invitee's language;
//! approval, rejection and password-reset messages follow the recipient, not whoever caused
//! them. Read back from the outbox.

use axum::http::StatusCode;
use haven_domain::accounts::{Email, TenantStatus};

use crate::harness::{Harness, form};
use crate::organisations::{get, link_in, post, set_up_at, site_admin, value_after};

async fn tenant_named(h: &Harness, name: &str) -> haven_domain::TenantId {
    h.store
        .tenants(None)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name.as_str() == name)
        .unwrap()
        .id
}

async fn language_of(h: &Harness, email: &str) -> Option<String> {
    h.store
        .user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .language
}

/// The newest message to `to`, waiting for it if it is sent off the request path.
async fn newest_to(h: &Harness, to: &str, containing: &str) -> String {
    h.wait_for_mail(|m| m.contains(&format!("To: {to}")) && m.contains(containing))
        .await
}

#[tokio::test]
async fn e_mails_are_written_in_the_recipients_language() {
    for h in Harness::backends().await {
        let admin = site_admin(&h).await;
        // Two applicants, both reading Haven in Arabic.
        for (name, email) in [
            ("Compas", "amina@example.org"),
            ("Other", "omar@example.org"),
        ] {
            let applied = h
                .request(
                    "POST",
                    "/organisations/sign-up",
                    Some("haven_lang=ar"),
                    Some(&form(&[("name", name), ("email", email)])),
                )
                .await;
            assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
            assert_eq!(language_of(&h, email).await.as_deref(), Some("ar"));
        }

        // The site admin, in English, approves one and rejects the other: each applicant reads
        // the answer in Arabic.
        let list = get(&h, "/admin/organisations", &admin).await;
        let csrf = value_after(&list.body, r#"name="csrf" value=""#).to_owned();
        let compas = tenant_named(&h, "Compas").await;
        let other = tenant_named(&h, "Other").await;
        let approved = post(
            &h,
            &format!("/admin/organisations/{compas}/approve"),
            Some(&admin),
            &format!("csrf={csrf}"),
        )
        .await;
        assert_eq!(approved.status, StatusCode::SEE_OTHER);
        let approval = newest_to(&h, "amina@example.org", "/account/set-up/").await;
        assert!(approval.contains("تمت الموافقة على Compas"), "{approval}");
        let rejected = post(
            &h,
            &format!("/admin/organisations/{other}/reject"),
            Some(&admin),
            &format!("csrf={csrf}"),
        )
        .await;
        assert_eq!(rejected.status, StatusCode::SEE_OTHER);
        assert_eq!(
            h.store.tenant(other).await.unwrap().status,
            TenantStatus::Rejected
        );
        let rejection = newest_to(&h, "omar@example.org", "Other").await;
        assert!(
            rejection.contains("لم تتم الموافقة على طلب Other"),
            "{rejection}"
        );
        // The message is audited in the organisation's chain, by id only.
        let entries = h.store.audit_entries(&other.to_string()).await.unwrap();
        let told = entries
            .iter()
            .find(|e| e.action == "applicant_told_of_rejection")
            .expect("the rejection e-mail is audited");
        let omar = h
            .store
            .user_by_email(&Email::parse("omar@example.org").unwrap())
            .await
            .unwrap();
        assert_eq!(
            told.subject_id.as_deref(),
            Some(omar.id.to_string().as_str())
        );
        // Deciding again sends nothing more.
        let before = h.mail().len();
        let again = post(
            &h,
            &format!("/admin/organisations/{other}/reject"),
            Some(&admin),
            &format!("csrf={csrf}"),
        )
        .await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
        assert_eq!(h.mail().len(), before);

        // Amina sets up in an English browser (so English becomes her language), then chooses
        // Arabic on her account page.
        let link = link_in(&approval, "/account/set-up/");
        let (_, amina) = set_up_at(&h, &link).await;
        assert_eq!(
            language_of(&h, "amina@example.org").await.as_deref(),
            Some("en")
        );
        let account = get(&h, "/account", &amina).await;
        assert!(account.body.contains(r#"action="/account/language""#));
        let csrf = value_after(&account.body, r#"name="csrf" value=""#).to_owned();
        let bad = post(
            &h,
            "/account/language",
            Some(&amina),
            &format!("csrf={csrf}&language=xx"),
        )
        .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let changed = post(
            &h,
            "/account/language",
            Some(&amina),
            &format!("csrf={csrf}&language=ar"),
        )
        .await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER);
        assert_eq!(
            language_of(&h, "amina@example.org").await.as_deref(),
            Some("ar")
        );

        // A reset requested from an English browser is written in Arabic, her language.
        let asked = post(
            &h,
            "/account/reset",
            None,
            &form(&[("email", "amina@example.org")]),
        )
        .await;
        assert_eq!(asked.status, StatusCode::OK);
        let reset = newest_to(&h, "amina@example.org", "/account/reset/").await;
        assert!(reset.contains("إعادة تعيين كلمة مرور"), "{reset}");

        // Amina, browsing in English, invites someone in Arabic.
        let members = format!("/organisations/{compas}/members");
        let page = get(&h, &members, &amina).await;
        assert!(page.body.contains(r#"<option value="ar" lang="ar""#));
        let csrf = value_after(&page.body, r#"name="csrf" value=""#).to_owned();
        let invited = post(
            &h,
            &members,
            Some(&amina),
            &form(&[
                ("csrf", &csrf),
                ("email", "layla@example.org"),
                ("role", "caseworker"),
                ("language", "ar"),
            ]),
        )
        .await;
        assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.body);
        let invitation = newest_to(&h, "layla@example.org", "/invitations/").await;
        assert!(
            invitation.contains("دُعيت للانضمام إلى Compas"),
            "{invitation}"
        );
        assert_eq!(
            language_of(&h, "layla@example.org").await.as_deref(),
            Some("ar")
        );
        let unknown = post(
            &h,
            &members,
            Some(&amina),
            &form(&[
                ("csrf", &csrf),
                ("email", "sami@example.org"),
                ("role", "caseworker"),
                ("language", "klingon"),
            ]),
        )
        .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        assert!(unknown.body.contains(r##"href="#language""##));
        h.finish().await;
    }
}
