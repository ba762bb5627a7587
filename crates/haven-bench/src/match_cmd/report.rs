//! The benchmark's Markdown table: times, ratios against Haven, agreement and memory.

use super::generate::Spec;
use super::reference::Reference;

/// One instance's results.
#[derive(Debug)]
pub struct Row {
    /// What was generated.
    pub spec: Spec,
    /// Haven's result.
    pub haven: Reference,
    /// Each reference solver's result, in the order requested.
    pub references: Vec<Reference>,
}

impl Row {
    /// Whether every reference that produced an optimum agrees with Haven's.
    pub fn all_agree(&self) -> bool {
        self.references
            .iter()
            .filter(|r| r.status == "ok")
            .all(|r| self.agrees(r))
    }

    fn agrees(&self, r: &Reference) -> bool {
        r.cardinality == self.haven.cardinality && r.weight == self.haven.weight
    }
}

fn instance_label(spec: &Spec) -> String {
    format!(
        "{} × {}, {} cand., cap {}",
        spec.size,
        spec.size,
        spec.degree,
        spec.capacities.label()
    )
}

fn cell(haven: &Reference, r: &Reference) -> String {
    match (r.status.as_str(), r.seconds, haven.seconds) {
        ("ok", Some(t), Some(h)) if h > 0.0 => format!("{t:.3} s ({:.1}×)", t / h),
        ("ok", Some(t), _) => format!("{t:.3} s"),
        (status, _, _) => status.to_owned(),
    }
}

/// One line per finished instance, for watching a long run.
pub fn progress_line(row: &Row) -> String {
    let refs: Vec<String> = row
        .references
        .iter()
        .map(|r| {
            let extra = if r.status == "ok" {
                String::new()
            } else {
                format!(" [{}]", r.note)
            };
            format!("{} {}{extra}", r.solver, cell(&row.haven, r))
        })
        .collect();
    format!(
        "{}: haven {:.3} s, optimum ({}, {}); {}{}",
        instance_label(&row.spec),
        row.haven.seconds.unwrap_or(f64::NAN),
        row.haven.cardinality.unwrap_or(0),
        row.haven.weight.unwrap_or(0),
        refs.join("; "),
        if row.all_agree() {
            ""
        } else {
            "  OPTIMA DISAGREE"
        },
    )
}

/// The Markdown table: one row per instance, one column per solver (time and ratio to Haven).
pub fn table(rows: &[Row]) -> String {
    let solvers: Vec<String> = rows
        .first()
        .map(|r| r.references.iter().map(|x| x.solver.clone()).collect())
        .unwrap_or_default();
    let mut out = String::from("| instance | matched | score | Haven |");
    for s in &solvers {
        out.push_str(&format!(" {s} (× Haven) |"));
    }
    out.push_str(" same optimum | Haven peak RSS | reference peak RSS |\n|---|---:|---:|---:|");
    for _ in &solvers {
        out.push_str("---:|");
    }
    out.push_str("---|---:|---:|\n");
    for row in rows {
        let h = &row.haven;
        out.push_str(&format!(
            "| {} | {} | {} | {:.3} s |",
            instance_label(&row.spec),
            h.cardinality.unwrap_or(0),
            h.weight.unwrap_or(0),
            h.seconds.unwrap_or(f64::NAN)
        ));
        for r in &row.references {
            out.push_str(&format!(" {} |", cell(h, r)));
        }
        let checked = row.references.iter().filter(|r| r.status == "ok").count();
        let agree = if row.all_agree() {
            format!("yes ({checked} checked)")
        } else {
            "**NO**".into()
        };
        let rss: Vec<String> = row
            .references
            .iter()
            .filter_map(|r| r.peak_rss_mb.map(|m| format!("{}: {m:.0} MB", r.solver)))
            .collect();
        out.push_str(&format!(
            " {agree} | {:.0} MB | {} |\n",
            h.peak_rss_mb.unwrap_or(f64::NAN),
            rss.join(", ")
        ));
    }
    out
}
