//! Keys are the person's: `[keys.CONTEXT]` in `config.toml` moves commands to other keys, the help and the hints
//! follow, and what cannot be done is refused with its line. The README lists every context and command.

use ratatui::crossterm::event::KeyCode;
use zorgtui::app::Keymap;
use zorgtui::app::keys::Table;
use zorgtui::config::Config;

use crate::support::drive::{driver, press, profile, run_until};
use crate::support::screen::render;

fn keymap(text: &str) -> Result<Keymap, String> {
    let config = Config::parse(text, std::path::Path::new("config.toml")).map_err(|e| e.to_string())?;
    Keymap::with_remaps(&config.keys).map_err(|e| config.error_at(e.line, e.column, e.message).to_string())
}

#[tokio::test]
async fn remapped_keys_run_and_the_help_and_hints_name_them() {
    let keys =
        keymap("[keys.explorer]\nquit = \"Q\"\nhelp = [\"f1\", \"?\"]\n\n[keys.catalogue]\nfilter = \"f\"\n").unwrap();
    let mut driver = driver(profile("http://127.0.0.1:9/v1beta2"), 120, 40);
    driver.state.keys = std::sync::Arc::new(keys);
    let tx = driver.sender();
    let screen = render(&driver.state, 120, 40);
    assert!(screen.contains(" Q  quit") && screen.contains(" f  filter"), "{screen}");
    press(&tx, KeyCode::Char('q'));
    press(&tx, KeyCode::F(1));
    run_until(&mut driver, std::time::Duration::from_secs(5), |s| s.help.is_some()).await;
    assert!(!driver.state.quit, "q no longer quits");
    let screen = render(&driver.state, 120, 40);
    assert!(screen.contains("F1 / ?") && screen.contains("this help"), "{screen}");
    assert!(screen.contains("  Q  ") && screen.contains("quit (when no text field"), "{screen}");
    press(&tx, KeyCode::Esc);
    press(&tx, KeyCode::Char('Q'));
    run_until(&mut driver, std::time::Duration::from_secs(5), |s| s.quit).await;
}

#[test]
fn what_cannot_be_done_is_refused_with_its_line() {
    let conflict = keymap("[keys.explorer]\nsend = \"ctrl-s\"\n\nquit = [\"ctrl-s\"]\n").unwrap_err();
    assert!(
        conflict.starts_with("config.toml, line 4") && conflict.contains("`ctrl-s` is given to both"),
        "{conflict}"
    );
    let unknown = keymap("[keys.explorer]\nsned = \"x\"\n").unwrap_err();
    assert!(unknown.starts_with("config.toml, line 2") && unknown.contains("no command `sned`"), "{unknown}");
    let bad = keymap("[keys.inspector]\nsave = \"ctrl-shift-hyper-s\"\n").unwrap_err();
    assert!(bad.contains("line 2") && bad.contains("is not a key"), "{bad}");
    let context = keymap("\n[keys.explorr]\nsend = \"x\"\n").unwrap_err();
    assert!(context.contains("line 3") && context.contains("no such context"), "{context}");
}

#[test]
fn a_bad_binding_stops_start_up_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "[keys.explorer]\nsend = \"ctrl-s\"\nquit = \"ctrl-s\"\n").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_zorgtui"))
        .env("ZORGTUI_CONFIG", dir.path().join("config.toml"))
        .env("ZORGTUI_DATA_DIR", dir.path().join("data"))
        .env("ZORGTUI_STATE_DIR", dir.path().join("state"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("config.toml, line 3") && stderr.contains("given to both `send` and `quit`"), "{stderr}");
}

fn names<C: zorgtui::app::keys::Command>() -> Vec<&'static str> {
    let _ = Table::<C>::defaults();
    C::ALL.iter().map(|c| c.name()).collect()
}

#[test]
fn the_readme_lists_every_context_and_command() {
    use zorgtui::app::keys::*;
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme.find("## Keys").expect("a Keys section")..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |end| end + 3)];
    let all: Vec<(zorgtui::app::keys::Context, Vec<&str>)> = vec![
        (ExplorerCommand::CONTEXT, names::<ExplorerCommand>()),
        (CatalogueCommand::CONTEXT, names::<CatalogueCommand>()),
        (EditorCommand::CONTEXT, names::<EditorCommand>()),
        (ResponseCommand::CONTEXT, names::<ResponseCommand>()),
        (AuthCommand::CONTEXT, names::<AuthCommand>()),
        (SignInCommand::CONTEXT, names::<SignInCommand>()),
        (HelpCommand::CONTEXT, names::<HelpCommand>()),
        (TextCommand::CONTEXT, names::<TextCommand>()),
        (ConfirmCommand::CONTEXT, names::<ConfirmCommand>()),
        (InspectorCommand::CONTEXT, names::<InspectorCommand>()),
        (ViewerCommand::CONTEXT, names::<ViewerCommand>()),
        (PickerCommand::CONTEXT, names::<PickerCommand>()),
        (HistoryCommand::CONTEXT, names::<HistoryCommand>()),
        (VariablesCommand::CONTEXT, names::<VariablesCommand>()),
    ];
    for (context, commands) in all {
        let row = section
            .lines()
            .find(|line| line.starts_with(&format!("| `{}` ", context.name())))
            .unwrap_or_else(|| panic!("no row for [keys.{}]", context.name()));
        for command in commands {
            assert!(
                row.contains(&format!("`{command}`")),
                "[keys.{}] `{command}` is not in the README",
                context.name()
            );
        }
    }
}
