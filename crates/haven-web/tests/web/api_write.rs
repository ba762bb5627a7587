//! `PUT /api/organizations/{id}/services/{service_id}` with a `listings:write` token: an
//! organisation's integration creates and replaces its own services as HSDS JSON, validated by
//! the importer with each bad field named, audited, and 404 for anything of another
//! organisation.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use haven_domain::TenantId;
use haven_domain::accounts::Role;
use haven_domain::clock::Clock;
use haven_hsds::model::{Phone, Service};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::harness::{Harness, Reply, problem_fields};
use crate::listings::{CLINIC, Person, approved_tenant, member, post, with_listing};

/// Creates a token with `scope` through the page; returns its secret.
async fn token(h: &Harness, admin: &Person, tenant: TenantId, scope: &str) -> String {
    let reply = post(
        h,
        admin,
        &format!("/organisations/{tenant}/tokens"),
        &[("name", "Website sync"), ("scope", scope), ("days", "30")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let start = reply.body.find(r#"id="secret">"#).unwrap() + r#"id="secret">"#.len();
    let end = start + reply.body[start..].find('<').unwrap();
    reply.body[start..end].to_owned()
}

async fn put(h: &Harness, path: &str, secret: Option<&str>, body: &Value) -> Reply {
    put_raw(h, path, secret, &body.to_string()).await
}

/// A PUT of `body` as it is, JSON or not.
async fn put_raw(h: &Harness, path: &str, secret: Option<&str>, body: &str) -> Reply {
    let mut request = Request::put(path).header("content-type", "application/json");
    if let Some(secret) = secret {
        request = request.header("authorization", format!("Bearer {secret}"));
    }
    let (status, headers, body) = h
        .send(request.body(Body::from(body.to_owned())).unwrap())
        .await;
    Reply {
        status,
        headers,
        body,
    }
}

async fn listing_of(h: &Harness, tenant: TenantId) -> Uuid {
    h.store
        .tenant(tenant)
        .await
        .unwrap()
        .listing
        .unwrap()
        .as_uuid()
}

/// A second organisation with a listing and one service (added through its form).
async fn other_organisation(h: &Harness) -> (Uuid, Uuid) {
    let tenant = approved_tenant(h, "Bradford Welcome").await;
    let admin = member(
        h,
        tenant,
        Role::OrganisationAdmin,
        "admin@bradford.example.org",
    )
    .await;
    let path = format!("/organisations/{tenant}/listing");
    post(
        h,
        &admin,
        &path,
        &[
            ("name", "Bradford Welcome"),
            ("description", "Help in Bradford."),
        ],
    )
    .await;
    let saved = post(h, &admin, &format!("{path}/services"), CLINIC).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let listing = listing_of(h, tenant).await;
    let dataset = h.store.dataset().await.unwrap();
    let service = dataset
        .service
        .iter()
        .find(|s| s.organization_id == Some(listing))
        .unwrap()
        .id;
    (listing, service)
}

#[tokio::test]
async fn a_write_token_creates_and_replaces_its_own_services() {
    for h in Harness::backends().await {
        let (tenant, admin, _) = with_listing(&h).await;
        let listing = listing_of(&h, tenant).await;
        let secret = token(&h, &admin, tenant, "listings:write").await;
        let id = Uuid::new_v4();
        let phone = Uuid::new_v4();
        let path = format!("/api/organizations/{listing}/services/{id}");
        let body = json!({
            "id": id,
            "name": "Conversation club",
            "description": "Practise English over tea.",
            "status": "active",
            "phones": [{"id": phone, "number": "0113 496 0001"}],
        });
        let created = put(&h, &path, Some(&secret), &body).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let answer: Value = serde_json::from_str(&created.body).unwrap();
        assert_eq!(answer["name"], "Conversation club");
        // Public at once, checked today, audited with ids only.
        let public = h
            .request("GET", &format!("/api/services/{id}"), None, None)
            .await;
        assert_eq!(public.status, StatusCode::OK, "{}", public.body);
        // The answer is the service as the public API shows it.
        let shown: Value = serde_json::from_str(&public.body).unwrap();
        assert_eq!(answer, shown);
        let dataset = h.store.dataset().await.unwrap();
        let stored = dataset.get::<Service>(id).unwrap();
        assert_eq!(stored.organization_id, Some(listing));
        let today = h.clock.now().date(); // noon in November: the same day in the UK
        assert_eq!(stored.assured_date.as_ref().map(|d| d.0), Some(today));
        assert!(dataset.get::<Phone>(phone).is_some());
        let audit = h.store.audit_entries(&tenant.to_string()).await.unwrap();
        let last = audit.last().unwrap();
        assert_eq!(last.action, "api_service_created");
        assert_eq!(last.subject_id.as_deref(), Some(id.to_string().as_str()));

        // Replacing: a new name, the phone gone.
        let body = json!({"id": id, "name": "Tea and English", "status": "active"});
        let replaced = put(&h, &path, Some(&secret), &body).await;
        assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
        let dataset = h.store.dataset().await.unwrap();
        assert_eq!(dataset.get::<Service>(id).unwrap().name, "Tea and English");
        assert!(
            dataset.get::<Phone>(phone).is_none(),
            "replaced, not merged"
        );
        let audit = h.store.audit_entries(&tenant.to_string()).await.unwrap();
        assert_eq!(audit.last().unwrap().action, "api_service_updated");
        h.finish().await;
    }
}

#[tokio::test]
async fn bad_bodies_name_each_field_and_write_nothing() {
    for h in Harness::backends().await {
        let (tenant, admin, _) = with_listing(&h).await;
        let listing = listing_of(&h, tenant).await;
        let secret = token(&h, &admin, tenant, "listings:write").await;
        let id = Uuid::new_v4();
        let path = format!("/api/organizations/{listing}/services/{id}");
        let before = h.store.dataset().await.unwrap();

        let bad = json!({
            "id": id,
            "name": "Clinic",
            "status": "sometimes",
            "url": "not a url",
            "phones": [{"id": Uuid::new_v4()}],
        });
        let refused = put(&h, &path, Some(&secret), &bad).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert_eq!(refused.headers["content-type"], "application/problem+json");
        let fields: Vec<String> = problem_fields(&refused)
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        for expected in ["/status", "/url", "/phones/0/number"] {
            assert!(
                fields.iter().any(|f| f == expected),
                "{expected} in {fields:?}"
            );
        }

        let other_id = json!({"id": Uuid::new_v4(), "name": "Clinic", "status": "active"});
        let refused = put(&h, &path, Some(&secret), &other_id).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(problem_fields(&refused)[0].0, "/id");

        let elsewhere = json!({
            "id": id, "name": "Clinic", "status": "active",
            "organization_id": Uuid::new_v4(),
        });
        let refused = put(&h, &path, Some(&secret), &elsewhere).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(
            problem_fields(&refused)
                .iter()
                .any(|(f, _)| f == "/organization_id")
        );

        let not_json = put_raw(&h, &path, Some(&secret), "[").await;
        assert_eq!(
            not_json.status,
            StatusCode::BAD_REQUEST,
            "{}",
            not_json.body
        );
        let text = Request::put(&path)
            .header("content-type", "text/plain")
            .header("authorization", format!("Bearer {secret}"))
            .body(Body::from("{}"))
            .unwrap();
        assert_eq!(h.send(text).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);

        assert_eq!(h.store.dataset().await.unwrap(), before, "nothing written");
        h.finish().await;
    }
}

#[tokio::test]
async fn other_organisations_records_are_not_found() {
    for h in Harness::backends().await {
        let (tenant, admin, _) = with_listing(&h).await;
        let listing = listing_of(&h, tenant).await;
        let write = token(&h, &admin, tenant, "listings:write").await;
        let read = token(&h, &admin, tenant, "listings:read").await;
        let (their_listing, their_service) = other_organisation(&h).await;
        let before = h.store.dataset().await.unwrap();
        let their_phone = before
            .phone
            .iter()
            .find(|p| p.service_id == Some(their_service))
            .unwrap()
            .id;
        let service = |id: Uuid| json!({"id": id, "name": "Mine now", "status": "active"});

        // Their organisation, or their service under ours: 404.
        let reply = put(
            &h,
            &format!("/api/organizations/{their_listing}/services/{their_service}"),
            Some(&write),
            &service(their_service),
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = put(
            &h,
            &format!("/api/organizations/{listing}/services/{their_service}"),
            Some(&write),
            &service(their_service),
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        // Our new service carrying their phone's id: 404, their phone untouched.
        let id = Uuid::new_v4();
        let mut body = service(id);
        body["phones"] = json!([{"id": their_phone, "number": "0113 000 0000"}]);
        let reply = put(
            &h,
            &format!("/api/organizations/{listing}/services/{id}"),
            Some(&write),
            &body,
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
        // A new phone, schedule or link of ours pointing at their service: 404, nothing written.
        for (field, nested) in [
            (
                "phones",
                json!({"id": Uuid::new_v4(), "service_id": their_service, "number": "0113 000 0001"}),
            ),
            (
                "schedules",
                json!({"id": Uuid::new_v4(), "service_id": their_service, "byday": "MO"}),
            ),
            (
                "service_at_locations",
                json!({"id": Uuid::new_v4(), "service_id": their_service}),
            ),
        ] {
            let mut body = service(id);
            body[field] = json!([nested]);
            let reply = put(
                &h,
                &format!("/api/organizations/{listing}/services/{id}"),
                Some(&write),
                &body,
            )
            .await;
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "{field}: {}",
                reply.body
            );
        }
        // A reference to nothing at all is named, and refused.
        let mut body = service(id);
        let nowhere = Uuid::new_v4();
        body["phones"] =
            json!([{"id": Uuid::new_v4(), "service_id": nowhere, "number": "0113 000 0002"}]);
        let reply = put(
            &h,
            &format!("/api/organizations/{listing}/services/{id}"),
            Some(&write),
            &body,
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
        assert!(
            reply.body.contains("service_id refers to no record"),
            "{}",
            reply.body
        );
        let after = h.store.dataset().await.unwrap();
        assert_eq!(
            before.records_json().unwrap(),
            after.records_json().unwrap(),
            "nothing was written"
        );
        // Malformed ids are 404 too.
        let reply = put(
            &h,
            &format!("/api/organizations/{listing}/services/not-an-id"),
            Some(&write),
            &service(id),
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);

        // No token, or a read-only one: 401.
        let path = format!("/api/organizations/{listing}/services/{id}");
        assert_eq!(
            put(&h, &path, None, &service(id)).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            put(&h, &path, Some(&read), &service(id)).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(h.store.dataset().await.unwrap(), before, "nothing written");
        h.finish().await;
    }
}

#[tokio::test]
async fn a_token_s_last_use_is_written_at_most_once_an_hour() {
    for h in Harness::backends().await {
        let (tenant, admin, _) = with_listing(&h).await;
        let secret = token(&h, &admin, tenant, "listings:read").await;
        let last_used = || async { h.store.api_tokens_of(tenant).await.unwrap()[0].last_used_at };
        assert_eq!(last_used().await, None);
        let read = || async {
            let (status, _, body) = h
                .send(
                    Request::get("/api/organisation/listing")
                        .header("authorization", format!("Bearer {secret}"))
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        };
        read().await;
        let first = h.clock.now();
        assert_eq!(last_used().await, Some(first));
        // Within the hour: no second write.
        h.clock.advance(time::Duration::minutes(59));
        read().await;
        assert_eq!(last_used().await, Some(first));
        // An hour on: written again.
        h.clock.advance(time::Duration::minutes(1));
        read().await;
        assert_eq!(last_used().await, Some(h.clock.now()));
        h.finish().await;
    }
}
