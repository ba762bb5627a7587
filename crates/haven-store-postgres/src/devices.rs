//! Known devices in PostgreSQL.

use async_trait::async_trait;
use haven_domain::UserId;
use haven_store::{DeviceStore, StoreError};
use time::OffsetDateTime;

use crate::PostgresStore;
use crate::errors::map_err;

#[async_trait]
impl DeviceStore for PostgresStore {
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
        .bind(user.as_uuid())
        .bind(digest)
        .bind(at)
        .execute(&self.pool)
        .await
        .map_err(map_err("device"))?;
        Ok(done.rows_affected() == 1)
    }
}
