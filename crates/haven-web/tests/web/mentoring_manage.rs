//! Mentoring after the first run, on both backends: a coordinator changes a programme's settings
//! (bad values name each field and change nothing; agreed pairs survive the next run) and
//! withdraws people (their open matches end as withdrawn, their history stays, later runs leave
//! them out), by page and by API, each audited.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use haven_domain::accounts::Role;
use haven_domain::mentoring::MatchStatus;
use haven_domain::{ProgrammeId, TenantId};
use haven_store::MentoringStoreExt;

use crate::harness::Harness;
use crate::listings::{Person, approved_tenant, get, member, post};
use crate::mentoring::{MENTEES, MENTORS, PROGRAMME, api, run_matching, token, upload};

fn programme_of(path: &str) -> ProgrammeId {
    path.rsplit('/').next().unwrap().parse().unwrap()
}

async fn actions(h: &Harness, tenant: TenantId) -> Vec<String> {
    h.store
        .audit_entries(&tenant.to_string())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

/// Organisation A with a coordinator and a new programme of `settings`, nobody in it yet:
/// A, the coordinator, and the programme page's path.
async fn new_programme(h: &Harness, settings: &[(&str, &str)]) -> (TenantId, Person, String) {
    let a = approved_tenant(h, "Organisation A").await;
    let coordinator = member(h, a, Role::Caseworker, "coordinator@a.example.org").await;
    let reply = post(
        h,
        &coordinator,
        &format!("/organisations/{a}/mentoring"),
        settings,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let programme = reply.location().to_owned();
    (a, coordinator, programme)
}

/// Where managing a programme starts: organisations A and B; A's coordinator, a volunteer, and
/// the volunteer account a sample mentor links to; B's admin; and a programme of A holding the
/// sample mentors and mentees, matched once.
struct Matched {
    a: TenantId,
    b: TenantId,
    coordinator: Person,
    volunteer: Person,
    other: Person,
    programme: String,
    id: ProgrammeId,
}

async fn matched(h: &Harness) -> Matched {
    let (a, coordinator, programme) = new_programme(h, PROGRAMME).await;
    let b = approved_tenant(h, "Organisation B").await;
    member(h, a, Role::Volunteer, "mentor@a.example.org").await;
    let volunteer = member(h, a, Role::Volunteer, "volunteer@a.example.org").await;
    let other = member(h, b, Role::OrganisationAdmin, "admin@b.example.org").await;
    let id = programme_of(&programme);
    for (path, csv) in [("mentors", MENTORS), ("mentees", MENTEES)] {
        let reply = upload(h, &coordinator, &format!("{programme}/{path}/csv"), csv).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
    run_matching(h, &coordinator, &programme).await;
    Matched {
        a,
        b,
        coordinator,
        volunteer,
        other,
        programme,
        id,
    }
}

async fn settings(h: &Harness) {
    let Matched {
        a,
        b,
        coordinator,
        volunteer,
        other,
        programme,
        id,
    } = matched(h).await;
    let proposed = h.store.matches(a, id).await.unwrap();
    assert_eq!(proposed.len(), 1);
    let reply = post(
        h,
        &coordinator,
        &format!("{programme}/matches/{}", proposed[0].id),
        &[("to", "agreed")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);

    // The programme page links to the settings; the form opens filled in from what is stored.
    let page = get(h, &coordinator, &programme).await;
    assert!(page.body.contains(&format!("{programme}/settings")));
    let form = get(h, &coordinator, &format!("{programme}/settings")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"Health professionals\""));
    assert!(
        form.body
            .contains("id=\"weight_goals\" name=\"weight_goals\" value=\"5\"")
    );
    assert!(
        form.body
            .contains("id=\"weight_proximity\" name=\"weight_proximity\" value=\"0\"")
    );
    assert!(
        form.body
            .contains("name=\"rule_goal_covered\" value=\"on\" checked")
    );
    assert!(
        !form
            .body
            .contains("name=\"rule_gender_preference\" value=\"on\" checked")
    );
    assert!(form.body.contains("value=\"1095\""));
    assert!(form.body.contains("agreed, introduced or started stay"));

    // Every bad field is named, and nothing is saved.
    let mut bad = PROGRAMME.to_vec();
    for (k, v) in bad.iter_mut() {
        match *k {
            "name" => *v = "",
            "capacity" => *v = "9",
            "weight_goals" => *v = "-1",
            "dbs_required_level" => *v = "gold",
            "dbs_max_age_days" => *v = "99999",
            _ => {}
        }
    }
    let reply = post(h, &coordinator, &format!("{programme}/settings"), &bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    for field in [
        "Name:",
        "Mentees per mentor:",
        "Weight of goals:",
        "Check level required:",
        "Oldest certificate accepted",
    ] {
        assert!(reply.body.contains(field), "{field}: {}", reply.body);
    }
    let stored = h.store.programme(a, id).await.unwrap();
    assert_eq!(stored.name.as_str(), "Health professionals");
    assert_eq!(stored.settings.mentor_capacity, 1);

    // Another organisation and a volunteer cannot see or change it.
    let reply = get(h, &other, &format!("{programme}/settings")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = post(h, &other, &format!("{programme}/settings"), PROGRAMME).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = get(h, &volunteer, &format!("{programme}/settings")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    // A good change is saved and audited; the agreed pair stays through the next run.
    let mut good = PROGRAMME.to_vec();
    for (k, v) in good.iter_mut() {
        match *k {
            "name" => *v = "Health professionals 2027",
            "capacity" => *v = "2",
            "weight_goals" => *v = "9",
            _ => {}
        }
    }
    good.push(("rule_gender_preference", "on"));
    let reply = post(h, &coordinator, &format!("{programme}/settings"), &good).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location(), programme);
    let stored = h.store.programme(a, id).await.unwrap();
    assert_eq!(stored.name.as_str(), "Health professionals 2027");
    assert_eq!(stored.settings.name, "Health professionals 2027");
    assert_eq!(stored.settings.mentor_capacity, 2);
    assert!(stored.settings.criteria.iter().any(|c| c.weight == 9));
    assert_eq!(stored.settings.rules.len(), 3);
    assert!(
        actions(h, a)
            .await
            .contains(&"programme_updated".to_owned())
    );
    run_matching(h, &coordinator, &programme).await;
    let after = h.store.matches(a, id).await.unwrap();
    assert!(
        after
            .iter()
            .any(|m| m.id == proposed[0].id && m.status == MatchStatus::Agreed),
        "the agreed pair stays"
    );
    let form = get(h, &coordinator, &format!("{programme}/settings")).await;
    assert!(
        form.body
            .contains("name=\"rule_gender_preference\" value=\"on\" checked")
    );

    // The API: a token replaces the settings with PUT; problems named, nothing partial.
    let write = token(h, a, &["mentoring:read", "mentoring:write"]).await;
    let read_only = token(h, a, &["mentoring:read"]).await;
    let foreign = token(h, b, &["mentoring:read", "mentoring:write"]).await;
    let path = format!("/api/mentoring/programmes/{id}");
    let (status, problem) = api(
        h,
        &write,
        "PUT",
        &path,
        Some(r#"{"name": "Renamed", "capacity": 0, "weight_goals": 5, "dbs_required_level": "enhanced"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "capacity", "{problem}");
    assert_eq!(
        h.store.programme(a, id).await.unwrap().name.as_str(),
        "Health professionals 2027"
    );
    let body = r#"{"name": "Renamed", "capacity": 3, "weight_goals": 5, "rule_goal_covered": true, "dbs_required_level": "enhanced", "dbs_max_age_days": 365}"#;
    let (status, _) = api(h, &read_only, "PUT", &path, Some(body)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = api(h, &foreign, "PUT", &path, Some(body)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api(h, &write, "PUT", &path, Some("[1, 2")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, saved) = api(h, &write, "PUT", &path, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["name"], "Renamed");
    assert_eq!(saved["settings"]["mentor_capacity"], 3);
    let stored = h.store.programme(a, id).await.unwrap();
    assert_eq!(stored.settings.mentor_capacity, 3);
    assert_eq!(
        stored.settings.safeguarding.max_certificate_age_days,
        Some(365)
    );
    let updates = actions(h, a)
        .await
        .into_iter()
        .filter(|a| a == "programme_updated")
        .count();
    assert_eq!(updates, 2);
}

#[tokio::test]
async fn a_coordinator_changes_a_programmes_settings_on_sqlite() {
    let h = Harness::sqlite().await;
    settings(&h).await;
}

#[tokio::test]
async fn a_coordinator_changes_a_programmes_settings_on_postgres() {
    if let Some(h) = Harness::postgres().await {
        settings(&h).await;
        h.finish().await;
    }
}

/// The id in `…/people/{id}` of the link whose text is `name`.
fn person_link(body: &str, name: &str) -> String {
    let end = body.find(&format!("\">{name}</a>")).unwrap();
    body[end - 36..end].to_owned()
}

async fn withdrawing(h: &Harness) {
    let Matched {
        a,
        b,
        coordinator,
        volunteer,
        other,
        programme,
        id,
    } = matched(h).await;
    let amal_dina = h.store.matches(a, id).await.unwrap()[0].clone();
    for to in ["agreed", "introduced"] {
        let path = format!("{programme}/matches/{}", amal_dina.id);
        let reply = post(h, &coordinator, &path, &[("to", to)]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
    let page = get(h, &coordinator, &programme).await;
    let amal = person_link(&page.body, "Amal Haddad");
    let bilal = person_link(&page.body, "Bilal Omar");
    assert_eq!(amal, amal_dina.mentor.to_string());
    let withdraw = format!("{programme}/people/{amal}/withdraw");

    // The person's page links to withdrawing; the confirmation says which match ends.
    let edit = get(h, &coordinator, &format!("{programme}/people/{amal}")).await;
    assert!(
        edit.body.contains(&format!("href=\"{withdraw}\"")),
        "{}",
        edit.body
    );
    let confirm = get(h, &coordinator, &withdraw).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("<h1>Withdraw Amal Haddad</h1>"));
    assert!(
        confirm.body.contains("<li>Dina Saleh (Introduced)</li>"),
        "{}",
        confirm.body
    );
    assert!(
        confirm.body.contains("the outcome &quot;Withdrawn&quot;")
            || confirm.body.contains("the outcome &#34;Withdrawn&#34;"),
        "{}",
        confirm.body
    );

    // Nobody else can see or do it.
    for who in [&other, &volunteer] {
        assert_eq!(get(h, who, &withdraw).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            post(h, who, &withdraw, &[]).await.status,
            StatusCode::NOT_FOUND
        );
    }
    assert!(
        h.store
            .mentor(a, amal_dina.mentor)
            .await
            .unwrap()
            .is_active()
    );

    // Withdrawing ends the introduced match, keeps the record, and is audited.
    let reply = post(h, &coordinator, &withdraw, &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = get(h, &coordinator, &programme).await;
    assert!(page.body.contains("Amal Haddad</a> <span class=\"tag\">has an account</span> <span class=\"tag withdrawn\">withdrawn</span>"), "{}", page.body);
    assert!(page.body.contains("<dd>Withdrawn</dd>"));
    assert!(
        !page.body.contains(&format!("<option value=\"{amal}\">")),
        "a withdrawn mentor is not offered for a pair by hand"
    );
    let ended = h.store.get_match(a, amal_dina.id).await.unwrap();
    assert_eq!(ended.status, MatchStatus::Ended);
    assert!(actions(h, a).await.contains(&"mentor_withdrawn".to_owned()));

    // Later runs leave Amal out; pairing Amal by hand is refused in words.
    run_matching(h, &coordinator, &programme).await;
    let open: Vec<_> = h
        .store
        .matches(a, id)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.status != MatchStatus::Ended)
        .collect();
    assert!(
        open.iter().all(|m| m.mentor != amal_dina.mentor),
        "{open:?}"
    );
    let dina = amal_dina.mentee.to_string();
    let reply = post(
        h,
        &coordinator,
        &format!("{programme}/pairs"),
        &[("action", "propose"), ("mentor", &amal), ("mentee", &dina)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(
        reply.body.contains("has withdrawn from the programme"),
        "{}",
        reply.body
    );

    // Again: the page says when, with no button; posting anyway is refused and changes nothing.
    let confirm = get(h, &coordinator, &withdraw).await;
    assert!(
        confirm
            .body
            .contains("Amal Haddad withdrew from the programme on")
    );
    assert!(!confirm.body.contains("<button"));
    let reply = post(h, &coordinator, &withdraw, &[]).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);

    // The API: Bilal withdraws with a token; nothing open, so nothing ends.
    let write = token(h, a, &["mentoring:read", "mentoring:write"]).await;
    let read_only = token(h, a, &["mentoring:read"]).await;
    let foreign = token(h, b, &["mentoring:read", "mentoring:write"]).await;
    let path = format!("/api/mentoring/programmes/{id}/people/{bilal}/withdraw");
    let (status, _) = api(h, &read_only, "POST", &path, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = api(h, &foreign, "POST", &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let wrong = format!("/api/mentoring/programmes/{id}/people/not-an-id/withdraw");
    let (status, _) = api(h, &write, "POST", &wrong, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, done) = api(h, &write, "POST", &path, None).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["side"], "mentor");
    assert_eq!(done["ended_matches"], 0);
    let (status, refused) = api(h, &write, "POST", &path, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(refused["refused"], "withdrawn");
    let (_, all) = api(
        h,
        &read_only,
        "GET",
        &format!("/api/mentoring/programmes/{id}"),
        None,
    )
    .await;
    let withdrawn = all["mentors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["withdrawn_at"].is_string())
        .count();
    assert_eq!(withdrawn, 2);
}

#[tokio::test]
async fn a_coordinator_withdraws_a_mentor_on_sqlite() {
    let h = Harness::sqlite().await;
    withdrawing(&h).await;
}

#[tokio::test]
async fn a_coordinator_withdraws_a_mentor_on_postgres() {
    if let Some(h) = Harness::postgres().await {
        withdrawing(&h).await;
        h.finish().await;
    }
}

async fn place_names(h: &Harness) {
    let mut settings = PROGRAMME.to_vec();
    settings.push(("weight_proximity", "2"));
    let (a, coordinator, programme) = new_programme(h, &settings).await;
    let id = programme_of(&programme);
    let mentors = "name,languages,remote,place,availability,gender,age_band,skills,dbs_level,dbs_issued,dbs_update_service\n\
Amal Haddad,ar:native; en:fluent,yes,Leeds,monday-evening,woman,35_49,employment,enhanced,2026-01-10,yes\n";
    let mentees = "name,languages,remote,place,availability,gender,age_band,goals,at_risk\n\
Dina Saleh,ar:native; en:conversational,yes,Bradford,monday-evening,woman,25_34,employment,no\n";
    for (path, csv) in [("mentors", mentors), ("mentees", mentees)] {
        let reply = upload(h, &coordinator, &format!("{programme}/{path}/csv"), csv).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }

    // The lists and the explanation name the places as typed.
    let page = get(h, &coordinator, &programme).await;
    assert!(page.body.contains("<td>Leeds</td>"), "{}", page.body);
    assert!(page.body.contains("<td>Bradford</td>"));
    run_matching(h, &coordinator, &programme).await;
    let page = get(h, &coordinator, &programme).await;
    assert!(
        page.body.contains("(Leeds – Bradford)"),
        "the proximity row names both places: {}",
        page.body
    );

    // The edit form shows the place; left empty it keeps place and point; changed, it changes.
    let amal = person_link(&page.body, "Amal Haddad");
    let path = format!("{programme}/people/{amal}");
    let edit = get(h, &coordinator, &path).await;
    assert!(
        edit.body
            .contains("id=\"place\" name=\"place\" value=\"Leeds\""),
        "{}",
        edit.body
    );
    let mut fields = vec![
        ("name", "Amal Haddad"),
        ("languages", "ar:native; en:fluent"),
        ("remote", "yes"),
        ("place", ""),
        ("availability", "monday-evening"),
        ("gender", "woman"),
        ("age_band", "35_49"),
        ("skills", "employment"),
        ("dbs_level", "enhanced"),
        ("dbs_issued", "2026-01-10"),
        ("dbs_update_service", "yes"),
    ];
    let reply = post(h, &coordinator, &path, &fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let mentor_id = amal.parse().unwrap();
    let kept = h.store.mentor(a, mentor_id).await.unwrap();
    assert_eq!(kept.place.as_ref().map(|p| p.as_str()), Some("Leeds"));
    fields[3] = ("place", "York");
    let reply = post(h, &coordinator, &path, &fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let moved = h.store.mentor(a, mentor_id).await.unwrap();
    assert_eq!(moved.place.as_ref().map(|p| p.as_str()), Some("York"));
    assert_ne!(moved.profile.meeting, kept.profile.meeting);
    let write = token(h, a, &["mentoring:read"]).await;
    let (_, all) = api(
        h,
        &write,
        "GET",
        &format!("/api/mentoring/programmes/{id}"),
        None,
    )
    .await;
    assert_eq!(all["mentors"][0]["place"], "York");
    assert_eq!(all["mentees"][0]["place"], "Bradford");
}

#[tokio::test]
async fn place_names_are_kept_and_shown_on_sqlite() {
    let h = Harness::sqlite().await;
    place_names(&h).await;
}

#[tokio::test]
async fn place_names_are_kept_and_shown_on_postgres() {
    if let Some(h) = Harness::postgres().await {
        place_names(&h).await;
        h.finish().await;
    }
}

async fn csv_rows(h: &Harness) {
    let (a, coordinator, programme) = new_programme(h, PROGRAMME).await;
    // As a spreadsheet shows it: 1 header, 2 Dina, 3 blank, 4 Eman (a two-line name, still one
    // row), 5 and 6 blank, 7 Farah with a bad age band.
    let csv = "name,languages,remote,gender,age_band,goals\n\
Dina Saleh,ar:native,only,woman,25_34,english\n\
\n\
\"Eman\nAli\",ar:native,only,woman,25_34,english\n\
\n\
\n\
Farah Nouri,ar:native,only,woman,forty,english\n";
    let reply = upload(h, &coordinator, &format!("{programme}/mentees/csv"), csv).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply
            .body
            .contains("<tr><td>7</td><td dir=\"ltr\">age_band</td>"),
        "{}",
        reply.body
    );
    assert!(
        h.store
            .mentees(a, programme_of(&programme))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn csv_problems_name_the_row_a_spreadsheet_shows_on_sqlite() {
    let h = Harness::sqlite().await;
    csv_rows(&h).await;
}

#[tokio::test]
async fn csv_problems_name_the_row_a_spreadsheet_shows_on_postgres() {
    if let Some(h) = Harness::postgres().await {
        csv_rows(&h).await;
        h.finish().await;
    }
}

async fn last_run(h: &Harness) {
    let (a, coordinator, programme) = new_programme(h, PROGRAMME).await;
    member(h, a, Role::Volunteer, "mentor@a.example.org").await;
    let reply = upload(
        h,
        &coordinator,
        &format!("{programme}/mentors/csv"),
        MENTORS,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = get(h, &coordinator, &programme).await;
    assert!(page.body.contains("Matching has not been run yet."));
    assert!(page.body.contains("describe the programme as it is now"));

    run_matching(h, &coordinator, &programme).await;
    let page = get(h, &coordinator, &programme).await;
    assert!(
        page.body
            .contains("Matching last ran on 2026-11-22 at 12:00 (UTC)."),
        "{}",
        page.body
    );
    assert!(!page.body.contains("changed-since"));

    // Ten minutes later: two mentees added, a mentor withdrawn, the settings changed.
    h.clock.advance(time::Duration::minutes(10));
    let reply = upload(
        h,
        &coordinator,
        &format!("{programme}/mentees/csv"),
        MENTEES,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let bilal = person_link(&page.body, "Bilal Omar");
    let reply = post(
        h,
        &coordinator,
        &format!("{programme}/people/{bilal}/withdraw"),
        &[],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let reply = post(h, &coordinator, &format!("{programme}/settings"), PROGRAMME).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = get(h, &coordinator, &programme).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(
            "Since then: mentees added: 2; people withdrawn: 1; the programme&#39;s settings changed."
        ) || page.body.contains(
            "Since then: mentees added: 2; people withdrawn: 1; the programme&#x27;s settings changed."
        ),
        "{}",
        page.body
    );
    // Running again brings the page up to date.
    run_matching(h, &coordinator, &programme).await;
    let page = get(h, &coordinator, &programme).await;
    assert!(
        page.body
            .contains("Matching last ran on 2026-11-22 at 12:10 (UTC).")
    );
    assert!(!page.body.contains("changed-since"));
    // And in Arabic (the language comes from the request's Accept-Language).
    let request = Request::get(&programme)
        .header(header::COOKIE, &coordinator.cookie)
        .header(header::ACCEPT_LANGUAGE, "ar")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = h.send(request).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("آخر تشغيل للمطابقة كان في 2026-11-22 الساعة 12:10 (بالتوقيت العالمي)."),
        "{body}"
    );
}

#[tokio::test]
async fn the_programme_page_says_when_matching_ran_and_what_changed_on_sqlite() {
    let h = Harness::sqlite().await;
    last_run(&h).await;
}

#[tokio::test]
async fn the_programme_page_says_when_matching_ran_and_what_changed_on_postgres() {
    if let Some(h) = Harness::postgres().await {
        last_run(&h).await;
        h.finish().await;
    }
}
