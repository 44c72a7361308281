//! The pane's one-line field: a search, a filter (with the session's history on ↑/↓), a path to save to, or the
//! question before a file is replaced.

use std::path::PathBuf;

use ratatui_textarea::TextArea;

use super::super::editor::line_area;
use super::keys::PromptInput;
use crate::app::text_field;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    Search,
    Filter,
    Save,
    /// `path` exists: `y` replaces it, anything else keeps it.
    Overwrite(PathBuf),
}

#[derive(Debug)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: TextArea<'static>,
    /// Which history entry is shown (counted from the newest), while browsing with ↑/↓.
    history_at: Option<usize>,
    /// What was typed before browsing the history, shown again past the newest entry.
    typed: String,
}

/// What a key did to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Edit {
    /// The text changed.
    Changed,
    /// The cursor moved or nothing happened.
    Same,
}

impl Prompt {
    pub fn new(kind: PromptKind, text: &str) -> Prompt {
        Prompt { kind, input: line_area(text), history_at: None, typed: String::new() }
    }

    pub fn text(&self) -> String {
        self.input.lines().first().cloned().unwrap_or_default()
    }

    /// The words before the field.
    pub fn label(&self) -> String {
        match &self.kind {
            PromptKind::Search => "/".to_string(),
            PromptKind::Filter => "|".to_string(),
            PromptKind::Save => "Save to: ".to_string(),
            PromptKind::Overwrite(path) => format!("{} exists. Replace it? y/n ", path.display()),
        }
    }

    /// A key for the field (keeping and leaving it are the pane's).
    pub(super) fn key(&mut self, key: PromptInput, history: &[String]) -> Edit {
        use ratatui::crossterm::event::KeyCode;
        match key {
            PromptInput::Older if self.kind == PromptKind::Filter => self.browse(history, true),
            PromptInput::Newer if self.kind == PromptKind::Filter => self.browse(history, false),
            PromptInput::Field(text_field::FieldKey::Type(event))
                if matches!(event.code, KeyCode::Up | KeyCode::Down | KeyCode::Tab | KeyCode::BackTab) =>
            {
                Edit::Same
            }
            PromptInput::Field(key) => {
                let before = self.text();
                text_field::apply(&mut self.input, key);
                if self.text() == before { Edit::Same } else { Edit::Changed }
            }
            _ => Edit::Same,
        }
    }

    /// Pasted text, on one line.
    pub(super) fn paste(&mut self, text: &str) -> Edit {
        let one_line: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
        self.input.insert_str(one_line);
        Edit::Changed
    }

    fn browse(&mut self, history: &[String], older: bool) -> Edit {
        let next = match (self.history_at, older) {
            (None, true) if !history.is_empty() => {
                self.typed = self.text();
                Some(0)
            }
            (Some(at), true) => Some((at + 1).min(history.len().saturating_sub(1))),
            (Some(0), false) => None,
            (Some(at), false) => Some(at - 1),
            (None, _) => return Edit::Same,
        };
        self.history_at = next;
        let text = match next {
            Some(at) => history[history.len() - 1 - at].clone(),
            None => self.typed.clone(),
        };
        self.input = line_area(&text);
        Edit::Changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn press(prompt: &mut Prompt, code: KeyCode, history: &[String]) -> Edit {
        let input = match code {
            KeyCode::Up => PromptInput::Older,
            KeyCode::Down => PromptInput::Newer,
            code => PromptInput::Field(text_field::FieldKey::Type(KeyEvent::new(code, KeyModifiers::NONE))),
        };
        prompt.key(input, history)
    }

    #[test]
    fn history_goes_back_and_returns_to_what_was_typed() {
        let history = vec![".a".to_string(), ".b".to_string()];
        let mut prompt = Prompt::new(PromptKind::Filter, "");
        press(&mut prompt, KeyCode::Char('x'), &history);
        press(&mut prompt, KeyCode::Up, &history);
        assert_eq!(prompt.text(), ".b", "newest first");
        press(&mut prompt, KeyCode::Up, &history);
        press(&mut prompt, KeyCode::Up, &history);
        assert_eq!(prompt.text(), ".a", "stops at the oldest");
        press(&mut prompt, KeyCode::Down, &history);
        press(&mut prompt, KeyCode::Down, &history);
        assert_eq!(prompt.text(), "x", "past the newest: what was typed");
        assert_eq!(press(&mut prompt, KeyCode::Down, &history), Edit::Same);
    }

    #[test]
    fn typing_changes_and_moving_does_not() {
        let mut prompt = Prompt::new(PromptKind::Search, "ab");
        assert_eq!(press(&mut prompt, KeyCode::Left, &[]), Edit::Same);
        assert_eq!(press(&mut prompt, KeyCode::Backspace, &[]), Edit::Changed);
        assert_eq!(prompt.text(), "b");
        assert_eq!(press(&mut prompt, KeyCode::Up, &[]), Edit::Same);
    }
}
