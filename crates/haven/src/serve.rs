//! Runs the HTTP server until SIGTERM or Ctrl-C, then lets in-flight requests finish.

use std::sync::Arc;

use haven_domain::clock::SystemClock;
use haven_store::Store;
use haven_web::directory::snapshot::SnapshotFile;
use haven_web::directory::{Directory, DirectoryHandle, spawn_snapshot_write};
use haven_web::{AppState, WebConfig, shared_gazetteer};
use secrecy::ExposeSecret;
use tokio::net::TcpListener;

use crate::Failure;
use crate::config::Config;
use haven_demo::DEMO_MARKER;

/// Binds, prints where Haven is, and serves.
pub async fn run(config: &Config, store: Arc<dyn Store>, banner: &str) -> Result<(), Failure> {
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| Failure::startup(format!("cannot listen on {}: {e}", config.listen)))?;
    let address = listener
        .local_addr()
        .map_err(|e| Failure::startup(format!("cannot read the listening address: {e}")))?;
    let demo_notice = store
        .meta(DEMO_MARKER)
        .await
        .map_err(|e| Failure::startup(e.to_string()))?
        .is_some();
    let sealer = crate::secret_key::load(&config.secret_key, &config.previous_secret_key_files)?;
    let sealed = haven_web::seal_stored_secrets(store.as_ref(), &sealer)
        .await
        .map_err(|e| Failure::startup(e.to_string()))?;
    if sealed != haven_web::SealReport::default() {
        tracing::info!(
            sealed = sealed.sealed,
            resealed = sealed.resealed,
            "second-factor secrets sealed with the current key"
        );
    }
    let web = WebConfig {
        sealer,
        request_timeout: config.request_timeout,
        body_limit_bytes: config.body_limit_bytes,
        secure_cookies: config.secure_cookies,
        trusted_proxies: config.trusted_proxies.clone(),
        demo_notice,
        public_url: config.public_url.clone(),
    };
    let mailer = mailer(config)?;
    let started = std::time::Instant::now();
    // The public dataset is also kept in a file (beside a SQLite database, or where
    // configured), so a restart with an unchanged directory skips reading every stored record.
    let snapshot = config.directory_snapshot.clone().map(SnapshotFile::new);
    let (directory, save_under) = match &snapshot {
        Some(file) => Directory::load_with_snapshot(&store, file).await,
        None => Directory::load(store.as_ref()).await.map(|d| (d, None)),
    }
    .map_err(|e| Failure::startup(e.to_string()))?;
    // Pages and search can be served from here on; the HSDS API's records may still be on
    // their way (they are read in the background, and the API waits for them).
    tracing::info!(
        services = directory.service_count(),
        ms = started.elapsed().as_millis() as u64,
        records_ready = directory.records_ready(),
        "directory loaded and indexed"
    );
    let directory = DirectoryHandle::new(directory);
    if let (Some(file), Some(key)) = (snapshot, save_under) {
        // Taken before the refresher starts, so the dataset saved is the one `key` names.
        spawn_snapshot_write(directory.current(), file, key);
    }
    // Imports by other processes (haven import, another server) show up within seconds.
    directory.spawn_refresher(store.clone(), std::time::Duration::from_secs(3));
    let gazetteer = shared_gazetteer().map_err(|e| Failure::startup(e.to_string()))?;
    let state = AppState::with_directory(
        store.clone(),
        Arc::new(SystemClock),
        mailer.clone(),
        web,
        directory,
        gazetteer,
    )
    .map_err(|e| Failure::startup(e.to_string()))?;
    let catalog =
        Arc::new(haven_i18n::Catalog::load().map_err(|e| Failure::startup(e.to_string()))?);
    // Coordinators hear about DBS checks about to lapse without anyone running a command.
    crate::reminders::spawn_periodic(store.clone(), mailer, catalog);
    let background = state.background().clone();
    let app = haven_web::app(state);

    tracing::info!(%address, database = store.backend_name(), "listening");
    // Printed on stdout, for people and for scripts waiting for readiness.
    println!("{banner} http://{address}/");

    // Connection addresses feed sign-in throttling per address; they are never logged.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| Failure::runtime(format!("server stopped: {e}")))?;
    // E-mails a request handed to the background (password resets) go out before the end.
    background.close();
    if tokio::time::timeout(std::time::Duration::from_secs(10), background.wait())
        .await
        .is_err()
    {
        tracing::warn!("background work still running after 10 s; stopping anyway");
    }
    tracing::info!("in-flight requests finished; closing the database");
    store.close().await;
    Ok(())
}

/// The configured mailer: SMTP, or the outbox folder.
pub fn mailer(config: &Config) -> Result<Arc<dyn haven_mail::Mailer>, Failure> {
    haven_mail::from_config(
        config.smtp_url.as_ref().map(|u| u.expose_secret()),
        &config.mail_from,
        &config.outbox_dir,
    )
    .map_err(|e| Failure::startup(format!("e-mail: {e}")))
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
