//! `zorgtui view`: the binary where it can run without a terminal (it refuses, in one line), and the viewer driven
//! in-process through its own driver, on files read where they are.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use zorgtui::app::{OpenInput, ViewerState};
use zorgtui::run::ViewerDriver;

use crate::support::drive::{drawn, press, type_keys};
use crate::support::screen::text;

const LIMIT: Duration = Duration::from_secs(20);

fn zorgtui_view(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_zorgtui"))
        .arg("view")
        .args(args)
        .env("ZORGTUI_CONFIG", dir.path().join("none.toml"))
        .env("ZORGTUI_STATE_DIR", dir.path().join("state"))
        .env("ZORGTUI_CACHE_DIR", dir.path().join("cache"))
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(bytes) = stdin {
        // The viewer may refuse before reading: a closed pipe is fine.
        let _ = child.stdin.take().unwrap().write_all(bytes);
    }
    child.wait_with_output().unwrap()
}

fn one_line_error(output: &Output) -> String {
    assert!(!output.status.success(), "exits non-zero");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(output.stdout.is_empty(), "nothing on stdout");
    stderr
}

#[test]
fn without_a_terminal_view_says_so_for_a_file_and_for_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.json");
    std::fs::write(&file, "[1,2,3]").unwrap();
    let stderr = one_line_error(&zorgtui_view(&[file.to_str().unwrap()], None));
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    let stderr = one_line_error(&zorgtui_view(&["-"], Some(b"{\"a\":1}")));
    assert!(stderr.contains("needs a terminal"), "{stderr}");
}

#[test]
fn a_file_that_cannot_be_opened_is_named() {
    let stderr = one_line_error(&zorgtui_view(&["/nonexistent/data.json"], None));
    assert!(stderr.contains("cannot open /nonexistent/data.json: No such file or directory"), "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let stderr = one_line_error(&zorgtui_view(&[dir.path().to_str().unwrap()], None));
    assert!(stderr.contains("is a folder"), "{stderr}");
}

fn render(state: &ViewerState, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| zorgtui::ui::draw_viewer(frame, state)).unwrap();
    text(terminal.backend().buffer())
}

async fn run_until(driver: &mut ViewerDriver, done: impl Fn(&ViewerState) -> bool) {
    let wait = async {
        loop {
            driver.drain();
            if done(&driver.state) {
                return;
            }
            let action = driver.next_action().await.expect("the action channel stays open");
            driver.handle(action);
        }
    };
    tokio::time::timeout(LIMIT, wait).await.expect("the viewer reached the expected state in time");
}

fn file_with(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.json");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn path_of(state: &ViewerState) -> String {
    state.pane.as_ref().unwrap().view().tree.as_ref().unwrap().cursor_path(zorgtui::json::Access::Direct).unwrap()
}

#[tokio::test]
async fn a_file_is_shown_file_backed_and_every_key_works() {
    let text = zorgtui::json::testdata::Shape::ArrayOfObjects.generate(2 << 20);
    let (_dir, path) = file_with(&text);
    let mut driver = ViewerDriver::new(OpenInput::File(path.clone()), 64 << 20, Rect::new(0, 0, 120, 40));
    assert!(
        drawn(&mut driver, |s| render(s, 120, 40)).await.contains("Reading and indexing"),
        "a progress line before the index"
    );
    run_until(&mut driver, |s| s.pane.is_some()).await;
    let pane = driver.state.pane.as_ref().unwrap();
    assert!(pane.file_backed() && pane.whole().source.as_bytes().is_none(), "read where it is");
    let screen = drawn(&mut driver, |s| render(s, 120, 40)).await;
    assert!(screen.contains("data.json") && screen.contains("read from disk"), "{screen}");
    assert!(screen.contains("\"code\": \"REQ-000000\""), "{screen}");

    let tx = driver.sender();
    press(&tx, KeyCode::Char('G'));
    run_until(&mut driver, |s| {
        let tree = s.pane.as_ref().unwrap().view().tree.as_ref().unwrap();
        tree.cursor() + 1 == tree.row_count()
    })
    .await;
    type_keys(&tx, "zM");
    run_until(&mut driver, |s| s.pane.as_ref().unwrap().view().tree.as_ref().unwrap().row_count() == 1).await;
    assert!(drawn(&mut driver, |s| render(s, 120, 40)).await.contains("items"), "folded root with its count");
    type_keys(&tx, "/REQ-000042");
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, |s| s.pane.as_ref().unwrap().view().match_position() == Some((Some(1), 1))).await;
    assert_eq!(path_of(&driver.state), "$[42].code");
    type_keys(&tx, "Y");
    run_until(&mut driver, |s| s.notice.is_some()).await;
    assert_eq!(driver.take_clipboard(), ["$[42].code"]);
    press(&tx, KeyCode::Char('|'));
    type_keys(&tx, ".[42].meta");
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, |s| s.pane.as_ref().unwrap().filtered().is_some()).await;
    assert!(drawn(&mut driver, |s| render(s, 120, 40)).await.contains("\"replacedBy\": null"), "the filter's result");
    press(&tx, KeyCode::Char('?'));
    run_until(&mut driver, |s| s.help.is_some()).await;
    assert!(drawn(&mut driver, |s| render(s, 120, 40)).await.contains("show that many levels"));
    press(&tx, KeyCode::Esc);
    press(&tx, KeyCode::Char('q'));
    run_until(&mut driver, |s| s.quit).await;
}

/// The core reads no file: a frame of a file-backed body shows only what memory holds, a job reads the pages it
/// missed, and the next frame has them. A file cut short under the viewer is said once, and shown where its rows
/// would be, not as made-up values.
#[tokio::test]
async fn a_file_backed_body_is_read_off_the_core_and_a_read_error_is_said_once() {
    let text = zorgtui::json::testdata::Shape::ArrayOfObjects.generate(2 << 20);
    let (_dir, path) = file_with(&text);
    let mut driver = ViewerDriver::new(OpenInput::File(path.clone()), 64 << 20, Rect::new(0, 0, 120, 40));
    // Past the preview of its start (held in memory): the whole, read where it is.
    run_until(&mut driver, |s| s.pane.as_ref().is_some_and(|p| p.indexing().is_none())).await;
    let first = render(&driver.state, 120, 40);
    assert!(!first.contains("REQ-000000"), "nothing read from the file while drawing: {first}");
    assert!(driver.read_missed_pages(), "the frame asked for the pages it missed");
    let screen = drawn(&mut driver, |s| render(s, 120, 40)).await;
    assert!(screen.contains("\"code\": \"REQ-000000\""), "{screen}");
    assert!(!driver.read_missed_pages(), "a second frame finds everything held");

    // Cut the file short, then go to its end: those pages can no longer be read.
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(1024).unwrap();
    let tx = driver.sender();
    type_keys(&tx, "G");
    run_until(&mut driver, |s| {
        let tree = s.pane.as_ref().unwrap().view().tree.as_ref().unwrap();
        tree.cursor() + 1 == tree.row_count()
    })
    .await;
    let screen = drawn(&mut driver, |s| render(s, 120, 40)).await;
    let notice = driver.state.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(notice.starts_with("Could not read the body"), "said as a message: {notice:?}");
    assert!(screen.contains("could not read the body here"), "shown where the rows would be: {screen}");
    assert!(!screen.contains("null"), "no made-up values: {screen}");
    driver.state.notice = None;
    let again = drawn(&mut driver, |s| render(s, 120, 40)).await;
    assert!(again.contains("could not read the body here"));
    assert!(driver.state.notice.is_none(), "said once, not at every frame");
}

#[tokio::test]
async fn invalid_json_shows_as_text_with_line_and_column() {
    let (_dir, path) = file_with("{\n  \"a\": 1,\n  \"b\": tru\n}\n");
    let mut driver = ViewerDriver::new(OpenInput::File(path), 64 << 20, Rect::new(0, 0, 100, 20));
    run_until(&mut driver, |s| s.pane.is_some()).await;
    let screen = drawn(&mut driver, |s| render(s, 100, 20)).await;
    assert!(screen.contains("shown as text: invalid JSON at line 3, column 11"), "{screen}");
    assert!(screen.contains("3 │   \"b\": tru"), "{screen}");
}

#[tokio::test]
async fn text_that_is_not_json_shows_as_text_and_controls_are_escaped() {
    let (_dir, path) = file_with("hello \u{1b}]0;pwned\u{7} world\nsecond line\n");
    let mut driver = ViewerDriver::new(OpenInput::File(path), 64 << 20, Rect::new(0, 0, 100, 20));
    run_until(&mut driver, |s| s.pane.is_some()).await;
    let screen = drawn(&mut driver, |s| render(s, 100, 20)).await;
    assert!(screen.contains("not JSON: shown as text"), "{screen}");
    assert!(screen.contains(r"hello \u{1b}]0;pwned\u{7} world"), "{screen}");
    assert!(!screen.chars().any(|c| c.is_control() && c != '\n'), "no raw control character reaches the screen");
}

#[tokio::test]
async fn an_empty_or_missing_file_says_so() {
    let (_dir, path) = file_with("  \n");
    let mut driver = ViewerDriver::new(OpenInput::File(path), 64 << 20, Rect::new(0, 0, 100, 20));
    run_until(&mut driver, |s| s.opening.is_none()).await;
    assert!(drawn(&mut driver, |s| render(s, 100, 20)).await.contains("data.json is empty"));
    let mut driver = ViewerDriver::new(OpenInput::File("/nonexistent.json".into()), 64 << 20, Rect::new(0, 0, 100, 20));
    run_until(&mut driver, |s| s.opening.is_none()).await;
    assert!(
        drawn(&mut driver, |s| render(s, 100, 20))
            .await
            .contains("cannot open /nonexistent.json: No such file or directory")
    );
}

#[tokio::test]
async fn viewer_screens() {
    let text = r#"{
  "organization": {"id": "8f1c", "name": "Zorg \u001b[31m Instelling", "roles": ["API_PROVIDER", "API_SPECIFIER"]},
  "versions": [{"name": "1.2.0", "lifecycleState": "PUBLISHED"}, {"name": "1.1.0", "lifecycleState": "RETIRED"}],
  "tags": {},
  "empty": [],
  "huge": 1e400,
  "note": "A long line that goes on and on past the edge of a narrow terminal, so it is cut with an ellipsis there",
  "ok": true,
  "none": null
}"#;
    let (_dir, path) = file_with(text);
    for (w, h) in [(80, 24), (160, 48)] {
        let mut driver = ViewerDriver::new(OpenInput::File(path.clone()), 64 << 20, Rect::new(0, 0, w, h));
        run_until(&mut driver, |s| s.pane.is_some()).await;
        let tx = driver.sender();
        type_keys(&tx, "0jj");
        run_until(&mut driver, |s| path_of(s) == "$.organization.id").await;
        let screen = drawn(&mut driver, |s| render(s, w, h)).await.replace(&path.display().to_string(), "data.json");
        insta::assert_snapshot!(format!("viewer_{w}x{h}"), screen);
    }
}
