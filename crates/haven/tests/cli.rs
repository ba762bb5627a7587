//! The real `haven` binary, as an operator runs it: start-up, configuration errors, shutdown,
//! and crash durability. Servers listen on port 0 and announce their address on stdout, so
//! tests never collide and never sleep waiting for start-up.

// Test code: a failed unwrap is a failing test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const HAVEN: &str = env!("CARGO_BIN_EXE_haven");

fn haven(dir: &Path) -> Command {
    let mut command = Command::new(HAVEN);
    command
        .current_dir(dir)
        .env_remove("HAVEN_DATABASE_URL")
        .env_remove("HAVEN_LISTEN")
        .env_remove("HAVEN_CONFIG")
        .env_remove("HAVEN_SECRET_KEY")
        .env_remove("HAVEN_SECRET_KEY_FILE")
        .env("RUST_LOG", "warn");
    command
}

/// A running server; killed when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(command: Command) -> Server {
        Self::start_with_stderr(command, Stdio::inherit())
    }

    fn start_with_stderr(mut command: Command, stderr: impl Into<Stdio>) -> Server {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let address = line
            .split("http://")
            .nth(1)
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .trim()
            .trim_end_matches('/')
            .to_owned();
        Server { child, address }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn wait(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request over a fresh connection; returns status and body.
fn http(address: &str, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    parse_response(&response)
}

fn parse_response(response: &str) -> (u16, String) {
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not HTTP: {response:?}"));
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    (status, body)
}

fn failed_with_one_line(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line, got: {stderr}");
    assert!(
        stderr.contains(expected),
        "expected {expected:?} in {stderr:?}"
    );
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"));
}

#[test]
fn serve_with_defaults_creates_haven_db_and_is_ready() {
    let dir = tempfile::tempdir().unwrap();
    // Port 0 instead of the default 8080, so parallel runs cannot collide; the database is the
    // default one, haven.db in the current folder.
    let server = Server::start({
        let mut c = haven(dir.path());
        c.args(["serve", "--listen", "127.0.0.1:0"]);
        c
    });
    assert_eq!(http(&server.address, "GET", "/readyz", None).0, 200);
    assert!(dir.path().join("haven.db").exists());
}

#[test]
fn first_start_on_sqlite_makes_a_private_secret_key_beside_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("stderr.log");
    let start = |log: &Path| {
        let mut c = haven(dir.path());
        c.args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            "sqlite://h.db",
        ]);
        Server::start_with_stderr(c, std::fs::File::create(log).unwrap())
    };
    let server = start(&log);
    assert_eq!(http(&server.address, "GET", "/readyz", None).0, 200);
    drop(server);
    let key_file = dir.path().join("h.db.key");
    let key = std::fs::read_to_string(&key_file).unwrap();
    assert_eq!(key.trim().len(), 64);
    assert!(key.trim().bytes().all(|b| b.is_ascii_hexdigit()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only Haven's user may read the key");
    }
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("generated a secret key"), "{logged}");
    assert!(logged.contains("h.db.key"), "the log says where: {logged}");
    assert!(!logged.contains(key.trim()), "the log never holds the key");

    // The next start uses the same key and does not announce a new one.
    let server = start(&log);
    assert_eq!(http(&server.address, "GET", "/readyz", None).0, 200);
    drop(server);
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), key);
    assert!(!std::fs::read_to_string(&log).unwrap().contains("generated"));

    // A bad key is one line naming the setting.
    let output = haven(dir.path())
        .args(["serve", "--database", "sqlite://h.db"])
        .env("HAVEN_SECRET_KEY", "not hex")
        .output()
        .unwrap();
    failed_with_one_line(
        &output,
        "HAVEN_SECRET_KEY: a secret key is 64 hexadecimal digits",
    );
}

#[test]
fn serve_on_postgres_is_ready() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = runtime
        .block_on(haven_store_postgres::testing::TestPostgres::create())
        .unwrap()
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Several processes share a PostgreSQL database, so Haven will not make a key up.
    let refused = haven(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--database", db.url()])
        .output()
        .unwrap();
    failed_with_one_line(&refused, "no secret key");
    {
        let server = Server::start({
            let mut c = haven(dir.path());
            c.args(["serve", "--listen", "127.0.0.1:0", "--database", db.url()])
                .env("HAVEN_SECRET_KEY", "ab".repeat(32));
            c
        });
        assert_eq!(http(&server.address, "GET", "/readyz", None).0, 200);
        let (status, body) = http(&server.address, "GET", "/", None);
        assert_eq!(status, 200);
        assert!(body.contains("What do you need help with?"));
    }
    runtime.block_on(db.drop_database());
}

#[test]
fn unknown_database_scheme_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = haven(dir.path())
        .args(["serve", "--database", "mysql://localhost/haven"])
        .output()
        .unwrap();
    failed_with_one_line(&output, "unknown database URL scheme \"mysql\"");
}

#[test]
fn unreadable_config_file_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = haven(dir.path())
        .args(["serve", "--config", "missing.toml"])
        .output()
        .unwrap();
    failed_with_one_line(&output, "cannot read the configuration file missing.toml");
}

#[test]
fn invalid_toml_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        "listen = \"127.0.0.1:8080\"\nlog_format = = \"json\"\n",
    )
    .unwrap();
    let output = haven(dir.path())
        .args(["serve", "--config", "bad.toml"])
        .output()
        .unwrap();
    failed_with_one_line(&output, "bad.toml is not valid: line 2");

    std::fs::write(dir.path().join("typo.toml"), "lisen = \"127.0.0.1:8080\"\n").unwrap();
    let output = haven(dir.path())
        .args(["serve", "--config", "typo.toml"])
        .output()
        .unwrap();
    failed_with_one_line(&output, "unknown field `lisen`");
}

#[test]
fn port_in_use_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let output = haven(dir.path())
        .args(["serve", "--listen", &address])
        .output()
        .unwrap();
    failed_with_one_line(&output, &format!("cannot listen on {address}"));
}

#[test]
fn layering_is_file_then_environment_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("haven.toml"),
        "listen = \"127.0.0.1:1111\"\nlog_format = \"json\"\ndatabase_url = \"sqlite://file.db\"\n",
    )
    .unwrap();
    let output = haven(dir.path())
        .args([
            "config",
            "show",
            "--config",
            "haven.toml",
            "--listen",
            "127.0.0.1:3333",
        ])
        .env("HAVEN_LISTEN", "127.0.0.1:2222")
        .env("HAVEN_DATABASE_URL", "sqlite://env.db")
        .output()
        .unwrap();
    let shown = String::from_utf8(output.stdout).unwrap();
    assert!(shown.contains("listen = \"127.0.0.1:3333\""), "{shown}");
    assert!(
        shown.contains("database_url = \"sqlite://env.db\""),
        "{shown}"
    );
    assert!(shown.contains("log_format = \"json\""), "{shown}");
}

#[test]
fn config_example_is_a_valid_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let output = haven(dir.path())
        .args(["config", "example"])
        .output()
        .unwrap();
    assert!(output.status.success());
    std::fs::write(dir.path().join("example.toml"), &output.stdout).unwrap();
    let shown = haven(dir.path())
        .args(["config", "show", "--config", "example.toml"])
        .output()
        .unwrap();
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    assert!(String::from_utf8_lossy(&shown.stdout).contains("listen = \"127.0.0.1:8080\""));
}

#[test]
fn help_explains_the_commands() {
    let output = Command::new(HAVEN).arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for command in ["serve", "demo", "migrate", "backup", "config"] {
        assert!(help.contains(command), "{command} missing from --help");
    }
}

fn demo_server(dir: &Path, database: &str) -> Server {
    Server::start({
        let mut c = haven(dir);
        c.args(["demo", "--listen", "127.0.0.1:0", "--database", database]);
        c
    })
}

/// A demo service's id, read from the demo database through the binary's own pages would need
/// search; the store is simpler and just as real.
fn some_service_id(database: &Path) -> String {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use haven_store::DirectoryStore;
        let store = haven_store_sqlite::SqliteStore::connect(database)
            .await
            .unwrap();
        let organisation = store
            .organisations(haven_store::Page::first(1))
            .await
            .unwrap();
        let services = store.services_of(organisation[0].id).await.unwrap();
        services[0].id.to_string()
    })
}

fn count_reports(database: &Path) -> usize {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use haven_store::DirectoryStore;
        let store = haven_store_sqlite::SqliteStore::connect(database)
            .await
            .unwrap();
        store
            .listing_reports(haven_store::Page::first(100_000))
            .await
            .unwrap()
            .len()
    })
}

#[test]
fn sigterm_lets_the_request_in_flight_finish() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("demo.db");
    let mut server = demo_server(dir.path(), &format!("sqlite://{}", database.display()));
    let service = some_service_id(&database);

    // Send the headers and half the body, so the request is in flight when SIGTERM arrives.
    let body = "reason=closed&details=half+now+and+half+later";
    let (first, second) = body.split_at(20);
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST /services/{service}/report HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    server.signal("TERM");
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(second.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert_eq!(parse_response(&response).0, 303, "{response}");
    assert!(server.wait().success(), "clean exit after SIGTERM");
    assert_eq!(count_reports(&database), 1);
}

#[test]
fn every_acknowledged_write_survives_sigkill() {
    const WRITES: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("demo.db");
    let url = format!("sqlite://{}", database.display());
    let mut server = demo_server(dir.path(), &url);
    let service = some_service_id(&database);
    let path = format!("/services/{service}/report");
    let mut acknowledged = 0;
    for i in 0..WRITES {
        let body = format!("reason=other&details=write+{i}");
        if http(&server.address, "POST", &path, Some(&body)).0 == 303 {
            acknowledged += 1;
        }
    }
    assert_eq!(acknowledged, WRITES);
    server.signal("KILL");
    server.wait();

    // Restart on the same file: it must open cleanly and hold every acknowledged write.
    let restarted = Server::start({
        let mut c = haven(dir.path());
        c.args(["serve", "--listen", "127.0.0.1:0", "--database", &url]);
        c
    });
    assert_eq!(http(&restarted.address, "GET", "/readyz", None).0, 200);
    assert_eq!(count_reports(&database), acknowledged);
}

#[test]
fn backup_copies_a_live_database() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("live.db");
    let url = format!("sqlite://{}", database.display());
    let _server = demo_server(dir.path(), &url);
    let output = haven(dir.path())
        .args(["backup", "copy.db", "--database", &url])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        some_service_id(&dir.path().join("copy.db")),
        some_service_id(&database)
    );

    let again = haven(dir.path())
        .args(["backup", "copy.db", "--database", &url])
        .output()
        .unwrap();
    failed_with_one_line(&again, "copy.db already exists");
    let postgres = haven(dir.path())
        .args(["backup", "x.db", "--database", "postgres://u@127.0.0.1:1/x"])
        .output()
        .unwrap();
    failed_with_one_line(&postgres, "pg_dump");
}

#[test]
fn migrate_applies_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let output = haven(dir.path())
        .args(["migrate", "--database", "sqlite://m.db"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("migrations applied"));
    assert!(dir.path().join("m.db").exists());
}

#[test]
fn site_admin_gets_a_set_up_link_and_duplicates_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = haven(dir.path())
        .args([
            "user",
            "create",
            "--site-admin",
            "amina@example.org",
            "--database",
            "sqlite://a.db",
        ])
        .args(["--public-url", "https://haven.example.org/"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8(output.stdout).unwrap();
    let link = printed.lines().last().unwrap();
    assert!(
        link.starts_with("https://haven.example.org/account/set-up/"),
        "{printed}"
    );
    assert_eq!(
        link.len(),
        "https://haven.example.org/account/set-up/".len() + 43
    );

    let again = haven(dir.path())
        .args([
            "user",
            "create",
            "--site-admin",
            "AMINA@example.org",
            "--database",
            "sqlite://a.db",
        ])
        .output()
        .unwrap();
    failed_with_one_line(&again, "already exists");
    let bad = haven(dir.path())
        .args([
            "user",
            "create",
            "--site-admin",
            "not-an-address",
            "--database",
            "sqlite://a.db",
        ])
        .output()
        .unwrap();
    failed_with_one_line(&bad, "is not an e-mail address");
}

#[test]
fn audit_verify_names_an_edited_entry() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("audit.db");
    let url = format!("sqlite://{}", database.display());
    for email in ["one@example.org", "two@example.org", "three@example.org"] {
        let created = haven(dir.path())
            .args(["user", "create", "--site-admin", email, "--database", &url])
            .output()
            .unwrap();
        assert!(created.status.success());
    }
    let verify = || {
        haven(dir.path())
            .args(["audit", "verify", "--database", &url])
            .output()
            .unwrap()
    };
    let intact = verify();
    assert!(
        intact.status.success(),
        "{}",
        String::from_utf8_lossy(&intact.stderr)
    );
    assert!(String::from_utf8_lossy(&intact.stdout).contains("1 chain(s), 3 entries"));
    let checkpoint = haven(dir.path())
        .args(["audit", "checkpoint", "--database", &url])
        .output()
        .unwrap();
    let head = String::from_utf8(checkpoint.stdout).unwrap();
    assert!(head.starts_with("site 3 "), "{head}");
    assert_eq!(head.trim().len(), "site 3 ".len() + 64);

    // Someone with access to the database file changes one byte of the second entry.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", database.display()))
            .await
            .unwrap();
        sqlx::query("DROP TRIGGER audit_log_no_update")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET at_nanos = at_nanos + 1 WHERE seq = 2")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
    let broken = verify();
    assert_eq!(broken.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.contains("entry 2 of chain site was altered"),
        "{stderr}"
    );
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../haven-hsds/tests/fixtures")
        .join(name)
}

fn read_tree(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn hsds_import_export_import_is_identical() {
    let dir = tempfile::tempdir().unwrap();
    let official = fixture("hsds-official/csv");
    let run = |args: &[&str]| {
        let output = haven(dir.path()).args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let said = run(&[
        "import",
        "hsds",
        official.to_str().unwrap(),
        "--database",
        "sqlite://one.db",
    ]);
    assert!(
        said.contains("imported 1 organisation(s), 1 service(s)"),
        "{said}"
    );
    run(&["export", "hsds", "first", "--database", "sqlite://one.db"]);
    run(&["import", "hsds", "first", "--database", "sqlite://two.db"]);
    run(&["export", "hsds", "second", "--database", "sqlite://two.db"]);
    let first = read_tree(&dir.path().join("first"));
    assert!(first.iter().any(|(name, _)| name == "services.csv"));
    assert_eq!(first, read_tree(&dir.path().join("second")));
    // The official example's ids survive.
    let services = &first
        .iter()
        .find(|(name, _)| name == "services.csv")
        .unwrap()
        .1;
    assert!(services.contains("ac148810-d857-441c-9679-408f346de14b"));
    let refused = haven(dir.path())
        .args(["export", "hsds", "first", "--database", "sqlite://one.db"])
        .output()
        .unwrap();
    failed_with_one_line(&refused, "already holds a package");
}

#[test]
fn broken_hsds_package_is_reported_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let official = fixture("hsds-official/csv");
    let broken = fixture("broken");
    let ok = haven(dir.path())
        .args([
            "import",
            "hsds",
            official.to_str().unwrap(),
            "--database",
            "sqlite://d.db",
        ])
        .output()
        .unwrap();
    assert!(ok.status.success());
    let before = haven(dir.path())
        .args(["export", "hsds", "before", "--database", "sqlite://d.db"])
        .output()
        .unwrap();
    assert!(before.status.success());

    let output = haven(dir.path())
        .args([
            "import",
            "hsds",
            broken.to_str().unwrap(),
            "--database",
            "sqlite://d.db",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "error: services.csv, row 2, field name:",
        "error: locations.csv, row 1, field latitude:",
        "error: service_at_location.csv, row 1, field service_id:",
        "nothing was imported",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    assert!(!stderr.contains("panicked"));
    let after = haven(dir.path())
        .args(["export", "hsds", "after", "--database", "sqlite://d.db"])
        .output()
        .unwrap();
    assert!(after.status.success());
    assert_eq!(
        read_tree(&dir.path().join("before")),
        read_tree(&dir.path().join("after"))
    );
}

#[test]
fn generated_directory_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let generate = |seed: &str| {
        let output = haven(dir.path())
            .args([
                "generate",
                "--services",
                "1200",
                "--seed",
                seed,
                "--batch",
                "500",
                "--database",
                "sqlite://g.db",
            ])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let said = generate("7");
    assert!(said.contains("generated 1200 service(s)"), "{said}");
    // Ids come from the seed: generating again replaces, never duplicates.
    generate("7");
    let server = Server::start({
        let mut c = haven(dir.path());
        c.args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            "sqlite://g.db",
        ]);
        c
    });
    let (status, body) = http(
        &server.address,
        "GET",
        "/api/services?per_page=1&full=true",
        None,
    );
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["total_items"], 1200, "{body}");
    let service = &page["contents"][0];
    assert!(
        service["phones"][0]["number"]
            .as_str()
            .unwrap()
            .starts_with("020 7946 0")
    );
    assert!(!service["attributes"].as_array().unwrap().is_empty());
    let (status, body) = http(
        &server.address,
        "GET",
        "/api/services?place=Leeds&search=legal+advice&per_page=5",
        None,
    );
    assert_eq!(status, 200, "{body}");
    let (status, _) = http(&server.address, "GET", "/search?place=Leeds&q=food", None);
    assert_eq!(status, 200);
}

#[test]
fn an_import_by_another_process_reaches_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("shared.db").display());
    let server = Server::start({
        let mut c = haven(dir.path());
        c.args(["serve", "--listen", "127.0.0.1:0", "--database", &database]);
        c
    });
    let official = fixture("hsds-official/csv");
    let imported = haven(dir.path())
        .args([
            "import",
            "hsds",
            official.to_str().unwrap(),
            "--database",
            &database,
        ])
        .output()
        .unwrap();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    // The server polls the store's directory version; give it a bounded time to notice.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, body) = http(
            &server.address,
            "GET",
            "/api/services/ac148810-d857-441c-9679-408f346de14b",
            None,
        );
        if status == 200 {
            assert!(body.contains("Community Counselling"), "{body}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server never saw the import (last status {status})"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_restart_reads_the_directory_from_its_snapshot_and_a_change_is_seen() {
    let dir = tempfile::tempdir().unwrap();
    let generate = |seed: &str| {
        let output = haven(dir.path())
            .args(["generate", "--services", "300", "--seed", seed])
            .args(["--database", "sqlite://s.db"])
            .output()
            .unwrap();
        assert!(output.status.success());
    };
    let log = dir.path().join("stderr.log");
    let serve = || {
        let mut c = haven(dir.path());
        c.args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            "sqlite://s.db",
        ])
        .env("RUST_LOG", "haven_web=info,warn");
        Server::start_with_stderr(c, std::fs::File::create(&log).unwrap())
    };
    let total = |server: &Server| {
        let (status, body) = http(&server.address, "GET", "/api/services?per_page=1", None);
        assert_eq!(status, 200, "{body}");
        let page: serde_json::Value = serde_json::from_str(&body).unwrap();
        page["total_items"].as_u64().unwrap()
    };
    let snapshot = dir.path().join("s.db.directory");
    let saved = || {
        // Written in the background after a start that read the store.
        (0..200).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(50));
            std::fs::read_to_string(&log)
                .unwrap()
                .contains("directory snapshot saved")
        })
    };
    generate("1");
    let server = serve();
    assert_eq!(total(&server), 300);
    assert!(saved(), "no snapshot saved");
    drop(server);
    assert!(snapshot.exists());
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(!logged.contains("from its snapshot"), "{logged}");

    let server = serve();
    assert_eq!(total(&server), 300);
    drop(server);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("directory cards and index read from its snapshot"),
        "{logged}"
    );

    // Another 300 services: the directory version moves on, so the snapshot is not used.
    generate("2");
    let server = serve();
    assert_eq!(total(&server), 600);
    assert!(saved(), "no new snapshot saved");
    drop(server);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(!logged.contains("from its snapshot"), "{logged}");

    // A damaged snapshot is not used, and the start still serves the directory. The middle
    // byte is in the records, which are read after start-up: the API waits for them to come
    // from the store, and the snapshot is dropped so the next start writes a sound one.
    let mut bytes = std::fs::read(&snapshot).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&snapshot, bytes).unwrap();
    let server = serve();
    assert_eq!(total(&server), 600);
    drop(server);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("checksum differs"), "{logged}");
    assert!(!snapshot.exists(), "the damaged snapshot was kept");
    let server = serve();
    assert_eq!(total(&server), 600);
    assert!(saved(), "no snapshot saved after the damaged one");
}

#[test]
fn haven_bench_measures_start_up_cold_then_warm_and_reuses_its_database() {
    use haven_bench::startup::{Database, Plan, Source, measure};

    let dir = tempfile::tempdir().unwrap();
    let plan = Plan {
        haven: HAVEN.into(),
        dir: dir.path().join("work"),
        database: Database::Generated {
            services: 300,
            seed: 7,
        },
        warm_runs: 2,
    };
    let mut said = Vec::new();
    let outcome = measure(&plan, &mut said).unwrap();
    let said = String::from_utf8(said).unwrap();
    assert!(said.contains("generating 300 services (seed 7)"), "{said}");
    assert!(said.contains("generated in "), "{said}");
    assert_eq!(outcome.services, 300);
    assert_eq!(outcome.cold.start.source, Source::Store, "{said}");
    assert_eq!(outcome.cold.start.services, Some(300), "{said}");
    assert!(outcome.cold.ready > Duration::ZERO);
    assert_eq!(outcome.warm.len(), 2, "{said}");
    assert!(
        outcome
            .warm
            .iter()
            .all(|r| r.start.source == Source::Snapshot && r.start.services == Some(300)),
        "{said}"
    );
    if Path::new("/proc/self/status").exists() {
        assert!(
            outcome.cold.peak_rss.is_some_and(|b| b > 1_000_000),
            "{said}"
        );
    }
    let summary = said
        .lines()
        .find(|l| l.contains("start-up  300 services: cold "))
        .unwrap_or_else(|| panic!("no start-up figure in {said}"));
    assert!(summary.contains("; warm min "), "{summary}");
    assert!(summary.contains(" median "), "{summary}");
    assert!(summary.contains("load "), "{summary}");

    // The same size and seed again: the database is reused, and the cold start is cold again
    // (the snapshot was deleted first).
    let mut said = Vec::new();
    let again = measure(
        &Plan {
            warm_runs: 0,
            ..plan
        },
        &mut said,
    )
    .unwrap();
    let said = String::from_utf8(said).unwrap();
    assert!(said.contains("reused (300 services, seed 7)"), "{said}");
    assert!(!said.contains("generating"), "{said}");
    assert_eq!(again.cold.start.source, Source::Store, "{said}");
    assert!(again.warm.is_empty());
    assert!(
        said.contains("warm not measured, because no warm start was asked for"),
        "{said}"
    );
}
