//! The start-up part of `haven-bench search`: reading `--startup`, `--startup-database` and
//! `--haven`, and running [`haven_bench::startup`] after the search figures. A missing `haven`
//! binary is said (with how to build it), not an error, so the rest of a long run still counts.

use std::path::{Path, PathBuf};

use haven_bench::startup::{self, Database, Plan};

use super::SearchArgs;

/// `--startup`: service counts to measure start-up at, or none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sizes {
    /// `none`.
    None,
    /// Comma-separated counts.
    At(Vec<u64>),
}

/// Parses `--startup`: `none`, or comma-separated service counts (at least 1 each).
pub fn parse_sizes(value: &str) -> Result<Sizes, String> {
    if value.trim().eq_ignore_ascii_case("none") {
        return Ok(Sizes::None);
    }
    let sizes = value
        .split(',')
        .map(|part| match part.trim().parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!(
                "\"{}\" is not a number of services: write `none` or comma-separated counts, \
                 e.g. 100000,1000000",
                part.trim()
            )),
        })
        .collect::<Result<Vec<u64>, String>>()?;
    Ok(Sizes::At(sizes))
}

/// Parses `--startup-database`: an existing SQLite file, as a path or `sqlite://PATH`.
pub fn parse_database(value: &str) -> Result<PathBuf, String> {
    if value.starts_with("postgres://") || value.starts_with("postgresql://") {
        return Err(
            "only SQLite databases are measured: give a file (PATH or sqlite://PATH)".into(),
        );
    }
    let path = value
        .strip_prefix("sqlite://")
        .or_else(|| value.strip_prefix("sqlite:"))
        .unwrap_or(value);
    let path = PathBuf::from(path);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("{} is not a file", path.display()))
    }
}

/// Parses `--haven`: an existing file.
pub fn parse_haven(value: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(value);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{value} is not a file; build Haven with `cargo build --release -p haven`"
        ))
    }
}

/// What the start-up part will do.
#[derive(Debug)]
pub enum Intent {
    /// Nothing, and why.
    Skip(String),
    /// Measure these databases with this binary.
    Measure(PathBuf, Vec<Database>),
}

/// Decides from `args` (before the search figures, so a missing binary is said up front).
pub fn intent(args: &SearchArgs) -> Intent {
    let databases = match (&args.startup_database, &args.startup) {
        (Some(path), _) => vec![Database::Existing(path.clone())],
        (None, Some(Sizes::None)) => return Intent::Skip("--startup none".into()),
        (None, Some(Sizes::At(sizes))) => sizes.iter().map(|&n| generated(n, args.seed)).collect(),
        (None, None) => match args.sizes.iter().max() {
            Some(&n) => vec![generated(n as u64, args.seed)],
            None => return Intent::Skip("--sizes is empty".into()),
        },
    };
    match startup::locate(args.haven.as_deref()) {
        Ok(haven) => Intent::Measure(haven, databases),
        Err(missing) => Intent::Skip(missing.to_string()),
    }
}

fn generated(services: u64, seed: u64) -> Database {
    Database::Generated { services, seed }
}

/// "100000 services" or the database's path, for messages.
pub fn describe(database: &Database) -> String {
    match database {
        Database::Generated { services, .. } => format!("{services} services"),
        Database::Existing(path) => path.display().to_string(),
    }
}

/// Measures each database in turn; a failure is said and the others still run.
pub fn run(args: &SearchArgs, intent: &Intent, dir: &Path) -> anyhow::Result<()> {
    let (haven, databases) = match intent {
        Intent::Skip(why) => {
            println!("\nstart-up: not measured, because {why}");
            return Ok(());
        }
        Intent::Measure(haven, databases) => (haven, databases),
    };
    let mut failed = Vec::new();
    for database in databases {
        let what = describe(database);
        println!(
            "\n## start-up of `haven serve`, {what} (load average {})",
            haven_bench::system::load_average()
        );
        let plan = Plan {
            haven: haven.clone(),
            dir: dir.to_owned(),
            database: database.clone(),
            warm_runs: args.startup_warm,
        };
        if let Err(e) = startup::measure(&plan, &mut std::io::stdout()) {
            println!("  start-up: not measured, because {e:#}");
            failed.push(what);
        }
    }
    anyhow::ensure!(
        failed.is_empty(),
        "start-up was not measured for {}",
        failed.join(", ")
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        search: SearchArgs,
    }

    fn parse(args: &[&str]) -> Result<SearchArgs, String> {
        Cli::try_parse_from(std::iter::once("search").chain(args.iter().copied()))
            .map(|c| c.search)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_sizes("none"), Ok(Sizes::None));
        assert_eq!(parse_sizes("NONE"), Ok(Sizes::None));
        assert_eq!(parse_sizes("300"), Ok(Sizes::At(vec![300])));
        assert_eq!(
            parse_sizes("100000, 1000000"),
            Ok(Sizes::At(vec![100_000, 1_000_000]))
        );
        for bad in ["", "0", "-5", "1e6", "100000,,", "largest"] {
            assert!(parse_sizes(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_is_the_largest_size_and_none_skips() {
        let args = parse(&["--sizes", "10000,100000"]).unwrap();
        assert_eq!(args.startup, None);
        assert_eq!(args.startup_warm, 3);
        let args = parse(&["--haven", "/bin/sh", "--sizes", "1000,300"]).unwrap();
        match intent(&args) {
            Intent::Measure(haven, databases) => {
                assert_eq!(haven, PathBuf::from("/bin/sh"));
                assert!(matches!(
                    databases.as_slice(),
                    [Database::Generated {
                        services: 1000,
                        seed: 42
                    }]
                ));
            }
            other => panic!("{other:?}"),
        }
        let args = parse(&["--startup", "none"]).unwrap();
        assert_eq!(args.startup, Some(Sizes::None));
        assert!(matches!(intent(&args), Intent::Skip(why) if why == "--startup none"));
    }

    #[test]
    fn bad_values_name_the_argument() {
        let error = parse(&["--startup", "lots"]).unwrap_err();
        assert!(error.contains("--startup"), "{error}");
        assert!(
            error.contains("\"lots\" is not a number of services"),
            "{error}"
        );
        let error = parse(&["--startup-warm", "many"]).unwrap_err();
        assert!(error.contains("--startup-warm"), "{error}");
        let error = parse(&["--haven", "/no/such/haven"]).unwrap_err();
        assert!(error.contains("--haven"), "{error}");
        assert!(error.contains("cargo build --release -p haven"), "{error}");
        let error = parse(&["--startup-database", "sqlite:///no/such.db"]).unwrap_err();
        assert!(error.contains("--startup-database"), "{error}");
        assert!(error.contains("/no/such.db is not a file"), "{error}");
        let error = parse(&["--startup-database", "postgres://u@h/db"]).unwrap_err();
        assert!(error.contains("only SQLite"), "{error}");
    }

    #[test]
    fn a_database_replaces_the_sizes_and_excludes_startup() {
        let file = std::env::temp_dir().join(format!("haven-bench-arg-{}.db", std::process::id()));
        std::fs::write(&file, b"").unwrap();
        let url = format!("sqlite://{}", file.display());
        let args = parse(&["--startup-database", &url, "--haven", "/bin/sh"]).unwrap();
        assert!(matches!(
            intent(&args),
            Intent::Measure(_, databases) if matches!(databases.as_slice(), [Database::Existing(p)] if *p == file)
        ));
        let error = parse(&["--startup-database", &url, "--startup", "none"]).unwrap_err();
        assert!(error.contains("cannot be used with"), "{error}");
        std::fs::remove_file(&file).unwrap();
    }
}
