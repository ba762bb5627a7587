//! Tabular packages: `datapackage.json` (generated from [`crate::schema`]) and one CSV per
//! table, every HSDS table always present (header only when empty), extension columns after
//! HSDS's, unknown tables written back as read.

use std::collections::BTreeSet;
use std::io::{Seek, Write};
use std::path::Path;

use serde_json::{Map, Value, json};

use super::{ExportError, object};
use crate::model::{Dataset, Table};
use crate::schema::{self, Kind, Required, Target};

/// The table's records as JSON objects, in order.
fn records(dataset: &Dataset, table: Table) -> Vec<Map<String, Value>> {
    macro_rules! all {
        ($($variant:ident => $field:ident),*) => {
            match table { $(Table::$variant => dataset.$field.iter().map(object).collect(),)* }
        };
    }
    all!(
        Organization => organization, Program => program, Service => service,
        Attribute => attribute, ServiceAtLocation => service_at_location, Location => location,
        Phone => phone, Contact => contact, Address => address, Schedule => schedule,
        Funding => funding, ServiceArea => service_area, RequiredDocument => required_document,
        Language => language, Accessibility => accessibility, TaxonomyTerm => taxonomy_term,
        Metadata => metadata, MetaTableDescription => meta_table_description,
        CostOption => cost_option, OrganizationIdentifier => organization_identifier,
        Taxonomy => taxonomy
    )
}

/// HSDS's columns, then every extension column any record has (sorted).
fn columns(table: Table, rows: &[Map<String, Value>]) -> Vec<String> {
    let mut columns: Vec<String> = schema::fields(table)
        .iter()
        .map(|f| f.name.to_owned())
        .collect();
    let extensions: BTreeSet<&String> = rows
        .iter()
        .flat_map(|r| r.keys())
        .filter(|k| schema::field(table, k).is_none())
        .collect();
    columns.extend(extensions.into_iter().cloned());
    columns
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        // Rust prints f64 without exponent and round-trips exactly ("2011", "0.1").
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) if n.is_f64() => f.to_string(),
            _ => n.to_string(),
        },
        Some(other) => other.to_string(),
    }
}

/// Writes one table as CSV.
pub fn write_csv<W: Write>(dataset: &Dataset, table: Table, writer: W) -> Result<(), ExportError> {
    let rows = records(dataset, table);
    let columns = columns(table, &rows);
    let mut csv = csv::Writer::from_writer(writer);
    csv.write_record(&columns)?;
    for row in &rows {
        csv.write_record(columns.iter().map(|c| cell(row.get(c))))?;
    }
    csv.flush().map_err(csv::Error::from)?;
    Ok(())
}

fn write_unknown<W: Write>(
    table: &crate::model::UnknownTable,
    writer: W,
) -> Result<(), ExportError> {
    let mut csv = csv::Writer::from_writer(writer);
    csv.write_record(&table.columns)?;
    for row in &table.rows {
        csv.write_record(row)?;
    }
    csv.flush().map_err(csv::Error::from)?;
    Ok(())
}

fn field_descriptor(name: &str, kind: Kind, required: bool) -> Value {
    let (ty, format) = kind.datapackage_type();
    let mut field = json!({ "name": name, "type": ty, "constraints": { "required": required } });
    if let Some(format) = format {
        field["format"] = json!(format);
    }
    if let Kind::Enum(values) = kind {
        field["constraints"]["enum"] = json!(values);
    }
    if name == "id" {
        field["constraints"]["unique"] = json!(true);
    }
    field
}

/// The `datapackage.json` describing [`write_package`]'s output for `dataset`.
pub fn datapackage_json(dataset: &Dataset) -> Value {
    let mut resources = Vec::new();
    for table in Table::ALL {
        let rows = records(dataset, table);
        let mut fields = Vec::new();
        for name in columns(table, &rows) {
            fields.push(match schema::field(table, &name) {
                Some(spec) => {
                    field_descriptor(spec.name, spec.kind, spec.required != Required::Optional)
                }
                None => field_descriptor(&name, Kind::Text, false),
            });
        }
        let foreign_keys: Vec<Value> = schema::fields(table)
            .iter()
            .filter_map(|f| match f.reference?.target {
                Target::Table(t) => Some(json!({
                    "fields": f.name, "reference": { "resource": t.name(), "fields": "id" }
                })),
                Target::NamedBy(_) => None,
            })
            .collect();
        resources.push(json!({
            "name": table.name(),
            "path": table.file_name(),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": { "primaryKey": "id", "fields": fields, "foreignKeys": foreign_keys },
        }));
    }
    for table in &dataset.unknown_tables {
        let fields: Vec<Value> = table
            .columns
            .iter()
            .map(|c| json!({ "name": c, "type": "string" }))
            .collect();
        resources.push(json!({
            "name": table.name,
            "path": table.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "schema": { "fields": fields },
        }));
    }
    json!({
        "name": "human_services_data",
        "title": "Human Services Data Specification",
        "profile": "tabular-data-package",
        "version": "3.0.0",
        "resources": resources,
    })
}

/// Writes `dataset` as a tabular data package into `dir` (created if missing).
pub fn write_package(dataset: &Dataset, dir: &Path) -> Result<(), ExportError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| ExportError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let descriptor = dir.join("datapackage.json");
    let text = serde_json::to_vec_pretty(&datapackage_json(dataset))?;
    std::fs::write(&descriptor, text).map_err(io(&descriptor))?;
    for table in Table::ALL {
        let path = dir.join(table.file_name());
        let file = std::fs::File::create(&path).map_err(io(&path))?;
        write_csv(dataset, table, std::io::BufWriter::new(file))?;
    }
    for table in &dataset.unknown_tables {
        // Only a plain file name: an imported path may not be trusted to stay inside `dir`.
        let name = Path::new(&table.path).file_name().unwrap_or_default();
        let path = dir.join(name);
        let file = std::fs::File::create(&path).map_err(io(&path))?;
        write_unknown(table, std::io::BufWriter::new(file))?;
    }
    Ok(())
}

/// Writes `dataset` as a zipped tabular data package.
pub fn write_zip<W: Write + Seek>(dataset: &Dataset, writer: W) -> Result<(), ExportError> {
    let mut zip = zip::ZipWriter::new(writer);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("datapackage.json", options)?;
    serde_json::to_writer_pretty(&mut zip, &datapackage_json(dataset))?;
    for table in Table::ALL {
        zip.start_file(table.file_name(), options)?;
        write_csv(dataset, table, &mut zip)?;
    }
    for table in &dataset.unknown_tables {
        let name = table.path.rsplit('/').next().unwrap_or_default();
        zip.start_file(name, options)?;
        write_unknown(table, &mut zip)?;
    }
    zip.finish()?;
    Ok(())
}

/// The whole dataset in the tabular-as-JSON shape of the official `tabular.json`
/// (`{"organizations.csv": [...], ...}`); HSDS tables only.
pub fn tabular_json(dataset: &Dataset) -> Value {
    let mut out = Map::new();
    for table in Table::ALL {
        let rows: Vec<Value> = records(dataset, table)
            .into_iter()
            .map(Value::Object)
            .collect();
        out.insert(table.file_name().to_owned(), Value::Array(rows));
    }
    Value::Object(out)
}
