//! ID tokens: compact JWTs signed ES256 with a P-256 key made fresh for each run, its public half published as the
//! realm's JWKS (`/protocol/openid-connect/certs`), so a client checks them as it checks a real server's.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _, UnparsedPublicKey,
};
use serde_json::{Value, json};

/// The key's id in the JWKS and in every token's header.
const KID: &str = "zorgtui-demo-es256";

pub(crate) struct IdTokenSigner {
    key: EcdsaKeyPair,
    rng: SystemRandom,
}

impl IdTokenSigner {
    /// A signer with a new P-256 key.
    pub(crate) fn new() -> IdTokenSigner {
        let rng = SystemRandom::new();
        // ring makes and reads its own PKCS#8 document: neither step can fail short of a broken RNG.
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).expect("a P-256 key");
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).expect("its key");
        IdTokenSigner { key, rng }
    }

    /// `header.payload.signature` for these claims.
    pub(crate) fn sign(&self, claims: &Value) -> String {
        let header = json!({ "alg": "ES256", "typ": "JWT", "kid": KID });
        let signing_input = format!("{}.{}", encode_part(&header), encode_part(claims));
        let signature = self.key.sign(&self.rng, signing_input.as_bytes()).map(|s| s.as_ref().to_vec());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.unwrap_or_default()))
    }

    /// The claims of a token this signer signed (an `id_token_hint` coming back to the end-session endpoint);
    /// `None` for anything else. Its expiry is not checked: a hint may be an old token (RP-Initiated Logout 2).
    pub(crate) fn verify(&self, token: &str) -> Option<Value> {
        let (signing_input, signature) = token.rsplit_once('.')?;
        let (header, payload) = signing_input.split_once('.')?;
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
        if header.get("alg")? != "ES256" || header.get("kid")? != KID {
            return None;
        }
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        let key = UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, self.key.public_key().as_ref());
        key.verify(signing_input.as_bytes(), &signature).ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
    }

    /// The public key as a JWKS (RFC 7517).
    pub(crate) fn jwks(&self) -> Value {
        let point = self.key.public_key().as_ref();
        json!({ "keys": [{
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": KID,
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]), "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
        }]})
    }
}

fn encode_part(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::id_token;
    use crate::auth::jwks::KeySet;

    #[test]
    fn tokens_verify_against_the_published_keys_only() {
        let signer = IdTokenSigner::new();
        let token = signer.sign(&json!({ "sub": "someone", "name": "Demo User" }));
        let keys: KeySet = serde_json::from_value(signer.jwks()).unwrap();
        let parts = id_token::parts(&token).unwrap();
        assert_eq!(parts.claims["name"], "Demo User");
        assert_eq!(id_token::check_signature(&parts, &keys, None), Ok(()));
        let other: KeySet = serde_json::from_value(IdTokenSigner::new().jwks()).unwrap();
        assert!(id_token::check_signature(&parts, &other, None).is_err(), "another run's key must not verify it");
        let tampered = token.replacen(token.split('.').nth(1).unwrap(), &encode_part(&json!({ "sub": "admin" })), 1);
        assert!(id_token::check_signature(&id_token::parts(&tampered).unwrap(), &keys, None).is_err());
        // The signer knows its own tokens again, and only those.
        assert_eq!(signer.verify(&token).unwrap()["name"], "Demo User");
        assert_eq!(signer.verify(&tampered), None);
        assert_eq!(IdTokenSigner::new().verify(&token), None);
        assert_eq!(signer.verify("not.a.token"), None);
    }
}
