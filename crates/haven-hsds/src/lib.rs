//! Open Referral's Human Services Data Specification (HSDS) 3.0 for Haven.
//!
//! - [`model`]: one typed record per HSDS table and a [`Dataset`] holding a whole package as
//!   flat tables. Field names are exactly HSDS 3.0's. No database I/O here: storage crates
//!   persist these types.
//! - [`vocabulary`]: Haven's own taxonomies (needs, eligibility by immigration status, scope,
//!   the confidential-location flag) expressed as ordinary HSDS taxonomy terms and attributes,
//!   so every export stays valid HSDS.
//! - [`redact`]: the public view of a dataset, which never publishes a confidential address.
//! - [`import`]: tabular data packages (folder or .zip) and HSDS JSON, validated once at the
//!   edge into the model, with an [`ImportReport`](import::ImportReport) naming every problem.
//! - [`export`]: tabular packages and the HSDS API's JSON shapes.

pub mod export;
pub mod import;
pub mod model;
pub mod redact;
pub mod schema;
pub mod vocabulary;

pub use model::{Dataset, Table};
