//! `haven-bench`: benchmarks for Haven's engines, one subcommand per engine.

mod match_cmd;
mod rng;
mod search_cmd;

use clap::{Parser, Subcommand};

/// Benchmarks for Haven's engines against reference implementations.
#[derive(Debug, Parser)]
#[command(name = "haven-bench", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Mentoring matching engine against SciPy and OR-tools on generated sparse instances.
    Match(match_cmd::MatchArgs),
    /// Directory search index against SQLite FTS5 + R*Tree on a synthetic national directory.
    Search(search_cmd::SearchArgs),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Match(args) => match_cmd::run(&args),
        Command::Search(args) => search_cmd::run(&args),
    }
}
