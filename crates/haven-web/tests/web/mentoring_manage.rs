//! Mentoring after the first run: a coordinator changes a programme's settings (page and API),
//! on both backends. Bad values name each field and change nothing; a saved change is audited,
//! and agreed pairs survive the next run under the new settings.

use axum::http::StatusCode;
use haven_domain::accounts::Role;
use haven_domain::mentoring::MatchStatus;
use haven_domain::{ProgrammeId, TenantId};
use haven_store::MentoringStoreExt;

use crate::harness::Harness;
use crate::listings::{approved_tenant, get, member, post};
use crate::mentoring::{MENTEES, MENTORS, PROGRAMME, api, token, upload};

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

async fn settings(h: &Harness) {
    let a = approved_tenant(h, "Organisation A").await;
    let b = approved_tenant(h, "Organisation B").await;
    let coordinator = member(h, a, Role::Caseworker, "coordinator@a.example.org").await;
    member(h, a, Role::Volunteer, "mentor@a.example.org").await;
    let volunteer = member(h, a, Role::Volunteer, "volunteer@a.example.org").await;
    let other = member(h, b, Role::OrganisationAdmin, "admin@b.example.org").await;
    let base = format!("/organisations/{a}/mentoring");
    let programme = post(h, &coordinator, &base, PROGRAMME)
        .await
        .location()
        .to_owned();
    let id = programme_of(&programme);
    for (path, csv) in [("mentors", MENTORS), ("mentees", MENTEES)] {
        let reply = upload(h, &coordinator, &format!("{programme}/{path}/csv"), csv).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
    post(h, &coordinator, &format!("{programme}/run"), &[]).await;
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
    post(h, &coordinator, &format!("{programme}/run"), &[]).await;
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
