//! Sending an API request with the session's access token, for the explorer and `zorgtui call` alike.

use crate::api::client::{self, Started};
use crate::api::request::PreparedRequest;
use crate::api::response::ApiResponse;
use crate::http::{Http, SendError};

use super::AuthHandle;

/// What came back, and whether it took a refresh and a second try.
#[derive(Debug)]
pub struct Sent {
    pub response: ApiResponse,
    pub retried: bool,
}

/// Sends `request` with the current access token when it may carry one (`PreparedRequest::with_token`) and reads
/// the whole response, within the profile's body limits.
pub async fn send_with_auth(
    http: &Http,
    request: &PreparedRequest,
    auth: Option<&AuthHandle>,
) -> Result<Sent, SendError> {
    let (started, retried) = start_with_auth(http, request, auth).await?;
    Ok(Sent { response: client::read(started).await?, retried })
}

/// Sends `request` as [`send_with_auth`] does, and returns once the head of the answer has come (its body is read
/// or streamed by the caller), with whether it took a refresh. A 401 to a request that carried a token gets one
/// refresh and one retry: the token may have expired since the last refresh, or been revoked and reissued
/// elsewhere. The first answer's body is never read: it is dropped when the retry goes out.
pub async fn start_with_auth(
    http: &Http,
    request: &PreparedRequest,
    auth: Option<&AuthHandle>,
) -> Result<(Started, bool), SendError> {
    let token = auth.filter(|_| request.with_token).and_then(|a| a.token().borrow().clone());
    let first = client::start(http, request, token.as_ref()).await?;
    // Method, host and path only: a query string may carry data the person would not want in a log.
    tracing::info!(
        method = %request.method,
        url = %request.url.split('?').next().unwrap_or_default(),
        status = first.status(),
        "request"
    );
    if first.status() != 401 || token.is_none() {
        return Ok((first, false));
    }
    let Some(auth) = auth else { return Ok((first, false)) };
    match auth.refresh_now().await {
        Ok(fresh) => {
            tracing::info!("401: refreshed the session and sent once more");
            drop(first);
            Ok((client::start(http, request, Some(&fresh)).await?, true))
        }
        // The refresh failed: the engine reports why (session expired); the person sees the 401 as it came.
        Err(_) => Ok((first, false)),
    }
}
