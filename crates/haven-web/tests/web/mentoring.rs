//! Mentoring through HTTP: a coordinator's whole walk (programme, people by form and by CSV,
//! matching with explanations, lock, forbid, re-run, agree, introduce, end), row-level CSV
//! problems with nothing written, a member seeing only their own match, another organisation
//! getting 404, and the pages in Arabic.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use haven_domain::accounts::Role;

use crate::harness::{Harness, Reply};
use crate::listings::{Person, approved_tenant, get, member, post};

const BOUNDARY: &str = "haven-test-boundary";

/// Runs matching for `programme` as `who`, which answers by going back to the programme page.
pub(crate) async fn run_matching(h: &Harness, who: &Person, programme: &str) {
    let reply = post(h, who, &format!("{programme}/run"), &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location(), format!("{programme}#matches"));
}

pub(crate) async fn upload(h: &Harness, who: &Person, path: &str, csv: &str) -> Reply {
    let body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{BOUNDARY}--\r\n",
        who.csrf
    );
    let request = Request::post(path)
        .header(header::COOKIE, &who.cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    let (status, headers, body) = h.send(request).await;
    Reply {
        status,
        headers,
        body,
    }
}

pub(crate) const PROGRAMME: &[(&str, &str)] = &[
    ("name", "Health professionals"),
    ("capacity", "1"),
    ("weight_language", "3"),
    ("weight_goals", "5"),
    ("weight_availability", "2"),
    ("rule_goal_covered", "on"),
    ("rule_shared_language", "on"),
    ("rule_language_level", "conversational"),
    ("dbs_required_level", "enhanced"),
    ("dbs_max_age_days", "1095"),
];

pub(crate) const MENTORS: &str = "name,email,account,languages,remote,availability,gender,age_band,skills,dbs_level,dbs_issued,dbs_update_service\n\
Amal Haddad,amal@example.org,mentor@a.example.org,ar:native; en:fluent,only,monday-evening,woman,35_49,requalify_nurse english,enhanced,2026-01-10,yes\n\
Bilal Omar,,,ar:fluent; en:fluent,only,monday-evening,man,50_64,english employment,,,\n";

const MENTEES_WITH_A_BAD_ROW: &str = "name,languages,remote,availability,gender,age_band,goals,at_risk\n\
Dina Saleh,ar:native; en:conversational,only,monday-evening,woman,25_34,requalify_nurse,no\n\
Eman Ali,ar:native,only,monday-evening,woman,forty,english,no\n";

pub(crate) const MENTEES: &str = "name,languages,remote,availability,gender,age_band,goals,at_risk\n\
Dina Saleh,ar:native; en:conversational,only,monday-evening,woman,25_34,requalify_nurse,no\n\
Eman Ali,ar:native,only,monday-evening,woman,under_18,english,no\n";

/// The id in `…/{kind}/{id}` of the first link or form naming it after `prefix`.
fn id_after(body: &str, prefix: &str) -> String {
    let start = body.find(prefix).unwrap() + prefix.len();
    body[start..start + 36].to_owned()
}

async fn walk(h: &Harness) {
    let a = approved_tenant(h, "Organisation A").await;
    let b = approved_tenant(h, "Organisation B").await;
    let coordinator = member(h, a, Role::Caseworker, "coordinator@a.example.org").await;
    let mentor_user = member(h, a, Role::Volunteer, "mentor@a.example.org").await;
    let other = member(h, b, Role::OrganisationAdmin, "admin@b.example.org").await;
    let base = format!("/organisations/{a}/mentoring");

    // A programme without a name is refused, naming the field.
    let mut nameless = PROGRAMME.to_vec();
    nameless.retain(|(k, _)| *k != "name");
    let reply = post(h, &coordinator, &base, &nameless).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("Name: Enter a name"), "{}", reply.body);
    let reply = post(h, &coordinator, &base, PROGRAMME).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let programme = reply.location().to_owned();
    assert!(programme.starts_with(&base));

    // A mentor form with a bad language is refused, naming the field.
    let reply = post(
        h,
        &coordinator,
        &format!("{programme}/mentors"),
        &[
            ("name", "Carla"),
            ("languages", "english"),
            ("remote", "only"),
            ("gender", "woman"),
            ("age_band", "25_34"),
            ("skills", "english"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("Languages: Give at least one language"));

    // Mentors by CSV; mentees by CSV with a bad row first: nothing written, the row named.
    let reply = upload(
        h,
        &coordinator,
        &format!("{programme}/mentors/csv"),
        MENTORS,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let reply = upload(
        h,
        &coordinator,
        &format!("{programme}/mentees/csv"),
        MENTEES_WITH_A_BAD_ROW,
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply
            .body
            .contains("<tr><td>3</td><td dir=\"ltr\">age_band</td><td>Choose an age band"),
        "{}",
        reply.body
    );
    let page = get(h, &coordinator, &programme).await;
    assert!(
        !page.body.contains("Dina Saleh"),
        "a failed upload wrote rows"
    );
    let reply = upload(
        h,
        &coordinator,
        &format!("{programme}/mentees/csv"),
        MENTEES,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);

    // Matching: Dina gets Amal (nursing); Eman is under 18 and Bilal has no DBS check, and
    // Amal takes one mentee: Eman is unmatched, with the reason.
    let reply = post(h, &coordinator, &format!("{programme}/run"), &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let page = get(h, &coordinator, &programme).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Amal Haddad → Dina Saleh"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Why this pair"));
    assert!(
        page.body
            .contains("<td>Goals</td><td>100/100</td><td>5</td><td>500</td>")
    );
    assert!(
        page.body
            .contains("<strong>Eman Ali</strong>: The mentors who fit (Amal Haddad)")
    );
    let match_id = id_after(&page.body, "class=\"match\" id=\"match-");
    let ids = |body: &str| {
        (
            id_after(body, "name=\"mentor\" value=\""),
            id_after(body, "name=\"mentee\" value=\""),
        )
    };
    let (amal, dina) = ids(&page.body);

    // Lock the pair, forbid it (the proposal goes), re-run: nothing to propose; release.
    let pairs = format!("{programme}/pairs");
    for action in ["lock", "forbid"] {
        let reply = post(
            h,
            &coordinator,
            &pairs,
            &[("action", action), ("mentor", &amal), ("mentee", &dina)],
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{action}: {}",
            reply.body
        );
    }
    run_matching(h, &coordinator, &programme).await;
    let page = get(h, &coordinator, &programme).await;
    assert!(!page.body.contains("<h3>Amal Haddad → Dina Saleh</h3>"));
    assert!(page.body.contains("Forbidden: Amal Haddad → Dina Saleh"));
    assert!(
        page.body
            .contains("forbidden by the coordinator: 1 mentors")
    );
    // Picking the forbidden pair by hand names the rule.
    let reply = post(
        h,
        &coordinator,
        &pairs,
        &[("action", "propose"), ("mentor", &amal), ("mentee", &dina)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(
        reply
            .body
            .contains("This pair breaks a rule: forbidden by the coordinator.")
    );
    post(
        h,
        &coordinator,
        &pairs,
        &[("action", "release"), ("mentor", &amal), ("mentee", &dina)],
    )
    .await;
    run_matching(h, &coordinator, &programme).await;
    let page = get(h, &coordinator, &programme).await;
    let match_id_again = id_after(&page.body, "class=\"match\" id=\"match-");
    assert_ne!(match_id, match_id_again, "a re-run replaces proposals");

    // Skipping a step is refused in words; then agree, re-run (kept), introduce.
    let step = format!("{programme}/matches/{match_id_again}");
    let reply = post(h, &coordinator, &step, &[("to", "active")]).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.body.contains("A match cannot go from"));
    for to in ["agreed", "introduced"] {
        let reply = post(h, &coordinator, &step, &[("to", to)]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{to}: {}", reply.body);
        run_matching(h, &coordinator, &programme).await;
    }
    let page = get(h, &coordinator, &programme).await;
    assert!(page.body.contains(&format!(
        "id=\"match-{match_id_again}\" data-status=\"introduced\""
    )));
    // Ending needs the outcome and both sides' feedback.
    let reply = post(
        h,
        &coordinator,
        &step,
        &[("to", "ended"), ("outcome", "goals_met")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply
            .body
            .contains("The mentor&#39;s feedback: Write the feedback"),
        "{}",
        reply.body
    );

    // The mentor (a volunteer linked by e-mail) sees their own match and its contact.
    let mine = get(h, &mentor_user, &format!("/organisations/{a}/my-match")).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.body.contains("Dina Saleh"));
    assert!(mine.body.contains("You are the mentor"));
    assert!(!mine.body.contains("Eman Ali"));
    // Volunteers are not coordinators.
    assert_eq!(
        get(h, &mentor_user, &programme).await.status,
        StatusCode::NOT_FOUND
    );
    // The coordinator has no match of their own.
    let none = get(h, &coordinator, &format!("/organisations/{a}/my-match")).await;
    assert!(
        none.body
            .contains("You have no agreed mentoring match yet.")
    );

    // Amal's check renewed: the edit form shows her details; a bad date is named.
    let page = get(h, &coordinator, &programme).await;
    let amal_path = format!("{programme}/people/{amal}");
    assert!(
        page.body
            .contains(&format!("href=\"{amal_path}\">Amal Haddad</a>"))
    );
    let edit = get(h, &coordinator, &amal_path).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("value=\"2026-01-10\""), "{}", edit.body);
    assert!(edit.body.contains("value=\"mentor@a.example.org\""));
    let mut fields: Vec<(String, String)> = Vec::new();
    for name in [
        "name",
        "email",
        "account",
        "languages",
        "availability",
        "skills",
        "gender_preference",
        "capacity",
        "dbs_issued",
    ] {
        let marker = format!("name=\"{name}\"");
        let at = edit.body.find(&marker).unwrap();
        let rest = &edit.body[at..];
        let value = rest
            .find("value=\"")
            .map(|v| &rest[v + 7..])
            .map(|v| v[..v.find('"').unwrap()].to_owned())
            .unwrap_or_default();
        fields.push((name.to_owned(), value.replace("&#39;", "'")));
    }
    let mut form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.extend([
        ("remote", "only"),
        ("gender", "woman"),
        ("age_band", "35_49"),
        ("dbs_level", "enhanced"),
        ("dbs_update_service", "yes"),
    ]);
    let mut bad = form.clone();
    bad.retain(|(k, _)| *k != "dbs_issued");
    bad.push(("dbs_issued", "2099-01-01"));
    let reply = post(h, &coordinator, &amal_path, &bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.body.contains("Certificate issued on: Give the date"),
        "{}",
        reply.body
    );
    let reply = post(h, &coordinator, &amal_path, &form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let stolen_person = amal_path.replace(&a.to_string(), &b.to_string());
    assert_eq!(
        get(h, &other, &stolen_person).await.status,
        StatusCode::NOT_FOUND
    );

    // Organisation B's admin: A's programme is not found, even under B's own path.
    let stolen = programme.replace(&a.to_string(), &b.to_string());
    assert_eq!(get(h, &other, &stolen).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        post(h, &other, &format!("{stolen}/run"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(h, &other, &programme).await.status,
        StatusCode::NOT_FOUND
    );

    // The same page in Arabic, right to left.
    let request = Request::get(&programme)
        .header(header::COOKIE, &coordinator.cookie)
        .header(header::ACCEPT_LANGUAGE, "ar")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = h.send(request).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("dir=\"rtl\""));
    assert!(body.contains("لماذا هذا الزوج"));
    assert!(body.contains("شغّل المطابقة"));

    // Ending with both sides' feedback and an outcome.
    let reply = post(
        h,
        &coordinator,
        &step,
        &[
            ("to", "ended"),
            ("outcome", "goals_met"),
            ("mentor_feedback", "Dina passed her OSCE."),
            ("mentee_feedback", "شكراً جزيلاً"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = get(h, &coordinator, &programme).await;
    assert!(page.body.contains("<dd>Goals met</dd>"));
    assert!(page.body.contains("شكراً جزيلاً"));
}

#[tokio::test]
async fn a_coordinator_walks_through_matching_on_sqlite() {
    let h = Harness::sqlite().await;
    walk(&h).await;
}

#[tokio::test]
async fn a_coordinator_walks_through_matching_on_postgres() {
    if let Some(h) = Harness::postgres().await {
        walk(&h).await;
        h.finish().await;
    }
}

#[tokio::test]
async fn bad_uploads_never_panic_and_write_nothing() {
    let h = Harness::sqlite().await;
    let a = approved_tenant(&h, "Organisation A").await;
    let coordinator = member(&h, a, Role::OrganisationAdmin, "admin@a.example.org").await;
    let reply = post(
        &h,
        &coordinator,
        &format!("/organisations/{a}/mentoring"),
        PROGRAMME,
    )
    .await;
    let programme = reply.location().to_owned();
    for csv in [
        "",
        "\u{0}\u{1}",
        "name,colour\nA,red\n",
        "name,name\nA,B\n",
        "\"unterminated\n",
        "name,gender\nA\n",
    ] {
        let reply = upload(&h, &coordinator, &format!("{programme}/mentees/csv"), csv).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{csv:?}: {}",
            reply.body
        );
        assert!(reply.body.contains("csv-problems"));
    }
    // Not multipart at all.
    let reply = post(&h, &coordinator, &format!("{programme}/mentees/csv"), &[]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let page = get(&h, &coordinator, &programme).await;
    assert!(page.body.contains("Nobody yet."));
}

/// A usable token of `tenant` with `scopes`; returns its secret.
pub(crate) async fn token(h: &Harness, tenant: haven_domain::TenantId, scopes: &[&str]) -> String {
    use haven_domain::clock::Clock;
    let now = h.clock.now();
    let secret = haven_auth::token::new_token();
    h.store
        .create_api_token(
            &haven_store::ApiToken {
                id: uuid::Uuid::new_v4(),
                tenant,
                name: "CRM".to_owned(),
                digest: secret.digest,
                scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
                created_at: now,
                expires_at: now + time::Duration::days(30),
                last_used_at: None,
                revoked_at: None,
            },
            &crate::organisations::site("api_token_created", now),
        )
        .await
        .unwrap();
    secret.secret
}

pub(crate) async fn api(
    h: &Harness,
    secret: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> (StatusCode, serde_json::Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
        .unwrap();
    let (status, _, body) = h.send(request).await;
    (
        status,
        serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test]
async fn the_api_does_the_same_work_with_a_token() {
    let h = Harness::sqlite().await;
    let a = approved_tenant(&h, "Organisation A").await;
    let b = approved_tenant(&h, "Organisation B").await;
    let write = token(&h, a, &["mentoring:read", "mentoring:write"]).await;
    let read_only = token(&h, a, &["mentoring:read"]).await;
    let other = token(&h, b, &["mentoring:read", "mentoring:write"]).await;

    let (status, programme) = api(
        &h,
        &write,
        "POST",
        "/api/mentoring/programmes",
        Some(r#"{"name": "Work", "capacity": 1, "weight_goals": 5, "rule_goal_covered": true, "dbs_required_level": "enhanced"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{programme}");
    let id = programme["id"].as_str().unwrap().to_owned();
    let base = format!("/api/mentoring/programmes/{id}");
    let (status, _) = api(&h, &read_only, "POST", &format!("{base}/run"), None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "read-only tokens cannot write"
    );
    let (status, _) = api(&h, &other, "GET", &base, None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another organisation's programme"
    );

    // People: one bad entry names itself and nothing is written.
    let (status, problem) = api(
        &h,
        &write,
        "POST",
        &format!("{base}/mentees"),
        Some(r#"[{"name": "Dina", "languages": "ar:native", "remote": "only", "gender": "woman", "age_band": "25_34", "goals": ["employment"]},
                 {"name": "Eman", "languages": "ar:native", "remote": "only", "gender": "woman", "age_band": "forty", "goals": "english"}]"#),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        problem["errors"][0]["field"], "mentees[1].age_band",
        "{problem}"
    );
    let (_, all) = api(&h, &read_only, "GET", &base, None).await;
    assert_eq!(all["mentees"].as_array().unwrap().len(), 0);
    // More people than one request may add: refused as a whole, before anything is read.
    // (Empty objects keep the body under the test server's 64 KB limit: the count comes first.)
    let many = format!("[{}]", vec!["{}"; 2001].join(","));
    let (status, problem) = api(&h, &write, "POST", &format!("{base}/mentees"), Some(&many)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert!(problem.to_string().contains("at most 2000"), "{problem}");
    let (_, all) = api(&h, &read_only, "GET", &base, None).await;
    assert_eq!(all["mentees"].as_array().unwrap().len(), 0);
    let (status, _) = api(
        &h,
        &write,
        "POST",
        &format!("{base}/mentees"),
        Some("not json"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = api(
        &h,
        &write,
        "POST",
        &format!("{base}/mentees"),
        Some(r#"[{"name": "Dina", "languages": "ar:native", "remote": "only", "gender": "woman", "age_band": "25_34", "goals": ["employment"]}]"#),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = api(
        &h,
        &write,
        "POST",
        &format!("{base}/mentors"),
        Some(r#"[{"name": "Amal", "languages": "ar:native", "remote": "only", "gender": "woman", "age_band": "35_49", "skills": "employment"}]"#),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    // Matching, then the lifecycle, with a refusal in words for a skipped step.
    let (status, outcome) = api(&h, &write, "POST", &format!("{base}/run"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(outcome["pairs"][0]["criteria"][0]["criterion"], "goals");
    let (_, all) = api(&h, &read_only, "GET", &base, None).await;
    let m = all["matches"][0]["id"].as_str().unwrap().to_owned();
    let step = format!("/api/mentoring/matches/{m}");
    let (status, refusal) = api(&h, &write, "POST", &step, Some(r#"{"to": "active"}"#)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(refusal["refused"], "transition");
    let (status, moved) = api(&h, &write, "POST", &step, Some(r#"{"to": "agreed"}"#)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(moved["status"], "agreed");
    let (status, _) = api(&h, &other, "POST", &step, Some(r#"{"to": "introduced"}"#)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Forbidding the agreed pair is refused; picking a pair by hand checks the rules.
    let pair = format!(
        r#"{{"action": "forbid", "mentor": "{}", "mentee": "{}"}}"#,
        all["matches"][0]["mentor"].as_str().unwrap(),
        all["matches"][0]["mentee"].as_str().unwrap()
    );
    let (status, refusal) = api(&h, &write, "POST", &format!("{base}/pairs"), Some(&pair)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refusal}");
    let (_, all) = api(&h, &read_only, "GET", &base, None).await;
    assert!(all["unmatched"].is_array(), "{all}");
    assert!(all["unmatched_refused"].is_null(), "{all}");

    // Settings the agreed pair now breaks (neither gave a free slot): the explanation is refused
    // in words, not passed off as everyone matched.
    let (status, _) = api(
        &h,
        &write,
        "PUT",
        &base,
        Some(r#"{"name": "Work", "capacity": 1, "weight_goals": 5, "rule_goal_covered": true, "rule_availability": true, "rule_min_slots": 1, "dbs_required_level": "enhanced"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, all) = api(&h, &read_only, "GET", &base, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(all["unmatched"].is_null(), "{all}");
    assert_eq!(all["unmatched_refused"]["refused"], "engine", "{all}");
    assert!(
        all["unmatched_refused"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("breaks a rule")),
        "{all}"
    );
    let (status, list) = api(&h, &read_only, "GET", "/api/mentoring/programmes", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);
}
