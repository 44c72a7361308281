//! `zorgtui demo-server` as its instructions say to use it: the lines it prints for the confidential and the
//! machine client work as printed (their secret in a profile it wrote, 0600, never printed), and the profiles are
//! gone when it stops.

use std::os::unix::fs::PermissionsExt as _;
use std::path::PathBuf;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use zorgtui::demo;

use super::{Home, Login, text};
use crate::support::engine::within;

/// What `demo-server` printed before it waits: everything up to "Ctrl-C stops both servers."
async fn instructions(server: &mut tokio::process::Child) -> String {
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    while let Some(line) = within(lines.next_line()).await.unwrap() {
        printed.push_str(&line);
        printed.push('\n');
        if line.starts_with("Ctrl-C") {
            return printed;
        }
    }
    panic!("demo-server ended before its instructions were done:\n{printed}")
}

/// `zorgtui ARGS` as a line of the instructions runs it: with `ZORGTUI_CONFIG` as printed.
fn as_printed(home: &Home, config: &str, args: &[&str]) -> Command {
    let mut command = home.bare(args);
    command.env("ZORGTUI_CONFIG", config);
    command
}

#[tokio::test]
async fn the_printed_lines_for_the_confidential_and_machine_clients_work() {
    let home = Home::new();
    let mut server = Command::new(env!("CARGO_BIN_EXE_zorgtui"))
        .args(["demo-server", "--token-seconds", "60"])
        .env("TMPDIR", home.path())
        .env("ZORGTUI_STATE_DIR", home.path().join("server-state"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let printed = instructions(&mut server).await;
    let config = printed
        .lines()
        .find_map(|line| line.trim().strip_prefix("export ZORGTUI_CONFIG="))
        .unwrap_or_else(|| panic!("no ZORGTUI_CONFIG line in:\n{printed}"))
        .to_owned();
    for client in [demo::CONFIDENTIAL_CLIENT_ID, demo::MACHINE_CLIENT_ID] {
        assert!(printed.contains(client), "{printed}");
    }
    let mode = std::fs::metadata(&config).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{config}");
    let written = std::fs::read_to_string(&config).unwrap();
    let secret = written.lines().find_map(|l| l.strip_prefix("client_secret = ")).unwrap().trim_matches('"');
    assert!(secret.len() >= 32 && !printed.contains(secret), "the secret is written, never printed");

    // The machine client: a token without a browser, and a call with it.
    let output = within(as_printed(&home, &config, &["--profile", "demo-machine", "token"]).output()).await.unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(!text(&output.stdout).trim().is_empty());
    let output =
        within(as_printed(&home, &config, &["--profile", "demo-machine", "call", "GET", "/organizations"]).output())
            .await
            .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).starts_with("200 OK"), "{}", text(&output.stderr));

    // The confidential client: a person signs in (the demo plays the browser), then signs out at the demo too.
    let mut login =
        Login::spawn(as_printed(&home, &config, &["--profile", "demo-confidential", "login", "--no-browser"]));
    let authorize = login.authorize_url().await;
    within(demo::approve(authorize.as_str())).await.unwrap();
    let (exit, stderr) = login.finish().await;
    assert!(exit.success() && stderr.contains("Signed in as Demo User"), "{stderr}");
    let mut logout = Login::spawn(as_printed(&home, &config, &["--profile", "demo-confidential", "logout"]));
    let line = logout.line("the end-session address", |l| l.contains("/protocol/openid-connect/logout?")).await;
    within(demo::end_session(line.trim())).await.unwrap();
    let (exit, stderr) = logout.finish().await;
    assert!(exit.success() && stderr.contains("Signed out"), "{stderr}");
    assert!(!home.log().contains(secret), "the secret is not logged");

    // SIGTERM stops it, and its profiles go with it.
    let pid = rustix::process::Pid::from_raw(i32::try_from(server.id().unwrap()).unwrap()).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
    let status = within(server.wait()).await.unwrap();
    assert!(status.success(), "{status}");
    assert!(!PathBuf::from(&config).exists(), "{config} outlived the servers");
}
