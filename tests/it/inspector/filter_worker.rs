//! jq filters in a child process: the same results as on a thread, and a filter that overflows the stack or never
//! ends costs the filter, not the program.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use bytes::Bytes;
use zorgtui::json::{Document, FilterError, FilterOutput, filter, filter_in_child};

const LIMIT: Duration = Duration::from_secs(20);

fn worker() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_zorgtui"))
}

fn doc(json: &str) -> Arc<Document> {
    Arc::new(Document::parse(Bytes::from(json.to_string())).unwrap())
}

/// Runs the filter in a child on a thread of its own, giving up after `LIMIT`; `cancel_after` sets the cancel flag.
fn in_child(doc: Arc<Document>, expr: &str, cancel_after: Option<Duration>) -> Result<FilterOutput, FilterError> {
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let expr = expr.to_string();
    let flag = cancel.clone();
    std::thread::spawn(move || {
        let _ = tx.send(filter_in_child(worker(), &doc, &expr, &flag));
    });
    if let Some(after) = cancel_after {
        std::thread::sleep(after);
        cancel.store(true, Ordering::Relaxed);
    }
    rx.recv_timeout(LIMIT).expect("the filter answers in time")
}

fn text(output: &FilterOutput) -> String {
    String::from_utf8(output.document.source().to_contiguous().unwrap().into_owned()).unwrap()
}

#[test]
fn a_child_gives_what_a_thread_gives() {
    let json = r#"[{"code":"A","level":"MUST"},{"code":"B","level":"MAY"},{"code":"C","level":"MUST"}]"#;
    let expr = r#".[] | select(.level == "MUST") | .code"#;
    let here = filter(&doc(json), expr, &AtomicBool::new(false)).unwrap();
    let there = in_child(doc(json), expr, None).unwrap();
    assert_eq!((text(&there), there.results), (text(&here), here.results));
    assert_eq!(there.results, 2);
}

#[test]
fn a_file_backed_body_is_filtered_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("body.json");
    std::fs::write(&path, r#"{"items":[1,2,3]}"#).unwrap();
    let doc = Arc::new(Document::open_file(std::fs::File::open(&path).unwrap()).unwrap());
    let output = in_child(doc, ".items | add", None).unwrap();
    assert_eq!((text(&output).trim(), output.results), ("6", 1));
}

#[test]
fn endless_recursion_is_a_message_not_a_crash() {
    let error = in_child(doc("[1]"), "def f: [f]; f", None).unwrap_err();
    assert!(error.to_string().contains("ran out of stack"), "{error}");
}

#[test]
fn a_filter_that_never_ends_is_cancelled_at_once() {
    let error = in_child(doc("null"), "last(range(1e15))", Some(Duration::from_millis(300))).unwrap_err();
    assert!(matches!(error, FilterError::Cancelled), "{error}");
}

#[test]
fn errors_come_back_as_the_child_described_them() {
    let error = in_child(doc("[1]"), ".[] | (", None).unwrap_err();
    assert!(error.to_string().starts_with("filter does not compile: "), "{error}");
    let error = in_child(doc(r#"{"a":"x"}"#), ".a + 1", None).unwrap_err();
    assert!(error.to_string().starts_with("filter failed: "), "{error}");
}

#[test]
fn a_child_stops_when_its_parent_stops_waiting() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(worker())
        .arg(zorgtui::json::WORKER_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"17\nlast(range(1e15))100\n4\nnull").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert!(child.try_wait().unwrap().is_none(), "it computes while the parent waits");
    drop(stdin);
    let deadline = std::time::Instant::now() + LIMIT;
    while child.try_wait().unwrap().is_none() {
        assert!(std::time::Instant::now() < deadline, "the child outlived its parent's interest");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_body_over_the_childs_memory_cap_is_filtered_from_a_file_with_the_same_result() {
    let json = r#"[{"code":"A","level":"MUST"},{"code":"B","level":"MAY"},{"code":"C","level":"MUST"}]"#;
    let expr = r#".[] | select(.level == "MUST") | .code"#;
    let doc = doc(json);
    let (tx, rx) = mpsc::channel();
    let spilled = Arc::clone(&doc);
    std::thread::spawn(move || {
        let _ = tx.send(zorgtui::json::filter_in_child_capped(worker(), &spilled, expr, &AtomicBool::new(false), 16));
    });
    let there = rx.recv_timeout(LIMIT).expect("the filter answers in time").unwrap();
    let here = filter(&doc, expr, &AtomicBool::new(false)).unwrap();
    assert_eq!((text(&there), there.results), (text(&here), here.results));
}

#[test]
fn a_body_that_cannot_be_read_whole_is_an_error_not_a_wait() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("body.json");
    std::fs::write(&path, r#"{"items":[1,2,3]}"#).unwrap();
    let doc = Arc::new(Document::open_file(std::fs::File::open(&path).unwrap()).unwrap());
    // The file shrinks under the open document (another program rewrote it).
    std::fs::write(&path, "{}").unwrap();
    let error = in_child(doc, ".items", None).unwrap_err();
    assert!(error.to_string().contains("could not be read"), "{error}");
}
