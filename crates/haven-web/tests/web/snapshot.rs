//! The start-up snapshot of the public directory: a directory loaded from it answers exactly as
//! one built from the store, and a snapshot of another version or database, or a damaged one,
//! is never used (the store is read and the snapshot can be saved again). Its records are read
//! after start-up: damaged ones are found then, and read from the store instead.

use std::sync::Arc;

use haven_web::directory::snapshot::SnapshotFile;
use haven_web::directory::{Directory, spawn_snapshot_write};

use crate::harness::Harness;

/// Pages and API answers that cover search, filters, places, facets, a service and an
/// organisation (its link taken from the results).
async fn answers(h: &Harness) -> Vec<String> {
    let mut uris: Vec<String> = [
        "/",
        "/search?q=english+classes&place=PE1",
        "/search?place=Keighley",
        "/search?q=advice&language=ar",
        "/api/services?per_page=100",
        "/api/services?postcode=PE1&search=english+classes",
        "/api/services?place=Nottingham&per_page=100",
        "/api/organizations?per_page=100",
        "/api/service_at_locations?per_page=100",
        "/api/taxonomies",
        "/api/taxonomy_terms?per_page=100",
    ]
    .map(String::from)
    .to_vec();
    let results = h.request("GET", "/search?q=advice", None, None).await.body;
    for prefix in ["/services/", "/directory/organisations/"] {
        let start = results.find(prefix).unwrap();
        let end = start + results[start..].find('"').unwrap();
        let path = &results[start..end];
        uris.push(path.to_owned());
        // The same record through the HSDS API.
        let id = path.rsplit('/').next().unwrap();
        let api = if prefix == "/services/" {
            "services"
        } else {
            "organizations"
        };
        uris.push(format!("/api/{api}/{id}"));
    }
    let mut out = Vec::new();
    for uri in uris {
        let reply = h.request("GET", &uri, None, None).await;
        out.push(format!("{uri} {}\n{}", reply.status, reply.body));
    }
    out
}

async fn demo_backends() -> Vec<Harness> {
    let mut all = Harness::backends().await;
    for h in &mut all {
        h.store
            .store_dataset(&haven_demo::dataset().unwrap())
            .await
            .unwrap();
    }
    all
}

/// Loads with `file`; answers the directory and whether the snapshot was used.
async fn load(h: &Harness, file: &SnapshotFile) -> (Directory, Option<String>) {
    Directory::load_with_snapshot(&h.store, file).await.unwrap()
}

async fn save(directory: Directory, file: &SnapshotFile, key: String) {
    spawn_snapshot_write(Arc::new(directory), file.clone(), key)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_directory_from_its_snapshot_answers_as_one_built_from_the_store() {
    for mut h in demo_backends().await {
        let dir = tempfile::tempdir().unwrap();
        let file = SnapshotFile::new(dir.path().join("haven.db.directory"));
        let fresh = Directory::load(h.store.as_ref()).await.unwrap();
        let services = fresh.service_count();
        assert!(services > 10);
        h.install_directory(fresh);
        let expected = answers(&h).await;

        let (built, key) = load(&h, &file).await;
        let key = key.expect("no snapshot yet: built from the store, to be saved");
        save(built, &file, key).await;
        assert!(file.path().exists());

        let (from_snapshot, key) = load(&h, &file).await;
        assert_eq!(key, None, "the saved snapshot was not used");
        assert_eq!(from_snapshot.service_count(), services);
        h.install_directory(from_snapshot);
        let got = answers(&h).await;
        assert_eq!(got.len(), expected.len());
        for (got, expected) in got.iter().zip(&expected) {
            assert_eq!(got, expected);
        }
        h.finish().await;
    }
}

#[tokio::test]
async fn a_snapshot_of_an_earlier_version_or_another_database_is_not_used() {
    for mut h in demo_backends().await {
        let dir = tempfile::tempdir().unwrap();
        let file = SnapshotFile::new(dir.path().join("snapshot"));
        let (built, key) = load(&h, &file).await;
        save(built, &file, key.unwrap()).await;

        // Another database at the same directory version: its own id, so not this snapshot.
        let other = Harness::sqlite().await;
        other
            .store
            .store_dataset(&haven_demo::dataset().unwrap())
            .await
            .unwrap();
        let (_, key) = load(&other, &file).await;
        assert!(key.is_some(), "another database's snapshot was used");

        // A change to the directory bumps its version: the snapshot is ignored.
        let mut changed = haven_demo::dataset().unwrap();
        changed.service[0].name = "Renamed after the snapshot".into();
        h.store.store_dataset(&changed).await.unwrap();
        let (directory, key) = load(&h, &file).await;
        assert!(key.is_some(), "the old version's snapshot was used");
        h.install_directory(directory);
        let id = changed.service[0].id;
        let page = h
            .request("GET", &format!("/services/{id}"), None, None)
            .await;
        assert!(page.body.contains("Renamed after the snapshot"));
        h.finish().await;
    }
}

/// Where the cards, the service cards, the index and the records are in a snapshot file (the
/// layout documented in `haven_web::directory::snapshot`).
fn sections(bytes: &[u8]) -> [std::ops::Range<usize>; 4] {
    let number = |at: usize, len: usize| {
        let mut le = [0u8; 8];
        le[..len].copy_from_slice(&bytes[at..at + len]);
        usize::try_from(u64::from_le_bytes(le)).unwrap()
    };
    let key_len = number(12, 4);
    let table = 16 + key_len;
    let mut at = table + 4 * 12 + 8;
    [0, 1, 2, 3].map(|i| {
        let len = number(table + i * 12, 8);
        at += len;
        at - len..at
    })
}

#[tokio::test]
async fn a_damaged_snapshot_is_ignored_and_replaced() {
    let h = demo_backends().await.remove(0);
    let dir = tempfile::tempdir().unwrap();
    let file = SnapshotFile::new(dir.path().join("snapshot"));
    let (built, key) = load(&h, &file).await;
    let services = built.service_count();
    save(built, &file, key.unwrap()).await;
    let good = std::fs::read(file.path()).unwrap();
    let [cards, service_cards, index, records] = sections(&good);
    assert_eq!(records.end, good.len());

    // A byte flipped in the middle of each section start-up reads; cut anywhere.
    let flipped = |at: usize| {
        let mut bytes = good.clone();
        bytes[at] ^= 0x01;
        bytes
    };
    let damaged: [Vec<u8>; 7] = [
        flipped((cards.start + cards.end) / 2),
        flipped((service_cards.start + service_cards.end) / 2),
        flipped((index.start + index.end) / 2),
        good[..good.len() - 1].to_vec(),
        good[..index.start + 3].to_vec(),
        good[..good.len() / 3].to_vec(),
        b"not a snapshot at all".to_vec(),
    ];
    for bytes in damaged {
        std::fs::write(file.path(), &bytes).unwrap();
        let (directory, key) = load(&h, &file).await;
        assert_eq!(directory.service_count(), services);
        let key = key.expect("a damaged snapshot was used");
        save(directory, &file, key).await;
        assert_eq!(std::fs::read(file.path()).unwrap(), good, "not replaced");
        let (_, key) = load(&h, &file).await;
        assert_eq!(key, None, "the replacement was not used");
    }
}

#[tokio::test]
async fn damaged_records_are_read_from_the_store_and_the_snapshot_dropped() {
    for mut h in demo_backends().await {
        let dir = tempfile::tempdir().unwrap();
        let file = SnapshotFile::new(dir.path().join("snapshot"));
        let fresh = Directory::load(h.store.as_ref()).await.unwrap();
        h.install_directory(fresh);
        let expected = answers(&h).await;
        let (built, key) = load(&h, &file).await;
        save(built, &file, key.unwrap()).await;

        // Start-up checks only the cards and the index: the damage is found when the records
        // are read, after serving has started.
        let mut bytes = std::fs::read(file.path()).unwrap();
        let [.., records] = sections(&bytes);
        bytes[(records.start + records.end) / 2] ^= 0x01;
        std::fs::write(file.path(), &bytes).unwrap();
        let (directory, key) = load(&h, &file).await;
        assert_eq!(
            key, None,
            "the cards and index were not taken from the snapshot"
        );
        h.install_directory(directory);
        // The API waits for the records, which come from the store instead.
        let got = answers(&h).await;
        assert_eq!(got, expected);
        assert!(h.state.directory().current().records_ready());
        assert!(!file.path().exists(), "the damaged snapshot was kept");
        let (_, key) = load(&h, &file).await;
        assert!(key.is_some(), "the next start did not rebuild the snapshot");
        h.finish().await;
    }
}
