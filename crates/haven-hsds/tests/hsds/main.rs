#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! haven-hsds integration tests (one binary: faster to link).

mod broken;
mod official;
mod redaction;
mod robustness;
mod round_trip;
mod schema_validation;

use std::path::PathBuf;

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn official() -> PathBuf {
    fixtures().join("hsds-official")
}
