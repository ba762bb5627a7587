//! Configuration, layered: built-in defaults, then a TOML file, then environment variables,
//! then command-line flags (clap reads the last two). Validated once, at start-up, into
//! [`Config`]; nothing reads configuration after that.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::cli::{DatabaseArgs, ServerArgs};

/// A configuration problem, reported as one line and exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read the configuration file {path}: {source}")]
    Unreadable {
        /// File.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has unknown or mistyped keys.
    #[error("the configuration file {path} is not valid: {message}")]
    Invalid {
        /// File.
        path: PathBuf,
        /// What and where, on one line.
        message: String,
    },
    /// A value is out of range or malformed.
    #[error("{setting}: {message}")]
    Value {
        /// The setting's name.
        setting: &'static str,
        /// What is wrong.
        message: String,
    },
}

/// The TOML file's shape. Unknown keys are errors, so a typo is not silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    listen: Option<SocketAddr>,
    log_format: Option<String>,
    request_timeout_seconds: Option<u64>,
    body_limit_bytes: Option<usize>,
    secure_cookies: Option<bool>,
    public_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    outbox_dir: Option<PathBuf>,
    secret_key_file: Option<PathBuf>,
    previous_secret_key_files: Option<Vec<PathBuf>>,
    trusted_proxies: Option<Vec<String>>,
    directory_snapshot_dir: Option<PathBuf>,
}

/// Which database, chosen once from the URL's scheme.
#[derive(Debug, Clone)]
pub enum DatabaseUrl {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL server; the URL may hold a password, so it is kept secret.
    Postgres(SecretString),
}

impl DatabaseUrl {
    /// Parses `sqlite://PATH` or `postgres://...` / `postgresql://...`.
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(SecretString::from(url.to_owned())));
        }
        if url.starts_with("sqlite:") {
            return haven_store_sqlite::SqliteStore::path_from_url(url)
                .map(Self::Sqlite)
                .ok_or(ConfigError::Value {
                    setting: "database",
                    message: format!(
                        "{url} names no file; write sqlite://PATH, e.g. sqlite://haven.db"
                    ),
                });
        }
        let scheme = url.split_once("://").map_or(url, |(scheme, _)| scheme);
        Err(ConfigError::Value {
            setting: "database",
            message: format!(
                "unknown database URL scheme \"{scheme}\": use sqlite://PATH or postgres://USER@HOST/DATABASE"
            ),
        })
    }

    /// For messages: the file, or the server without its password.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(url) => redact_password(url.expose_secret()),
        }
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "postgres://…".to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:…@{host}")
        }
        None => format!("{scheme}://{rest}"),
    }
}

/// Where the key that seals second-factor secrets comes from.
#[derive(Debug, Clone)]
pub enum SecretKeySetting {
    /// `HAVEN_SECRET_KEY`: the key itself, in hexadecimal.
    Given(SecretString),
    /// A file named by `secret_key_file` / `HAVEN_SECRET_KEY_FILE` / `--secret-key-file`; it
    /// must exist.
    File(PathBuf),
    /// Nothing configured, SQLite: a file beside the database, made at first start.
    BesideDatabase(PathBuf),
    /// Nothing configured, PostgreSQL: several processes must share one key, so Haven will not
    /// make one up.
    Missing,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable.
    Text,
    /// One JSON object per line.
    Json,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The database.
    pub database: DatabaseUrl,
    /// Where to listen.
    pub listen: SocketAddr,
    /// Log format.
    pub log_format: LogFormat,
    /// Per-request time limit.
    pub request_timeout: Duration,
    /// Largest request body.
    pub body_limit_bytes: usize,
    /// Mark cookies `Secure`.
    pub secure_cookies: bool,
    /// Where people reach Haven, without a trailing slash.
    pub public_url: String,
    /// SMTP server for outgoing mail; `None` writes mail to `outbox_dir`.
    pub smtp_url: Option<SecretString>,
    /// The sender of Haven's messages.
    pub mail_from: String,
    /// Where messages go when there is no SMTP server.
    pub outbox_dir: PathBuf,
    /// The key that seals second-factor secrets at rest.
    pub secret_key: SecretKeySetting,
    /// Keys used before `secret_key`: secrets sealed with them still open, and are resealed
    /// with the current key at start-up.
    pub previous_secret_key_files: Vec<PathBuf>,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Where the start-up snapshot of the public directory is kept: beside a SQLite database
    /// unless configured; on PostgreSQL only when a directory is configured.
    pub directory_snapshot: Option<PathBuf>,
}

/// An environment variable that is set to something other than white space.
fn env_set(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A file beside the SQLite database: its name with `suffix` added (`haven.db.key`).
fn beside(database: &Path, suffix: &str) -> PathBuf {
    let mut name = database.file_name().unwrap_or_default().to_owned();
    name.push(suffix);
    database.with_file_name(name)
}

/// Reads `trusted_proxies` entries: an address (`127.0.0.1`, `::1`) or a network
/// (`10.0.0.0/8`); the first that is neither is named.
fn parse_proxies<'a>(
    entries: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    entries
        .into_iter()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|entry| {
            entry
                .parse::<ipnet::IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| ConfigError::Value {
                    setting: "trusted_proxies",
                    message: format!(
                        "\"{entry}\" is not an IP address or network (e.g. 127.0.0.1 or 10.0.0.0/8)"
                    ),
                })
        })
        .collect()
}

const DEFAULT_DATABASE: &str = "sqlite://haven.db";
const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

fn read_file(path: Option<&Path>) -> Result<FileConfig, ConfigError> {
    let Some(path) = path else {
        return Ok(FileConfig::default());
    };
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Unreadable {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Invalid {
        path: path.to_owned(),
        message: one_line_toml_error(&text, &e),
    })
}

/// toml's errors span several lines with a source excerpt; a start-up error is one line.
fn one_line_toml_error(text: &str, error: &toml::de::Error) -> String {
    let message = error
        .message()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    match error.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

impl Config {
    /// Database settings only (for `migrate` and `backup`).
    pub fn database_only(args: &DatabaseArgs) -> Result<DatabaseUrl, ConfigError> {
        let file = read_file(args.config.as_deref())?;
        let url = args
            .database
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| DEFAULT_DATABASE.to_owned());
        DatabaseUrl::parse(&url)
    }

    /// Everything the server needs.
    pub fn for_server(args: &ServerArgs) -> Result<Self, ConfigError> {
        let file = read_file(args.database.config.as_deref())?;
        let database = DatabaseUrl::parse(
            &args
                .database
                .database
                .clone()
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE.to_owned()),
        )?;
        let listen = match args.listen.or(file.listen) {
            Some(listen) => listen,
            None => DEFAULT_LISTEN.parse().map_err(|_| ConfigError::Value {
                setting: "listen",
                message: "the built-in default is not an address".to_owned(),
            })?,
        };
        let log_format = match args
            .log_format
            .as_deref()
            .or(file.log_format.as_deref())
            .unwrap_or("text")
        {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(ConfigError::Value {
                    setting: "log_format",
                    message: format!("\"{other}\" is not a log format: use \"text\" or \"json\""),
                });
            }
        };
        let timeout = file.request_timeout_seconds.unwrap_or(30);
        if !(1..=3600).contains(&timeout) {
            return Err(ConfigError::Value {
                setting: "request_timeout_seconds",
                message: format!("{timeout} is outside 1 to 3600"),
            });
        }
        let body_limit_bytes = file.body_limit_bytes.unwrap_or(1024 * 1024);
        if !(1024..=1024 * 1024 * 1024).contains(&body_limit_bytes) {
            return Err(ConfigError::Value {
                setting: "body_limit_bytes",
                message: format!("{body_limit_bytes} is outside 1 KiB to 1 GiB"),
            });
        }
        let public_url = args
            .public_url
            .clone()
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{listen}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Value {
                setting: "public_url",
                message: format!("\"{public_url}\" must start with http:// or https://"),
            });
        }
        let public_url = public_url.trim_end_matches('/').to_owned();
        let smtp_url = env_set("HAVEN_SMTP_URL")
            .or(file.smtp_url)
            .map(SecretString::from);
        let secret_key = match (
            env_set("HAVEN_SECRET_KEY"),
            args.secret_key_file.clone().or(file.secret_key_file),
            &database,
        ) {
            (Some(key), _, _) => SecretKeySetting::Given(SecretString::from(key)),
            (None, Some(path), _) => SecretKeySetting::File(path),
            (None, None, DatabaseUrl::Sqlite(path)) => {
                SecretKeySetting::BesideDatabase(beside(path, ".key"))
            }
            (None, None, DatabaseUrl::Postgres(_)) => SecretKeySetting::Missing,
        };
        let trusted_proxies = match env_set("HAVEN_TRUSTED_PROXIES") {
            Some(list) => parse_proxies(list.split(','))?,
            None => parse_proxies(file.trusted_proxies.iter().flatten().map(String::as_str))?,
        };
        let directory_snapshot = match (
            env_set("HAVEN_DIRECTORY_SNAPSHOT_DIR")
                .map(PathBuf::from)
                .or(file.directory_snapshot_dir),
            &database,
        ) {
            (Some(dir), _) => Some(dir.join("haven.directory")),
            (None, DatabaseUrl::Sqlite(path)) => Some(beside(path, ".directory")),
            (None, DatabaseUrl::Postgres(_)) => None,
        };
        Ok(Self {
            directory_snapshot,
            trusted_proxies,
            previous_secret_key_files: file.previous_secret_key_files.unwrap_or_default(),
            secret_key,
            smtp_url,
            mail_from: file
                .mail_from
                .unwrap_or_else(|| "Haven <haven@localhost>".to_owned()),
            outbox_dir: file
                .outbox_dir
                .unwrap_or_else(|| PathBuf::from("haven-outbox")),
            public_url,
            database,
            listen,
            log_format,
            request_timeout: Duration::from_secs(timeout),
            body_limit_bytes,
            secure_cookies: file.secure_cookies.unwrap_or(false),
        })
    }

    /// The configuration as a TOML file would say it, with the database password hidden.
    pub fn describe(&self) -> String {
        let key = match &self.secret_key {
            SecretKeySetting::Given(_) => "# secret key: from HAVEN_SECRET_KEY".to_owned(),
            SecretKeySetting::File(path) | SecretKeySetting::BesideDatabase(path) => {
                format!("secret_key_file = \"{}\"", path.display())
            }
            SecretKeySetting::Missing => "# secret key: not configured".to_owned(),
        };
        let key = if self.previous_secret_key_files.is_empty() {
            key
        } else {
            let files: Vec<String> = self
                .previous_secret_key_files
                .iter()
                .map(|p| format!("\"{}\"", p.display()))
                .collect();
            format!("{key}\nprevious_secret_key_files = [{}]", files.join(", "))
        };
        let proxies: Vec<String> = self
            .trusted_proxies
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect();
        format!(
            "database_url = \"{}\"\nlisten = \"{}\"\npublic_url = \"{}\"\nlog_format = \"{}\"\nrequest_timeout_seconds = {}\nbody_limit_bytes = {}\nsecure_cookies = {}\ntrusted_proxies = [{}]\n{key}\n",
            self.database.redacted(),
            self.listen,
            self.public_url,
            match self.log_format {
                LogFormat::Text => "text",
                LogFormat::Json => "json",
            },
            self.request_timeout.as_secs(),
            self.body_limit_bytes,
            self.secure_cookies,
            proxies.join(", "),
        )
    }
}

/// `haven config example`.
pub const EXAMPLE: &str = r#"# Haven configuration file. Pass it with `haven serve --config haven.toml`
# (or HAVEN_CONFIG=haven.toml). Every setting is optional; shown values are the defaults.
# Environment variables override this file, and command-line flags override both.

# Where Haven keeps its data. sqlite://PATH is a file next to Haven, for a single server.
# postgres://USER:PASSWORD@HOST:5432/DATABASE shares one database between several Haven
# processes. Environment: HAVEN_DATABASE_URL. Flag: --database.
database_url = "sqlite://haven.db"

# The address people use to reach Haven, used in links that Haven sends (set-up links,
# invitations). Defaults to http:// and the listen address. Environment: HAVEN_PUBLIC_URL.
# public_url = "https://haven.example.org"

# Outgoing e-mail (invitations, password resets, sign-in alerts). Without an SMTP server,
# messages are written as .eml files to outbox_dir and the log says where.
# smtp_url = "smtps://USER:PASSWORD@mail.example.org:465"   (environment: HAVEN_SMTP_URL)
# mail_from = "Haven <haven@example.org>"
# outbox_dir = "haven-outbox"

# The key that seals second-factor (TOTP) secrets in the database: 64 hexadecimal digits in a
# file readable only by Haven (make one with `openssl rand -hex 32 > haven.key; chmod 600
# haven.key`). Or put the key itself in the environment variable HAVEN_SECRET_KEY.
# With neither, on SQLite Haven makes one at first start beside the database (haven.db.key,
# permissions 0600) and logs where; on PostgreSQL it refuses to start, because every Haven
# process sharing the database needs the same key. Back the key up apart from the database:
# without it nobody can sign in with their authenticator app (recovery codes still work).
# Environment: HAVEN_SECRET_KEY_FILE. Flag: --secret-key-file.
# secret_key_file = "/etc/haven/secret.key"

# To change the key: make a new one, name the old file here and the new one above, and start
# Haven; it reseals every secret with the new key. Once it has, the old file can go.
# previous_secret_key_files = ["/etc/haven/secret-2026.key"]

# Where `haven serve` keeps a checked copy of the public directory so that a restart need not
# re-read every listing (a cache: rebuilt when missing, damaged or out of date). On SQLite it
# is haven.db.directory beside the database unless set; on PostgreSQL it is only kept when a
# directory is set here. Environment: HAVEN_DIRECTORY_SNAPSHOT_DIR.
# directory_snapshot_dir = "/var/cache/haven"

# The address and port to listen on. Use 0.0.0.0:8080 to accept connections from other
# machines (normally behind a reverse proxy that provides HTTPS).
# Environment: HAVEN_LISTEN. Flag: --listen.
listen = "127.0.0.1:8080"

# "text" for people reading logs, "json" for log collectors.
# Environment: HAVEN_LOG_FORMAT. Flag: --log-format.
log_format = "text"

# A request taking longer than this is stopped and answered with an error.
request_timeout_seconds = 30

# The largest request body accepted, in bytes.
body_limit_bytes = 1048576

# Set to true when people reach Haven over HTTPS (directly or through a proxy), so cookies are
# only ever sent over encrypted connections.
secure_cookies = false

# Reverse proxies in front of Haven (addresses or networks). Behind a proxy every connection
# comes from the proxy, so Haven takes the client's address, for throttling sign-in, sign-up
# and password resets, from the X-Forwarded-For header the proxy adds, but only when the
# connection comes from one of these. Leave empty when Haven is reached directly.
# Environment: HAVEN_TRUSTED_PROXIES (comma-separated).
trusted_proxies = []
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_parses_and_matches_defaults() {
        let file: FileConfig = toml::from_str(EXAMPLE).unwrap();
        assert_eq!(file.database_url.as_deref(), Some(DEFAULT_DATABASE));
        assert_eq!(
            file.listen.map(|l| l.to_string()).as_deref(),
            Some(DEFAULT_LISTEN)
        );
    }

    #[test]
    fn schemes_choose_backends() {
        assert!(matches!(
            DatabaseUrl::parse("sqlite://x.db"),
            Ok(DatabaseUrl::Sqlite(_))
        ));
        assert!(matches!(
            DatabaseUrl::parse("postgres://u@h/d"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        let err = DatabaseUrl::parse("mysql://h/d").unwrap_err().to_string();
        assert!(
            err.contains("unknown database URL scheme \"mysql\""),
            "{err}"
        );
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let proxies = parse_proxies(["127.0.0.1", " 10.0.0.0/8 ", "::1", ""]).unwrap();
        let shown: Vec<String> = proxies.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
        let err = parse_proxies(["10.0.0.0/8", "proxy.internal"])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("trusted_proxies") && err.contains("\"proxy.internal\""),
            "{err}"
        );
        assert!(parse_proxies(["10.0.0.0/33"]).is_err());
    }

    #[test]
    fn passwords_never_shown() {
        let url = DatabaseUrl::parse("postgres://haven:s3cret@db:5432/haven").unwrap();
        assert_eq!(url.redacted(), "postgres://haven:…@db:5432/haven");
        assert!(!format!("{url:?}").contains("s3cret"));
    }

    #[test]
    fn toml_errors_name_line_and_column() {
        let text = "listen = \"127.0.0.1:8080\"\nlog_format = \nx";
        let error = toml::from_str::<FileConfig>(text).unwrap_err();
        let line = one_line_toml_error(text, &error);
        assert!(line.starts_with("line 2"), "{line}");
        assert!(!line.contains('\n'));
        let error = toml::from_str::<FileConfig>("colour = \"blue\"").unwrap_err();
        assert!(one_line_toml_error("colour = \"blue\"", &error).contains("colour"));
    }
}
