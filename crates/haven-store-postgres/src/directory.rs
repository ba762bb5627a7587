//! The directory's records in PostgreSQL.

use async_trait::async_trait;
use haven_domain::{ListingReport, Organisation, OrganisationId, ReportId, Service, ServiceId};
use haven_store::rows::{ListingReportRow, OrganisationRow, ServiceRow};
use haven_store::{DirectoryCounts, DirectoryStore, Page, StoreError};
use sqlx::Row;
use sqlx::postgres::PgRow;

use crate::PostgresStore;
use crate::errors::map_err;

const ORGANISATION_COLUMNS: &str = "id, name, description, scope, town, website";
const SERVICE_COLUMNS: &str = "id, organization_id, name, description, status";
const REPORT_COLUMNS: &str = "id, service_id, reason, details, received_at, resolved_at";

fn organisation(row: PgRow) -> Result<Organisation, StoreError> {
    OrganisationRow {
        id: row.try_get("id").map_err(map_err("record"))?,
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

fn service(row: PgRow) -> Result<Service, StoreError> {
    ServiceRow {
        id: row.try_get("id").map_err(map_err("record"))?,
        organization_id: row.try_get("organization_id").map_err(map_err("service"))?,
        name: row.try_get("name").map_err(map_err("service"))?,
        description: row.try_get("description").map_err(map_err("service"))?,
        status: row.try_get("status").map_err(map_err("service"))?,
    }
    .try_into()
}

fn report(row: PgRow) -> Result<ListingReport, StoreError> {
    ListingReportRow {
        id: row.try_get("id").map_err(map_err("record"))?,
        service_id: row.try_get("service_id").map_err(map_err("report"))?,
        reason: row.try_get("reason").map_err(map_err("report"))?,
        details: row.try_get("details").map_err(map_err("report"))?,
        received_at: row.try_get("received_at").map_err(map_err("report"))?,
        resolved_at: row.try_get("resolved_at").map_err(map_err("report"))?,
    }
    .try_into()
}

#[async_trait]
impl DirectoryStore for PostgresStore {
    async fn upsert_organisation(&self, organisation: &Organisation) -> Result<(), StoreError> {
        let row = OrganisationRow::from(organisation);
        sqlx::query(
            "INSERT INTO organizations (id, name, description, scope, town, website) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
             description = excluded.description, scope = excluded.scope, \
             town = excluded.town, website = excluded.website",
        )
        .bind(row.id)
        .bind(row.name)
        .bind(row.description)
        .bind(row.scope)
        .bind(row.town)
        .bind(row.website)
        .execute(&self.pool)
        .await
        .map_err(map_err("organisation"))?;
        Ok(())
    }

    async fn organisation(&self, id: OrganisationId) -> Result<Organisation, StoreError> {
        let sql = format!("SELECT {ORGANISATION_COLUMNS} FROM organizations WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.as_uuid())
            .fetch_one(&self.pool)
            .await
            .map_err(map_err("organisation"))?;
        organisation(row)
    }

    async fn organisations(&self, page: Page) -> Result<Vec<Organisation>, StoreError> {
        let (offset, limit) = page.as_sql();
        let sql = format!(
            "SELECT {ORGANISATION_COLUMNS} FROM organizations ORDER BY name COLLATE \"C\", id LIMIT $1 OFFSET $2"
        );
        sqlx::query(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err("organisation"))?
            .into_iter()
            .map(organisation)
            .collect()
    }

    async fn delete_organisation(&self, id: OrganisationId) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err("organisation"))?;
        // Its HSDS records go too: the organisation itself and its services.
        sqlx::query(
            "DELETE FROM hsds_records WHERE (table_name = 'organization' AND id = $1) \
             OR (table_name = 'service' AND id IN (SELECT id FROM services WHERE organization_id = $1))",
        )
        .bind(id.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(map_err("organisation"))?;
        let done = sqlx::query("DELETE FROM organizations WHERE id = $1")
            .bind(id.as_uuid())
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
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, \
             name = excluded.name, description = excluded.description, status = excluded.status",
        )
        .bind(row.id)
        .bind(row.organization_id)
        .bind(row.name)
        .bind(row.description)
        .bind(row.status)
        .execute(&self.pool)
        .await
        // The only reference a service holds is to its organisation.
        .map_err(map_err("organisation"))?;
        Ok(())
    }

    async fn service(&self, id: ServiceId) -> Result<Service, StoreError> {
        let sql = format!("SELECT {SERVICE_COLUMNS} FROM services WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.as_uuid())
            .fetch_one(&self.pool)
            .await
            .map_err(map_err("service"))?;
        service(row)
    }

    async fn services_of(&self, organisation: OrganisationId) -> Result<Vec<Service>, StoreError> {
        let sql = format!(
            "SELECT {SERVICE_COLUMNS} FROM services WHERE organization_id = $1 ORDER BY name COLLATE \"C\", id"
        );
        sqlx::query(&sql)
            .bind(organisation.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(map_err("service"))?
            .into_iter()
            .map(service)
            .collect()
    }

    async fn delete_service(&self, id: ServiceId) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM services WHERE id = $1")
            .bind(id.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(map_err("service"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found("service"));
        }
        Ok(())
    }

    async fn add_listing_report(&self, report: &ListingReport) -> Result<(), StoreError> {
        let row = ListingReportRow::from(report);
        let result = sqlx::query(
            "INSERT INTO listing_reports (id, service_id, reason, details, received_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.id)
        .bind(row.service_id)
        .bind(row.reason)
        .bind(row.details)
        .bind(row.received_at)
        .execute(&self.pool)
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
             ORDER BY received_at, id LIMIT $1 OFFSET $2"
        );
        sqlx::query(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
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
             ORDER BY received_at, id LIMIT $1 OFFSET $2"
        );
        sqlx::query(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
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
        let mut tx = self.pool.begin().await.map_err(map_err("report"))?;
        let done = sqlx::query(
            "UPDATE listing_reports SET resolved_at = $1 WHERE id = $2 AND resolved_at IS NULL",
        )
        .bind(at)
        .bind(id.as_uuid())
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
        let sql = format!("SELECT {REPORT_COLUMNS} FROM listing_reports WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.as_uuid())
            .fetch_one(&self.pool)
            .await
            .map_err(map_err("report"))?;
        report(row)
    }

    async fn directory_counts(&self) -> Result<DirectoryCounts, StoreError> {
        let row = sqlx::query(
            "SELECT (SELECT count(*) FROM organizations) AS organisations, \
             (SELECT count(*) FROM services) AS services",
        )
        .fetch_one(&self.pool)
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
