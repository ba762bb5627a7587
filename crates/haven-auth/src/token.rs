//! Random secrets handed to people (session ids, set-up and invitation links, API tokens):
//! 256 bits from the operating system, URL-safe, and stored only as their SHA-256 digest, so a
//! copy of the database does not hold a single usable token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A freshly made token: the secret to hand out once, and the digest to store.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// Give this to the person (in a cookie or a link); never store or log it.
    pub secret: String,
    /// Store this.
    pub digest: String,
}

/// Makes a 256-bit random token.
pub fn new_token() -> NewToken {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let digest = digest(&secret);
    NewToken { secret, digest }
}

/// The stored form of a token.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares two secrets in constant time (for CSRF tokens held in the session).
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_digested() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.secret.len(), 43, "32 bytes in unpadded base64url");
        assert_eq!(digest(&a.secret), a.digest);
        assert_ne!(a.digest, a.secret);
        assert!(same_secret(&a.secret, &a.secret.clone()));
        assert!(!same_secret(&a.secret, &b.secret));
        assert!(!same_secret("short", "longer"));
    }
}
