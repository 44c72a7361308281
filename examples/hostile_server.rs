//! A hostile server on 127.0.0.1 for `bench/hostile.sh` and manual probes: `cargo run --release --example
//! hostile_server [PORT]`. It prints its address, then serves:
//!
//! - `/bomb/…`: `Content-Encoding: gzip`, about a kilobyte on the wire for every MiB inflated, without end;
//! - `/endless/…`: plain bytes without end and without a length;
//! - `/ok/.well-known/openid-configuration`: an honest discovery document whose token, device, revocation and
//!   userinfo endpoints are bombs (so discovery works and the next answer is the hostile one).

use std::io::Write as _;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Response, header};
use bytes::Bytes;
use futures_util::stream;

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("a free port");
    let addr = listener.local_addr().expect("an address");
    println!("http://{addr}");
    let base = format!("http://{addr}");
    let app = axum::Router::new().fallback(move |request: Request| {
        let base = base.clone();
        async move { answer(&base, request.uri().path()) }
    });
    axum::serve(listener, app).await.expect("serving");
}

fn answer(base: &str, path: &str) -> Response<Body> {
    let json = Response::builder().header(header::CONTENT_TYPE, "application/json");
    if path.starts_with("/ok/.well-known/") {
        let issuer = format!("{base}/ok");
        let document = serde_json::json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{base}/bomb/auth"),
            "token_endpoint": format!("{base}/bomb/token"),
            "device_authorization_endpoint": format!("{base}/bomb/device"),
            "revocation_endpoint": format!("{base}/bomb/revoke"),
            "userinfo_endpoint": format!("{base}/bomb/userinfo"),
            "code_challenge_methods_supported": ["S256"],
        });
        return json.body(Body::from(document.to_string())).expect("a response");
    }
    if path.starts_with("/endless") {
        let body = stream::repeat_with(|| Ok::<_, std::io::Error>(Bytes::from(b"0,".repeat(32 * 1024))));
        return json.body(Body::from_stream(body)).expect("a response");
    }
    json.header(header::CONTENT_ENCODING, "gzip").body(Body::from_stream(gzip_zeros())).expect("a response")
}

/// One gzip stream, never finished: each piece is a sync-flushed MiB of `0`s.
fn gzip_zeros() -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b'0'; 1 << 20];
    stream::unfold((encoder, zeros), |(mut encoder, zeros)| async move {
        if let Err(e) = encoder.write_all(&zeros).and_then(|()| encoder.flush()) {
            return Some((Err(e), (encoder, zeros)));
        }
        let piece = Bytes::from(std::mem::take(encoder.get_mut()));
        Some((Ok(piece), (encoder, zeros)))
    })
}
