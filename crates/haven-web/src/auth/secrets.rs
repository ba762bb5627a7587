//! TOTP secrets sealed at rest with the configured key (`haven_auth::seal`), bound to their
//! owner, and the start-up pass that seals secrets stored before sealing existed (or reseals
//! those sealed with an older key).

use haven_auth::seal::{SealError, Sealer};
use haven_auth::totp::TotpSecret;
use haven_domain::UserId;
use haven_domain::accounts::User;
use haven_store::{Store, StoreError};

use crate::AppError;
use crate::state::AppState;

/// What ties a sealed TOTP secret to its owner.
fn context(user: UserId) -> Vec<u8> {
    format!("haven totp secret {user}").into_bytes()
}

/// Seals `secret` for storage on `user`'s row.
pub(crate) fn seal_totp(
    state: &AppState,
    user: UserId,
    secret: &TotpSecret,
) -> Result<Vec<u8>, AppError> {
    state
        .config()
        .sealer
        .seal(&context(user), &secret.to_bytes())
        .map_err(|e| AppError::internal(format!("sealing a TOTP secret: {e}")))
}

/// The user's TOTP secret, if they have one and it opens. A secret that does not open is a
/// defect (wrong key, edited row): logged without personal data, and no code is accepted.
pub(crate) fn open_totp(state: &AppState, user: &User) -> Option<TotpSecret> {
    let stored = user.totp_secret.as_deref()?;
    match state.config().sealer.open(&context(user.id), stored) {
        Ok(bytes) => TotpSecret::from_bytes(bytes),
        Err(e) => {
            tracing::error!(error = %e, "a stored TOTP secret does not open");
            None
        }
    }
}

/// What [`seal_stored_secrets`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SealReport {
    /// Plain secrets from before sealing, now sealed.
    pub sealed: usize,
    /// Secrets sealed with an older key, now sealed with the current one.
    pub resealed: usize,
}

/// Why stored secrets could not be sealed.
#[derive(Debug, thiserror::Error)]
pub enum SealStoredError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A secret is sealed with a key Haven was not given (or does not open with it).
    #[error(
        "a stored TOTP secret does not open with the configured secret key ({0}); \
         start Haven with the key that sealed it"
    )]
    Key(SealError),
}

/// Seals every TOTP secret not yet sealed with the current key, in place. Run at start-up,
/// before serving; safe to run again and beside a running server (each replacement only
/// happens if the row still holds what was read).
pub async fn seal_stored_secrets(
    store: &dyn Store,
    sealer: &Sealer,
) -> Result<SealReport, SealStoredError> {
    let mut report = SealReport::default();
    for (user, stored) in store.totp_secrets().await? {
        if sealer.is_current(&stored) {
            continue;
        }
        let context = context(user);
        let (plain, was_sealed) = if Sealer::is_sealed(&stored) {
            (
                sealer
                    .open(&context, &stored)
                    .map_err(SealStoredError::Key)?,
                true,
            )
        } else {
            (stored.clone(), false)
        };
        let sealed = sealer
            .seal(&context, &plain)
            .map_err(SealStoredError::Key)?;
        if store.replace_totp_secret(user, &stored, &sealed).await? {
            if was_sealed {
                report.resealed += 1;
            } else {
                report.sealed += 1;
            }
        }
    }
    Ok(report)
}
