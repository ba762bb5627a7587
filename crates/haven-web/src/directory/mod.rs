//! The public directory as the web layer serves it: the redacted HSDS dataset, a card for each
//! service and organisation, and the search index, all built together from the store and
//! swapped in whole when the directory changes (in this process or any other: every process
//! polls the directory version the store bumps on each change).

pub(crate) mod cards;
pub(crate) mod search;
pub mod snapshot;
pub(crate) mod uk_time;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use haven_hsds::Dataset;
use haven_hsds::export::Neighbourhoods;
use haven_search::SearchIndex;
use haven_store::{DIRECTORY_VERSION, Store, StoreError};
use snapshot::SnapshotFile;
use uuid::Uuid;

pub(crate) use cards::{OrganisationCard, ServiceCard};

/// One consistent snapshot of the directory.
#[derive(Debug)]
pub struct Directory {
    pub(crate) dataset: Dataset,
    pub(crate) services: HashMap<Uuid, ServiceCard>,
    pub(crate) organisations: HashMap<Uuid, OrganisationCard>,
    pub(crate) index: SearchIndex,
    /// The language codes behind the index's language ids (id = position).
    pub(crate) language_codes: Vec<String>,
    /// The area names behind the index's service-area ids (id = position).
    pub(crate) area_names: Vec<String>,
    /// Where each record's related records are: built on the first API request that needs it
    /// (about a second at a million services), so start-up does not wait for it.
    neighbourhoods: OnceLock<Neighbourhoods>,
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
            dataset: Dataset::new(),
            services: HashMap::new(),
            organisations: HashMap::new(),
            index: SearchIndex::new(),
            language_codes: Vec::new(),
            area_names: Vec::new(),
            neighbourhoods: OnceLock::new(),
            api_cache: Default::default(),
            version: None,
        }
    }

    /// Builds from everything in the store. Only the public view is kept: confidential
    /// addresses and points never reach a page or the API.
    pub async fn load(store: &dyn Store) -> Result<Self, DirectoryError> {
        let started = std::time::Instant::now();
        let version = store.meta(DIRECTORY_VERSION).await?;
        let stored = store.dataset().await?;
        let read = started.elapsed();
        let dataset = haven_hsds::redact::into_public(stored);
        tracing::debug!(
            read_ms = read.as_millis() as u64,
            redact_ms = (started.elapsed() - read).as_millis() as u64,
            "directory read from the store"
        );
        Self::from_public(dataset, version)
    }

    /// Builds like [`Directory::load`], but takes the public dataset from `snapshot` when it
    /// was saved for this database at the store's current directory version. Also answers the
    /// key to save a snapshot under when none was usable (the caller writes it in the
    /// background, see [`spawn_snapshot_write`]); `None` when the one read was used or the
    /// directory has no version yet. Any snapshot problem means a load from the store.
    pub async fn load_with_snapshot(
        store: &dyn Store,
        snapshot: &SnapshotFile,
    ) -> Result<(Self, Option<String>), DirectoryError> {
        let version = store.meta(DIRECTORY_VERSION).await?;
        let Some(current) = version.clone() else {
            return Ok((Self::load(store).await?, None));
        };
        let key = match snapshot_key(store, &current).await {
            Ok(key) => key,
            Err(error) => {
                tracing::warn!(%error, "directory snapshot unavailable: no database id");
                return Ok((Self::load(store).await?, None));
            }
        };
        let started = std::time::Instant::now();
        let file = snapshot.clone();
        let read_key = key.clone();
        let read = tokio::task::spawn_blocking(move || file.read(&read_key))
            .await
            .unwrap_or(Err(snapshot::SnapshotError::Invalid(
                "reading thread failed",
            )));
        match read {
            Ok(dataset) => {
                // Said at info: an operator should see which path a start took.
                tracing::info!(
                    read_ms = started.elapsed().as_millis() as u64,
                    "directory read from its snapshot"
                );
                Ok((Self::from_public(dataset, version)?, None))
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
                let directory = Self::load(store).await?;
                // An import between the two version reads would label newer data with the
                // older key: save only what matches the key.
                let key = (directory.version.as_deref() == Some(current.as_str())).then_some(key);
                Ok((directory, key))
            }
        }
    }

    /// Builds the cards and the index over an already public dataset.
    fn from_public(dataset: Dataset, version: Option<String>) -> Result<Self, DirectoryError> {
        let started = std::time::Instant::now();
        let built = cards::build(&dataset);
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
        Ok(Self {
            dataset,
            services: built.services,
            organisations: built.organisations,
            index,
            language_codes: built.language_codes,
            area_names: built.area_names,
            neighbourhoods: OnceLock::new(),
            api_cache: Default::default(),
            version,
        })
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

    /// A service as the HSDS API shows it in `shape`, rendered from the records around it.
    /// Rendered per call, not kept per service: kept, every service a crawler ever asked for
    /// would stay in memory (about 7.5 KB each for `service_full`) until the next snapshot;
    /// repeated search pages are answered from the bounded response cache instead.
    pub(crate) fn service_json(&self, id: Uuid, shape: ServiceShape) -> Option<RenderedService> {
        self.services.get(&id)?;
        let around = self.neighbourhoods();
        let value = match shape {
            ServiceShape::Full => {
                haven_hsds::export::service_full(&around.service(&self.dataset, id)?, id)?
            }
            ServiceShape::List => around.service_list(&self.dataset, id)?,
            ServiceShape::Minimal => around.service_minimal(&self.dataset, id)?,
        };
        RenderedService::new(value)
    }

    /// Where each record's related records are, built on first use.
    fn neighbourhoods(&self) -> &Neighbourhoods {
        self.neighbourhoods
            .get_or_init(|| Neighbourhoods::new(&self.dataset))
    }

    /// Builds what the first API request would otherwise build while others wait (about a
    /// second at a million services). Blocking: run it off the async workers.
    pub fn warm(&self) {
        self.neighbourhoods();
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

/// A service object already written as JSON text, split where Haven's own fields
/// (`haven_distance_km`, `haven_reach`) go in key order, so a search response is the pieces
/// copied around those fields instead of the whole object serialised again.
#[derive(Debug)]
pub(crate) struct RenderedService {
    /// `{` and the members whose keys sort before `haven_`, without a trailing comma.
    pub head: String,
    /// The members whose keys sort after, comma-separated, without the closing `}`.
    pub tail: String,
}

/// Where Haven's fields go: every key before this sorts before them.
const HAVEN_PREFIX: &str = "haven_";

impl RenderedService {
    fn new(value: serde_json::Value) -> Option<Self> {
        let serde_json::Value::Object(object) = value else {
            return None;
        };
        // (A record carrying its own `haven_` extension keeps it, after Haven's fields.)
        let mut head = String::from("{");
        let mut tail = String::new();
        for (key, value) in &object {
            let out = if key.as_str() < HAVEN_PREFIX {
                &mut head
            } else {
                &mut tail
            };
            if out.len() > 1 || (!out.is_empty() && !out.starts_with('{')) {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(key).ok()?);
            out.push(':');
            out.push_str(&serde_json::to_string(value).ok()?);
        }
        Some(Self { head, tail })
    }

    /// Appends the object, with `extra` (sorted by key, each key starting with `haven_`) in
    /// its place, to `out`.
    pub(crate) fn write(&self, extra: &[(&str, serde_json::Value)], out: &mut String) {
        out.push_str(&self.head);
        let mut comma = self.head.len() > 1;
        for (key, value) in extra {
            if comma {
                out.push(',');
            }
            out.push('"');
            out.push_str(key);
            out.push_str("\":");
            out.push_str(&value.to_string());
            comma = true;
        }
        if !self.tail.is_empty() {
            if comma {
                out.push(',');
            }
            out.push_str(&self.tail);
        }
        out.push('}');
    }
}

/// The meta key of a random id made once per database, so a snapshot of one database (or of
/// an earlier database at the same path) is never taken for another's.
const DATABASE_ID: &str = "directory_database_id";

/// What a snapshot is saved under: the database's id, its directory version, and the Haven
/// version that wrote it. The snapshot holds the already redacted dataset, so a new Haven (whose
/// redaction rules may differ) must never serve an older one's: it rebuilds instead, even if
/// nobody remembered to bump the file format.
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
        "{id}\n{version}\nhaven {}",
        env!("CARGO_PKG_VERSION")
    ))
}

/// Saves `directory`'s public dataset to `file` under `key` on a blocking thread, logging the
/// outcome; serving does not wait for it.
pub fn spawn_snapshot_write(
    directory: Arc<Directory>,
    file: SnapshotFile,
    key: String,
) -> tokio::task::JoinHandle<()> {
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        match file.write(&directory.dataset, &key) {
            Ok(()) => tracing::info!(
                ms = started.elapsed().as_millis() as u64,
                "directory snapshot saved"
            ),
            Err(error) => tracing::warn!(
                %error,
                file = %file.path().display(),
                "directory snapshot not saved"
            ),
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
        // Warmed before the swap, so no request on the new snapshot waits for it.
        let fresh = tokio::task::spawn_blocking(move || {
            fresh.warm();
            fresh
        })
        .await
        .map_err(|e| DirectoryError::Index(format!("preparing the API views: {e}")))?;
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
    use super::RenderedService;
    use serde_json::{Value, json};

    #[test]
    fn a_rendered_service_is_the_object_with_havens_fields_inserted() {
        for object in [
            json!({"attributes": [], "id": "x", "name": "A \"quoted\" name", "zz": {"a": 1}}),
            json!({"id": "x"}),
            json!({"a": 1}),
            json!({}),
        ] {
            let rendered = RenderedService::new(object.clone()).unwrap();
            let mut plain = String::new();
            rendered.write(&[], &mut plain);
            assert_eq!(serde_json::from_str::<Value>(&plain).unwrap(), object);
            let extra = [
                ("haven_distance_km", Value::from(1.25)),
                ("haven_reach", Value::from("local")),
            ];
            let mut with = String::new();
            rendered.write(&extra, &mut with);
            let mut expected = object.clone();
            for (k, v) in &extra {
                expected
                    .as_object_mut()
                    .unwrap()
                    .insert((*k).to_owned(), v.clone());
            }
            assert_eq!(with, serde_json::to_string(&expected).unwrap());
        }
    }
}
