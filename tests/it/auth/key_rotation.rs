//! The issuer rotates its signing key after the engine fetched its JWKS: an ID token naming the new `kid` makes the
//! engine fetch the keys once more, and is then verified; one naming a key that is still not published fails, with
//! the kid in the message and no second fetch. A small issuer whose keys the test turns (device grant approved at
//! the first poll, ES256 ID tokens signed with the key the test picks).

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _};
use serde_json::{Value, json};
use zorgtui::auth::{AuthCommand, AuthStatus};

use crate::support::engine::{Engine, config_at};

/// A P-256 key and its name.
struct Key {
    kid: &'static str,
    pair: EcdsaKeyPair,
}

impl Key {
    fn new(kid: &'static str) -> Key {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        Key { kid, pair: EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap() }
    }

    fn jwk(&self) -> Value {
        let point = self.pair.public_key().as_ref();
        json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": self.kid,
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]), "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
        })
    }

    fn sign(&self, claims: &Value) -> String {
        let header = json!({ "alg": "ES256", "typ": "JWT", "kid": self.kid });
        let input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature = self.pair.sign(&SystemRandom::new(), input.as_bytes()).unwrap();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
    }
}

/// What the issuer publishes and signs with, and how often its JWKS was fetched.
struct Keys {
    published: Vec<Value>,
    signing: Arc<Key>,
    fetches: usize,
}

#[derive(Clone)]
struct Issuer {
    issuer: String,
    keys: Arc<Mutex<Keys>>,
}

impl Issuer {
    async fn start(first: &Arc<Key>) -> Issuer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}/realms/rotating", listener.local_addr().unwrap());
        let keys = Keys { published: vec![first.jwk()], signing: Arc::clone(first), fetches: 0 };
        let state = Issuer { issuer, keys: Arc::new(Mutex::new(keys)) };
        let router = axum::Router::new()
            .route("/realms/rotating/.well-known/openid-configuration", get(discovery))
            .route("/realms/rotating/device", post(device))
            .route("/realms/rotating/token", post(token))
            .route("/realms/rotating/certs", get(certs))
            .with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        state
    }

    /// Publishes only `publish`, and signs from now on with `sign`.
    fn turn(&self, publish: &[&Arc<Key>], sign: &Arc<Key>) {
        let mut keys = self.keys.lock().unwrap();
        keys.published = publish.iter().map(|key| key.jwk()).collect();
        keys.signing = Arc::clone(sign);
    }

    fn fetches(&self) -> usize {
        self.keys.lock().unwrap().fetches
    }
}

async fn discovery(State(issuer): State<Issuer>) -> Json<Value> {
    let at = |path: &str| format!("{}/{path}", issuer.issuer);
    Json(json!({
        "issuer": issuer.issuer,
        "authorization_endpoint": at("auth"),
        "token_endpoint": at("token"),
        "device_authorization_endpoint": at("device"),
        "jwks_uri": at("certs"),
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn device(State(issuer): State<Issuer>) -> Json<Value> {
    let verify = format!("{}/verify", issuer.issuer);
    Json(json!({ "device_code": "dc", "user_code": "ROTA-TING", "verification_uri": verify, "expires_in": 60 }))
}

async fn token(State(issuer): State<Issuer>) -> Json<Value> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let signing = Arc::clone(&issuer.keys.lock().unwrap().signing);
    let claims = json!({
        "iss": issuer.issuer, "aud": "zorgtui", "sub": "r1", "name": format!("Signed by {}", signing.kid),
        "iat": now, "exp": now + 300,
    });
    let id_token = signing.sign(&claims);
    Json(
        json!({ "access_token": "at", "token_type": "Bearer", "expires_in": 300, "scope": "openid", "id_token": id_token }),
    )
}

async fn certs(State(issuer): State<Issuer>) -> Json<Value> {
    let mut keys = issuer.keys.lock().unwrap();
    keys.fetches += 1;
    Json(json!({ "keys": keys.published }))
}

/// A device sign-in (approved at once), as far as the engine gets with it.
async fn sign_in(engine: &mut Engine) -> AuthStatus {
    engine.handle.send(AuthCommand::StartDevice);
    engine.until("signed in or failed", |s| matches!(s, AuthStatus::SignedIn(_) | AuthStatus::Failed { .. })).await
}

#[tokio::test]
async fn a_rotated_key_is_fetched_once_and_an_unknown_one_fails_without_a_second_fetch() {
    let (first, second, never) = (Arc::new(Key::new("k1")), Arc::new(Key::new("k2")), Arc::new(Key::new("k3")));
    let issuer = Issuer::start(&first).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(&issuer.issuer, "zorgtui", dir.path());
    config.scope = "openid".into();
    let mut engine = Engine::start(config);

    let AuthStatus::SignedIn(info) = sign_in(&mut engine).await else { panic!("{:?}", engine.seen) };
    assert_eq!(info.subject, "Signed by k1");
    assert_eq!(issuer.fetches(), 1, "the keys are fetched when a token first needs them");

    // Rotated: k1 is gone, tokens are signed with k2, which the cached set lacks.
    issuer.turn(&[&second], &second);
    let AuthStatus::SignedIn(info) = sign_in(&mut engine).await else { panic!("{:?}", engine.seen) };
    assert_eq!(info.subject, "Signed by k2", "verified with the key fetched again");
    assert_eq!(issuer.fetches(), 2, "one fetch more for the new kid");

    // A kid the server never publishes: one more fetch, then refused.
    issuer.turn(&[&second], &never);
    let status = sign_in(&mut engine).await;
    let AuthStatus::Failed { reason } = status else { panic!("a token signed with an unpublished key: {status:?}") };
    assert!(reason.contains("signed with a key (k3) the server does not publish"), "{reason}");
    assert_eq!(issuer.fetches(), 3, "fetched once again for it, and not a second time");

    // The set fetched last is kept: a token signed with k2 needs no fetch.
    issuer.turn(&[&second], &second);
    assert!(matches!(sign_in(&mut engine).await, AuthStatus::SignedIn(_)));
    assert_eq!(issuer.fetches(), 3);
}
