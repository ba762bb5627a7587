//! The storage seam: one set of traits, implemented by `haven-store-sqlite` and
//! `haven-store-postgres`, and one conformance suite (`conformance`) that both must pass.
//!
//! The backend is chosen once, at start-up, from the database URL; nothing above this seam
//! knows or asks which one it is talking to.

pub mod accounts;
pub mod audit_rows;
pub mod devices;
mod error;
pub mod hsds_rows;
pub mod listings;
pub mod mentoring;
pub mod rows;
pub mod tokens;
pub use accounts::{AccountSetUp, AccountStore, AuditStore, SessionStore};
pub use devices::DeviceStore;
pub use error::StoreError;
pub use listings::{ListingChange, ListingStore};
pub use mentoring::{MentoringStore, MentoringStoreExt};
pub use tokens::{ApiToken, TokenStore};

#[cfg(feature = "conformance")]
pub mod conformance;

use async_trait::async_trait;
use haven_domain::{ListingReport, Organisation, OrganisationId, ReportId, Service, ServiceId};
use haven_hsds::Dataset;

/// A page of a listing: which slice of the ordered rows to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return at most.
    pub limit: u64,
}

impl Page {
    /// The first `limit` rows.
    pub const fn first(limit: u64) -> Self {
        Self { offset: 0, limit }
    }

    /// Rows as SQL bind parameters. Both backends take signed 64-bit integers; values beyond
    /// that range are clamped rather than wrapped, so a huge page number returns nothing.
    pub fn as_sql(&self) -> (i64, i64) {
        let clamp = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        (clamp(self.offset), clamp(self.limit))
    }
}

/// How much the directory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DirectoryCounts {
    /// Organisations.
    pub organisations: u64,
    /// Services.
    pub services: u64,
}

/// Instance-wide settings kept in the database (for example, "this database holds demo data").
#[async_trait]
pub trait MetaStore {
    /// The value stored under `key`, if any.
    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Stores `value` under `key`, replacing any earlier value.
    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError>;
}

/// The public directory's records.
#[async_trait]
pub trait DirectoryStore {
    /// Inserts or replaces an organisation, keyed by id.
    async fn upsert_organisation(&self, organisation: &Organisation) -> Result<(), StoreError>;
    /// One organisation; `NotFound` if there is none with that id.
    async fn organisation(&self, id: OrganisationId) -> Result<Organisation, StoreError>;
    /// Organisations ordered by name, then id.
    async fn organisations(&self, page: Page) -> Result<Vec<Organisation>, StoreError>;
    /// Deletes an organisation with its services and their reports; `NotFound` if absent.
    async fn delete_organisation(&self, id: OrganisationId) -> Result<(), StoreError>;

    /// Inserts or replaces a service; `NotFound` if its organisation does not exist.
    async fn upsert_service(&self, service: &Service) -> Result<(), StoreError>;
    /// One service; `NotFound` if there is none with that id.
    async fn service(&self, id: ServiceId) -> Result<Service, StoreError>;
    /// An organisation's services ordered by name, then id.
    async fn services_of(&self, organisation: OrganisationId) -> Result<Vec<Service>, StoreError>;
    /// Deletes a service and its reports; `NotFound` if absent.
    async fn delete_service(&self, id: ServiceId) -> Result<(), StoreError>;

    /// Records a report about a listing; `NotFound` if the service does not exist,
    /// `Conflict` if a report with that id exists.
    async fn add_listing_report(&self, report: &ListingReport) -> Result<(), StoreError>;
    /// Reports oldest first.
    async fn listing_reports(&self, page: Page) -> Result<Vec<ListingReport>, StoreError>;
    /// Reports nobody has dealt with yet, oldest first: the moderation queue.
    async fn open_listing_reports(&self, page: Page) -> Result<Vec<ListingReport>, StoreError>;
    /// Marks a report dealt with, with its audit event; `NotFound` if absent or already closed.
    async fn resolve_listing_report(
        &self,
        id: ReportId,
        at: time::OffsetDateTime,
        audit: &haven_domain::accounts::AuditEvent,
    ) -> Result<(), StoreError>;
    /// One report; `NotFound` if absent.
    async fn listing_report(&self, id: ReportId) -> Result<ListingReport, StoreError>;

    /// How much the directory holds.
    async fn directory_counts(&self) -> Result<DirectoryCounts, StoreError>;

    /// Inserts or replaces, by id, every record of an HSDS dataset and the projections of its
    /// organisations and services, in one transaction: all of it is written or none. Bumps the
    /// directory version so every Haven process rebuilds its search index.
    async fn store_dataset(&self, dataset: &Dataset) -> Result<(), StoreError>;
    /// Every stored HSDS record.
    async fn dataset(&self) -> Result<Dataset, StoreError>;
}

/// The meta key counting changes to the directory; processes poll it to refresh their index.
pub const DIRECTORY_VERSION: &str = "directory_version";

/// Everything Haven stores, behind one object chosen at start-up.
#[async_trait]
pub trait Store:
    DirectoryStore
    + MetaStore
    + AccountStore
    + SessionStore
    + AuditStore
    + DeviceStore
    + ListingStore
    + TokenStore
    + MentoringStore
    + Send
    + Sync
    + std::fmt::Debug
    + 'static
{
    /// Answers when the database can be reached and queried.
    async fn ping(&self) -> Result<(), StoreError>;
    /// Which backend this is, for start-up messages ("sqlite", "postgres").
    fn backend_name(&self) -> &'static str;
    /// Closes connections, waiting for in-flight work.
    async fn close(&self);
}
