//! Start-up of the real `haven serve`: the time from launching the binary to the first 200
//! from `GET /readyz`. Serve loads and indexes the whole directory before it listens, so this
//! is the wait an operator sees after a restart.
//!
//! On one SQLite database (see [`Database`]): a cold start first, with the directory snapshot
//! beside the database deleted so the server reads every stored record (a first start, or the
//! first after an import), then warm starts that read the snapshot the cold one wrote in the
//! background. Every wait is bounded and every child process is killed on every way out.

mod binary;
mod child;
mod database;
mod http;
mod logs;
mod server;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;

pub use binary::{Missing, beside, locate};
pub use database::Database;
pub use logs::{Source, Start};

use server::Server;

/// What to measure.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The `haven` binary.
    pub haven: PathBuf,
    /// Where generated databases and the servers' logs go (created if missing).
    pub dir: PathBuf,
    /// The database to serve.
    pub database: Database,
    /// Warm starts after the cold one.
    pub warm_runs: usize,
}

/// One start.
#[derive(Debug, Clone)]
pub struct Run {
    /// From launching the process to the first 200 from `/readyz`.
    pub ready: Duration,
    /// What the server logged about its start.
    pub start: Start,
    /// The server's peak resident memory when it was first ready (`VmHWM`).
    pub peak_rss: Option<u64>,
    /// The load average when it was ready.
    pub load: String,
}

/// Everything measured on one database.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The database served.
    pub database: PathBuf,
    /// Services in it.
    pub services: u64,
    /// The start without a snapshot.
    pub cold: Run,
    /// The starts with one; empty if no snapshot was saved.
    pub warm: Vec<Run>,
    /// Why there are fewer warm starts than planned.
    pub warm_skipped: Option<String>,
}

/// A start may take this long before the benchmark gives up: a cold start took 102 s at a
/// million services on the 2-core benchmark machine; this allows ten times that.
fn ready_limit(services: u64) -> Duration {
    Duration::from_secs(120) + Duration::from_millis(services)
}

/// Measures start-up as `plan` says, writing progress and the summary to `out`.
pub fn measure(plan: &Plan, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    std::fs::create_dir_all(&plan.dir)
        .with_context(|| format!("creating {}", plan.dir.display()))?;
    // Absolute, because the server runs in it and is given paths inside it.
    let dir = std::fs::canonicalize(&plan.dir)
        .with_context(|| format!("resolving {}", plan.dir.display()))?;
    writeln!(out, "  haven     {}", plan.haven.display())?;
    let db = database::prepare(&plan.haven, &plan.database, &dir, out)?;
    // One log per start, kept, so a figure can be explained afterwards.
    let log = |run: &str| dir.join(format!("{}.serve-{run}.log", file_name(&db.path)));
    let limit = ready_limit(db.services);

    let snapshot = PathBuf::from(format!("{}.directory", db.path.display()));
    match std::fs::remove_file(&snapshot) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(e).with_context(|| format!("removing {}", snapshot.display()));
        }
        _ => {}
    }
    let (cold, saved) = start_once(plan, &db.path, &dir, &log("cold"), limit, true)?;
    say(out, "cold", &cold)?;
    let mut warm = Vec::with_capacity(plan.warm_runs);
    let warm_skipped = match saved {
        Some(line) if line.contains(logs::SNAPSHOT_SAVED) => {
            for i in 1..=plan.warm_runs {
                let (run, _) = start_once(
                    plan,
                    &db.path,
                    &dir,
                    &log(&format!("warm-{i}")),
                    limit,
                    false,
                )?;
                say(out, &format!("warm {i}"), &run)?;
                warm.push(run);
            }
            None
        }
        Some(line) => Some(format!("the cold start saved no snapshot: {line}")),
        // None asked for.
        None => None,
    };
    let outcome = Outcome {
        database: db.path,
        services: db.services,
        cold,
        warm,
        warm_skipped,
    };
    writeln!(out, "{}", summary(&outcome))?;
    Ok(outcome)
}

/// Starts the server once and stops it. A cold start also waits until the snapshot is saved
/// (or said not to be), so the warm starts have it, and answers that log line.
fn start_once(
    plan: &Plan,
    database: &Path,
    dir: &Path,
    log: &Path,
    limit: Duration,
    cold: bool,
) -> anyhow::Result<(Run, Option<String>)> {
    let launched = Instant::now();
    let mut server = Server::start(&plan.haven, database, dir, log)?;
    server.wait_ready(launched + limit)?;
    let ready = launched.elapsed();
    let peak_rss = server.peak_rss();
    let load = crate::system::load_average();
    let saved = if cold && plan.warm_runs > 0 {
        Some(server.wait_for_log(
            &[logs::SNAPSHOT_SAVED, logs::SNAPSHOT_NOT_SAVED],
            Instant::now() + limit,
        )?)
    } else {
        None
    };
    let said = server.stop()?;
    let run = Run {
        ready,
        start: Start::read(&said),
        peak_rss,
        load,
    };
    Ok((run, saved))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || "database".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// One line per start.
fn say(out: &mut dyn Write, label: &str, run: &Run) -> std::io::Result<()> {
    let phases = [
        ("read", run.start.read),
        ("cards", run.start.cards),
        ("index", run.start.index),
        ("API records", run.start.records),
    ]
    .iter()
    .filter_map(|(name, d)| d.map(|d| format!("{name} {}", secs(d))))
    .collect::<Vec<_>>()
    .join(", ");
    let loaded = run
        .start
        .loaded
        .map(|d| format!("; loaded in {}: {phases}", secs(d)))
        .unwrap_or_default();
    writeln!(
        out,
        "  {label:<9} {} to /readyz 200 ({}{loaded}), peak RSS {}, load {}",
        secs(run.ready),
        run.start.source,
        mb(run.peak_rss),
        run.load
    )
}

/// The line that answers "how long does `haven serve` take to start".
pub fn summary(outcome: &Outcome) -> String {
    let cold = &outcome.cold;
    let mut line = format!(
        "  start-up  {} services: cold {} (peak RSS {}, load {})",
        outcome.services,
        secs(cold.ready),
        mb(cold.peak_rss),
        first_load(&cold.load)
    );
    let mut warm: Vec<Duration> = outcome.warm.iter().map(|r| r.ready).collect();
    warm.sort_unstable();
    match (warm.first(), median(&warm)) {
        (Some(min), Some(median)) => {
            let peak = outcome.warm.iter().filter_map(|r| r.peak_rss).max();
            let loads: Vec<&str> = outcome.warm.iter().map(|r| first_load(&r.load)).collect();
            line.push_str(&format!(
                "; warm min {} median {} of {} (peak RSS {}, load {})",
                secs(*min),
                secs(median),
                warm.len(),
                mb(peak),
                loads.join("/")
            ));
        }
        _ => line.push_str(&format!(
            "; warm not measured, because {}",
            outcome
                .warm_skipped
                .as_deref()
                .unwrap_or("no warm start was asked for")
        )),
    }
    if outcome
        .warm
        .iter()
        .any(|r| r.start.source != Source::Snapshot)
    {
        line.push_str("; NOTE: a warm start did not read the snapshot");
    }
    line
}

fn median(sorted: &[Duration]) -> Option<Duration> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2),
    }
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn mb(bytes: Option<u64>) -> String {
    bytes.map_or_else(
        || "unknown".to_owned(),
        |b| format!("{:.0} MB", b as f64 / 1e6),
    )
}

/// The 1-minute figure of a load average line.
fn first_load(load: &str) -> &str {
    load.split_whitespace().next().unwrap_or("unknown")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(ms: u64, source: Source) -> Run {
        Run {
            ready: Duration::from_millis(ms),
            start: Start {
                source,
                ..Start::read("")
            },
            peak_rss: Some(ms * 1_000_000),
            load: format!("{}.0 2.0 3.0", ms / 1000),
        }
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        let d = |ms| Duration::from_millis(ms);
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[d(1), d(2), d(9)]), Some(d(2)));
        assert_eq!(median(&[d(1), d(3)]), Some(d(2)));
    }

    #[test]
    fn the_summary_gives_cold_and_warm_with_memory_and_load() {
        let outcome = Outcome {
            database: PathBuf::from("startup-100.db"),
            services: 100,
            cold: run(7800, Source::Store),
            warm: vec![
                run(3600, Source::Snapshot),
                run(3400, Source::Snapshot),
                run(3500, Source::Snapshot),
            ],
            warm_skipped: None,
        };
        assert_eq!(
            summary(&outcome),
            "  start-up  100 services: cold 7.80 s (peak RSS 7800 MB, load 7.0); warm min 3.40 s \
             median 3.50 s of 3 (peak RSS 3600 MB, load 3.0/3.0/3.0)"
        );
    }

    #[test]
    fn the_summary_says_why_warm_starts_are_missing_or_suspect() {
        let mut outcome = Outcome {
            database: PathBuf::from("x.db"),
            services: 1,
            cold: run(100, Source::Store),
            warm: vec![],
            warm_skipped: Some("the cold start saved no snapshot".into()),
        };
        assert!(
            summary(&outcome)
                .ends_with("; warm not measured, because the cold start saved no snapshot"),
            "{}",
            summary(&outcome)
        );
        outcome.warm = vec![run(100, Source::Store)];
        assert!(summary(&outcome).contains("NOTE: a warm start did not read the snapshot"));
    }

    #[test]
    fn the_start_limit_is_generous_at_a_million() {
        assert!(ready_limit(1_000_000) >= Duration::from_secs(1000));
        assert_eq!(ready_limit(0), Duration::from_secs(120));
    }
}
