//! Keys are data: one [`Table`] per [`Context`], from which dispatch, the status-bar hints and the `?` help are all
//! made. The person's `[keys.CONTEXT]` tables in `config.toml` change them: a command given keys has exactly those,
//! and each key is taken from the command that had it in that context.

mod commands;
mod key;
mod remap;
mod table;

pub use commands::{
    AuthCommand, CatalogueCommand, ConfirmCommand, EditorCommand, ExplorerCommand, HelpCommand, HistoryCommand,
    InspectorCommand, PickerCommand, ResponseCommand, SignInCommand, TextCommand, VariablesCommand, ViewerCommand,
};
pub use key::{Key, KeyError, KeySeq};
pub use remap::RemapError;
pub use table::{Command, Context, Lookup, Table};

/// A key and what it does, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHint {
    pub key: String,
    pub action: &'static str,
}

impl KeyHint {
    /// A hint for `key`, when the command has one (a command the person unbound shows no hint).
    pub fn new(key: Option<String>, action: &'static str) -> Option<KeyHint> {
        key.map(|key| KeyHint { key, action })
    }
}

/// Every table, as the person's configuration left them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    pub explorer: Table<ExplorerCommand>,
    pub catalogue: Table<CatalogueCommand>,
    pub editor: Table<EditorCommand>,
    pub response: Table<ResponseCommand>,
    pub auth: Table<AuthCommand>,
    pub sign_in: Table<SignInCommand>,
    pub help: Table<HelpCommand>,
    pub text: Table<TextCommand>,
    pub confirm: Table<ConfirmCommand>,
    pub picker: Table<PickerCommand>,
    pub inspector: Table<InspectorCommand>,
    pub viewer: Table<ViewerCommand>,
    pub history: Table<HistoryCommand>,
    pub variables: Table<VariablesCommand>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            explorer: Table::defaults(),
            catalogue: Table::defaults(),
            editor: Table::defaults(),
            response: Table::defaults(),
            auth: Table::defaults(),
            sign_in: Table::defaults(),
            help: Table::defaults(),
            text: Table::defaults(),
            confirm: Table::defaults(),
            picker: Table::defaults(),
            inspector: Table::defaults(),
            viewer: Table::defaults(),
            history: Table::defaults(),
            variables: Table::defaults(),
        }
    }
}

/// A group of rows in the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSection {
    pub title: &'static str,
    /// Keys (as shown) and what they do.
    pub rows: Vec<(String, &'static str)>,
    /// Which table the rows come from; `None` for notes that are not keys (the mouse).
    pub context: Option<Context>,
}

/// Which screen's help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenKind {
    Explorer,
    Viewer,
}

impl Keymap {
    /// The help of `screen`, made from the tables in force.
    pub fn help(&self, screen: ScreenKind) -> Vec<HelpSection> {
        match screen {
            ScreenKind::Explorer => vec![
                section(&self.explorer),
                HelpSection {
                    title: "Mouse",
                    rows: vec![
                        ("click".into(), "focus a pane and select the row"),
                        ("wheel".into(), "scroll the pane under the pointer"),
                        ("click again".into(), "open the selected row (History, Variables)"),
                    ],
                    context: None,
                },
                section(&self.catalogue),
                section(&self.editor),
                section(&self.response),
                section(&self.history),
                section(&self.variables),
                section(&self.inspector),
                section(&self.text),
                section(&self.auth),
                section(&self.sign_in),
                section(&self.confirm),
                section(&self.picker),
                section(&self.help),
            ],
            ScreenKind::Viewer => vec![
                section(&self.viewer),
                section(&self.inspector),
                section(&self.text),
                section(&self.confirm),
                section(&self.help),
            ],
        }
    }
}

/// A table's help: a row a command, but commands that say the same (`1` … `9`: show that many levels) share one.
fn section<C: Command>(table: &Table<C>) -> HelpSection {
    let mut rows: Vec<(String, &'static str)> = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, help: &'static str, rows: &mut Vec<(String, &'static str)>| {
        let keys = match run.as_slice() {
            [] => return,
            [one] => one.clone(),
            [first, .., last] if run.len() > 2 => format!("{first} … {last}"),
            _ => run.join(" / "),
        };
        rows.push((keys, help));
        run.clear();
    };
    let bindings = table.bindings();
    for (i, (command, keys)) in bindings.iter().enumerate() {
        if keys.is_empty() {
            continue;
        }
        run.push(table.label(*command));
        let next_same = bindings.get(i + 1).is_some_and(|(next, k)| next.help() == command.help() && !k.is_empty());
        if !next_same {
            flush(&mut run, command.help(), &mut rows);
        }
    }
    HelpSection { title: C::CONTEXT.title(), rows, context: Some(C::CONTEXT) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command of `table` has help text, and every key the help shows runs the command beside it.
    fn help_matches_dispatch<C: Command>(table: &Table<C>) {
        for command in C::ALL {
            assert!(!command.help().trim().is_empty(), "{command:?} has no help text");
            assert!(!command.name().is_empty() && !command.name().contains(' '), "{command:?}: its config name");
        }
        for (command, keys) in table.bindings() {
            for seq in keys {
                let mut pending = Vec::new();
                for key in &seq.0[..seq.0.len() - 1] {
                    assert_eq!(table.lookup(&pending, *key), Lookup::Prefix(*key), "{seq} starts a sequence");
                    pending.push(*key);
                }
                let last = *seq.0.last().unwrap();
                assert_eq!(table.lookup(&pending, last), Lookup::Command(*command), "{seq} runs {command:?}");
            }
        }
    }

    #[test]
    fn every_command_has_help_and_every_help_row_dispatches() {
        let keys = Keymap::default();
        help_matches_dispatch(&keys.explorer);
        help_matches_dispatch(&keys.catalogue);
        help_matches_dispatch(&keys.editor);
        help_matches_dispatch(&keys.response);
        help_matches_dispatch(&keys.auth);
        help_matches_dispatch(&keys.sign_in);
        help_matches_dispatch(&keys.help);
        help_matches_dispatch(&keys.text);
        help_matches_dispatch(&keys.confirm);
        help_matches_dispatch(&keys.picker);
        help_matches_dispatch(&keys.inspector);
        help_matches_dispatch(&keys.viewer);
        help_matches_dispatch(&keys.history);
        help_matches_dispatch(&keys.variables);
    }

    #[test]
    fn every_context_is_in_the_help_of_a_screen_that_uses_it() {
        let keys = Keymap::default();
        let shown: Vec<Context> = [ScreenKind::Explorer, ScreenKind::Viewer]
            .into_iter()
            .flat_map(|screen| keys.help(screen))
            .filter_map(|s| s.context)
            .collect();
        for context in Context::ALL {
            assert!(shown.contains(&context), "{context:?} is in no help");
        }
    }

    #[test]
    fn commands_that_say_the_same_share_a_row() {
        let inspector = section(&Keymap::default().inspector);
        assert!(inspector.rows.contains(&("1 … 9".to_string(), "show that many levels")), "{:?}", inspector.rows);
        let explorer = section(&Keymap::default().explorer);
        assert!(explorer.rows.contains(&("Ctrl-R / F5".to_string(), ExplorerCommand::Send.help())));
    }
}
