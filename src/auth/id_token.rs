//! Checking an ID token (OpenID Connect Core 3.1.3.7): its signature against the issuer's keys (refetched once when
//! it names a key the set does not hold: the server rotated them), then `iss`, `aud`, `azp`, `exp`, `iat` and the
//! `nonce` this sign-in sent. Only a token that passes is believed.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::error::network_text;
use super::jwks::{self, KeySet, SignatureError};
use crate::secret::Secret;

/// How far the server's clock may be ahead of or behind ours.
pub const LEEWAY: Duration = Duration::from_secs(60);

/// What the token must say.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// The nonce the authorize request sent; `None` for a refresh (OpenID Connect Core 12.2 needs none).
    pub nonce: Option<&'a Secret>,
    /// The client secret, for an HS256 token.
    pub client_secret: Option<&'a Secret>,
    pub now: SystemTime,
}

/// The three parts of a compact JWS, decoded.
pub struct Parts {
    pub header: Value,
    pub claims: Value,
    pub signing_input: String,
    pub signature: Vec<u8>,
}

/// Splits and decodes a compact JWS; `None` when it is not one (an opaque token).
pub fn parts(token: &str) -> Option<Parts> {
    let mut split = token.split('.');
    let (header, payload, signature) = (split.next()?, split.next()?, split.next()?);
    if split.next().is_some() {
        return None;
    }
    let json = |part: &str| -> Option<Value> {
        let value: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?).ok()?;
        value.is_object().then_some(value)
    };
    Some(Parts {
        header: json(header)?,
        claims: json(payload)?,
        signing_input: format!("{header}.{payload}"),
        signature: URL_SAFE_NO_PAD.decode(signature.trim_end_matches('=')).ok()?,
    })
}

/// Checks the signature with `keys`; `Err(UnknownKid)` asks the caller to fetch the keys again and retry once.
pub fn check_signature(parts: &Parts, keys: &KeySet, client_secret: Option<&Secret>) -> Result<(), SignatureError> {
    let alg = parts.header.get("alg").and_then(Value::as_str).unwrap_or("none");
    let kid = parts.header.get("kid").and_then(Value::as_str);
    match (alg, client_secret) {
        ("HS256", Some(secret)) => jwks::verify_hmac(secret, parts.signing_input.as_bytes(), &parts.signature),
        ("HS256", None) => {
            Err(SignatureError::Invalid("signed HS256, which only a confidential client can check".into()))
        }
        _ => keys.verify(alg, kid, parts.signing_input.as_bytes(), &parts.signature),
    }
}

/// Checks the claims of a token whose signature checked out; the claims, or why they are refused.
pub fn check_claims(claims: &Value, expected: &Expected<'_>) -> Result<(), String> {
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    let time =
        |name: &str| claims.get(name).and_then(Value::as_u64).map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s));
    match text("iss") {
        Some(iss) if iss == expected.issuer => {}
        Some(iss) => return Err(format!("it was issued by {}, not {}", network_text(iss), expected.issuer)),
        None => return Err("it has no issuer (iss)".into()),
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(aud)) => vec![aud.as_str()],
        Some(Value::Array(auds)) => auds.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !audiences.contains(&expected.client_id) {
        return Err(format!("it is not for this client ({})", expected.client_id));
    }
    match text("azp") {
        Some(azp) if azp != expected.client_id => {
            return Err(format!("it was issued to another party ({})", network_text(azp)));
        }
        None if audiences.len() > 1 => return Err("it names several audiences but no authorized party (azp)".into()),
        _ => {}
    }
    let Some(exp) = time("exp") else { return Err("it has no expiry (exp)".into()) };
    if exp + LEEWAY <= expected.now {
        return Err("it has expired".into());
    }
    if time("iat").is_none() {
        return Err("it has no issue time (iat)".into());
    }
    if let Some(nonce) = expected.nonce {
        match text("nonce") {
            Some(found) if found == nonce.expose() => {}
            Some(_) => return Err("its nonce is not this sign-in's (a replayed token?)".into()),
            None => return Err("it carries no nonce, though this sign-in sent one".into()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expected(nonce: Option<&Secret>, now: SystemTime) -> Expected<'_> {
        Expected { issuer: "https://i", client_id: "c", nonce, client_secret: None, now }
    }

    #[test]
    fn claims_are_checked_one_by_one() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let nonce = Secret::new("n1");
        let good = json!({"iss": "https://i", "aud": "c", "exp": 1_000_100, "iat": 999_900, "nonce": "n1", "sub": "u"});
        assert_eq!(check_claims(&good, &expected(Some(&nonce), now)), Ok(()));
        let with = |field: &str, value: Value| {
            let mut claims = good.clone();
            claims[field] = value;
            check_claims(&claims, &expected(Some(&nonce), now)).unwrap_err()
        };
        assert!(with("iss", "https://evil".into()).contains("issued by https://evil"));
        assert!(with("aud", "other".into()).contains("not for this client"));
        assert!(with("aud", json!(["c", "api"])).contains("no authorized party"));
        assert!(with("azp", "other".into()).contains("another party"));
        assert!(with("exp", (1_000_000 - 61).into()).contains("expired"));
        assert!(with("nonce", "n2".into()).contains("nonce"));
        let mut several = good.clone();
        several["aud"] = json!(["c", "api"]);
        several["azp"] = "c".into();
        assert_eq!(check_claims(&several, &expected(Some(&nonce), now)), Ok(()));
        let mut no_nonce = good.clone();
        no_nonce.as_object_mut().unwrap().remove("nonce");
        assert!(check_claims(&no_nonce, &expected(Some(&nonce), now)).is_err());
        assert_eq!(check_claims(&no_nonce, &expected(None, now)), Ok(()), "a refreshed ID token needs no nonce");
        // Within the leeway an expired token still passes: clocks differ.
        let mut late = good.clone();
        late["exp"] = 999_990.into();
        assert_eq!(check_claims(&late, &expected(Some(&nonce), now)), Ok(()));
    }

    #[test]
    fn opaque_tokens_have_no_parts() {
        assert!(parts("opaque-token").is_none());
        assert!(parts("a.b").is_none());
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#);
        let claims = URL_SAFE_NO_PAD.encode(r#"{"sub":"x"}"#);
        let token = format!("{header}.{claims}.");
        let parsed = parts(&token).unwrap();
        assert_eq!(parsed.claims["sub"], "x");
        assert!(check_signature(&parsed, &KeySet::default(), None).is_err(), "alg none is never taken");
    }
}
