//! The key that seals second-factor secrets: read from the environment or a file, or on SQLite
//! made at first start in a file beside the database that only Haven's user can read. The log
//! says where the key is and its id, never the key.

use std::io::Write;
use std::path::Path;

use haven_auth::seal::{Sealer, SecretKey};
use secrecy::ExposeSecret;

use crate::Failure;
use crate::config::SecretKeySetting;

/// The sealer for this run.
pub fn load(setting: &SecretKeySetting) -> Result<Sealer, Failure> {
    let key = match setting {
        SecretKeySetting::Given(text) => SecretKey::from_hex(text.expose_secret())
            .map_err(|e| Failure::startup(format!("HAVEN_SECRET_KEY: {e}")))?,
        SecretKeySetting::File(path) => read(path)?,
        SecretKeySetting::BesideDatabase(path) => match read_if_present(path)? {
            Some(key) => key,
            None => generate(path)?,
        },
        SecretKeySetting::Missing => {
            return Err(Failure::startup(
                "no secret key: on PostgreSQL every Haven process needs the same key; \
                 set secret_key_file (or HAVEN_SECRET_KEY_FILE, or HAVEN_SECRET_KEY) to one made \
                 with `openssl rand -hex 32`",
            ));
        }
    };
    tracing::info!(key_id = %key.id_hex(), "secret key loaded");
    Ok(Sealer::new(key, Vec::new()))
}

fn read(path: &Path) -> Result<SecretKey, Failure> {
    read_if_present(path)?.ok_or_else(|| {
        Failure::startup(format!(
            "secret key file {}: not found (make one with `openssl rand -hex 32`)",
            path.display()
        ))
    })
}

fn read_if_present(path: &Path) -> Result<Option<SecretKey>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Failure::startup(format!(
                "secret key file {}: {e}",
                path.display()
            )));
        }
    };
    warn_if_readable_by_others(path);
    SecretKey::from_hex(&text)
        .map(Some)
        .map_err(|e| Failure::startup(format!("secret key file {}: {e}", path.display())))
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(
            file = %path.display(),
            "the secret key file can be read by other users; chmod 600 it"
        );
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &Path) {}

/// Makes a new key in a new file (never replacing one), readable and writable by Haven's user
/// only, written through to disk before it is used.
fn generate(path: &Path) -> Result<SecretKey, Failure> {
    let key = SecretKey::generate();
    let fail = |e: std::io::Error| {
        Failure::startup(format!(
            "cannot create the secret key file {}: {e}",
            path.display()
        ))
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(fail)?;
    file.write_all(format!("{}\n", key.to_hex()).as_bytes())
        .map_err(fail)?;
    file.sync_all().map_err(fail)?;
    tracing::warn!(
        file = %path.display(),
        key_id = %key.id_hex(),
        "generated a secret key for second-factor secrets; back it up apart from the database"
    );
    Ok(key)
}
