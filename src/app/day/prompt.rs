//! A name or value typed in the status bar: what to save a request as, a new name for a saved one, a variable's
//! name (with names offered, `↑`/`↓` for the others) or value. `Enter` keeps it, `Esc` gives it up.

use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

use crate::app::editor::line_area;
use crate::app::effect::Effect;
use crate::app::keys::TextCommand;
use crate::app::state::State;
use crate::app::text_field;

/// What the typed text is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptPurpose {
    /// A name to save the request being edited as.
    SaveRequest,
    /// A new name for the saved request `from`.
    RenameSaved { from: String },
    /// A name for a variable holding `value` (from the inspector).
    SetVariable { value: String },
    /// A new value for the variable `name`.
    EditVariable { name: String },
    /// `name = value`, a new variable.
    AddVariable,
}

/// The field, what it asks, and the names it offers.
#[derive(Debug)]
pub struct NamePrompt {
    pub purpose: PromptPurpose,
    /// What is asked, shown before the field: `Save as`, `Variable name`.
    pub label: String,
    pub input: TextArea<'static>,
    /// Names offered, the first filled in; `↑`/`↓` go through them.
    pub suggestions: Vec<String>,
    pub pick: usize,
}

impl NamePrompt {
    pub(in crate::app) fn new(purpose: PromptPurpose, label: &str, text: &str, suggestions: Vec<String>) -> NamePrompt {
        NamePrompt { purpose, label: label.to_string(), input: line_area(text), suggestions, pick: 0 }
    }

    pub fn text(&self) -> String {
        self.input.lines().first().cloned().unwrap_or_default()
    }
}

/// A key for the prompt: one of the text field's commands, or a key to type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKey {
    Command(TextCommand),
    Type(KeyEvent),
}

pub(in crate::app) fn prompt_key(state: &mut State, key: PromptKey) -> Vec<Effect> {
    let keys = std::sync::Arc::clone(&state.keys);
    let Some(prompt) = state.day.prompt.as_mut() else { return Vec::new() };
    match key {
        PromptKey::Command(TextCommand::Keep) => {
            let Some(prompt) = state.day.prompt.take() else { return Vec::new() };
            return finish(state, prompt);
        }
        PromptKey::Command(TextCommand::Leave) => state.day.prompt = None,
        PromptKey::Command(command @ (TextCommand::Older | TextCommand::Newer)) if !prompt.suggestions.is_empty() => {
            let n = prompt.suggestions.len();
            prompt.pick = if command == TextCommand::Newer { (prompt.pick + 1) % n } else { (prompt.pick + n - 1) % n };
            prompt.input = line_area(&prompt.suggestions[prompt.pick]);
        }
        PromptKey::Command(_) => {}
        PromptKey::Type(key) => {
            text_field::type_key(&mut prompt.input, &keys.text, key);
        }
    }
    Vec::new()
}

/// Pasted text goes into the prompt, on one line.
pub(in crate::app) fn prompt_paste(state: &mut State, text: &str) -> bool {
    let Some(prompt) = state.day.prompt.as_mut() else { return false };
    let one_line: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    prompt.input.insert_str(&one_line);
    true
}

fn finish(state: &mut State, prompt: NamePrompt) -> Vec<Effect> {
    let typed = prompt.text();
    let text = typed.trim().to_string();
    match prompt.purpose {
        PromptPurpose::SaveRequest => super::saved::save_as(state, &text),
        PromptPurpose::RenameSaved { from } => super::saved::rename(state, &from, &text),
        PromptPurpose::SetVariable { value } => super::variables::set(state, &text, &value),
        PromptPurpose::EditVariable { name } => super::variables::set(state, &name, &typed),
        PromptPurpose::AddVariable => {
            if let Some((name, value)) = text.split_once('=') {
                super::variables::set(state, name.trim(), value.trim())
            } else {
                state.error("Type a variable as name = value");
                Vec::new()
            }
        }
    }
}
