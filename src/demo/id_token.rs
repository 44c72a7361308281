//! ID tokens: compact JWTs signed with HS256 under a key made fresh for each run.
//!
//! A public client holds no secret to check an HS256 signature with, and needs none: it received the token straight
//! from the token endpoint over a connection it opened (OpenID Connect Core §3.1.3.7 allows skipping the check then).
//! The signature is there so the token has the shape of a real one.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use ring::hmac;
use serde_json::{Value, json};

pub(crate) struct IdTokenSigner {
    key: hmac::Key,
}

impl IdTokenSigner {
    /// A signer with a random 256-bit key.
    pub(crate) fn new() -> IdTokenSigner {
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        IdTokenSigner { key: hmac::Key::new(hmac::HMAC_SHA256, &secret) }
    }

    /// `header.payload.signature` for these claims.
    pub(crate) fn sign(&self, claims: &Value) -> String {
        let header = json!({ "alg": "HS256", "typ": "JWT", "kid": "zorgtui-demo" });
        let signing_input = format!("{}.{}", encode_part(&header), encode_part(claims));
        let tag = hmac::sign(&self.key, signing_input.as_bytes());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
    }

    #[cfg(test)]
    fn verify(&self, token: &str) -> bool {
        let Some((input, signature)) = token.rsplit_once('.') else { return false };
        let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else { return false };
        hmac::verify(&self.key, input.as_bytes(), &signature).is_ok()
    }
}

fn encode_part(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_has_three_parts_and_a_valid_signature() {
        let signer = IdTokenSigner::new();
        let token = signer.sign(&json!({ "sub": "someone", "name": "Demo User" }));
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(payload["name"], "Demo User");
        assert!(signer.verify(&token));
        assert!(!IdTokenSigner::new().verify(&token), "another run's key must not verify it");
        let tampered = token.replacen(parts[1], &encode_part(&json!({ "sub": "admin" })), 1);
        assert!(!signer.verify(&tampered));
    }
}
