//! The bounded reader: a response's body taken in chunks as they arrive (after decompression, so a small gzip
//! stream cannot inflate past a limit unseen), each chunk waited for at most the timeout, the total held to the
//! limit of the body's kind.

use std::time::Duration;

use bytes::{Bytes, BytesMut};

use super::error::{SendError, explain};
use crate::config::Limits;

/// What a body is: it decides the limit, and how a message names the body and the setting that raises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// OpenID Connect discovery or RFC 8414 authorization server metadata.
    Metadata,
    /// The issuer's signing keys.
    Jwks,
    /// A token endpoint's answer (code, refresh, device, client credentials) or a device authorization answer.
    Token,
    Userinfo,
    Introspection,
    Revocation,
    /// An OpenAPI document.
    Spec,
    /// A Postman collection or environment.
    Collection,
    /// An API response.
    Api,
}

impl BodyKind {
    /// The body as a message names it.
    pub fn noun(self) -> &'static str {
        match self {
            BodyKind::Metadata => "the issuer's metadata",
            BodyKind::Jwks => "the issuer's signing keys",
            BodyKind::Token => "the authorization server's answer",
            BodyKind::Userinfo => "the userinfo answer",
            BodyKind::Introspection => "the introspection answer",
            BodyKind::Revocation => "the revocation answer",
            BodyKind::Spec => "the spec",
            BodyKind::Collection => "the collection",
            BodyKind::Api => "the body",
        }
    }

    /// The profile setting that raises this kind's limit.
    pub fn setting(self) -> &'static str {
        match self {
            BodyKind::Spec | BodyKind::Collection => "spec_cap_mb",
            BodyKind::Api => "body_disk_cap_mb",
            _ => "auth_response_cap_kb",
        }
    }

    /// The most of this kind that is taken.
    pub fn limit(self, limits: &Limits) -> u64 {
        match self {
            BodyKind::Spec | BodyKind::Collection => limits.document,
            BodyKind::Api => limits.body_disk,
            _ => limits.auth_response,
        }
    }

    /// What to do when the limit is passed.
    pub fn advice(self) -> &'static str {
        match self {
            BodyKind::Spec | BodyKind::Collection => {
                "download it and pass the file, or raise spec_cap_mb in the profile"
            }
            BodyKind::Api => "raise body_disk_cap_mb in the profile to take a body this large",
            _ => {
                "no authorization server needs that much; if this one really does, raise auth_response_cap_kb in the profile"
            }
        }
    }
}

/// A response whose head has arrived; its body is read only through here.
#[derive(Debug)]
pub struct Response {
    inner: reqwest::Response,
    host: String,
    /// The longest silence between two pieces of the body.
    idle: Option<Duration>,
    limits: Limits,
    received: u64,
}

impl Response {
    pub(super) fn new(inner: reqwest::Response, host: String, idle: Option<Duration>, limits: Limits) -> Response {
        Response { inner, host, idle, limits, received: 0 }
    }

    pub fn status(&self) -> reqwest::StatusCode {
        self.inner.status()
    }

    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        self.inner.headers()
    }

    pub fn version(&self) -> reqwest::Version {
        self.inner.version()
    }

    /// The URL that answered (after redirects).
    pub fn url(&self) -> &url::Url {
        self.inner.url()
    }

    /// The host (and port) that answered, for messages.
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The length the server declared for the body, when it did and the body is not compressed (then it is what
    /// [`Response::chunk`] will hand out).
    pub fn content_length(&self) -> Option<u64> {
        self.inner.content_length()
    }

    /// Bytes of the body read so far (decompressed).
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The next piece of the body, `None` at its end. `kind` names the body if it stalls.
    pub async fn chunk(&mut self, kind: BodyKind) -> Result<Option<Bytes>, SendError> {
        let next = self.inner.chunk();
        let chunk = match self.idle {
            Some(idle) => tokio::time::timeout(idle, next).await.map_err(|_| SendError::Stalled {
                host: self.host.clone(),
                kind,
                received: self.received,
                silence: idle,
            })?,
            None => next.await,
        };
        let chunk = chunk.map_err(|e| explain(&self.host, &e))?;
        if let Some(chunk) = &chunk {
            self.received += chunk.len() as u64;
        }
        Ok(chunk)
    }

    /// The error for a body of `kind` that passed `limit`.
    pub fn too_large(&self, kind: BodyKind, limit: u64) -> SendError {
        SendError::TooLarge { host: self.host.clone(), kind, limit }
    }

    /// The whole body in memory, at most `kind.limit(..)` bytes: past that the read stops with
    /// [`SendError::TooLarge`], before the excess is kept.
    pub async fn bytes(self, kind: BodyKind) -> Result<Bytes, SendError> {
        let limit = kind.limit(&self.limits);
        self.bytes_within(kind, limit).await
    }

    /// [`Response::bytes`] with a limit of the caller's.
    pub async fn bytes_within(mut self, kind: BodyKind, limit: u64) -> Result<Bytes, SendError> {
        // A declared length says it early; an inflated or chunked body is counted as it comes.
        if self.inner.content_length().is_some_and(|declared| declared > limit) {
            return Err(self.too_large(kind, limit));
        }
        let mut body = BytesMut::new();
        while let Some(chunk) = self.chunk(kind).await? {
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(self.too_large(kind, limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}
