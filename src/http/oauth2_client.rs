//! The oauth2 crate does its own HTTP through a trait; given an [`Http`], its token, device and refresh requests go
//! through our timeout and the bounded reader instead of reqwest's whole-body read (which a token endpoint sending a
//! gzip stream of gigabytes would otherwise fill memory with).

use std::future::Future;
use std::pin::Pin;

use oauth2::{AsyncHttpClient, HttpRequest, HttpResponse};

use super::{BodyKind, Http, SendError};

impl<'c> AsyncHttpClient<'c> for Http {
    type Error = SendError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, SendError>> + Send + Sync + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let host = super::host_of(&request.uri().to_string());
            let request = reqwest::Request::try_from(request).map_err(|e| super::explain(&host, &e))?;
            let response = self.execute(request).await?;
            let status = response.status();
            if !status.is_success() {
                tracing::info!(%status, %host, "an OAuth endpoint answered with an error status");
            }
            let mut builder = oauth2::http::Response::builder().status(response.status()).version(response.version());
            for (name, value) in response.headers() {
                builder = builder.header(name, value);
            }
            let body = response.bytes(BodyKind::Token).await?;
            // An error status with a body that is no JSON object cannot be an OAuth error (RFC 6749 5.2), and the
            // oauth2 crate would keep only "not JSON" of it: say the status instead.
            let json_object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
            if !status.is_success() && !json_object {
                return Err(SendError::ErrorPage { host, status: status.to_string() });
            }
            builder.body(body.to_vec()).map_err(|e| SendError::Other { host, detail: e.to_string() })
        })
    }
}
