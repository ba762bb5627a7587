//! The directory's records in SQLite.

use async_trait::async_trait;
use haven_domain::{ListingReport, Organisation, OrganisationId, ReportId, Service, ServiceId};
use haven_store::rows::{ListingReportRow, OrganisationRow, ServiceRow, uuid_from_text};
use haven_store::{DirectoryCounts, DirectoryStore, Page, StoreError};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::SqliteStore;
use crate::errors::map_err;
use crate::time_text;

const ORGANISATION_COLUMNS: &str = "id, name, description, scope, town, website";
const SERVICE_COLUMNS: &str = "id, organization_id, name, description, status";
const REPORT_COLUMNS: &str = "id, service_id, reason, details, received_at, resolved_at";

fn organisation(row: SqliteRow) -> Result<Organisation, StoreError> {
    let id: String = row.try_get("id").map_err(map_err("organisation"))?;
    OrganisationRow {
        id: uuid_from_text("organisation id", &id)?,
        name: row.try_get("name").map_err(map_err("organisation"))?,
        description: row
            .try_get("description")
            .map_err(map_err("organisation"))?,
        scope: row.try_get("scope").map_err(map_err("organisation"))?,
        town: row.try_get("town").map_err(map_err("organisation"))?,
        website: row.try_get("website").map_err(map_err("organisation"))?,
    }
    .try_into()
}

fn service(row: SqliteRow) -> Result<Service, StoreError> {
    let id: String = row.try_get("id").map_err(map_err("service"))?;
    let organization_id: String = row.try_get("organization_id").map_err(map_err("service"))?;
    ServiceRow {
        id: uuid_from_text("service id", &id)?,
        organization_id: uuid_from_text("service organisation id", &organization_id)?,
        name: row.try_get("name").map_err(map_err("service"))?,
        description: row.try_get("description").map_err(map_err("service"))?,
        status: row.try_get("status").map_err(map_err("service"))?,
    }
    .try_into()
}

fn report(row: SqliteRow) -> Result<ListingReport, StoreError> {
    let id: String = row.try_get("id").map_err(map_err("report"))?;
    let service_id: String = row.try_get("service_id").map_err(map_err("report"))?;
    let received_at: String = row.try_get("received_at").map_err(map_err("report"))?;
    let resolved_at: Option<String> = row.try_get("resolved_at").map_err(map_err("report"))?;
    ListingReportRow {
        id: uuid_from_text("report id", &id)?,
        service_id: uuid_from_text("report service id", &service_id)?,
        reason: row.try_get("reason").map_err(map_err("report"))?,
        details: row.try_get("details").map_err(map_err("report"))?,
        received_at: time_text::from_text("report time", &received_at)?,
        resolved_at: time_text::optional_from_text("report resolved_at", resolved_at)?,
    }
    .try_into()
}

#[async_trait]
impl DirectoryStore for SqliteStore {
    async fn upsert_organisation(&self, organisation: &Organisation) -> Result<(), StoreError> {
        let row = OrganisationRow::from(organisation);
        sqlx::query(
            "INSERT INTO organizations (id, name, description, scope, town, website) \
             VALUES (?, ?, ?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
             description = excluded.description, scope = excluded.scope, \
             town = excluded.town, website = excluded.website",
        )
        .bind(row.id.to_string())
        .bind(row.name)
        .bind(row.description)
        .bind(row.scope)
        .bind(row.town)
        .bind(row.website)
        .execute(&self.writer)
        .await
        .map_err(map_err("organisation"))?;
        Ok(())
    }

    async fn organisation(&self, id: OrganisationId) -> Result<Organisation, StoreError> {
        let sql = format!("SELECT {ORGANISATION_COLUMNS} FROM organizations WHERE id = ?");
        let row = sqlx::query(&sql)
            .bind(id.to_string())
            .fetch_one(&self.readers)
            .await
            .map_err(map_err("organisation"))?;
        organisation(row)
    }

    async fn organisations(&self, page: Page) -> Result<Vec<Organisation>, StoreError> {
        let (offset, limit) = page.as_sql();
        let sql = format!(
            "SELECT {ORGANISATION_COLUMNS} FROM organizations ORDER BY name, id LIMIT ? OFFSET ?"
        );
        sqlx::query(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.readers)
            .await
            .map_err(map_err("organisation"))?
            .into_iter()
            .map(organisation)
            .collect()
    }

    async fn delete_organisation(&self, id: OrganisationId) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("organisation"))?;
        // Its HSDS records go too: the organisation itself and its services.
        sqlx::query(
            "DELETE FROM hsds_records WHERE (table_name = 'organization' AND id = ?1) \
             OR (table_name = 'service' AND id IN (SELECT id FROM services WHERE organization_id = ?1))",
        )
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(map_err("organisation"))?;
        let done = sqlx::query("DELETE FROM organizations WHERE id = ?")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(map_err("organisation"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("organisation"));
        }
        tx.commit().await.map_err(map_err("organisation"))
    }

    async fn upsert_service(&self, service: &Service) -> Result<(), StoreError> {
        let row = ServiceRow::from(service);
        sqlx::query(
            "INSERT INTO services (id, organization_id, name, description, status) \
             VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, \
             name = excluded.name, description = excluded.description, status = excluded.status",
        )
        .bind(row.id.to_string())
        .bind(row.organization_id.to_string())
        .bind(row.name)
        .bind(row.description)
        .bind(row.status)
        .execute(&self.writer)
        .await
        // The only reference a service holds is to its organisation.
        .map_err(map_err("organisation"))?;
        Ok(())
    }

    async fn service(&self, id: ServiceId) -> Result<Service, StoreError> {
        let sql = format!("SELECT {SERVICE_COLUMNS} FROM services WHERE id = ?");
        let row = sqlx::query(&sql)
            .bind(id.to_string())
            .fetch_one(&self.readers)
            .await
            .map_err(map_err("service"))?;
        service(row)
    }

    async fn services_of(&self, organisation: OrganisationId) -> Result<Vec<Service>, StoreError> {
        let sql = format!(
            "SELECT {SERVICE_COLUMNS} FROM services WHERE organization_id = ? ORDER BY name, id"
        );
        sqlx::query(&sql)
            .bind(organisation.to_string())
            .fetch_all(&self.readers)
            .await
            .map_err(map_err("service"))?
            .into_iter()
            .map(service)
            .collect()
    }

    async fn delete_service(&self, id: ServiceId) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM services WHERE id = ?")
            .bind(id.to_string())
            .execute(&self.writer)
            .await
            .map_err(map_err("service"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("service"));
        }
        Ok(())
    }

    async fn add_listing_report(&self, report: &ListingReport) -> Result<(), StoreError> {
        let row = ListingReportRow::from(report);
        let received_at = time_text::to_text(row.received_at)?;
        let result = sqlx::query(
            "INSERT INTO listing_reports (id, service_id, reason, details, received_at) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(row.id.to_string())
        .bind(row.service_id.to_string())
        .bind(row.reason)
        .bind(row.details)
        .bind(received_at)
        .execute(&self.writer)
        .await;
        match result {
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(db)) if db.is_foreign_key_violation() => {
                Err(StoreError::not_found("service"))
            }
            Err(e) => Err(map_err("report")(e)),
        }
    }

    async fn listing_reports(&self, page: Page) -> Result<Vec<ListingReport>, StoreError> {
        let (offset, limit) = page.as_sql();
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM listing_reports \
             ORDER BY received_at, id LIMIT ? OFFSET ?"
        );
        sqlx::query(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.readers)
            .await
            .map_err(map_err("report"))?
            .into_iter()
            .map(report)
            .collect()
    }

    async fn open_listing_reports(&self, page: Page) -> Result<Vec<ListingReport>, StoreError> {
        let (offset, limit) = page.as_sql();
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM listing_reports WHERE resolved_at IS NULL \
             ORDER BY received_at, id LIMIT ? OFFSET ?"
        );
        sqlx::query(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.readers)
            .await
            .map_err(map_err("report"))?
            .into_iter()
            .map(report)
            .collect()
    }

    async fn resolve_listing_report(
        &self,
        id: ReportId,
        at: time::OffsetDateTime,
        audit: &haven_domain::accounts::AuditEvent,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("report"))?;
        let done = sqlx::query(
            "UPDATE listing_reports SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL",
        )
        .bind(time_text::to_text(at)?)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(map_err("report"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("report"));
        }
        crate::audit::append(&mut tx, audit).await?;
        tx.commit().await.map_err(map_err("report"))
    }

    async fn listing_report(&self, id: ReportId) -> Result<ListingReport, StoreError> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM listing_reports WHERE id = ?");
        let row = sqlx::query(&sql)
            .bind(id.to_string())
            .fetch_one(&self.readers)
            .await
            .map_err(map_err("report"))?;
        report(row)
    }

    async fn directory_counts(&self) -> Result<DirectoryCounts, StoreError> {
        let row = sqlx::query(
            "SELECT (SELECT count(*) FROM organizations) AS organisations, \
             (SELECT count(*) FROM services) AS services",
        )
        .fetch_one(&self.readers)
        .await
        .map_err(map_err("counts"))?;
        let count = |name: &str| -> Result<u64, StoreError> {
            let n: i64 = row.try_get(name).map_err(map_err("counts"))?;
            u64::try_from(n).map_err(|e| StoreError::corrupt("count", e))
        };
        Ok(DirectoryCounts {
            organisations: count("organisations")?,
            services: count("services")?,
        })
    }

    async fn store_dataset(&self, dataset: &haven_hsds::Dataset) -> Result<(), StoreError> {
        self.store_dataset_rows(dataset).await
    }

    async fn dataset(&self) -> Result<haven_hsds::Dataset, StoreError> {
        self.load_dataset().await
    }
}
