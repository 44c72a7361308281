//! The one factory for HTTP clients, and sending an API request.
//!
//! Every client honours `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (reqwest reads them) and trusts the profile's extra CA
//! file. API calls follow redirects; the OAuth client never does (a redirect there is a misconfiguration or an attack).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bytes::Bytes;
use thiserror::Error;

use super::request::PreparedRequest;
use super::response::{ApiResponse, SpilledBody};
use crate::secret::Secret;

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
    /// Whole-request timeout; `None` waits until the person cancels.
    pub timeout: Option<Duration>,
}

/// Why a client could not be made.
#[derive(Debug, Error)]
pub enum ClientError {
    #[error("cannot read the CA file {path}: {source}")]
    CaRead { path: PathBuf, source: std::io::Error },
    #[error("the CA file {path} holds no usable PEM certificate: {detail}")]
    CaParse { path: PathBuf, detail: String },
    #[error("cannot set up HTTPS: {0}")]
    Build(String),
}

/// Why a request got no response. Messages say what happened and what to try; none carries a secret.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum SendError {
    #[error("cannot connect to {host}: {detail} — is the server up and the address right?")]
    Connect { host: String, detail: String },
    #[error("no response from {host} in time — the server may be down or slow; try again, or raise timeout_secs")]
    Timeout { host: String },
    #[error(
        "TLS with {host} failed: {detail} — set ca_file in the profile if a proxy or private CA signs its certificate"
    )]
    Tls { host: String, detail: String },
    #[error("{host} broke off the response: {detail}")]
    Body { host: String, detail: String },
    #[error("too many redirects from {host}")]
    Redirects { host: String },
    #[error("request to {host} failed: {detail}")]
    Other { host: String, detail: String },
    #[error("the body from {host} is larger than body_memory_cap_mb and could not go to a temporary file: {detail}")]
    Spill { host: String, detail: String },
}

impl HttpSettings {
    /// The settings a profile asks for.
    pub fn for_profile(profile: &crate::config::Profile) -> HttpSettings {
        HttpSettings { ca_file: profile.ca_file.clone(), timeout: Some(profile.timeout) }
    }
}

/// Why a request may not carry the session's access token.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum TokenRefusal {
    #[error("{host} is not the profile's API ({api}): tokens go only there")]
    OtherServer { host: String, api: String },
    #[error("{host} is plain http and not this machine: a token would cross the network unencrypted")]
    PlainHttp { host: String },
}

/// Whether the access token may go to `url`: only to the profile's API (same scheme, host and port as `api_base`),
/// and only over https unless that is this machine. Anything else (a server from a spec, a typo) gets no token.
pub fn token_may_go_to(url: &str, api_base: &str) -> Result<(), TokenRefusal> {
    let (Ok(target), Ok(api)) = (url::Url::parse(url), url::Url::parse(api_base)) else {
        return Err(TokenRefusal::OtherServer { host: host_of(url), api: host_of(api_base) });
    };
    if target.origin() != api.origin() {
        return Err(TokenRefusal::OtherServer { host: host_of(url), api: host_of(api_base) });
    }
    if target.scheme() != "https" && !is_loopback(&target) {
        return Err(TokenRefusal::PlainHttp { host: host_of(url) });
    }
    Ok(())
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

/// Makes a client for `purpose` with the profile's settings.
pub fn build_client(settings: &HttpSettings, purpose: Purpose) -> Result<reqwest::Client, ClientError> {
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("zorgtui/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(10))
        .redirect(match purpose {
            Purpose::Api => api_redirects(),
            Purpose::OAuth => reqwest::redirect::Policy::none(),
        });
    if let Some(timeout) = settings.timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(path) = &settings.ca_file {
        for cert in read_ca_file(path)? {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder.build().map_err(|e| ClientError::Build(e.to_string()))
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

/// Sends `request`, adding the bearer token when there is one, and reads the whole body into memory.
pub async fn send(
    client: &reqwest::Client,
    request: &PreparedRequest,
    token: Option<&Secret>,
) -> Result<ApiResponse, SendError> {
    send_capped(client, request, token, None).await
}

/// [`send`], but a body past `memory_cap` bytes streams to a temporary file (see [`ApiResponse::spilled`]).
pub async fn send_capped(
    client: &reqwest::Client,
    request: &PreparedRequest,
    token: Option<&Secret>,
    memory_cap: Option<u64>,
) -> Result<ApiResponse, SendError> {
    let host = host_of(&request.url);
    let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut builder = client.request(method, &request.url);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    // The last word on where a token goes: only where the request was cleared to carry one.
    if let Some(token) = token.filter(|_| request.with_token) {
        builder = builder.bearer_auth(token.expose());
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    let started = Instant::now();
    let response = builder.send().await.map_err(|e| explain(&host, &e))?;
    let status = response.status();
    let final_url = response.url().to_string();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect();
    let (body, spilled) = read_body(response, &host, memory_cap).await?;
    Ok(ApiResponse {
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or("").to_string(),
        headers,
        body,
        elapsed: started.elapsed(),
        url: final_url,
        spilled,
    })
}

/// Reads the body into memory until it passes `memory_cap`, then moves it to an unlinked temporary file (created
/// 0600 by `tempfile`) and streams the rest there.
async fn read_body(
    mut response: reqwest::Response,
    host: &str,
    memory_cap: Option<u64>,
) -> Result<(Bytes, Option<SpilledBody>), SendError> {
    use tokio::io::AsyncWriteExt as _;
    let Some(cap) = memory_cap else {
        return Ok((response.bytes().await.map_err(|e| explain(host, &e))?, None));
    };
    let spill_error = |e: std::io::Error| SendError::Spill { host: host.to_string(), detail: e.to_string() };
    let mut memory = Vec::new();
    let mut file: Option<tokio::fs::File> = None;
    let mut len = 0u64;
    while let Some(chunk) = response.chunk().await.map_err(|e| explain(host, &e))? {
        len += chunk.len() as u64;
        if file.is_none() && len > cap {
            let mut spill = tokio::fs::File::from_std(tempfile::tempfile().map_err(spill_error)?);
            spill.write_all(&memory).await.map_err(spill_error)?;
            memory = Vec::new();
            file = Some(spill);
        }
        match &mut file {
            Some(spill) => spill.write_all(&chunk).await.map_err(spill_error)?,
            None => memory.extend_from_slice(&chunk),
        }
    }
    let Some(mut spill) = file else {
        return Ok((Bytes::from(memory), None));
    };
    spill.flush().await.map_err(spill_error)?;
    let file = spill.into_std().await;
    Ok((Bytes::new(), Some(SpilledBody { file: std::sync::Arc::new(file), len })))
}

/// The host (and port) of a URL, for messages.
pub fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(|h| u.port().map_or_else(|| h.to_string(), |p| format!("{h}:{p}"))))
        .unwrap_or_else(|| url.to_string())
}

/// Turns reqwest's error into one the person can act on.
pub fn explain(host: &str, error: &reqwest::Error) -> SendError {
    let host = host.to_string();
    let detail = root_cause(error);
    if error.is_timeout() {
        return SendError::Timeout { host };
    }
    if error.is_redirect() {
        return SendError::Redirects { host };
    }
    let lower = detail.to_lowercase();
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        return SendError::Tls { host, detail };
    }
    if error.is_connect() {
        return SendError::Connect { host, detail };
    }
    if error.is_body() || error.is_decode() {
        return SendError::Body { host, detail };
    }
    SendError::Other { host, detail }
}

/// The innermost cause says what really happened ("Connection refused"), the outer ones only where. It may quote
/// the network (a certificate's names), so it is made safe to print.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    crate::text::plain_error(&cause.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_go_only_to_the_profiles_api_and_never_in_clear_text_off_this_machine() {
        let api = "https://api.sandbox.zorgapis.nl/v1beta2";
        assert_eq!(token_may_go_to("https://api.sandbox.zorgapis.nl/v1beta2/users/me?x=1", api), Ok(()));
        assert!(matches!(
            token_may_go_to("https://api.zorgapis.nl/v1beta2/users/me", api),
            Err(TokenRefusal::OtherServer { .. })
        ));
        assert!(matches!(
            token_may_go_to("https://api.sandbox.zorgapis.nl:8443/v1beta2", api),
            Err(TokenRefusal::OtherServer { .. })
        ));
        assert!(matches!(
            token_may_go_to("http://api.example/v1/x", "http://api.example/v1"),
            Err(TokenRefusal::PlainHttp { .. })
        ));
        assert_eq!(token_may_go_to("http://127.0.0.1:8080/v1/x", "http://127.0.0.1:8080/v1"), Ok(()));
        assert_eq!(token_may_go_to("http://localhost:8080/v1/x", "http://localhost:8080/v1"), Ok(()));
        assert_eq!(token_may_go_to("http://[::1]:8080/v1/x", "http://[::1]:8080/v1"), Ok(()));
        assert!(token_may_go_to("not a url", api).is_err());
    }
}
