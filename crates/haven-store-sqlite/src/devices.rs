//! Known devices in SQLite.

use async_trait::async_trait;
use haven_domain::UserId;
use haven_store::{DeviceStore, StoreError};
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::errors::map_err;
use crate::time_text::to_text;

#[async_trait]
impl DeviceStore for SqliteStore {
    async fn remember_device(
        &self,
        user: UserId,
        digest: &str,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO known_devices (user_id, digest, first_seen_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, digest) DO NOTHING",
        )
        .bind(user.to_string())
        .bind(digest)
        .bind(to_text(at)?)
        .execute(&self.writer)
        .await
        .map_err(map_err("device"))?;
        Ok(done.rows_affected() == 1)
    }
}
