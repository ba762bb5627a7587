//! The authorisation matrix: every route of the router's own table × every kind of person ×
//! the person's own organisation and another one, checked against the rule the route was
//! registered with. A route missing from the reviewed list below, or whose path parameters the
//! fill table cannot fill, fails the test by name: a new route cannot arrive without a rule
//! someone has looked at.

use std::collections::HashMap;

use axum::http::{Method, StatusCode};
use haven_domain::accounts::{
    Email, LinkPurpose, Membership, OneTimeLink, Role, SessionRecord, Tenant, TenantStatus, User,
};
use haven_domain::clock::Clock;
use haven_domain::{OrganisationId, TenantId, Text, UserId};
use haven_web::Access::{self, Member, Public, SignedIn, SiteAdmin, Token};
use haven_web::ApiScope;
use haven_web::route_rules;
use time::Duration;
use uuid::Uuid;

use crate::harness::{Harness, Reply};

/// Every route, reviewed: (method, path, rule).
const REVIEWED: &[(&str, &str, Access)] = &[
    ("GET", "/healthz", Public),
    ("GET", "/readyz", Public),
    ("GET", "/static/{name}", Public),
    ("GET", "/", Public),
    ("GET", "/search", Public),
    ("GET", "/services/{id}", Public),
    ("GET", "/directory/organisations/{id}", Public),
    ("GET", "/about", Public),
    ("GET", "/admin/reports", SiteAdmin),
    ("POST", "/admin/reports/{id}/resolve", SiteAdmin),
    ("GET", "/api/openapi.json", Public),
    (
        "PUT",
        "/api/organizations/{id}/services/{service_id}",
        Token(ApiScope::ListingsWrite),
    ),
    ("GET", "/api/services", Public),
    ("GET", "/api/services/{id}", Public),
    ("GET", "/api/organizations", Public),
    ("GET", "/api/organizations/{id}", Public),
    ("GET", "/api/service_at_locations", Public),
    ("GET", "/api/service_at_locations/{id}", Public),
    ("GET", "/api/taxonomies", Public),
    ("GET", "/api/taxonomies/{id}", Public),
    ("GET", "/api/taxonomy_terms", Public),
    ("GET", "/api/taxonomy_terms/{id}", Public),
    ("GET", "/language/{tag}", Public),
    ("GET", "/services/{id}/report", Public),
    ("POST", "/services/{id}/report", Public),
    ("GET", "/services/{id}/report/thanks", Public),
    ("GET", "/account", SignedIn),
    ("POST", "/account/language", SignedIn),
    ("GET", "/account/set-up/{token}", Public),
    ("POST", "/account/set-up/{token}", Public),
    ("GET", "/account/reset", Public),
    ("POST", "/account/reset", Public),
    ("GET", "/account/reset/{token}", Public),
    ("POST", "/account/reset/{token}", Public),
    ("GET", "/sign-in", Public),
    ("POST", "/sign-in", Public),
    ("GET", "/sign-in/code", Public),
    ("POST", "/sign-in/code", Public),
    ("POST", "/sign-out", SignedIn),
    ("POST", "/sign-out/everywhere", SignedIn),
    ("GET", "/organisations/sign-up", Public),
    ("POST", "/organisations/sign-up", Public),
    ("GET", "/admin/organisations", SiteAdmin),
    ("POST", "/admin/organisations/{tenant}/approve", SiteAdmin),
    ("POST", "/admin/organisations/{tenant}/reject", SiteAdmin),
    ("GET", "/organisations/{tenant}", Member(Role::Viewer)),
    ("POST", "/organisations/{tenant}/act", Member(Role::Viewer)),
    (
        "GET",
        "/organisations/{tenant}/members",
        Member(Role::OrganisationAdmin),
    ),
    (
        "POST",
        "/organisations/{tenant}/members",
        Member(Role::OrganisationAdmin),
    ),
    (
        "POST",
        "/organisations/{tenant}/members/{user}/role",
        Member(Role::OrganisationAdmin),
    ),
    (
        "POST",
        "/organisations/{tenant}/members/{user}/remove",
        Member(Role::OrganisationAdmin),
    ),
    (
        "GET",
        "/organisations/{tenant}/audit",
        Member(Role::OrganisationAdmin),
    ),
    (
        "GET",
        "/organisations/{tenant}/listing",
        Member(Role::OrganisationAdmin),
    ),
    (
        "POST",
        "/organisations/{tenant}/listing",
        Member(Role::OrganisationAdmin),
    ),
    (
        "GET",
        "/organisations/{tenant}/listing/services/new",
        Member(Role::OrganisationAdmin),
    ),
    (
        "POST",
        "/organisations/{tenant}/listing/services",
        Member(Role::OrganisationAdmin),
    ),
    (
        "GET",
        "/organisations/{tenant}/listing/services/{service}",
        Member(Role::OrganisationAdmin),
    ),
    (
        "POST",
        "/organisations/{tenant}/listing/services/{service}",
        Member(Role::OrganisationAdmin),
    ),
    (
        "POST",
        "/organisations/{tenant}/listing/services/{service}/remove",
        Member(Role::OrganisationAdmin),
    ),
    (
        "GET",
        "/organisations/{tenant}/tokens",
        Member(Role::OrganisationAdmin),
    ),
    (
        "POST",
        "/organisations/{tenant}/tokens",
        Member(Role::OrganisationAdmin),
    ),
    (
        "POST",
        "/organisations/{tenant}/tokens/{token}/revoke",
        Member(Role::OrganisationAdmin),
    ),
    (
        "GET",
        "/api/organisation/listing",
        Token(ApiScope::ListingsRead),
    ),
    (
        "GET",
        "/organisations/{tenant}/mentoring",
        Member(Role::Caseworker),
    ),
    (
        "POST",
        "/organisations/{tenant}/mentoring",
        Member(Role::Caseworker),
    ),
    (
        "GET",
        "/organisations/{tenant}/mentoring/{programme}",
        Member(Role::Caseworker),
    ),
    (
        "GET",
        "/organisations/{tenant}/mentoring/{programme}/mentors/new",
        Member(Role::Caseworker),
    ),
    (
        "POST",
        "/organisations/{tenant}/mentoring/{programme}/mentors",
        Member(Role::Caseworker),
    ),
    (
        "GET",
        "/organisations/{tenant}/mentoring/{programme}/mentees/new",
        Member(Role::Caseworker),
    ),
    (
        "POST",
        "/organisations/{tenant}/mentoring/{programme}/mentees",
        Member(Role::Caseworker),
    ),
    (
        "POST",
        "/organisations/{tenant}/mentoring/{programme}/mentors/csv",
        Member(Role::Caseworker),
    ),
    (
        "POST",
        "/organisations/{tenant}/mentoring/{programme}/mentees/csv",
        Member(Role::Caseworker),
    ),
    (
        "POST",
        "/organisations/{tenant}/mentoring/{programme}/run",
        Member(Role::Caseworker),
    ),
    (
        "POST",
        "/organisations/{tenant}/mentoring/{programme}/pairs",
        Member(Role::Caseworker),
    ),
    (
        "POST",
        "/organisations/{tenant}/mentoring/{programme}/matches/{match}",
        Member(Role::Caseworker),
    ),
    (
        "GET",
        "/organisations/{tenant}/my-match",
        Member(Role::Viewer),
    ),
    (
        "GET",
        "/api/mentoring/programmes",
        Token(ApiScope::MentoringRead),
    ),
    (
        "POST",
        "/api/mentoring/programmes",
        Token(ApiScope::MentoringWrite),
    ),
    (
        "GET",
        "/api/mentoring/programmes/{programme}",
        Token(ApiScope::MentoringRead),
    ),
    (
        "POST",
        "/api/mentoring/programmes/{programme}/mentors",
        Token(ApiScope::MentoringWrite),
    ),
    (
        "POST",
        "/api/mentoring/programmes/{programme}/mentees",
        Token(ApiScope::MentoringWrite),
    ),
    (
        "POST",
        "/api/mentoring/programmes/{programme}/run",
        Token(ApiScope::MentoringWrite),
    ),
    (
        "POST",
        "/api/mentoring/programmes/{programme}/pairs",
        Token(ApiScope::MentoringWrite),
    ),
    (
        "POST",
        "/api/mentoring/matches/{match}",
        Token(ApiScope::MentoringWrite),
    ),
    (
        "GET",
        "/organisations/{tenant}/mentoring/{programme}/people/{participant}",
        Member(Role::Caseworker),
    ),
    (
        "POST",
        "/organisations/{tenant}/mentoring/{programme}/people/{participant}",
        Member(Role::Caseworker),
    ),
    (
        "GET",
        "/organisations/{tenant}/mentoring/{programme}/settings",
        Member(Role::Caseworker),
    ),
    (
        "POST",
        "/organisations/{tenant}/mentoring/{programme}/settings",
        Member(Role::Caseworker),
    ),
    (
        "PUT",
        "/api/mentoring/programmes/{programme}",
        Token(ApiScope::MentoringWrite),
    ),
    (
        "GET",
        "/organisations/{tenant}/mentoring/{programme}/people/{participant}/withdraw",
        Member(Role::Caseworker),
    ),
    (
        "POST",
        "/organisations/{tenant}/mentoring/{programme}/people/{participant}/withdraw",
        Member(Role::Caseworker),
    ),
    (
        "POST",
        "/api/mentoring/programmes/{programme}/people/{participant}/withdraw",
        Token(ApiScope::MentoringWrite),
    ),
    ("GET", "/invitations/{token}", Public),
    ("POST", "/invitations/{token}", Public),
    ("GET", "/api", Public),
    ("GET", "/api/", Public),
];

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    HalfSignedIn,
    NoOrganisation,
    MemberOfA(Role),
    SiteAdmin,
}

const EVERYONE: [Who; 8] = [
    Who::Anonymous,
    Who::HalfSignedIn,
    Who::NoOrganisation,
    Who::MemberOfA(Role::Viewer),
    Who::MemberOfA(Role::Volunteer),
    Who::MemberOfA(Role::Caseworker),
    Who::MemberOfA(Role::OrganisationAdmin),
    Who::SiteAdmin,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Allowed,
    NotFound,
    SignIn,
    Unauthorised,
}

fn expected(access: Access, who: Who, own_tenant: bool, api: bool) -> Outcome {
    let signed_in = !matches!(who, Who::Anonymous | Who::HalfSignedIn);
    match access {
        Public => Outcome::Allowed,
        // Only a bearer token opens these; a session, even a site admin's, does not.
        Token(_) => Outcome::Unauthorised,
        _ if !signed_in && api => Outcome::Unauthorised,
        _ if !signed_in => Outcome::SignIn,
        SignedIn => Outcome::Allowed,
        SiteAdmin if who == Who::SiteAdmin => Outcome::Allowed,
        SiteAdmin => Outcome::NotFound,
        Member(minimum) => match who {
            Who::MemberOfA(role) if own_tenant && role >= minimum => Outcome::Allowed,
            _ => Outcome::NotFound,
        },
    }
}

fn check(outcome: Outcome, access: Access, reply: &Reply) -> Result<(), String> {
    let status = reply.status;
    let to_sign_in = status.is_redirection() && reply.location() == "/sign-in";
    // "Sign out everywhere" itself ends at /sign-in, clearing the cookie; the guard never does.
    let signed_out = reply.cookie("haven_session").as_deref() == Some("");
    let ok = match outcome {
        Outcome::Allowed => {
            !matches!(
                status,
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
            ) && (access == Public || !to_sign_in || signed_out)
                && !status.is_server_error()
        }
        Outcome::NotFound => status == StatusCode::NOT_FOUND,
        Outcome::SignIn => to_sign_in,
        Outcome::Unauthorised => status == StatusCode::UNAUTHORIZED,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "expected {outcome:?}, got {status} (location {:?})",
            reply.location()
        ))
    }
}

struct World {
    tenant_a: TenantId,
    tenant_b: TenantId,
    users: HashMap<String, UserId>,
    /// Path parameter values: by parameter name, or by "path|name" where one path needs its own.
    fill: HashMap<String, String>,
}

async fn user(h: &Harness, email: &str, site_admin: bool) -> User {
    let now = h.clock.now();
    let user = User {
        id: UserId::new_random(),
        email: Email::parse(email).unwrap(),
        password_hash: None,
        totp_secret: None,
        totp_last_step: None,
        site_admin,
        language: None,
        created_at: now,
    };
    h.store
        .create_user(&user, &crate::organisations::site("user_created", now))
        .await
        .unwrap();
    user
}

async fn tenant(h: &Harness, name: &str, listing: Option<OrganisationId>) -> TenantId {
    let now = h.clock.now();
    let tenant = Tenant {
        id: TenantId::new_random(),
        name: Text::parse(name, 200).unwrap(),
        status: TenantStatus::Approved,
        listing,
        created_at: now,
    };
    h.store
        .create_tenant(
            &tenant,
            &crate::organisations::site("organisation_signed_up", now),
        )
        .await
        .unwrap();
    tenant.id
}

async fn link(
    h: &Harness,
    user: UserId,
    purpose: LinkPurpose,
    invitation: Option<(TenantId, Role)>,
) -> String {
    let token = haven_auth::token::new_token();
    h.store
        .create_link(&OneTimeLink {
            digest: token.digest,
            user,
            purpose,
            invitation,
            expires_at: h.clock.now() + Duration::days(1),
        })
        .await
        .unwrap();
    token.secret
}

async fn world(h: &Harness) -> World {
    let now = h.clock.now();
    // A's own directory listing with one service, for the listing pages to find (and, at the
    // end of the matrix, for A's admin to remove).
    let listing = Uuid::new_v4();
    let own_service = Uuid::new_v4();
    let mut own = haven_hsds::Dataset::new();
    own.organization.push(
        serde_json::from_value(serde_json::json!({
            "id": listing, "name": "A's listing", "description": "Organisation A's services."
        }))
        .unwrap(),
    );
    own.service.push(
        serde_json::from_value(serde_json::json!({
            "id": own_service, "organization_id": listing, "name": "A's service", "status": "active"
        }))
        .unwrap(),
    );
    h.store.store_dataset(&own).await.unwrap();
    let tenant_a = tenant(
        h,
        "Organisation A",
        Some(OrganisationId::from_uuid(listing)),
    )
    .await;
    let tenant_b = tenant(h, "Organisation B", None).await;
    let mut users = HashMap::new();
    let site_admin = user(h, "site@example.org", true).await;
    users.insert("site".to_owned(), site_admin.id);
    let lonely = user(h, "lonely@example.org", false).await;
    users.insert("none".to_owned(), lonely.id);
    for role in Role::ALL {
        let member = user(h, &format!("{}@a.example.org", role.code()), false).await;
        h.store
            .set_membership(
                &Membership {
                    user: member.id,
                    tenant: tenant_a,
                    role,
                },
                &crate::organisations::site("member_added", now),
            )
            .await
            .unwrap();
        users.insert(role.code().to_owned(), member.id);
    }
    let admin_b = user(h, "admin@b.example.org", false).await;
    h.store
        .set_membership(
            &Membership {
                user: admin_b.id,
                tenant: tenant_b,
                role: Role::OrganisationAdmin,
            },
            &crate::organisations::site("member_added", now),
        )
        .await
        .unwrap();
    let newcomer = user(h, "newcomer@example.org", false).await;

    let dataset = h.store.dataset().await.unwrap();
    // Public records from the demo (A's own listing is stored, but not in the loaded directory).
    let service = dataset
        .service
        .iter()
        .find(|s| s.id != own_service)
        .unwrap();
    let organisation = dataset
        .organization
        .iter()
        .find(|o| o.id != listing)
        .unwrap();
    let service_at_location = &dataset.service_at_location[0];
    let taxonomy = &dataset.taxonomy[0];
    let term = &dataset.taxonomy_term[0];
    let home = h.request("GET", "/", None, None).await;
    let start = home.body.find("/static/").unwrap() + "/static/".len();
    let end = start + home.body[start..].find('"').unwrap();

    let mut fill = HashMap::new();
    fill.insert("service".to_owned(), own_service.to_string());
    // A token of A's, for A's admin to revoke.
    let token = haven_store::ApiToken {
        id: Uuid::new_v4(),
        tenant: tenant_a,
        name: "Website".to_owned(),
        digest: haven_auth::token::new_token().digest,
        scopes: vec!["listings:read".to_owned()],
        created_at: now,
        expires_at: now + Duration::days(30),
        last_used_at: None,
        revoked_at: None,
    };
    h.store
        .create_api_token(
            &token,
            &crate::organisations::site("api_token_created", now),
        )
        .await
        .unwrap();
    fill.insert(
        "/organisations/{tenant}/tokens/{token}/revoke|token".to_owned(),
        token.id.to_string(),
    );
    fill.insert("name".to_owned(), home.body[start..end].to_owned());
    fill.insert("tag".to_owned(), "en".to_owned());
    fill.insert("id".to_owned(), service.id.to_string());
    fill.insert("service_id".to_owned(), service.id.to_string());
    for path in [
        "/directory/organisations/{id}",
        "/api/organizations/{id}",
        "/api/organizations/{id}/services/{service_id}",
    ] {
        fill.insert(format!("{path}|id"), organisation.id.to_string());
    }
    fill.insert(
        "/api/service_at_locations/{id}|id".to_owned(),
        service_at_location.id.to_string(),
    );
    fill.insert(
        "/api/taxonomies/{id}|id".to_owned(),
        taxonomy.id.to_string(),
    );
    fill.insert(
        "/api/taxonomy_terms/{id}|id".to_owned(),
        term.id.to_string(),
    );
    // A report for site admins to resolve (resolving twice is harmless).
    let report = haven_domain::ListingReport {
        id: haven_domain::ReportId::new_random(),
        service_id: haven_domain::ServiceId::from_uuid(service.id),
        reason: haven_domain::ReportReason::Closed,
        details: None,
        received_at: now,
        resolved_at: None,
    };
    h.store.add_listing_report(&report).await.unwrap();
    fill.insert(
        "/admin/reports/{id}/resolve|id".to_owned(),
        report.id.to_string(),
    );
    // The last admin of A: removing or demoting them is refused, so the matrix changes nothing.
    fill.insert(
        "user".to_owned(),
        users[Role::OrganisationAdmin.code()].to_string(),
    );
    fill.insert(
        "/account/set-up/{token}|token".to_owned(),
        link(h, newcomer.id, LinkPurpose::SetUp, None).await,
    );
    fill.insert(
        "/account/reset/{token}|token".to_owned(),
        link(h, lonely.id, LinkPurpose::PasswordReset, None).await,
    );
    fill.insert(
        "/invitations/{token}|token".to_owned(),
        link(
            h,
            newcomer.id,
            LinkPurpose::Invitation,
            Some((tenant_a, Role::Caseworker)),
        )
        .await,
    );
    // A programme of A's with a mentor, a mentee and a proposed match between them.
    {
        use haven_store::MentoringStoreExt;
        use haven_store::conformance::{sample_mentee, sample_mentor, sample_programme};
        let event = crate::organisations::site("mentoring", now);
        let programme = sample_programme(tenant_a, "Matrix programme");
        h.store.create_programme(&programme, &event).await.unwrap();
        let mentor = sample_mentor(&programme, "Mentor");
        let mentee = sample_mentee(&programme, "Mentee");
        h.store
            .add_mentors(tenant_a, std::slice::from_ref(&mentor), &event)
            .await
            .unwrap();
        h.store
            .add_mentees(tenant_a, std::slice::from_ref(&mentee), &event)
            .await
            .unwrap();
        let actor = haven_mentoring::Actor {
            tenant: tenant_a,
            user: None,
            now,
        };
        haven_mentoring::run::run_matching(h.store.as_ref(), &actor, programme.id)
            .await
            .unwrap();
        let matches = h.store.matches(tenant_a, programme.id).await.unwrap();
        fill.insert("programme".to_owned(), programme.id.to_string());
        fill.insert("match".to_owned(), matches[0].id.to_string());
        fill.insert("participant".to_owned(), mentor.id.to_string());
    }
    World {
        tenant_a,
        tenant_b,
        users,
        fill,
    }
}

/// The path with its parameters filled, or the name of the parameter that could not be.
fn fill_path(path: &str, world: &World, tenant: TenantId) -> Result<String, String> {
    let mut out = String::new();
    for segment in path.split('/').skip(1) {
        out.push('/');
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let value = if name == "tenant" {
                Some(tenant.to_string())
            } else {
                world
                    .fill
                    .get(&format!("{path}|{name}"))
                    .or_else(|| world.fill.get(name))
                    .cloned()
            };
            out.push_str(&value.ok_or_else(|| name.to_owned())?);
        } else {
            out.push_str(segment);
        }
    }
    Ok(out)
}

/// A fresh session for `who` (so a sign-out or a tenant choice in one request cannot change
/// the next); returns the cookie and its CSRF token.
async fn session(h: &Harness, world: &World, who: Who) -> Option<(String, String)> {
    let key = match who {
        Who::Anonymous => return None,
        Who::HalfSignedIn | Who::NoOrganisation => "none".to_owned(),
        Who::MemberOfA(role) => role.code().to_owned(),
        Who::SiteAdmin => "site".to_owned(),
    };
    let now = h.clock.now();
    let token = haven_auth::token::new_token();
    let csrf = haven_auth::token::new_token().secret;
    h.store
        .create_session(&SessionRecord {
            digest: token.digest,
            user: world.users[&key],
            tenant: None,
            csrf_token: csrf.clone(),
            second_factor_done: who != Who::HalfSignedIn,
            created_at: now,
            last_seen_at: now,
            authenticated_at: now,
        })
        .await
        .unwrap();
    Some((format!("haven_session={}", token.secret), csrf))
}

/// A POST with a wrong CSRF token: a form, or for the CSV uploads (which read multipart before
/// anything else; a form body is 400 there) a multipart body with a small file.
async fn wrong_csrf(h: &Harness, uri: &str, cookie: &str) -> StatusCode {
    if uri.ends_with("/csv") {
        const BOUNDARY: &str = "matrix-boundary";
        let body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nwrong\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n\
             Content-Type: text/csv\r\n\r\nname\r\n\r\n--{BOUNDARY}--\r\n"
        );
        let request = axum::http::Request::post(uri)
            .header(
                axum::http::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(axum::http::header::COOKIE, cookie)
            .body(axum::body::Body::from(body))
            .unwrap();
        h.send(request).await.0
    } else {
        h.request("POST", uri, Some(cookie), Some("csrf=wrong"))
            .await
            .status
    }
}

#[tokio::test]
async fn every_route_answers_every_person_as_its_rule_says() {
    // The demo directory, so public pages about a service or organisation have one to show.
    let h = Harness::with_demo().await;
    let world = world(&h).await;
    let rules = route_rules(&h.state);
    let mut failures = Vec::new();

    for rule in &rules {
        let reviewed = REVIEWED
            .iter()
            .find(|(method, path, _)| *method == rule.method.as_str() && *path == rule.path);
        match reviewed {
            None => failures.push(format!(
                "{} {} is not in the matrix test's reviewed list: add it with its expected rule",
                rule.method, rule.path
            )),
            Some((_, _, access)) if *access != rule.access => failures.push(format!(
                "{} {} is registered as {:?} but reviewed as {access:?}",
                rule.method, rule.path, rule.access
            )),
            Some(_) => {}
        }
    }
    for (method, path, _) in REVIEWED {
        if !rules
            .iter()
            .any(|r| r.method.as_str() == *method && r.path == *path)
        {
            failures.push(format!("{method} {path} is reviewed but no longer a route"));
        }
    }

    let mut checked = 0;
    for rule in &rules {
        let tenants: &[(TenantId, bool)] = if rule.path.contains("{tenant}") {
            &[(world.tenant_a, true), (world.tenant_b, false)]
        } else {
            &[(world.tenant_a, true)]
        };
        for &(tenant, own) in tenants {
            let uri = match fill_path(rule.path, &world, tenant) {
                Ok(uri) => uri,
                Err(name) => {
                    failures.push(format!(
                        "{} {}: the matrix test cannot fill the parameter {{{name}}}",
                        rule.method, rule.path
                    ));
                    break;
                }
            };
            for who in EVERYONE {
                let outcome = expected(rule.access, who, own, rule.path.starts_with("/api"));
                // A signed-in POST that would be allowed is refused with a wrong CSRF token
                // (in a session of its own, so the real request below is unaffected).
                if rule.method == Method::POST
                    && rule.access != Public
                    && matches!(outcome, Outcome::Allowed)
                    && let Some((cookie, _)) = session(&h, &world, who).await
                {
                    let status = wrong_csrf(&h, &uri, &cookie).await;
                    if status != StatusCode::FORBIDDEN {
                        failures.push(format!(
                            "{} {} as {who:?} ({} organisation) with a wrong CSRF token: \
                             expected 403, got {status}",
                            rule.method,
                            rule.path,
                            if own { "own" } else { "other" },
                        ));
                    }
                    checked += 1;
                }
                let session = session(&h, &world, who).await;
                let cookie = session.as_ref().map(|(cookie, _)| cookie.as_str());
                let form = (rule.method == Method::POST).then(|| {
                    format!(
                        "csrf={}",
                        session.as_ref().map_or("", |(_, csrf)| csrf.as_str())
                    )
                });
                let reply = h
                    .request(rule.method.as_str(), &uri, cookie, form.as_deref())
                    .await;
                if let Err(problem) = check(outcome, rule.access, &reply) {
                    failures.push(format!(
                        "{} {} as {who:?} ({} organisation): {problem}",
                        rule.method,
                        rule.path,
                        if own { "own" } else { "other" }
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 300, "only {checked} requests checked");
    // Nothing in the matrix changed who belongs where.
    let members = h.store.members_of(world.tenant_a).await.unwrap();
    assert_eq!(members.len(), 4);
}
