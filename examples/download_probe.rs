//! The response path beside curl, for `bench/download.sh`:
//!
//! - `download_probe serve SIZE_MB`: serves SIZE_MB of generated JSON at `/body` on 127.0.0.1 (from memory, with its
//!   length, uncompressed) and prints the URL;
//! - `download_probe fetch URL MEMORY_MB RUNS`: reads it RUNS times through `api::client::send`, the path an API
//!   response takes in the explorer, with `body_memory_cap_mb` at MEMORY_MB (0: every byte goes to the temporary
//!   file), and prints the milliseconds of each run and where the body went.

use std::process::ExitCode;

/// The binary's allocator, so the probe's memory behaves as the explorer's does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::{Duration, Instant};

use bytes::Bytes;
use zorgtui::api::catalogue::Method;
use zorgtui::api::client;
use zorgtui::api::request::PreparedRequest;
use zorgtui::config::Limits;
use zorgtui::http::{BodyKind, Http, HttpSettings, Purpose};

async fn serve(size_mb: usize) {
    let body = Bytes::from(zorgtui::json::testdata::array_of_objects(size_mb << 20));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.expect("a free port");
    println!("http://{}/body", listener.local_addr().expect("an address"));
    let app = axum::Router::new().route(
        "/body",
        axum::routing::get(move || {
            let body = body.clone();
            async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], body) }
        }),
    );
    axum::serve(listener, app).await.expect("serving");
}

async fn fetch(url: &str, memory_mb: u64, runs: usize) -> Result<(), String> {
    let limits = Limits { body_memory: memory_mb << 20, body_disk: 16 << 30, ..Limits::DEFAULT };
    let settings = HttpSettings { ca_file: None, timeout: Some(Duration::from_secs(60)), limits };
    let http = Http::new(&settings, Purpose::Api).map_err(|e| e.to_string())?;
    let request = PreparedRequest {
        method: Method::Get,
        url: url.to_string(),
        headers: Vec::new(),
        body: None,
        with_token: false,
        credentials: None,
    };
    if std::env::var_os("DRAIN").is_some() {
        for _ in 0..runs {
            let started = Instant::now();
            let mut response = http.send(http.get(url)).await.map_err(|e| e.to_string())?;
            let (mut chunks, mut bytes) = (0u64, 0u64);
            while let Some(chunk) = response.chunk(BodyKind::Api).await.map_err(|e| e.to_string())? {
                chunks += 1;
                bytes += chunk.len() as u64;
            }
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            println!("{ms:.1} drain {bytes} in {chunks} chunks");
        }
        return Ok(());
    }
    for _ in 0..runs {
        let started = Instant::now();
        let response = client::send(&http, &request, None).await.map_err(|e| e.to_string())?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let (place, len) = match &response.spilled {
            Some(spilled) => ("file", spilled.len),
            None => ("memory", response.body.len() as u64),
        };
        println!("{ms:.1} {place} {len}");
    }
    Ok(())
}

fn main() -> ExitCode {
    // The binary's runtime, so the probe reads bodies as the explorer does.
    zorgtui::run::runtime().expect("a runtime").block_on(run())
}

async fn run() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize| args.get(i).and_then(|s| s.parse::<u64>().ok());
    match (args.first().map(String::as_str), number(1), number(2), number(3)) {
        (Some("serve"), Some(size_mb), _, _) => {
            serve(usize::try_from(size_mb).unwrap_or(100)).await;
            ExitCode::SUCCESS
        }
        (Some("fetch"), _, Some(memory_mb), Some(runs)) => {
            match fetch(&args[1], memory_mb, usize::try_from(runs).unwrap_or(1)).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("usage: download_probe serve SIZE_MB | download_probe fetch URL MEMORY_MB RUNS");
            ExitCode::FAILURE
        }
    }
}
