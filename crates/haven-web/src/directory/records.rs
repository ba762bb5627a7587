//! The full public HSDS dataset, which only the HSDS API reads: pages and search need only the
//! cards and the index. Keeping it apart lets a start from a snapshot serve pages as soon as
//! the cards and the index are read, while the records (most of the snapshot, about ten
//! seconds of parsing at a million services) are read in the background; an API request that
//! comes first waits for them.

use std::sync::Arc;

use haven_hsds::Dataset;
use haven_hsds::export::Neighbourhoods;
use tokio::sync::watch;
use uuid::Uuid;

use crate::error::{AppError, ErrorKind};

/// The public dataset and where each record's related records are.
#[derive(Debug)]
pub(crate) struct Records {
    pub(crate) dataset: Dataset,
    /// About a second at a million services, so made here, off the request path.
    neighbourhoods: Neighbourhoods,
}

impl Records {
    /// Indexes `dataset`. Blocking: seconds at a million services.
    pub(crate) fn new(dataset: Dataset) -> Self {
        let neighbourhoods = Neighbourhoods::new(&dataset);
        Self {
            dataset,
            neighbourhoods,
        }
    }

    /// The records around service `id`, enough to render it whole.
    pub(crate) fn around_service(&self, id: Uuid) -> Option<Dataset> {
        self.neighbourhoods.service(&self.dataset, id)
    }

    /// Service `id` as an HSDS `service_list` item.
    pub(crate) fn service_list(&self, id: Uuid) -> Option<serde_json::Value> {
        self.neighbourhoods.service_list(&self.dataset, id)
    }

    /// Service `id` as a `minimal` list item (id and last change).
    pub(crate) fn service_minimal(&self, id: Uuid) -> Option<serde_json::Value> {
        self.neighbourhoods.service_minimal(&self.dataset, id)
    }
}

/// A directory's records: ready, or still being read. Clones share them.
#[derive(Debug, Clone)]
pub(crate) struct PendingRecords(watch::Receiver<Option<Arc<Records>>>);

/// The one way to hand over records that were pending.
#[derive(Debug)]
pub(crate) struct RecordsSender(watch::Sender<Option<Arc<Records>>>);

/// The records will not come: whatever was reading them stopped without them.
#[derive(Debug, thiserror::Error)]
#[error("the directory's records could not be read")]
pub(crate) struct RecordsUnavailable;

impl From<RecordsUnavailable> for AppError {
    fn from(_: RecordsUnavailable) -> Self {
        AppError::new(ErrorKind::Unavailable)
    }
}

impl PendingRecords {
    /// Records already at hand.
    pub(crate) fn ready(records: Records) -> Self {
        Self(watch::channel(Some(Arc::new(records))).1)
    }

    /// Records to come through the sender.
    pub(crate) fn pending() -> (Self, RecordsSender) {
        let (sender, receiver) = watch::channel(None);
        (Self(receiver), RecordsSender(sender))
    }

    /// The records, waiting for them if they are still being read.
    pub(crate) async fn get(&self) -> Result<Arc<Records>, RecordsUnavailable> {
        let mut receiver = self.0.clone();
        let ready = receiver
            .wait_for(Option::is_some)
            .await
            .map_err(|_| RecordsUnavailable)?;
        ready.clone().ok_or(RecordsUnavailable)
    }

    /// The records if they are ready, without waiting.
    pub(crate) fn now(&self) -> Option<Arc<Records>> {
        self.0.borrow().clone()
    }
}

impl RecordsSender {
    /// Hands the records to everyone waiting and everyone who asks later.
    pub(crate) fn send(self, records: Records) {
        // No receiver left means the directory was replaced: nobody needs them.
        let _ = self.0.send(Some(Arc::new(records)));
    }

    /// Whether nobody can want the records any more (the directory was replaced), so work
    /// towards them can stop.
    pub(crate) fn abandoned(&self) -> bool {
        self.0.is_closed()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn waiters_get_the_records_once_sent_and_an_error_if_they_never_come() {
        let (pending, sender) = PendingRecords::pending();
        assert!(pending.now().is_none());
        let waiting = tokio::spawn({
            let pending = pending.clone();
            async move { pending.get().await.map(|r| r.dataset.record_count()) }
        });
        tokio::task::yield_now().await;
        assert!(!sender.abandoned());
        sender.send(Records::new(Dataset::new()));
        assert_eq!(waiting.await.unwrap().unwrap(), 0);
        assert!(pending.now().is_some());

        let (pending, sender) = PendingRecords::pending();
        drop(sender);
        assert!(pending.get().await.is_err());

        let (pending, sender) = PendingRecords::pending();
        drop(pending);
        assert!(sender.abandoned());

        let ready = PendingRecords::ready(Records::new(Dataset::new()));
        assert!(ready.get().await.is_ok());
    }
}
