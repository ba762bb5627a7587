//! `haven import hsds` and `haven export hsds`.

use std::path::Path;

use haven_hsds::import::Importer;
use haven_store::Store;
use indicatif::{ProgressBar, ProgressStyle};

use crate::Failure;

/// Imports a package or JSON file: all of it, or nothing if any row is invalid.
pub async fn import(store: &dyn Store, path: &Path) -> Result<(), Failure> {
    if !path.exists() {
        return Err(Failure::startup(format!(
            "{} does not exist",
            path.display()
        )));
    }
    let existing = store
        .dataset()
        .await
        .map_err(|e| Failure::runtime(e.to_string()))?;
    // A bar on a terminal only; indicatif draws nothing when stderr is not one.
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>24} [{bar:30}] {pos}/{len} rows")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut on_progress = |progress: haven_hsds::import::Progress<'_>| {
        if let Some(total) = progress.rows_total {
            bar.set_length(total);
        }
        bar.set_position(progress.rows_read);
        bar.set_message(progress.file.to_owned());
    };
    let imported = Importer::new()
        .known_ids(&existing)
        .on_progress(&mut on_progress)
        .read_package(path);
    bar.finish_and_clear();
    let report = imported.report;
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    if report.has_errors() {
        return Err(Failure::runtime(format!(
            "{} error(s) in {}: nothing was imported",
            report.errors().count(),
            path.display()
        )));
    }
    let dataset = imported.dataset;
    store.store_dataset(&dataset).await.map_err(|e| {
        Failure::runtime(format!(
            "storing the import failed, nothing was written: {e}"
        ))
    })?;
    println!(
        "imported {} organisation(s), {} service(s), {} location(s): {} record(s) in all, {} warning(s)",
        dataset.organization.len(),
        dataset.service.len(),
        dataset.location.len(),
        dataset.record_count(),
        report.warnings().count()
    );
    Ok(())
}

/// Writes the directory as a tabular package.
pub async fn export(
    store: &dyn Store,
    dir: &Path,
    public: bool,
    force: bool,
) -> Result<(), Failure> {
    if dir.join("datapackage.json").exists() && !force {
        return Err(Failure::startup(format!(
            "{} already holds a package: choose an empty folder or pass --force",
            dir.display()
        )));
    }
    let dataset = store
        .dataset()
        .await
        .map_err(|e| Failure::runtime(e.to_string()))?;
    let dataset = if public {
        haven_hsds::redact::public_dataset(&dataset)
    } else {
        dataset
    };
    haven_hsds::export::write_package(&dataset, dir)
        .map_err(|e| Failure::runtime(format!("writing {} failed: {e}", dir.display())))?;
    println!(
        "wrote {} record(s) to {}",
        dataset.record_count(),
        dir.display()
    );
    Ok(())
}
