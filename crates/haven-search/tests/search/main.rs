#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Behaviour of the whole index through its public API. One test binary, split by concern.

mod behaviour;
mod oracle;
mod properties;
