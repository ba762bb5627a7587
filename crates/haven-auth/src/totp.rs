//! Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30-second steps, as every
//! authenticator app expects), with one step of clock drift either way, and no code accepted
//! twice: the caller stores the last accepted step and passes it back.

use rand::RngCore;
use rand::rngs::OsRng;
use subtle::ConstantTimeEq;
use time::OffsetDateTime;
use totp_rs::{Algorithm, TOTP};

/// Seconds per step.
const STEP: u64 = 30;
/// Secret length in bytes: 160 bits, RFC 4226's recommendation.
const SECRET_BYTES: usize = 20;

/// A TOTP shared secret. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

impl TotpSecret {
    /// A new random secret.
    pub fn generate() -> Self {
        let mut bytes = vec![0u8; SECRET_BYTES];
        OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// Base32 without padding, as people type it into an authenticator app.
    pub fn to_base32(&self) -> String {
        base32_encode(&self.0)
    }

    /// Parses base32 as [`TotpSecret::to_base32`] writes it (case and spaces forgiven).
    pub fn from_base32(text: &str) -> Option<Self> {
        let mut bytes = Vec::new();
        let (mut buffer, mut bits) = (0u32, 0u32);
        for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
            let value = match c.to_ascii_uppercase() {
                upper @ 'A'..='Z' => u32::from(upper) - u32::from('A'),
                digit @ '2'..='7' => u32::from(digit) - u32::from('2') + 26,
                _ => return None,
            };
            buffer = (buffer << 5) | value;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                bytes.push(((buffer >> bits) & 0xff) as u8);
            }
        }
        Self::from_bytes(bytes)
    }

    /// For storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.clone()
    }

    /// From storage.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<Self> {
        (bytes.len() >= 16).then_some(Self(bytes))
    }

    fn totp(&self) -> TOTP {
        TOTP::new_unchecked(
            Algorithm::SHA1,
            6,
            1,
            STEP,
            self.0.clone(),
            Some("Haven".to_owned()),
            String::new(),
        )
    }
}

/// RFC 4648 base32, unpadded. Hand-written: twelve lines, and it keeps the secret's bytes out of
/// another dependency's API.
fn base32_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The `otpauth://` URI an authenticator app reads from a QR code.
pub fn otpauth_uri(secret: &TotpSecret, issuer: &str, account: &str) -> String {
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
        encode(issuer),
        encode(account),
        secret.to_base32(),
        encode(issuer)
    )
}

/// The URI as an SVG QR code, for pages that work without JavaScript.
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

fn step_of(at: OffsetDateTime) -> u64 {
    u64::try_from(at.unix_timestamp()).unwrap_or(0) / STEP
}

/// The code for the step containing `at` (for tests and set-up checks).
pub fn code_at(secret: &TotpSecret, at: OffsetDateTime) -> String {
    secret.totp().generate(step_of(at) * STEP)
}

/// Checks `typed` at time `at`. Returns the step it belongs to, which the caller stores; a code
/// from that step or any earlier one is refused, so an overheard code cannot be replayed.
pub fn verify(
    secret: &TotpSecret,
    typed: &str,
    at: OffsetDateTime,
    last_used_step: Option<u64>,
) -> Option<u64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != 6 || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_of(at);
    let totp = secret.totp();
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .filter(|step| last_used_step.is_none_or(|last| *step > last))
        .find(|step| {
            let expected = totp.generate(step * STEP);
            bool::from(expected.as_bytes().ct_eq(typed.as_bytes()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn rfc_6238_test_vector() {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890", T = 59 s: 94287082
        // (8 digits); its last six digits are the 6-digit code.
        let secret = TotpSecret(b"12345678901234567890".to_vec());
        assert_eq!(
            code_at(&secret, datetime!(1970-01-01 00:00:59 UTC)),
            "287082"
        );
        assert_eq!(secret.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        let parsed = TotpSecret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").unwrap();
        assert_eq!(parsed, secret);
        assert_eq!(TotpSecret::from_base32("not base32!"), None);
        let random = TotpSecret::generate();
        assert_eq!(TotpSecret::from_base32(&random.to_base32()), Some(random));
    }

    #[test]
    fn accepts_drift_of_one_step_and_never_twice() {
        let secret = TotpSecret::generate();
        let now = datetime!(2026-11-22 12:00:10 UTC);
        let code = code_at(&secret, now);
        let step = verify(&secret, &code, now, None).unwrap();
        assert_eq!(
            verify(&secret, &code, now, Some(step)),
            None,
            "reuse refused"
        );
        let late = now + time::Duration::seconds(30);
        assert_eq!(
            verify(&secret, &code, late, None),
            Some(step),
            "one step of drift"
        );
        let too_late = now + time::Duration::seconds(90);
        assert_eq!(verify(&secret, &code, too_late, None), None);
        assert_eq!(verify(&secret, "12345", now, None), None);
        assert_eq!(verify(&secret, "abcdef", now, None), None);
    }

    #[test]
    fn uri_and_qr() {
        let secret = TotpSecret::generate();
        let uri = otpauth_uri(&secret, "Haven", "amina@example.org");
        assert!(uri.starts_with("otpauth://totp/Haven:amina@example.org?secret="));
        assert!(qr_svg(&uri).unwrap().contains("<svg"));
        assert_eq!(format!("{secret:?}"), "TotpSecret(…)");
    }
}
