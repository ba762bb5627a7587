//! Recovery codes: ten single-use codes shown once when a second factor is set up, for when
//! the phone is lost. High-entropy, so a plain SHA-256 digest is a safe stored form.

use rand::Rng;
use rand::rngs::OsRng;

use crate::token::digest;

/// Codes made at a time.
pub const COUNT: usize = 10;

/// Letters and digits that cannot be mistaken for one another when read aloud or copied.
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A code as shown to the person: `xxxxx-xxxxx` (about 49 bits).
pub fn new_codes() -> Vec<String> {
    (0..COUNT)
        .map(|_| {
            let mut code = String::with_capacity(11);
            for i in 0..10 {
                if i == 5 {
                    code.push('-');
                }
                let index = OsRng.gen_range(0..ALPHABET.len());
                code.push(char::from(ALPHABET[index]));
            }
            code
        })
        .collect()
}

/// The stored form of a code, after normalising what a person might type.
pub fn code_digest(typed: &str) -> String {
    let normalised: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    digest(&normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_typing_is_forgiving() {
        let codes = new_codes();
        assert_eq!(codes.len(), COUNT);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), COUNT);
        let code = &codes[0];
        assert_eq!(code.len(), 11);
        assert_eq!(
            code_digest(code),
            code_digest(&code.to_uppercase().replace('-', " "))
        );
        assert_ne!(code_digest(&codes[0]), code_digest(&codes[1]));
    }
}
