//! The shared conformance suite against SQLite: a fresh database file per test.

// Test code: a failed unwrap is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use haven_store::conformance::TestDatabase;
use haven_store::{DirectoryStore, Store, conformance_suite};
use haven_store_sqlite::SqliteStore;

struct TempSqlite {
    store: SqliteStore,
    _dir: tempfile::TempDir,
}

#[async_trait::async_trait]
impl TestDatabase for TempSqlite {
    fn store(&self) -> &dyn Store {
        &self.store
    }

    async fn finish(self) {
        self.store.close().await;
    }
}

async fn fresh() -> Option<TempSqlite> {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("haven.db"))
        .await
        .unwrap();
    Some(TempSqlite { store, _dir: dir })
}

conformance_suite!(fresh);

#[tokio::test]
async fn backup_is_a_consistent_copy() {
    let db = fresh().await.unwrap();
    let organisation = haven_store::conformance::sample_organisation("Compas");
    db.store.upsert_organisation(&organisation).await.unwrap();
    let target = db._dir.path().join("backup.db");
    db.store.backup_to(&target).await.unwrap();
    let copy = SqliteStore::open(&target).await.unwrap();
    assert_eq!(
        copy.organisation(organisation.id).await.unwrap(),
        organisation
    );
    assert!(
        db.store.backup_to(&target).await.is_err(),
        "an existing backup must not be overwritten"
    );
}

#[test]
fn urls_name_paths() {
    use std::path::PathBuf;
    assert_eq!(
        SqliteStore::path_from_url("sqlite://haven.db"),
        Some(PathBuf::from("haven.db"))
    );
    assert_eq!(
        SqliteStore::path_from_url("sqlite:///tmp/x.db?mode=rwc"),
        Some(PathBuf::from("/tmp/x.db"))
    );
    assert_eq!(SqliteStore::path_from_url("sqlite://"), None);
    assert_eq!(SqliteStore::path_from_url("postgres://x"), None);
}
