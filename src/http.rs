//! HTTP for every engine: the one client factory and the one way a body is read.
//!
//! Every request zorgtui makes (API calls, discovery, tokens, revocation, userinfo, specs) goes through an [`Http`]:
//! it waits at most `timeout` for the response head, and its [`Response`] reads the body in chunks, after
//! decompression, stopping at a per-kind limit ([`Limits`]) and at a silence longer than `timeout` between chunks.
//! A server can therefore neither fill memory nor the disk, however it encodes its answer, nor hold a request open
//! without being noticed. Libraries that do their own HTTP (the oauth2 crate) are handed an [`Http`] too
//! (`oauth2_client`).
//!
//! Every client honours `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (reqwest reads them) and trusts the profile's extra CA
//! file. API calls follow redirects; the OAuth client never does (a redirect there is a misconfiguration or an
//! attack).

mod body;
mod error;
mod oauth2_client;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::config::Limits;

pub use body::{BodyKind, Response};
pub use error::{ClientError, SendError, explain, host_of};

/// What a client is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// API calls: redirects followed (up to 10).
    Api,
    /// Token, discovery and revocation requests: redirects never followed.
    OAuth,
}

/// Settings shared by every client of a profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpSettings {
    pub ca_file: Option<PathBuf>,
    /// How long to wait for a response's head, and for each next piece of its body; `None` waits until the person
    /// cancels. Never the whole body: a large download that keeps flowing is not "no response".
    pub timeout: Option<Duration>,
    /// How much of each kind of body is taken before the read stops.
    pub limits: Limits,
}

impl HttpSettings {
    /// The settings a profile asks for.
    pub fn for_profile(profile: &crate::config::Profile) -> HttpSettings {
        HttpSettings { ca_file: profile.ca_file.clone(), timeout: Some(profile.timeout), limits: profile.limits }
    }
}

/// A client with its timeout and limits: the only way zorgtui talks HTTP. Cloning is cheap (reqwest's client is
/// shared).
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    timeout: Option<Duration>,
    limits: Limits,
}

impl Http {
    /// Makes a client for `purpose` with the profile's settings.
    pub fn new(settings: &HttpSettings, purpose: Purpose) -> Result<Http, ClientError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("zorgtui/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .redirect(match purpose {
                Purpose::Api => api_redirects(),
                Purpose::OAuth => reqwest::redirect::Policy::none(),
            });
        if let Some(path) = &settings.ca_file {
            for cert in read_ca_file(path)? {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder.build().map_err(|e| ClientError::Build(e.to_string()))?;
        Ok(Http { client, timeout: settings.timeout, limits: settings.limits })
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A request to fill in and hand to [`Http::send`].
    pub fn request(&self, method: reqwest::Method, url: impl reqwest::IntoUrl) -> reqwest::RequestBuilder {
        self.client.request(method, url)
    }

    pub fn get(&self, url: impl reqwest::IntoUrl) -> reqwest::RequestBuilder {
        self.client.get(url)
    }

    pub fn post(&self, url: impl reqwest::IntoUrl) -> reqwest::RequestBuilder {
        self.client.post(url)
    }

    /// Sends `request` and waits (at most the timeout) for the response's head; the body is then read through the
    /// returned [`Response`], within its limits.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Result<Response, SendError> {
        let request = request.build().map_err(|e| explain("the server", &e))?;
        self.execute(request).await
    }

    pub(crate) async fn execute(&self, request: reqwest::Request) -> Result<Response, SendError> {
        let host = host_of(request.url().as_str());
        let sent = self.client.execute(request);
        let response = match self.timeout {
            Some(limit) => {
                tokio::time::timeout(limit, sent).await.map_err(|_| SendError::Timeout { host: host.clone() })?
            }
            None => sent.await,
        };
        let response = response.map_err(|e| explain(&host, &e))?;
        Ok(Response::new(response, host, self.timeout, self.limits))
    }
}

/// API calls follow redirects, but never from https down to http: a token or a body must not fall back to clear
/// text on the way (reqwest drops `Authorization` only when the host or port changes).
fn api_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let downgrade =
            attempt.previous().last().is_some_and(|from| from.scheme() == "https") && attempt.url().scheme() == "http";
        if downgrade {
            attempt.error("refused a redirect from https to plain http")
        } else if attempt.previous().len() >= 10 {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

fn read_ca_file(path: &Path) -> Result<Vec<reqwest::Certificate>, ClientError> {
    let pem = std::fs::read(path).map_err(|source| ClientError::CaRead { path: path.to_path_buf(), source })?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| ClientError::CaParse { path: path.to_path_buf(), detail: e.to_string() })?;
    if certs.is_empty() {
        return Err(ClientError::CaParse { path: path.to_path_buf(), detail: "no certificate found".into() });
    }
    Ok(certs)
}

/// Whether a URL names this machine (127.0.0.0/8, ::1, localhost).
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}
