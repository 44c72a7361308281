//! The client's private key for `private_key_jwt`: a PEM file kept like a token file (private, never through a
//! link), RSA (PKCS#8 or PKCS#1, signing RS256) or P-256 (PKCS#8, signing ES256), read with ring, which rustls
//! already brings.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, RsaKeyPair};

use crate::auth::error::AuthError;

/// A key file is a few kilobytes; far more is not one.
const MAX_KEY_BYTES: u64 = 64 << 10;

pub enum SigningKey {
    Rsa(RsaKeyPair),
    Es256(EcdsaKeyPair),
}

impl SigningKey {
    /// Reads `path`, refusing a file others can read (with the `chmod 600` to run).
    pub fn read(path: &Path) -> Result<SigningKey, AuthError> {
        let failed = |reason: String| AuthError::ClientAuth(format!("client_key_file {}: {reason}", path.display()));
        let text = crate::private_files::read_to_string(path, MAX_KEY_BYTES)
            .map_err(|refusal| AuthError::ClientAuth(refusal.to_string()))?
            .ok_or_else(|| failed("no such file".into()))?;
        SigningKey::from_pem(&text).map_err(failed)
    }

    /// The key in a PEM text. The reason it is refused never quotes the key.
    pub fn from_pem(text: &str) -> Result<SigningKey, String> {
        let (label, der) = pem(text).ok_or("not a PEM file (no -----BEGIN ...----- block)")?;
        let rng = SystemRandom::new();
        match label.as_str() {
            "PRIVATE KEY" => RsaKeyPair::from_pkcs8(&der)
                .map(SigningKey::Rsa)
                .or_else(|_| {
                    EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &der, &rng)
                        .map(SigningKey::Es256)
                })
                .map_err(|_| "a PKCS#8 key that is neither RSA (2048 bits or more) nor P-256".to_string()),
            "RSA PRIVATE KEY" => {
                RsaKeyPair::from_der(&der).map(SigningKey::Rsa).map_err(|_| "an RSA key ring cannot read".to_string())
            }
            "EC PRIVATE KEY" => Err("a SEC1 EC key: convert it with `openssl pkcs8 -topk8 -nocrypt -in KEY`".into()),
            "ENCRYPTED PRIVATE KEY" => Err("an encrypted key: zorgtui needs it unencrypted (and the file 0600)".into()),
            other => Err(format!("a PEM block of type `{other}`, not a private key")),
        }
    }

    /// The JWS algorithm this key signs with.
    pub fn alg(&self) -> &'static str {
        match self {
            SigningKey::Rsa(_) => "RS256",
            SigningKey::Es256(_) => "ES256",
        }
    }

    pub fn sign(&self, input: &[u8]) -> Result<Vec<u8>, AuthError> {
        let rng = SystemRandom::new();
        let failed = || AuthError::ClientAuth("signing the client assertion failed".into());
        match self {
            SigningKey::Rsa(key) => {
                let mut signature = vec![0; key.public().modulus_len()];
                key.sign(&signature::RSA_PKCS1_SHA256, &rng, input, &mut signature).map_err(|_| failed())?;
                Ok(signature)
            }
            SigningKey::Es256(key) => Ok(key.sign(&rng, input).map_err(|_| failed())?.as_ref().to_vec()),
        }
    }
}

/// The label and bytes of the first PEM block in `text`.
fn pem(text: &str) -> Option<(String, Vec<u8>)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + "-----BEGIN ".len()..];
    let label_end = rest.find("-----")?;
    let label = rest[..label_end].to_string();
    let body = &rest[label_end + 5..];
    let end = body.find(&format!("-----END {label}-----"))?;
    let base64: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
    Some((label, STANDARD.decode(base64).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_p256_key_signs_what_its_public_half_verifies() {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pem =
            format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", STANDARD.encode(pkcs8.as_ref()));
        let key = SigningKey::from_pem(&pem).unwrap();
        assert_eq!(key.alg(), "ES256");
        let signature = key.sign(b"input").unwrap();
        let SigningKey::Es256(pair) = &key else { unreachable!() };
        let public = ring::signature::KeyPair::public_key(pair).as_ref().to_vec();
        signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, public)
            .verify(b"input", &signature)
            .unwrap();
        assert!(SigningKey::from_pem("not pem").is_err());
        let sec1 = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n";
        assert!(SigningKey::from_pem(sec1).err().unwrap().contains("openssl pkcs8"));
    }
}
