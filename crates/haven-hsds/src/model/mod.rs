//! The HSDS 3.0 data model: typed records, the [`Table`] names, and [`Dataset`], a whole
//! package as flat tables (one `Vec` per table, like the tabular format).

mod dataset;
mod records;
mod table;
pub mod values;

use std::collections::BTreeMap;

pub use dataset::{Dataset, IdIndex, Record, UnknownTable};
pub use records::*;
pub use table::Table;
pub use values::{
    ClockTime, Email, Frequency, IsoDate, LocationType, ServiceStatus, Timestamp, Uri, ValueError,
    Weekday,
};

/// Fields HSDS does not define, kept as given so extensions survive a round trip. From a CSV
/// every value is a string; from JSON any value.
pub type Extensions = BTreeMap<String, serde_json::Value>;
