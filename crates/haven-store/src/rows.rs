//! Plain rows as both backends read and write them, and their checked conversion to and from
//! domain types. Keeping this here means the two backends share one definition of what a
//! stored value means, and only differ in how they talk to their database.

use haven_domain::{
    ListingReport, Organisation, OrganisationId, ReportId, ReportReason, Scope, Service, ServiceId,
    ServiceStatus, Text,
    directory::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_REPORT_CHARS},
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;

/// An `organizations` row.
#[derive(Debug, Clone)]
pub struct OrganisationRow {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub scope: String,
    pub town: Option<String>,
    pub website: Option<String>,
}

/// A `services` row.
#[derive(Debug, Clone)]
pub struct ServiceRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub description: String,
    pub status: String,
}

/// A `listing_reports` row.
#[derive(Debug, Clone)]
pub struct ListingReportRow {
    pub id: Uuid,
    pub service_id: Uuid,
    pub reason: String,
    pub details: Option<String>,
    pub received_at: OffsetDateTime,
    pub resolved_at: Option<OffsetDateTime>,
}

fn text(what: &'static str, raw: String, max: usize) -> Result<Text, StoreError> {
    Text::parse(&raw, max).map_err(|e| StoreError::corrupt(what, e))
}

fn optional_text(
    what: &'static str,
    raw: Option<String>,
    max: usize,
) -> Result<Option<Text>, StoreError> {
    raw.map(|raw| text(what, raw, max)).transpose()
}

/// Parses a UUID stored as text (SQLite keeps UUIDs as text so they stay readable).
pub fn uuid_from_text(what: &'static str, raw: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(raw).map_err(|e| StoreError::corrupt(what, e))
}

impl From<&Organisation> for OrganisationRow {
    fn from(o: &Organisation) -> Self {
        Self {
            id: o.id.as_uuid(),
            name: o.name.to_string(),
            description: o.description.to_string(),
            scope: o.scope.code().to_owned(),
            town: o.town.as_ref().map(Text::to_string),
            website: o.website.as_ref().map(Text::to_string),
        }
    }
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = StoreError;

    fn try_from(row: OrganisationRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: OrganisationId::from_uuid(row.id),
            name: text("organisation name", row.name, MAX_NAME_CHARS)?,
            description: text(
                "organisation description",
                row.description,
                MAX_DESCRIPTION_CHARS,
            )?,
            scope: Scope::from_code(&row.scope)
                .ok_or_else(|| StoreError::corrupt("organisation scope", &row.scope))?,
            town: optional_text("organisation town", row.town, MAX_NAME_CHARS)?,
            website: optional_text("organisation website", row.website, MAX_NAME_CHARS)?,
        })
    }
}

impl From<&Service> for ServiceRow {
    fn from(s: &Service) -> Self {
        Self {
            id: s.id.as_uuid(),
            organization_id: s.organisation_id.as_uuid(),
            name: s.name.to_string(),
            description: s.description.to_string(),
            status: s.status.code().to_owned(),
        }
    }
}

impl TryFrom<ServiceRow> for Service {
    type Error = StoreError;

    fn try_from(row: ServiceRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: ServiceId::from_uuid(row.id),
            organisation_id: OrganisationId::from_uuid(row.organization_id),
            name: text("service name", row.name, MAX_NAME_CHARS)?,
            description: text(
                "service description",
                row.description,
                MAX_DESCRIPTION_CHARS,
            )?,
            status: ServiceStatus::from_code(&row.status)
                .ok_or_else(|| StoreError::corrupt("service status", &row.status))?,
        })
    }
}

impl From<&ListingReport> for ListingReportRow {
    fn from(r: &ListingReport) -> Self {
        Self {
            id: r.id.as_uuid(),
            service_id: r.service_id.as_uuid(),
            reason: r.reason.code().to_owned(),
            details: r.details.as_ref().map(Text::to_string),
            received_at: r.received_at,
            resolved_at: r.resolved_at,
        }
    }
}

impl TryFrom<ListingReportRow> for ListingReport {
    type Error = StoreError;

    fn try_from(row: ListingReportRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: ReportId::from_uuid(row.id),
            service_id: ServiceId::from_uuid(row.service_id),
            reason: ReportReason::from_code(&row.reason)
                .ok_or_else(|| StoreError::corrupt("report reason", &row.reason))?,
            details: optional_text("report details", row.details, MAX_REPORT_CHARS)?,
            received_at: row.received_at,
            resolved_at: row.resolved_at,
        })
    }
}
