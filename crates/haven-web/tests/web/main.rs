//! The HTTP layer in-process: every request goes through the real router and middleware,
//! against a real store (SQLite in a temp file; PostgreSQL too where a test says so).

// Test code: a failed unwrap is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod api_write;
mod directory;
mod harness;
mod invitations;
mod languages;
mod listings;
mod matrix;
mod mentoring;
mod mentoring_manage;
mod organisations;
mod public;
mod snapshot;
mod throttling;
