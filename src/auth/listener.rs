//! The loopback listener (RFC 8252 7.3): a loopback address only (127.0.0.1, or ::1 when the redirect URI names
//! `[::1]`), on an ephemeral port or the profile's, waiting for the browser to come back with the authorization
//! response.
//!
//! Anything may knock on the port (other local programs, a browser's prefetch, bytes that are not HTTP): hyper
//! answers what is not HTTP, other paths get 404, other methods 405, and none of it ends the wait. A GET on the
//! callback path is handed to the engine, which checks it and says which page to show.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, Response, Uri, header};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::error::AuthError;
use super::pages::Page;

/// How long a browser's request waits for the engine's verdict before it is told zorgtui is gone.
const VERDICT_WAIT: Duration = Duration::from_secs(10);
/// How long the page for the last callback may take to reach the browser once the listener is told to stop.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// A callback on the right path: its query parameters and where to send the page to show.
pub struct Callback {
    pub params: Vec<(String, String)>,
    pub reply: oneshot::Sender<Page>,
}

type Sink = Arc<dyn Fn(Callback) + Send + Sync>;

/// A running listener. Dropping it stops accepting at once; the last page still gets out.
pub struct Listener {
    port: u16,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Listener {
    /// Binds `ip`:`port` (0: any free port) and serves `path`. `ip` must be a loopback address: the code in the
    /// browser's request is for this machine only.
    pub async fn bind(
        ip: IpAddr,
        port: u16,
        path: String,
        on_callback: impl Fn(Callback) + Send + Sync + 'static,
    ) -> Result<Listener, AuthError> {
        let failed = |reason: String| AuthError::Listener { address: SocketAddr::new(ip, port).to_string(), reason };
        if !ip.is_loopback() {
            return Err(failed("not a loopback address".into()));
        }
        let listener = tokio::net::TcpListener::bind((ip, port)).await.map_err(|e| failed(e.to_string()))?;
        let port = listener.local_addr().map_err(|e| failed(e.to_string()))?.port();
        let sink: Sink = Arc::new(on_callback);
        let router = axum::Router::new().fallback(answer).with_state((sink, Arc::new(path)));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(error) = serve.await {
                tracing::warn!(%error, "the sign-in listener stopped");
            }
        });
        tracing::info!(%ip, port, "listening for the sign-in");
        Ok(Listener { port, stop: Some(stop), task: Some(task) })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops accepting connections; the requests in flight get CLOSE_GRACE to finish.
    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            // A connection that never finishes its request must not keep the task alive.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let abort = task.abort_handle();
                    if tokio::time::timeout(CLOSE_GRACE, task).await.is_err() {
                        abort.abort();
                    }
                });
            } else {
                task.abort();
            }
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop_now();
    }
}

async fn answer(State((sink, path)): State<(Sink, Arc<String>)>, method: Method, uri: Uri) -> Response<Body> {
    if uri.path() != path.as_str() {
        return page(Page::NotFound);
    }
    if method != Method::GET {
        return page(Page::MethodNotAllowed);
    }
    let params = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let (reply, verdict) = oneshot::channel();
    sink(Callback { params, reply });
    let shown = match tokio::time::timeout(VERDICT_WAIT, verdict).await {
        Ok(Ok(shown)) => shown,
        _ => Page::Gone,
    };
    page(shown)
}

fn page(page: Page) -> Response<Body> {
    let mut response = Response::new(Body::from(page.html()));
    *response.status_mut() = axum::http::StatusCode::from_u16(page.status()).unwrap_or_default();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    // The address holds the code: no page loaded from here may send it on as a Referer.
    headers.insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_loopback_is_ever_bound() {
        for ip in ["0.0.0.0", "::", "192.168.1.10"] {
            let error = Listener::bind(ip.parse().unwrap(), 0, "/callback".into(), |_| {}).await.err();
            assert!(
                matches!(&error, Some(AuthError::Listener { reason, .. }) if reason == "not a loopback address"),
                "{ip}: {error:?}"
            );
        }
        let listener = Listener::bind("127.0.0.1".parse().unwrap(), 0, "/callback".into(), |_| {}).await.unwrap();
        assert_ne!(listener.port(), 0);
    }
}
