//! Organisations editing their own directory listing: a set of HSDS records removed, another
//! upserted, the tenant's listing set, and the audit event, all in one transaction.

use async_trait::async_trait;
use haven_domain::accounts::AuditEvent;
use haven_domain::{OrganisationId, TenantId};
use haven_hsds::{Dataset, Table};
use uuid::Uuid;

use crate::StoreError;

/// One change to a listing, written whole or not at all.
#[derive(Debug, Clone)]
pub struct ListingChange<'a> {
    /// Records to delete first, by table and id. Deleting a `service` also deletes its
    /// projection (and so its reports). Absent records are ignored.
    pub remove: &'a [(Table, Uuid)],
    /// Records to insert or replace, as [`crate::DirectoryStore::store_dataset`] does.
    pub upsert: &'a Dataset,
    /// Makes this organisation the tenant's listing.
    pub tenant_listing: Option<(TenantId, OrganisationId)>,
    /// The event for the tenant's audit chain.
    pub audit: &'a AuditEvent,
}

/// Writing listings.
#[async_trait]
pub trait ListingStore {
    /// Applies `change` in one transaction and bumps the directory version.
    async fn change_listing(&self, change: &ListingChange<'_>) -> Result<(), StoreError>;
}
