//! The terminal is the person's again however zorgtui is stopped: SIGTERM (a logout, `kill`), SIGHUP (the window or
//! the SSH connection closed) and SIGINT (`kill -INT`; in raw mode Ctrl-C is a key) each end it as `q` does, on a
//! real pseudo-terminal: the alternate screen left, the cursor shown, mouse reporting and bracketed paste off, and
//! the line discipline cooked again.

use std::process::Command;
use std::time::Duration;

use rustix::process::{Pid, Signal, kill_process};

use crate::support::pty::Pty;

const LIMIT: Duration = Duration::from_secs(15);

fn zorgtui(home: &std::path::Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zorgtui"));
    command
        .args(args)
        .env("ZORGTUI_CONFIG", home.join("config.toml"))
        .env("ZORGTUI_DATA_DIR", home.join("data"))
        .env("ZORGTUI_STATE_DIR", home.join("state"))
        .env("TERM", "xterm-256color")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    command
}

/// Starts `args` on a terminal, waits for `shown`, sends `signal`, and checks the terminal is restored.
fn stopped_by(signal: Signal, args: &[&str], shown: &str) {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("body.json");
    std::fs::write(&file, r#"{"greeting": "hello", "items": [1, 2, 3]}"#).unwrap();
    let args: Vec<&str> = args.iter().map(|a| if *a == "FILE" { file.to_str().unwrap() } else { a }).collect();
    let mut pty = Pty::spawn(zorgtui(home.path(), &args));
    pty.wait_for(shown, LIMIT);
    assert!(!pty.is_cooked(), "raw while it runs");
    let pid = Pid::from_raw(i32::try_from(pty.child.id()).unwrap()).unwrap();
    kill_process(pid, signal).unwrap();
    let status = pty.wait(LIMIT);
    assert!(status.success(), "{signal:?}: it ends as a quit does: {status:?}");
    let output = pty.output();
    let after = &output[output.rfind("\x1b[?1049h").expect("it entered the alternate screen")..];
    for (sequence, what) in [
        ("\x1b[?1049l", "the alternate screen left"),
        ("\x1b[?25h", "the cursor shown"),
        ("\x1b[?1000l", "mouse reporting off"),
        ("\x1b[?2004l", "bracketed paste off"),
    ] {
        assert!(after.contains(sequence), "{signal:?}: {what}; output after entering: {after:?}");
    }
    assert!(pty.is_cooked(), "{signal:?}: the terminal is in its ordinary mode again");
}

#[test]
fn sigterm_restores_the_terminal() {
    stopped_by(Signal::TERM, &[], "Endpoints");
}

#[test]
fn sighup_restores_the_terminal() {
    stopped_by(Signal::HUP, &[], "Endpoints");
}

#[test]
fn sigint_restores_the_terminal() {
    stopped_by(Signal::INT, &[], "Endpoints");
}

#[test]
fn the_viewer_is_restored_too() {
    stopped_by(Signal::INT, &["view", "FILE"], "greeting");
    stopped_by(Signal::TERM, &["view", "FILE"], "greeting");
}
