//! What `haven serve` says in its log about a start (text format, `RUST_LOG` set by
//! [`super::server`]): where the directory came from, and how long each phase took.

use std::time::Duration;

/// The `RUST_LOG` that makes the server say what [`Start::read`] needs: the directory's load
/// phases (debug), the snapshot messages and the loaded line (info).
pub(crate) const FILTER: &str = "warn,haven=info,haven_web=info,haven_web::directory=debug";

/// Written when the snapshot file is complete (it is written aside and renamed).
pub(crate) const SNAPSHOT_SAVED: &str = "directory snapshot saved";
/// Written when the snapshot could not be written.
pub(crate) const SNAPSHOT_NOT_SAVED: &str = "directory snapshot not saved";

/// Where a start read the directory from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Every stored record, through the database (no usable snapshot).
    Store,
    /// The snapshot file beside the database.
    Snapshot,
    /// The log did not say.
    Unknown,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Source::Store => "from the store",
            Source::Snapshot => "from the snapshot",
            Source::Unknown => "source not logged",
        })
    }
}

/// One start as its log tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    /// Where the directory came from.
    pub source: Source,
    /// Services the server loaded.
    pub services: Option<u64>,
    /// Reading the records (from the store or the snapshot).
    pub read: Option<Duration>,
    /// Building the cards.
    pub cards: Option<Duration>,
    /// Building the search index.
    pub index: Option<Duration>,
    /// The whole directory load, inside the process.
    pub loaded: Option<Duration>,
    /// How long after the snapshot was opened the HSDS API's records were ready (they are
    /// read after serving starts; absent if the log was read before).
    pub records: Option<Duration>,
}

impl Start {
    /// Reads the log of one start.
    pub(crate) fn read(log: &str) -> Self {
        let line = |message: &str| log.lines().find(|l| l.contains(message));
        // "directory cards and index read from its snapshot" since the snapshot holds them.
        let from_snapshot = line("read from its snapshot");
        let from_store = line("directory read from the store");
        let phases = line("directory load phases");
        let loaded = line("directory loaded and indexed");
        let ms = |line: Option<&str>, name: &str| {
            line.and_then(|l| field(l, name)).map(Duration::from_millis)
        };
        Self {
            source: match (from_snapshot, from_store) {
                (Some(_), _) => Source::Snapshot,
                (None, Some(_)) => Source::Store,
                (None, None) => Source::Unknown,
            },
            services: loaded.and_then(|l| field(l, "services")),
            read: ms(from_snapshot.or(from_store), "read_ms"),
            cards: ms(phases, "cards_ms"),
            index: ms(phases, "index_ms"),
            loaded: ms(loaded, "ms"),
            records: ms(line("directory records ready for the API"), "ms"),
        }
    }
}

/// The number in ` name=123` on a tracing text line.
fn field(line: &str, name: &str) -> Option<u64> {
    let at = line.find(&format!(" {name}="))? + name.len() + 2;
    let digits: String = line[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLD: &str = "\
2026-11-23T10:00:00.1Z DEBUG haven_web::directory: directory read from the store read_ms=6400 redact_ms=12
2026-11-23T10:00:00.2Z DEBUG haven_web::directory: directory load phases cards_ms=1700 index_ms=700
2026-11-23T10:00:00.3Z  INFO haven::serve: directory loaded and indexed services=100000 ms=8900
2026-11-23T10:00:02.0Z  INFO haven_web::directory: directory snapshot saved ms=1200
";

    #[test]
    fn a_cold_start_reads_the_store() {
        let start = Start::read(COLD);
        assert_eq!(start.source, Source::Store);
        assert_eq!(start.services, Some(100_000));
        assert_eq!(start.read, Some(Duration::from_millis(6400)));
        assert_eq!(start.cards, Some(Duration::from_millis(1700)));
        assert_eq!(start.index, Some(Duration::from_millis(700)));
        // ` ms=` is not confused with `read_ms=` or `cards_ms=`.
        assert_eq!(start.loaded, Some(Duration::from_millis(8900)));
    }

    #[test]
    fn a_warm_start_reads_the_snapshot_and_a_silent_log_says_nothing() {
        let warm = "x INFO haven_web::directory: directory cards and index read from its snapshot read_ms=1300\n\
                    x INFO haven_web::directory: directory records ready for the API ms=2500\n";
        let start = Start::read(warm);
        assert_eq!(start.source, Source::Snapshot);
        assert_eq!(start.read, Some(Duration::from_millis(1300)));
        assert_eq!(start.records, Some(Duration::from_millis(2500)));
        assert_eq!(start.loaded, None);
        let silent = Start::read("");
        assert_eq!(silent.source, Source::Unknown);
        assert_eq!(silent.services, None);
    }
}
