//! Turns raw rows (from CSV or JSON) into typed records: converts and checks every field
//! against [`crate::schema`], records ids for the duplicate and reference checks, and reports
//! each problem once. Shared by the tabular and JSON readers so both apply the same rules.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};
use uuid::Uuid;

use super::report::{ImportReport, Position, ProblemKind, Severity};
use super::{KnownIds, Progress};
use crate::model::values::{ClockTime, Email, IsoDate, Timestamp, Uri, clip};
use crate::model::{Dataset, Table};
use crate::schema::{self, FieldSpec, Kind, Required, Target};

/// How a source represents rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Form {
    /// Values carry JSON types (numbers are numbers); otherwise every value is text (CSV).
    pub typed_values: bool,
    /// Flat tables, where foreign keys HSDS marks `tabular_required` must be given.
    pub tabular: bool,
}

pub(crate) const CSV: Form = Form {
    typed_values: false,
    tabular: true,
};
pub(crate) const TABULAR_JSON: Form = Form {
    typed_values: true,
    tabular: true,
};
pub(crate) const NESTED_JSON: Form = Form {
    typed_values: true,
    tabular: false,
};

#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub file: String,
    pub position: Position,
}

#[derive(Debug)]
struct PendingRef {
    from: Origin,
    field: &'static str,
    target: Table,
    id: Uuid,
    strict: bool,
}

/// Accumulates the dataset and the report over a whole import.
pub(crate) struct Collector<'a> {
    pub dataset: Dataset,
    pub report: ImportReport,
    seen: HashMap<(Table, Uuid), Position>,
    pending: Vec<PendingRef>,
    known: &'a dyn KnownIds,
    progress: Option<&'a mut dyn FnMut(Progress<'_>)>,
    pub rows_total: Option<u64>,
    /// Errors reported so far (counted here so a row's check does not rescan the report).
    errors: usize,
}

impl std::fmt::Debug for Collector<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Collector")
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

/// The outcome of converting one field.
enum Converted {
    Absent,
    Value(Value),
    Invalid,
}

impl<'a> Collector<'a> {
    pub fn new(known: &'a dyn KnownIds, progress: Option<&'a mut dyn FnMut(Progress<'_>)>) -> Self {
        Collector {
            dataset: Dataset::default(),
            report: ImportReport::default(),
            seen: HashMap::new(),
            pending: Vec::new(),
            known,
            progress,
            rows_total: None,
            errors: 0,
        }
    }

    pub fn problem(
        &mut self,
        severity: Severity,
        kind: ProblemKind,
        origin: &Origin,
        field: Option<&str>,
        reason: impl Into<String>,
    ) {
        if severity == Severity::Error {
            self.errors += 1;
        }
        self.report.push(
            severity,
            kind,
            &origin.file,
            origin.position.clone(),
            field,
            reason,
        );
    }

    pub fn count_row(&mut self, file: &str) {
        self.report.rows_read += 1;
        if let Some(progress) = self.progress.as_mut() {
            progress(Progress {
                file,
                rows_read: self.report.rows_read,
                rows_total: self.rows_total,
            });
        }
    }

    /// Validates one row of `table` and, if it has no errors, adds the record. `silent_missing`
    /// names required fields whose absence was already reported once (a missing column).
    pub fn add_row(
        &mut self,
        table: Table,
        mut raw: Map<String, Value>,
        origin: &Origin,
        form: Form,
        silent_missing: &HashSet<&'static str>,
    ) {
        let errors_before = self.errors;
        let mut clean = Map::new();
        let mut id = None;
        // A required value missing without a per-row error (its column is missing).
        let mut incomplete = false;
        for spec in schema::fields(table) {
            match self.convert(spec, raw.remove(spec.name), origin, form) {
                Converted::Value(value) => {
                    if spec.kind == Kind::Id && spec.name == "id" {
                        id = value.as_str().and_then(|s| Uuid::parse_str(s).ok());
                    }
                    clean.insert(spec.name.to_owned(), value);
                }
                Converted::Absent => {
                    let required = match spec.required {
                        Required::Always => true,
                        Required::Tabular => form.tabular,
                        Required::Optional => false,
                    };
                    if required && silent_missing.contains(spec.name) {
                        incomplete |= spec.required == Required::Always;
                    } else if required {
                        self.problem(
                            Severity::Error,
                            ProblemKind::MissingRequired,
                            origin,
                            Some(spec.name),
                            format!("{}.{} is required but has no value", table, spec.name),
                        );
                    }
                }
                Converted::Invalid => {}
            }
        }
        // What is left is not HSDS: keep it as an extension. Empty values carry nothing.
        for (key, value) in raw {
            if !is_empty(&value) {
                clean.insert(key, value);
            }
        }

        if let Some(id) = id {
            self.note_id(table, id, origin);
        }
        self.queue_references(table, &clean, origin);

        if self.errors == errors_before && !incomplete {
            self.push_record(table, clean, origin);
        }
    }

    fn note_id(&mut self, table: Table, id: Uuid, origin: &Origin) {
        if let Some(first) = self.seen.get(&(table, id)) {
            let first = describe(first);
            self.problem(
                Severity::Error,
                ProblemKind::DuplicateId,
                origin,
                Some("id"),
                format!("{table} id {id} is used more than once (first at {first})"),
            );
        } else {
            self.seen.insert((table, id), origin.position.clone());
        }
    }

    fn queue_references(&mut self, table: Table, clean: &Map<String, Value>, origin: &Origin) {
        for spec in schema::fields(table) {
            let Some(reference) = spec.reference else {
                continue;
            };
            let Some(id) = clean.get(spec.name).and_then(Value::as_str) else {
                continue;
            };
            let Ok(id) = Uuid::parse_str(id) else {
                continue;
            };
            let target = match reference.target {
                Target::Table(t) => t,
                Target::NamedBy(naming_field) => {
                    let Some(name) = clean.get(naming_field).and_then(Value::as_str) else {
                        continue;
                    };
                    match Table::from_name(name) {
                        Some(t) => t,
                        None => {
                            self.problem(
                                Severity::Warning,
                                ProblemKind::DanglingReference,
                                origin,
                                Some(spec.name),
                                format!(
                                    "{naming_field} '{}' is not an HSDS table, so {} cannot be checked",
                                    clip(name),
                                    spec.name
                                ),
                            );
                            continue;
                        }
                    }
                }
            };
            self.pending.push(PendingRef {
                from: origin.clone(),
                field: spec.name,
                target,
                id,
                strict: reference.strict,
            });
        }
    }

    fn push_record(&mut self, table: Table, clean: Map<String, Value>, origin: &Origin) {
        fn push<T: Record + serde::de::DeserializeOwned>(
            c: &mut Collector<'_>,
            clean: Map<String, Value>,
            origin: &Origin,
        ) {
            match serde_json::from_value::<T>(Value::Object(clean)) {
                Ok(record) => T::rows_mut(&mut c.dataset).push(record),
                // Validation above should make this unreachable; report rather than lose it.
                Err(e) => c.problem(
                    Severity::Error,
                    ProblemKind::WrongType,
                    origin,
                    None,
                    format!("record could not be built: {e}"),
                ),
            }
        }
        use crate::model::*;
        match table {
            Table::Organization => push::<Organization>(self, clean, origin),
            Table::Program => push::<Program>(self, clean, origin),
            Table::Service => push::<Service>(self, clean, origin),
            Table::Attribute => push::<Attribute>(self, clean, origin),
            Table::ServiceAtLocation => push::<ServiceAtLocation>(self, clean, origin),
            Table::Location => push::<Location>(self, clean, origin),
            Table::Phone => push::<Phone>(self, clean, origin),
            Table::Contact => push::<Contact>(self, clean, origin),
            Table::Address => push::<Address>(self, clean, origin),
            Table::Schedule => push::<Schedule>(self, clean, origin),
            Table::Funding => push::<Funding>(self, clean, origin),
            Table::ServiceArea => push::<ServiceArea>(self, clean, origin),
            Table::RequiredDocument => push::<RequiredDocument>(self, clean, origin),
            Table::Language => push::<Language>(self, clean, origin),
            Table::Accessibility => push::<Accessibility>(self, clean, origin),
            Table::TaxonomyTerm => push::<TaxonomyTerm>(self, clean, origin),
            Table::Metadata => push::<Metadata>(self, clean, origin),
            Table::MetaTableDescription => push::<MetaTableDescription>(self, clean, origin),
            Table::CostOption => push::<CostOption>(self, clean, origin),
            Table::OrganizationIdentifier => push::<OrganizationIdentifier>(self, clean, origin),
            Table::Taxonomy => push::<Taxonomy>(self, clean, origin),
        }
    }

    fn convert(
        &mut self,
        spec: &FieldSpec,
        raw: Option<Value>,
        origin: &Origin,
        form: Form,
    ) -> Converted {
        let Some(raw) = raw else {
            return Converted::Absent;
        };
        if is_empty(&raw) {
            return Converted::Absent;
        }
        let field = Some(spec.name);
        let wrong = |c: &mut Self, reason: String| {
            c.problem(
                Severity::Error,
                ProblemKind::WrongType,
                origin,
                field,
                reason,
            );
            Converted::Invalid
        };
        match (&raw, spec.kind) {
            (Value::Array(_) | Value::Object(_), _) => wrong(
                self,
                "expected a single value, found a list or object".to_owned(),
            ),
            (Value::Number(_) | Value::Bool(_), Kind::Text) => {
                // Seen in the official tabular.json (a UPRN given as a number): harmless.
                let text = raw.to_string();
                self.problem(
                    Severity::Warning,
                    ProblemKind::WrongType,
                    origin,
                    field,
                    format!("expected text, found {text}; kept as the text \"{text}\""),
                );
                Converted::Value(Value::String(text))
            }
            (Value::String(text), Kind::Text) => Converted::Value(Value::String(text.clone())),
            (_, Kind::Number | Kind::Latitude | Kind::Longitude) => {
                let number = match &raw {
                    Value::Number(n) if form.typed_values => n.as_f64(),
                    Value::String(s) if !form.typed_values => {
                        s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
                    }
                    _ => None,
                };
                let Some(number) = number else {
                    return wrong(self, format!("{} is not a number", quote(&raw)));
                };
                self.check_range(spec, number, origin);
                match serde_json::Number::from_f64(number) {
                    Some(n) => Converted::Value(Value::Number(n)),
                    None => wrong(self, format!("{} is not a finite number", quote(&raw))),
                }
            }
            (Value::String(text), kind) => {
                let checked = match kind {
                    Kind::Id => Uuid::parse_str(text)
                        .map(|u| u.to_string())
                        .map_err(|_| format!("'{}' is not a UUID", clip(text))),
                    Kind::Date => IsoDate::parse(text).map(|v| v.to_string()).map_err(|e| e.0),
                    Kind::Time => ClockTime::parse(text)
                        .map(|v| v.to_string())
                        .map_err(|e| e.0),
                    Kind::DateTime => Timestamp::parse(text)
                        .map(|v| v.to_string())
                        .map_err(|e| e.0),
                    Kind::Email => Email::parse(text).map(|v| v.to_string()).map_err(|e| e.0),
                    Kind::Uri => Uri::parse(text).map(|v| v.to_string()).map_err(|e| e.0),
                    Kind::Enum(allowed) => {
                        if allowed.contains(&text.as_str()) {
                            Ok(text.clone())
                        } else {
                            Err(format!(
                                "'{}' is not one of: {}",
                                clip(text),
                                allowed.join(", ")
                            ))
                        }
                    }
                    Kind::Text | Kind::Number | Kind::Latitude | Kind::Longitude => {
                        Ok(text.clone())
                    }
                };
                match checked {
                    // Ids keep their original text only when canonical; Uuid prints lowercase.
                    Ok(value) => Converted::Value(Value::String(value)),
                    Err(reason) => wrong(self, reason),
                }
            }
            (_, kind) => wrong(self, format!("{} is not {}", quote(&raw), kind_name(kind))),
        }
    }

    fn check_range(&mut self, spec: &FieldSpec, number: f64, origin: &Origin) {
        let (low, high) = match spec.kind {
            Kind::Latitude => (-90.0, 90.0),
            Kind::Longitude => (-180.0, 180.0),
            _ => return,
        };
        if !(low..=high).contains(&number) {
            self.problem(
                Severity::Warning,
                ProblemKind::OutOfRange,
                origin,
                Some(spec.name),
                format!(
                    "{} {number} is outside {low}..{high}; the location will not be placed on the map",
                    spec.name
                ),
            );
        }
    }

    /// Checks every queued reference now that the whole package has been read.
    pub fn resolve_references(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for r in pending {
            if self.seen.contains_key(&(r.target, r.id)) || self.known.contains(r.target, r.id) {
                continue;
            }
            let severity = if r.strict {
                Severity::Error
            } else {
                Severity::Warning
            };
            let reason = format!(
                "refers to {} {}, which is neither in the package nor already known",
                r.target, r.id
            );
            self.problem(
                severity,
                ProblemKind::DanglingReference,
                &r.from,
                Some(r.field),
                reason,
            );
        }
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

fn quote(value: &Value) -> String {
    match value {
        Value::String(s) => format!("'{}'", clip(s)),
        other => clip(&other.to_string()),
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "text",
        Kind::Id => "a UUID",
        Kind::Number | Kind::Latitude | Kind::Longitude => "a number",
        Kind::Date => "a date (YYYY-MM-DD)",
        Kind::Time => "a time of day",
        Kind::DateTime => "a date-time",
        Kind::Email => "an e-mail address",
        Kind::Uri => "a URI",
        Kind::Enum(_) => "one of the allowed values",
    }
}

fn describe(position: &Position) -> String {
    match position {
        Position::File => "the file".to_owned(),
        Position::Header => "the header".to_owned(),
        Position::Row(row) => format!("row {row}"),
        Position::Pointer(pointer) => pointer.clone(),
    }
}
