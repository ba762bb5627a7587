//! Public pages and probes.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use haven_store::Page;
use time::macros::datetime;

use crate::harness::Harness;

#[tokio::test]
async fn home_page_is_english_by_default_with_security_headers() {
    let h = Harness::sqlite().await;
    let (status, headers, body) = h.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#"<html lang="en" dir="ltr">"#), "{body}");
    assert!(body.contains("What do you need help with?"));
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    assert_eq!(headers["x-request-id"].len(), 32);
}

#[tokio::test]
async fn arabic_from_header_and_cookie_is_right_to_left() {
    let h = Harness::sqlite().await;
    let request = Request::get("/")
        .header(header::ACCEPT_LANGUAGE, "ar-SY,ar;q=0.9")
        .body(Body::empty())
        .unwrap();
    let (_, _, body) = h.send(request).await;
    assert!(body.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(body.contains("ما الذي تحتاج المساعدة فيه؟"));

    // The cookie overrides the browser's preference.
    let request = Request::get("/")
        .header(header::ACCEPT_LANGUAGE, "ar")
        .header(header::COOKIE, "haven_lang=en")
        .body(Body::empty())
        .unwrap();
    let (_, _, body) = h.send(request).await;
    assert!(body.contains(r#"<html lang="en" dir="ltr">"#));
}

#[tokio::test]
async fn language_switch_sets_cookie_and_stays_on_site() {
    let h = Harness::sqlite().await;
    let (status, headers, _) = h.get("/language/ar?next=/services/x/report").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/services/x/report");
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("haven_lang=ar;"), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));

    let (_, headers, _) = h.get("/language/en?next=//evil.example/").await;
    assert_eq!(headers[header::LOCATION], "/");
    let (status, _, _) = h.get("/language/xx").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn errors_are_friendly_pages_or_problem_json() {
    let h = Harness::sqlite().await;
    let (status, headers, body) = h.get("/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let request_id = headers["x-request-id"].to_str().unwrap();
    assert!(body.contains("Page not found"));
    assert!(body.contains("HVN-404"));
    assert!(body.contains(request_id), "the page quotes the request id");

    let (status, headers, body) = h.get("/api/no-such-thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["status"], 404);
    assert_eq!(problem["code"], "HVN-404");
    assert_eq!(
        problem["request_id"],
        headers["x-request-id"].to_str().unwrap()
    );
}

#[tokio::test]
async fn api_root_names_the_hsds_version() {
    let h = Harness::sqlite().await;
    for path in ["/api", "/api/"] {
        let (status, _, body) = h.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let root: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(root["version"], "3.0");
    }
}

#[tokio::test]
async fn probes_report_database_state() {
    let h = Harness::sqlite().await;
    assert_eq!(h.get("/healthz").await.0, StatusCode::OK);
    assert_eq!(h.get("/readyz").await.0, StatusCode::OK);
    h.store.close().await;
    let (status, _, body) = h.get("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("HVN-503"));
    assert_eq!(
        h.get("/healthz").await.0,
        StatusCode::OK,
        "alive even when not ready"
    );
}

#[tokio::test]
async fn stylesheet_is_served_under_its_hash_and_compressed() {
    let h = Harness::sqlite().await;
    let (_, _, home) = h.get("/").await;
    let start = home.find("/static/haven.").unwrap();
    let href = &home[start..start + home[start..].find('"').unwrap()];
    let request = Request::get(href)
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = h.send(request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(
        h.get("/static/haven.0000.css").await.0,
        StatusCode::NOT_FOUND
    );
}

async fn report_round_trip(h: &Harness) {
    let service = h.seed_service().await;
    let form_uri = format!("/services/{}/report", service.id);
    let (status, _, body) = h.get(&form_uri).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("English classes for Roma children"));

    let (status, headers, _) = h
        .post_form(&form_uri, "reason=closed&details=It+moved+to+Thursdays")
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], format!("{form_uri}/thanks"));
    let reports = h.store.listing_reports(Page::first(10)).await.unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].service_id, service.id);
    assert_eq!(
        reports[0].details.as_ref().unwrap().as_str(),
        "It moved to Thursdays"
    );
    assert_eq!(reports[0].received_at, datetime!(2026-11-22 12:00 UTC));
}

#[tokio::test]
async fn report_is_stored_on_sqlite() {
    let h = Harness::sqlite().await;
    report_round_trip(&h).await;
    h.finish().await;
}

#[tokio::test]
async fn report_is_stored_on_postgres() {
    if let Some(h) = Harness::postgres().await {
        report_round_trip(&h).await;
        h.finish().await;
    }
}

#[tokio::test]
async fn invalid_report_names_each_field_and_writes_nothing() {
    let h = Harness::sqlite().await;
    let service = h.seed_service().await;
    let uri = format!("/services/{}/report", service.id);
    let long = "x".repeat(2_001);
    let (status, _, body) = h
        .post_form(&uri, &format!("reason=bogus&details={long}"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("Choose what is wrong with the listing."),
        "{body}"
    );
    assert!(body.contains("too long"));
    assert!(body.contains(r##"href="#reason""##) && body.contains(r##"href="#details""##));
    assert!(
        h.store
            .listing_reports(Page::first(10))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn reports_for_unknown_listings_are_not_found() {
    let h = Harness::sqlite().await;
    let unknown = haven_domain::ServiceId::new_random();
    let (status, _, _) = h
        .post_form(&format!("/services/{unknown}/report"), "reason=closed")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = h
        .post_form("/services/not-an-id/report", "reason=closed")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn oversized_and_mistyped_bodies_are_refused() {
    let h = Harness::sqlite().await;
    let service = h.seed_service().await;
    let uri = format!("/services/{}/report", service.id);
    let huge = format!("reason=closed&details={}", "x".repeat(100 * 1024));
    let (status, _, body) = h.post_form(&uri, &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body.contains("HVN-413"));
    let request = Request::post(&uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    let (status, _, body) = h.send(request).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(body.contains("HVN-415"));
    assert!(
        h.store
            .listing_reports(Page::first(10))
            .await
            .unwrap()
            .is_empty()
    );
}
