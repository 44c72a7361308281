//! The inspector's keys come from the `inspector` table (vim-like, arrows too), the same in the response pane and
//! in `zorgtui view`; its open field reads the `text` table, the question before a file is replaced the `confirm`
//! one. Here a key becomes an [`InspectorInput`], and the hints name the keys in force.

use ratatui::crossterm::event::KeyEvent;

use super::InspectorPane;
use super::prompt::PromptKind;
use crate::app::keys::{ConfirmCommand, InspectorCommand, Key, KeyHint, Keymap, Lookup, TextCommand};
use crate::app::text_field::{self, FieldKey};

/// What a key means to the inspector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectorInput {
    Run(InspectorCommand),
    /// The first key of a sequence (`z` of `z M`): the next key completes it.
    Prefix(Key),
    /// A key after a prefix that completes nothing: the prefix ends, as in vim.
    Unbound,
    /// A key for the open field.
    Prompt(PromptInput),
}

/// A key for the open field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptInput {
    /// Enter: search kept, filter run, file saved.
    Keep,
    /// Esc: the field given up.
    Leave,
    /// The filter's history.
    Older,
    Newer,
    /// The answer to "replace it?".
    Yes,
    No,
    Field(FieldKey),
}

impl InspectorPane {
    /// Translates a key, or `None` when the inspector has no use for it (the caller's keys then apply: `q`, `?`,
    /// `Tab`...).
    pub fn key_input(&self, keys: &Keymap, event: KeyEvent) -> Option<InspectorInput> {
        let key = Key::from_event(&event);
        if let Some(prompt) = &self.prompt {
            let input = if matches!(prompt.kind, PromptKind::Overwrite(_)) {
                match keys.confirm.command(key) {
                    Some(ConfirmCommand::Yes) => PromptInput::Yes,
                    _ => PromptInput::No,
                }
            } else {
                match keys.text.command(key) {
                    Some(TextCommand::Keep) => PromptInput::Keep,
                    Some(TextCommand::Leave) => PromptInput::Leave,
                    Some(TextCommand::Older) => PromptInput::Older,
                    Some(TextCommand::Newer) => PromptInput::Newer,
                    _ => PromptInput::Field(text_field::field_key(&keys.text, event)),
                }
            };
            return Some(InspectorInput::Prompt(input));
        }
        let pending: Vec<Key> = self.pending.iter().copied().collect();
        match keys.inspector.lookup(&pending, key) {
            Lookup::Command(command) => Some(InspectorInput::Run(command)),
            Lookup::Prefix(key) => Some(InspectorInput::Prefix(key)),
            Lookup::None if self.pending.is_some() => Some(InspectorInput::Unbound),
            Lookup::None => None,
        }
    }

    /// The keys that matter now, most useful first, for the status bar.
    pub fn hints(&self, keys: &Keymap) -> Vec<KeyHint> {
        use InspectorCommand as C;
        let mut hints = Vec::new();
        let mut add = |key: Option<String>, action| hints.extend(KeyHint::new(key, action));
        let text = |command| keys.text.first(command);
        let table = &keys.inspector;
        if let Some(prompt) = &self.prompt {
            match prompt.kind {
                PromptKind::Search => {
                    add(Some("type".into()), "search");
                    add(text(TextCommand::Keep), "keep");
                    add(text(TextCommand::Leave), "clear");
                }
                PromptKind::Filter => {
                    add(Some("type".into()), "jq filter");
                    add(text(TextCommand::Keep), "run");
                    add(keys.text.pair(&[TextCommand::Older, TextCommand::Newer]), "history");
                    add(text(TextCommand::Leave), "cancel");
                }
                PromptKind::Save => {
                    add(text(TextCommand::Keep), "save");
                    add(text(TextCommand::Leave), "cancel");
                }
                PromptKind::Overwrite(_) => {
                    add(keys.confirm.first(ConfirmCommand::Yes), "replace");
                    add(keys.confirm.first(ConfirmCommand::No), "keep the file");
                }
            }
            return hints;
        }
        if let Some(prefix) = self.pending {
            // What completes the sequence begun, each with the rest of its keys.
            for (command, action) in
                [(C::FoldAll, "fold all"), (C::UnfoldAll, "unfold all"), (C::Unfold, "unfold"), (C::Fold, "fold")]
            {
                let seq = table.keys(command).iter().find(|s| s.0.len() == 2 && s.0[0] == prefix);
                add(seq.map(ToString::to_string), action);
            }
            return hints;
        }
        if self.busy() || self.filtered.is_some() || self.view().query.is_some() {
            add(table.first(C::Back), "back");
        }
        add(table.pair(&[C::Up, C::Down]), "move");
        if !self.view().showing_raw() {
            add(table.pair(&[C::FoldOrParent, C::UnfoldOrChild]), "fold");
            add(
                table.first(C::Level1).zip(table.first(C::UnfoldAll)).map(|(one, all)| format!("{one}-9/{all}")),
                "levels",
            );
            add(table.first(C::FoldAll), "fold all");
        }
        add(table.first(C::Search), "search");
        if self.view().query.is_some() {
            add(table.pair(&[C::NextMatch, C::PreviousMatch]), "next/prev");
        }
        // A body that is not JSON has no tree: no filter, no paths, no raw toggle, only the text to save.
        if self.whole.tree.is_some() {
            add(table.first(C::Filter), "filter");
            add(table.pair(&[C::CopyValue, C::CopyPath]), "copy value/path");
            add(table.first(C::Save), "save");
            add(table.first(C::Raw), "raw");
        } else {
            add(table.first(C::CopyValue), "copy line");
            add(table.first(C::Save), "save");
            add(table.first(C::Wrap), "wrap");
        }
        hints
    }
}
