//! Instance settings.

use async_trait::async_trait;
use haven_store::{MetaStore, StoreError};

use crate::SqliteStore;
use crate::errors::map_err;

#[async_trait]
impl MetaStore for SqliteStore {
    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.readers)
            .await
            .map_err(map_err("setting"))
    }

    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.writer)
        .await
        .map_err(map_err("setting"))?;
        Ok(())
    }
}
