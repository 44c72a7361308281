//! Sending an API request with the session's access token, for the explorer and `zorgtui call` alike.

use crate::api::client::{self, SendError};
use crate::api::request::PreparedRequest;
use crate::api::response::ApiResponse;

use super::AuthHandle;

/// What came back, and whether it took a refresh and a second try.
#[derive(Debug)]
pub struct Sent {
    pub response: ApiResponse,
    pub retried: bool,
}

/// Sends `request` with the current access token when it may carry one (`PreparedRequest::with_token`). A 401 to a
/// request that carried a token gets one refresh and one retry: the token may have expired since the last refresh,
/// or been revoked and reissued elsewhere. Bodies above `memory_cap` bytes go to a temporary file.
pub async fn send_with_auth(
    http: &reqwest::Client,
    request: &PreparedRequest,
    auth: Option<&AuthHandle>,
    memory_cap: Option<u64>,
) -> Result<Sent, SendError> {
    let token = auth.filter(|_| request.with_token).and_then(|a| a.token().borrow().clone());
    let response = client::send_capped(http, request, token.as_ref(), memory_cap).await?;
    // Method, host and path only: a query string may carry data the person would not want in a log.
    tracing::info!(
        method = %request.method,
        url = %request.url.split('?').next().unwrap_or_default(),
        status = response.status,
        ms = response.elapsed.as_millis(),
        "request"
    );
    let first = Sent { response, retried: false };
    if first.response.status != 401 || token.is_none() {
        return Ok(first);
    }
    let Some(auth) = auth else { return Ok(first) };
    match auth.refresh_now().await {
        Ok(fresh) => {
            tracing::info!("401: refreshed the session and sent once more");
            let response = client::send_capped(http, request, Some(&fresh), memory_cap).await?;
            Ok(Sent { response, retried: true })
        }
        // The refresh failed: the engine reports why (session expired); the person sees the 401 as it came.
        Err(_) => Ok(first),
    }
}
