//! Reading HSDS packages into a [`Dataset`] with an [`ImportReport`].
//!
//! Sources: a tabular data package (a folder or a `.zip` holding `datapackage.json` and one
//! CSV per table), a single CSV table, or HSDS JSON (one object such as `service_full`, a list
//! page `{"total_items":..,"contents":[..]}`, a bare array, or the tabular-as-JSON shape
//! `{"services.csv":[..]}`); the shape is detected.
//!
//! Import never panics and never stops at the first problem: it reads everything it can and
//! reports every problem with file, row (or JSON pointer), field and reason. Rows with errors
//! are left out of the dataset. The caller stores nothing unless
//! [`ImportReport::has_errors`] is false.
//!
//! Decisions worth knowing:
//! - A coordinate that is a number but outside WGS84's range is a warning, not an error (the
//!   official example has latitude 100, longitude 101); the value is kept and
//!   [`Location::map_point`](crate::model::Location::map_point) declines to place it.
//! - A dangling reference is an error where HSDS requires the field (e.g.
//!   `service_at_location.service_id`) and a warning where the field is optional (e.g.
//!   `location.organization_id`). `metadata.resource_id` only warns: it is a change log.
//! - Empty cells and empty JSON strings are absent values.
//! - In nested JSON the same record may appear several times (a phone under the service and
//!   under its location); the appearances are merged, and differing values are a warning.

mod collect;
mod json;
mod limits;
pub mod report;
mod tabular;

use std::io::{Read, Seek};
use std::path::Path;

use uuid::Uuid;

pub use report::{ImportReport, Position, Problem, ProblemKind, Severity};

use crate::model::{Dataset, Table};
use collect::Collector;

/// Answers whether a record already exists outside the package (e.g. in Haven's database),
/// so a package may refer to it. Closures `Fn(Table, Uuid) -> bool` implement it.
pub trait KnownIds {
    fn contains(&self, table: Table, id: Uuid) -> bool;
}

impl<F: Fn(Table, Uuid) -> bool> KnownIds for F {
    fn contains(&self, table: Table, id: Uuid) -> bool {
        self(table, id)
    }
}

/// No records exist beyond the package.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoKnownIds;

impl KnownIds for NoKnownIds {
    fn contains(&self, _: Table, _: Uuid) -> bool {
        false
    }
}

impl KnownIds for Dataset {
    fn contains(&self, table: Table, id: Uuid) -> bool {
        Dataset::contains(self, table, id)
    }
}

/// Reported after each row (CSV) or object (JSON), for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// The file being read.
    pub file: &'a str,
    /// Rows read so far, over the whole package.
    pub rows_read: u64,
    /// All rows in the package, when known (counted before reading).
    pub rows_total: Option<u64>,
}

/// Size limits that keep memory bounded whatever the input.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest CSV row, in bytes.
    pub max_row_bytes: u64,
    /// Largest single file (CSV, JSON, datapackage.json), in bytes, after decompression.
    pub max_file_bytes: u64,
    /// Largest number of rows or JSON objects in one import.
    pub max_rows: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_row_bytes: 1 << 20,
            max_file_bytes: 512 << 20,
            max_rows: 10_000_000,
        }
    }
}

/// An import's result: everything that could be read, and every problem found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Imported {
    pub dataset: Dataset,
    pub report: ImportReport,
}

/// Reads HSDS packages. Configure with the builder methods, then call a `read_*` method.
pub struct Importer<'a> {
    known: &'a dyn KnownIds,
    progress: Option<&'a mut dyn FnMut(Progress<'_>)>,
    limits: Limits,
}

impl std::fmt::Debug for Importer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Importer")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Default for Importer<'_> {
    fn default() -> Self {
        Importer {
            known: &NoKnownIds,
            progress: None,
            limits: Limits::default(),
        }
    }
}

impl<'a> Importer<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that exist outside the package, which the package may refer to.
    pub fn known_ids(mut self, known: &'a dyn KnownIds) -> Self {
        self.known = known;
        self
    }

    /// Called after every row read.
    pub fn on_progress(mut self, progress: &'a mut dyn FnMut(Progress<'_>)) -> Self {
        self.progress = Some(progress);
        self
    }

    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Reads a folder or `.zip` tabular package, a `.json` document or a single `.csv` table
    /// (named as in the official package, e.g. `services.csv`), chosen by what `path` is.
    pub fn read_package(self, path: &Path) -> Imported {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if path.is_dir() {
            return self.read_dir(path);
        }
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(e) => return unreadable(&name, format!("cannot open {}: {e}", path.display())),
        };
        match extension.as_str() {
            "zip" => self.read_zip(file, &name),
            "json" => self.read_json(file, &name),
            "csv" => match Table::from_file_name(&name) {
                Some(table) => self.read_csv(table, file, &name),
                None => unreadable(
                    &name,
                    "a lone CSV must be named as in HSDS's package (e.g. services.csv)".to_owned(),
                ),
            },
            _ => unreadable(
                &name,
                "not a folder, .zip, .json or .csv HSDS package".to_owned(),
            ),
        }
    }

    /// Reads a tabular package from a folder.
    pub fn read_dir(self, dir: &Path) -> Imported {
        let mut collector = Collector::new(self.known, self.progress);
        let mut files = tabular::DirFiles::new(dir);
        tabular::read_tabular(&mut files, &mut collector, self.limits);
        finish(collector)
    }

    /// Reads a tabular package from a zip archive (`name` is used in the report).
    pub fn read_zip<R: Read + Seek>(self, reader: R, name: &str) -> Imported {
        let mut collector = Collector::new(self.known, self.progress);
        match tabular::ZipFiles::new(reader) {
            Ok(mut files) => tabular::read_tabular(&mut files, &mut collector, self.limits),
            Err(reason) => collector.problem(
                Severity::Error,
                ProblemKind::Unreadable,
                &collect::Origin {
                    file: name.to_owned(),
                    position: Position::File,
                },
                None,
                reason,
            ),
        }
        finish(collector)
    }

    /// Reads one CSV table.
    pub fn read_csv<R: Read>(self, table: Table, reader: R, name: &str) -> Imported {
        let mut collector = Collector::new(self.known, self.progress);
        tabular::read_csv_table(table, reader, name, &mut collector, self.limits);
        finish(collector)
    }

    /// Reads an HSDS JSON document (shape detected; see the module documentation).
    pub fn read_json<R: Read>(self, reader: R, name: &str) -> Imported {
        let mut collector = Collector::new(self.known, self.progress);
        json::read_json(reader, name, None, &mut collector, self.limits);
        finish(collector)
    }

    /// Reads an HSDS JSON document whose objects (alone, in a list or a page) are known to be
    /// of `table`, for shapes detection cannot tell apart (e.g. a bare organization).
    pub fn read_json_as<R: Read>(self, table: Table, reader: R, name: &str) -> Imported {
        let mut collector = Collector::new(self.known, self.progress);
        json::read_json(reader, name, Some(table), &mut collector, self.limits);
        finish(collector)
    }
}

/// Reads a package with no known ids and no progress reporting; see [`Importer`].
pub fn read_package(path: &Path) -> Imported {
    Importer::new().read_package(path)
}

/// Reads an HSDS JSON document from memory; see [`Importer::read_json`].
pub fn read_json_bytes(bytes: &[u8], name: &str) -> Imported {
    Importer::new().read_json(bytes, name)
}

fn finish(mut collector: Collector<'_>) -> Imported {
    collector.resolve_references();
    Imported {
        dataset: collector.dataset,
        report: collector.report,
    }
}

fn unreadable(name: &str, reason: String) -> Imported {
    let mut report = ImportReport::default();
    report.push(
        Severity::Error,
        ProblemKind::Unreadable,
        name,
        Position::File,
        None,
        reason,
    );
    Imported {
        dataset: Dataset::default(),
        report,
    }
}
