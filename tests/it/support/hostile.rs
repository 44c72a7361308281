//! A server on 127.0.0.1 that answers every request the same hostile way: a small gzip stream that inflates without
//! end, a body without end, a body that trickles, a body that stops half-way. What a probe of zorgtui used.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Response, header};
use bytes::Bytes;
use futures_util::stream;

/// How the server answers.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    /// `Content-Encoding: gzip`, each ~1 KB chunk inflating to 1 MiB of `0`s, for ever.
    GzipBomb,
    /// The same as an error page: 400.
    ErrorBomb,
    /// Plain bytes (`[0,0,0,…`), for ever, with no length.
    Endless,
    /// `pieces` small pieces of a JSON array, one every `every`, then its end.
    Trickle { every: Duration, pieces: usize },
    /// A kilobyte of the body, then nothing, the connection held open.
    Stall,
}

/// The server; it stops when dropped.
pub struct Hostile {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Hostile {
    pub async fn start(answer: Answer) -> Hostile {
        let router = axum::Router::new().fallback(move || async move { respond(answer) });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Hostile { addr, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

fn respond(answer: Answer) -> Response<Body> {
    let json = Response::builder().header(header::CONTENT_TYPE, "application/json");
    match answer {
        Answer::GzipBomb | Answer::ErrorBomb => {
            let status = if matches!(answer, Answer::ErrorBomb) { 400 } else { 200 };
            let bomb = json.status(status).header(header::CONTENT_ENCODING, "gzip");
            bomb.body(Body::from_stream(gzip_zeros())).unwrap()
        }
        Answer::Endless => {
            let first = stream::once(async { Ok::<_, std::io::Error>(Bytes::from_static(b"[")) });
            let rest = stream::repeat_with(|| Ok(Bytes::from(b"0,".repeat(32 * 1024))));
            json.body(Body::from_stream(futures_util::StreamExt::chain(first, rest))).unwrap()
        }
        Answer::Trickle { every, pieces } => {
            let body = stream::unfold(0, move |sent| async move {
                if sent > pieces {
                    return None;
                }
                tokio::time::sleep(every).await;
                let piece = match sent {
                    0 => Bytes::from_static(b"[0"),
                    n if n == pieces => Bytes::from_static(b"]"),
                    _ => Bytes::from_static(b",0"),
                };
                Some((Ok::<_, std::io::Error>(piece), sent + 1))
            });
            json.body(Body::from_stream(body)).unwrap()
        }
        Answer::Stall => {
            let start = stream::once(async { Ok::<_, std::io::Error>(Bytes::from(format!("[{}", "0,".repeat(512)))) });
            let never = stream::once(std::future::pending::<Result<Bytes, std::io::Error>>());
            json.body(Body::from_stream(futures_util::StreamExt::chain(start, never))).unwrap()
        }
    }
}

/// One gzip stream, never finished: each piece is a sync-flushed MiB of `0`s (about a kilobyte on the wire).
fn gzip_zeros() -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    use std::io::Write as _;
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![b'0'; 1 << 20];
    stream::unfold((encoder, zeros), |(mut encoder, zeros)| async move {
        encoder.write_all(&zeros).unwrap();
        encoder.flush().unwrap();
        let piece = Bytes::from(std::mem::take(encoder.get_mut()));
        Some((Ok(piece), (encoder, zeros)))
    })
}
