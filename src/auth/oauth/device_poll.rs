//! Polling the token endpoint for the device grant (RFC 8628 3.4, 3.5), by our own loop rather than the oauth2
//! crate's: that one repeats one prepared request, so a `private_key_jwt` client would send the same client
//! assertion (the same `jti`) with every poll, which servers refuse as a replay (oidc-provider does, RFC 7523 3
//! allows it). Here each poll is a request of its own, its proof made anew.
//!
//! The pause between polls is the server's `interval` (5 s when it names none), 5 s longer after each `slow_down`,
//! doubled (up to a minute) after a poll that did not reach the server; polling stops when the device code expires.
//! The pauses are tokio's, so tests run them on paused time.

use std::time::{Duration, SystemTime};

use oauth2::StandardDeviceAuthorizationResponse;
use serde::Deserialize;
use tokio::time::Instant;
use url::Url;

use super::{Grant, MAX_POLL_INTERVAL, TokenResponseBody, Tokens, server_error, tokens};
use crate::auth::client_auth::ClientAuth;
use crate::auth::error::AuthError;
use crate::http::{BodyKind, Http, SendError};

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// What RFC 8628 3.5 adds to the interval after each `slow_down`.
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// What one poll found.
enum Poll {
    Tokens(Tokens),
    /// Not yet: wait this long before the next poll.
    Again(Duration),
}

/// An OAuth error answer, as far as the loop reads it.
#[derive(Deserialize)]
struct ErrorAnswer {
    error: String,
    error_description: Option<String>,
}

/// Polls until the person approves or refuses on the other device, or the device code expires. `now` is the
/// engine's clock, which each poll's client assertion is dated by.
pub async fn poll_device(
    http: &Http,
    token_endpoint: &Url,
    auth: &ClientAuth,
    details: &StandardDeviceAuthorizationResponse,
    now: impl Fn() -> SystemTime,
) -> Result<Tokens, AuthError> {
    // `expires_in` and `interval` were capped when the answer was read, so neither sum can overflow.
    let expires = Instant::now() + details.expires_in();
    let mut interval = details.interval().min(MAX_POLL_INTERVAL);
    loop {
        match poll_once(http, token_endpoint, auth, details, interval, now()).await? {
            Poll::Tokens(tokens) => return Ok(tokens),
            Poll::Again(next) => interval = next,
        }
        if Instant::now() + interval >= expires {
            return Err(AuthError::DeviceExpired);
        }
        tokio::time::sleep(interval).await;
    }
}

async fn poll_once(
    http: &Http,
    token_endpoint: &Url,
    auth: &ClientAuth,
    details: &StandardDeviceAuthorizationResponse,
    interval: Duration,
    now: SystemTime,
) -> Result<Poll, AuthError> {
    let form = vec![("grant_type", DEVICE_GRANT.to_string()), ("device_code", details.device_code().secret().clone())];
    let request = auth.form_request(http.post(token_endpoint.clone()), form, now)?;
    let response = match http.send(request.header(reqwest::header::ACCEPT, "application/json")).await {
        Ok(response) => response,
        // RFC 8628 3.5: a poll that did not get through is tried again, later each time.
        Err(error) if passes(&error) => {
            let next = (interval * 2).min(MAX_POLL_INTERVAL);
            tracing::warn!(%error, retry_in = ?next, "a device poll did not reach the server");
            return Ok(Poll::Again(next));
        }
        Err(error) => return Err(AuthError::Network(error)),
    };
    let status = response.status();
    let body = response.bytes(BodyKind::Token).await.map_err(AuthError::Network)?;
    let bad = |detail: String| AuthError::BadResponse { what: "token endpoint", detail };
    if status.is_success() {
        // Never serde's message: it may quote a token.
        let answer: TokenResponseBody = serde_json::from_slice(&body)
            .map_err(|e| bad(format!("not a token response (line {}, column {})", e.line(), e.column())))?;
        return tokens(&answer).map(Poll::Tokens);
    }
    let Ok(answer) = serde_json::from_slice::<ErrorAnswer>(&body) else {
        return Err(bad(format!("HTTP {status} without an OAuth error")));
    };
    match answer.error.as_str() {
        "authorization_pending" => Ok(Poll::Again(interval)),
        "slow_down" => Ok(Poll::Again((interval + SLOW_DOWN_STEP).min(MAX_POLL_INTERVAL + SLOW_DOWN_STEP))),
        error => Err(server_error(Grant::Device, error, answer.error_description.as_deref())),
    }
}

/// Whether a poll's failure to get an answer may pass (the network, a server too slow to answer).
fn passes(error: &SendError) -> bool {
    matches!(error, SendError::Connect { .. } | SendError::Timeout { .. } | SendError::Body { .. })
}
