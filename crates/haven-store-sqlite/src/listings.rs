//! Listing changes in Sqlite: removals, upserts, the tenant's listing and the audit event in one
//! transaction.

use async_trait::async_trait;
use haven_hsds::Table;
use haven_store::{ListingChange, ListingStore, StoreError};

use crate::errors::map_err;
use crate::hsds::write_dataset;
use crate::{SqliteStore, audit};

#[async_trait]
impl ListingStore for SqliteStore {
    async fn change_listing(&self, change: &ListingChange<'_>) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("listing"))?;
        for (table, id) in change.remove {
            sqlx::query("DELETE FROM hsds_records WHERE table_name = ? AND id = ?")
                .bind(table.name())
                .bind(id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(map_err("directory record"))?;
            if *table == Table::Service {
                sqlx::query("DELETE FROM services WHERE id = ?")
                    .bind(id.to_string())
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err("service"))?;
            }
        }
        write_dataset(&mut tx, change.upsert).await?;
        if let Some((tenant, organisation)) = change.tenant_listing {
            let done = sqlx::query("UPDATE tenants SET directory_organization_id = ? WHERE id = ?")
                .bind(organisation.as_uuid().to_string())
                .bind(tenant.as_uuid().to_string())
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
