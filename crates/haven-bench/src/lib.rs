//! The parts of `haven-bench` that Haven's own tests also drive. `startup` launches the real
//! `haven serve` binary, and only the `haven` crate's tests can name that binary reliably
//! (`CARGO_BIN_EXE_haven`), so `crates/haven/tests/cli.rs` runs it end to end from there.

pub mod startup;
pub mod system;
