//! Listing changes in Postgres: removals, upserts, the tenant's listing and the audit event in one
//! transaction.

use async_trait::async_trait;
use haven_hsds::Table;
use haven_store::{ListingChange, ListingStore, StoreError};

use crate::errors::map_err;
use crate::hsds::write_dataset;
use crate::{PostgresStore, audit};

#[async_trait]
impl ListingStore for PostgresStore {
    async fn change_listing(&self, change: &ListingChange<'_>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err("listing"))?;
        for (table, id) in change.remove {
            sqlx::query("DELETE FROM hsds_records WHERE table_name = $1 AND id = $2")
                .bind(table.name())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(map_err("directory record"))?;
            if *table == Table::Service {
                sqlx::query("DELETE FROM services WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err("service"))?;
            }
        }
        write_dataset(&mut tx, change.upsert).await?;
        if let Some((tenant, organisation)) = change.tenant_listing {
            let done =
                sqlx::query("UPDATE tenants SET directory_organization_id = $1 WHERE id = $2")
                    .bind(organisation.as_uuid())
                    .bind(tenant.as_uuid())
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err("organisation"))?;
            if done.rows_affected() == 0 {
                return Err(StoreError::not_found("organisation"));
            }
        }
        audit::append(&mut tx, change.audit).await?;
        tx.commit().await.map_err(map_err("listing"))
    }
}
