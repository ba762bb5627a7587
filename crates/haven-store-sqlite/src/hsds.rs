//! The directory's HSDS records in SQLite.

use haven_hsds::Dataset;
use haven_store::hsds_rows::{
    dataset_from_rows, organisation_projection, record_rows, service_projection,
};
use haven_store::{DIRECTORY_VERSION, StoreError};

use crate::SqliteStore;
use crate::errors::map_err;

/// How many rows one INSERT carries: SQLite allows 32,766 bound values per statement.
const ROWS_PER_INSERT: usize = 500;

impl SqliteStore {
    pub(crate) async fn store_dataset_rows(&self, dataset: &Dataset) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(map_err("directory"))?;
        write_dataset(&mut tx, dataset).await?;
        tx.commit().await.map_err(map_err("directory"))
    }

    pub(crate) async fn load_dataset(&self) -> Result<Dataset, StoreError> {
        // Read in storage order and sort here: `ORDER BY table_name, id` walks the primary key
        // index and fetches each row at random (13× slower at 100,000 services). Rust's `str`
        // order is byte order, SQLite's BINARY collation, so the order is the same.
        let mut rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT table_name, id, body FROM hsds_records")
                .fetch_all(&self.readers)
                .await
                .map_err(map_err("directory record"))?;
        rows.sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        let rows: Vec<(String, String)> = rows.into_iter().map(|(t, _, b)| (t, b)).collect();
        dataset_from_rows(&rows)
    }
}

/// Upserts every record of `dataset` and its projections, and bumps the directory version,
/// inside `tx`.
pub(crate) async fn write_dataset(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    dataset: &Dataset,
) -> Result<(), StoreError> {
    let rows = record_rows(dataset)?;
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut sql = String::from("INSERT INTO hsds_records (table_name, id, body) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str("(?, ?, ?)");
        }
        sql.push_str(" ON CONFLICT (table_name, id) DO UPDATE SET body = excluded.body");
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = query
                .bind(row.table)
                .bind(row.id.to_string())
                .bind(&row.body);
        }
        query
            .execute(&mut **tx)
            .await
            .map_err(map_err("directory record"))?;
    }
    for organisation in &dataset.organization {
        let row = organisation_projection(dataset, organisation);
        sqlx::query(
            "INSERT INTO organizations (id, name, description, scope, town, website) \
                 VALUES (?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
                 description = excluded.description, scope = excluded.scope, \
                 website = excluded.website",
        )
        .bind(row.id.to_string())
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
                 VALUES (?, ?, ?, ?, ?) \
                 ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, \
                 name = excluded.name, description = excluded.description, status = excluded.status",
            )
            .bind(service.id.to_string())
            .bind(service.organization_id.to_string())
            .bind(service.name)
            .bind(service.description)
            .bind(service.status)
            .execute(&mut **tx)
            .await
            // The only reference a service projection holds is to its organisation.
            .map_err(map_err("organisation"))?;
    }
    sqlx::query(
        "INSERT INTO meta (key, value) VALUES (?, '1') \
             ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
    )
    .bind(DIRECTORY_VERSION)
    .execute(&mut **tx)
    .await
    .map_err(map_err("setting"))?;
    Ok(())
}
