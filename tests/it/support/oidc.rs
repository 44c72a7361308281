//! A real authorization server for tests: oidc-provider (tests/oidc/server.mjs) laid out like Keycloak, on
//! 127.0.0.1 with an ephemeral port, killed when its handle drops.
//!
//! The node process also exits by itself when its stdin closes, so it cannot outlive a test binary that
//! panicked, was killed or hung up in a way that skipped the drop.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use url::Url;

/// How long node may take to load oidc-provider and print its issuer. It takes about a quarter of a second on an
/// idle machine; the margin is for a busy CI box.
const START_TIMEOUT: Duration = Duration::from_secs(20);

const NATIVE_CLIENT_ID: &str = "zorgtui";
const CONSENT_CLIENT_ID: &str = "zorgtui.consent";
const PASTE_CLIENT_ID: &str = "zorgapis.postman";
const PASTE_REDIRECT_URI: &str = "https://oauth.pstmn.io/v1/callback";

/// Per-start settings of the server.
#[derive(Debug, Clone)]
pub struct OidcOptions {
    /// The realm in the paths: issuer `http://127.0.0.1:PORT/realms/<realm>`.
    pub realm: String,
    /// Access token lifetime (whole seconds, at least one).
    pub access_token_ttl: Duration,
    /// Refresh token lifetime; `None` keeps oidc-provider's 14 days.
    pub refresh_token_ttl: Option<Duration>,
    /// `interval` added to device authorization responses. `None` keeps oidc-provider's response, which has no
    /// `interval` (RFC 8628 then means 5 seconds); Keycloak sends `interval: 5`.
    pub device_poll_interval: Option<Duration>,
    /// Where the server writes the private key of `zorgtui.jwt` (PKCS#8 PEM, 0600).
    pub client_key_file: Option<PathBuf>,
    /// The script to run in tests/oidc: `server.mjs` (oidc-provider) or `mock.mjs` (oauth2-mock-server).
    pub script: &'static str,
    /// How the server publishes its metadata (`METADATA` in the scripts).
    pub metadata: Metadata,
}

/// Where a test server's metadata is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metadata {
    /// The OpenID Connect discovery document, as Keycloak serves it.
    OpenId,
    /// Only RFC 8414 authorization server metadata (path-inserted for an issuer with a path); no OpenID document.
    Rfc8414Only,
    /// The OpenID document without revocation, device and introspection endpoints, which only RFC 8414's lists.
    Split,
}

impl Metadata {
    fn env(self) -> &'static str {
        match self {
            Metadata::OpenId => "openid",
            Metadata::Rfc8414Only => "rfc8414",
            Metadata::Split => "split",
        }
    }
}

/// The secret of the confidential clients: a canary, searched for where it must never be.
pub const CLIENT_SECRET: &str = "canary-client-secret-7f3a9c";

impl Default for OidcOptions {
    fn default() -> Self {
        Self {
            realm: "zorgapis".to_owned(),
            access_token_ttl: Duration::from_secs(5),
            refresh_token_ttl: None,
            device_poll_interval: None,
            client_key_file: None,
            script: "server.mjs",
            metadata: Metadata::OpenId,
        }
    }
}

impl OidcOptions {
    pub fn with_access_token_ttl(mut self, ttl: Duration) -> Self {
        self.access_token_ttl = ttl;
        self
    }

    pub fn with_refresh_token_ttl(mut self, ttl: Duration) -> Self {
        self.refresh_token_ttl = Some(ttl);
        self
    }

    /// axa-group's oauth2-mock-server instead of oidc-provider: another server, laid out another way.
    pub fn mock_server() -> Self {
        Self { script: "mock.mjs", ..Self::default() }
    }

    pub fn with_client_key_file(mut self, path: PathBuf) -> Self {
        self.client_key_file = Some(path);
        self
    }

    pub fn with_metadata(mut self, metadata: Metadata) -> Self {
        self.metadata = metadata;
        self
    }

    pub fn with_device_poll_interval(mut self, interval: Duration) -> Self {
        self.device_poll_interval = Some(interval);
        self
    }
}

/// A running oidc-provider. Dropping it kills the node process.
pub struct OidcServer {
    child: Child,
    /// Held only so that node's stdin stays open while the handle lives.
    _stdin: ChildStdin,
    issuer: Url,
    stderr: Arc<Mutex<String>>,
}

impl OidcServer {
    /// Starts the server and waits until it listens. Panics with what to do when it cannot start.
    pub async fn start(options: OidcOptions) -> OidcServer {
        let dir = oidc_dir();
        assert!(
            dir.join("node_modules/oidc-provider").is_dir(),
            "the test authorization server is not installed: run `npm ci --prefix tests/oidc` (needs Node 20+)"
        );
        let mut command = Command::new("node");
        command
            .arg(options.script)
            .current_dir(&dir)
            .env("REALM", &options.realm)
            .env("ACCESS_TOKEN_TTL", whole_seconds(options.access_token_ttl).to_string())
            .env_remove("REFRESH_TOKEN_TTL")
            .env_remove("DEVICE_POLL_INTERVAL")
            .env_remove("DEBUG")
            .env("CLIENT_SECRET", CLIENT_SECRET)
            .env("METADATA", options.metadata.env())
            .env_remove("CLIENT_KEY_FILE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(ttl) = options.refresh_token_ttl {
            command.env("REFRESH_TOKEN_TTL", whole_seconds(ttl).to_string());
        }
        if let Some(path) = &options.client_key_file {
            command.env("CLIENT_KEY_FILE", path);
        }
        if let Some(interval) = options.device_poll_interval {
            command.env("DEVICE_POLL_INTERVAL", whole_seconds(interval).to_string());
        }
        let mut child = command.spawn().unwrap_or_else(|e| {
            panic!("cannot run `node` for the test authorization server (is Node 20+ on PATH?): {e}")
        });

        let stdin = child.stdin.take().expect("stdin is piped");
        let stderr = Arc::new(Mutex::new(String::new()));
        tokio::spawn(collect_lines(child.stderr.take().expect("stderr is piped"), Arc::clone(&stderr)));
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();

        let first_line = tokio::time::timeout(START_TIMEOUT, stdout.next_line()).await;
        let issuer = match first_line {
            Ok(Ok(Some(line))) => Url::parse(line.trim()).unwrap_or_else(|e| {
                panic!("the test authorization server printed {line:?} instead of its issuer: {e}")
            }),
            Ok(Ok(None)) => {
                // Give the stderr reader a moment to collect why node stopped.
                let status = tokio::time::timeout(Duration::from_secs(2), child.wait()).await;
                tokio::time::sleep(Duration::from_millis(100)).await;
                panic!(
                    "the test authorization server exited ({status:?}) before printing its issuer; its stderr:\n{}",
                    stderr.lock().unwrap()
                );
            }
            Ok(Err(e)) => panic!("cannot read the test authorization server's stdout: {e}"),
            Err(elapsed) => panic!(
                "the test authorization server did not start within {START_TIMEOUT:?} ({elapsed}); its stderr:\n{}",
                stderr.lock().unwrap()
            ),
        };
        // Nothing else is printed on stdout, but keep draining it so node can never block on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = stdout.next_line().await {} });

        OidcServer { child, _stdin: stdin, issuer, stderr }
    }

    /// `http://127.0.0.1:PORT/realms/REALM`, exactly as the server writes it in `iss`.
    pub fn issuer(&self) -> &Url {
        &self.issuer
    }

    /// `ISSUER/.well-known/openid-configuration`.
    pub fn discovery_url(&self) -> Url {
        self.at("/.well-known/openid-configuration")
    }

    /// `ISSUER/protocol/openid-connect/<name>`, for `auth`, `token`, `revoke`, `auth/device`, `userinfo`, `certs`.
    pub fn endpoint(&self, name: &str) -> Url {
        self.at(&format!("/protocol/openid-connect/{name}"))
    }

    /// The node process id, to check that it is gone after a drop.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// What the server wrote on stderr so far (oidc-provider's warnings, crashes).
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn at(&self, path: &str) -> Url {
        Url::parse(&format!("{}{path}", self.issuer)).expect("issuer plus a path is a URL")
    }
}

// The clients are the same on every start today; they are methods so tests need not change if that stops.
#[allow(clippy::unused_self)]
impl OidcServer {
    /// The public native client: PKCE (S256) required, loopback redirect `http://127.0.0.1/callback` on any
    /// port, consent skipped, refresh tokens always issued and rotated.
    pub fn native_client_id(&self) -> &'static str {
        NATIVE_CLIENT_ID
    }

    /// The public client whose only redirects are Postman's https ones, for the "paste the URL" path.
    pub fn paste_client_id(&self) -> &'static str {
        PASTE_CLIENT_ID
    }

    /// A redirect URI registered for [`Self::paste_client_id`].
    pub fn paste_redirect_uri(&self) -> Url {
        Url::parse(PASTE_REDIRECT_URI).expect("constant URL")
    }

    /// Like the native client, but the person must approve a consent page after signing in.
    pub fn consent_client_id(&self) -> &'static str {
        CONSENT_CLIENT_ID
    }
}

impl std::fmt::Debug for OidcServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcServer").field("issuer", &self.issuer.as_str()).finish_non_exhaustive()
    }
}

fn oidc_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

fn whole_seconds(duration: Duration) -> u64 {
    duration.as_secs().max(1)
}

async fn collect_lines(stream: impl AsyncRead + Unpin, into: Arc<Mutex<String>>) {
    let mut lines = BufReader::new(stream).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        let mut text = into.lock().unwrap();
        text.push_str(&line);
        text.push('\n');
    }
}
