//! The public directory through pages and the API, on the demo data set: the acceptance
//! searches, filters, national services, unknown places, bad input, confidential locations,
//! the OpenAPI document, and the page-weight budget.

use std::io::Write;

use axum::http::StatusCode;
use haven_hsds::vocabulary::{LocationFlag, Term};
use serde_json::Value;

use crate::harness::Harness;

/// Service names on a results page, in order.
fn result_names(body: &str) -> Vec<String> {
    body.match_indices("<h2><a href=\"/services/")
        .filter_map(|(i, _)| {
            let rest = &body[i..];
            let start = rest.find("\">")? + 2;
            let end = rest.find("</a>")?;
            Some(rest[start..end].to_owned())
        })
        .collect()
}

async fn search(h: &Harness, query: &str) -> (StatusCode, String) {
    let reply = h
        .request("GET", &format!("/search?{query}"), None, None)
        .await;
    (reply.status, reply.body)
}

#[tokio::test]
async fn english_classes_near_pe1_finds_compas() {
    let h = Harness::with_demo().await;
    let (status, body) = search(&h, "q=english+classes&place=PE1").await;
    assert_eq!(status, StatusCode::OK);
    let names = result_names(&body);
    assert!(
        names.contains(&"English classes for Roma children".to_owned()),
        "{names:?}"
    );
    assert!(body.contains(">Compas</a>"));
}

#[tokio::test]
async fn keighley_by_name_typo_and_postcode_lists_wyrjn_first() {
    let h = Harness::with_demo().await;
    for place in ["Keighley", "Keighly", "BD21"] {
        let (status, body) = search(&h, &format!("place={place}")).await;
        assert_eq!(status, StatusCode::OK, "{place}");
        let names = result_names(&body);
        assert_eq!(
            names.first().map(String::as_str),
            Some("Hate crime and discrimination support"),
            "{place}: {names:?}"
        );
        assert!(body.contains("West Yorkshire Racial Justice Network"));
    }
}

#[tokio::test]
async fn places_across_the_uk_resolve_and_national_services_show_everywhere() {
    let h = Harness::with_demo().await;
    for place in ["LS1", "CV1+2GT", "Swansea", "SA1", "BT1"] {
        let (status, body) = search(&h, &format!("place={place}")).await;
        assert_eq!(status, StatusCode::OK, "{place}");
        assert!(
            !body.contains("We could not find a place"),
            "{place} did not resolve"
        );
        assert!(
            body.contains("National service: helps people anywhere in the UK"),
            "{place}: no national services"
        );
    }
    // Swansea's own organisation is the nearest there.
    let (_, body) = search(&h, "place=SA1").await;
    assert_eq!(result_names(&body)[0], "Youth work and storytelling");
}

#[tokio::test]
async fn language_and_eligibility_filters_narrow_results() {
    let h = Harness::with_demo().await;
    let all = result_names(&search(&h, "place=Keighley&radius=50").await.1).len();
    let arabic = result_names(&search(&h, "place=Keighley&radius=50&language=ar").await.1).len();
    let asylum = result_names(
        &search(&h, "place=Keighley&radius=50&eligibility=asylum-seeker")
            .await
            .1,
    )
    .len();
    assert!(arabic > 0 && arabic < all, "arabic {arabic} of {all}");
    assert!(
        asylum > 0 && asylum < all,
        "asylum-seeker {asylum} of {all}"
    );
    // Filters show their counts.
    let (_, body) = search(&h, "place=Keighley").await;
    assert!(body.contains("name=\"language\" value=\"ar\""));
}

#[tokio::test]
async fn unknown_places_get_suggestions_not_an_empty_page() {
    let h = Harness::with_demo().await;
    let (status, body) = search(&h, "place=Nowhereville").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("We could not find a place called “Nowhereville”"));
    assert!(body.contains("class=\"suggestions\""));
}

#[tokio::test]
async fn bad_search_input_names_each_field() {
    let h = Harness::with_demo().await;
    let (status, body) = search(&h, "place=LS1&radius=far&need=flying&page=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    for field in ["#radius", "#need", "#page"] {
        assert!(body.contains(field), "{field} not named");
    }
    let reply = h
        .request(
            "GET",
            "/api/services?proximity=-5&eligibility=martian",
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let problem: Value = serde_json::from_str(&reply.body).unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["radius", "eligibility"]);
}

#[tokio::test]
async fn service_organisation_and_about_pages() {
    let h = Harness::with_demo().await;
    let (_, body) = search(&h, "q=english+classes&place=PE1").await;
    let start = body.find("/services/").unwrap();
    let href = &body[start..start + body[start..].find('"').unwrap()];
    let page = h.request("GET", href, None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("tel:02079460"), "phone as a tel: link");
    assert!(page.body.contains("Details checked on"));
    assert!(page.body.contains("Report a problem with this listing"));
    let org = page.body.find("/directory/organisations/").unwrap();
    let org_href = &page.body[org..org + page.body[org..].find('"').unwrap()];
    let org_page = h.request("GET", org_href, None, None).await;
    assert!(org_page.body.contains("<h1>Compas</h1>"));
    assert!(org_page.body.contains("Community and police liaison"));
    let about = h.request("GET", "/about", None, None).await;
    assert!(
        about.body.contains("Contains OS data © Crown copyright"),
        "geo attributions shown"
    );
    assert_eq!(
        h.request("GET", "/services/not-a-uuid", None, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn api_speaks_hsds_with_haven_search() {
    let h = Harness::with_demo().await;
    let reply = h
        .request(
            "GET",
            "/api/services?postcode=PE1&search=english+classes",
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers["access-control-allow-origin"], "*");
    let page: Value = serde_json::from_str(&reply.body).unwrap();
    let names: Vec<&str> = page["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"English classes for Roma children"),
        "{names:?}"
    );
    let first = &page["contents"][0];
    assert_eq!(first["organization"]["name"], "Compas");
    assert_eq!(first["haven_reach"], "local");
    let id = first["id"].as_str().unwrap();
    let one = h
        .request("GET", &format!("/api/services/{id}"), None, None)
        .await;
    assert_eq!(one.status, StatusCode::OK);
    let missing = h
        .request(
            "GET",
            "/api/services/00000000-0000-4000-8000-000000000000",
            None,
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.headers["content-type"], "application/problem+json");
    for list in [
        "/api/organizations",
        "/api/service_at_locations",
        "/api/taxonomies",
        "/api/taxonomy_terms?per_page=5",
    ] {
        let reply = h.request("GET", list, None, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{list}");
        let page: Value = serde_json::from_str(&reply.body).unwrap();
        assert!(page["total_items"].as_u64().unwrap() > 0, "{list}");
    }
}

async fn api_json(h: &Harness, uri: &str) -> Value {
    let reply = h.request("GET", uri, None, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// The problems' (field, message) pairs of a refused API request.
async fn api_problems(h: &Harness, uri: &str) -> Vec<(String, String)> {
    let reply = h.request("GET", uri, None, None).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
    crate::harness::problem_fields(&reply)
}

#[tokio::test]
async fn api_lists_use_hsds_list_shapes_unless_full_or_minimal() {
    let h = Harness::with_demo().await;
    let query = "/api/services?place=Nottingham&per_page=5";
    let listed = api_json(&h, query).await;
    let full = api_json(&h, &format!("{query}&full=true")).await;
    let minimal = api_json(&h, &format!("{query}&minimal=1")).await;
    let items = |page: &Value| page["contents"].as_array().unwrap().clone();
    let (listed, full, minimal) = (items(&listed), items(&full), items(&minimal));
    assert_eq!(listed.len(), 5);
    assert_eq!(full.len(), 5);
    assert_eq!(minimal.len(), 5);
    for ((item, nested), small) in listed.iter().zip(&full).zip(&minimal) {
        assert_eq!(item["id"], nested["id"], "same results in the same order");
        // service_list: the service's own fields, its organization's own fields, Haven's reach.
        for key in ["phones", "service_at_locations", "attributes", "languages"] {
            assert!(item.get(key).is_none(), "a list item nests {key}: {item}");
            assert!(nested[key].is_array(), "full=true lacks {key}");
        }
        assert!(item["haven_reach"].is_string());
        assert_eq!(item["haven_reach"], nested["haven_reach"]);
        for (key, value) in item.as_object().unwrap() {
            if key == "organization" {
                for (org_key, org_value) in value.as_object().unwrap() {
                    assert!(!org_value.is_array(), "organization nests {org_key}");
                    assert_eq!(&nested["organization"][org_key], org_value, "{org_key}");
                }
            } else {
                assert_eq!(&nested[key], value, "{key} differs from the full object");
            }
        }
        assert!(item["organization"]["name"].is_string());
        // full=true: what GET /api/services/{id} shows, with Haven's fields beside it.
        let one = api_json(
            &h,
            &format!("/api/services/{}", item["id"].as_str().unwrap()),
        )
        .await;
        let mut without_haven = nested.as_object().unwrap().clone();
        without_haven.retain(|k, _| !k.starts_with("haven_"));
        assert_eq!(Value::Object(without_haven), one);
        // minimal: ids and dates only.
        assert_eq!(small["id"], item["id"]);
        assert!(
            small
                .as_object()
                .unwrap()
                .keys()
                .all(|k| k == "id" || k == "last_modified"),
            "{small}"
        );
    }
    let organizations = api_json(&h, "/api/organizations?per_page=3").await;
    let organizations_full = api_json(&h, "/api/organizations?per_page=3&full=true").await;
    for (item, nested) in items(&organizations)
        .iter()
        .zip(&items(&organizations_full))
    {
        assert_eq!(item["id"], nested["id"]);
        assert!(item.get("services").is_none(), "{item}");
        assert!(nested["services"].is_array());
    }
    let at_locations = api_json(&h, "/api/service_at_locations?per_page=3").await;
    for item in items(&at_locations) {
        assert!(item["service"]["name"].is_string(), "{item}");
        assert!(item["service"].get("phones").is_none(), "{item}");
        assert!(item["location"]["id"].is_string(), "{item}");
        assert!(item["location"].get("addresses").is_none(), "{item}");
    }
    let full_at_locations = api_json(&h, "/api/service_at_locations?per_page=3&full=1").await;
    for item in items(&full_at_locations) {
        assert!(item["service"]["phones"].is_array(), "{item}");
    }
}

#[tokio::test]
async fn api_list_shape_parameters_are_checked() {
    let h = Harness::with_demo().await;
    assert_eq!(
        api_problems(&h, "/api/services?full=yes&per_page=0").await,
        [
            (
                "per_page".to_owned(),
                "Results per page must be between 1 and 100.".to_owned()
            ),
            ("full".to_owned(), "Use true or false.".to_owned()),
        ]
    );
    assert_eq!(
        api_problems(&h, "/api/services?full=true&minimal=true").await,
        [(
            "minimal".to_owned(),
            "Ask for full or minimal, not both.".to_owned()
        )]
    );
    assert_eq!(
        api_problems(&h, "/api/organizations?full=2").await,
        [("full".to_owned(), "Use true or false.".to_owned())]
    );
    let explicit_false = api_json(&h, "/api/services?per_page=2&full=false&minimal=0").await;
    let default = api_json(&h, "/api/services?per_page=2").await;
    assert_eq!(explicit_false, default);
}

#[tokio::test]
async fn openapi_document_describes_every_api_route() {
    let h = Harness::with_demo().await;
    let reply = h.request("GET", "/api/openapi.json", None, None).await;
    let doc: Value = serde_json::from_str(&reply.body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let state_rules = haven_web::route_rules(
        &haven_web::AppState::new(
            h.store.clone(),
            h.clock.clone(),
            std::sync::Arc::new(
                haven_mail::OutboxMailer::new(h.outbox.path(), "h@example.org").unwrap(),
            ),
            haven_web::WebConfig::default(),
        )
        .unwrap(),
    );
    for rule in state_rules.iter().filter(|r| r.path.starts_with("/api/")) {
        let path = rule.path;
        let method = rule.method.as_str().to_ascii_lowercase();
        assert!(
            doc["paths"][path][&method].is_object(),
            "{method} {path} is not in openapi.json"
        );
    }
}

#[tokio::test]
async fn confidential_locations_are_never_published() {
    let mut h = Harness::with_demo().await;
    let mut dataset = h.store.dataset().await.unwrap();
    let location = dataset
        .location
        .iter_mut()
        .find(|l| {
            l.name
                .as_deref()
                .is_some_and(|n| n.starts_with("Nottingham"))
        })
        .unwrap();
    location.latitude = Some(52.953_456);
    location.longitude = Some(-1.149_876);
    let location_id = location.id;
    dataset
        .attribute
        .push(LocationFlag::Confidential.attribute_for(location_id));
    h.store.store_dataset(&dataset).await.unwrap();
    h.reload_directory().await;
    let (_, results) = search(&h, "place=Nottingham").await;
    let start = results.find("/services/").unwrap();
    let href = &results[start..start + results[start..].find('"').unwrap()];
    let body = h.request("GET", href, None, None).await.body;
    assert!(
        body.contains("Address withheld for safety"),
        "marked as withheld"
    );
    let api = h
        .request("GET", "/api/service_at_locations?per_page=100", None, None)
        .await
        .body;
    let api_all = h
        .request(
            "GET",
            "/api/services?place=Nottingham&per_page=100",
            None,
            None,
        )
        .await
        .body;
    for text in [&body, &api, &api_all] {
        assert!(
            !text.contains("52.953456") && !text.contains("52.9534"),
            "precise point leaked"
        );
    }
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

#[tokio::test]
async fn every_public_page_first_view_fits_in_14_kb_and_stays_on_site() {
    let h = Harness::with_demo().await;
    let (_, results) = search(&h, "place=London&radius=100").await;
    let service = &results[results.find("/services/").unwrap()..];
    let service = &service[..service.find('"').unwrap()];
    let org = &results[results.find("/directory/organisations/").unwrap()..];
    let org = &org[..org.find('"').unwrap()];
    let pages = [
        "/".to_owned(),
        "/search?place=London&radius=100".to_owned(),
        "/search?q=legal+advice".to_owned(),
        service.to_owned(),
        org.to_owned(),
        format!("{service}/report"),
        "/about".to_owned(),
        "/sign-in".to_owned(),
    ];
    for page in pages {
        let reply = h.request("GET", &page, None, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        let css_start = reply.body.find("/static/haven.").unwrap();
        let css_href =
            &reply.body[css_start..css_start + reply.body[css_start..].find('"').unwrap()];
        let css = h.request("GET", css_href, None, None).await.body;
        let weight = gzip_len(reply.body.as_bytes()) + gzip_len(css.as_bytes());
        assert!(weight <= 14 * 1024, "{page}: {weight} bytes gzip with CSS");
        for attribute in ["src=\"http", "href=\"http://", "url(http"] {
            assert!(
                !reply.body.contains(attribute),
                "{page} loads something from elsewhere: {attribute}"
            );
        }
    }
}

#[tokio::test]
async fn services_covering_an_area_show_there_beyond_the_radius() {
    let h = Harness::with_demo().await;
    // West Yorkshire Racial Justice Network is in Keighley and covers Leeds: from LS1 with a
    // 5 km radius it is far outside the circle, yet listed as covering the area.
    let (_, body) = search(&h, "place=LS1&radius=5").await;
    assert!(
        result_names(&body).contains(&"Hate crime and discrimination support".to_owned()),
        "{:?}",
        result_names(&body)
    );
    assert!(body.contains("Covers your area"));
    // Not in an area it does not cover.
    let (_, body) = search(&h, "place=Sheffield&radius=5").await;
    assert!(!result_names(&body).contains(&"Hate crime and discrimination support".to_owned()));
}

#[tokio::test]
async fn home_page_counts_the_directory() {
    let h = Harness::with_demo().await;
    let home = h.request("GET", "/", None, None).await;
    assert!(
        home.body
            .contains("14 organisations are listed with 19 services."),
        "{}",
        home.body
    );
}

/// The search API's body as bytes, with the request's `Accept-Encoding`.
async fn api_bytes(
    h: &Harness,
    uri: &str,
    accept: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut request = axum::http::Request::get(uri);
    if let Some(accept) = accept {
        request = request.header("accept-encoding", accept);
    }
    let response = h
        .app
        .clone()
        .oneshot(request.body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, bytes.to_vec())
}

fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut out = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut out)
        .expect("one layer of gzip");
    out
}

#[tokio::test]
async fn api_pages_are_cached_per_encoding_and_match_the_uncompressed_page() {
    let h = Harness::with_demo().await;
    let uri = "/api/services?postcode=PE1&search=english+classes&open_now=1";
    let cache = || h.state.directory().current().api_cache_stats();
    let (status, headers, plain_bytes) = api_bytes(&h, uri, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("content-encoding").is_none());
    assert_eq!(headers["vary"], "accept-encoding");
    let plain: Value = serde_json::from_slice(&plain_bytes).unwrap();
    assert_eq!(cache(), (1, 0), "the plain page is kept");

    let (status, headers, first) = api_bytes(&h, uri, Some("br;q=0.9, gzip")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(headers["vary"], "accept-encoding");
    assert_eq!(headers["access-control-allow-origin"], "*");
    // Compressed exactly once, and the same page as the uncompressed answer.
    let decoded: Value = serde_json::from_str(&gunzip(&first)).unwrap();
    assert_eq!(decoded, plain);
    assert_eq!(
        cache(),
        (2, 0),
        "kept once per encoding, not yet served from the cache"
    );
    let (_, _, second) = api_bytes(&h, uri, Some("gzip")).await;
    assert_eq!(second, first);
    assert_eq!(
        cache(),
        (2, 1),
        "the repeated query is served from the cache"
    );
    let (_, headers, again) = api_bytes(&h, uri, Some("identity")).await;
    assert!(headers.get("content-encoding").is_none());
    assert_eq!(again, plain_bytes, "the plain page, repeated byte for byte");
    assert_eq!(cache(), (2, 2));

    // Another query is not the cached one.
    let (_, _, other) = api_bytes(&h, "/api/services?place=Nottingham", Some("gzip")).await;
    assert_ne!(gunzip(&other), gunzip(&first));
    // Invalid input is still refused, not served from anywhere.
    let (status, _, _) = api_bytes(&h, "/api/services?per_page=0", Some("gzip")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
