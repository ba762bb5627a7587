//! The directory's HSDS records in PostgreSQL.

use haven_hsds::Dataset;
use haven_store::hsds_rows::{
    dataset_from_rows, organisation_projection, record_rows, service_projection,
};
use haven_store::{DIRECTORY_VERSION, StoreError};

use crate::PostgresStore;
use crate::errors::map_err;

/// Rows per INSERT: arrays bound whole, so only memory limits this.
const ROWS_PER_INSERT: usize = 5_000;

impl PostgresStore {
    pub(crate) async fn store_dataset_rows(&self, dataset: &Dataset) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err("directory"))?;
        write_dataset(&mut tx, dataset).await?;
        tx.commit().await.map_err(map_err("directory"))
    }

    pub(crate) async fn load_dataset(&self) -> Result<Dataset, StoreError> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT table_name, body FROM hsds_records ORDER BY table_name, id")
                .fetch_all(&self.pool)
                .await
                .map_err(map_err("directory record"))?;
        dataset_from_rows(&rows)
    }
}

/// Upserts every record of `dataset` and its projections, and bumps the directory version,
/// inside `tx`.
pub(crate) async fn write_dataset(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    dataset: &Dataset,
) -> Result<(), StoreError> {
    let rows = record_rows(dataset)?;
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let tables: Vec<&str> = chunk.iter().map(|r| r.table).collect();
        let ids: Vec<uuid::Uuid> = chunk.iter().map(|r| r.id).collect();
        let bodies: Vec<&str> = chunk.iter().map(|r| r.body.as_str()).collect();
        sqlx::query(
            "INSERT INTO hsds_records (table_name, id, body) \
                 SELECT * FROM UNNEST($1::text[], $2::uuid[], $3::text[]) \
                 ON CONFLICT (table_name, id) DO UPDATE SET body = excluded.body",
        )
        .bind(&tables)
        .bind(&ids)
        .bind(&bodies)
        .execute(&mut **tx)
        .await
        .map_err(map_err("directory record"))?;
    }
    for organisation in &dataset.organization {
        let row = organisation_projection(dataset, organisation);
        sqlx::query(
            "INSERT INTO organizations (id, name, description, scope, town, website) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
                 description = excluded.description, scope = excluded.scope, \
                 website = excluded.website",
        )
        .bind(row.id)
        .bind(row.name)
        .bind(row.description)
        .bind(row.scope)
        .bind(row.town)
        .bind(row.website)
        .execute(&mut **tx)
        .await
        .map_err(map_err("organisation"))?;
    }
    for service in dataset.service.iter().filter_map(service_projection) {
        sqlx::query(
                "INSERT INTO services (id, organization_id, name, description, status) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, \
                 name = excluded.name, description = excluded.description, status = excluded.status",
            )
            .bind(service.id)
            .bind(service.organization_id)
            .bind(service.name)
            .bind(service.description)
            .bind(service.status)
            .execute(&mut **tx)
            .await
            // The only reference a service projection holds is to its organisation.
            .map_err(map_err("organisation"))?;
    }
    sqlx::query(
        "INSERT INTO meta (key, value) VALUES ($1, '1') \
             ON CONFLICT (key) DO UPDATE SET value = ((meta.value)::bigint + 1)::text",
    )
    .bind(DIRECTORY_VERSION)
    .execute(&mut **tx)
    .await
    .map_err(map_err("setting"))?;
    Ok(())
}
