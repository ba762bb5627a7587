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

use crate::{Page, Store, StoreError};

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
