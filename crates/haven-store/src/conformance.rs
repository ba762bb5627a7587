//! The conformance suite: every backend runs these same cases against a fresh database of its
//! own, so the backends cannot drift apart (deletes and cascades included).
//!
//! A backend's test binary calls [`conformance_suite!`] with an async factory returning
//! `Option<D>` where `D: TestDatabase`; `None` means the backend is not available here and the
//! factory has already said why (it must fail instead when the run requires the backend).

// This module is test code, compiled only into test binaries (feature `conformance`): a failed
// unwrap here is a failing test, which is the point.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

use async_trait::async_trait;
use haven_domain::{
    ListingReport, Organisation, OrganisationId, ReportId, ReportReason, Scope, Service, ServiceId,
    ServiceStatus, Text,
};
use time::macros::datetime;

use haven_auth::audit_chain::verify_chain;
use haven_domain::accounts::{
    AuditEvent, AuditScope, Email, LinkPurpose, Membership, OneTimeLink, Role, SessionRecord,
    Tenant, TenantStatus, User,
};
use haven_domain::{TenantId, UserId};
use time::{Duration, OffsetDateTime};

use crate::{Page, Store, StoreError};

mod mentoring;
pub use mentoring::*;

/// A database made for one test, removed by `finish`.
#[async_trait]
pub trait TestDatabase: Send + Sync {
    /// The store under test.
    fn store(&self) -> &dyn Store;
    /// Closes the store and removes the database.
    async fn finish(self);
}

/// Generates one `#[tokio::test]` per conformance case.
#[macro_export]
macro_rules! conformance_suite {
    ($factory:path) => {
        $crate::conformance_suite!(@cases $factory;
            ping_answers,
            organisation_round_trips,
            upsert_replaces_organisation,
            missing_records_are_not_found,
            organisations_are_ordered_and_paged,
            service_needs_its_organisation,
            services_of_lists_only_that_organisation,
            deleting_organisation_cascades,
            deleting_service_cascades_to_reports,
            deleting_missing_record_is_not_found,
            reports_round_trip_in_order,
            duplicate_report_is_conflict,
            report_needs_its_service,
            counts_follow_writes,
            meta_is_stored_and_replaced,
            text_survives_in_any_script,
            users_round_trip_and_emails_are_unique,
            changes_and_their_audit_entries_are_one_transaction,
            audit_chains_verify_per_scope,
            totp_steps_only_move_forward,
            totp_secrets_are_replaced_only_from_the_stored_one,
            recovery_codes_work_once,
            tenants_and_memberships,
            links_work_once_and_expire,
            sessions_round_trip_and_sign_out_everywhere,
            sign_in_failures_count_and_clear,
            hsds_dataset_round_trips_with_projections,
            storing_a_dataset_again_updates_in_place,
            deleting_an_organisation_removes_its_hsds_records,
            devices_are_known_per_user,
            resolving_a_report_takes_it_off_the_queue,
            listing_changes_are_one_transaction,
            api_tokens_are_found_by_digest_and_revoked_once,
            setting_up_an_account_is_one_transaction,
            a_password_reset_is_one_transaction,
            the_last_admin_cannot_be_demoted_or_removed,
            concurrent_demotions_keep_an_admin,
            preferred_language_is_stored,
            mentoring_programmes_belong_to_their_organisation,
            mentors_and_mentees_are_added_all_or_nothing,
            matches_move_forward_only_and_reruns_keep_agreed_pairs,
            pairs_are_locked_and_forbidden_per_programme,
            withdrawing_ends_open_matches_and_keeps_history,
            a_place_name_is_kept_with_its_point,
            dbs_reminders_are_recorded_once,
        );
    };
    (@cases $factory:path; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $case() {
                use $crate::conformance::TestDatabase as _;
                if let Some(db) = $factory().await {
                    $crate::conformance::$case(db.store()).await;
                    db.finish().await;
                }
            }
        )*
    };
}

fn text(s: &str) -> Text {
    Text::parse(s, 10_000).unwrap()
}

/// An organisation with a given name and a fresh id.
pub fn sample_organisation(name: &str) -> Organisation {
    Organisation {
        id: OrganisationId::new_random(),
        name: text(name),
        description: text("Helps people with what they need."),
        scope: Scope::Local,
        town: Some(text("Keighley")),
        website: None,
    }
}

/// A service of `organisation` with a given name and a fresh id.
pub fn sample_service(organisation: OrganisationId, name: &str) -> Service {
    Service {
        id: ServiceId::new_random(),
        organisation_id: organisation,
        name: text(name),
        description: text("Drop-in advice."),
        status: ServiceStatus::Active,
    }
}

/// A report about `service` received at a given minute past noon.
pub fn sample_report(service: ServiceId, minute: u8) -> ListingReport {
    let noon = datetime!(2026-03-01 12:00 UTC);
    ListingReport {
        id: ReportId::new_random(),
        service_id: service,
        reason: ReportReason::WrongDetails,
        details: Some(text("The phone number is out of date.")),
        received_at: noon + time::Duration::minutes(i64::from(minute)),
        resolved_at: None,
    }
}

fn assert_not_found<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::NotFound { .. })),
        "expected NotFound, got {result:?}"
    );
}

pub async fn ping_answers(store: &dyn Store) {
    store.ping().await.unwrap();
}

pub async fn organisation_round_trips(store: &dyn Store) {
    let mut organisation = sample_organisation("Compas");
    organisation.website = Some(text("https://example.org/compas"));
    organisation.scope = Scope::Regional;
    store.upsert_organisation(&organisation).await.unwrap();
    assert_eq!(
        store.organisation(organisation.id).await.unwrap(),
        organisation
    );
}

pub async fn upsert_replaces_organisation(store: &dyn Store) {
    let mut organisation = sample_organisation("Old name");
    store.upsert_organisation(&organisation).await.unwrap();
    organisation.name = text("New name");
    organisation.town = None;
    store.upsert_organisation(&organisation).await.unwrap();
    assert_eq!(
        store.organisation(organisation.id).await.unwrap(),
        organisation
    );
    assert_eq!(store.directory_counts().await.unwrap().organisations, 1);
}

pub async fn missing_records_are_not_found(store: &dyn Store) {
    assert_not_found(store.organisation(OrganisationId::new_random()).await);
    assert_not_found(store.service(ServiceId::new_random()).await);
    assert_not_found(store.listing_report(ReportId::new_random()).await);
}

pub async fn organisations_are_ordered_and_paged(store: &dyn Store) {
    for name in ["Citizens UK", "Amare", "Migrant Voice", "British Future"] {
        store
            .upsert_organisation(&sample_organisation(name))
            .await
            .unwrap();
    }
    let names = |orgs: Vec<Organisation>| -> Vec<String> {
        orgs.into_iter().map(|o| o.name.into_string()).collect()
    };
    let all = store.organisations(Page::first(10)).await.unwrap();
    assert_eq!(
        names(all),
        ["Amare", "British Future", "Citizens UK", "Migrant Voice"]
    );
    let second = store
        .organisations(Page {
            offset: 1,
            limit: 2,
        })
        .await
        .unwrap();
    assert_eq!(names(second), ["British Future", "Citizens UK"]);
    let beyond = store
        .organisations(Page {
            offset: u64::MAX,
            limit: u64::MAX,
        })
        .await
        .unwrap();
    assert!(beyond.is_empty());
}

pub async fn service_needs_its_organisation(store: &dyn Store) {
    let orphan = sample_service(OrganisationId::new_random(), "ESOL class");
    assert_not_found(store.upsert_service(&orphan).await);
    assert_not_found(store.service(orphan.id).await);
}

pub async fn services_of_lists_only_that_organisation(store: &dyn Store) {
    let a = sample_organisation("A");
    let b = sample_organisation("B");
    store.upsert_organisation(&a).await.unwrap();
    store.upsert_organisation(&b).await.unwrap();
    let clinic = sample_service(a.id, "Legal advice clinic");
    let class = sample_service(a.id, "ESOL class");
    let other = sample_service(b.id, "Food bank");
    for service in [&clinic, &class, &other] {
        store.upsert_service(service).await.unwrap();
    }
    assert_eq!(
        store.services_of(a.id).await.unwrap(),
        vec![class, clinic.clone()]
    );
    assert_eq!(store.service(clinic.id).await.unwrap(), clinic);
}

pub async fn deleting_organisation_cascades(store: &dyn Store) {
    let doomed = sample_organisation("Closing down");
    let kept = sample_organisation("Carrying on");
    store.upsert_organisation(&doomed).await.unwrap();
    store.upsert_organisation(&kept).await.unwrap();
    let doomed_service = sample_service(doomed.id, "Drop-in");
    let kept_service = sample_service(kept.id, "Drop-in");
    store.upsert_service(&doomed_service).await.unwrap();
    store.upsert_service(&kept_service).await.unwrap();
    let doomed_report = sample_report(doomed_service.id, 1);
    let kept_report = sample_report(kept_service.id, 2);
    store.add_listing_report(&doomed_report).await.unwrap();
    store.add_listing_report(&kept_report).await.unwrap();

    store.delete_organisation(doomed.id).await.unwrap();

    assert_not_found(store.organisation(doomed.id).await);
    assert_not_found(store.service(doomed_service.id).await);
    assert_not_found(store.listing_report(doomed_report.id).await);
    assert_eq!(store.service(kept_service.id).await.unwrap(), kept_service);
    assert_eq!(
        store.listing_reports(Page::first(10)).await.unwrap(),
        vec![kept_report]
    );
    let counts = store.directory_counts().await.unwrap();
    assert_eq!((counts.organisations, counts.services), (1, 1));
}

pub async fn deleting_service_cascades_to_reports(store: &dyn Store) {
    let organisation = sample_organisation("Org");
    store.upsert_organisation(&organisation).await.unwrap();
    let service = sample_service(organisation.id, "Clinic");
    store.upsert_service(&service).await.unwrap();
    let report = sample_report(service.id, 0);
    store.add_listing_report(&report).await.unwrap();
    store.delete_service(service.id).await.unwrap();
    assert_not_found(store.listing_report(report.id).await);
    assert_eq!(
        store.organisation(organisation.id).await.unwrap(),
        organisation
    );
}

pub async fn deleting_missing_record_is_not_found(store: &dyn Store) {
    assert_not_found(
        store
            .delete_organisation(OrganisationId::new_random())
            .await,
    );
    assert_not_found(store.delete_service(ServiceId::new_random()).await);
}

pub async fn reports_round_trip_in_order(store: &dyn Store) {
    let organisation = sample_organisation("Org");
    store.upsert_organisation(&organisation).await.unwrap();
    let service = sample_service(organisation.id, "Clinic");
    store.upsert_service(&service).await.unwrap();
    let later = sample_report(service.id, 30);
    let mut earlier = sample_report(service.id, 5);
    earlier.details = None;
    earlier.reason = ReportReason::Closed;
    store.add_listing_report(&later).await.unwrap();
    store.add_listing_report(&earlier).await.unwrap();
    let reports = store.listing_reports(Page::first(10)).await.unwrap();
    assert_eq!(reports, vec![earlier.clone(), later]);
    assert_eq!(store.listing_report(earlier.id).await.unwrap(), earlier);
}

pub async fn duplicate_report_is_conflict(store: &dyn Store) {
    let organisation = sample_organisation("Org");
    store.upsert_organisation(&organisation).await.unwrap();
    let service = sample_service(organisation.id, "Clinic");
    store.upsert_service(&service).await.unwrap();
    let report = sample_report(service.id, 0);
    store.add_listing_report(&report).await.unwrap();
    let again = store.add_listing_report(&report).await;
    assert!(
        matches!(again, Err(StoreError::Conflict { .. })),
        "got {again:?}"
    );
    assert_eq!(
        store.listing_reports(Page::first(10)).await.unwrap().len(),
        1
    );
}

pub async fn report_needs_its_service(store: &dyn Store) {
    let report = sample_report(ServiceId::new_random(), 0);
    assert_not_found(store.add_listing_report(&report).await);
    assert!(
        store
            .listing_reports(Page::first(10))
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn counts_follow_writes(store: &dyn Store) {
    assert_eq!(store.directory_counts().await.unwrap(), Default::default());
    let organisation = sample_organisation("Org");
    store.upsert_organisation(&organisation).await.unwrap();
    for name in ["One", "Two", "Three"] {
        store
            .upsert_service(&sample_service(organisation.id, name))
            .await
            .unwrap();
    }
    let counts = store.directory_counts().await.unwrap();
    assert_eq!((counts.organisations, counts.services), (1, 3));
}

pub async fn meta_is_stored_and_replaced(store: &dyn Store) {
    assert_eq!(store.meta("demo").await.unwrap(), None);
    store.set_meta("demo", "yes").await.unwrap();
    store.set_meta("demo", "no").await.unwrap();
    assert_eq!(store.meta("demo").await.unwrap().as_deref(), Some("no"));
}

pub async fn text_survives_in_any_script(store: &dyn Store) {
    let mut organisation = sample_organisation("منظمة دعم اللاجئين");
    organisation.description = text("Cymraeg: Croeso! 中文 \u{1F600}\nline two");
    store.upsert_organisation(&organisation).await.unwrap();
    assert_eq!(
        store.organisation(organisation.id).await.unwrap(),
        organisation
    );
}

fn noon() -> OffsetDateTime {
    datetime!(2026-11-22 12:00 UTC)
}

/// A user with a fresh id and the given address.
pub fn sample_user(email: &str) -> User {
    User {
        id: UserId::new_random(),
        email: Email::parse(email).unwrap(),
        password_hash: None,
        totp_secret: None,
        totp_last_step: None,
        site_admin: false,
        language: None,
        created_at: noon(),
    }
}

/// An audit event in the site chain.
pub fn site_event(action: &'static str, actor: Option<UserId>) -> AuditEvent {
    AuditEvent {
        scope: AuditScope::Site,
        at: noon(),
        actor,
        action,
        subject: None,
    }
}

/// A pending tenant.
pub fn sample_tenant(name: &str) -> Tenant {
    Tenant {
        id: TenantId::new_random(),
        name: text(name),
        status: TenantStatus::Pending,
        listing: None,
        created_at: noon(),
    }
}

pub async fn users_round_trip_and_emails_are_unique(store: &dyn Store) {
    let mut user = sample_user("Amina@Example.org");
    user.password_hash = Some("$argon2id$stub".to_owned());
    user.site_admin = true;
    store
        .create_user(&user, &site_event("user_created", None))
        .await
        .unwrap();
    assert_eq!(store.user(user.id).await.unwrap(), user);
    let by_email = store
        .user_by_email(&Email::parse("amina@example.org").unwrap())
        .await
        .unwrap();
    assert_eq!(by_email.id, user.id);
    let twin = sample_user("amina@example.org");
    let clash = store
        .create_user(&twin, &site_event("user_created", None))
        .await;
    assert!(
        matches!(clash, Err(StoreError::Conflict { .. })),
        "{clash:?}"
    );
    assert_not_found(store.user(UserId::new_random()).await);
    assert_not_found(
        store
            .user_by_email(&Email::parse("nobody@example.org").unwrap())
            .await,
    );
}

pub async fn changes_and_their_audit_entries_are_one_transaction(store: &dyn Store) {
    let user = sample_user("a@example.org");
    store
        .create_user(&user, &site_event("user_created", None))
        .await
        .unwrap();
    store
        .create_link(&OneTimeLink {
            digest: "reset".to_owned(),
            user: user.id,
            purpose: LinkPurpose::PasswordReset,
            invitation: None,
            expires_at: noon() + Duration::hours(1),
        })
        .await
        .unwrap();
    store
        .reset_password(
            user.id,
            "reset",
            noon(),
            "$argon2id$new",
            &site_event("password_set", Some(user.id)),
        )
        .await
        .unwrap();
    // A change that fails leaves no audit entry behind.
    let clash = sample_user("a@example.org");
    assert!(
        store
            .create_user(&clash, &site_event("user_created", None))
            .await
            .is_err()
    );
    assert_not_found(
        store
            .reset_password(
                UserId::new_random(),
                "reset",
                noon(),
                "x",
                &site_event("password_set", None),
            )
            .await,
    );
    let entries = store.audit_entries("site").await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["user_created", "password_set"]);
    assert_eq!(
        entries[1].actor.as_deref(),
        Some(user.id.to_string().as_str())
    );
    assert_eq!(
        store.user(user.id).await.unwrap().password_hash.as_deref(),
        Some("$argon2id$new")
    );
}

pub async fn audit_chains_verify_per_scope(store: &dyn Store) {
    let tenant = sample_tenant("Compas");
    store
        .create_tenant(&tenant, &site_event("organisation_signed_up", None))
        .await
        .unwrap();
    for action in ["case_viewed", "case_exported", "case_viewed"] {
        let event = AuditEvent {
            scope: AuditScope::Tenant(tenant.id),
            subject: Some(("case", "c-1".to_owned())),
            ..site_event(action, None)
        };
        store.append_audit(&event).await.unwrap();
    }
    store
        .append_audit(&site_event("sign_in", None))
        .await
        .unwrap();
    let mut scopes = store.audit_scopes().await.unwrap();
    scopes.sort();
    let mut expected = vec!["site".to_owned(), tenant.id.to_string()];
    expected.sort();
    assert_eq!(scopes, expected);
    for scope in scopes {
        let entries = store.audit_entries(&scope).await.unwrap();
        assert!(
            verify_chain(&entries).unwrap().is_some(),
            "{scope} verifies"
        );
    }
    let tenant_entries = store.audit_entries(&tenant.id.to_string()).await.unwrap();
    assert_eq!(tenant_entries.len(), 3);
    assert_eq!(tenant_entries[2].subject_id.as_deref(), Some("c-1"));
}

pub async fn totp_steps_only_move_forward(store: &dyn Store) {
    let user = User {
        totp_secret: Some(vec![7; 20]),
        ..sample_user("t@example.org")
    };
    store
        .create_user(&user, &site_event("user_created", None))
        .await
        .unwrap();
    assert_eq!(
        store.user(user.id).await.unwrap().totp_secret,
        Some(vec![7; 20])
    );
    assert!(store.claim_totp_step(user.id, 100).await.unwrap());
    assert!(
        !store.claim_totp_step(user.id, 100).await.unwrap(),
        "same step twice"
    );
    assert!(
        !store.claim_totp_step(user.id, 99).await.unwrap(),
        "an earlier step"
    );
    assert!(store.claim_totp_step(user.id, 101).await.unwrap());
    assert_eq!(store.user(user.id).await.unwrap().totp_last_step, Some(101));
}

pub async fn totp_secrets_are_replaced_only_from_the_stored_one(store: &dyn Store) {
    let with = User {
        totp_secret: Some(b"plain".to_vec()),
        ..sample_user("with@example.org")
    };
    let without = sample_user("without@example.org");
    for user in [&with, &without] {
        store
            .create_user(user, &site_event("user_created", None))
            .await
            .unwrap();
    }
    // Only users with a secret are listed.
    assert_eq!(
        store.totp_secrets().await.unwrap(),
        [(with.id, b"plain".to_vec())]
    );
    // From a stale `old` (a secret set up meanwhile): nothing changes.
    assert!(
        !store
            .replace_totp_secret(with.id, b"stale", b"sealed")
            .await
            .unwrap()
    );
    assert!(
        !store
            .replace_totp_secret(without.id, b"plain", b"sealed")
            .await
            .unwrap(),
        "a user without a secret gets none"
    );
    assert_eq!(
        store.user(with.id).await.unwrap().totp_secret,
        Some(b"plain".to_vec())
    );
    assert_eq!(store.user(without.id).await.unwrap().totp_secret, None);
    // From the stored one: replaced.
    assert!(
        store
            .replace_totp_secret(with.id, b"plain", b"sealed")
            .await
            .unwrap()
    );
    assert_eq!(
        store.totp_secrets().await.unwrap(),
        [(with.id, b"sealed".to_vec())]
    );
    assert!(
        !store
            .replace_totp_secret(with.id, b"plain", b"again")
            .await
            .unwrap(),
        "the old secret is gone"
    );
}

pub async fn recovery_codes_work_once(store: &dyn Store) {
    let user = sample_user("r@example.org");
    store
        .create_user(&user, &site_event("user_created", None))
        .await
        .unwrap();
    for digest in ["first", "second"] {
        store
            .create_link(&OneTimeLink {
                digest: digest.to_owned(),
                user: user.id,
                purpose: LinkPurpose::Invitation,
                invitation: None,
                expires_at: noon() + Duration::days(7),
            })
            .await
            .unwrap();
    }
    let events = [site_event("second_factor_set", None)];
    let digests = vec!["aaa".to_owned(), "bbb".to_owned()];
    store
        .set_up_account(&set_up_of(&user, "first", &events, &digests, None))
        .await
        .unwrap();
    assert!(
        store
            .claim_recovery_code(user.id, "aaa", noon())
            .await
            .unwrap()
    );
    assert!(
        !store
            .claim_recovery_code(user.id, "aaa", noon())
            .await
            .unwrap()
    );
    assert!(
        !store
            .claim_recovery_code(user.id, "zzz", noon())
            .await
            .unwrap()
    );
    // Setting up the second factor again replaces every code.
    store
        .set_up_account(&set_up_of(
            &user,
            "second",
            &events,
            &["ccc".to_owned()],
            None,
        ))
        .await
        .unwrap();
    assert!(
        !store
            .claim_recovery_code(user.id, "bbb", noon())
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_recovery_code(user.id, "ccc", noon())
            .await
            .unwrap()
    );
}

pub async fn tenants_and_memberships(store: &dyn Store) {
    let first = sample_tenant("Compas");
    let second = sample_tenant("Luton Roma Trust");
    for tenant in [&first, &second] {
        store
            .create_tenant(tenant, &site_event("organisation_signed_up", None))
            .await
            .unwrap();
    }
    assert_eq!(store.tenant(first.id).await.unwrap(), first);
    store
        .set_tenant_status(
            first.id,
            TenantStatus::Approved,
            &site_event("organisation_approved", None),
        )
        .await
        .unwrap();
    let approved = store.tenants(Some(TenantStatus::Approved)).await.unwrap();
    assert_eq!(
        approved.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![first.id]
    );
    assert_eq!(store.tenants(None).await.unwrap().len(), 2);
    assert_not_found(
        store
            .set_tenant_status(
                TenantId::new_random(),
                TenantStatus::Approved,
                &site_event("x", None),
            )
            .await,
    );

    let user = sample_user("m@example.org");
    store
        .create_user(&user, &site_event("user_created", None))
        .await
        .unwrap();
    let membership = Membership {
        user: user.id,
        tenant: first.id,
        role: Role::Caseworker,
    };
    store
        .set_membership(&membership, &site_event("member_added", None))
        .await
        .unwrap();
    let promoted = Membership {
        role: Role::OrganisationAdmin,
        ..membership
    };
    store
        .set_membership(&promoted, &site_event("role_change", None))
        .await
        .unwrap();
    assert_eq!(store.memberships_of(user.id).await.unwrap(), vec![promoted]);
    assert_eq!(store.members_of(first.id).await.unwrap(), vec![promoted]);
    assert!(store.members_of(second.id).await.unwrap().is_empty());
    let stranger = Membership {
        user: UserId::new_random(),
        tenant: first.id,
        role: Role::Viewer,
    };
    assert_not_found(
        store
            .set_membership(&stranger, &site_event("member_added", None))
            .await,
    );
    // Another admin first: the last one cannot be removed.
    let other = sample_user("n@example.org");
    store
        .create_user(&other, &site_event("user_created", None))
        .await
        .unwrap();
    store
        .set_membership(
            &Membership {
                user: other.id,
                ..promoted
            },
            &site_event("member_added", None),
        )
        .await
        .unwrap();
    store
        .remove_membership(user.id, first.id, &site_event("member_removed", None))
        .await
        .unwrap();
    assert_not_found(
        store
            .remove_membership(user.id, first.id, &site_event("member_removed", None))
            .await,
    );
    assert!(store.memberships_of(user.id).await.unwrap().is_empty());
}

pub async fn links_work_once_and_expire(store: &dyn Store) {
    let user = sample_user("l@example.org");
    store
        .create_user(&user, &site_event("user_created", None))
        .await
        .unwrap();
    let tenant = sample_tenant("Compas");
    store
        .create_tenant(&tenant, &site_event("organisation_signed_up", None))
        .await
        .unwrap();
    let link = OneTimeLink {
        digest: "digest-1".to_owned(),
        user: user.id,
        purpose: LinkPurpose::Invitation,
        invitation: Some((tenant.id, Role::Volunteer)),
        expires_at: noon() + Duration::days(7),
    };
    store.create_link(&link).await.unwrap();
    assert_eq!(
        store
            .link("digest-1", LinkPurpose::Invitation, noon())
            .await
            .unwrap(),
        link
    );
    assert_not_found(store.link("digest-1", LinkPurpose::SetUp, noon()).await);
    assert_not_found(
        store
            .link(
                "digest-1",
                LinkPurpose::Invitation,
                noon() + Duration::days(8),
            )
            .await,
    );
    assert_eq!(
        store
            .use_link("digest-1", LinkPurpose::Invitation, noon())
            .await
            .unwrap(),
        link
    );
    assert_not_found(
        store
            .use_link("digest-1", LinkPurpose::Invitation, noon())
            .await,
    );
    assert_not_found(
        store
            .link("digest-1", LinkPurpose::Invitation, noon())
            .await,
    );
}

pub async fn sessions_round_trip_and_sign_out_everywhere(store: &dyn Store) {
    let user = sample_user("s@example.org");
    store
        .create_user(&user, &site_event("user_created", None))
        .await
        .unwrap();
    let session = |digest: &str| SessionRecord {
        digest: digest.to_owned(),
        user: user.id,
        tenant: None,
        csrf_token: format!("csrf-{digest}"),
        second_factor_done: false,
        created_at: noon(),
        last_seen_at: noon(),
        authenticated_at: noon(),
    };
    for digest in ["one", "two", "three"] {
        store.create_session(&session(digest)).await.unwrap();
    }
    let tenant = sample_tenant("Compas");
    store
        .create_tenant(&tenant, &site_event("organisation_signed_up", None))
        .await
        .unwrap();
    let mut updated = session("one");
    updated.tenant = Some(tenant.id);
    updated.second_factor_done = true;
    updated.last_seen_at = noon() + Duration::minutes(5);
    store.update_session(&updated).await.unwrap();
    assert_eq!(store.session("one").await.unwrap(), updated);
    store.delete_session("two").await.unwrap();
    assert_not_found(store.session("two").await);
    assert_eq!(store.delete_sessions_of(user.id).await.unwrap(), 2);
    assert_not_found(store.session("one").await);
}

pub async fn sign_in_failures_count_and_clear(store: &dyn Store) {
    assert_eq!(store.sign_in_failures("account:x").await.unwrap(), None);
    assert_eq!(
        store
            .record_sign_in_failure("account:x", noon())
            .await
            .unwrap(),
        1
    );
    let later = noon() + Duration::seconds(5);
    assert_eq!(
        store
            .record_sign_in_failure("account:x", later)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store.sign_in_failures("account:x").await.unwrap(),
        Some((2, later))
    );
    store.clear_sign_in_failures("account:x").await.unwrap();
    assert_eq!(store.sign_in_failures("account:x").await.unwrap(), None);
}

/// The official HSDS example package, as the importer reads it.
pub fn official_example() -> haven_hsds::Dataset {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../haven-hsds/tests/fixtures/hsds-official/csv");
    let imported = haven_hsds::import::read_package(&path);
    assert!(!imported.report.has_errors(), "{}", imported.report);
    imported.dataset
}

/// Records of every table sorted by id, so datasets compare regardless of order.
pub fn canonical(mut dataset: haven_hsds::Dataset) -> haven_hsds::Dataset {
    dataset.sort_by_id();
    dataset
}

pub async fn hsds_dataset_round_trips_with_projections(store: &dyn Store) {
    let original = official_example();
    store.store_dataset(&original).await.unwrap();
    assert_eq!(
        canonical(store.dataset().await.unwrap()),
        canonical(original.clone())
    );
    let service = &original.service[0];
    let projected = store
        .service(ServiceId::from_uuid(service.id))
        .await
        .unwrap();
    assert_eq!(projected.name.as_str(), service.name);
    assert_eq!(
        store
            .meta(crate::DIRECTORY_VERSION)
            .await
            .unwrap()
            .as_deref(),
        Some("1")
    );
}

pub async fn storing_a_dataset_again_updates_in_place(store: &dyn Store) {
    let mut dataset = official_example();
    store.store_dataset(&dataset).await.unwrap();
    dataset.service[0].name = "Renamed counselling".to_owned();
    store.store_dataset(&dataset).await.unwrap();
    let stored = store.dataset().await.unwrap();
    assert_eq!(stored.service.len(), dataset.service.len());
    assert_eq!(stored.service[0].name, "Renamed counselling");
    let projected = store
        .service(ServiceId::from_uuid(dataset.service[0].id))
        .await
        .unwrap();
    assert_eq!(projected.name.as_str(), "Renamed counselling");
    assert_eq!(
        store
            .meta(crate::DIRECTORY_VERSION)
            .await
            .unwrap()
            .as_deref(),
        Some("2")
    );
}

pub async fn deleting_an_organisation_removes_its_hsds_records(store: &dyn Store) {
    let dataset = official_example();
    store.store_dataset(&dataset).await.unwrap();
    let organisation = OrganisationId::from_uuid(dataset.organization[0].id);
    store.delete_organisation(organisation).await.unwrap();
    let stored = store.dataset().await.unwrap();
    assert!(
        stored
            .organization
            .iter()
            .all(|o| o.id != organisation.as_uuid())
    );
    assert!(
        stored
            .service
            .iter()
            .all(|s| s.organization_id != Some(organisation.as_uuid()))
    );
    assert_not_found(
        store
            .service(ServiceId::from_uuid(dataset.service[0].id))
            .await,
    );
}

pub async fn devices_are_known_per_user(store: &dyn Store) {
    let amina = sample_user("amina@example.org");
    let bilal = sample_user("bilal@example.org");
    for user in [&amina, &bilal] {
        store
            .create_user(user, &site_event("user_created", None))
            .await
            .unwrap();
    }
    // Nothing known yet: d1 is new to Amina.
    assert!(store.remember_device(amina.id, "d1", noon()).await.unwrap());
    assert!(
        !store.remember_device(amina.id, "d1", noon()).await.unwrap(),
        "the same device again is not new"
    );
    assert!(
        store.remember_device(bilal.id, "d1", noon()).await.unwrap(),
        "devices are known per person"
    );
    assert!(store.remember_device(amina.id, "d2", noon()).await.unwrap());
    // Amina has both devices, Bilal only d1.
    for digest in ["d1", "d2"] {
        assert!(
            !store
                .remember_device(amina.id, digest, noon())
                .await
                .unwrap(),
            "{digest} is known to Amina"
        );
    }
    assert!(
        !store.remember_device(bilal.id, "d1", noon()).await.unwrap(),
        "d1 is known to Bilal"
    );
    assert!(
        store.remember_device(bilal.id, "d2", noon()).await.unwrap(),
        "d2 was not known to Bilal"
    );
    assert!(matches!(
        store
            .remember_device(UserId::new_random(), "d3", noon())
            .await,
        Err(StoreError::NotFound { .. })
    ));
}

pub async fn resolving_a_report_takes_it_off_the_queue(store: &dyn Store) {
    let organisation = sample_organisation("Org");
    store.upsert_organisation(&organisation).await.unwrap();
    let service = sample_service(organisation.id, "Clinic");
    store.upsert_service(&service).await.unwrap();
    let first = sample_report(service.id, 1);
    let second = sample_report(service.id, 2);
    store.add_listing_report(&first).await.unwrap();
    store.add_listing_report(&second).await.unwrap();
    let at = noon() + Duration::hours(1);
    store
        .resolve_listing_report(first.id, at, &site_event("report_resolved", None))
        .await
        .unwrap();
    let open = store.open_listing_reports(Page::first(10)).await.unwrap();
    assert_eq!(open, vec![second.clone()]);
    assert_eq!(
        store.listing_report(first.id).await.unwrap().resolved_at,
        Some(at)
    );
    assert_not_found(
        store
            .resolve_listing_report(first.id, at, &site_event("report_resolved", None))
            .await,
    );
    assert_not_found(
        store
            .resolve_listing_report(
                ReportId::new_random(),
                at,
                &site_event("report_resolved", None),
            )
            .await,
    );
    let audited: Vec<String> = store
        .audit_entries("site")
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(audited, ["report_resolved"]);
}

pub async fn listing_changes_are_one_transaction(store: &dyn Store) {
    use haven_hsds::Table;
    let dataset = official_example();
    store.store_dataset(&dataset).await.unwrap();
    let tenant = sample_tenant("Compas");
    store
        .create_tenant(&tenant, &site_event("organisation_signed_up", None))
        .await
        .unwrap();
    let organisation = OrganisationId::from_uuid(dataset.organization[0].id);
    let service = dataset.service[0].id;
    let mut renamed = haven_hsds::Dataset::new();
    renamed.organization.push(dataset.organization[0].clone());
    renamed.organization[0].name = "Renamed".to_owned();
    let event = crate::listings::ListingChange {
        remove: &[(Table::Service, service)],
        upsert: &renamed,
        tenant_listing: Some((tenant.id, organisation)),
        audit: &site_event("listing_changed", None),
    };
    store.change_listing(&event).await.unwrap();
    let stored = store.dataset().await.unwrap();
    assert!(stored.service.iter().all(|s| s.id != service));
    assert_eq!(stored.organization[0].name, "Renamed");
    assert_not_found(store.service(ServiceId::from_uuid(service)).await);
    assert_eq!(
        store.tenant(tenant.id).await.unwrap().listing,
        Some(organisation)
    );
    // A change naming a tenant that does not exist writes nothing.
    let mut again = renamed.clone();
    again.organization[0].name = "Not written".to_owned();
    let failed = crate::listings::ListingChange {
        remove: &[],
        upsert: &again,
        tenant_listing: Some((TenantId::new_random(), organisation)),
        audit: &site_event("listing_changed", None),
    };
    assert_not_found(store.change_listing(&failed).await);
    assert_eq!(
        store.dataset().await.unwrap().organization[0].name,
        "Renamed"
    );
}

pub async fn api_tokens_are_found_by_digest_and_revoked_once(store: &dyn Store) {
    let tenant = sample_tenant("Compas");
    let other = sample_tenant("Elsewhere");
    for t in [&tenant, &other] {
        store
            .create_tenant(t, &site_event("organisation_signed_up", None))
            .await
            .unwrap();
    }
    let at = datetime!(2026-11-22 12:00 UTC);
    let token = crate::ApiToken {
        id: uuid::Uuid::new_v4(),
        tenant: tenant.id,
        name: "Website sync".to_owned(),
        digest: "d".repeat(64),
        scopes: vec!["listings:read".to_owned(), "listings:write".to_owned()],
        created_at: at,
        expires_at: at + time::Duration::days(30),
        last_used_at: None,
        revoked_at: None,
    };
    store
        .create_api_token(&token, &site_event("api_token_created", None))
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_api_token(&token, &site_event("api_token_created", None))
            .await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(
        store.api_token_by_digest(&token.digest).await.unwrap(),
        token
    );
    assert_not_found(store.api_token_by_digest(&"e".repeat(64)).await);
    store
        .touch_api_token(token.id, at + time::Duration::hours(1))
        .await
        .unwrap();
    let listed = store.api_tokens_of(tenant.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].last_used_at, Some(at + time::Duration::hours(1)));
    assert!(store.api_tokens_of(other.id).await.unwrap().is_empty());
    // Another tenant cannot revoke it.
    assert_not_found(
        store
            .revoke_api_token(
                other.id,
                token.id,
                at,
                &site_event("api_token_revoked", None),
            )
            .await,
    );
    store
        .revoke_api_token(
            tenant.id,
            token.id,
            at,
            &site_event("api_token_revoked", None),
        )
        .await
        .unwrap();
    assert_not_found(
        store
            .revoke_api_token(
                tenant.id,
                token.id,
                at,
                &site_event("api_token_revoked", None),
            )
            .await,
    );
    let revoked = store.api_token_by_digest(&token.digest).await.unwrap();
    assert_eq!(revoked.revoked_at, Some(at));
    assert!(!revoked.is_usable(at));
}

fn set_up_of<'a>(
    user: &User,
    digest: &'a str,
    events: &'a [AuditEvent],
    digests: &'a [String],
    membership: Option<Membership>,
) -> crate::AccountSetUp<'a> {
    crate::AccountSetUp {
        user: user.id,
        link_digest: digest,
        link_purpose: LinkPurpose::Invitation,
        now: noon(),
        password_hash: "$argon2id$set-up",
        totp_secret: b"sealed secret",
        totp_step: 42,
        recovery_digests: digests,
        language: Some("ar"),
        membership,
        events,
    }
}

pub async fn setting_up_an_account_is_one_transaction(store: &dyn Store) {
    let user = sample_user("new@example.org");
    store
        .create_user(&user, &site_event("user_created", None))
        .await
        .unwrap();
    let mut tenant = sample_tenant("Compas");
    tenant.status = TenantStatus::Approved;
    store
        .create_tenant(&tenant, &site_event("organisation_signed_up", None))
        .await
        .unwrap();
    store
        .create_link(&OneTimeLink {
            digest: "invite".to_owned(),
            user: user.id,
            purpose: LinkPurpose::Invitation,
            invitation: Some((tenant.id, Role::Caseworker)),
            expires_at: noon() + Duration::days(7),
        })
        .await
        .unwrap();
    let events = [
        site_event("password_set", Some(user.id)),
        site_event("second_factor_set", Some(user.id)),
        site_event("member_joined", Some(user.id)),
    ];
    let digests = ["code-1".to_owned(), "code-2".to_owned()];
    let joins = Membership {
        user: user.id,
        tenant: tenant.id,
        role: Role::Caseworker,
    };
    let before = store.audit_entries("site").await.unwrap().len();

    // The last write fails (the organisation does not exist): nothing before it stays.
    let broken = Membership {
        tenant: TenantId::new_random(),
        ..joins
    };
    assert!(
        store
            .set_up_account(&set_up_of(&user, "invite", &events, &digests, Some(broken)))
            .await
            .is_err()
    );
    let untouched = store.user(user.id).await.unwrap();
    assert_eq!(untouched, user);
    assert!(
        !store
            .claim_recovery_code(user.id, "code-1", noon())
            .await
            .unwrap()
    );
    assert_eq!(store.audit_entries("site").await.unwrap().len(), before);
    store
        .link("invite", LinkPurpose::Invitation, noon())
        .await
        .unwrap();

    // Someone else's link sets nothing up.
    let stranger = sample_user("stranger@example.org");
    store
        .create_user(&stranger, &site_event("user_created", None))
        .await
        .unwrap();
    assert_not_found(
        store
            .set_up_account(&set_up_of(&stranger, "invite", &events, &digests, None))
            .await,
    );

    store
        .set_up_account(&set_up_of(&user, "invite", &events, &digests, Some(joins)))
        .await
        .unwrap();
    let done = store.user(user.id).await.unwrap();
    assert_eq!(done.password_hash.as_deref(), Some("$argon2id$set-up"));
    assert_eq!(done.totp_secret.as_deref(), Some(&b"sealed secret"[..]));
    assert_eq!(done.totp_last_step, Some(42));
    assert_eq!(done.language.as_deref(), Some("ar"));
    assert_eq!(store.memberships_of(user.id).await.unwrap(), vec![joins]);
    assert!(!store.claim_totp_step(user.id, 42).await.unwrap());
    assert!(
        store
            .claim_recovery_code(user.id, "code-2", noon())
            .await
            .unwrap()
    );
    let actions: Vec<String> = store
        .audit_entries("site")
        .await
        .unwrap()
        .into_iter()
        .skip(before + 1)
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["password_set", "second_factor_set", "member_joined"]
    );

    // The link is used up: a second submission sets nothing up again.
    assert_not_found(
        store
            .set_up_account(&set_up_of(&user, "invite", &events, &digests, Some(joins)))
            .await,
    );
    assert_not_found(store.link("invite", LinkPurpose::Invitation, noon()).await);
}

/// A tenant with two admins, `a` and `b`, and a caseworker `c`.
async fn tenant_with_two_admins(store: &dyn Store) -> (TenantId, [UserId; 3]) {
    let tenant = sample_tenant("Compas");
    store
        .create_tenant(&tenant, &site_event("organisation_signed_up", None))
        .await
        .unwrap();
    let mut ids = [UserId::new_random(); 3];
    for (i, (name, role)) in [
        ("a", Role::OrganisationAdmin),
        ("b", Role::OrganisationAdmin),
        ("c", Role::Caseworker),
    ]
    .into_iter()
    .enumerate()
    {
        let user = sample_user(&format!("{name}.{}@example.org", tenant.id));
        store
            .create_user(&user, &site_event("user_created", None))
            .await
            .unwrap();
        store
            .set_membership(
                &Membership {
                    user: user.id,
                    tenant: tenant.id,
                    role,
                },
                &site_event("member_added", None),
            )
            .await
            .unwrap();
        ids[i] = user.id;
    }
    (tenant.id, ids)
}

fn admins(members: &[Membership]) -> usize {
    members
        .iter()
        .filter(|m| m.role == Role::OrganisationAdmin)
        .count()
}

pub async fn the_last_admin_cannot_be_demoted_or_removed(store: &dyn Store) {
    let (tenant, [a, b, c]) = tenant_with_two_admins(store).await;
    let demote = |user| Membership {
        user,
        tenant,
        role: Role::Viewer,
    };
    store
        .set_membership(&demote(a), &site_event("member_role_changed", None))
        .await
        .unwrap();
    let entries = store.audit_entries("site").await.unwrap().len();
    let refused = store
        .set_membership(&demote(b), &site_event("member_role_changed", None))
        .await;
    assert!(matches!(refused, Err(StoreError::LastAdmin)), "{refused:?}");
    let refused = store
        .remove_membership(b, tenant, &site_event("member_removed", None))
        .await;
    assert!(matches!(refused, Err(StoreError::LastAdmin)), "{refused:?}");
    // Refusals leave no audit entry and change nothing.
    assert_eq!(store.audit_entries("site").await.unwrap().len(), entries);
    assert_eq!(admins(&store.members_of(tenant).await.unwrap()), 1);
    // Others can still be removed and promoted; the admin can stay admin.
    store
        .set_membership(
            &Membership {
                user: b,
                tenant,
                role: Role::OrganisationAdmin,
            },
            &site_event("member_role_changed", None),
        )
        .await
        .unwrap();
    store
        .remove_membership(c, tenant, &site_event("member_removed", None))
        .await
        .unwrap();
    store
        .remove_membership(a, tenant, &site_event("member_removed", None))
        .await
        .unwrap();
    assert_eq!(store.members_of(tenant).await.unwrap().len(), 1);
}

pub async fn concurrent_demotions_keep_an_admin(store: &dyn Store) {
    // Two admins demote each other at the same moment, many times over: one wins, the other is
    // refused, and the organisation always keeps an admin.
    for _ in 0..10 {
        let (tenant, [a, b, _]) = tenant_with_two_admins(store).await;
        let demote = |user| Membership {
            user,
            tenant,
            role: Role::Caseworker,
        };
        let event = site_event("member_role_changed", None);
        let (demote_a, demote_b) = (demote(a), demote(b));
        let (first, second) = tokio::join!(
            store.set_membership(&demote_a, &event),
            store.set_membership(&demote_b, &event),
        );
        assert_eq!(
            [&first, &second]
                .iter()
                .filter(|r| matches!(r, Err(StoreError::LastAdmin)))
                .count(),
            1,
            "{first:?} {second:?}"
        );
        assert_eq!(admins(&store.members_of(tenant).await.unwrap()), 1);

        let (tenant, [a, b, _]) = tenant_with_two_admins(store).await;
        let event = site_event("member_removed", None);
        let (first, second) = tokio::join!(
            store.remove_membership(a, tenant, &event),
            store.remove_membership(b, tenant, &event),
        );
        assert!(first.is_ok() != second.is_ok(), "{first:?} {second:?}");
        assert_eq!(admins(&store.members_of(tenant).await.unwrap()), 1);
    }
}

pub async fn preferred_language_is_stored(store: &dyn Store) {
    let mut user = sample_user("lang@example.org");
    user.language = Some("en".to_owned());
    store
        .create_user(&user, &site_event("user_created", None))
        .await
        .unwrap();
    assert_eq!(
        store.user(user.id).await.unwrap().language.as_deref(),
        Some("en")
    );
    store
        .set_language(
            user.id,
            "ar",
            &site_event("language_changed", Some(user.id)),
        )
        .await
        .unwrap();
    assert_eq!(
        store.user(user.id).await.unwrap().language.as_deref(),
        Some("ar")
    );
    let last = store.audit_entries("site").await.unwrap().pop().unwrap();
    assert_eq!(last.action, "language_changed");
    assert_not_found(
        store
            .set_language(UserId::new_random(), "ar", &site_event("x", None))
            .await,
    );
}

/// Finishing a reset uses the link, sets the password, ends every session and audits, or, with
/// a link that is not this user's, used or expired, does none of it.
pub async fn a_password_reset_is_one_transaction(store: &dyn Store) {
    let mut user = sample_user("reset@example.org");
    user.password_hash = Some("$argon2id$old".to_owned());
    store
        .create_user(&user, &site_event("user_created", None))
        .await
        .unwrap();
    let stranger = sample_user("stranger@example.org");
    store
        .create_user(&stranger, &site_event("user_created", None))
        .await
        .unwrap();
    for digest in ["laptop", "phone"] {
        store
            .create_session(&SessionRecord {
                digest: digest.to_owned(),
                user: user.id,
                tenant: None,
                csrf_token: format!("csrf-{digest}"),
                second_factor_done: true,
                created_at: noon(),
                last_seen_at: noon(),
                authenticated_at: noon(),
            })
            .await
            .unwrap();
    }
    for (digest, expires_at) in [
        ("reset", noon() + Duration::hours(1)),
        ("stale", noon() - Duration::minutes(1)),
    ] {
        store
            .create_link(&OneTimeLink {
                digest: digest.to_owned(),
                user: user.id,
                purpose: LinkPurpose::PasswordReset,
                invitation: None,
                expires_at,
            })
            .await
            .unwrap();
    }
    let event = site_event("password_reset", Some(user.id));
    let before = store.audit_entries("site").await.unwrap().len();

    // Someone else's link, an expired one, or none: nothing changes.
    assert_not_found(
        store
            .reset_password(stranger.id, "reset", noon(), "$argon2id$new", &event)
            .await,
    );
    for digest in ["stale", "no-such-link"] {
        assert_not_found(
            store
                .reset_password(user.id, digest, noon(), "$argon2id$new", &event)
                .await,
        );
    }
    let now = store.user(user.id).await.unwrap();
    assert_eq!(now.password_hash.as_deref(), Some("$argon2id$old"));
    store.session("laptop").await.unwrap();
    assert_eq!(store.audit_entries("site").await.unwrap().len(), before);

    store
        .reset_password(user.id, "reset", noon(), "$argon2id$new", &event)
        .await
        .unwrap();
    let after = store.user(user.id).await.unwrap();
    assert_eq!(after.password_hash.as_deref(), Some("$argon2id$new"));
    for digest in ["laptop", "phone"] {
        assert_not_found(store.session(digest).await.map(|_| ()));
    }
    let entries = store.audit_entries("site").await.unwrap();
    assert_eq!(entries.len(), before + 1);
    assert_eq!(
        entries.last().map(|e| e.action.as_str()),
        Some("password_reset")
    );
    // Used up: the same link resets nothing again.
    assert_not_found(
        store
            .reset_password(user.id, "reset", noon(), "$argon2id$other", &event)
            .await,
    );
}
