//! Organisations editing their own directory listing through HTTP: creating the listing, adding
//! and editing a service that the public search shows at once, confidential locations that never
//! publish their point, removal, and 404 for everyone else.

use axum::http::StatusCode;
use haven_domain::accounts::{Email, Membership, Role, SessionRecord, Tenant, TenantStatus, User};
use haven_domain::clock::Clock;
use haven_domain::{TenantId, Text, UserId};

use crate::harness::{Harness, Reply, form};
use crate::organisations::site;

/// A signed-in person: their session cookie and CSRF token.
pub struct Person {
    pub cookie: String,
    pub csrf: String,
}

pub async fn approved_tenant(h: &Harness, name: &str) -> TenantId {
    let now = h.clock.now();
    let tenant = Tenant {
        id: TenantId::new_random(),
        name: Text::parse(name, 200).unwrap(),
        status: TenantStatus::Approved,
        listing: None,
        created_at: now,
    };
    h.store
        .create_tenant(&tenant, &site("organisation_signed_up", now))
        .await
        .unwrap();
    tenant.id
}

/// A fully signed-in member of `tenant` with `role`.
pub async fn member(h: &Harness, tenant: TenantId, role: Role, email: &str) -> Person {
    let now = h.clock.now();
    let user = User {
        id: UserId::new_random(),
        email: Email::parse(email).unwrap(),
        password_hash: None,
        totp_secret: None,
        totp_last_step: None,
        site_admin: false,
        language: None,
        created_at: now,
    };
    h.store
        .create_user(&user, &site("user_created", now))
        .await
        .unwrap();
    h.store
        .set_membership(
            &Membership {
                user: user.id,
                tenant,
                role,
            },
            &site("member_added", now),
        )
        .await
        .unwrap();
    let token = haven_auth::token::new_token();
    let csrf = haven_auth::token::new_token().secret;
    h.store
        .create_session(&SessionRecord {
            digest: token.digest,
            user: user.id,
            tenant: None,
            csrf_token: csrf.clone(),
            second_factor_done: true,
            created_at: now,
            last_seen_at: now,
            authenticated_at: now,
        })
        .await
        .unwrap();
    Person {
        cookie: format!("haven_session={}", token.secret),
        csrf,
    }
}

pub async fn post(h: &Harness, who: &Person, path: &str, pairs: &[(&str, &str)]) -> Reply {
    let mut all = vec![("csrf", who.csrf.as_str())];
    all.extend_from_slice(pairs);
    h.request("POST", path, Some(&who.cookie), Some(&form(&all)))
        .await
}

pub async fn get(h: &Harness, who: &Person, path: &str) -> Reply {
    h.request("GET", path, Some(&who.cookie), None).await
}

/// A tenant with an admin and a listing; returns the tenant, the admin and the listing's path.
pub async fn with_listing(h: &Harness) -> (TenantId, Person, String) {
    let tenant = approved_tenant(h, "Leeds Sanctuary").await;
    let admin = member(
        h,
        tenant,
        Role::OrganisationAdmin,
        "admin@leeds.example.org",
    )
    .await;
    let path = format!("/organisations/{tenant}/listing");
    let page = get(h, &admin, &path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(r#"action="/organisations/"#));
    let created = post(
        h,
        &admin,
        &path,
        &[
            ("name", "Leeds Sanctuary"),
            (
                "description",
                "Advice and friendship for people seeking sanctuary in Leeds.",
            ),
        ],
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    (tenant, admin, path)
}

pub const CLINIC: &[(&str, &str)] = &[
    ("name", "Drop-in legal clinic"),
    (
        "description",
        "Free immigration advice, no appointment needed.",
    ),
    ("need", "legal-advice"),
    ("need", "housing"),
    ("open_to", "asylum-seeker"),
    ("open_to", "refused-asylum-seeker"),
    ("language", "ar"),
    ("language", "fa"),
    ("phone", "0113 496 0000"),
    ("day", "MO"),
    ("day", "WE"),
    ("opens", "10:00"),
    ("closes", "16:00"),
    ("place", "PE1 1AA"),
];

/// The id of the service called `name` on the listing page.
fn service_id(page: &str, name: &str) -> String {
    let end = page
        .find(&format!("\">{name}</a>"))
        .unwrap_or_else(|| panic!("{name} in {page}"));
    let start = page[..end].rfind("/services/").unwrap() + "/services/".len();
    page[start..end].to_owned()
}

#[tokio::test]
async fn an_admin_adds_a_service_that_the_public_finds_at_once_and_edits_it() {
    let h = Harness::with_demo().await;
    let (tenant, admin, path) = with_listing(&h).await;
    let saved = post(&h, &admin, &format!("{path}/services"), CLINIC).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let listing = get(&h, &admin, &path).await;
    let id = service_id(&listing.body, "Drop-in legal clinic");

    // Public search near the postcode, with its needs, languages and the date checked.
    let search = h.request("GET", "/search?place=PE1", None, None).await;
    assert!(
        search.body.contains("Drop-in legal clinic"),
        "{}",
        search.body
    );
    let page = h
        .request("GET", &format!("/services/{id}"), None, None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Asylum and immigration legal advice",
        "Housing",
        "العربية",
        "0113 496 0000",
        "Details checked on",
        "2026-11-22",
        "Leeds Sanctuary",
    ] {
        assert!(page.body.contains(text), "{text} in {}", page.body);
    }
    let filtered = h
        .request(
            "GET",
            "/search?place=PE1&need=housing&language=fa",
            None,
            None,
        )
        .await;
    assert!(filtered.body.contains("Drop-in legal clinic"));
    // Stored as HSDS: checked today by the editor.
    let dataset = h.store.dataset().await.unwrap();
    let service = dataset
        .service
        .iter()
        .find(|s| s.id.to_string() == id)
        .unwrap();
    assert_eq!(
        service.assurer_email.as_ref().map(|e| e.as_str()),
        Some("admin@leeds.example.org")
    );

    // The edit form shows what was saved; an edit replaces needs and languages.
    let edit = get(&h, &admin, &format!("{path}/services/{id}")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(
        edit.body.contains(r#"value="legal-advice" checked"#),
        "{}",
        edit.body
    );
    assert!(edit.body.contains(r#"value="PE1 1AA""#), "{}", edit.body);
    let mut changed: Vec<(&str, &str)> = CLINIC
        .iter()
        .filter(|pair| !matches!(pair, ("need", "housing") | ("language", "fa")))
        .copied()
        .collect();
    changed[0] = ("name", "Legal advice clinic");
    changed.push(("remote", "1"));
    let saved = post(&h, &admin, &format!("{path}/services/{id}"), &changed).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = h
        .request("GET", &format!("/services/{id}"), None, None)
        .await;
    assert!(page.body.contains("Legal advice clinic"));
    assert!(
        !page.body.contains(">Housing<") && !page.body.contains(", Housing"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("فارسی"), "{}", page.body);

    // Audited in the tenant's chain, ids only.
    let entries = h.store.audit_entries(&tenant.to_string()).await.unwrap();
    let text = format!("{entries:?}");
    assert!(
        text.contains("listing_service_created") && text.contains("listing_service_updated"),
        "{text}"
    );
    assert!(
        !text.contains("Legal advice clinic") && !text.contains("0113"),
        "{text}"
    );
}

#[tokio::test]
async fn mistakes_are_named_and_nothing_is_written() {
    let h = Harness::with_demo().await;
    let (_, admin, path) = with_listing(&h).await;
    let before = h.store.dataset().await.unwrap().record_count();
    let bad = post(
        &h,
        &admin,
        &format!("{path}/services"),
        &[
            ("name", "Kept name"),
            ("need", "not-a-need"),
            ("phone", "call us"),
            ("day", "MO"),
            ("opens", "17:00"),
            ("closes", "09:00"),
            ("place", "Zzqx Nowhere"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    for field in ["#needs", "#phone", "#opens", "#place"] {
        assert!(bad.body.contains(field), "{field} in {}", bad.body);
    }
    assert!(bad.body.contains(r#"value="Kept name""#));
    assert!(bad.body.contains(r#"value="call us""#));
    assert_eq!(h.store.dataset().await.unwrap().record_count(), before);
}

#[tokio::test]
async fn a_confidential_location_never_shows_its_point() {
    let h = Harness::with_demo().await;
    let (_, admin, path) = with_listing(&h).await;
    let mut refuge: Vec<(&str, &str)> = CLINIC.to_vec();
    refuge[0] = ("name", "Safe house");
    refuge.push(("confidential", "1"));
    let saved = post(&h, &admin, &format!("{path}/services"), &refuge).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let id = service_id(&get(&h, &admin, &path).await.body, "Safe house");
    let point = haven_web::shared_gazetteer()
        .unwrap()
        .resolve("PE1 1AA")
        .unwrap()
        .point;
    let (lat, lon) = (point.lat().to_string(), point.lon().to_string());
    // Stored precisely, for the organisation's own use...
    let stored = serde_json::to_string(&h.store.dataset().await.unwrap()).unwrap();
    assert!(stored.contains(&lat), "the test would prove nothing");
    // ...but never published.
    for uri in [
        format!("/services/{id}"),
        format!("/api/services/{id}"),
        "/search?place=PE1".to_owned(),
        "/api/services".to_owned(),
    ] {
        let reply = h.request("GET", &uri, None, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert!(
            !reply.body.contains(&lat) && !reply.body.contains(&lon),
            "{uri} shows the point"
        );
        assert!(!reply.body.contains("PE1 1AA"), "{uri} shows the postcode");
    }
}

#[tokio::test]
async fn an_admin_removes_only_their_own_services() {
    let h = Harness::with_demo().await;
    let (_, admin, path) = with_listing(&h).await;
    post(&h, &admin, &format!("{path}/services"), CLINIC).await;
    let id = service_id(&get(&h, &admin, &path).await.body, "Drop-in legal clinic");
    // A demo service belongs to another listing: 404, and it stays.
    // (Any service but the new one: ids are random, so the new one may sort first.)
    let demo = h
        .store
        .dataset()
        .await
        .unwrap()
        .service
        .iter()
        .find(|s| s.id.to_string() != id)
        .unwrap()
        .id;
    let other = post(&h, &admin, &format!("{path}/services/{demo}/remove"), &[]).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let removed = post(&h, &admin, &format!("{path}/services/{id}/remove"), &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let dataset = h.store.dataset().await.unwrap();
    assert!(dataset.service.iter().any(|s| s.id == demo));
    assert!(dataset.service.iter().all(|s| s.id.to_string() != id));
    assert!(
        dataset
            .language
            .iter()
            .all(|l| l.service_id.map(|s| s.to_string()) != Some(id.clone()))
    );
    let page = h
        .request("GET", &format!("/services/{id}"), None, None)
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn caseworkers_and_other_organisations_get_404() {
    let h = Harness::with_demo().await;
    let (tenant, admin, path) = with_listing(&h).await;
    post(&h, &admin, &format!("{path}/services"), CLINIC).await;
    let id = service_id(&get(&h, &admin, &path).await.body, "Drop-in legal clinic");
    let caseworker = member(&h, tenant, Role::Caseworker, "case@leeds.example.org").await;
    let other_tenant = approved_tenant(&h, "Elsewhere").await;
    let other = member(
        &h,
        other_tenant,
        Role::OrganisationAdmin,
        "admin@elsewhere.example.org",
    )
    .await;
    for who in [&caseworker, &other] {
        for uri in [
            path.clone(),
            format!("{path}/services/new"),
            format!("{path}/services/{id}"),
        ] {
            assert_eq!(
                get(&h, who, &uri).await.status,
                StatusCode::NOT_FOUND,
                "{uri}"
            );
        }
        let edit = post(&h, who, &format!("{path}/services/{id}"), CLINIC).await;
        assert_eq!(edit.status, StatusCode::NOT_FOUND);
        let remove = post(&h, who, &format!("{path}/services/{id}/remove"), &[]).await;
        assert_eq!(remove.status, StatusCode::NOT_FOUND);
    }
    // Another organisation's admin cannot reach this service through their own listing either.
    let other_path = format!("/organisations/{other_tenant}/listing");
    let reply = get(&h, &other, &format!("{other_path}/services/{id}")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

/// Calls the listing API with `secret` as the bearer token.
async fn api(h: &Harness, secret: &str) -> Reply {
    let request = axum::http::Request::get("/api/organisation/listing")
        .header("authorization", format!("Bearer {secret}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, headers, body) = h.send(request).await;
    Reply {
        status,
        headers,
        body,
    }
}

/// Creates a token through the page; returns its secret.
async fn create_token(h: &Harness, admin: &Person, tenant: TenantId, days: &str) -> String {
    let reply = post(
        h,
        admin,
        &format!("/organisations/{tenant}/tokens"),
        &[
            ("name", "Website sync"),
            ("scope", "listings:read"),
            ("days", days),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let start = reply.body.find(r#"id="secret">"#).unwrap() + r#"id="secret">"#.len();
    let end = start + reply.body[start..].find('<').unwrap();
    reply.body[start..end].to_owned()
}

#[tokio::test]
async fn a_token_reads_the_listing_until_it_expires_or_is_revoked() {
    let h = Harness::with_demo().await;
    let (tenant, admin, path) = with_listing(&h).await;
    let mut refuge: Vec<(&str, &str)> = CLINIC.to_vec();
    refuge.push(("confidential", "1"));
    post(&h, &admin, &format!("{path}/services"), &refuge).await;

    let secret = create_token(&h, &admin, tenant, "30").await;
    assert!(secret.len() >= 43, "256 bits");
    let reply = api(&h, &secret).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(json["name"], "Leeds Sanctuary");
    assert!(
        reply.body.contains("Drop-in legal clinic"),
        "{}",
        reply.body
    );
    let point = haven_web::shared_gazetteer()
        .unwrap()
        .resolve("PE1 1AA")
        .unwrap()
        .point;
    assert!(!reply.body.contains(&point.lat().to_string()));

    // Listed with its last use, never with its secret.
    let page = get(&h, &admin, &format!("/organisations/{tenant}/tokens")).await;
    assert!(page.body.contains("Website sync") && page.body.contains("listings:read"));
    assert!(page.body.contains("2026-11-22"));
    assert!(!page.body.contains(&secret));

    // Wrong, missing, expired, revoked: 401 problem+json.
    assert_eq!(
        api(&h, "not-a-token").await.status,
        StatusCode::UNAUTHORIZED
    );
    let none = h
        .request(
            "GET",
            "/api/organisation/listing",
            Some(&admin.cookie),
            None,
        )
        .await;
    assert_eq!(
        none.status,
        StatusCode::UNAUTHORIZED,
        "a session is not a token"
    );
    assert!(
        none.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("problem+json")
    );
    h.clock.advance(time::Duration::days(31));
    assert_eq!(api(&h, &secret).await.status, StatusCode::UNAUTHORIZED);
    // The clock moved past the sign-in window: a fresh session for the admin.
    let admin = member(
        &h,
        tenant,
        Role::OrganisationAdmin,
        "second@leeds.example.org",
    )
    .await;
    let second = create_token(&h, &admin, tenant, "365").await;
    assert_eq!(api(&h, &second).await.status, StatusCode::OK);
    let page = get(&h, &admin, &format!("/organisations/{tenant}/tokens")).await;
    let marker = "/tokens/";
    let ids: Vec<&str> = page
        .body
        .match_indices(marker)
        .map(|(i, _)| &page.body[i + marker.len()..i + marker.len() + 36])
        .collect();
    assert_eq!(ids.len(), 1, "only the usable token can be revoked");
    let revoked = post(
        &h,
        &admin,
        &format!("/organisations/{tenant}/tokens/{}/revoke", ids[0]),
        &[],
    )
    .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
    assert_eq!(api(&h, &second).await.status, StatusCode::UNAUTHORIZED);

    // Audited by id; the secrets appear nowhere in the audit log.
    let entries = format!(
        "{:?}",
        h.store.audit_entries(&tenant.to_string()).await.unwrap()
    );
    assert!(entries.contains("api_token_created") && entries.contains("api_token_revoked"));
    assert!(!entries.contains(&secret) && !entries.contains(&second));
}

#[tokio::test]
async fn token_forms_are_validated_and_other_organisations_cannot_revoke() {
    let h = Harness::with_demo().await;
    let (tenant, admin, _) = with_listing(&h).await;
    let bad = post(
        &h,
        &admin,
        &format!("/organisations/{tenant}/tokens"),
        &[("name", ""), ("scope", "everything"), ("days", "400")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    for field in ["#name", "#scopes", "#days"] {
        assert!(bad.body.contains(field), "{field}");
    }
    create_token(&h, &admin, tenant, "30").await;
    let token = h.store.api_tokens_of(tenant).await.unwrap()[0].id;
    let other_tenant = approved_tenant(&h, "Elsewhere").await;
    let other = member(
        &h,
        other_tenant,
        Role::OrganisationAdmin,
        "admin@elsewhere.example.org",
    )
    .await;
    let reply = post(
        &h,
        &other,
        &format!("/organisations/{other_tenant}/tokens/{token}/revoke"),
        &[],
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let caseworker = member(&h, tenant, Role::Caseworker, "case@leeds.example.org").await;
    let page = get(&h, &caseworker, &format!("/organisations/{tenant}/tokens")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(
        h.store.api_tokens_of(tenant).await.unwrap()[0]
            .revoked_at
            .is_none()
    );
}

/// Everything logged on this thread, at every level.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn token_secrets_never_reach_the_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    // Global, because a thread-local subscriber misses callsites whose interest other tests'
    // threads have already cached; the only test that sets one, and it is harmless to the rest.
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let h = Harness::with_demo().await;
    let (tenant, admin, _) = with_listing(&h).await;
    let secret = create_token(&h, &admin, tenant, "30").await;
    assert_eq!(api(&h, &secret).await.status, StatusCode::OK);
    let wrong = format!("{secret}x");
    assert_eq!(api(&h, &wrong).await.status, StatusCode::UNAUTHORIZED);
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains(r#""/api/organisation/listing""#),
        "the subscriber saw the request spans' route template: {logs}"
    );
    assert!(!logs.contains(&secret), "{logs}");
    assert!(
        !logs.contains(&haven_auth::token::digest(&secret)),
        "{logs}"
    );
}

#[tokio::test]
async fn the_pages_speak_arabic() {
    let h = Harness::with_demo().await;
    let (tenant, admin, path) = with_listing(&h).await;
    let arabic = Person {
        cookie: format!("{}; haven_lang=ar", admin.cookie),
        csrf: admin.csrf.clone(),
    };
    for (uri, title) in [
        (path.clone(), "إدراجك في الدليل"),
        (format!("{path}/services/new"), "أضف خدمة"),
        (
            format!("/organisations/{tenant}/tokens"),
            "رموز الواجهة البرمجية",
        ),
    ] {
        let page = get(&h, &arabic, &uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert!(page.body.contains(r#"dir="rtl""#), "{uri}");
        assert!(page.body.contains(title), "{uri}");
    }
    let bad = post(&h, &arabic, &format!("{path}/services"), &[("name", "")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("أدخل اسمًا"), "{}", bad.body);
}

#[tokio::test]
async fn an_admin_renames_their_listing() {
    let h = Harness::with_demo().await;
    let (tenant, admin, path) = with_listing(&h).await;
    let renamed = post(
        &h,
        &admin,
        &path,
        &[
            ("name", "Sanctuary Leeds"),
            ("description", "Still helping."),
        ],
    )
    .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
    let listing = h.store.tenant(tenant).await.unwrap().listing.unwrap();
    let public = h
        .request(
            "GET",
            &format!("/directory/organisations/{listing}"),
            None,
            None,
        )
        .await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("Sanctuary Leeds") && public.body.contains("Still helping."));
    let empty = post(&h, &admin, &path, &[("name", ""), ("description", "")]).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.body.contains("#name") && empty.body.contains("#description"));
    let organisations = h.store.dataset().await.unwrap().organization;
    assert_eq!(
        organisations
            .iter()
            .filter(|o| o.name.contains("Leeds"))
            .count(),
        1,
        "renamed in place, not duplicated"
    );
}

#[tokio::test]
async fn editing_keeps_what_the_form_does_not_show() {
    let h = Harness::with_demo().await;
    let (_, admin, path) = with_listing(&h).await;
    post(&h, &admin, &format!("{path}/services"), CLINIC).await;
    let id = service_id(&get(&h, &admin, &path).await.body, "Drop-in legal clinic");
    let service: uuid::Uuid = id.parse().unwrap();
    // As an import might have added: a second phone and a language the form cannot name.
    let mut extra = haven_hsds::Dataset::new();
    extra.phone.push(
        serde_json::from_value(serde_json::json!({
            "id": uuid::Uuid::new_v4(), "service_id": service, "number": "0800 000 0000"
        }))
        .unwrap(),
    );
    extra.language.push(
        serde_json::from_value(serde_json::json!({
            "id": uuid::Uuid::new_v4(), "service_id": service, "code": "tlh", "name": "Klingon"
        }))
        .unwrap(),
    );
    h.store.store_dataset(&extra).await.unwrap();
    let edit = get(&h, &admin, &format!("{path}/services/{id}")).await;
    assert!(
        edit.body.contains(r#"value="0113 496 0000""#),
        "the form's own phone is shown"
    );
    let mut changed: Vec<(&str, &str)> = CLINIC.to_vec();
    changed[8] = ("phone", "0113 496 1111");
    let saved = post(&h, &admin, &format!("{path}/services/{id}"), &changed).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let dataset = h.store.dataset().await.unwrap();
    let mut numbers: Vec<&str> = dataset
        .phone
        .iter()
        .filter(|p| p.service_id == Some(service))
        .map(|p| p.number.as_str())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, ["0113 496 1111", "0800 000 0000"]);
    assert!(
        dataset
            .language
            .iter()
            .any(|l| l.service_id == Some(service) && l.code.as_deref() == Some("tlh"))
    );
}
