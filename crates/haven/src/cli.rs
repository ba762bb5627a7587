//! The command line: `haven serve`, `haven demo`, `haven migrate`, `haven backup`, `haven config`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Haven: find help, record casework and refer people safely.
///
/// Software for organisations that support migrants and refugees in the UK: a public directory
/// of services, casework and referrals with consent, mentoring and organising.
///
/// Start here: `haven demo` runs Haven with demonstration data and prints the address to open.
/// `haven serve` runs it on your own data (a SQLite file `haven.db` in this folder by default).
#[derive(Debug, Parser)]
#[command(
    name = "haven",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Every subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server.
    Serve(ServerArgs),
    /// Run the web server on a fresh database filled with demonstration data.
    ///
    /// Without --database, the demo database is `haven-demo.db` in this folder, emptied and
    /// refilled at every start. With --database, demonstration data is added to that database.
    Demo(ServerArgs),
    /// Apply database migrations, then exit.
    Migrate(DatabaseArgs),
    /// Write a consistent copy of a live SQLite database to PATH (for PostgreSQL, use pg_dump).
    Backup {
        /// Where to write the copy; must not exist yet.
        path: PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Work with the configuration file.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Read directory listings from an Open Referral HSDS 3 package or JSON file.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write the directory as an Open Referral HSDS 3 tabular package.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Write a synthetic UK-wide directory of N services into the database, for load tests.
    ///
    /// Realistic names, needs, languages, eligibility, places (weighted to where people live)
    /// and hours, as HSDS records with Haven's vocabulary; phone numbers from Ofcom's drama
    /// range. Ids come from the seed: the same command writes the same records again.
    Generate {
        /// How many services.
        #[arg(long, value_name = "N")]
        services: u64,
        /// Seed of the generator.
        #[arg(long, default_value_t = 20261122)]
        seed: u64,
        /// Services per transaction.
        #[arg(long, default_value_t = 10_000, hide = true)]
        batch: u64,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check and record the tamper-evident audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Mentoring programmes.
    #[command(subcommand)]
    Mentoring(MentoringCommand),
}

/// Subcommands of `haven mentoring`.
#[derive(Debug, Subcommand)]
pub enum MentoringCommand {
    /// E-mail each organisation's coordinators about mentors whose DBS checks stop being
    /// accepted within 30 or 7 days. Each reminder is sent once; `haven serve` also does this
    /// every six hours.
    Remind {
        #[command(flatten)]
        server: ServerArgs,
    },
}

/// Subcommands of `haven import`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import an HSDS 3 tabular package (a folder or .zip with datapackage.json and CSV files)
    /// or HSDS JSON (one service, or a list page). Records are added or replaced by id. If any
    /// row is invalid, nothing is written and every problem is listed with file, row and field.
    Hsds {
        /// The folder, .zip or .json file.
        path: PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Subcommands of `haven export`.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write every directory record as an HSDS 3 tabular package (datapackage.json and CSV
    /// files) into DIR.
    Hsds {
        /// The folder to write; created if missing.
        dir: PathBuf,
        /// Leave out what must never be published: addresses and precise points of confidential
        /// locations (refuges, safe houses). Use this for any copy that leaves your hands.
        #[arg(long)]
        public: bool,
        /// Write even if DIR already holds a package.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Subcommands of `haven user`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account and print a one-time set-up link (valid for 24 hours) where its owner
    /// chooses a password and a second factor.
    Create {
        /// The account runs the whole site: approves organisations, moderates listings.
        #[arg(long, required = true)]
        site_admin: bool,
        /// The person's e-mail address.
        email: String,
        #[command(flatten)]
        server: ServerArgs,
    },
}

/// Subcommands of `haven audit`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every audit chain; name the first entry that was edited, deleted or reordered.
    Verify(DatabaseArgs),
    /// Print the head of every audit chain, to keep somewhere else: a later `verify` plus these
    /// heads also catches a rewrite of a chain's whole tail.
    Checkpoint(DatabaseArgs),
}

/// Subcommands of `haven config`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print a commented example configuration file.
    Example,
    /// Print the configuration Haven would run with, after files, environment and flags.
    Show(ServerArgs),
}

/// Where the configuration and the database are.
#[derive(Debug, Args, Clone, Default)]
pub struct DatabaseArgs {
    /// A TOML configuration file (see `haven config example`).
    #[arg(long, env = "HAVEN_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Database URL: sqlite://PATH (default sqlite://haven.db) or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "HAVEN_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database: Option<String>,
}

/// Settings for the server.
#[derive(Debug, Args, Clone, Default)]
pub struct ServerArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Address and port to listen on (default 127.0.0.1:8080; port 0 picks a free port).
    #[arg(long, env = "HAVEN_LISTEN", value_name = "ADDR")]
    pub listen: Option<SocketAddr>,

    /// The address people use to reach Haven, for links in messages (default http://LISTEN).
    #[arg(long, env = "HAVEN_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// Log format: "text" for people, "json" for log collectors.
    #[arg(long, env = "HAVEN_LOG_FORMAT", value_name = "FORMAT")]
    pub log_format: Option<String>,

    /// File holding the key that seals second-factor secrets (64 hexadecimal digits). Default:
    /// HAVEN_SECRET_KEY, else a file beside the SQLite database, made at first start.
    #[arg(long, env = "HAVEN_SECRET_KEY_FILE", value_name = "FILE")]
    pub secret_key_file: Option<PathBuf>,
}
