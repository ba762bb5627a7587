//! Passwords: OWASP's rules (length 12 or more, no composition rules, refuse common and
//! breached ones) and Argon2id hashing with at least OWASP's minimum parameters.

use std::collections::HashSet;
use std::io::Read;
use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Fewest characters a password may have.
pub const MIN_CHARS: usize = 12;
/// Most characters: Argon2 would accept more, but a limit stops huge inputs being hashed.
pub const MAX_CHARS: usize = 256;

/// Why a new password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    /// Shorter than [`MIN_CHARS`].
    #[error("is shorter than 12 characters")]
    TooShort,
    /// Longer than [`MAX_CHARS`].
    #[error("is longer than 256 characters")]
    TooLong,
    /// On the list of common passwords.
    #[error("is one of the most common passwords")]
    Common,
    /// Contains the account's e-mail address or its local part.
    #[error("contains your e-mail address")]
    ContainsEmail,
}

impl PasswordProblem {
    /// A stable code, used as the message id suffix in the interface.
    pub const fn code(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "too-short",
            PasswordProblem::TooLong => "too-long",
            PasswordProblem::Common => "common",
            PasswordProblem::ContainsEmail => "contains-email",
        }
    }
}

/// Hashing failed: a defect, not a user mistake.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

fn common_passwords() -> &'static HashSet<String> {
    static LIST: OnceLock<HashSet<String>> = OnceLock::new();
    LIST.get_or_init(|| {
        let compressed: &[u8] = include_bytes!("../data/common-passwords.txt.gz");
        let mut text = String::new();
        // The file is embedded and tested; if it could not be read the set is empty, and the
        // test `common_list_is_loaded` fails the build's tests.
        let _ = flate2::read::GzDecoder::new(compressed).read_to_string(&mut text);
        text.lines()
            .map(|l| l.trim().to_lowercase())
            .filter(|l| !l.is_empty())
            .collect()
    })
}

/// Checks a new password against the policy. `email` is the account's address.
pub fn check_new_password(password: &str, email: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    if common_passwords().contains(&lower) {
        return Err(PasswordProblem::Common);
    }
    let email = email.to_lowercase();
    let local = email.split('@').next().unwrap_or("");
    if local.chars().count() >= 4 && lower.contains(local) {
        return Err(PasswordProblem::ContainsEmail);
    }
    Ok(())
}

/// Argon2id, m = 19 MiB, t = 2, p = 1: OWASP's minimum recommendation.
fn hasher() -> Result<Argon2<'static>, HashError> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| HashError(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password into a PHC string (algorithm, parameters and salt included).
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches `stored` (a PHC string from [`hash_password`]).
pub fn verify_password(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let Ok(hasher) = hasher() else {
        return false;
    };
    hasher.verify_password(password.as_bytes(), &parsed).is_ok()
}

/// A hash to verify against when there is no account, so that signing in as a stranger
/// takes as long as signing in with a wrong password and reveals nothing.
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password for unknown accounts").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_list_is_loaded() {
        assert!(common_passwords().len() > 19_000);
    }

    #[test]
    fn policy() {
        assert_eq!(
            check_new_password("short", "a@b.org"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_new_password(&"x".repeat(257), "a@b.org"),
            Err(PasswordProblem::TooLong)
        );
        assert_eq!(
            check_new_password("1234567890123", "a@b.org"),
            Err(PasswordProblem::Common)
        );
        assert_eq!(
            check_new_password("amina.hassan-rules", "amina.hassan@example.org"),
            Err(PasswordProblem::ContainsEmail)
        );
        assert!(check_new_password("correct horse battery staple", "a@b.org").is_ok());
        // Twelve characters in Arabic script are twelve characters.
        assert!(check_new_password("كلمة سر طويلة جدا", "a@b.org").is_ok());
    }

    #[test]
    fn hashes_verify_and_are_salted() {
        let one = hash_password("correct horse battery staple").unwrap();
        let two = hash_password("correct horse battery staple").unwrap();
        assert_ne!(one, two);
        assert!(one.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse battery staple", &one));
        assert!(!verify_password("correct horse battery stapler", &one));
        assert!(!verify_password("anything", "not a hash"));
        assert!(!verify_password("anything", decoy_hash()));
    }
}
