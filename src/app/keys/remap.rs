//! The person's `[keys.CONTEXT]` tables applied to the defaults. A command given keys has exactly those; a key given
//! to a command is taken from the command that had it in that context. What cannot be done is refused with the line
//! it was written on: an unknown context or command, a key that cannot be read, one key given to two commands of a
//! context, or a key that would hide a sequence it starts (`z` before `z M`).

use std::collections::HashMap;

use thiserror::Error;

use super::Keymap;
use super::key::KeySeq;
use super::table::{Command, Context, Table};
use crate::config::KeyRemap;

/// What is wrong with a `[keys]` line, and where it is.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{message}")]
pub struct RemapError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Keymap {
    /// The defaults, changed as `remaps` say.
    pub fn with_remaps(remaps: &[KeyRemap]) -> Result<Keymap, RemapError> {
        let mut keys = Keymap::default();
        let mut by_context: HashMap<&str, Vec<&KeyRemap>> = HashMap::new();
        for remap in remaps {
            by_context.entry(remap.context.as_str()).or_default().push(remap);
        }
        let mut contexts: Vec<(&str, Vec<&KeyRemap>)> = by_context.into_iter().collect();
        contexts.sort_by_key(|(_, entries)| entries.iter().map(|e| e.line).min());
        for (name, entries) in contexts {
            let Some(context) = Context::from_name(name) else {
                let known: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                return Err(at(entries[0], format!("[keys.{name}]: no such context (known: {})", known.join(", "))));
            };
            match context {
                Context::Explorer => apply(&mut keys.explorer, &entries)?,
                Context::Catalogue => apply(&mut keys.catalogue, &entries)?,
                Context::Editor => apply(&mut keys.editor, &entries)?,
                Context::Response => apply(&mut keys.response, &entries)?,
                Context::Auth => apply(&mut keys.auth, &entries)?,
                Context::SignIn => apply(&mut keys.sign_in, &entries)?,
                Context::Help => apply(&mut keys.help, &entries)?,
                Context::Text => apply(&mut keys.text, &entries)?,
                Context::Confirm => apply(&mut keys.confirm, &entries)?,
                Context::Picker => apply(&mut keys.picker, &entries)?,
                Context::Inspector => apply(&mut keys.inspector, &entries)?,
                Context::Viewer => apply(&mut keys.viewer, &entries)?,
                Context::History => apply(&mut keys.history, &entries)?,
                Context::Variables => apply(&mut keys.variables, &entries)?,
            }
        }
        Ok(keys)
    }
}

fn at(remap: &KeyRemap, message: String) -> RemapError {
    RemapError { line: remap.line, column: remap.column, message }
}

fn apply<C: Command>(table: &mut Table<C>, entries: &[&KeyRemap]) -> Result<(), RemapError> {
    let context = C::CONTEXT.name();
    let mut given: Vec<(KeySeq, C, &KeyRemap)> = Vec::new();
    let mut entries = entries.to_vec();
    entries.sort_by_key(|e| (e.line, e.column));
    for remap in entries {
        let Some(command) = Table::<C>::command_named(&remap.command) else {
            let known: Vec<&str> = C::ALL.iter().map(|c| c.name()).collect();
            return Err(at(
                remap,
                format!("[keys.{context}]: no command `{}` (known: {})", remap.command, known.join(", ")),
            ));
        };
        let mut keys = Vec::new();
        for text in &remap.keys {
            let seq = KeySeq::parse(text).map_err(|e| at(remap, format!("[keys.{context}] {}: {e}", remap.command)))?;
            if let Some((_, other, _)) = given.iter().find(|(k, c, _)| *k == seq && *c != command) {
                return Err(at(
                    remap,
                    format!("[keys.{context}]: `{text}` is given to both `{}` and `{}`", other.name(), command.name()),
                ));
            }
            if !keys.contains(&seq) {
                given.push((seq.clone(), command, remap));
                keys.push(seq);
            }
        }
        table.rebind(command, keys);
    }
    // A key that starts a sequence cannot also run a command of its own: the sequence could never be typed.
    for (short, command, remap) in &given {
        for (other, seqs) in table.bindings() {
            if let Some(long) = seqs.iter().find(|s| s.0.len() > short.0.len() && s.0.starts_with(&short.0)) {
                let what = format!("`{short}` for `{}` would hide `{long}` of `{}`", command.name(), other.name());
                return Err(at(remap, format!("[keys.{context}]: {what}")));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{ExplorerCommand, InspectorCommand};
    use super::*;

    fn remap(context: &str, command: &str, keys: &[&str], line: usize) -> KeyRemap {
        KeyRemap {
            context: context.into(),
            command: command.into(),
            keys: keys.iter().map(ToString::to_string).collect(),
            line,
            column: 1,
        }
    }

    fn key(text: &str) -> super::super::Key {
        super::super::Key::parse(text).unwrap()
    }

    #[test]
    fn a_command_gets_exactly_its_keys_and_takes_them_from_their_owner() {
        let keys = Keymap::with_remaps(&[
            remap("explorer", "send", &["ctrl-s", "f5"], 2),
            remap("explorer", "quit", &["Q"], 3),
        ])
        .unwrap();
        assert_eq!(keys.explorer.command(key("ctrl-s")), Some(ExplorerCommand::Send));
        assert_eq!(keys.explorer.command(key("ctrl-r")), None, "the old key is gone");
        assert_eq!(keys.explorer.command(key("Q")), Some(ExplorerCommand::Quit));
        assert_eq!(keys.explorer.command(key("q")), None);
        let keys =
            Keymap::with_remaps(&[remap("explorer", "down", &["j", "ctrl-n"], 1), remap("explorer", "top", &["j"], 2)]);
        assert!(keys.unwrap_err().message.contains("`j` is given to both `down` and `top`"));
        let keys = Keymap::with_remaps(&[remap("explorer", "help", &["k"], 1)]).unwrap();
        assert_eq!(keys.explorer.command(key("k")), Some(ExplorerCommand::Help), "taken from `up`");
        assert_eq!(keys.explorer.keys(ExplorerCommand::Up).len(), 1, "`up` keeps its arrow");
    }

    #[test]
    fn what_cannot_be_done_is_refused_with_its_line() {
        let error = Keymap::with_remaps(&[remap("explorer", "sned", &["x"], 7)]).unwrap_err();
        assert_eq!(error.line, 7);
        assert!(error.message.contains("no command `sned`") && error.message.contains("send"), "{error}");
        let error = Keymap::with_remaps(&[remap("exploer", "send", &["x"], 4)]).unwrap_err();
        assert!(error.message.contains("[keys.exploer]: no such context") && error.line == 4, "{error}");
        let error = Keymap::with_remaps(&[remap("explorer", "send", &["hyper-x"], 9)]).unwrap_err();
        assert!(error.message.contains("`hyper-x` is not a key") && error.line == 9, "{error}");
        let error = Keymap::with_remaps(&[remap("inspector", "raw", &["z"], 3)]).unwrap_err();
        assert!(error.message.contains("would hide") && error.line == 3, "{error}");
    }

    #[test]
    fn sequences_can_be_given_too() {
        let keys = Keymap::with_remaps(&[remap("inspector", "fold_all", &["z m", "Z"], 1)]).unwrap();
        assert_eq!(keys.inspector.command(key("Z")), Some(InspectorCommand::FoldAll));
        assert_eq!(
            keys.inspector.lookup(&[key("z")], key("m")),
            super::super::Lookup::Command(InspectorCommand::FoldAll)
        );
        assert_eq!(keys.inspector.lookup(&[key("z")], key("M")), super::super::Lookup::None, "z M is free now");
    }
}
