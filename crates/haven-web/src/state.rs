//! What every handler can reach: the store, the message catalogue, assets, the clock, settings.

use std::sync::Arc;
use std::time::Duration;

use haven_domain::clock::Clock;
use haven_i18n::Catalog;
use haven_mail::Mailer;
use haven_store::Store;

use crate::assets::Assets;

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
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            body_limit_bytes: 1024 * 1024,
            secure_cookies: false,
            demo_notice: false,
            public_url: "http://127.0.0.1:8080".to_owned(),
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
    config: WebConfig,
}

impl AppState {
    /// Builds the state. Fails only if the embedded message files are broken.
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        mailer: Arc<dyn Mailer>,
        config: WebConfig,
    ) -> Result<Self, haven_i18n::I18nError> {
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                catalog: Catalog::load()?,
                assets: Assets::embedded(),
                clock,
                mailer,
                config,
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

    /// HTTP settings.
    pub fn config(&self) -> &WebConfig {
        &self.inner.config
    }
}
