//! The public directory as the web layer serves it: a card for each service and organisation,
//! the search index, and the redacted HSDS records (for the HSDS API), all made together from
//! the store and swapped in whole when the directory changes (in this process or any other:
//! every process polls the directory version the store bumps on each change).

pub(crate) mod cards;
pub(crate) mod records;
pub(crate) mod search;
pub(crate) mod service_cards;
pub mod snapshot;
pub(crate) mod uk_time;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use haven_hsds::Dataset;
use haven_search::SearchIndex;
use haven_store::{DIRECTORY_VERSION, Store, StoreError};
use records::{PendingRecords, Records, RecordsSender, RecordsUnavailable};
use service_cards::ServiceCards;
use snapshot::{RecordsSection, SnapshotFile};
use uuid::Uuid;

pub(crate) use cards::{OrganisationCard, ServiceCard};

/// One consistent snapshot of the directory.
#[derive(Debug)]
pub struct Directory {
    /// Kept encoded, each decoded when shown (see `service_cards`).
    pub(crate) services: ServiceCards,
    pub(crate) organisations: HashMap<Uuid, OrganisationCard>,
    pub(crate) index: SearchIndex,
    /// The language codes behind the index's language ids (id = position).
    pub(crate) language_codes: Vec<String>,
    /// The area names behind the index's service-area ids (id = position).
    pub(crate) area_names: Vec<String>,
    /// The full public dataset, for the HSDS API only: after a start from a snapshot it is
    /// still being read for a few seconds, and API requests wait for it (see `records`).
    records: PendingRecords,
    /// Compressed search API responses for this snapshot.
    pub(crate) api_cache: crate::api::cache::ResponseCache,
    version: Option<String>,
}

/// Why the directory could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// Reading the store failed.
    #[error("reading the directory: {0}")]
    Store(#[from] StoreError),
    /// A record could not be indexed.
    #[error("indexing the directory: {0}")]
    Index(String),
}

impl Directory {
    /// An empty directory.
    pub fn empty() -> Self {
        Self {
            services: ServiceCards::default(),
            organisations: HashMap::new(),
            index: SearchIndex::new(),
            language_codes: Vec::new(),
            area_names: Vec::new(),
            records: PendingRecords::ready(Records::new(Dataset::new())),
            api_cache: Default::default(),
            version: None,
        }
    }

    /// Builds from everything in the store. Only the public view is kept: confidential
    /// addresses and points never reach a page or the API. The records' look-up tables for
    /// the API are made in the background (about a second at a million services).
    pub async fn load(store: &dyn Store) -> Result<Self, DirectoryError> {
        let version = store.meta(DIRECTORY_VERSION).await?;
        let dataset = read_public(store).await?;
        let built = Self::build(&dataset)?;
        let (records, sender) = PendingRecords::pending();
        tokio::task::spawn_blocking(move || sender.send(Records::new(dataset)));
        Ok(Self::from_parts(built, records, version))
    }

    /// Builds like [`Directory::load`], but takes the cards and the index from `snapshot` when
    /// it was saved for this database at the store's current directory version; its records
    /// are then read in the background (see [`Directory::records`]), so this answers as soon
    /// as pages and search can be served. Also answers the key to save a snapshot under when
    /// none was usable (the caller writes it in the background, see [`spawn_snapshot_write`]);
    /// `None` when the one read was used or the directory has no version yet. Any snapshot
    /// problem means a load from the store.
    pub async fn load_with_snapshot(
        store: &Arc<dyn Store>,
        snapshot: &SnapshotFile,
    ) -> Result<(Self, Option<String>), DirectoryError> {
        let version = store.meta(DIRECTORY_VERSION).await?;
        let Some(current) = version.clone() else {
            return Ok((Self::load(store.as_ref()).await?, None));
        };
        let key = match snapshot_key(store.as_ref(), &current).await {
            Ok(key) => key,
            Err(error) => {
                tracing::warn!(%error, "directory snapshot unavailable: no database id");
                return Ok((Self::load(store.as_ref()).await?, None));
            }
        };
        let started = Instant::now();
        let file = snapshot.clone();
        let read_key = key.clone();
        let opened = tokio::task::spawn_blocking(move || file.open(&read_key))
            .await
            .unwrap_or(Err(snapshot::SnapshotError::Invalid(
                "reading thread failed",
            )));
        match opened {
            Ok(opened) => {
                // Said at info: an operator should see which path a start took.
                tracing::info!(
                    read_ms = started.elapsed().as_millis() as u64,
                    "directory cards and index read from its snapshot"
                );
                let (records, sender) = PendingRecords::pending();
                tokio::spawn(read_records(
                    opened.records,
                    sender,
                    store.clone(),
                    snapshot.clone(),
                ));
                let parts = (opened.cards, opened.index);
                Ok((Self::from_parts(parts, records, version), None))
            }
            Err(error) => {
                // A missing file is the normal first start; anything else is worth a line.
                if !matches!(&error, snapshot::SnapshotError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
                {
                    tracing::info!(
                        %error,
                        file = %snapshot.path().display(),
                        "directory snapshot not used; reading the store"
                    );
                }
                let directory = Self::load(store.as_ref()).await?;
                // An import between the two version reads would label newer data with the
                // older key: save only what matches the key.
                let key = (directory.version.as_deref() == Some(current.as_str())).then_some(key);
                Ok((directory, key))
            }
        }
    }

    /// Builds the cards and the index over an already public dataset.
    fn build(dataset: &Dataset) -> Result<(cards::Cards, SearchIndex), DirectoryError> {
        let started = Instant::now();
        let built = cards::build(dataset).map_err(|e| DirectoryError::Index(e.to_string()))?;
        let carded = started.elapsed();
        let index = SearchIndex::build(built.documents)
            .map_err(|e| DirectoryError::Index(e.to_string()))?;
        let indexed = started.elapsed();
        // Where start-up time goes, for whoever is measuring it.
        tracing::debug!(
            cards_ms = carded.as_millis() as u64,
            index_ms = (indexed - carded).as_millis() as u64,
            "directory load phases"
        );
        Ok((built.cards, index))
    }

    fn from_parts(
        (cards, index): (cards::Cards, SearchIndex),
        records: PendingRecords,
        version: Option<String>,
    ) -> Self {
        Self {
            services: cards.services,
            organisations: cards.organisations,
            index,
            language_codes: cards.language_codes,
            area_names: cards.area_names,
            records,
            api_cache: Default::default(),
            version,
        }
    }

    /// The full public dataset and its look-up tables, for the HSDS API, waiting for them
    /// while they are still being read (seconds after a start from a snapshot).
    pub(crate) async fn records(&self) -> Result<Arc<Records>, RecordsUnavailable> {
        self.records.get().await
    }

    /// Whether the HSDS API's records are ready, so API requests will not wait. `/readyz`
    /// does not wait for this: pages and search are served without the records.
    pub fn records_ready(&self) -> bool {
        self.records.now().is_some()
    }

    /// The search API's compressed-response cache: bodies kept and requests answered from it.
    #[doc(hidden)]
    pub fn api_cache_stats(&self) -> (usize, u64) {
        self.api_cache.stats()
    }

    /// How many services it holds.
    pub fn service_count(&self) -> usize {
        self.services.len()
    }

    /// The index ids of the areas a place lies in (its local authority and region), for
    /// "covers my area".
    pub(crate) fn area_ids(&self, place: &haven_geo::Place) -> Vec<u32> {
        [&place.local_authority, &place.region]
            .into_iter()
            .filter_map(|name| {
                self.area_names
                    .binary_search(&cards::area_key(name))
                    .ok()
                    .and_then(|p| u32::try_from(p).ok())
            })
            .collect()
    }

    /// A service as the HSDS API shows it in `shape`, rendered from the records around it
    /// (`records` being this directory's). Rendered per call, not kept per service: kept,
    /// every service a crawler ever asked for would stay in memory (about 7.5 KB each for
    /// `service_full`) until the next snapshot; repeated search pages are answered from the
    /// bounded response cache instead. See [`write_service`] to write it with Haven's fields.
    pub(crate) fn service_json(
        &self,
        records: &Records,
        id: Uuid,
        shape: ServiceShape,
    ) -> Option<serde_json::Map<String, serde_json::Value>> {
        if !self.services.contains(id) {
            return None;
        }
        let value = match shape {
            ServiceShape::Full => {
                haven_hsds::export::service_full(&records.around_service(id)?, id)?
            }
            ServiceShape::List => records.service_list(id)?,
            ServiceShape::Minimal => records.service_minimal(id)?,
        };
        match value {
            serde_json::Value::Object(object) => Some(object),
            _ => None,
        }
    }

    /// The index id of a language code.
    pub(crate) fn language_id(&self, code: &str) -> Option<u16> {
        self.language_codes
            .binary_search_by(|c| c.as_str().cmp(code))
            .ok()
            .and_then(|p| u16::try_from(p).ok())
    }
}

/// How much of a service the API writes (HSDS's list parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ServiceShape {
    /// `service_full`: everything about the service nested (`/services/{id}`, `full=true`).
    Full,
    /// `service_list`: its own fields, organization and program (a list's default).
    List,
    /// `id` and `last_modified` only (`minimal=true`).
    Minimal,
}

/// Where Haven's own fields go in a service object: every key before this sorts before them.
const HAVEN_PREFIX: &str = "haven_";

/// Writes `service` (as [`Directory::service_json`] gives it) to `out` as JSON, with `extra`
/// (sorted by key, each key starting with `haven_`) in its place in key order: serialised once,
/// straight into the page being written.
pub(crate) fn write_service(
    service: &serde_json::Map<String, serde_json::Value>,
    extra: &[(&str, serde_json::Value)],
    out: &mut Vec<u8>,
) -> serde_json::Result<()> {
    fn member(
        key: &str,
        value: &serde_json::Value,
        first: &mut bool,
        out: &mut Vec<u8>,
    ) -> serde_json::Result<()> {
        if !std::mem::take(first) {
            out.push(b',');
        }
        serde_json::to_writer(&mut *out, key)?;
        out.push(b':');
        serde_json::to_writer(&mut *out, value)
    }
    out.push(b'{');
    let mut first = true;
    let mut extra = Some(extra);
    for (key, value) in service {
        // (A record carrying its own `haven_` extension keeps it, after Haven's fields.)
        if key.as_str() >= HAVEN_PREFIX
            && let Some(extra) = extra.take()
        {
            for (key, value) in extra {
                member(key, value, &mut first, out)?;
            }
        }
        member(key, value, &mut first, out)?;
    }
    for (key, value) in extra.unwrap_or_default() {
        member(key, value, &mut first, out)?;
    }
    out.push(b'}');
    Ok(())
}

/// The meta key of a random id made once per database, so a snapshot of one database (or of
/// an earlier database at the same path) is never taken for another's.
const DATABASE_ID: &str = "directory_database_id";

/// The store's dataset with confidential details removed.
async fn read_public(store: &dyn Store) -> Result<Dataset, StoreError> {
    let started = Instant::now();
    let stored = store.dataset().await?;
    let read = started.elapsed();
    let dataset = haven_hsds::redact::into_public(stored);
    tracing::debug!(
        read_ms = read.as_millis() as u64,
        redact_ms = (started.elapsed() - read).as_millis() as u64,
        "directory read from the store"
    );
    Ok(dataset)
}

/// How long to wait before reading the store again when the records could be had neither
/// from the snapshot nor from the store.
const RECORDS_RETRY: Duration = Duration::from_secs(5);

/// Reads a snapshot's records and hands them over. Records that cannot be read (damaged
/// since start-up checked the rest, or not parsing) are read from the store instead, until
/// that succeeds or nobody wants them any more; the damaged snapshot is removed so the next
/// start rebuilds it. (The store may meanwhile be at a newer version than the cards: the
/// refresher then replaces this whole directory within seconds.)
async fn read_records(
    section: RecordsSection,
    sender: RecordsSender,
    store: Arc<dyn Store>,
    snapshot: SnapshotFile,
) {
    let started = Instant::now();
    let read = tokio::task::spawn_blocking(move || section.read().map(Records::new))
        .await
        .unwrap_or(Err(snapshot::SnapshotError::Invalid(
            "reading thread failed",
        )));
    let records = match read {
        Ok(records) => records,
        Err(error) => {
            tracing::warn!(
                %error,
                file = %snapshot.path().display(),
                "directory snapshot's records not usable; removing it and reading the store"
            );
            let _ = std::fs::remove_file(snapshot.path());
            loop {
                if sender.abandoned() {
                    return;
                }
                match read_public(store.as_ref()).await {
                    Ok(dataset) => {
                        match tokio::task::spawn_blocking(move || Records::new(dataset)).await {
                            Ok(records) => break records,
                            Err(error) => {
                                tracing::warn!(%error, "indexing the directory's records failed")
                            }
                        }
                    }
                    Err(error) => tracing::warn!(%error, "reading the directory's records failed"),
                }
                tokio::time::sleep(RECORDS_RETRY).await;
            }
        }
    };
    // Said at info: the HSDS API waits for this after a start from a snapshot.
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        "directory records ready for the API"
    );
    sender.send(records);
}

/// What a snapshot is saved under: the database's id, its directory version, the Haven
/// version that wrote it, and the vocabularies the cards number their terms by. The snapshot
/// holds the already redacted dataset, so a new Haven (whose redaction rules may differ) must
/// never serve an older one's: it rebuilds instead, even if nobody remembered to bump the file
/// format.
async fn snapshot_key(store: &dyn Store, version: &str) -> Result<String, StoreError> {
    let id = match store.meta(DATABASE_ID).await? {
        Some(id) => id,
        None => {
            store
                .set_meta(DATABASE_ID, &Uuid::new_v4().to_string())
                .await?;
            // Two processes starting together may both write one; whichever stayed is the id.
            store
                .meta(DATABASE_ID)
                .await?
                .ok_or(StoreError::Other("database id not kept".into()))?
        }
    };
    Ok(format!(
        "{id}\n{version}\nhaven {}\nvocabularies {}",
        env!("CARGO_PKG_VERSION"),
        cards::vocabulary_fingerprint()
    ))
}

/// Saves `directory` (cards, index and public dataset) to `file` under `key` once its records
/// are ready, on a blocking thread, logging the outcome; serving does not wait for it.
pub fn spawn_snapshot_write(
    directory: Arc<Directory>,
    file: SnapshotFile,
    key: String,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let records = match directory.records().await {
            Ok(records) => records,
            Err(error) => {
                tracing::warn!(%error, "directory snapshot not saved");
                return;
            }
        };
        let written = tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            let cards = cards::CardsRef {
                services: &directory.services,
                organisations: &directory.organisations,
                language_codes: &directory.language_codes,
                area_names: &directory.area_names,
            };
            file.write(cards, &directory.index, &records.dataset, &key)
                .map(|()| started.elapsed())
                .map_err(|error| (error, file))
        })
        .await;
        match written {
            Ok(Ok(took)) => {
                tracing::info!(ms = took.as_millis() as u64, "directory snapshot saved")
            }
            Ok(Err((error, file))) => tracing::warn!(
                %error,
                file = %file.path().display(),
                "directory snapshot not saved"
            ),
            Err(error) => tracing::warn!(%error, "directory snapshot not saved"),
        }
    })
}

/// The current snapshot, shared by every request; replaced whole, never edited in place.
#[derive(Debug, Clone)]
pub struct DirectoryHandle(Arc<RwLock<Arc<Directory>>>);

impl DirectoryHandle {
    /// A handle on `directory`.
    pub fn new(directory: Directory) -> Self {
        Self(Arc::new(RwLock::new(Arc::new(directory))))
    }

    /// The current snapshot (the lock is held only to clone a pointer).
    pub fn current(&self) -> Arc<Directory> {
        match self.0.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn replace(&self, directory: Directory) {
        let directory = Arc::new(directory);
        match self.0.write() {
            Ok(mut guard) => *guard = directory,
            Err(poisoned) => *poisoned.into_inner() = directory,
        }
    }

    /// Rebuilds if the store's directory version differs from the snapshot's.
    pub async fn refresh_if_changed(&self, store: &dyn Store) -> Result<bool, DirectoryError> {
        let version = store.meta(DIRECTORY_VERSION).await?;
        if version == self.current().version {
            return Ok(false);
        }
        let fresh = Directory::load(store).await?;
        // Its records ready before the swap, so no API request on the new snapshot waits.
        fresh
            .records()
            .await
            .map_err(|e| DirectoryError::Index(format!("preparing the API records: {e}")))?;
        self.replace(fresh);
        Ok(true)
    }

    /// Checks for changes every `every`, for as long as the process runs.
    pub fn spawn_refresher(
        &self,
        store: Arc<dyn Store>,
        every: Duration,
    ) -> tokio::task::JoinHandle<()> {
        let handle = self.clone();
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(every);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                match handle.refresh_if_changed(store.as_ref()).await {
                    Ok(true) => tracing::info!(
                        services = handle.current().service_count(),
                        "directory reloaded"
                    ),
                    Ok(false) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "directory reload failed; keeping the previous one")
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::write_service;
    use serde_json::{Value, json};

    #[test]
    fn a_written_service_is_the_object_with_havens_fields_inserted() {
        for object in [
            json!({"attributes": [], "id": "x", "name": "A \"quoted\" name", "zz": {"a": 1}}),
            json!({"id": "x"}),
            json!({"a": 1}),
            json!({}),
            json!({"a": 1, "haven_x": true, "z": [2]}),
        ] {
            let service = object.as_object().unwrap();
            let mut plain = Vec::new();
            write_service(service, &[], &mut plain).unwrap();
            assert_eq!(serde_json::from_slice::<Value>(&plain).unwrap(), object);
            assert_eq!(plain, serde_json::to_vec(&object).unwrap());
            let extra = [
                ("haven_distance_km", Value::from(1.25)),
                ("haven_reach", Value::from("local")),
            ];
            let mut with = Vec::new();
            write_service(service, &extra, &mut with).unwrap();
            let mut expected = object.clone();
            for (k, v) in &extra {
                expected
                    .as_object_mut()
                    .unwrap()
                    .insert((*k).to_owned(), v.clone());
            }
            assert_eq!(
                String::from_utf8(with).unwrap(),
                serde_json::to_string(&expected).unwrap()
            );
        }
        // A record's own `haven_` extension stays, after Haven's fields.
        let own = json!({"a": 1, "haven_own": true});
        let mut with = Vec::new();
        let extra = [("haven_reach", Value::from("local"))];
        write_service(own.as_object().unwrap(), &extra, &mut with).unwrap();
        assert_eq!(
            String::from_utf8(with).unwrap(),
            r#"{"a":1,"haven_reach":"local","haven_own":true}"#
        );
    }
}
