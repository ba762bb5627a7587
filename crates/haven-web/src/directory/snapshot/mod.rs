//! A start-up snapshot of the public dataset in one file, so `haven serve` need not read and
//! sort every stored HSDS row through the database driver when the directory has not changed.
//!
//! Why this shape: the HSDS model types carry JSON-only serde attributes (`flatten`,
//! `skip_serializing_if`), so a non-self-describing binary format (bincode, postcard) cannot
//! round-trip them, and mirroring every type for rkyv is a larger change. The file therefore
//! holds each record's JSON text, already redacted and in storage order, behind a binary frame;
//! reading it is one sequential read, a checksum and the same parallel parse as the store's.
//!
//! The file is outside input: it may be truncated, corrupt, of an older format or of another
//! database. Every such case is an `Err` that makes the caller rebuild from the store, never a
//! panic and never a trusted mismatch. It is written to a temporary file and renamed, so a
//! reader sees the old file or the new one whole.
//!
//! Layout (integers little-endian):
//! `MAGIC` (8) | format (u32) | key length (u32) | key | row count (u64) | payload length (u64)
//! | CRC-32 of the payload (u32) | payload: per row, table name length (u8), table name, body
//! length (u32), body.

use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use haven_hsds::Dataset;
use haven_store::hsds_rows::{UNKNOWN_TABLE, dataset_from_rows};

const MAGIC: &[u8; 8] = b"HAVENDS\0";
/// Bumped whenever the layout or the meaning of the rows changes (e.g. the redaction rules, or
/// the HSDS model's JSON form), so an older file is rebuilt rather than misread.
pub(crate) const FORMAT: u32 = 1;
/// Header bytes after the key: row count, payload length, CRC.
const AFTER_KEY: usize = 8 + 8 + 4;

/// Why a snapshot was not used.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// No file, or it could not be read or written.
    #[error("snapshot file: {0}")]
    Io(#[from] std::io::Error),
    /// The file is not a snapshot of this format, or is damaged.
    #[error("snapshot unusable: {0}")]
    Invalid(&'static str),
    /// The file is intact but of another directory version or database.
    #[error("snapshot is of another directory version")]
    Stale,
    /// A record in it did not parse.
    #[error("snapshot record: {0}")]
    Record(String),
}

/// Where a snapshot lives.
#[derive(Debug, Clone)]
pub struct SnapshotFile {
    path: PathBuf,
}

impl SnapshotFile {
    /// A snapshot at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the public dataset saved under `key`.
    pub fn read(&self, key: &str) -> Result<Dataset, SnapshotError> {
        let bytes = std::fs::read(&self.path)?;
        let rows = decode(&bytes, key)?;
        dataset_from_rows(&rows).map_err(|e| SnapshotError::Record(e.to_string()))
    }

    /// Writes `dataset` (already public) under `key`: to a temporary file beside the snapshot,
    /// flushed to disk, then renamed over it.
    pub fn write(&self, dataset: &Dataset, key: &str) -> Result<(), SnapshotError> {
        self.remove_leftovers();
        let mut temporary = self.path.as_os_str().to_owned();
        temporary.push(format!(".tmp{}", std::process::id()));
        let temporary = PathBuf::from(temporary);
        let written = write_file(&temporary, key, dataset);
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
            return written;
        }
        std::fs::rename(&temporary, &self.path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })?;
        Ok(())
    }
}

impl SnapshotFile {
    /// Removes temporary files a killed process left (a snapshot can be gigabytes). Removing
    /// one another process is still writing is harmless: its rename then fails and is logged.
    fn remove_leftovers(&self) {
        let (Some(dir), Some(name)) = (self.path.parent(), self.path.file_name()) else {
            return;
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let mut prefix = name.to_owned();
        prefix.push(".tmp");
        let prefix = prefix.as_encoded_bytes();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            if entry.file_name().as_encoded_bytes().starts_with(prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// The payload as it is written: counted and checksummed on the way, so a million-service
/// directory is streamed to disk rather than held a second time in memory.
struct PayloadWriter<W: Write> {
    out: W,
    rows: u64,
    len: u64,
    crc: crc32fast::Hasher,
}

impl<W: Write> PayloadWriter<W> {
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.crc.update(bytes);
        self.len += bytes.len() as u64;
        self.out.write_all(bytes)
    }

    fn row(&mut self, table: &str, body: &[u8]) -> std::io::Result<()> {
        let table_len = u8::try_from(table.len())
            .map_err(|_| std::io::Error::other("table name longer than 255 bytes"))?;
        let body_len = u32::try_from(body.len())
            .map_err(|_| std::io::Error::other("record longer than 4 GiB"))?;
        self.put(&[table_len])?;
        self.put(table.as_bytes())?;
        self.put(&body_len.to_le_bytes())?;
        self.put(body)?;
        self.rows += 1;
        Ok(())
    }
}

fn write_file(path: &Path, key: &str, dataset: &Dataset) -> Result<(), SnapshotError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    // The public dataset only, but still not everyone's to read.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let key_len = u32::try_from(key.len()).map_err(|_| SnapshotError::Invalid("key too long"))?;
    out.write_all(MAGIC)?;
    out.write_all(&FORMAT.to_le_bytes())?;
    out.write_all(&key_len.to_le_bytes())?;
    out.write_all(key.as_bytes())?;
    let counts_at = (MAGIC.len() + 4 + 4 + key.len()) as u64;
    // Row count, length and checksum are filled in once the payload is written.
    out.write_all(&[0; AFTER_KEY])?;
    let mut payload = PayloadWriter {
        out,
        rows: 0,
        len: 0,
        crc: crc32fast::Hasher::new(),
    };
    dataset.each_record_json(|table, body| payload.row(table.name(), body))?;
    for unknown in &dataset.unknown_tables {
        let body = serde_json::to_vec(unknown).map_err(std::io::Error::from)?;
        payload.row(UNKNOWN_TABLE, &body)?;
    }
    let mut file = payload.out.into_inner().map_err(|e| e.into_error())?;
    file.seek(SeekFrom::Start(counts_at))?;
    file.write_all(&payload.rows.to_le_bytes())?;
    file.write_all(&payload.len.to_le_bytes())?;
    file.write_all(&payload.crc.finalize().to_le_bytes())?;
    file.sync_all()?;
    Ok(())
}

/// A cursor over the file's bytes that refuses to read past the end.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        if n > self.bytes.len() {
            return Err(SnapshotError::Invalid("truncated"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], SnapshotError> {
        self.take(N)?
            .try_into()
            .map_err(|_| SnapshotError::Invalid("truncated"))
    }

    fn u32(&mut self) -> Result<u32, SnapshotError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, SnapshotError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn len(&mut self, n: u64) -> Result<usize, SnapshotError> {
        usize::try_from(n).map_err(|_| SnapshotError::Invalid("length out of range"))
    }
}

/// The rows `(table, body)` of a snapshot saved under `key`, checked whole before any is used.
fn decode<'a>(bytes: &'a [u8], key: &str) -> Result<Vec<(&'a str, &'a str)>, SnapshotError> {
    let mut reader = Reader { bytes };
    if reader.take(MAGIC.len())? != MAGIC {
        return Err(SnapshotError::Invalid("not a directory snapshot"));
    }
    if reader.u32()? != FORMAT {
        return Err(SnapshotError::Invalid("another snapshot format"));
    }
    let key_len = reader.u32()?;
    let key_len = reader.len(u64::from(key_len))?;
    if reader.take(key_len)? != key.as_bytes() {
        return Err(SnapshotError::Stale);
    }
    let header = reader.take(AFTER_KEY)?;
    let mut header = Reader { bytes: header };
    let rows = header.u64()?;
    let payload_len = header.u64()?;
    let payload_len = header.len(payload_len)?;
    let crc = header.u32()?;
    if reader.bytes.len() != payload_len {
        return Err(SnapshotError::Invalid("payload length differs"));
    }
    if crc32fast::hash(reader.bytes) != crc {
        return Err(SnapshotError::Invalid("checksum differs"));
    }
    // A row takes at least 5 bytes, so a count above that bound is a lie, not a reservation.
    let capacity = usize::try_from(rows)
        .ok()
        .filter(|&n| n <= payload_len / 5)
        .ok_or(SnapshotError::Invalid("row count out of range"))?;
    let mut out = Vec::with_capacity(capacity);
    while !reader.bytes.is_empty() {
        let table_len = usize::from(reader.array::<1>()?[0]);
        let table = std::str::from_utf8(reader.take(table_len)?)
            .map_err(|_| SnapshotError::Invalid("table name not UTF-8"))?;
        let body_len = reader.u32()?;
        let body_len = reader.len(u64::from(body_len))?;
        let body = std::str::from_utf8(reader.take(body_len)?)
            .map_err(|_| SnapshotError::Invalid("record not UTF-8"))?;
        out.push((table, body));
    }
    if out.len() != capacity {
        return Err(SnapshotError::Invalid("row count differs"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Dataset {
        let mut dataset = Dataset::new();
        dataset
            .push_json_str(
                haven_hsds::Table::Organization,
                r#"{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","name":"Welcome Hub","description":"Advice"}"#,
            )
            .unwrap();
        dataset
    }

    #[test]
    fn a_written_snapshot_reads_back_equal_under_its_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = SnapshotFile::new(dir.path().join("s"));
        let dataset = sample();
        file.write(&dataset, "db\n7").unwrap();
        assert_eq!(file.read("db\n7").unwrap(), dataset);
        assert!(matches!(file.read("db\n8"), Err(SnapshotError::Stale)));
        assert!(matches!(file.read("other\n7"), Err(SnapshotError::Stale)));
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_refused_without_panic() {
        let dir = tempfile::tempdir().unwrap();
        let file = SnapshotFile::new(dir.path().join("s"));
        file.write(&sample(), "k").unwrap();
        let bytes = std::fs::read(file.path()).unwrap();
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len], "k").is_err(), "truncated to {len}");
        }
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            assert!(decode(&damaged, "k").is_err(), "byte {at} flipped");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer, "k").is_err());
        assert!(decode(&bytes, "k").is_ok());
    }

    #[test]
    fn a_write_removes_temporary_files_left_by_a_killed_writer_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = SnapshotFile::new(dir.path().join("h.db.directory"));
        let leftover = dir.path().join("h.db.directory.tmp4242");
        let unrelated = dir.path().join("h.db");
        std::fs::write(&leftover, b"half written").unwrap();
        std::fs::write(&unrelated, b"the database").unwrap();
        file.write(&sample(), "k").unwrap();
        assert!(!leftover.exists());
        assert!(unrelated.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        assert_eq!(file.read("k").unwrap(), sample());
    }

    #[test]
    fn an_older_format_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = SnapshotFile::new(dir.path().join("s"));
        file.write(&sample(), "k").unwrap();
        let mut bytes = std::fs::read(file.path()).unwrap();
        bytes[8..12].copy_from_slice(&(FORMAT - 1).to_le_bytes());
        assert!(matches!(
            decode(&bytes, "k"),
            Err(SnapshotError::Invalid("another snapshot format"))
        ));
    }
}
