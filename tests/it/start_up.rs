//! Start-up as a person meets it: a bad spec or config stops with one line that names the file and the problem.

use std::process::{Command, Output};

fn zorgtui(args: &[&str], config: Option<&str>) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("config.toml");
    if let Some(text) = config {
        std::fs::write(&config_path, text).unwrap();
    }
    Command::new(env!("CARGO_BIN_EXE_zorgtui"))
        .args(args)
        .env("ZORGTUI_CONFIG", &config_path)
        .env("ZORGTUI_DATA_DIR", dir.path().join("data"))
        .env("ZORGTUI_STATE_DIR", dir.path().join("state"))
        .env("ZORGTUI_CACHE_DIR", dir.path().join("cache"))
        .output()
        .unwrap()
}

fn one_line_error(output: &Output) -> String {
    assert!(!output.status.success(), "exits non-zero");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(output.stdout.is_empty(), "nothing on stdout");
    stderr
}

#[test]
fn a_file_that_is_not_openapi_stops_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.yaml");
    std::fs::write(&path, "shopping:\n  - milk\n").unwrap();
    let stderr = one_line_error(&zorgtui(&["--spec", path.to_str().unwrap()], None));
    assert!(stderr.contains("notes.yaml") && stderr.contains("not an OpenAPI document"), "{stderr}");
}

#[test]
fn a_broken_spec_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(&path, "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {\n").unwrap();
    let stderr = one_line_error(&zorgtui(&["--spec", path.to_str().unwrap()], None));
    assert!(stderr.contains("broken.json") && stderr.contains("line"), "{stderr}");
}

#[test]
fn a_missing_spec_file_says_so() {
    let stderr = one_line_error(&zorgtui(&["--spec", "/nonexistent/spec.yaml"], None));
    assert!(stderr.contains("/nonexistent/spec.yaml") && stderr.contains("No such file"), "{stderr}");
}

#[test]
fn a_broken_config_names_the_line() {
    let stderr = one_line_error(&zorgtui(&[], Some("[profiles.sandbox]\n\nclient_id = \"a\"\nscope = [1\n")));
    assert!(stderr.contains("config.toml, line 4"), "{stderr}");
}

#[test]
fn view_goes_on_past_a_broken_config() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.json");
    std::fs::write(&file, "[1]").unwrap();
    let output = zorgtui(&["view", file.to_str().unwrap()], Some("scope = [1\n"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("config.toml, line 1") && stderr.contains("view goes on without it"), "{stderr}");
    assert!(stderr.contains("terminal"), "it got as far as wanting a terminal: {stderr}");
}

#[test]
fn demo_is_for_the_explorer_not_the_doors() {
    let stderr = one_line_error(&zorgtui(&["--demo", "status"], None));
    assert!(stderr.contains("zorgtui demo-server"), "{stderr}");
}

#[test]
fn an_unknown_profile_lists_the_known_ones() {
    let stderr = one_line_error(&zorgtui(&["--profile", "nope"], None));
    assert!(stderr.contains("no profile named `nope`") && stderr.contains("production, sandbox"), "{stderr}");
}

#[test]
fn without_a_terminal_the_explorer_says_what_to_do() {
    let stderr = one_line_error(&zorgtui(&[], None));
    assert!(stderr.contains("needs a terminal"), "{stderr}");
}

#[test]
fn logs_go_to_the_state_dir_not_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_zorgtui"))
        .args(["--spec", "/nonexistent.yaml"])
        .env("ZORGTUI_STATE_DIR", dir.path())
        .env("ZORGTUI_CACHE_DIR", dir.path().join("cache"))
        .env("ZORGTUI_CONFIG", dir.path().join("none.toml"))
        .output()
        .unwrap();
    assert!(!run.status.success());
    assert!(!String::from_utf8_lossy(&run.stderr).contains("ERROR"), "no log line on the terminal");
    let log = std::fs::read_to_string(dir.path().join("zorgtui.log")).unwrap();
    assert!(log.contains("/nonexistent.yaml"), "the error is in the log file: {log}");
}

#[test]
fn completions_work_in_bash_and_the_manual_renders_even_with_a_broken_config() {
    let broken = Some("[profiles.sandbox]\nnonsense = 1\n");
    let script = zorgtui(&["completions", "bash"], broken);
    assert!(script.status.success(), "{}", String::from_utf8_lossy(&script.stderr));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zorgtui.bash");
    std::fs::write(&path, &script.stdout).unwrap();
    let completed = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(zorgtui lo); COMP_CWORD=1; _zorgtui zorgtui lo zorgtui; echo \"${{COMPREPLY[@]}}\"",
            path.display()
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&completed.stdout).trim(), "login logout");
    let man = zorgtui(&["man"], broken);
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(man.status.success() && page.contains(".TH zorgtui 1") && page.contains("completions"), "{page}");
    for shell in ["zsh", "fish"] {
        assert!(zorgtui(&["completions", shell], broken).status.success(), "{shell}");
    }
}
