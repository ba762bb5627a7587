//! Tabular data packages: `datapackage.json` plus one CSV per table, from a folder or a zip.

use std::collections::HashSet;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::Limits;
use super::collect::{CSV, Collector, Origin};
use super::limits::{Guarded, limit_message};
use super::report::{Position, ProblemKind, Severity};
use crate::model::{Table, UnknownTable};
use crate::schema::{self, Required};

pub(crate) const DESCRIPTOR: &str = "datapackage.json";

/// The files of one package, addressed by their path inside it.
pub(crate) trait PackageFiles {
    /// Opens `path`; `Ok(None)` when the package has no such file.
    fn open(&mut self, path: &str) -> Result<Option<Box<dyn Read + '_>>, String>;
}

#[derive(Debug)]
pub(crate) struct DirFiles {
    root: PathBuf,
}

impl DirFiles {
    pub fn new(root: &Path) -> Self {
        DirFiles {
            root: root.to_owned(),
        }
    }
}

impl PackageFiles for DirFiles {
    fn open(&mut self, path: &str) -> Result<Option<Box<dyn Read + '_>>, String> {
        let full = self.root.join(path);
        match std::fs::File::open(&full) {
            Ok(file) => Ok(Some(Box::new(file))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot open {}: {e}", full.display())),
        }
    }
}

pub(crate) struct ZipFiles<R> {
    archive: zip::ZipArchive<R>,
    /// The folder inside the archive that holds the package (archives often wrap a folder).
    prefix: String,
}

impl<R> std::fmt::Debug for ZipFiles<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZipFiles")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl<R: Read + Seek> ZipFiles<R> {
    pub fn new(reader: R) -> Result<Self, String> {
        let archive =
            zip::ZipArchive::new(reader).map_err(|e| format!("not a readable zip archive: {e}"))?;
        let is_package_file = |name: &str| {
            let base = name.rsplit('/').next().unwrap_or(name);
            base == DESCRIPTOR || Table::from_file_name(base).is_some()
        };
        let prefix = archive
            .file_names()
            .filter(|n| is_package_file(n))
            .min_by_key(|n| (n.matches('/').count(), !n.ends_with(DESCRIPTOR)))
            .map(|n| {
                n.rsplit_once('/')
                    .map(|(dir, _)| format!("{dir}/"))
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        Ok(ZipFiles { archive, prefix })
    }
}

impl<R: Read + Seek> PackageFiles for ZipFiles<R> {
    fn open(&mut self, path: &str) -> Result<Option<Box<dyn Read + '_>>, String> {
        let name = format!("{}{path}", self.prefix);
        match self.archive.by_name(&name) {
            Ok(file) => Ok(Some(Box::new(file))),
            Err(zip::result::ZipError::FileNotFound) => Ok(None),
            Err(e) => Err(format!("cannot read {name} in the archive: {e}")),
        }
    }
}

/// One table listed in `datapackage.json`.
#[derive(Debug)]
struct Resource {
    name: String,
    path: String,
    table: Option<Table>,
}

pub(crate) fn read_tabular(files: &mut dyn PackageFiles, c: &mut Collector<'_>, limits: Limits) {
    let Some(resources) = resources(files, c, limits) else {
        return;
    };
    c.rows_total = count_rows(files, &resources, limits);
    for resource in &resources {
        let origin = file_origin(&resource.path);
        let reader = match files.open(&resource.path) {
            Ok(Some(reader)) => reader,
            Ok(None) => {
                c.problem(
                    Severity::Error,
                    ProblemKind::Unreadable,
                    &origin,
                    None,
                    format!(
                        "{DESCRIPTOR} lists {} but the package has no such file",
                        resource.path
                    ),
                );
                continue;
            }
            Err(reason) => {
                c.problem(
                    Severity::Error,
                    ProblemKind::Unreadable,
                    &origin,
                    None,
                    reason,
                );
                continue;
            }
        };
        match resource.table {
            Some(table) => read_csv_table(table, reader, &resource.path, c, limits),
            None => read_unknown_table(&resource.name, reader, &resource.path, c, limits),
        }
    }
}

fn file_origin(file: &str) -> Origin {
    Origin {
        file: file.to_owned(),
        position: Position::File,
    }
}

/// The tables to read, from `datapackage.json`, or the standard file names without one.
fn resources(
    files: &mut dyn PackageFiles,
    c: &mut Collector<'_>,
    limits: Limits,
) -> Option<Vec<Resource>> {
    let origin = file_origin(DESCRIPTOR);
    let descriptor = match files.open(DESCRIPTOR) {
        Ok(Some(reader)) => {
            let mut bytes = Vec::new();
            let mut limited = Guarded::new(reader, limits.max_file_bytes, u64::MAX);
            if let Err(e) = limited.read_to_end(&mut bytes) {
                let reason = limit_message(&e).unwrap_or_else(|| format!("cannot read: {e}"));
                c.problem(
                    Severity::Error,
                    ProblemKind::Unreadable,
                    &origin,
                    None,
                    reason,
                );
                return None;
            }
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(value) => Some(value),
                Err(e) => {
                    c.problem(
                        Severity::Error,
                        ProblemKind::Unreadable,
                        &origin,
                        None,
                        format!("not valid JSON: {e}"),
                    );
                    return None;
                }
            }
        }
        Ok(None) => None,
        Err(reason) => {
            c.problem(
                Severity::Error,
                ProblemKind::Unreadable,
                &origin,
                None,
                reason,
            );
            return None;
        }
    };

    let Some(descriptor) = descriptor else {
        c.problem(
            Severity::Warning,
            ProblemKind::Structure,
            &origin,
            None,
            "the package has no datapackage.json; reading the tables under HSDS's standard file names",
        );
        let mut found = Vec::new();
        for table in Table::ALL {
            if let Ok(Some(_)) = files.open(table.file_name()) {
                found.push(Resource {
                    name: table.name().to_owned(),
                    path: table.file_name().to_owned(),
                    table: Some(table),
                });
            }
        }
        return Some(found);
    };

    let Some(list) = descriptor.get("resources").and_then(Value::as_array) else {
        c.problem(
            Severity::Error,
            ProblemKind::Structure,
            &origin,
            Some("resources"),
            "datapackage.json has no \"resources\" list",
        );
        return None;
    };
    let mut out: Vec<Resource> = Vec::new();
    for (i, resource) in list.iter().enumerate() {
        let at = Origin {
            file: DESCRIPTOR.to_owned(),
            position: Position::Pointer(format!("/resources/{i}")),
        };
        let name = resource
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let path = match resource.get("path") {
            Some(Value::String(p)) => Some(p.as_str()),
            Some(Value::Array(parts)) if parts.len() == 1 => parts[0].as_str(),
            _ => None,
        };
        let Some(path) = path else {
            c.problem(
                Severity::Error,
                ProblemKind::Structure,
                &at,
                Some("path"),
                "a resource needs a single file path (inline data and multi-file resources are not supported)",
            );
            continue;
        };
        if !is_safe_path(path) {
            c.problem(
                Severity::Error,
                ProblemKind::Structure,
                &at,
                Some("path"),
                format!("'{path}' is not a relative path inside the package"),
            );
            continue;
        }
        let table = Table::from_name(name);
        if let Some(t) = table {
            if out.iter().any(|r| r.table == Some(t)) {
                c.problem(
                    Severity::Error,
                    ProblemKind::Structure,
                    &at,
                    Some("name"),
                    format!("the table {t} is listed more than once"),
                );
                continue;
            }
        } else {
            c.problem(
                Severity::Warning,
                ProblemKind::UnknownTable,
                &at,
                Some("name"),
                format!("'{name}' is not an HSDS 3.0 table; its rows are kept as they are"),
            );
        }
        out.push(Resource {
            name: name.to_owned(),
            path: path.to_owned(),
            table,
        });
    }
    Some(out)
}

fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Rows in all tables, for progress; `None` if any file cannot be counted.
fn count_rows(files: &mut dyn PackageFiles, resources: &[Resource], limits: Limits) -> Option<u64> {
    let mut total = 0u64;
    for resource in resources {
        let reader = files.open(&resource.path).ok()??;
        let guarded = Guarded::new(reader, limits.max_file_bytes, limits.max_row_bytes);
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(guarded);
        let mut record = csv::ByteRecord::new();
        loop {
            match rdr.read_byte_record(&mut record) {
                Ok(true) => {
                    total += 1;
                    let at = rdr.position().byte();
                    rdr.get_ref().row_start.set(at);
                }
                Ok(false) => break,
                Err(_) => return None,
            }
        }
    }
    Some(total)
}

/// What to do after a CSV error.
fn csv_error(e: &csv::Error) -> (String, bool) {
    match e.kind() {
        csv::ErrorKind::Io(io) => match limit_message(io) {
            Some(message) => (message, true),
            None => (format!("cannot read: {io}"), true),
        },
        csv::ErrorKind::Utf8 { .. } => ("the row is not valid UTF-8 text".to_owned(), false),
        _ => (format!("not valid CSV: {e}"), true),
    }
}

fn header_names(
    rdr: &mut csv::Reader<Guarded<Box<dyn Read + '_>>>,
    file: &str,
    c: &mut Collector<'_>,
) -> Option<Vec<String>> {
    let origin = Origin {
        file: file.to_owned(),
        position: Position::Header,
    };
    match rdr.headers() {
        Ok(h) => {
            let mut names: Vec<String> = h.iter().map(str::to_owned).collect();
            if let Some(first) = names.first_mut() {
                *first = first.trim_start_matches('\u{feff}').to_owned();
            }
            if names.iter().all(String::is_empty) {
                c.problem(
                    Severity::Warning,
                    ProblemKind::Structure,
                    &origin,
                    None,
                    "the file is empty",
                );
                return None;
            }
            let mut seen = HashSet::new();
            for name in &names {
                if !seen.insert(name.as_str()) {
                    c.problem(
                        Severity::Error,
                        ProblemKind::Structure,
                        &origin,
                        Some(name),
                        "the column appears more than once",
                    );
                }
            }
            Some(names)
        }
        Err(e) => {
            let (reason, _) = csv_error(&e);
            let kind = if reason.contains("limit") {
                ProblemKind::TooLarge
            } else {
                ProblemKind::Unreadable
            };
            c.problem(Severity::Error, kind, &origin, None, reason);
            None
        }
    }
}

pub(crate) fn read_csv_table<R: Read>(
    table: Table,
    reader: R,
    file: &str,
    c: &mut Collector<'_>,
    limits: Limits,
) {
    let reader: Box<dyn Read + '_> = Box::new(reader);
    let guarded = Guarded::new(reader, limits.max_file_bytes, limits.max_row_bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(guarded);
    let Some(headers) = header_names(&mut rdr, file, c) else {
        return;
    };

    let header_origin = Origin {
        file: file.to_owned(),
        position: Position::Header,
    };
    for name in &headers {
        if schema::field(table, name).is_none() {
            c.problem(
                Severity::Warning,
                ProblemKind::UnknownField,
                &header_origin,
                Some(name),
                format!("{table} has no field {name} in HSDS 3.0; kept as an extension"),
            );
        }
    }
    // A missing required column is reported once here rather than on every row.
    let mut silent_missing = HashSet::new();
    for spec in schema::fields(table) {
        if spec.required != Required::Optional && !headers.iter().any(|h| h == spec.name) {
            c.problem(
                Severity::Error,
                ProblemKind::MissingRequired,
                &header_origin,
                Some(spec.name),
                format!("the required column {} is missing", spec.name),
            );
            silent_missing.insert(spec.name);
        }
    }

    let mut record = csv::StringRecord::new();
    let mut row = 0u64;
    loop {
        let read = rdr.read_record(&mut record);
        row += 1;
        let origin = Origin {
            file: file.to_owned(),
            position: Position::Row(row),
        };
        match read {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let (reason, fatal) = csv_error(&e);
                let kind = if reason.contains("limit") {
                    ProblemKind::TooLarge
                } else {
                    ProblemKind::Unreadable
                };
                c.problem(Severity::Error, kind, &origin, None, reason);
                if fatal {
                    break;
                }
                continue;
            }
        }
        let at = rdr.position().byte();
        rdr.get_ref().row_start.set(at);
        if !row_allowed(c, &origin, limits) {
            break;
        }
        c.count_row(file);
        if record.len() != headers.len() {
            c.problem(
                Severity::Error,
                ProblemKind::Structure,
                &origin,
                None,
                format!(
                    "the row has {} cells but the header has {}",
                    record.len(),
                    headers.len()
                ),
            );
            continue;
        }
        let mut raw = Map::new();
        for (name, cell) in headers.iter().zip(record.iter()) {
            raw.insert(name.clone(), Value::String(cell.to_owned()));
        }
        c.add_row(table, raw, &origin, CSV, &silent_missing);
    }
}

fn row_allowed(c: &mut Collector<'_>, origin: &Origin, limits: Limits) -> bool {
    if c.report.rows_read < limits.max_rows {
        return true;
    }
    c.problem(
        Severity::Error,
        ProblemKind::TooLarge,
        origin,
        None,
        format!(
            "the import is larger than the limit of {} rows",
            limits.max_rows
        ),
    );
    false
}

fn read_unknown_table<R: Read>(
    name: &str,
    reader: R,
    file: &str,
    c: &mut Collector<'_>,
    limits: Limits,
) {
    let reader: Box<dyn Read + '_> = Box::new(reader);
    let guarded = Guarded::new(reader, limits.max_file_bytes, limits.max_row_bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(guarded);
    let Some(columns) = header_names(&mut rdr, file, c) else {
        return;
    };
    let mut table = UnknownTable {
        name: name.to_owned(),
        path: file.to_owned(),
        columns,
        rows: Vec::new(),
    };
    let mut record = csv::StringRecord::new();
    let mut row = 0u64;
    loop {
        let read = rdr.read_record(&mut record);
        row += 1;
        let origin = Origin {
            file: file.to_owned(),
            position: Position::Row(row),
        };
        match read {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let (reason, fatal) = csv_error(&e);
                c.problem(
                    Severity::Error,
                    ProblemKind::Unreadable,
                    &origin,
                    None,
                    reason,
                );
                if fatal {
                    break;
                }
                continue;
            }
        }
        let at = rdr.position().byte();
        rdr.get_ref().row_start.set(at);
        if !row_allowed(c, &origin, limits) {
            break;
        }
        c.count_row(file);
        table.rows.push(record.iter().map(str::to_owned).collect());
    }
    c.dataset.unknown_tables.push(table);
}
