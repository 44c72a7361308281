//! A spec's apiKey and http schemes (issue 13 item 2), tried as a person would: `zorgtui --spec` on a document
//! whose operations name a header key, a query key and HTTP basic, against an API on loopback that records what
//! arrives. Each value is asked once (typed masked), kept 0600 beside the sessions, sent only on the operations
//! that name its scheme, and found again by the next run; no other file holds it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::RawQuery;
use axum::http::{HeaderMap, Uri};
use axum::routing::get;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use zorgtui::config::spec_profile::{self, REMEMBERED_FILE, Remembered};
use zorgtui::config::{AppDirs, Config, Overrides};
use zorgtui::run::Driver;
use zorgtui::workspace::WorkspaceDirs;

use crate::support::drive::{press, run_until, type_keys};
use crate::support::screen::render;

const LIMIT: Duration = Duration::from_secs(20);
const KEY: &str = "canary-api-key-7d1c";

/// What one request brought: its path, the key header, Authorization and the query.
type Seen = Arc<Mutex<Vec<(String, Option<String>, Option<String>, String)>>>;

async fn recording_api() -> (String, Seen, tokio::task::JoinHandle<()>) {
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    let app = Router::new().fallback(get(move |uri: Uri, headers: HeaderMap, RawQuery(query): RawQuery| {
        let log = Arc::clone(&log);
        async move {
            let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
            log.lock().unwrap().push((
                uri.path().to_string(),
                header("x-api-key"),
                header("authorization"),
                query.unwrap_or_default(),
            ));
            ([("content-type", "application/json")], r#"{"ok":true}"#)
        }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, seen, task)
}

/// A spec of `api` whose operations `paths` need an API key in a header unless they say otherwise; a query key
/// (`q`) and HTTP basic (`basic`) are declared too.
fn keyed_document(api: &str, paths: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "Keys", "version": "1"},
        "servers": [{"url": api}],
        "security": [{"key": []}],
        "paths": paths,
        "components": {"securitySchemes": {
            "key": {"type": "apiKey", "name": "X-API-Key", "in": "header"},
            "q": {"type": "apiKey", "name": "api_key", "in": "query"},
            "basic": {"type": "http", "scheme": "basic"}
        }}
    })
}

fn spec(api: &str) -> zorgtui::api::Catalogue {
    let ok = serde_json::json!({"200": {"description": "ok"}});
    let document = keyed_document(
        api,
        &serde_json::json!({
            "/things": {"get": {"summary": "keyed by the header", "responses": ok}},
            "/open": {"get": {"summary": "needs nothing", "security": [], "responses": ok}},
            "/search": {"get": {"summary": "keyed in the query", "security": [{"q": []}], "responses": ok}},
            "/me": {"get": {"summary": "basic", "security": [{"basic": []}], "responses": ok}}
        }),
    );
    zorgtui::api::openapi::parse(document.to_string().as_bytes(), "keys.json").unwrap()
}

fn explorer(catalogue: &zorgtui::api::Catalogue, dirs: &AppDirs) -> Driver {
    let config = Config::parse("", &dirs.config_file).unwrap();
    let remembered = Remembered::load(&dirs.data_dir.join(REMEMBERED_FILE)).unwrap();
    let (profile, _) = spec_profile::for_spec(&config, catalogue, &Overrides::default(), &remembered);
    let mut driver = Driver::new(profile, catalogue.clone(), Rect::new(0, 0, 160, 48));
    driver.remember_in(&dirs.data_dir, remembered);
    driver.keep_workspace_in(WorkspaceDirs { data_dir: dirs.data_dir.clone(), config_dir: dirs.state_dir.clone() });
    driver.start();
    driver
}

/// Filters the catalogue to `path` and sends it.
async fn send(driver: &mut Driver, path: &str) {
    let tx = driver.sender();
    press(&tx, KeyCode::Char('/'));
    type_keys(&tx, &format!("get {path}"));
    press(&tx, KeyCode::Enter);
    press(&tx, KeyCode::Enter);
    run_until(driver, LIMIT, |s| s.question.is_some() || s.response.in_flight.is_some() || s.response.shown.is_some())
        .await;
}

async fn answered(driver: &mut Driver, seen: &Seen, count: usize) {
    run_until(driver, LIMIT, |s| s.response.in_flight.is_none() && s.response.shown.is_some()).await;
    let wait = async {
        while seen.lock().unwrap().len() < count {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(LIMIT, wait).await.expect("the API was reached");
}

#[tokio::test]
async fn each_value_is_asked_once_kept_privately_and_sent_only_where_its_scheme_is_named() {
    use std::os::unix::fs::PermissionsExt as _;
    let (api, seen, _task) = recording_api().await;
    let root = tempfile::tempdir().unwrap();
    let dirs = AppDirs {
        config_file: root.path().join("config.toml"),
        data_dir: root.path().join("data"),
        state_dir: root.path().join("state"),
        cache_dir: root.path().join("cache"),
    };
    let catalogue = spec(&api);
    let mut driver = explorer(&catalogue, &dirs);
    let tx = driver.sender();

    // The header key: asked for, named with where it goes, typed masked.
    send(&mut driver, "/things").await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("A value for this API") && screen.contains("the header X-API-Key"), "{screen}");
    type_keys(&tx, KEY);
    run_until(&mut driver, LIMIT, |s| render(s, 160, 48).contains("•••••")).await;
    assert!(!render(&driver.state, 160, 48).contains(KEY), "never on screen");
    press(&tx, KeyCode::Enter);
    answered(&mut driver, &seen, 1).await;
    assert_eq!(seen.lock().unwrap()[0].1.as_deref(), Some(KEY));

    // An operation that names no scheme carries none; the query key goes in the query, not in the header.
    press(&tx, KeyCode::Esc);
    send(&mut driver, "/open").await;
    answered(&mut driver, &seen, 2).await;
    assert_eq!(seen.lock().unwrap()[1].1, None);
    press(&tx, KeyCode::Esc);
    send(&mut driver, "/search").await;
    type_keys(&tx, "q-value 1");
    press(&tx, KeyCode::Enter);
    answered(&mut driver, &seen, 3).await;
    let search = seen.lock().unwrap()[2].clone();
    assert!(search.1.is_none() && search.3 == "api_key=q-value+1", "{search:?}");
    let shown = driver.state.response.shown.as_ref().unwrap();
    assert!(!format!("{shown:?}").contains("q-value"), "the answer's URL is shown as asked for");

    // HTTP basic, typed as user:password.
    press(&tx, KeyCode::Esc);
    send(&mut driver, "/me").await;
    assert!(render(&driver.state, 160, 48).contains("Authorization: Basic"));
    type_keys(&tx, "ann:pw");
    press(&tx, KeyCode::Enter);
    answered(&mut driver, &seen, 4).await;
    assert_eq!(seen.lock().unwrap()[3].2.as_deref(), Some("Basic YW5uOnB3"));
    driver.shutdown();

    // Kept 0600 in the data dir; apis.json names the schemes only; no other file holds a value. The two files are
    // written by separate background jobs, so both are waited for.
    let kept = dirs.data_dir.join("credentials.json");
    let names_all = || {
        Remembered::load(&dirs.data_dir.join(REMEMBERED_FILE))
            .ok()
            .and_then(|r| r.api(&api).map(|a| a.credentials.len() == 3))
            .unwrap_or(false)
    };
    let wait = async {
        while !std::fs::read_to_string(&kept).unwrap_or_default().contains("ann:pw") || !names_all() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(LIMIT, wait).await.expect("kept and named");
    assert_eq!(std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777, 0o600);
    for (path, text) in crate::support::files::all(root.path()) {
        if path != kept {
            assert!(!text.contains(KEY) && !text.contains("ann:pw") && !text.contains("q-value"), "{}", path.display());
        }
    }
    let remembered = Remembered::load(&dirs.data_dir.join(REMEMBERED_FILE)).unwrap();
    assert_eq!(remembered.api(&api).unwrap().credentials, ["key", "q", "basic"]);

    // The next run asks nothing and sends the kept value.
    let mut driver = explorer(&catalogue, &dirs);
    send(&mut driver, "/things").await;
    assert!(driver.state.question.is_none(), "asked once");
    answered(&mut driver, &seen, 5).await;
    assert_eq!(seen.lock().unwrap()[4].1.as_deref(), Some(KEY));
    driver.shutdown();
}

/// `zorgtui --spec FILE call …`, with a home of its own and stdin not a terminal.
async fn call(home: &std::path::Path, spec: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_zorgtui"));
    command
        .arg("--spec")
        .arg(spec)
        .arg("call")
        .args(args)
        .env("ZORGTUI_CONFIG", home.join("config.toml"))
        .env("ZORGTUI_DATA_DIR", home.join("data"))
        .env("ZORGTUI_STATE_DIR", home.join("state"))
        .env("ZORGTUI_CACHE_DIR", home.join("cache"))
        .env_remove("ZORGTUI_PROFILE")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    tokio::time::timeout(LIMIT, command.output()).await.expect("the call ends").unwrap()
}

#[tokio::test]
async fn zorgtui_call_carries_the_kept_values_where_the_spec_names_them_and_says_what_is_missing() {
    use std::os::unix::fs::PermissionsExt as _;
    let (api, seen, _task) = recording_api().await;
    let home = tempfile::tempdir().unwrap();
    let ok = serde_json::json!({"200": {"description": "ok"}});
    let document = keyed_document(
        &api,
        &serde_json::json!({
            "/things/{id}": {"get": {"responses": ok}},
            "/open": {"get": {"security": [], "responses": ok}},
            "/me": {"get": {"security": [{"basic": []}], "responses": ok}}
        }),
    );
    let spec = home.path().join("keys.json");
    std::fs::write(&spec, document.to_string()).unwrap();

    // Nothing kept, nobody to ask: it says what is missing and how to give it, and sends nothing.
    let out = call(home.path(), &spec, &["GET", "/things/42"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("the header X-API-Key") && stderr.contains("none is kept"), "{stderr}");
    assert!(seen.lock().unwrap().is_empty());

    // Kept as the explorer keeps them: the header key on /things/{id}, basic on /me, nothing on /open.
    let data = home.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    let origin = api.trim_end_matches("/v1");
    let kept = serde_json::json!({ origin: {"key": KEY, "basic": "ann:pw"} });
    let file = data.join("credentials.json");
    std::fs::write(&file, kept.to_string()).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = call(home.path(), &spec, &["GET", "/things/42", "--history"]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), r#"{"ok":true}"#);
    let out = call(home.path(), &spec, &["GET", "/me"]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = call(home.path(), &spec, &["GET", "/open"]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!((seen[0].0.as_str(), seen[0].1.as_deref()), ("/v1/things/42", Some(KEY)));
    assert_eq!((seen[1].1.as_deref(), seen[1].2.as_deref()), (None, Some("Basic YW5uOnB3")));
    assert_eq!((seen[2].1.as_deref(), seen[2].2.as_deref()), (None, None));

    // The history kept the call, and no file but the credentials holds a value.
    let kept_anything = crate::support::files::all(home.path())
        .iter()
        .any(|(path, _)| path.starts_with(home.path().join("data")) && *path != file);
    assert!(kept_anything, "the history was written");
    for (path, text) in crate::support::files::all(home.path()) {
        if path != file {
            assert!(!text.contains(KEY) && !text.contains("ann:pw"), "{}", path.display());
        }
    }
}
