//! Writing HSDS: tabular packages (`datapackage.json` + one CSV per table, to a folder or a
//! zip) and the JSON shapes of the HSDS 3.0 API (`service_full`, `organization_full`,
//! `service_at_location_full`, taxonomy, taxonomy_term, list pages).
//!
//! For anything the public sees, export [`crate::redact::public_dataset`], not the stored
//! dataset.

mod json;
mod neighbourhood;
mod page;
mod tabular;

pub use json::{
    location_full, organization_full, organization_list, service_at_location_full,
    service_at_location_list, service_full, service_list, service_minimal, taxonomy, taxonomy_term,
};
pub use neighbourhood::Neighbourhoods;
pub use page::Page;
pub use tabular::{datapackage_json, tabular_json, write_csv, write_package, write_zip};

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write the zip archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Serialises a record into its JSON object (absent fields are left out, as HSDS wants).
pub(crate) fn object<T: serde::Serialize>(
    record: &T,
) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(record) {
        Ok(serde_json::Value::Object(map)) => map,
        // Records are structs of strings, numbers and maps: they always serialise to objects.
        _ => serde_json::Map::new(),
    }
}
