//! Runs one reference solver (the Python script) on an instance file, one process per solver so
//! each reports its own peak memory.

use std::path::Path;
use std::process::Command;

use serde::Deserialize;

/// The reference solvers the script knows.
pub const SOLVERS: [&str; 3] = ["scipy", "ortools-lsa", "ortools-mcf"];

/// One solver's answer, as printed by the script.
#[derive(Debug, Clone, Deserialize)]
pub struct Reference {
    /// Solver name.
    pub solver: String,
    /// `ok`, `missing` (package not installed), `skipped` (instance not supported) or `error`.
    pub status: String,
    /// Solve time, excluding input building.
    pub seconds: Option<f64>,
    /// Matched mentees in the solver's optimum.
    pub cardinality: Option<u64>,
    /// Total score of the solver's optimum.
    pub weight: Option<i64>,
    /// Peak resident memory of the solver's process.
    pub peak_rss_mb: Option<f64>,
    /// Anything the script wants to say.
    #[serde(default)]
    pub note: String,
}

/// Runs `solver` on `instance`. Failures to run Python become an `error` status, never a panic,
/// so one broken reference does not hide the others.
pub fn run(python: &str, script: &Path, instance: &Path, solver: &str) -> Reference {
    let failed = |note: String| Reference {
        solver: solver.to_owned(),
        status: "error".into(),
        seconds: None,
        cardinality: None,
        weight: None,
        peak_rss_mb: None,
        note,
    };
    let output = match Command::new(python)
        .arg(script)
        .arg(instance)
        .args(["--solver", solver])
        .output()
    {
        Ok(output) => output,
        Err(e) => return failed(format!("could not run {python}: {e}")),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    match serde_json::from_str(last) {
        Ok(reference) => reference,
        Err(_) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let tail: String = stderr.lines().rev().take(3).collect::<Vec<_>>().join(" | ");
            failed(format!("script failed ({}): {tail}", output.status))
        }
    }
}
