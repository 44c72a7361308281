//! The cache of parsed catalogues: a second read of an unchanged document skips parsing; a changed, corrupt or
//! stale entry is not used; a spec from a URL shows its kept catalogue and is revalidated with its ETag.

use std::os::unix::fs::PermissionsExt as _;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use zorgtui::api::spec_cache::SpecCache;
use zorgtui::api::{Catalogue, spec_source};
use zorgtui::http::{Http, HttpSettings, Purpose};

use crate::support::engine::within;

const SPEC: &str = "openapi: 3.1.0\ninfo: {title: Cached, version: '1'}\npaths:\n  /a:\n    get:\n      \
                    parameters: [{$ref: 'params.yaml#/p'}]\n";
const LIMIT: u64 = 1 << 20;

/// The one entry in the cache directory.
fn entry_file(cache_dir: &std::path::Path) -> std::path::PathBuf {
    let entries: Vec<_> = std::fs::read_dir(cache_dir.join("specs")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries[0].clone()
}

/// Changes the JSON part of a kept entry (after its header line `zorgtui-spec-cache LENGTH FIRST SECOND`, before
/// the two halves of its operations and the bodies).
fn edit_entry(path: &std::path::Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let bytes = std::fs::read(path).unwrap();
    let line_end = bytes.iter().position(|b| *b == b'\n').unwrap();
    let header = std::str::from_utf8(&bytes[..line_end]).unwrap();
    let lengths: Vec<&str> = header.strip_prefix("zorgtui-spec-cache ").unwrap().split(' ').collect();
    let length: usize = lengths[0].parse().unwrap();
    let (json, rest) = bytes[line_end + 1..].split_at(length);
    let mut entry: serde_json::Value = serde_json::from_slice(json).unwrap();
    edit(&mut entry);
    let json = serde_json::to_vec(&entry).unwrap();
    let mut out = format!("zorgtui-spec-cache {} {} {}\n", json.len(), lengths[1], lengths[2]).into_bytes();
    out.extend_from_slice(&json);
    out.extend_from_slice(rest);
    std::fs::write(path, out).unwrap();
}

/// Rewrites the cached catalogue's title, so that a read from the cache shows.
fn mark_entry(path: &std::path::Path, title: &str) {
    edit_entry(path, |entry| entry["catalogue"]["title"] = title.into());
}

#[test]
fn an_unchanged_file_comes_from_the_cache_and_a_change_anywhere_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let (spec, params, cache_dir) =
        (dir.path().join("spec.yaml"), dir.path().join("params.yaml"), dir.path().join("cache"));
    std::fs::write(&spec, SPEC).unwrap();
    std::fs::write(&params, "p: {name: page, in: query}\n").unwrap();
    let cache = SpecCache::new(&cache_dir);
    let first = cache.load_file(&spec, LIMIT).unwrap();
    assert_eq!((first.title.as_str(), first.operations[0].params[0].name.as_str()), ("Cached 1", "page"));
    let entry = entry_file(&cache_dir);
    assert_eq!(std::fs::metadata(&entry).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(cache_dir.join("specs")).unwrap().permissions().mode() & 0o777, 0o700);

    mark_entry(&entry, "from the cache");
    assert_eq!(cache.load_file(&spec, LIMIT).unwrap().title, "from the cache");

    // The file a ref names changed: read again (and the entry replaced).
    std::fs::write(&params, "p: {name: offset, in: query}\n").unwrap();
    let again = cache.load_file(&spec, LIMIT).unwrap();
    assert_eq!((again.title.as_str(), again.operations[0].params[0].name.as_str()), ("Cached 1", "offset"));

    // A corrupt entry is ignored and replaced.
    std::fs::write(entry_file(&cache_dir), b"{\"format\": 1, \"catalogue\": [tru").unwrap();
    assert_eq!(cache.load_file(&spec, LIMIT).unwrap().title, "Cached 1");
    mark_entry(&entry_file(&cache_dir), "rewritten");
    assert_eq!(cache.load_file(&spec, LIMIT).unwrap().title, "rewritten");

    // The document itself changed: read fresh, its entry replaced (one per document, so none piles up).
    std::fs::write(&spec, SPEC.replace("Cached", "Changed")).unwrap();
    assert_eq!(cache.load_file(&spec, LIMIT).unwrap().title, "Changed 1");
    mark_entry(&entry_file(&cache_dir), "changed, from the cache");
    assert_eq!(cache.load_file(&spec, LIMIT).unwrap().title, "changed, from the cache");
    std::fs::write(&spec, SPEC).unwrap();
    assert_eq!(cache.load_file(&spec, LIMIT).unwrap().title, "Cached 1", "the first bytes again are read again");
}

#[test]
fn an_entry_of_another_version_or_format_is_stale() {
    let dir = tempfile::tempdir().unwrap();
    let (spec, cache_dir) = (dir.path().join("spec.yaml"), dir.path().join("cache"));
    std::fs::write(&spec, "openapi: 3.1.0\ninfo: {title: V, version: '1'}\npaths: {}\n").unwrap();
    let cache = SpecCache::new(&cache_dir);
    cache.load_file(&spec, LIMIT).unwrap();
    let path = entry_file(&cache_dir);
    edit_entry(&path, |entry| {
        entry["version"] = "0.0.0-other".into();
        entry["catalogue"]["title"] = "stale".into();
    });
    assert_eq!(cache.load_file(&spec, LIMIT).unwrap().title, "V 1");
}

/// A spec server with an ETag that counts its requests and remembers the `If-None-Match` it was sent.
#[derive(Default)]
struct Served {
    body: String,
    requests: usize,
    conditional: Vec<Option<String>>,
}

async fn serve(state: Arc<Mutex<Served>>) -> (String, tokio::task::JoinHandle<()>) {
    let spec_state = state.clone();
    let app = Router::new()
        .route(
            "/specs/openapi.yaml",
            get(move |headers: HeaderMap| {
                let state = spec_state.clone();
                async move {
                    let mut served = state.lock().unwrap();
                    served.requests += 1;
                    let asked = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_string);
                    served.conditional.push(asked.clone());
                    let etag = format!("\"{}\"", served.body.len());
                    if asked.as_deref() == Some(etag.as_str()) {
                        return StatusCode::NOT_MODIFIED.into_response();
                    }
                    ([(header::ETAG, etag)], served.body.clone()).into_response()
                }
            }),
        )
        .route("/specs/params.yaml", get(|| async { "p: {name: page, in: query}\n" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("{base}/specs/openapi.yaml"), task)
}

async fn load(http: &Http, url: &str, cache: &SpecCache) -> Vec<Result<Catalogue, String>> {
    let mut shown = Vec::new();
    within(spec_source::load(http, url, Some(cache), |r| shown.push(r.map_err(|e| e.to_string())))).await;
    shown
}

#[tokio::test]
async fn a_spec_from_a_url_shows_its_kept_catalogue_and_is_revalidated() {
    let state = Arc::new(Mutex::new(Served { body: SPEC.to_string(), ..Served::default() }));
    let (url, server) = serve(state.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = SpecCache::new(dir.path());
    let http = Http::new(&HttpSettings::default(), Purpose::Api).unwrap();

    let first = load(&http, &url, &cache).await;
    assert_eq!(first.len(), 1);
    let catalogue = first[0].as_ref().unwrap();
    assert_eq!(catalogue.operations[0].params[0].name, "page", "params.yaml came from the same origin");
    assert_eq!(catalogue.servers[0].url, format!("{}/", url.trim_end_matches("/specs/openapi.yaml")));

    // Unchanged: the kept catalogue shows, the server answers 304, nothing else is shown.
    let second = load(&http, &url, &cache).await;
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].as_ref().unwrap(), catalogue);
    let etag = format!("\"{}\"", SPEC.len());
    assert_eq!(state.lock().unwrap().conditional.last().unwrap().as_deref(), Some(etag.as_str()));

    // Changed: the kept one first, then the new one.
    state.lock().unwrap().body = SPEC.replace("Cached", "Renamed");
    let third = load(&http, &url, &cache).await;
    let titles: Vec<&str> = third.iter().map(|r| r.as_ref().unwrap().title.as_str()).collect();
    assert_eq!(titles, ["Cached 1", "Renamed 1"]);

    // The server gone: the kept catalogue still shows, and no error replaces it.
    server.abort();
    let _ = server.await;
    let offline = load(&http, &url, &cache).await;
    assert_eq!(offline.len(), 1);
    assert_eq!(offline[0].as_ref().unwrap().title, "Renamed 1");
}

#[tokio::test]
async fn a_spec_from_a_url_may_not_name_another_origin() {
    let body = "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      parameters: [{$ref: 'http://localhost:9/p.yaml#/p'}]\n";
    let state = Arc::new(Mutex::new(Served { body: body.to_string(), ..Served::default() }));
    let (url, _server) = serve(state).await;
    let http = Http::new(&HttpSettings::default(), Purpose::Api).unwrap();
    let catalogue = within(spec_source::fetch(&http, &url)).await.unwrap();
    assert!(catalogue.operations[0].params.is_empty());
    assert!(
        catalogue.notices.iter().any(|n| n.contains("only name URLs of its own origin")),
        "{:?}",
        catalogue.notices
    );
}
