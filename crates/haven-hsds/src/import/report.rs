//! The import report: every problem found, each naming the file, the row (or JSON pointer),
//! the field and the reason, so a person can fix the source and try again.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The data is usable as it is; the person may want to look.
    Warning,
    /// The package must not be stored until this is fixed.
    Error,
}

/// What kind of problem it is: stable, so callers and translations can key on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A file, archive or document could not be read or parsed at all.
    Unreadable,
    /// The package's shape is wrong (no datapackage.json, unsafe path, unknown JSON shape).
    Structure,
    /// A column or field HSDS does not define; kept as an extension.
    UnknownField,
    /// A table HSDS does not define; kept as read.
    UnknownTable,
    MissingRequired,
    /// A value is not of the field's type or format (number, date, uuid, e-mail, ...).
    WrongType,
    /// A number outside its meaningful range (a coordinate outside WGS84).
    OutOfRange,
    DuplicateId,
    /// A reference to a record that is neither in the package nor already known.
    DanglingReference,
    /// The same record appears twice in nested JSON with different values.
    Conflict,
    /// A size limit was reached (row, field or file too large).
    TooLarge,
}

/// Where in the source a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "at")]
pub enum Position {
    /// The file as a whole.
    File,
    /// The CSV header line.
    Header,
    /// A CSV data row, counted from 1 (the header is not counted).
    Row(u64),
    /// A JSON pointer (RFC 6901) to the object concerned, e.g. `/contents/0/phones/1`.
    Pointer(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub kind: ProblemKind,
    /// The file within the package (or the JSON document's name).
    pub file: String,
    pub position: Position,
    /// The HSDS field (column) concerned, if any.
    pub field: Option<String>,
    /// What is wrong, in plain English.
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}: {}", self.file)?;
        match &self.position {
            Position::File => {}
            Position::Header => write!(f, ", header")?,
            Position::Row(row) => write!(f, ", row {row}")?,
            Position::Pointer(pointer) => write!(f, ", at {}", display_pointer(pointer))?,
        }
        if let Some(field) = &self.field {
            write!(f, ", field {field}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

/// Every problem an import found, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub problems: Vec<Problem>,
    /// Rows (CSV) or objects (JSON) read.
    pub rows_read: u64,
}

impl ImportReport {
    /// Whether anything must be fixed before the dataset is stored. The caller writes nothing
    /// unless this is false.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }

    pub(crate) fn push(
        &mut self,
        severity: Severity,
        kind: ProblemKind,
        file: &str,
        position: Position,
        field: Option<&str>,
        reason: impl Into<String>,
    ) {
        self.problems.push(Problem {
            severity,
            kind,
            file: file.to_owned(),
            position,
            field: field.map(str::to_owned),
            reason: reason.into(),
        });
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "{problem}")?;
        }
        let errors = self.errors().count();
        let warnings = self.warnings().count();
        write!(
            f,
            "{} rows read, {errors} errors, {warnings} warnings",
            self.rows_read
        )
    }
}
