//! Property tests, gathered in one integration-test binary for the crate (faster links).

mod engine;
mod people;
mod solver;
