//! Instance settings.

use async_trait::async_trait;
use haven_store::{MetaStore, StoreError};

use crate::PostgresStore;
use crate::errors::map_err;

#[async_trait]
impl MetaStore for PostgresStore {
    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err("setting"))
    }

    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await
        .map_err(map_err("setting"))?;
        Ok(())
    }
}
