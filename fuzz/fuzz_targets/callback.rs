//! Any bytes sent to the loopback callback listener, as a local program or a browser could: it answers what it can
//! (an HTTP status line or nothing), the callback handling checks whatever parameters arrive, and the listener is
//! still there for the next connection. One listener for the whole run, as in a sign-in that waits a long time.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::runtime::Runtime;
use zorgtui::auth::listener::Listener;
use zorgtui::auth::pages::Page;
use zorgtui::auth::response::{Verdict, check};
use zorgtui::secret::Secret;

struct Harness {
    runtime: Runtime,
    port: u16,
    _listener: Listener,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let listener = runtime.block_on(async {
            Listener::bind("127.0.0.1".parse().unwrap(), 0, "/callback".into(), |callback| {
                let state = Secret::new("fuzz-state".to_string());
                let page = match check(&callback.params, &state, "https://issuer.example", true) {
                    Verdict::NotOurs => Page::NotOurs,
                    Verdict::Code(_) => Page::Done,
                    Verdict::Refused(_) => Page::Refused,
                };
                let _ = callback.reply.send(page);
            })
            .await
            .unwrap()
        });
        Harness { port: listener.port(), runtime, _listener: listener }
    })
}

fuzz_target!(|bytes: &[u8]| {
    let harness = harness();
    harness.runtime.block_on(async {
        let mut stream = tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(("127.0.0.1", harness.port)))
            .await
            .expect("the listener accepts within 5 s")
            .expect("the listener is still there");
        let _ = stream.write_all(bytes).await;
        let _ = stream.shutdown().await;
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(6), stream.read_to_end(&mut answer)).await;
        assert!(answer.is_empty() || answer.starts_with(b"HTTP/1."), "not an HTTP answer");
    });
});
