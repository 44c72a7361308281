//! Random secrets, ids and clock readings the demo hands out.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

/// 256 random bits, URL-safe: tokens, codes, device codes and sign-in sessions.
pub(crate) fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A random version-4 UUID, for things the demo creates at run time.
pub(crate) fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format_uuid(bytes)
}

/// A UUID derived from `name`, so generated demo data keeps the same ids from run to run.
pub(crate) fn stable_uuid(name: &str) -> String {
    let digest = Sha256::digest(name.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    format_uuid(bytes)
}

fn format_uuid(mut bytes: [u8; 16]) -> String {
    // Version 4 and the RFC 9562 variant, so the ids look like what ZorgAPIs sends.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = bytes.iter().fold(String::with_capacity(32), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    });
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Seconds since the Unix epoch, for JWT claims.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())
}

/// The S256 code challenge of a PKCE `code_verifier` (RFC 7636 §4.2).
pub(crate) fn s256_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Whether `text` is a well-formed PKCE verifier or challenge: 43 to 128 unreserved characters (RFC 7636 §4.1).
pub(crate) fn is_pkce_text(text: &str) -> bool {
    (43..=128).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_the_v4_shape() {
        for id in [random_uuid(), stable_uuid("x")] {
            assert_eq!(id.len(), 36);
            assert_eq!(&id[14..15], "4");
            assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
        }
        assert_eq!(stable_uuid("same"), stable_uuid("same"));
        assert_ne!(random_uuid(), random_uuid());
    }

    #[test]
    fn secrets_carry_256_bits() {
        assert_eq!(random_secret().len(), 43);
    }

    #[test]
    fn s256_matches_rfc_7636_appendix_b() {
        assert_eq!(
            s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn pkce_text_rules() {
        assert!(is_pkce_text(&"a".repeat(43)));
        assert!(!is_pkce_text(&"a".repeat(42)));
        assert!(!is_pkce_text(&"a".repeat(129)));
        assert!(!is_pkce_text(&format!("{}+", "a".repeat(43))));
    }
}
