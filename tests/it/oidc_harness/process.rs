//! The node process never outlives its test: killed on drop, and exits by itself when its stdin closes.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use super::{OidcOptions, start, within};

/// Whether a process is still running (a zombie waiting to be reaped counts as gone).
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.rsplit(')').next().and_then(|rest| rest.split_whitespace().next()) != Some("Z"))
}

#[tokio::test]
async fn dropping_the_handle_kills_node() {
    let server = start(OidcOptions::default()).await;
    let pid = server.pid().unwrap();
    assert!(running(pid));
    within(async {
        while !server.stderr().contains("oidc-provider WARNING") {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    drop(server);

    let gone = within(async {
        while running(pid) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    gone.await;
}

#[tokio::test]
async fn node_exits_when_its_stdin_closes() {
    let mut child = Command::new("node")
        .arg("server.mjs")
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let issuer = within(stdout.next_line()).await.unwrap().unwrap();
    assert!(issuer.starts_with("http://127.0.0.1:"), "{issuer}");

    drop(child.stdin.take());
    let status = within(child.wait()).await.unwrap();
    assert!(status.success(), "{status}");
}
