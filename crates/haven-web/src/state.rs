//! What every handler can reach: the store, the message catalogue, assets, the clock, settings.

use std::sync::Arc;
use std::time::Duration;

use haven_domain::clock::Clock;
use haven_geo::Gazetteer;
use haven_i18n::Catalog;
use haven_mail::Mailer;
use haven_store::Store;

use crate::assets::Assets;
use crate::directory::{Directory, DirectoryHandle};

/// Settings for the HTTP layer, validated by the binary before it builds the app.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// A request that takes longer is answered 408 and its work dropped.
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// Mark cookies `Secure` (Haven is served over TLS, or behind a proxy that terminates it).
    pub secure_cookies: bool,
    /// Show the "this is demo data" notice on every page.
    pub demo_notice: bool,
    /// Where people reach Haven, for links in e-mail (no trailing slash).
    pub public_url: String,
    /// Seals TOTP secrets at rest. The default has a random key that dies with the process:
    /// right for tests, wrong for a database that outlives it (the binary passes the
    /// configured key).
    pub sealer: haven_auth::seal::Sealer,
    /// Reverse proxies whose `X-Forwarded-For` is believed: behind one, every connection comes
    /// from the proxy, and throttling by network address needs the client's address instead.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            body_limit_bytes: 1024 * 1024,
            secure_cookies: false,
            demo_notice: false,
            public_url: "http://127.0.0.1:8080".to_owned(),
            sealer: haven_auth::seal::Sealer::ephemeral(),
            trusted_proxies: Vec::new(),
        }
    }
}

/// Shared state, cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Arc<dyn Store>,
    catalog: Catalog,
    assets: Assets,
    clock: Arc<dyn Clock>,
    mailer: Arc<dyn Mailer>,
    directory: DirectoryHandle,
    gazetteer: Arc<Gazetteer>,
    config: WebConfig,
    background: tokio_util::task::TaskTracker,
}

impl AppState {
    /// Builds the state. Fails only if the embedded message files are broken.
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        mailer: Arc<dyn Mailer>,
        config: WebConfig,
    ) -> Result<Self, StateError> {
        let directory = DirectoryHandle::new(Directory::empty());
        Self::with_directory(store, clock, mailer, config, directory, shared_gazetteer()?)
    }

    /// Builds the state around an already loaded directory and gazetteer.
    pub fn with_directory(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        mailer: Arc<dyn Mailer>,
        config: WebConfig,
        directory: DirectoryHandle,
        gazetteer: Arc<Gazetteer>,
    ) -> Result<Self, StateError> {
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                catalog: Catalog::load()?,
                assets: Assets::embedded(),
                clock,
                mailer,
                directory,
                gazetteer,
                config,
                background: tokio_util::task::TaskTracker::new(),
            }),
        })
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }

    /// The interface messages.
    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    pub(crate) fn assets(&self) -> &Assets {
        &self.inner.assets
    }

    /// The clock.
    pub fn clock(&self) -> &dyn Clock {
        self.inner.clock.as_ref()
    }

    /// Outgoing e-mail.
    pub fn mailer(&self) -> &dyn Mailer {
        self.inner.mailer.as_ref()
    }

    /// The directory snapshot and its refresher.
    pub fn directory(&self) -> &DirectoryHandle {
        &self.inner.directory
    }

    /// UK places.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.inner.gazetteer
    }

    /// Work a request started but does not wait for (a reset e-mail, so the answer takes the
    /// same time whether or not the account exists). `haven serve` waits for it before exiting.
    pub fn background(&self) -> &tokio_util::task::TaskTracker {
        &self.inner.background
    }

    /// HTTP settings.
    pub fn config(&self) -> &WebConfig {
        &self.inner.config
    }
}

/// The embedded gazetteer, parsed once per process (about 20 ms) however many states are made.
pub fn shared_gazetteer() -> Result<Arc<Gazetteer>, haven_geo::GeoError> {
    static GAZETTEER: std::sync::OnceLock<Arc<Gazetteer>> = std::sync::OnceLock::new();
    if let Some(gazetteer) = GAZETTEER.get() {
        return Ok(gazetteer.clone());
    }
    let gazetteer = Arc::new(Gazetteer::embedded()?);
    Ok(GAZETTEER.get_or_init(|| gazetteer).clone())
}

/// A defect in data compiled into the binary, found at start-up.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The interface messages do not load.
    #[error(transparent)]
    Messages(#[from] haven_i18n::I18nError),
    /// The place data does not load.
    #[error("place data: {0}")]
    Places(#[from] haven_geo::GeoError),
}
