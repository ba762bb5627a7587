//! A start-up snapshot of the public directory in one file, so `haven serve` with an unchanged
//! directory neither reads every stored HSDS row through the database driver nor builds the
//! cards and the search index again.
//!
//! Four sections, each with its own length and checksum (see `frame`): the cards
//! (`stored_cards`), the service cards' bytes (as `ServiceCards` holds them: read, never
//! decoded, at start-up), the search index (postcard, `haven_search`'s stored form) and the
//! records (`rows`). [`SnapshotFile::open`] reads and checks the first three, which is all
//! pages and search need, and hands back the records unread: [`RecordsSection::read`] reads
//! them from the same open file (so a snapshot written over this one meanwhile cannot mix
//! in), which the directory does after serving has started.
//!
//! The file is outside input: it may be truncated, corrupt, of an older format or of another
//! database. Every such case is an `Err` that makes the caller read the store instead, never a
//! panic and never a trusted mismatch. It is written to a temporary file and renamed, so a
//! reader sees the old file or the new one whole.

mod frame;
mod rows;
mod stored_cards;

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use haven_hsds::Dataset;
use haven_search::SearchIndex;

use crate::directory::cards::{Cards, CardsRef};
use frame::{Extent, Header, Section, SectionWriter, TABLE_LEN};

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
    /// A record, card or the index in it did not decode.
    #[error("snapshot record: {0}")]
    Record(String),
}

/// Where a snapshot lives.
#[derive(Debug, Clone)]
pub struct SnapshotFile {
    path: PathBuf,
}

/// What start-up reads from a snapshot: the cards and the index, checked and decoded, and the
/// records still to read.
#[derive(Debug)]
pub(crate) struct Opened {
    pub cards: Cards,
    pub index: SearchIndex,
    pub records: RecordsSection,
}

/// A snapshot's records, not yet read: the open file and where they are in it.
#[derive(Debug)]
pub(crate) struct RecordsSection {
    file: File,
    extent: Extent,
    rows: u64,
}

impl RecordsSection {
    /// Reads, checks and parses the records. Blocking: seconds at a million services.
    pub(crate) fn read(mut self) -> Result<Dataset, SnapshotError> {
        let bytes = read_extent(&mut self.file, self.extent)?;
        self.extent.check(&bytes)?;
        rows::read(&bytes, self.rows)
    }
}

fn read_extent(file: &mut File, extent: Extent) -> Result<Vec<u8>, SnapshotError> {
    let len = usize::try_from(extent.len)
        .map_err(|_| SnapshotError::Invalid("section length out of range"))?;
    file.seek(SeekFrom::Start(extent.offset))?;
    let mut bytes = vec![0; len];
    file.read_exact(&mut bytes)?;
    Ok(bytes)
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

    /// Opens the snapshot saved under `key`: reads and checks the cards and the index (the
    /// index decoded on a thread of its own while the cards are read), and leaves the records
    /// for [`RecordsSection::read`].
    pub(crate) fn open(&self, key: &str) -> Result<Opened, SnapshotError> {
        let started = std::time::Instant::now();
        let mut file = File::open(&self.path)?;
        let file_len = file.metadata()?.len();
        let header = Header::read(&mut BufReader::new(&mut file), file_len, key)?;
        let extent = |section| header.extent(section);
        // The index first, decoded on a thread of its own (the longest step) while the cards
        // are read, checked and decoded here.
        let index = read_extent(&mut file, extent(Section::Index))?;
        let read_index = started.elapsed();
        let (cards, index) = std::thread::scope(|scope| {
            let index_thread = std::thread::Builder::new()
                .name("snapshot-index".into())
                .spawn_scoped(scope, || -> Result<SearchIndex, SnapshotError> {
                    extent(Section::Index).check(&index)?;
                    postcard::from_bytes(&index)
                        .map_err(|e| SnapshotError::Record(format!("search index: {e}")))
                });
            let cards = read_extent(&mut file, extent(Section::Cards)).and_then(|cards| {
                let service_cards = read_extent(&mut file, extent(Section::ServiceCards))?;
                extent(Section::Cards).check(&cards)?;
                extent(Section::ServiceCards).check(&service_cards)?;
                stored_cards::read(&cards, service_cards)
            });
            let index = match index_thread {
                Ok(thread) => thread
                    .join()
                    .unwrap_or(Err(SnapshotError::Invalid("decoding thread failed"))),
                Err(error) => Err(SnapshotError::Io(error)),
            };
            (cards, index)
        });
        // Where start-up time goes, for whoever is measuring it.
        tracing::debug!(
            index_read_ms = read_index.as_millis() as u64,
            ms = started.elapsed().as_millis() as u64,
            "directory snapshot read and decoded"
        );
        Ok(Opened {
            cards: cards?,
            index: index?,
            records: RecordsSection {
                file,
                extent: extent(Section::Records),
                rows: header.rows,
            },
        })
    }

    /// Writes `cards`, `index` and `dataset` (already public) under `key`: to a temporary file
    /// beside the snapshot, flushed to disk, then renamed over it.
    pub(crate) fn write(
        &self,
        cards: CardsRef<'_>,
        index: &SearchIndex,
        dataset: &Dataset,
        key: &str,
    ) -> Result<(), SnapshotError> {
        self.remove_leftovers();
        let mut temporary = self.path.as_os_str().to_owned();
        temporary.push(format!(".tmp{}", std::process::id()));
        let temporary = PathBuf::from(temporary);
        let written = write_file(&temporary, key, cards, index, dataset);
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
            return written;
        }
        std::fs::rename(&temporary, &self.path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })?;
        Ok(())
    }

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

fn write_file(
    path: &Path,
    key: &str,
    cards: CardsRef<'_>,
    index: &SearchIndex,
    dataset: &Dataset,
) -> Result<(), SnapshotError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    // The public dataset only, but still not everyone's to read.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    // The section table is filled in once the sections are written.
    Header::write(&mut out, key, &[0; TABLE_LEN])?;
    // Each section: a buffer in front of the checksum, so it hashes large pieces.
    let section = |out| BufWriter::with_capacity(1 << 20, SectionWriter::new(out));
    let finish = |buffered: BufWriter<SectionWriter<_>>| -> Result<_, SnapshotError> {
        let counted = buffered.into_inner().map_err(|e| e.into_error())?;
        Ok(counted.finish())
    };
    let mut writing = section(out);
    stored_cards::write(&mut writing, cards)?;
    let (cards_extent, out) = finish(writing)?;
    let mut writing = section(out);
    writing.write_all(cards.services.parts().2)?;
    let (service_cards_extent, out) = finish(writing)?;
    let mut writing = section(out);
    postcard::to_io(index, &mut writing)
        .map_err(|e| SnapshotError::Record(format!("search index: {e}")))?;
    let (index_extent, out) = finish(writing)?;
    let mut writing = section(out);
    let rows = rows::write(&mut writing, dataset)?;
    let (records_extent, out) = finish(writing)?;
    let mut file = out.into_inner().map_err(|e| e.into_error())?;
    file.seek(SeekFrom::Start(Header::table_offset(key)))?;
    file.write_all(&Header::table(
        &[
            cards_extent,
            service_cards_extent,
            index_extent,
            records_extent,
        ],
        rows,
    ))?;
    file.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests;
