//! Browsers a person has signed in from, so a sign-in from a new one can be reported to them.
//! Only digests of the device cookie's random id are stored: the table cannot recognise a
//! browser by itself, and holds no address or browser description.

use async_trait::async_trait;
use haven_domain::UserId;
use time::OffsetDateTime;

use crate::StoreError;

/// Known devices per user.
#[async_trait]
pub trait DeviceStore {
    /// Remembers that `user` signed in from the device whose id has digest `digest`; returns
    /// whether this device was new to that user.
    async fn remember_device(
        &self,
        user: UserId,
        digest: &str,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError>;
}
