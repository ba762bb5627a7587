//! Opens the store named by the configuration. The backend is chosen here, once.

use std::sync::Arc;

use haven_store::{Store, StoreError};
use haven_store_postgres::PostgresStore;
use haven_store_sqlite::SqliteStore;
use secrecy::ExposeSecret;

use crate::config::DatabaseUrl;

/// Opens and migrates the database.
pub async fn open(url: &DatabaseUrl) -> Result<Arc<dyn Store>, StoreError> {
    Ok(match url {
        DatabaseUrl::Sqlite(path) => Arc::new(SqliteStore::open(path).await?),
        DatabaseUrl::Postgres(url) => Arc::new(PostgresStore::open(url.expose_secret()).await?),
    })
}
