//! Secrets sealed at rest (TOTP secrets): XChaCha20-Poly1305 under a 256-bit key that Haven's
//! configuration provides and the database never holds.
//!
//! A sealed value is `hvs1 | key id (4 bytes) | nonce (24 bytes) | ciphertext and tag`. The key
//! id (the start of a SHA-256 digest of the key) says which key sealed it, so a later Haven can
//! hold the old key beside a new one and reseal; the 192-bit nonce is random, so one key seals
//! any number of values safely. Callers bind each value to its place with associated data (the
//! purpose and the owner's id), so a sealed secret copied onto another row does not open.

use std::sync::Arc;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

/// Key length in bytes.
pub const KEY_BYTES: usize = 32;
const MAGIC: &[u8; 4] = b"hvs1";
const KEY_ID_BYTES: usize = 4;
const NONCE_BYTES: usize = 24;
const TAG_BYTES: usize = 16;
const HEADER_BYTES: usize = MAGIC.len() + KEY_ID_BYTES + NONCE_BYTES;

/// Why a key or a sealed value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// The key text is not 64 hexadecimal digits.
    #[error("a secret key is 64 hexadecimal digits (32 bytes), e.g. from `openssl rand -hex 32`")]
    BadKey,
    /// The value is not in the sealed format (for example, stored before sealing existed).
    #[error("the value is not sealed")]
    NotSealed,
    /// No configured key has the id the value was sealed with.
    #[error("the value was sealed with a key that is not configured (key id {0})")]
    UnknownKey(String),
    /// The value was changed, moved to another owner, or the key is wrong.
    #[error("the sealed value does not open: changed, moved or sealed with another key")]
    Tampered,
}

/// One 256-bit key. `Debug` shows only its id; the key bytes are wiped when it is dropped.
#[derive(Clone)]
pub struct SecretKey {
    id: [u8; KEY_ID_BYTES],
    key: [u8; KEY_BYTES],
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.key);
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey(id {})", self.id_hex())
    }
}

impl SecretKey {
    fn from_bytes(key: [u8; KEY_BYTES]) -> Self {
        let digest = Sha256::new()
            .chain_update(b"haven secret key id\0")
            .chain_update(key)
            .finalize();
        let mut id = [0u8; KEY_ID_BYTES];
        id.copy_from_slice(&digest[..KEY_ID_BYTES]);
        Self { id, key }
    }

    /// A new random key.
    pub fn generate() -> Self {
        let mut key = [0u8; KEY_BYTES];
        OsRng.fill_bytes(&mut key);
        Self::from_bytes(key)
    }

    /// Parses 64 hexadecimal digits (surrounding white space ignored, as in a key file).
    pub fn from_hex(text: &str) -> Result<Self, SealError> {
        let bytes = hex::decode(text.trim()).map_err(|_| SealError::BadKey)?;
        let key: [u8; KEY_BYTES] = bytes.try_into().map_err(|_| SealError::BadKey)?;
        Ok(Self::from_bytes(key))
    }

    /// The key as 64 hexadecimal digits, for writing a new key file.
    pub fn to_hex(&self) -> String {
        hex::encode(self.key)
    }

    /// The key's id in hexadecimal (safe to log: it does not reveal the key).
    pub fn id_hex(&self) -> String {
        hex::encode(self.id)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(Key::from_slice(&self.key))
    }
}

/// Seals with the current key and opens with any configured key. Cheap to clone.
#[derive(Clone)]
pub struct Sealer {
    /// The current key first, then older keys still accepted for opening.
    keys: Arc<[SecretKey]>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<String> = self.keys.iter().map(SecretKey::id_hex).collect();
        write!(f, "Sealer(key ids {ids:?})")
    }
}

impl Sealer {
    /// Seals with `current`; opens values sealed with it or with any of `older`.
    pub fn new(current: SecretKey, older: Vec<SecretKey>) -> Self {
        let mut keys = vec![current];
        keys.extend(older);
        Self { keys: keys.into() }
    }

    /// A sealer with a fresh random key that lives as long as the process: for tests and
    /// in-memory use, never for a database that outlives the process.
    pub fn ephemeral() -> Self {
        Self::new(SecretKey::generate(), Vec::new())
    }

    /// The id of the key that seals.
    pub fn current_key_id(&self) -> String {
        self.keys[0].id_hex()
    }

    /// Whether `stored` is in the sealed format (whatever the key).
    pub fn is_sealed(stored: &[u8]) -> bool {
        stored.len() >= HEADER_BYTES + TAG_BYTES && stored.starts_with(MAGIC)
    }

    /// Whether `stored` is sealed with the current key (so it need not be resealed).
    pub fn is_current(&self, stored: &[u8]) -> bool {
        Self::is_sealed(stored)
            && stored[MAGIC.len()..MAGIC.len() + KEY_ID_BYTES] == self.keys[0].id
    }

    /// Seals `plaintext`, bound to `context` (the purpose and owner).
    pub fn seal(&self, context: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
        let key = &self.keys[0];
        let mut nonce = [0u8; NONCE_BYTES];
        OsRng.fill_bytes(&mut nonce);
        let sealed = key
            .cipher()
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context,
                },
            )
            .map_err(|_| SealError::Tampered)?;
        let mut out = Vec::with_capacity(HEADER_BYTES + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&key.id);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens a value sealed for `context`.
    pub fn open(&self, context: &[u8], stored: &[u8]) -> Result<Vec<u8>, SealError> {
        if !Self::is_sealed(stored) {
            return Err(SealError::NotSealed);
        }
        let id = &stored[MAGIC.len()..MAGIC.len() + KEY_ID_BYTES];
        let key = self
            .keys
            .iter()
            .find(|k| k.id == id)
            .ok_or_else(|| SealError::UnknownKey(hex::encode(id)))?;
        let nonce = &stored[MAGIC.len() + KEY_ID_BYTES..HEADER_BYTES];
        key.cipher()
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: &stored[HEADER_BYTES..],
                    aad: context,
                },
            )
            .map_err(|_| SealError::Tampered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_bound_to_context() {
        let sealer = Sealer::ephemeral();
        let sealed = sealer.seal(b"totp:a", b"twenty bytes secret!").unwrap();
        assert!(Sealer::is_sealed(&sealed));
        assert!(sealer.is_current(&sealed));
        assert!(!sealed.windows(6).any(|w| w == b"twenty"));
        assert_eq!(
            sealer.open(b"totp:a", &sealed).unwrap(),
            b"twenty bytes secret!"
        );
        assert_eq!(sealer.open(b"totp:b", &sealed), Err(SealError::Tampered));
        let mut changed = sealed.clone();
        let last = changed.len() - 1;
        changed[last] ^= 1;
        assert_eq!(sealer.open(b"totp:a", &changed), Err(SealError::Tampered));
        assert_eq!(
            sealer.open(b"totp:a", b"twenty bytes secret!"),
            Err(SealError::NotSealed)
        );
        // Same plaintext, different nonce.
        assert_ne!(
            sealed,
            sealer.seal(b"totp:a", b"twenty bytes secret!").unwrap()
        );
    }

    #[test]
    fn old_keys_open_and_unknown_keys_are_named() {
        let old = SecretKey::generate();
        let sealed = Sealer::new(old.clone(), Vec::new())
            .seal(b"c", b"secret")
            .unwrap();
        let rotated = Sealer::new(SecretKey::generate(), vec![old.clone()]);
        assert_eq!(rotated.open(b"c", &sealed).unwrap(), b"secret");
        assert!(!rotated.is_current(&sealed));
        let other = Sealer::ephemeral();
        assert_eq!(
            other.open(b"c", &sealed),
            Err(SealError::UnknownKey(old.id_hex()))
        );
    }

    #[test]
    fn keys_parse_from_hex_and_never_show() {
        let key = SecretKey::generate();
        let parsed = SecretKey::from_hex(&format!(" {}\n", key.to_hex())).unwrap();
        assert_eq!(parsed.id_hex(), key.id_hex());
        assert!(!format!("{key:?}").contains(&key.to_hex()));
        assert_eq!(SecretKey::from_hex("abcd").unwrap_err(), SealError::BadKey);
        assert_eq!(
            SecretKey::from_hex(&"zz".repeat(32)).unwrap_err(),
            SealError::BadKey
        );
    }
}
