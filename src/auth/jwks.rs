//! The server's signing keys (JWKS, RFC 7517) and checking a JWS signature with them: RS256, PS256 and ES256 by
//! public key, HS256 by the client's secret (OpenID Connect Core 10.1). Verification is ring's, which rustls
//! already brings; no key of another kind is ever tried, and `none` is never accepted.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use serde::Deserialize;
use url::Url;

use super::error::{AuthError, network_text};
use crate::http::{BodyKind, Http};
use crate::secret::Secret;

/// The signature algorithms an ID token may use.
pub const ALGORITHMS: [&str; 4] = ["RS256", "PS256", "ES256", "HS256"];

/// A key set as published.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct KeySet {
    #[serde(default)]
    pub keys: Vec<Jwk>,
}

/// One public key; fields zorgtui does not use are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Jwk {
    pub kty: String,
    pub kid: Option<String>,
    pub alg: Option<String>,
    #[serde(rename = "use")]
    pub usage: Option<String>,
    pub crv: Option<String>,
    pub n: Option<String>,
    pub e: Option<String>,
    pub x: Option<String>,
    pub y: Option<String>,
}

/// Why a signature did not check out; `UnknownKid` is worth fetching the keys again for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    UnknownKid(String),
    Invalid(String),
}

impl KeySet {
    /// Fetches `uri` through the bounded reader.
    pub async fn fetch(http: &Http, uri: &Url) -> Result<KeySet, AuthError> {
        let failed =
            |reason: String| AuthError::IdToken(format!("the signing keys at {uri} could not be read: {reason}"));
        let response = http
            .send(http.get(uri.clone()).header(reqwest::header::ACCEPT, "application/json"))
            .await
            .map_err(|e| failed(e.to_string()))?;
        if !response.status().is_success() {
            return Err(failed(format!("HTTP {}", response.status())));
        }
        let body = response.bytes(BodyKind::Jwks).await.map_err(|e| failed(e.to_string()))?;
        serde_json::from_slice(&body)
            .map_err(|e| failed(format!("not a JWKS (line {}, column {})", e.line(), e.column())))
    }

    /// Checks `signature` over `input` for `alg` with the key named `kid` (or, without one, any key that fits).
    pub fn verify(&self, alg: &str, kid: Option<&str>, input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        let family = match alg {
            "RS256" | "PS256" => "RSA",
            "ES256" => "EC",
            other => return Err(SignatureError::Invalid(format!("algorithm {} is not accepted", network_text(other)))),
        };
        let fits = |key: &&Jwk| {
            key.kty == family
                && kid.is_none_or(|kid| key.kid.as_deref() == Some(kid))
                && key.alg.as_deref().is_none_or(|a| a == alg)
                && key.usage.as_deref().is_none_or(|u| u == "sig")
        };
        let candidates: Vec<&Jwk> = self.keys.iter().filter(fits).collect();
        if candidates.is_empty() {
            return Err(match kid {
                Some(kid) => SignatureError::UnknownKid(network_text(kid)),
                None => SignatureError::Invalid(format!("the server publishes no {alg} key")),
            });
        }
        if candidates.iter().any(|key| verify_with(key, alg, input, signature)) {
            Ok(())
        } else {
            Err(SignatureError::Invalid("the signature does not match the server's key".into()))
        }
    }
}

fn verify_with(key: &Jwk, alg: &str, input: &[u8], signature: &[u8]) -> bool {
    let decode = |part: &Option<String>| part.as_deref().and_then(|p| URL_SAFE_NO_PAD.decode(p).ok());
    match alg {
        "RS256" | "PS256" => {
            let (Some(n), Some(e)) = (decode(&key.n), decode(&key.e)) else { return false };
            let params = if alg == "RS256" {
                &signature::RSA_PKCS1_2048_8192_SHA256
            } else {
                &signature::RSA_PSS_2048_8192_SHA256
            };
            RsaPublicKeyComponents { n: &n, e: &e }.verify(params, input, signature).is_ok()
        }
        "ES256" => {
            let (Some(x), Some(y)) = (decode(&key.x), decode(&key.y)) else { return false };
            if key.crv.as_deref() != Some("P-256") || x.len() != 32 || y.len() != 32 {
                return false;
            }
            let point = [&[4u8][..], &x, &y].concat();
            UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point).verify(input, signature).is_ok()
        }
        _ => false,
    }
}

/// Checks an HS256 signature with the client's secret.
pub fn verify_hmac(secret: &Secret, input: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.expose().as_bytes());
    ring::hmac::verify(&key, input, signature)
        .map_err(|_| SignatureError::Invalid("the HS256 signature does not match the client secret".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{EcdsaKeyPair, KeyPair as _};

    fn es256() -> (EcdsaKeyPair, Jwk) {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
        let point = pair.public_key().as_ref().to_vec();
        let jwk = Jwk {
            kty: "EC".into(),
            kid: Some("k1".into()),
            crv: Some("P-256".into()),
            x: Some(URL_SAFE_NO_PAD.encode(&point[1..33])),
            y: Some(URL_SAFE_NO_PAD.encode(&point[33..])),
            ..Jwk::default()
        };
        (pair, jwk)
    }

    #[test]
    fn keys_are_chosen_by_kid_and_kind() {
        let (pair, jwk) = es256();
        let signature = pair.sign(&SystemRandom::new(), b"input").unwrap();
        let set = KeySet { keys: vec![jwk] };
        assert_eq!(set.verify("ES256", Some("k1"), b"input", signature.as_ref()), Ok(()));
        assert_eq!(set.verify("ES256", None, b"input", signature.as_ref()), Ok(()));
        assert_eq!(
            set.verify("ES256", Some("k2"), b"input", signature.as_ref()),
            Err(SignatureError::UnknownKid("k2".into()))
        );
        assert!(matches!(
            set.verify("ES256", Some("k1"), b"other", signature.as_ref()),
            Err(SignatureError::Invalid(_))
        ));
        assert!(matches!(set.verify("RS256", None, b"input", signature.as_ref()), Err(SignatureError::Invalid(_))));
        assert!(matches!(set.verify("none", None, b"input", b""), Err(SignatureError::Invalid(_))));
    }
}
