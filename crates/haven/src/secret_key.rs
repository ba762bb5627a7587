//! The key that seals second-factor secrets: read from the environment or a file, or on SQLite
//! made at first start in a file beside the database that only Haven's user can read. The log
//! says where the key is and its id, never the key.

use std::io::Write;
use std::path::Path;

use haven_auth::seal::{Sealer, SecretKey};
use secrecy::ExposeSecret;

use crate::Failure;
use crate::config::SecretKeySetting;

/// The sealer for this run: the current key, and the previous keys still accepted for opening.
pub fn load(
    setting: &SecretKeySetting,
    previous: &[std::path::PathBuf],
) -> Result<Sealer, Failure> {
    let key = match setting {
        SecretKeySetting::Given(text) => SecretKey::from_hex(text.expose_secret())
            .map_err(|e| Failure::startup(format!("HAVEN_SECRET_KEY: {e}")))?,
        SecretKeySetting::File(path) => read(path, "secret_key_file")?,
        SecretKeySetting::BesideDatabase(path) => match read_if_present(path, "secret key")? {
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
    let older = previous
        .iter()
        .map(|path| read(path, "previous_secret_key_files"))
        .collect::<Result<Vec<_>, _>>()?;
    for old in &older {
        tracing::info!(key_id = %old.id_hex(), "previous secret key loaded, for resealing");
    }
    Ok(Sealer::new(key, older))
}

/// Reads the key file `path`, named by the setting `setting` (said in every error).
fn read(path: &Path, setting: &str) -> Result<SecretKey, Failure> {
    read_if_present(path, setting)?.ok_or_else(|| {
        Failure::startup(format!(
            "{setting}: secret key file {}: not found (make one with `openssl rand -hex 32`)",
            path.display()
        ))
    })
}

fn read_if_present(path: &Path, setting: &str) -> Result<Option<SecretKey>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Failure::startup(format!(
                "{setting}: secret key file {}: {e}",
                path.display()
            )));
        }
    };
    warn_if_readable_by_others(path);
    SecretKey::from_hex(&text).map(Some).map_err(|e| {
        Failure::startup(format!(
            "{setting}: secret key file {}: {e}",
            path.display()
        ))
    })
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_previous_key_still_opens_what_it_sealed() {
        let dir = tempfile::tempdir().unwrap();
        let (old_path, new_path) = (dir.path().join("old.key"), dir.path().join("new.key"));
        let old = load(&SecretKeySetting::BesideDatabase(old_path.clone()), &[]).unwrap();
        let sealed = old.seal(b"totp:1", b"twenty bytes secret!").unwrap();
        let new = load(&SecretKeySetting::BesideDatabase(new_path.clone()), &[]).unwrap();
        assert!(
            new.open(b"totp:1", &sealed).is_err(),
            "a new key alone cannot open it"
        );

        let rotated = load(&SecretKeySetting::File(new_path), &[old_path]).unwrap();
        assert_eq!(rotated.current_key_id(), new.current_key_id());
        assert!(!rotated.is_current(&sealed), "so start-up reseals it");
        assert_eq!(
            rotated.open(b"totp:1", &sealed).unwrap(),
            b"twenty bytes secret!"
        );
        let missing = load(
            &SecretKeySetting::File(dir.path().join("new.key")),
            &[dir.path().join("gone.key")],
        )
        .unwrap_err();
        let missing = format!("{missing:?}");
        assert!(
            missing.contains("previous_secret_key_files") && missing.contains("gone.key"),
            "{missing}"
        );
    }
}
