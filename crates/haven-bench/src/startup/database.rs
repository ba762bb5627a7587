//! The SQLite database start-up is measured on: one made with `haven generate` in the work
//! directory (`startup-N.db`, kept, and reused while it holds exactly what that command
//! writes), or one the caller names.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use haven_search::synthetic::{Generator, Geography};

use super::child::{self, Guard};
use super::server::tail;

/// Which database to serve.
#[derive(Debug, Clone)]
pub enum Database {
    /// `<dir>/startup-N.db`, made with `haven generate --services N --seed S` unless it already
    /// holds those services.
    Generated {
        /// Services.
        services: u64,
        /// The generator's seed.
        seed: u64,
    },
    /// An existing Haven SQLite file. The server writes to it as it would in production (its
    /// database id, the snapshot and a secret key file beside it); the cold start deletes the
    /// snapshot.
    Existing(PathBuf),
}

/// A database ready to serve.
#[derive(Debug, Clone)]
pub(crate) struct Ready {
    pub(crate) path: PathBuf,
    pub(crate) services: u64,
}

/// Generating a million services took 685–718 s on the 2-core benchmark machine under load;
/// the bound allows several times that before giving up.
fn generate_limit(services: u64) -> Duration {
    Duration::from_secs(600) + Duration::from_millis(services.saturating_mul(6))
}

/// Makes `database` ready in the (absolute) work directory `dir`, saying what it does.
pub(crate) fn prepare(
    haven: &Path,
    database: &Database,
    dir: &Path,
    out: &mut dyn Write,
) -> anyhow::Result<Ready> {
    match database {
        Database::Existing(path) => {
            let path = std::fs::canonicalize(path)
                .with_context(|| format!("--startup-database {}", path.display()))?;
            let services = stored_services(&path, None)
                .with_context(|| format!("{} is not a Haven database", path.display()))?
                .0;
            writeln!(out, "  database  {} ({services} services)", path.display())?;
            Ok(Ready { path, services })
        }
        &Database::Generated { services, seed } => {
            let path = dir.join(format!("startup-{services}.db"));
            let first = first_service(seed)?;
            if path.exists() {
                match stored_services(&path, Some(&first)) {
                    Ok((count, true)) if count == services => {
                        writeln!(
                            out,
                            "  database  {} reused ({services} services, seed {seed})",
                            path.display()
                        )?;
                        return Ok(Ready { path, services });
                    }
                    Ok((count, _)) => writeln!(
                        out,
                        "  database  {} holds {count} services, not the {services} of seed \
                         {seed}; making it again",
                        path.display()
                    )?,
                    Err(e) => writeln!(
                        out,
                        "  database  {} is unreadable ({e:#}); making it again",
                        path.display()
                    )?,
                }
            }
            generate(haven, &path, services, seed, dir, out)?;
            Ok(Ready { path, services })
        }
    }
}

/// Runs `haven generate` into a fresh `path`.
fn generate(
    haven: &Path,
    path: &Path,
    services: u64,
    seed: u64,
    dir: &Path,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    // The file and everything Haven keeps beside it: a stale snapshot or WAL must not outlive
    // the database it belonged to.
    for suffix in ["", "-wal", "-shm", ".directory", ".key"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("removing {}", file.display()));
            }
            _ => {}
        }
    }
    let log_path = PathBuf::from(format!("{}.generate.log", path.display()));
    let log =
        File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
    writeln!(
        out,
        "  database  generating {services} services (seed {seed}) into {} with `haven generate` \
         (about 11 minutes per million services on the 2-core benchmark machine)",
        path.display()
    )?;
    out.flush()?;
    let started = Instant::now();
    let mut command = Command::new(haven);
    child::without_haven_settings(&mut command)
        .arg("generate")
        .args([
            "--services",
            &services.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .args(["--database", &format!("sqlite://{}", path.display())])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    let mut child = Guard::spawn(&mut command)
        .with_context(|| format!("launching {} generate", haven.display()))?;
    let Some(status) = child.wait_until(started + generate_limit(services))? else {
        bail!(
            "haven generate did not finish within {} s; stopped it (log: {})",
            generate_limit(services).as_secs(),
            log_path.display()
        );
    };
    if !status.success() {
        let said = std::fs::read_to_string(&log_path).unwrap_or_default();
        bail!("haven generate failed ({status}):\n{}", tail(&said, 20));
    }
    writeln!(
        out,
        "  database  generated in {:.1} s",
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}

/// The id of the first service `haven generate --seed seed` writes, as stored.
fn first_service(seed: u64) -> anyhow::Result<String> {
    let geography = Geography::uk().context("reading the embedded gazetteer")?;
    let first = Generator::new(&geography, seed)
        .next()
        .context("the synthetic generator made no service")?;
    Ok(first.doc.id.to_string())
}

/// Services stored in the Haven database `path`, and whether the service `id` is one of them.
/// Opened read-only: nothing is written, even to a database someone else is still making.
fn stored_services(path: &Path, id: Option<&str>) -> anyhow::Result<(u64, bool)> {
    let db = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let count: i64 = db.query_row(
        "SELECT count(*) FROM hsds_records WHERE table_name = 'service'",
        [],
        |row| row.get(0),
    )?;
    let has = match id {
        Some(id) => db.query_row(
            "SELECT EXISTS (SELECT 1 FROM hsds_records WHERE table_name = 'service' AND id = ?1)",
            [id],
            |row| row.get(0),
        )?,
        None => false,
    };
    Ok((u64::try_from(count).unwrap_or(0), has))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generation_limit_is_generous_at_a_million() {
        assert!(generate_limit(1_000_000) >= Duration::from_secs(3 * 718));
        assert!(generate_limit(300) < Duration::from_secs(700));
    }

    #[test]
    fn a_file_that_is_not_a_haven_database_is_said_so() {
        let path = std::env::temp_dir().join(format!("haven-bench-notdb-{}", std::process::id()));
        std::fs::write(&path, b"not a database at all, just some text").unwrap();
        assert!(stored_services(&path, None).is_err());
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn the_first_service_depends_on_the_seed() {
        assert_eq!(first_service(7).unwrap(), first_service(7).unwrap());
        assert_ne!(first_service(7).unwrap(), first_service(8).unwrap());
    }
}
