//! The inspector's keys (vim-like, arrows too), the same in the response pane and in `zorgtui view`; and the hints
//! and help that name them.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::InspectorPane;
use crate::app::KeyHint;

/// What a key means in the inspector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectorCommand {
    Up,
    Down,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Top,
    Bottom,
    /// `h` / `←`: fold an open container; on a folded container or a scalar, go to the parent.
    FoldOrParent,
    /// `l` / `→`: unfold a folded container; on an open one, go to its first child.
    UnfoldOrChild,
    /// `Space` / `Enter`.
    Toggle,
    /// `1`–`9`: show that many levels.
    Level(usize),
    UnfoldAll,
    FoldAll,
    Fold,
    Unfold,
    UnfoldSubtree,
    /// `z`: waits for the second key of `zM`, `zR`, `zo`, `zc`, `za`, `zO`.
    ZPrefix,
    Parent,
    NextSibling,
    PrevSibling,
    Wrap,
    Raw,
    Search,
    NextMatch,
    PrevMatch,
    Filter,
    /// `Esc`: stop the running job, leave the filter's result, clear the search.
    Back,
    CopyValue,
    CopyPath,
    Save,
    Editor,
    Pager,
    /// A key for the open field.
    PromptKey(KeyEvent),
}

impl InspectorPane {
    /// Translates a key, or `None` when the inspector has no use for it (the caller's keys then apply: `q`, `?`,
    /// `Tab`...).
    pub fn key_command(&self, key: KeyEvent) -> Option<InspectorCommand> {
        use InspectorCommand as C;
        if self.prompt.is_some() {
            return Some(C::PromptKey(key));
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if self.pending_z {
            return Some(match key.code {
                KeyCode::Char('M') => C::FoldAll,
                KeyCode::Char('R') => C::UnfoldAll,
                KeyCode::Char('o') => C::Unfold,
                KeyCode::Char('O') => C::UnfoldSubtree,
                KeyCode::Char('c') => C::Fold,
                KeyCode::Char('a') => C::Toggle,
                // Anything else ends the prefix and does nothing, as in vim.
                _ => C::ZPrefix,
            });
        }
        Some(match key.code {
            KeyCode::Char('u') if ctrl => C::HalfPageUp,
            KeyCode::Char('d') if ctrl => C::HalfPageDown,
            KeyCode::Char('b') if ctrl => C::PageUp,
            KeyCode::Char('f') if ctrl => C::PageDown,
            _ if ctrl => return None,
            KeyCode::Up | KeyCode::Char('k') => C::Up,
            KeyCode::Down | KeyCode::Char('j') => C::Down,
            KeyCode::Left | KeyCode::Char('h') => C::FoldOrParent,
            KeyCode::Right | KeyCode::Char('l') => C::UnfoldOrChild,
            KeyCode::Char(' ') | KeyCode::Enter => C::Toggle,
            KeyCode::Char(c @ '1'..='9') => C::Level(c as usize - '0' as usize),
            KeyCode::Char('0') => C::UnfoldAll,
            KeyCode::Char('z') => C::ZPrefix,
            KeyCode::Char('p') => C::Parent,
            KeyCode::Char('J' | ']') => C::NextSibling,
            KeyCode::Char('K' | '[') => C::PrevSibling,
            KeyCode::Home | KeyCode::Char('g') => C::Top,
            KeyCode::End | KeyCode::Char('G') => C::Bottom,
            KeyCode::PageUp => C::PageUp,
            KeyCode::PageDown => C::PageDown,
            KeyCode::Char('w') => C::Wrap,
            KeyCode::Char('r') => C::Raw,
            KeyCode::Char('/') => C::Search,
            KeyCode::Char('n') => C::NextMatch,
            KeyCode::Char('N') => C::PrevMatch,
            KeyCode::Char('|') => C::Filter,
            KeyCode::Esc => C::Back,
            KeyCode::Char('y') => C::CopyValue,
            KeyCode::Char('Y') => C::CopyPath,
            KeyCode::Char('s') => C::Save,
            KeyCode::Char('e') => C::Editor,
            KeyCode::Char('o') => C::Pager,
            _ => return None,
        })
    }

    /// The keys that matter now, most useful first, for the status bar.
    pub fn hints(&self) -> Vec<KeyHint> {
        let hint = |key, action| KeyHint { key, action };
        if let Some(prompt) = &self.prompt {
            return match prompt.kind {
                super::PromptKind::Search => vec![hint("type", "search"), hint("Enter", "keep"), hint("Esc", "clear")],
                super::PromptKind::Filter => {
                    vec![hint("type", "jq filter"), hint("Enter", "run"), hint("↑↓", "history"), hint("Esc", "cancel")]
                }
                super::PromptKind::Save => vec![hint("Enter", "save"), hint("Esc", "cancel")],
                super::PromptKind::Overwrite(_) => vec![hint("y", "replace"), hint("n", "keep the file")],
            };
        }
        if self.pending_z {
            return vec![hint("zM", "fold all"), hint("zR", "unfold all"), hint("zo/zc/za", "unfold/fold/toggle")];
        }
        let mut hints = Vec::new();
        if self.busy() || self.filtered.is_some() || self.view().query.is_some() {
            hints.push(hint("Esc", "back"));
        }
        if self.view().showing_raw() {
            hints.extend([hint("↑↓/jk", "move"), hint("/", "search")]);
        } else {
            hints.extend([
                hint("↑↓/jk", "move"),
                hint("←→/hl", "fold"),
                hint("1-9/0", "levels"),
                hint("zM", "fold all"),
                hint("/", "search"),
            ]);
        }
        if self.view().query.is_some() {
            hints.push(hint("n/N", "next/prev"));
        }
        // A body that is not JSON has no tree: no filter, no paths, no raw toggle, only the text to save.
        if self.whole.tree.is_some() {
            hints.extend([hint("|", "filter"), hint("y/Y", "copy value/path"), hint("s", "save"), hint("r", "raw")]);
        } else {
            hints.extend([hint("y", "copy line"), hint("s", "save"), hint("w", "wrap")]);
        }
        hints
    }
}

/// Every inspector key, for `?`.
pub const HELP_KEYS: &[(&str, &str)] = &[
    ("↑ ↓ / j k", "move"),
    ("PgUp PgDn / Ctrl-B Ctrl-F", "page"),
    ("Ctrl-U / Ctrl-D", "half a page"),
    ("g / G, Home / End", "top / end"),
    ("← / h", "fold; on a folded value or a scalar: to the parent"),
    ("→ / l", "unfold; on an open value: into it"),
    ("Space / Enter", "fold or unfold"),
    ("1 … 9", "show that many levels"),
    ("0 / zR", "unfold everything"),
    ("zM", "fold everything"),
    ("zo zc za zO", "unfold, fold, toggle, unfold all inside"),
    ("p", "to the parent"),
    ("J K / ] [", "next / previous sibling"),
    ("/", "search keys and values (as you type; Enter keeps it)"),
    ("n / N", "next / previous match"),
    ("|", "jq filter, e.g. .[] | select(.x == 1) | .id (↑↓ history)"),
    ("Esc", "stop a search or filter; back to the whole document"),
    ("y / Y", "copy the value / its path (OSC 52, up to 1 MB)"),
    ("s", "save the body to a file"),
    ("e / o", "open the body in $EDITOR / $PAGER"),
    ("w", "wrap long lines"),
    ("r", "raw text instead of the tree"),
];
