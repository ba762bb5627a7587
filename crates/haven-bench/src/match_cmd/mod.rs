//! `haven-bench match`: generates seeded sparse instances, solves each with Haven's engine and,
//! in the same run, with the Python reference solvers on the same file; checks the optima agree
//! and prints times, ratios and memory as a Markdown table.

mod file;
mod generate;
mod reference;
mod report;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use generate::{Capacities, Spec};
use report::Row;

/// Options of `haven-bench match`.
#[derive(Debug, Args)]
pub struct MatchArgs {
    /// Mentees (and mentors) per instance, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,50000")]
    sizes: Vec<usize>,
    /// Candidate mentors per mentee, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "50,200")]
    degrees: Vec<usize>,
    /// Capacity modes, comma-separated: `1` (one-to-one) and/or `1-3`.
    #[arg(long, value_delimiter = ',', default_value = "1,1-3")]
    capacities: Vec<String>,
    /// Seed of the instance generator.
    #[arg(long, default_value_t = 20260601)]
    seed: u64,
    /// Scores are uniform in 1..=max-weight.
    #[arg(long, default_value_t = 1000)]
    max_weight: i64,
    /// Haven runs per instance; the fastest is reported.
    #[arg(long, default_value_t = 1)]
    runs: usize,
    /// Python interpreter for the reference script.
    #[arg(long, default_value = "python3")]
    python: String,
    /// The reference script.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/match_reference.py"))]
    script: PathBuf,
    /// Reference solvers to run, comma-separated (scipy, ortools-lsa, ortools-mcf); `none` for
    /// Haven alone.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "scipy,ortools-lsa,ortools-mcf"
    )]
    reference: Vec<String>,
    /// Where instance files are written.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Internal: solve one instance file with Haven and print one JSON line (used so that
    /// Haven's peak memory is measured in a process of its own, like each Python solver).
    #[arg(long, hide = true)]
    solve_file: Option<PathBuf>,
}

/// Runs the benchmark described by `args`.
pub fn run(args: &MatchArgs) -> anyhow::Result<()> {
    if let Some(path) = &args.solve_file {
        return solve_file(path, args.runs);
    }
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("haven-bench-match"));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let references: Vec<&str> = args
        .reference
        .iter()
        .map(String::as_str)
        .filter(|r| *r != "none")
        .collect();
    for r in &references {
        anyhow::ensure!(
            reference::SOLVERS.contains(r),
            "unknown reference solver {r}"
        );
    }
    let me = std::env::current_exe().context("locating haven-bench")?;
    let mut rows = Vec::new();
    for &size in &args.sizes {
        for &degree in &args.degrees {
            for mode in &args.capacities {
                let capacities = match mode.as_str() {
                    "1" => Capacities::One,
                    "1-3" => Capacities::OneToThree,
                    other => anyhow::bail!("unknown capacity mode {other} (use 1 or 1-3)"),
                };
                let spec = Spec {
                    size,
                    degree,
                    capacities,
                    max_weight: args.max_weight,
                    seed: args.seed,
                };
                let row = bench_one(&spec, &dir, &me, args, &references)?;
                eprintln!("{}", report::progress_line(&row));
                rows.push(row);
            }
        }
    }
    println!("{}", report::table(&rows));
    let mismatches = rows.iter().filter(|r| !r.all_agree()).count();
    anyhow::ensure!(
        mismatches == 0,
        "{mismatches} instance(s) where the optima disagree"
    );
    Ok(())
}

fn bench_one(
    spec: &Spec,
    dir: &Path,
    me: &Path,
    args: &MatchArgs,
    references: &[&str],
) -> anyhow::Result<Row> {
    let instance = generate::generate(spec);
    let name = format!(
        "n{}-d{}-c{}.bin",
        spec.size,
        spec.degree,
        spec.capacities.label()
    );
    let path = dir.join(name);
    file::write(&path, &instance)?;
    drop(instance);
    let output = std::process::Command::new(me)
        .arg("match")
        .arg("--solve-file")
        .arg(&path)
        .args(["--runs", &args.runs.to_string()])
        .output()
        .context("running haven-bench --solve-file")?;
    anyhow::ensure!(
        output.status.success(),
        "Haven failed on {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let haven: reference::Reference = serde_json::from_slice(&output.stdout)?;
    let refs = references
        .iter()
        .map(|s| reference::run(&args.python, &args.script, &path, s))
        .collect();
    Ok(Row {
        spec: *spec,
        haven,
        references: refs,
    })
}

/// Solves one file `runs` times with Haven and prints the result as the script would.
fn solve_file(path: &Path, runs: usize) -> anyhow::Result<()> {
    let instance = file::read(path)?;
    let problem = instance.to_problem()?;
    drop(instance);
    let mut best = f64::INFINITY;
    let mut solution = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let s = haven_match::solver::solve(&problem);
        best = best.min(start.elapsed().as_secs_f64());
        solution = Some(s);
    }
    let solution = solution.context("no run")?;
    let peak = haven_bench::system::peak_rss_bytes().map(|b| b as f64 / (1024.0 * 1024.0));
    let line = serde_json::json!({
        "solver": "haven",
        "status": "ok",
        "seconds": best,
        "cardinality": solution.cardinality,
        "weight": solution.total_weight,
        "peak_rss_mb": peak,
        "note": format!("input arrays {:.0} MB", problem.memory_bytes() as f64 / 1e6),
    });
    println!("{line}");
    Ok(())
}
