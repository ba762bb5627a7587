//! The records section: each public record's JSON text in storage order, parsed on load by the
//! same parallel parse as the store's.
//!
//! Why JSON text: the HSDS model types carry JSON-only serde attributes (`flatten`,
//! `skip_serializing_if`), so a non-self-describing binary format (postcard, bincode) cannot
//! round-trip them, and mirroring every type for rkyv is a larger change. Only the HSDS API
//! needs these records, and they are read after serving has started.
//!
//! Per row: table name length (u8), table name, body length (u32), body.

use std::io::Write;

use haven_hsds::Dataset;
use haven_store::hsds_rows::{UNKNOWN_TABLE, dataset_from_rows};

use super::SnapshotError;
use super::frame::Reader;

/// Writes every record of `dataset` as a row; answers how many.
pub(crate) fn write(out: &mut impl Write, dataset: &Dataset) -> Result<u64, SnapshotError> {
    let mut rows = 0u64;
    let mut row = |table: &str, body: &[u8]| -> std::io::Result<()> {
        let table_len = u8::try_from(table.len())
            .map_err(|_| std::io::Error::other("table name longer than 255 bytes"))?;
        let body_len = u32::try_from(body.len())
            .map_err(|_| std::io::Error::other("record longer than 4 GiB"))?;
        out.write_all(&[table_len])?;
        out.write_all(table.as_bytes())?;
        out.write_all(&body_len.to_le_bytes())?;
        out.write_all(body)?;
        rows += 1;
        Ok(())
    };
    dataset.each_record_json(|table, body| row(table.name(), body))?;
    for unknown in &dataset.unknown_tables {
        let body = serde_json::to_vec(unknown).map_err(std::io::Error::from)?;
        row(UNKNOWN_TABLE, &body)?;
    }
    Ok(rows)
}

/// The dataset in `bytes` (the section, already checked), which must hold `rows` rows.
pub(crate) fn read(bytes: &[u8], rows: u64) -> Result<Dataset, SnapshotError> {
    let rows = split(bytes, rows)?;
    dataset_from_rows(&rows).map_err(|e| SnapshotError::Record(e.to_string()))
}

/// The rows `(table, body)`, every one whole.
fn split(bytes: &[u8], rows: u64) -> Result<Vec<(&str, &str)>, SnapshotError> {
    // A row takes at least 5 bytes, so a count above that bound is a lie, not a reservation.
    let capacity = usize::try_from(rows)
        .ok()
        .filter(|&n| n <= bytes.len() / 5)
        .ok_or(SnapshotError::Invalid("row count out of range"))?;
    let mut reader = Reader { bytes };
    let mut out = Vec::with_capacity(capacity);
    while !reader.bytes.is_empty() {
        let table_len = usize::from(reader.array::<1>()?[0]);
        let table = std::str::from_utf8(reader.take(table_len)?)
            .map_err(|_| SnapshotError::Invalid("table name not UTF-8"))?;
        let body_len = usize::try_from(reader.u32()?)
            .map_err(|_| SnapshotError::Invalid("length out of range"))?;
        let body = std::str::from_utf8(reader.take(body_len)?)
            .map_err(|_| SnapshotError::Invalid("record not UTF-8"))?;
        out.push((table, body));
    }
    if out.len() != capacity {
        return Err(SnapshotError::Invalid("row count differs"));
    }
    Ok(out)
}
