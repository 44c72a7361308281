//! A day's work survives (issue 14), driven like a person against the demo and a loopback API: the history, saved
//! requests and variables in their files (0600 where private, no canary token or client secret in any of them), a
//! write asked about first, what was on its way when zorgtui quit kept, `zorgtui history` and `call --history`, and
//! the copied curl line run by `sh -c` answering as the TUI did.

#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::time::Duration;

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use zorgtui::api::builtin;
use zorgtui::app::{Action, State};
use zorgtui::auth::AuthStatus;
use zorgtui::config::SecretSource;
use zorgtui::demo::{self, DemoOptions};
use zorgtui::run::Driver;
use zorgtui::secret::Secret;
use zorgtui::workspace::WorkspaceDirs;

use crate::cli::Home;
use crate::support::api_server::ApiServer;
use crate::support::drive::{press, profile, run_until, type_keys};
use crate::support::engine::{config_at, within};
use crate::support::screen::render;

const LIMIT: Duration = Duration::from_secs(20);
const CANARY_SECRET: &str = "canary-client-secret-5f0e";

fn ctrl(c: char) -> Action {
    Action::Input(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)))
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn history_files(home: &Path) -> Vec<(std::path::PathBuf, String)> {
    crate::support::files::all(&home.join("data/history"))
}

/// The token in a curl line's `Authorization: Bearer …` header.
/// The refresh and ID tokens of the one session saved under `store`.
fn session_tokens(store: &Path) -> (String, String) {
    let (_, text) = crate::support::files::all(store)
        .into_iter()
        .find(|(p, _)| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let session: serde_json::Value = serde_json::from_str(&text).unwrap();
    let field = |name: &str| session[name].as_str().unwrap_or_else(|| panic!("no {name} in the session")).to_string();
    let tokens = (field("refresh_token"), field("id_token"));
    assert!(tokens.0.len() > 20 && tokens.1.len() > 20, "real tokens");
    tokens
}

fn token_of(line: &str) -> String {
    let start = line.find("Authorization: Bearer ").unwrap() + "Authorization: Bearer ".len();
    line[start..].split('\'').next().unwrap().to_string()
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // One person's day, step by step.
async fn a_day_with_the_demo_is_kept_without_its_secrets_and_the_copied_curl_line_answers_as_the_tui_did() {
    let servers = demo::start(DemoOptions::default()).await.unwrap();
    let home = Home::new();
    // A saved request written by hand, as people may: a write whose body carries variables.
    std::fs::create_dir_all(home.path().join("requests")).unwrap();
    std::fs::write(
        home.path().join("requests/sandbox.toml"),
        r#"[[request]]
name = "make an org"
method = "POST"
path = "/organizations"
headers = { "X-Trace" = "canary-client-secret-5f0e" }
body = '{"name": "Day {{n}}", "emailAddress": "day@example.org", "description": "{{tok}} {{rt}} {{idt}}"}'
"#,
    )
    .unwrap();
    let mut profile = profile(servers.api_base());
    profile.client.secret = Some(SecretSource::Inline(Secret::new(CANARY_SECRET)));
    profile.workspace.confirm_writes = true;
    let mut config = config_at(servers.issuer(), servers.client_id(), &home.path().join("auth"));
    config.scope = "openid offline_access users:read organizations:read organizations:write".into();
    let mut driver = Driver::new(profile, builtin::catalogue(), Rect::new(0, 0, 160, 48));
    let events = driver.sender();
    driver.attach_auth(zorgtui::auth::spawn(config, move |event| {
        let _ = events.send(Action::Auth(event));
    }));
    driver.keep_workspace_in(WorkspaceDirs { data_dir: home.data(), config_dir: home.path().to_path_buf() });
    driver.state.demo = true;
    driver.start();
    let tx = driver.sender();
    run_until(&mut driver, LIMIT, |s| s.day.loaded).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("Saved") && screen.contains("make an org"), "saved requests head the list:\n{screen}");

    press(&tx, KeyCode::Char('L'));
    run_until(&mut driver, LIMIT, State::signing_in).await;
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| matches!(s.auth, AuthStatus::SignedIn(_))).await;

    // GET /users/me, then the demo's copy: only the explicit line can work, and the first key says so.
    press(&tx, KeyCode::Char('/'));
    type_keys(&tx, "get /users/me");
    press(&tx, KeyCode::Enter);
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.response.shown.as_ref().is_some_and(|r| r.status == 200)).await;
    press(&tx, KeyCode::Char('c'));
    run_until(&mut driver, LIMIT, |s| s.notice.as_ref().is_some_and(|n| n.text.contains("demo"))).await;
    assert!(driver.take_clipboard().is_empty(), "nothing copied that could not work");
    press(&tx, KeyCode::Char('C'));
    run_until(&mut driver, LIMIT, |s| s.notice.as_ref().is_some_and(|n| n.text.contains("LIVE TOKEN"))).await;
    let line = driver.take_clipboard().pop().expect("the line is on the clipboard");
    let token = token_of(&line);
    assert!(token.len() > 20 && token.len() < 1000, "{token}");

    // Pasted into a shell, the line answers as the TUI did.
    let output = within(tokio::process::Command::new("sh").arg("-c").arg(&line).output()).await.unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let by_curl: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    run_until(&mut driver, LIMIT, |s| s.day.history.len() == 1).await;
    let kept = history_files(home.path());
    let exchange = kept.iter().find(|(p, _)| p.file_name().unwrap().to_str().unwrap().starts_with("e-")).unwrap();
    let exchange: serde_json::Value = serde_json::from_str(&exchange.1).unwrap();
    let by_tui: serde_json::Value =
        serde_json::from_str(exchange["response"]["body"]["text"].as_str().unwrap()).unwrap();
    assert_eq!(by_curl, by_tui, "curl answers as the TUI did");

    // Variables: one holds the token itself, as a careless person might set it.
    press(&tx, KeyCode::Esc);
    press(&tx, KeyCode::Char('V'));
    press(&tx, KeyCode::Char('a'));
    type_keys(&tx, &format!("tok = {token}"));
    press(&tx, KeyCode::Enter);
    press(&tx, KeyCode::Char('a'));
    type_keys(&tx, "n = 1");
    press(&tx, KeyCode::Enter);
    // And the session's refresh and ID tokens, from its file: scrubbed by value like the access token.
    let (refresh, id_token) = session_tokens(&home.path().join("auth"));
    for (name, value) in [("rt", &refresh), ("idt", &id_token)] {
        press(&tx, KeyCode::Char('a'));
        type_keys(&tx, &format!("{name} = {value}"));
        press(&tx, KeyCode::Enter);
    }
    run_until(&mut driver, LIMIT, |s| s.day.variables.len() == 4).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("Variables") && screen.contains("= 1"), "{screen}");
    press(&tx, KeyCode::Esc);

    // The saved write: asked first (confirm_writes), then sent with its variables resolved.
    press(&tx, KeyCode::Home);
    run_until(&mut driver, LIMIT, |s| s.editor.saved.as_deref() == Some("make an org")).await;
    tx.send(ctrl('r')).unwrap();
    run_until(&mut driver, LIMIT, |s| s.question.is_some()).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("asks before its first write") && screen.contains("POST /organizations"), "{screen}");
    press(&tx, KeyCode::Char('y'));
    run_until(&mut driver, LIMIT, |s| s.response.shown.as_ref().is_some_and(|r| r.status == 201)).await;
    // Saving again updates the file, its canary header replaced.
    tx.send(ctrl('s')).unwrap();
    run_until(&mut driver, LIMIT, |s| s.day.history.len() == 2).await;
    let saved_file = home.path().join("requests/sandbox.toml");
    crate::support::engine::within(async {
        while std::fs::read_to_string(&saved_file).unwrap().contains(CANARY_SECRET) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;

    // The files: private ones 0600, none holding the token or the client secret.
    let saved = std::fs::read_to_string(&saved_file).unwrap();
    assert!(saved.contains("{{tok}}") && saved.contains("make an org"), "{saved}");
    let variables = home.data().join("variables/sandbox.toml");
    assert_eq!(mode(&variables), 0o600);
    let history = history_files(home.path());
    assert!(history.len() >= 3, "the index and two exchanges: {history:?}");
    for (path, text) in history.iter().chain([(variables.clone(), std::fs::read_to_string(&variables).unwrap())].iter())
    {
        assert_eq!(mode(path), 0o600, "{}", path.display());
        assert!(!text.contains(&token), "the token in {}", path.display());
        assert!(!text.contains(&refresh), "the refresh token in {}", path.display());
        assert!(!text.contains(&id_token), "the ID token in {}", path.display());
        assert!(!text.contains(CANARY_SECRET), "the client secret in {}", path.display());
    }
    assert!(!saved.contains(&token) && !saved.contains(CANARY_SECRET), "{saved}");
    let all: String = history.iter().map(|(_, t)| t.as_str()).collect();
    assert!(all.contains("<redacted>"), "the token, the Authorization header and the echoed value are redacted");
    assert!(all.contains("\"status\": 201") || all.contains("\"status\":201"), "{all}");

    // The History view lists them newest first; Enter reopens the first one's response.
    tx.send(ctrl('o')).unwrap();
    run_until(&mut driver, LIMIT, |s| s.day.view.is_some()).await;
    let screen = render(&driver.state, 160, 48);
    let post = screen.find("/organizations").unwrap();
    let get = screen.find("/users/me").unwrap();
    assert!(post < get, "newest first:\n{screen}");
    press(&tx, KeyCode::Down);
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.response.shown.as_ref().is_some_and(|r| r.label.contains("history"))).await;
    driver.shutdown();

    // The next run finds it all, and `zorgtui history` lists it.
    let output = within(home.bare(&["history"]).output()).await.unwrap();
    let listed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(listed.lines().count() == 2 && listed.contains("POST") && listed.contains("/users/me"), "{listed}");
}

#[tokio::test]
async fn what_was_on_its_way_is_kept_when_another_request_replaces_it_and_when_zorgtui_quits() {
    let api = ApiServer::start().await;
    let home = Home::new();
    let mut driver = Driver::new(profile(&api.base()), builtin::catalogue(), Rect::new(0, 0, 160, 48));
    driver.keep_workspace_in(WorkspaceDirs { data_dir: home.data(), config_dir: home.path().to_path_buf() });
    driver.start();
    let tx = driver.sender();
    run_until(&mut driver, LIMIT, |s| s.day.loaded).await;
    let send = |filter: &str| {
        press(&tx, KeyCode::Char('/'));
        tx.send(ctrl('u')).unwrap();
        type_keys(&tx, filter);
        press(&tx, KeyCode::Enter);
        press(&tx, KeyCode::Enter);
    };
    // The slow list, replaced by another request: the first is kept as cancelled.
    send("get /organizations ");
    run_until(&mut driver, LIMIT, |s| s.response.in_flight.is_some()).await;
    send("get /users/me");
    run_until(&mut driver, LIMIT, |s| s.day.history.len() == 2).await;
    let words: Vec<&str> = driver.state.day.history.iter().map(|h| h.state.word()).collect();
    assert!(words.contains(&"cancelled") && words.contains(&"done"), "{words:?}");
    // The slow one again, and quit while it runs: kept as cut off, with its head.
    send("get /organizations ");
    run_until(&mut driver, LIMIT, |s| s.response.in_flight.is_some()).await;
    driver.shutdown();
    let store = WorkspaceDirs { data_dir: home.data(), config_dir: home.path().to_path_buf() }.history("sandbox");
    let kept = store.list().unwrap();
    assert_eq!(kept.len(), 3, "{kept:?}");
    assert_eq!(kept.last().unwrap().state, zorgtui::workspace::ExchangeState::Interrupted);
}

#[tokio::test]
async fn zorgtui_call_keeps_the_exchange_only_with_history() {
    let api = ApiServer::start().await;
    let home = Home::new();
    let base = api.base();
    let call = |extra: &'static [&'static str]| {
        let mut args = vec!["--api", base.as_str(), "call", "GET", "/users/me"];
        args.extend(extra);
        home.bare(&args)
    };
    let output = within(call(&[]).output()).await.unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!home.data().join("history").exists(), "nothing kept without --history");
    let output = within(call(&["--history"]).output()).await.unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let output = within(home.bare(&["history"]).output()).await.unwrap();
    let listed = String::from_utf8_lossy(&output.stdout);
    assert!(listed.contains("GET") && listed.contains("200") && listed.contains("/users/me"), "{listed}");
    for (path, _) in history_files(home.path()) {
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    // `history = false` keeps none, even when asked.
    home.config("[profiles.quiet]\napi = \"http://127.0.0.1:9\"\nissuer = \"http://127.0.0.1:9\"\nclient_id = \"x\"\nhistory = false\n");
    let output =
        within(home.bare(&["--profile", "quiet", "--api", &base, "call", "GET", "/users/me", "--history"]).output())
            .await
            .unwrap();
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("keeps no history"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
