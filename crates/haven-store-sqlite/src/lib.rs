//! Haven's embedded default store: SQLite through sqlx.
//!
//! One database file in WAL mode, so readers never wait for the writer; a pool of readers and a
//! single writer connection, because SQLite allows one writer at a time and queueing writers in
//! the pool is kinder than letting them fight over the lock; `synchronous = FULL`, so a commit
//! that Haven acknowledged survives a crash or power cut; foreign keys on, so deletes cascade.

mod accounts;
mod audit;
mod devices;
mod directory;
mod errors;
mod hsds;
mod listings;
mod mentoring;
mod meta;
mod sessions;
mod time_text;
mod tokens;

use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use haven_store::{Store, StoreError};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::errors::map_err;

/// Embedded migrations for SQLite.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A SQLite-backed store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    readers: SqlitePool,
    writer: SqlitePool,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `path` and applies pending migrations.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let store = Self::connect(path).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens the database at `path` without migrating it.
    pub async fn connect(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.clone())
            .await
            .map_err(|e| open_error(path, e))?;
        let readers = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.read_only(true))
            .await
            .map_err(|e| open_error(path, e))?;
        Ok(Self {
            readers,
            writer,
            path: path.to_owned(),
        })
    }

    /// Parses a `sqlite://PATH` (or `sqlite:PATH`) URL into a path.
    pub fn path_from_url(url: &str) -> Option<PathBuf> {
        let rest = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))?;
        // Options after `?` are Haven's to choose, not the URL's.
        let path = rest.split('?').next().unwrap_or(rest);
        (!path.is_empty()).then(|| PathBuf::from(path))
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR
            .run(&self.writer)
            .await
            .map_err(|e| StoreError::Other(format!("migrating {}: {e}", self.path.display())))
    }

    /// Writes a consistent copy of the live database to `target` (`VACUUM INTO`), without
    /// stopping writers for longer than the copy takes. Refuses to overwrite an existing file.
    pub async fn backup_to(&self, target: &Path) -> Result<(), StoreError> {
        if target.exists() {
            return Err(StoreError::Conflict {
                what: "backup file",
            });
        }
        let target = target
            .to_str()
            .ok_or_else(|| StoreError::Other("the backup path is not valid UTF-8".to_owned()))?;
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.readers)
            .await
            .map_err(map_err("backup"))?;
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn open_error(path: &Path, e: sqlx::Error) -> StoreError {
    StoreError::Unavailable(format!(
        "cannot open SQLite database {}: {e}",
        path.display()
    ))
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.readers)
            .await
            .map_err(map_err("ping"))?;
        Ok(())
    }

    fn backend_name(&self) -> &'static str {
        "sqlite"
    }

    async fn close(&self) {
        self.writer.close().await;
        self.readers.close().await;
    }
}
