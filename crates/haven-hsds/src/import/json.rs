//! HSDS JSON: nested API objects (`service_full`, `organization_full`, ...), list pages, bare
//! arrays and the tabular-as-JSON shape. Nested objects are flattened into table rows, their
//! links filled in from where they sit, repeated appearances of one record merged, and the
//! rows then checked by the same rules as CSV rows.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use serde_json::{Map, Value};

use super::Limits;
use super::collect::{Collector, Form, NESTED_JSON, Origin, TABULAR_JSON};
use super::limits::{Guarded, limit_message};
use super::report::{Position, ProblemKind, Severity};
use crate::model::values::clip;
use crate::model::{Table, UnknownTable};

/// How a nested object is tied to the object that contains it.
#[derive(Debug, Clone, Copy)]
enum Link {
    /// The child's field holds the parent's id (`phones[].service_id`).
    ChildHoldsParent(&'static str),
    /// The parent's field holds the child's id (`service.organization` → `organization_id`).
    ParentHoldsChild(&'static str),
    /// Attributes: `link_id` and `link_entity` name the parent.
    Attribute,
    /// Metadata: `resource_id` and `resource_type` name the parent.
    Metadata,
}

#[derive(Debug, Clone, Copy)]
struct Nest {
    key: &'static str,
    table: Table,
    many: bool,
    link: Link,
}

const fn many(key: &'static str, table: Table, fk: &'static str) -> Nest {
    Nest {
        key,
        table,
        many: true,
        link: Link::ChildHoldsParent(fk),
    }
}
const fn one(key: &'static str, table: Table, fk: &'static str) -> Nest {
    Nest {
        key,
        table,
        many: false,
        link: Link::ParentHoldsChild(fk),
    }
}
const ATTRIBUTES: Nest = Nest {
    key: "attributes",
    table: Table::Attribute,
    many: true,
    link: Link::Attribute,
};
const METADATA: Nest = Nest {
    key: "metadata",
    table: Table::Metadata,
    many: true,
    link: Link::Metadata,
};

const NEST_SERVICE: &[Nest] = &[
    many("phones", Table::Phone, "service_id"),
    many("schedules", Table::Schedule, "service_id"),
    many("service_areas", Table::ServiceArea, "service_id"),
    many(
        "service_at_locations",
        Table::ServiceAtLocation,
        "service_id",
    ),
    many("languages", Table::Language, "service_id"),
    one("organization", Table::Organization, "organization_id"),
    many("funding", Table::Funding, "service_id"),
    many("cost_options", Table::CostOption, "service_id"),
    one("program", Table::Program, "program_id"),
    many("required_documents", Table::RequiredDocument, "service_id"),
    many("contacts", Table::Contact, "service_id"),
    ATTRIBUTES,
    METADATA,
];
const NEST_ORGANIZATION: &[Nest] = &[
    many("funding", Table::Funding, "organization_id"),
    many("contacts", Table::Contact, "organization_id"),
    many("phones", Table::Phone, "organization_id"),
    many("locations", Table::Location, "organization_id"),
    many("programs", Table::Program, "organization_id"),
    many(
        "organization_identifiers",
        Table::OrganizationIdentifier,
        "organization_id",
    ),
    many("services", Table::Service, "organization_id"),
    ATTRIBUTES,
    METADATA,
];
const NEST_LOCATION: &[Nest] = &[
    many("languages", Table::Language, "location_id"),
    many("addresses", Table::Address, "location_id"),
    many("contacts", Table::Contact, "location_id"),
    many("accessibility", Table::Accessibility, "location_id"),
    many("phones", Table::Phone, "location_id"),
    many("schedules", Table::Schedule, "location_id"),
    ATTRIBUTES,
    METADATA,
];
const NEST_SERVICE_AT_LOCATION: &[Nest] = &[
    many("contacts", Table::Contact, "service_at_location_id"),
    many("phones", Table::Phone, "service_at_location_id"),
    many("schedules", Table::Schedule, "service_at_location_id"),
    one("location", Table::Location, "location_id"),
    one("service", Table::Service, "service_id"),
    ATTRIBUTES,
    METADATA,
];
const NEST_CONTACT: &[Nest] = &[
    many("phones", Table::Phone, "contact_id"),
    ATTRIBUTES,
    METADATA,
];
const NEST_PHONE: &[Nest] = &[
    many("languages", Table::Language, "phone_id"),
    ATTRIBUTES,
    METADATA,
];
const NEST_ATTRIBUTE: &[Nest] = &[
    one("taxonomy_term", Table::TaxonomyTerm, "taxonomy_term_id"),
    METADATA,
];
const NEST_TAXONOMY_TERM: &[Nest] = &[
    one("taxonomy_detail", Table::Taxonomy, "taxonomy_id"),
    METADATA,
];
const NEST_TAXONOMY: &[Nest] = &[METADATA];
const NEST_METADATA: &[Nest] = &[];
const NEST_OTHER: &[Nest] = &[ATTRIBUTES, METADATA];

/// The nested keys HSDS 3.0's JSON schemas define for each object.
fn nests(table: Table) -> &'static [Nest] {
    match table {
        Table::Service => NEST_SERVICE,
        Table::Organization => NEST_ORGANIZATION,
        Table::Location => NEST_LOCATION,
        Table::ServiceAtLocation => NEST_SERVICE_AT_LOCATION,
        Table::Contact => NEST_CONTACT,
        Table::Phone => NEST_PHONE,
        Table::Attribute => NEST_ATTRIBUTE,
        Table::TaxonomyTerm => NEST_TAXONOMY_TERM,
        Table::Taxonomy => NEST_TAXONOMY,
        Table::Metadata => NEST_METADATA,
        _ => NEST_OTHER,
    }
}

/// A flattened object waiting to be merged and checked.
#[derive(Debug)]
struct FlatRow {
    table: Table,
    pointer: String,
    fields: Map<String, Value>,
}

pub(crate) fn read_json<R: Read>(
    reader: R,
    name: &str,
    hint: Option<Table>,
    c: &mut Collector<'_>,
    limits: Limits,
) {
    let origin = Origin {
        file: name.to_owned(),
        position: Position::File,
    };
    let mut bytes = Vec::new();
    if let Err(e) = Guarded::new(reader, limits.max_file_bytes, u64::MAX).read_to_end(&mut bytes) {
        let (kind, reason) = match limit_message(&e) {
            Some(m) => (ProblemKind::TooLarge, m),
            None => (ProblemKind::Unreadable, format!("cannot read: {e}")),
        };
        c.problem(Severity::Error, kind, &origin, None, reason);
        return;
    }
    // serde_json refuses nesting deeper than 128 levels, so deep input is an error, not a crash.
    let document: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            c.problem(
                Severity::Error,
                ProblemKind::Unreadable,
                &origin,
                None,
                format!("not valid JSON: {e}"),
            );
            return;
        }
    };
    drop(bytes);

    let mut rows = Vec::new();
    let form = match &document {
        Value::Object(o) if is_tabular_json(o) => {
            read_tabular_json(o, name, c, &mut rows);
            TABULAR_JSON
        }
        Value::Object(o) if o.get("contents").is_some_and(Value::is_array) => {
            if let Some(Value::Array(items)) = o.get("contents") {
                for (i, item) in items.iter().enumerate() {
                    top_level(item, &format!("/contents/{i}"), name, hint, c, &mut rows);
                }
            }
            NESTED_JSON
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                top_level(item, &format!("/{i}"), name, hint, c, &mut rows);
            }
            NESTED_JSON
        }
        Value::Object(o) if o.contains_key("openapi_url") => {
            c.problem(
                Severity::Warning,
                ProblemKind::Structure,
                &origin,
                None,
                "this is an HSDS API root document; it holds no records",
            );
            NESTED_JSON
        }
        other => {
            top_level(other, "", name, hint, c, &mut rows);
            NESTED_JSON
        }
    };
    if rows.len() as u64 > limits.max_rows {
        c.problem(
            Severity::Error,
            ProblemKind::TooLarge,
            &origin,
            None,
            format!("the document holds more than {} objects", limits.max_rows),
        );
        return;
    }
    c.rows_total = Some(rows.len() as u64);
    let merged = merge(rows, name, c);
    check_rows(merged, name, c, form);
}

fn check_rows(rows: Vec<FlatRow>, name: &str, c: &mut Collector<'_>, form: Form) {
    let none = HashSet::new();
    for row in rows {
        c.count_row(name);
        let origin = Origin {
            file: name.to_owned(),
            position: Position::Pointer(row.pointer),
        };
        c.add_row(row.table, row.fields, &origin, form, &none);
    }
}

/// `{"organizations.csv": [...], ...}`, as in the official `tabular.json`.
fn is_tabular_json(o: &Map<String, Value>) -> bool {
    !o.is_empty() && o.iter().all(|(k, v)| k.ends_with(".csv") && v.is_array())
}

fn read_tabular_json(
    o: &Map<String, Value>,
    name: &str,
    c: &mut Collector<'_>,
    rows: &mut Vec<FlatRow>,
) {
    for (file, items) in o {
        let Value::Array(items) = items else { continue };
        let pointer = format!("/{}", escape(file));
        match Table::from_file_name(file) {
            Some(table) => {
                for (i, item) in items.iter().enumerate() {
                    let at = format!("{pointer}/{i}");
                    match item {
                        Value::Object(fields) => rows.push(FlatRow {
                            table,
                            pointer: at,
                            fields: fields.clone(),
                        }),
                        _ => not_an_object(c, name, at),
                    }
                }
            }
            None => {
                c.problem(
                    Severity::Warning,
                    ProblemKind::UnknownTable,
                    &Origin {
                        file: name.to_owned(),
                        position: Position::Pointer(pointer),
                    },
                    None,
                    format!(
                        "'{}' is not an HSDS 3.0 table; its rows are kept as they are",
                        clip(file)
                    ),
                );
                c.dataset.unknown_tables.push(unknown_table(file, items));
            }
        }
    }
}

fn unknown_table(file: &str, items: &[Value]) -> UnknownTable {
    let mut columns: Vec<String> = Vec::new();
    for item in items {
        if let Value::Object(o) = item {
            for key in o.keys() {
                if !columns.contains(key) {
                    columns.push(key.clone());
                }
            }
        }
    }
    let rows = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|col| match item.get(col) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                })
                .collect()
        })
        .collect();
    let name = file.trim_end_matches(".csv").to_owned();
    UnknownTable {
        name,
        path: file.to_owned(),
        columns,
        rows,
    }
}

fn not_an_object(c: &mut Collector<'_>, name: &str, pointer: String) {
    c.problem(
        Severity::Error,
        ProblemKind::Structure,
        &Origin {
            file: name.to_owned(),
            position: Position::Pointer(pointer),
        },
        None,
        "expected an object",
    );
}

fn top_level(
    value: &Value,
    pointer: &str,
    name: &str,
    hint: Option<Table>,
    c: &mut Collector<'_>,
    rows: &mut Vec<FlatRow>,
) {
    let Value::Object(o) = value else {
        not_an_object(c, name, pointer.to_owned());
        return;
    };
    match hint.or_else(|| detect(o)) {
        Some(table) => flatten(o.clone(), table, pointer.to_owned(), c, name, rows),
        None => c.problem(
            Severity::Error,
            ProblemKind::Structure,
            &Origin { file: name.to_owned(), position: Position::Pointer(pointer.to_owned()) },
            None,
            "cannot tell which HSDS object this is (service, organization, location, service_at_location, taxonomy or taxonomy_term)",
        ),
    }
}

/// Which HSDS object a top-level JSON object is, from the fields only it has.
fn detect(o: &Map<String, Value>) -> Option<Table> {
    let has = |keys: &[&str]| keys.iter().any(|k| o.contains_key(*k));
    if has(&[
        "status",
        "service_at_locations",
        "service_areas",
        "cost_options",
        "required_documents",
        "program",
    ]) {
        Some(Table::Service)
    } else if has(&["location", "service"]) || (has(&["service_id"]) && has(&["location_id"])) {
        Some(Table::ServiceAtLocation)
    } else if has(&[
        "location_type",
        "addresses",
        "accessibility",
        "latitude",
        "longitude",
    ]) {
        Some(Table::Location)
    } else if has(&[
        "taxonomy_detail",
        "term_uri",
        "parent_id",
        "taxonomy_id",
        "code",
    ]) {
        Some(Table::TaxonomyTerm)
    } else if has(&[
        "website",
        "legal_status",
        "year_incorporated",
        "tax_status",
        "tax_id",
        "logo",
        "parent_organization_id",
        "organization_identifiers",
        "programs",
        "services",
        "locations",
    ]) {
        Some(Table::Organization)
    } else if has(&["version"]) {
        Some(Table::Taxonomy)
    } else {
        None
    }
}

/// Splits `fields` (an object of `table`) into its own row and its nested objects' rows.
fn flatten(
    mut fields: Map<String, Value>,
    table: Table,
    pointer: String,
    c: &mut Collector<'_>,
    name: &str,
    rows: &mut Vec<FlatRow>,
) {
    let parent_id = fields.get("id").cloned();
    let mut children = Vec::new();
    for nest in nests(table) {
        let Some(value) = fields.remove(nest.key) else {
            continue;
        };
        let at = format!("{pointer}/{}", nest.key);
        match (value, nest.many) {
            (Value::Null, _) => {}
            (Value::Array(items), true) => {
                for (i, item) in items.into_iter().enumerate() {
                    children.push((*nest, item, format!("{at}/{i}")));
                }
            }
            (Value::Object(child), false) => {
                if let Link::ParentHoldsChild(fk) = nest.link
                    && let Some(child_id) = child.get("id")
                {
                    fields.entry(fk).or_insert_with(|| child_id.clone());
                }
                children.push((*nest, Value::Object(child), at));
            }
            (_, true) => not_a(c, name, at, "a list"),
            (_, false) => not_a(c, name, at, "an object"),
        }
    }
    rows.push(FlatRow {
        table,
        pointer,
        fields,
    });

    for (nest, child, at) in children {
        let Value::Object(mut child) = child else {
            not_an_object(c, name, at);
            continue;
        };
        if let Some(parent_id) = &parent_id {
            let mut fill = |key: &str, value: Value| {
                if child.get(key).is_none_or(Value::is_null) {
                    child.insert(key.to_owned(), value);
                }
            };
            match nest.link {
                Link::ChildHoldsParent(fk) => fill(fk, parent_id.clone()),
                Link::ParentHoldsChild(_) => {}
                Link::Attribute => {
                    fill("link_id", parent_id.clone());
                    fill("link_entity", Value::String(table.name().to_owned()));
                }
                Link::Metadata => {
                    fill("resource_id", parent_id.clone());
                    fill("resource_type", Value::String(table.name().to_owned()));
                }
            }
        }
        flatten(child, nest.table, at, c, name, rows);
    }
}

fn not_a(c: &mut Collector<'_>, name: &str, pointer: String, what: &str) {
    c.problem(
        Severity::Error,
        ProblemKind::Structure,
        &Origin {
            file: name.to_owned(),
            position: Position::Pointer(pointer),
        },
        None,
        format!("expected {what}"),
    );
}

/// Merges the appearances of one record (same table and id) into the first, filling fields
/// the first lacks; a field given differently is a warning and the first value is kept.
fn merge(rows: Vec<FlatRow>, name: &str, c: &mut Collector<'_>) -> Vec<FlatRow> {
    let mut out: Vec<FlatRow> = Vec::with_capacity(rows.len());
    let mut first: HashMap<(Table, String), usize> = HashMap::new();
    for row in rows {
        let key = match row.fields.get("id") {
            Some(Value::String(id)) => Some((row.table, id.to_ascii_lowercase())),
            _ => None,
        };
        let Some(key) = key else {
            out.push(row);
            continue;
        };
        match first.get(&key).and_then(|&i| out.get_mut(i)) {
            None => {
                first.insert(key, out.len());
                out.push(row);
            }
            Some(kept) => {
                for (field, value) in row.fields {
                    match kept.fields.get(&field) {
                        None | Some(Value::Null) => {
                            kept.fields.insert(field, value);
                        }
                        Some(existing) if *existing == value || value.is_null() => {}
                        Some(_) => c.problem(
                            Severity::Warning,
                            ProblemKind::Conflict,
                            &Origin {
                                file: name.to_owned(),
                                position: Position::Pointer(row.pointer.clone()),
                            },
                            Some(&field),
                            format!(
                                "{} {} appears more than once with different values; the first (at {}) is kept",
                                row.table, key.1, display(&kept.pointer)
                            ),
                        ),
                    }
                }
            }
        }
    }
    out
}

fn display(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

/// Escapes a key for use in a JSON pointer (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
