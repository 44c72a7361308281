//! The loopback listener (RFC 8252 7.3): a loopback address only (127.0.0.1, or ::1 when the redirect URI names
//! `[::1]`), on an ephemeral port or the profile's, waiting for the browser to come back with the authorization
//! response.
//!
//! Anything may knock on the port (other local programs, a browser's prefetch, bytes that are not HTTP, a flood of
//! connections that never finish a request): hyper answers what is not HTTP, other paths get 404, other methods
//! 405, and none of it ends the wait. A request head must arrive within [`HEAD_WAIT`]; at most [`MAX_CONNECTIONS`]
//! are open at once, the oldest idle one dropped to make room, so a flood cannot take every file descriptor and
//! leave the browser's own request without one. A GET on the callback path is handed to the engine, which checks
//! it and says which page to show. When the sign-in ends, every connection is closed.

mod connections;

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, Response, Uri, header};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use self::connections::{Admitted, Connections};
use super::error::AuthError;
use super::pages::Page;

/// How long a browser's request waits for the engine's verdict before it is told zorgtui is gone.
const VERDICT_WAIT: Duration = Duration::from_secs(10);
/// How long the page for the last callback may take to reach the browser once the listener is told to stop.
const CLOSE_GRACE: Duration = Duration::from_secs(2);
/// How long a connection may take to send its request head. A browser sends it at once.
const HEAD_WAIT: Duration = Duration::from_secs(5);
/// Connections open at once: far below any file descriptor limit, far above what a browser opens.
const MAX_CONNECTIONS: usize = 64;
/// A pause after `accept` fails (out of file descriptors, say), so the loop does not spin.
const ACCEPT_PAUSE: Duration = Duration::from_millis(10);

/// A callback on the right path: its query parameters and where to send the page to show.
pub struct Callback {
    pub params: Vec<(String, String)>,
    pub reply: oneshot::Sender<Page>,
}

type Sink = Arc<dyn Fn(Callback) + Send + Sync>;

/// A running listener. Dropping it stops accepting at once and closes every connection; the page for the last
/// callback still gets out.
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
        let listener = TcpListener::bind((ip, port)).await.map_err(|e| failed(e.to_string()))?;
        let port = listener.local_addr().map_err(|e| failed(e.to_string()))?.port();
        let sink: Sink = Arc::new(on_callback);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(accept_loop(listener, sink, Arc::new(path), stopped));
        tracing::info!(%ip, port, "listening for the sign-in");
        Ok(Listener { port, stop: Some(stop), task: Some(task) })
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Without a runtime (dropped at the very end) there is nothing left to serve: end it now.
        if tokio::runtime::Handle::try_current().is_err()
            && let Some(task) = self.task.take()
        {
            task.abort();
        }
    }
}

/// Accepts until told to stop, then gives the connections answering a request [`CLOSE_GRACE`] to finish.
async fn accept_loop(listener: TcpListener, sink: Sink, path: Arc<String>, mut stopped: oneshot::Receiver<()>) {
    let connections = Connections::new(MAX_CONNECTIONS);
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let (sink, path) = (Arc::clone(&sink), Arc::clone(&path));
                    if !connections.admit(|admitted| serve(stream, admitted, sink, path)) {
                        tracing::debug!("sign-in listener: every connection busy, one turned away");
                    }
                }
                Err(error) => {
                    // Out of file descriptors (or another passing failure): free one and try again shortly.
                    tracing::debug!(%error, "sign-in listener: accept failed");
                    connections.shed_one();
                    tokio::time::sleep(ACCEPT_PAUSE).await;
                }
            },
        }
    }
    drop(listener);
    connections.close_all();
    let deadline = tokio::time::Instant::now() + CLOSE_GRACE;
    while connections.len() > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    connections.abort_all();
}

/// One connection: HTTP/1.1 with a deadline for each request head, closed when the listener closes.
async fn serve(stream: tokio::net::TcpStream, admitted: Admitted, sink: Sink, path: Arc<String>) {
    let Admitted { id, busy, mut closing } = admitted;
    let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
        let (sink, path, busy) = (Arc::clone(&sink), Arc::clone(&path), Arc::clone(&busy));
        async move {
            busy.fetch_add(1, Ordering::SeqCst);
            let response = answer(&sink, &path, request.method(), request.uri()).await;
            busy.fetch_sub(1, Ordering::SeqCst);
            Ok::<_, Infallible>(response)
        }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_WAIT)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let result = tokio::select! {
        result = connection.as_mut() => result,
        () = closed(&mut closing) => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(error) = result {
        tracing::debug!(id, %error, "sign-in listener: a connection ended");
    }
}

/// Until the listener closes (or is gone).
async fn closed(closing: &mut tokio::sync::watch::Receiver<bool>) {
    loop {
        let now = *closing.borrow_and_update();
        if now || closing.changed().await.is_err() {
            return;
        }
    }
}

async fn answer(sink: &Sink, path: &str, method: &Method, uri: &Uri) -> Response<Body> {
    if uri.path() != path {
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
