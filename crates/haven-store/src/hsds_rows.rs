//! HSDS records as stored rows, and the projections Haven's own tables keep of them. Shared by
//! both backends so they agree on what is stored.

use haven_domain::directory::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};
use haven_hsds::model::{Organization, Service};
use haven_hsds::{Dataset, Table};
use uuid::Uuid;

use crate::StoreError;
use crate::rows::{OrganisationRow, ServiceRow};

/// The table name under which tables HSDS does not define are kept, whole.
pub const UNKNOWN_TABLE: &str = "_unknown";

/// A stored record: table, id, JSON text.
#[derive(Debug, Clone)]
pub struct RecordRow {
    pub table: &'static str,
    pub id: Uuid,
    pub body: String,
}

/// Every record of `dataset` as rows.
pub fn record_rows(dataset: &Dataset) -> Result<Vec<RecordRow>, StoreError> {
    let mut rows: Vec<RecordRow> = dataset
        .records_json()
        .map_err(|e| StoreError::Other(format!("encoding HSDS records: {e}")))?
        .into_iter()
        .map(|(table, id, value)| RecordRow {
            table: table.name(),
            id,
            body: value.to_string(),
        })
        .collect();
    for unknown in &dataset.unknown_tables {
        let body = serde_json::to_string(unknown)
            .map_err(|e| StoreError::Other(format!("encoding table {}: {e}", unknown.name)))?;
        rows.push(RecordRow {
            table: UNKNOWN_TABLE,
            id: Uuid::new_v5(&Uuid::NAMESPACE_OID, unknown.name.as_bytes()),
            body,
        });
    }
    Ok(rows)
}

/// Adds a stored table HSDS does not define (an [`UNKNOWN_TABLE`] row) back into a dataset.
fn push_unknown_table(dataset: &mut Dataset, body: &str) -> Result<(), StoreError> {
    let unknown = serde_json::from_str(body).map_err(|e| StoreError::corrupt("HSDS table", e))?;
    dataset.unknown_tables.push(unknown);
    Ok(())
}

/// Adds one stored row back into a dataset, parsing the JSON text straight into its record.
pub fn push_row_str(dataset: &mut Dataset, table: &str, body: &str) -> Result<(), StoreError> {
    if table == UNKNOWN_TABLE {
        return push_unknown_table(dataset, body);
    }
    let table =
        Table::from_name(table).ok_or_else(|| StoreError::corrupt("HSDS table name", table))?;
    dataset
        .push_json_str(table, body)
        .map_err(|e| StoreError::corrupt("HSDS record", e))
}

/// A dataset from stored rows `(table, body)`, in their order. The JSON is parsed on every
/// core (at a million services it is most of the loading time); the order is kept because
/// each thread parses a contiguous slice and the slices are joined in order.
pub fn dataset_from_rows<T, B>(rows: &[(T, B)]) -> Result<Dataset, StoreError>
where
    T: AsRef<str> + Sync,
    B: AsRef<str> + Sync,
{
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    // Small directories are not worth a thread.
    let chunk = rows.len().div_ceil(threads).max(4096);
    let parse = |slice: &[(T, B)]| -> Result<Dataset, StoreError> {
        let mut dataset = Dataset::new();
        for (table, body) in slice {
            push_row_str(&mut dataset, table.as_ref(), body.as_ref())?;
        }
        Ok(dataset)
    };
    let parts: Vec<Result<Dataset, StoreError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .map(|slice| scope.spawn(move || parse(slice)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(StoreError::Other("a parsing thread failed".into())))
            })
            .collect()
    });
    let mut dataset = Dataset::new();
    for part in parts {
        dataset.extend(part?);
    }
    Ok(dataset)
}

fn clip(text: &str, max: usize) -> String {
    text.trim().chars().take(max).collect()
}

/// The `organizations` projection of an HSDS organisation.
pub fn organisation_projection(dataset: &Dataset, o: &Organization) -> OrganisationRow {
    let scope = haven_hsds::vocabulary::scope_of(dataset, o.id)
        .map_or("local", haven_hsds::vocabulary::Term::code);
    let description = if o.description.trim().is_empty() {
        &o.name
    } else {
        &o.description
    };
    OrganisationRow {
        id: o.id,
        name: clip(&o.name, MAX_NAME_CHARS),
        description: clip(description, MAX_DESCRIPTION_CHARS),
        scope: scope.to_owned(),
        town: None,
        website: o.website.as_ref().map(|w| clip(w.as_str(), MAX_NAME_CHARS)),
    }
}

/// The `services` projection of an HSDS service, if it names its organisation.
pub fn service_projection(s: &Service) -> Option<ServiceRow> {
    Some(ServiceRow {
        id: s.id,
        organization_id: s.organization_id?,
        name: clip(&s.name, MAX_NAME_CHARS),
        description: clip(
            s.description.as_deref().unwrap_or(&s.name),
            MAX_DESCRIPTION_CHARS,
        ),
        status: s.status.as_str().to_owned(),
    })
}
