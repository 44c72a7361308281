//! Sending an API request: the head first, then the body, through the bounded reader — into memory up to
//! `body_memory_cap_mb`, on into an unlinked temporary file up to `body_disk_cap_mb`, or passed straight on to a
//! writer (`zorgtui call`), which holds none of it.

use std::time::Instant;

use bytes::{Bytes, BytesMut};
use thiserror::Error;

mod spill;

use spill::Spill;

use super::request::PreparedRequest;
use super::response::{ApiResponse, SpilledBody};
use crate::http::{BodyKind, Http, Response, SendError, host_of};
use crate::secret::Secret;

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
    if target.scheme() != "https" && !crate::http::is_loopback(&target) {
        return Err(TokenRefusal::PlainHttp { host: host_of(url) });
    }
    Ok(())
}

/// A response whose head has arrived; its body is still to be read (or streamed on).
#[derive(Debug)]
pub struct Started {
    pub response: Response,
    started: Instant,
}

impl Started {
    pub fn status(&self) -> u16 {
        self.response.status().as_u16()
    }

    pub fn reason(&self) -> String {
        self.response.status().canonical_reason().unwrap_or("").to_string()
    }

    /// The answer's headers, as text.
    pub fn headers(&self) -> Vec<(String, String)> {
        head(&self.response).headers
    }

    /// The response as far as its head goes (no body yet).
    pub fn head(&self) -> ApiResponse {
        head(&self.response)
    }
}

/// Sends `request`, adding the bearer token when there is one and the request was cleared to carry it, and waits
/// for the response's head.
pub async fn start(http: &Http, request: &PreparedRequest, token: Option<&Secret>) -> Result<Started, SendError> {
    let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut builder = http.request(method, &request.url);
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
    let response = http.send(builder).await?;
    Ok(Started { response, started })
}

/// Sends `request` and reads the whole response (see [`read`]).
pub async fn send(http: &Http, request: &PreparedRequest, token: Option<&Secret>) -> Result<ApiResponse, SendError> {
    read(start(http, request, token).await?).await
}

/// Reads the body into memory until it passes `body_memory`, then moves it to an unlinked temporary file (created
/// 0600 by `tempfile`) and streams the rest there, up to `body_disk` in all. A body whose declared length is past
/// `body_memory` goes to the file from its first byte; one within it gets its memory at once. The file is written in
/// large batches on a blocking thread while the next batch arrives ([`spill`]), so the body comes at the wire's speed.
pub async fn read(started: Started) -> Result<ApiResponse, SendError> {
    read_observed(started, |_| {}).await
}

/// Reads the body as [`read`] does, showing each piece to `observe` as it arrives (the history keeps what came of
/// an answer cut off by quitting).
pub async fn read_observed(started: Started, mut observe: impl FnMut(&[u8])) -> Result<ApiResponse, SendError> {
    let Started { mut response, started } = started;
    let limits = *response.limits();
    let (memory_cap, disk_cap) = (limits.body_memory, limits.body_disk.max(limits.body_memory));
    let spill_error =
        |e: std::io::Error, host: &str| SendError::Spill { host: host.to_string(), detail: e.to_string() };
    let declared = response.content_length();
    let mut spilled = match declared {
        Some(len) if len > memory_cap => Some(Spill::new().map_err(|e| spill_error(e, response.host()))?),
        _ => None,
    };
    let reserve = declared.filter(|&len| len <= memory_cap).unwrap_or(0);
    let mut memory = BytesMut::with_capacity(usize::try_from(reserve).unwrap_or(0));
    while let Some(chunk) = response.chunk(BodyKind::Api).await? {
        let len = response.received();
        if len > disk_cap {
            return Err(response.too_large(BodyKind::Api, disk_cap));
        }
        observe(&chunk);
        if spilled.is_none() && len > memory_cap {
            let mut spill = Spill::new().map_err(|e| spill_error(e, response.host()))?;
            spill.push(std::mem::take(&mut memory).freeze()).await.map_err(|e| spill_error(e, response.host()))?;
            spilled = Some(spill);
        }
        match &mut spilled {
            Some(spill) => spill.push(chunk).await.map_err(|e| spill_error(e, response.host()))?,
            None => memory.extend_from_slice(&chunk),
        }
    }
    let spilled = match spilled {
        None => None,
        Some(spill) => {
            let file = spill.finish().await.map_err(|e| spill_error(e, response.host()))?;
            Some(SpilledBody { file: std::sync::Arc::new(file), len: response.received() })
        }
    };
    let body = if spilled.is_some() { Bytes::new() } else { memory.freeze() };
    Ok(ApiResponse { elapsed: started.elapsed(), body, spilled, ..head(&response) })
}

/// Why a body could not be passed on.
#[derive(Debug, Error)]
pub enum StreamError {
    #[error(transparent)]
    Send(#[from] SendError),
    /// The writer refused it (a closed pipe, a full disk).
    #[error("cannot write the body: {0}")]
    Write(std::io::Error),
}

/// Passes the body on to `out` as it arrives, holding none of it, up to `body_disk` bytes. Returns the response
/// (with an empty body) for its status and headers.
pub async fn stream(started: Started, out: &mut impl std::io::Write) -> Result<ApiResponse, StreamError> {
    let Started { mut response, started } = started;
    let cap = response.limits().body_disk;
    while let Some(chunk) = response.chunk(BodyKind::Api).await? {
        if response.received() > cap {
            out.flush().map_err(StreamError::Write)?;
            return Err(response.too_large(BodyKind::Api, cap).into());
        }
        out.write_all(&chunk).map_err(StreamError::Write)?;
    }
    out.flush().map_err(StreamError::Write)?;
    Ok(ApiResponse { elapsed: started.elapsed(), ..head(&response) })
}

/// Status, headers and URL of a response, with no body yet.
fn head(response: &Response) -> ApiResponse {
    let status = response.status();
    ApiResponse {
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or("").to_string(),
        headers: response
            .headers()
            .iter()
            .map(|(name, value)| (name.to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect(),
        body: Bytes::new(),
        elapsed: std::time::Duration::ZERO,
        url: response.url().to_string(),
        spilled: None,
    }
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
