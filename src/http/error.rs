//! Why a request got no (usable) response, in words the person can act on. None of these carries a secret.

use std::path::PathBuf;
use std::time::Duration;

use thiserror::Error;

use super::body::BodyKind;
use crate::text::human_bytes;

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

/// Why a request got no response, or its body could not be taken. Messages say what happened and what to try.
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
    /// https:// to a port that speaks plain HTTP: the TLS handshake got an HTTP answer.
    #[error("{host} answered in plain HTTP, not HTTPS — write http:// in the address, or use the server's HTTPS port")]
    NotTls { host: String },
    #[error("{host} broke off the response: {detail}")]
    Body { host: String, detail: String },
    /// An OAuth endpoint answered an error status with a body that is no OAuth error (a proxy's or server's error
    /// page): the status is what the person needs to know.
    #[error(
        "{host} answered {status} with an error page, not an OAuth answer — the issuer has trouble; try again later"
    )]
    ErrorPage { host: String, status: String },
    #[error("too many redirects from {host}")]
    Redirects { host: String },
    #[error("request to {host} failed: {detail}")]
    Other { host: String, detail: String },
    #[error(
        "the body from {host} was too large to hold in memory and could not go to a temporary file ({detail}): free \
         some space in the temporary folder (or point TMPDIR elsewhere), then send it again"
    )]
    Spill { host: String, detail: String },
    /// The body passed its kind's limit while it streamed (after decompression); reading stopped there.
    #[error("{} from {host} is larger than {} — {}", kind.noun(), human_bytes(*limit), kind.advice())]
    TooLarge { host: String, kind: BodyKind, limit: u64 },
    /// The body started, then nothing came for longer than the timeout.
    #[error(
        "{host} stopped sending {} after {}: nothing for {} s — try again, or raise timeout_secs if it is that slow",
        kind.noun(), human_bytes(*received), silence.as_secs()
    )]
    Stalled { host: String, kind: BodyKind, received: u64, silence: Duration },
}

impl SendError {
    /// Whether the server was reached and answered (an error page), rather than not reached at all.
    pub fn answered(&self) -> bool {
        matches!(self, SendError::ErrorPage { .. })
    }

    /// Whether trying again later may work (the network, a slow server), as opposed to a server that answers
    /// something that will never do.
    pub fn may_pass(&self) -> bool {
        if let SendError::ErrorPage { status, .. } = self {
            // A 5xx passes (the issuer is having trouble); a 4xx page will answer the same next time.
            return status.starts_with('5');
        }
        !matches!(self, SendError::TooLarge { .. } | SendError::Redirects { .. })
    }
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
    // rustls's words for a handshake answered by something that is not TLS (most often an HTTP server).
    if lower.contains("invalidcontenttype") || lower.contains("corrupt message") {
        return SendError::NotTls { host };
    }
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
