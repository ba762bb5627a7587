#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::frame::FORMAT;
use super::*;
use crate::directory::cards;

fn tiny() -> Dataset {
    let mut dataset = Dataset::new();
    dataset
        .push_json_str(
            haven_hsds::Table::Organization,
            r#"{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","name":"Welcome Hub","description":"Advice"}"#,
        )
        .unwrap();
    dataset
        .push_json_str(
            haven_hsds::Table::Service,
            r#"{"id":"6c1f0e0e-52a4-4c1c-9e4f-0a3b7e6f0d11","organization_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","name":"Drop-in","status":"active"}"#,
        )
        .unwrap();
    dataset
}

/// The cards and index built from `dataset`, as a directory load makes them.
fn built(dataset: &Dataset) -> (Cards, SearchIndex) {
    let built = cards::build(dataset).unwrap();
    (built.cards, SearchIndex::build(built.documents).unwrap())
}

fn write(file: &SnapshotFile, dataset: &Dataset, key: &str) {
    let (cards, index) = built(dataset);
    file.write(cards.borrow(), &index, dataset, key).unwrap();
}

/// Everything in the file, read as a start would (cards and index, then the records).
fn read_all(
    file: &SnapshotFile,
    key: &str,
) -> Result<(Cards, SearchIndex, Dataset), SnapshotError> {
    let opened = file.open(key)?;
    let dataset = opened.records.read()?;
    Ok((opened.cards, opened.index, dataset))
}

fn index_bytes(index: &SearchIndex) -> Vec<u8> {
    postcard::to_stdvec(index).unwrap()
}

#[test]
fn a_written_snapshot_reads_back_equal_under_its_key_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = SnapshotFile::new(dir.path().join("s"));
    let dataset = haven_demo::dataset().unwrap();
    let (cards, index) = built(&dataset);
    file.write(cards.borrow(), &index, &dataset, "db\n7")
        .unwrap();
    let (read_cards, read_index, read_dataset) = read_all(&file, "db\n7").unwrap();
    assert!(cards.services.len() > 10);
    assert_eq!(read_cards, cards);
    assert_eq!(index_bytes(&read_index), index_bytes(&index));
    assert_eq!(read_dataset, dataset);
    assert!(matches!(file.open("db\n8"), Err(SnapshotError::Stale)));
    assert!(matches!(file.open("other\n7"), Err(SnapshotError::Stale)));
}

#[test]
fn the_same_directory_is_always_written_as_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (
        SnapshotFile::new(dir.path().join("one")),
        SnapshotFile::new(dir.path().join("two")),
    );
    let dataset = haven_demo::dataset().unwrap();
    // Built twice: the card maps iterate in a different order each time.
    write(&one, &dataset, "k");
    write(&two, &dataset, "k");
    assert_eq!(
        std::fs::read(one.path()).unwrap(),
        std::fs::read(two.path()).unwrap()
    );
}

#[test]
fn every_truncation_and_every_flipped_byte_is_refused_without_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = SnapshotFile::new(dir.path().join("s"));
    write(&file, &tiny(), "k");
    let bytes = std::fs::read(file.path()).unwrap();
    let damaged = SnapshotFile::new(dir.path().join("damaged"));
    let refused = |bytes: &[u8]| {
        std::fs::write(damaged.path(), bytes).unwrap();
        read_all(&damaged, "k").is_err()
    };
    for len in 0..bytes.len() {
        assert!(refused(&bytes[..len]), "truncated to {len}");
    }
    for at in 0..bytes.len() {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x20;
        assert!(refused(&flipped), "byte {at} flipped");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(refused(&longer));
    assert!(!refused(&bytes));
}

#[test]
fn damaged_records_are_found_only_when_the_records_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = SnapshotFile::new(dir.path().join("s"));
    write(&file, &tiny(), "k");
    let mut bytes = std::fs::read(file.path()).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 0x01;
    std::fs::write(file.path(), &bytes).unwrap();
    let opened = file.open("k").unwrap();
    assert_eq!(opened.cards.services.len(), 1);
    assert!(matches!(
        opened.records.read(),
        Err(SnapshotError::Invalid("checksum differs"))
    ));
}

#[test]
fn records_are_read_from_the_file_that_was_opened() {
    let dir = tempfile::tempdir().unwrap();
    let file = SnapshotFile::new(dir.path().join("s"));
    let dataset = tiny();
    write(&file, &dataset, "k");
    let opened = file.open("k").unwrap();
    // Another process saves a newer snapshot over it before the records are read.
    write(&file, &haven_demo::dataset().unwrap(), "k2");
    assert_eq!(opened.records.read().unwrap(), dataset);
}

#[test]
fn a_write_removes_temporary_files_left_by_a_killed_writer_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = SnapshotFile::new(dir.path().join("h.db.directory"));
    let leftover = dir.path().join("h.db.directory.tmp4242");
    let unrelated = dir.path().join("h.db");
    std::fs::write(&leftover, b"half written").unwrap();
    std::fs::write(&unrelated, b"the database").unwrap();
    write(&file, &tiny(), "k");
    assert!(!leftover.exists());
    assert!(unrelated.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    assert_eq!(read_all(&file, "k").unwrap().2, tiny());
}

#[test]
fn an_older_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = SnapshotFile::new(dir.path().join("s"));
    write(&file, &tiny(), "k");
    let mut bytes = std::fs::read(file.path()).unwrap();
    bytes[8..12].copy_from_slice(&(FORMAT - 1).to_le_bytes());
    std::fs::write(file.path(), &bytes).unwrap();
    assert!(matches!(
        file.open("k"),
        Err(SnapshotError::Invalid("another snapshot format"))
    ));
}

/// Cards and the index are stored field by field in declaration order: a change to their
/// fields misreads every older snapshot unless `FORMAT` changes too. This pins the bytes of
/// the demo directory's cards and index; when it fails, bump `FORMAT` and update both numbers.
#[test]
fn the_stored_layout_changes_only_with_the_format() {
    let dataset = haven_demo::dataset().unwrap();
    let (cards, index) = built(&dataset);
    let mut stored = Vec::new();
    stored_cards::write(&mut stored, cards.borrow()).unwrap();
    stored.extend(cards.services.parts().2);
    stored.extend(index_bytes(&index));
    assert_eq!(
        (FORMAT, format!("{:08x}", crc32fast::hash(&stored))),
        (2, "1d293ba6".to_owned()),
        "the stored cards or index changed (or the demo data did): bump snapshot FORMAT if the layout changed, and update this test"
    );
}

/// Where start-up time goes with a real snapshot (a million services): run with
/// `HAVEN_SNAPSHOT_TIMING=FILE cargo test --release -p haven-web --lib snapshot_timing --
/// --ignored --nocapture`.
#[test]
#[ignore = "needs HAVEN_SNAPSHOT_TIMING naming a snapshot file"]
fn snapshot_timing() {
    let path = std::env::var("HAVEN_SNAPSHOT_TIMING").unwrap();
    let mut head = vec![0; 4096];
    let n = File::open(&path).unwrap().read(&mut head).unwrap();
    head.truncate(n);
    let key_len = u32::from_le_bytes(head[12..16].try_into().unwrap()) as usize;
    let key = std::str::from_utf8(&head[16..16 + key_len])
        .unwrap()
        .to_owned();
    let file = SnapshotFile::new(&path);
    for _ in 0..2 {
        let started = std::time::Instant::now();
        let opened = file.open(&key).unwrap();
        let open = started.elapsed();
        drop(opened);
        eprintln!("open {open:?} (drop {:?})", started.elapsed() - open);
    }
    let mut f = File::open(&path).unwrap();
    let len = f.metadata().unwrap().len();
    let header = Header::read(&mut BufReader::new(&mut f), len, &key).unwrap();
    let started = std::time::Instant::now();
    let [cards, services, index] = [Section::Cards, Section::ServiceCards, Section::Index]
        .map(|s| read_extent(&mut f, header.extent(s)).unwrap());
    eprintln!(
        "read {:?}: cards {} MB, service cards {} MB, index {} MB",
        started.elapsed(),
        cards.len() >> 20,
        services.len() >> 20,
        index.len() >> 20
    );
    let started = std::time::Instant::now();
    let _ = crc32fast::hash(&cards) ^ crc32fast::hash(&index) ^ crc32fast::hash(&services);
    eprintln!("crc {:?}", started.elapsed());
    let started = std::time::Instant::now();
    let read = stored_cards::read(&cards, services).unwrap();
    eprintln!("cards {:?}", started.elapsed());
    let started = std::time::Instant::now();
    let mut shown = 0;
    for id in read.services.parts().0.iter().step_by(50) {
        shown += usize::from(read.services.get(*id).is_some());
    }
    eprintln!(
        "{shown} cards decoded one by one: {:?} each",
        started.elapsed() / shown as u32
    );
    let started = std::time::Instant::now();
    let all: std::collections::HashMap<_, _> = read
        .services
        .parts()
        .0
        .iter()
        .map(|id| (*id, read.services.get(*id).unwrap()))
        .collect();
    eprintln!("{} cards decoded: {:?}", all.len(), started.elapsed());
    let started = std::time::Instant::now();
    let encoded = crate::directory::service_cards::ServiceCards::encode(all).unwrap();
    eprintln!(
        "and encoded again (a cold start's extra step): {:?}",
        started.elapsed()
    );
    assert_eq!(encoded, read.services);
    let started = std::time::Instant::now();
    let read: SearchIndex = postcard::from_bytes(&index).unwrap();
    eprintln!("index {:?} ({} live)", started.elapsed(), read.len());
}
