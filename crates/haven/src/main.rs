//! The `haven` command.

mod accounts;
mod backend;
mod cli;
mod config;
mod directory_io;
mod generate;
mod reminders;
mod secret_key;
mod serve;

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use haven_store::Store as _;
use tracing_subscriber::EnvFilter;

use crate::cli::{
    AuditCommand, Cli, Command, ConfigCommand, ExportCommand, ImportCommand, ServerArgs,
    UserCommand,
};
use crate::config::{Config, ConfigError, DatabaseUrl, LogFormat};

/// Why the command failed: configuration and start-up problems exit with 2, failures while
/// running with 1. Either way the message is one line, never a panic or a backtrace.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn startup(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }

    fn runtime(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Self::startup(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("haven: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("haven: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Serve(args) => serve(&args).await,
        Command::Demo(args) => demo(&args).await,
        Command::Migrate(args) => {
            let url = Config::database_only(&args)?;
            let store = backend::open(&url)
                .await
                .map_err(|e| Failure::startup(e.to_string()))?;
            store.close().await;
            println!("{}: migrations applied", url.redacted());
            Ok(())
        }
        Command::Backup { path, database } => {
            backup(&Config::database_only(&database)?, &path).await
        }
        Command::Config(ConfigCommand::Example) => {
            print!("{}", config::EXAMPLE);
            Ok(())
        }
        Command::User(UserCommand::Create {
            site_admin: _,
            email,
            server,
        }) => {
            let config = Config::for_server(&server)?;
            let store = backend::open(&config.database)
                .await
                .map_err(|e| Failure::startup(e.to_string()))?;
            let result =
                accounts::create_site_admin(store.as_ref(), &email, &config.public_url).await;
            store.close().await;
            result
        }
        Command::Import(ImportCommand::Hsds { path, database }) => {
            let store = open_store(&database).await?;
            let result = directory_io::import(store.as_ref(), &path).await;
            store.close().await;
            result
        }
        Command::Generate {
            services,
            seed,
            batch,
            database,
        } => {
            let store = open_store(&database).await?;
            let result = generate::generate(store.as_ref(), services, seed, batch).await;
            store.close().await;
            result
        }
        Command::Export(ExportCommand::Hsds {
            dir,
            public,
            force,
            database,
        }) => {
            let store = open_store(&database).await?;
            let result = directory_io::export(store.as_ref(), &dir, public, force).await;
            store.close().await;
            result
        }
        Command::Audit(command) => {
            let (AuditCommand::Verify(args) | AuditCommand::Checkpoint(args)) = &command;
            let url = Config::database_only(args)?;
            let store = backend::open(&url)
                .await
                .map_err(|e| Failure::startup(e.to_string()))?;
            let result = match command {
                AuditCommand::Verify(_) => accounts::verify(store.as_ref()).await,
                AuditCommand::Checkpoint(_) => accounts::checkpoint(store.as_ref()).await,
            };
            store.close().await;
            result
        }
        Command::Mentoring(cli::MentoringCommand::Remind { server }) => {
            let config = Config::for_server(&server)?;
            let store = backend::open(&config.database)
                .await
                .map_err(|e| Failure::startup(e.to_string()))?;
            let mailer = serve::mailer(&config)?;
            let catalog =
                haven_i18n::Catalog::load().map_err(|e| Failure::startup(e.to_string()))?;
            let result = reminders::send_due(
                store.as_ref(),
                mailer.as_ref(),
                &catalog,
                time::OffsetDateTime::now_utc(),
            )
            .await;
            store.close().await;
            let sent = result.map_err(|e| Failure::runtime(e.to_string()))?;
            println!("{sent} DBS reminders sent");
            Ok(())
        }
        Command::Config(ConfigCommand::Show(args)) => {
            print!("{}", Config::for_server(&args)?.describe());
            Ok(())
        }
    }
}

async fn open_store(
    args: &cli::DatabaseArgs,
) -> Result<std::sync::Arc<dyn haven_store::Store>, Failure> {
    let url = Config::database_only(args)?;
    backend::open(&url)
        .await
        .map_err(|e| Failure::startup(e.to_string()))
}

fn init_logging(format: LogFormat) {
    // sqlx logs every statement at info; that is noise for an operator.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    // Colour codes only for a person at a terminal; never in files or log collectors.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn serve(args: &ServerArgs) -> Result<(), Failure> {
    let config = Config::for_server(args)?;
    init_logging(config.log_format);
    let store = backend::open(&config.database)
        .await
        .map_err(|e| Failure::startup(e.to_string()))?;
    serve::run(&config, store, "Haven is listening on").await
}

async fn demo(args: &ServerArgs) -> Result<(), Failure> {
    let mut config = Config::for_server(args)?;
    init_logging(config.log_format);
    if args.database.database.is_none() {
        // The default demo database is rebuilt at every start, so it is always the fresh set.
        let path = Path::new("haven-demo.db").to_owned();
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{}{suffix}", path.display());
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Failure::startup(format!("cannot reset {file}: {e}"))),
            }
        }
        config.database = DatabaseUrl::Sqlite(path);
    }
    let store = backend::open(&config.database)
        .await
        .map_err(|e| Failure::startup(e.to_string()))?;
    haven_demo::load(store.as_ref())
        .await
        .map_err(|e| Failure::startup(format!("loading demo data: {e}")))?;
    serve::run(&config, store, "Haven (demo data) is running: open").await
}

async fn backup(url: &DatabaseUrl, target: &Path) -> Result<(), Failure> {
    let DatabaseUrl::Sqlite(path) = url else {
        return Err(Failure::startup(
            "backup copies SQLite databases; for PostgreSQL use pg_dump (e.g. pg_dump -Fc -f haven.dump DATABASE_URL)",
        ));
    };
    if !path.exists() {
        return Err(Failure::startup(format!(
            "there is no database at {}",
            path.display()
        )));
    }
    if target.exists() {
        return Err(Failure::startup(format!(
            "{} already exists: choose a new file",
            target.display()
        )));
    }
    let store = haven_store_sqlite::SqliteStore::connect(path)
        .await
        .map_err(|e| Failure::startup(e.to_string()))?;
    store
        .backup_to(target)
        .await
        .map_err(|e| Failure::runtime(format!("backup to {} failed: {e}", target.display())))?;
    store.close().await;
    println!("backed up {} to {}", path.display(), target.display());
    Ok(())
}
