//! The app in-process over a real store, with a clock the test controls.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use haven_domain::clock::Clock;
use haven_store::Store;
use haven_store::conformance::{sample_organisation, sample_service};
use haven_store_sqlite::SqliteStore;
use haven_web::{AppState, WebConfig, app};
use http_body_util::BodyExt;
use time::OffsetDateTime;
use time::macros::datetime;
use tower::ServiceExt;

/// A clock the test moves by hand.
#[derive(Debug)]
pub struct TestClock(Mutex<OffsetDateTime>);

impl TestClock {
    pub fn advance(&self, by: time::Duration) {
        let mut now = self.0.lock().unwrap();
        *now += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// The value of the cookie this reply sets, if any.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .find_map(|v| {
                let v = v.to_str().ok()?;
                let (pair, _) = v.split_once(';').unwrap_or((v, ""));
                let (key, value) = pair.split_once('=')?;
                (key == name).then(|| value.to_owned())
            })
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .map_or("", |v| v.to_str().unwrap())
    }
}

pub struct Harness {
    pub app: Router,
    pub state: AppState,
    pub outbox: tempfile::TempDir,
    pub clock: Arc<TestClock>,
    pub store: Arc<dyn Store>,
    pub _dir: Option<tempfile::TempDir>,
    pub postgres: Option<haven_store_postgres::testing::TestPostgres>,
}

impl Harness {
    fn build(
        store: Arc<dyn Store>,
        clock: Arc<TestClock>,
        outbox: &std::path::Path,
    ) -> (Router, AppState) {
        let mailer =
            Arc::new(haven_mail::OutboxMailer::new(outbox, "Haven <haven@example.org>").unwrap());
        let config = WebConfig {
            body_limit_bytes: 64 * 1024,
            ..WebConfig::default()
        };
        let state = AppState::new(store, clock, mailer, config).unwrap();
        (app(state.clone()), state)
    }

    /// A harness whose directory holds the demo data set, loaded and indexed.
    pub async fn with_demo() -> Self {
        let mut h = Self::sqlite().await;
        h.store
            .store_dataset(&haven_demo::dataset().unwrap())
            .await
            .unwrap();
        h.reload_directory().await;
        h
    }

    /// Rebuilds the app around the store's current directory.
    pub async fn reload_directory(&mut self) {
        let directory = haven_web::directory::Directory::load(self.store.as_ref())
            .await
            .unwrap();
        self.install_directory(directory);
    }

    /// Rebuilds the app around `directory`.
    pub fn install_directory(&mut self, directory: haven_web::directory::Directory) {
        let mailer = Arc::new(
            haven_mail::OutboxMailer::new(self.outbox.path(), "Haven <haven@example.org>").unwrap(),
        );
        // The same key as before: secrets sealed earlier in the test must still open.
        let config = WebConfig {
            body_limit_bytes: 64 * 1024,
            sealer: self.state.config().sealer.clone(),
            ..WebConfig::default()
        };
        let state = AppState::with_directory(
            self.store.clone(),
            self.clock.clone(),
            mailer,
            config,
            haven_web::directory::DirectoryHandle::new(directory),
            haven_web::shared_gazetteer().unwrap(),
        )
        .unwrap();
        self.app = app(state.clone());
        self.state = state;
    }

    pub async fn sqlite() -> Self {
        let clock = Arc::new(TestClock(Mutex::new(datetime!(2026-11-22 12:00 UTC))));
        let outbox = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(
            SqliteStore::open(&dir.path().join("haven.db"))
                .await
                .unwrap(),
        );
        let (app, state) = Self::build(store.clone(), clock.clone(), outbox.path());
        Self {
            app,
            state,
            outbox,
            clock,
            store,
            _dir: Some(dir),
            postgres: None,
        }
    }

    pub async fn postgres() -> Option<Self> {
        let clock = Arc::new(TestClock(Mutex::new(datetime!(2026-11-22 12:00 UTC))));
        let outbox = tempfile::tempdir().unwrap();
        let db = haven_store_postgres::testing::TestPostgres::create()
            .await
            .unwrap()?;
        let store: Arc<dyn Store> = Arc::new(db.store().clone());
        let (app, state) = Self::build(store.clone(), clock.clone(), outbox.path());
        Some(Self {
            app,
            state,
            outbox,
            clock,
            store,
            _dir: None,
            postgres: Some(db),
        })
    }

    /// SQLite, and PostgreSQL when it is available: for tests that must pass on both.
    pub async fn backends() -> Vec<Self> {
        let mut all = vec![Self::sqlite().await];
        all.extend(Self::postgres().await);
        all
    }

    pub async fn finish(self) {
        if let Some(db) = self.postgres {
            db.drop_database().await;
        }
    }

    pub async fn send(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn post_form(
        &self,
        uri: &str,
        body: &str,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.to_owned()))
            .unwrap();
        self.send(request).await
    }

    /// Any request, with an optional cookie header and form body.
    pub async fn request(
        &self,
        method: &str,
        uri: &str,
        cookie: Option<&str>,
        form: Option<&str>,
    ) -> Reply {
        self.request_from(method, uri, cookie, form, None).await
    }

    /// A request as if from a client at `peer` (as the server sees a TCP connection).
    pub async fn request_from(
        &self,
        method: &str,
        uri: &str,
        cookie: Option<&str>,
        form: Option<&str>,
        peer: Option<std::net::IpAddr>,
    ) -> Reply {
        let mut builder = Request::builder().method(method).uri(uri);
        if let Some(peer) = peer {
            builder = builder.extension(axum::extract::ConnectInfo(std::net::SocketAddr::new(
                peer, 40000,
            )));
        }
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        let body = match form {
            Some(form) => {
                builder = builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(form.to_owned())
            }
            None => Body::empty(),
        };
        let (status, headers, body) = self.send(builder.body(body).unwrap()).await;
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Waits (ten seconds at most) for a message that `matches`, for mail sent off the request
    /// path; returns the newest such message.
    pub async fn wait_for_mail(&self, matches: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            if let Some(found) = self.mail().into_iter().rfind(|m| matches(m)) {
                return found;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no such message arrived; sent: {:#?}",
                self.mail()
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    /// Every message sent so far, decoded.
    pub fn mail(&self) -> Vec<String> {
        haven_mail::read_outbox(self.outbox.path())
            .unwrap()
            .iter()
            .map(|m| {
                format!(
                    "{}\n{}",
                    m.split("\r\n\r\n").next().unwrap_or(""),
                    haven_mail::body_text(m)
                )
            })
            .collect()
    }

    pub async fn seed_service(&self) -> haven_domain::Service {
        let organisation = sample_organisation("Compas");
        self.store.upsert_organisation(&organisation).await.unwrap();
        let service = sample_service(organisation.id, "English classes for Roma children");
        self.store.upsert_service(&service).await.unwrap();
        service
    }
}

/// Percent-encodes a form value (`application/x-www-form-urlencoded`).
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A form body from name–value pairs, each value encoded.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The (field, message) pairs of a problem+json reply's `errors`; panics, quoting the body, if
/// it has none.
pub fn problem_fields(reply: &Reply) -> Vec<(String, String)> {
    let problem: serde_json::Value = serde_json::from_str(&reply.body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", reply.body));
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {}", reply.body))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}
