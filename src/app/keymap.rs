//! Keys to commands, by what has focus; and the hints the status bar shows for it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::state::{Pane, State};

/// What a key means here and now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `q`: leave, unless a text field has the keyboard.
    Quit,
    /// Ctrl-C: leave, always.
    ForceQuit,
    FocusNext,
    FocusPrevious,
    Help,
    CloseHelp,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Left,
    Right,
    /// `Enter`: send the operation, edit the field, keep the filter...
    Activate,
    /// `Esc`: leave the field, cancel the request, clear the filter.
    Back,
    /// Ctrl-R / F5: send the request being edited, from anywhere.
    Send,
    /// `/` in the catalogue.
    Filter,
    /// `H` in the response pane.
    ToggleHeaders,
    /// `a` in the editor.
    AddHeader,
    /// `d` / `Delete` in the editor.
    Remove,
    /// `L`: sign in (again), from any pane but a text field.
    SignIn,
    /// `x` in the auth pane: sign out (revoking the refresh token where the server offers it).
    SignOut,
    /// `c` in the sign-in window: copy the address.
    CopyAddress,
    /// `d` in the sign-in window: use a device code instead.
    DeviceCode,
    /// `v`/`p` in the sign-in window: type or paste the address the browser landed on.
    PasteField,
    /// A key for the text field that has the keyboard.
    Text(KeyEvent),
    /// A key for the JSON inspector in the response pane.
    Inspector(super::inspector::InspectorCommand),
}

/// Translates a key press, given what has focus.
pub fn command(state: &State, key: KeyEvent) -> Option<Command> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c')) {
        return Some(Command::ForceQuit);
    }
    if state.help.is_some() {
        return Some(match key.code {
            KeyCode::Esc | KeyCode::Char('q' | '?') | KeyCode::Enter => Command::CloseHelp,
            KeyCode::Up | KeyCode::Char('k') => Command::Up,
            KeyCode::Down | KeyCode::Char('j') => Command::Down,
            KeyCode::PageUp => Command::PageUp,
            KeyCode::PageDown | KeyCode::Char(' ') => Command::PageDown,
            _ => return None,
        });
    }
    if (ctrl && matches!(key.code, KeyCode::Char('r'))) || key.code == KeyCode::F(5) {
        return Some(Command::Send);
    }
    if state.signing_in() {
        return sign_in_command(state, key);
    }
    if let Some(command) = super::inspector::response_command(state, key) {
        return Some(command);
    }
    if state.typing() {
        return Some(match key.code {
            KeyCode::Esc => Command::Back,
            KeyCode::Tab => Command::FocusNext,
            KeyCode::BackTab => Command::FocusPrevious,
            KeyCode::Enter if !state.editor.body_active => Command::Activate,
            _ => Command::Text(key),
        });
    }
    let pane = state.focus;
    Some(match key.code {
        KeyCode::Char('q') => Command::Quit,
        KeyCode::Char('?') => Command::Help,
        KeyCode::Char('L') => Command::SignIn,
        KeyCode::Tab => Command::FocusNext,
        KeyCode::BackTab => Command::FocusPrevious,
        KeyCode::Up | KeyCode::Char('k') => Command::Up,
        KeyCode::Down | KeyCode::Char('j') => Command::Down,
        KeyCode::Left | KeyCode::Char('h') => Command::Left,
        KeyCode::Right | KeyCode::Char('l') => Command::Right,
        KeyCode::PageUp => Command::PageUp,
        KeyCode::PageDown => Command::PageDown,
        KeyCode::Char('u') if ctrl => Command::PageUp,
        KeyCode::Char('d') if ctrl => Command::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Command::Top,
        KeyCode::End | KeyCode::Char('G') => Command::Bottom,
        KeyCode::Enter => Command::Activate,
        KeyCode::Esc => Command::Back,
        KeyCode::Char('/') if pane == Pane::Catalogue => Command::Filter,
        KeyCode::Char('x') if pane == Pane::Auth => Command::SignOut,
        KeyCode::Char('H') if pane == Pane::Response => Command::ToggleHeaders,
        KeyCode::Char('a') if pane == Pane::Editor => Command::AddHeader,
        KeyCode::Char('d') | KeyCode::Delete if pane == Pane::Editor => Command::Remove,
        KeyCode::Char('i' | 'e') if pane == Pane::Editor => Command::Activate,
        _ => return None,
    })
}

/// Keys while the sign-in window is up.
fn sign_in_command(state: &State, key: KeyEvent) -> Option<Command> {
    if state.typing() {
        return Some(match key.code {
            KeyCode::Esc => Command::Back,
            KeyCode::Enter => Command::Activate,
            _ => Command::Text(key),
        });
    }
    Some(match key.code {
        KeyCode::Esc => Command::Back,
        KeyCode::Enter => Command::Activate,
        KeyCode::Char('c') => Command::CopyAddress,
        KeyCode::Char('d') => Command::DeviceCode,
        KeyCode::Char('v' | 'p') => Command::PasteField,
        KeyCode::Char('q') => Command::Quit,
        KeyCode::Char('?') => Command::Help,
        _ => return None,
    })
}

/// A key and what it does, for the status bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyHint {
    pub key: &'static str,
    pub action: &'static str,
}

const fn hint(key: &'static str, action: &'static str) -> KeyHint {
    KeyHint { key, action }
}

/// The keys that work right now, most useful first.
pub fn key_hints(state: &State) -> Vec<KeyHint> {
    if state.help.is_some() {
        return vec![hint("↑↓", "scroll"), hint("Esc", "close help")];
    }
    if state.signing_in() {
        if state.typing() {
            return vec![hint("Enter", "send address"), hint("Esc", "leave field")];
        }
        if matches!(state.auth, crate::auth::AuthStatus::WaitingForDevice(_)) {
            return vec![hint("c", "copy address"), hint("Esc", "cancel")];
        }
        let mut hints = Vec::new();
        if state.demo {
            hints.push(hint("Enter", "approve (demo)"));
        }
        hints.extend([hint("c", "copy"), hint("v", "paste")]);
        if matches!(&state.auth, crate::auth::AuthStatus::WaitingForBrowser(p) if p.device_available) {
            hints.push(hint("d", "device code"));
        }
        hints.push(hint("Esc", "cancel"));
        return hints;
    }
    if state.catalogue.filter_input.is_some() {
        return vec![hint("type", "filter"), hint("Enter", "keep filter"), hint("Esc", "clear filter")];
    }
    if state.editor.line.is_some() {
        return vec![hint("Enter", "keep value"), hint("Esc", "leave field"), hint("^R", "send")];
    }
    if state.editor.body_active {
        return vec![hint("Esc", "leave body"), hint("^R", "send"), hint("Tab", "next pane")];
    }
    let mut hints = Vec::new();
    if state.response.in_flight.is_some() {
        hints.push(hint("Esc", "cancel request"));
    }
    match state.focus {
        Pane::Catalogue => {
            hints.extend([hint("↑↓/jk", "move"), hint("Enter", "send"), hint("/", "filter")]);
            if !state.catalogue.filter.is_empty() && state.response.in_flight.is_none() {
                hints.push(hint("Esc", "clear filter"));
            }
        }
        Pane::Editor => hints.extend([
            hint("↑↓/jk", "move"),
            hint("Enter", "edit"),
            hint("←→", "server"),
            hint("a", "add header"),
            hint("d", "remove"),
            hint("^R", "send"),
        ]),
        Pane::Response => match super::inspector::response_hints(state) {
            Some(inspector) if state.response.pane().is_some_and(super::inspector::InspectorPane::typing) => {
                return inspector;
            }
            Some(inspector) => {
                hints.extend(inspector);
                hints.push(hint("H", "headers"));
            }
            None => hints.extend([
                hint("↑↓/jk", "move"),
                hint("PgUp/PgDn", "page"),
                hint("g/G", "top/end"),
                hint("H", "headers"),
            ]),
        },
        Pane::Auth => {
            if matches!(state.auth, crate::auth::AuthStatus::SignedIn(_) | crate::auth::AuthStatus::Refreshing(_)) {
                hints.push(hint("x", "sign out"));
            }
        }
    }
    if matches!(
        state.auth,
        crate::auth::AuthStatus::SignedOut
            | crate::auth::AuthStatus::Expired { .. }
            | crate::auth::AuthStatus::Failed { .. }
    ) || state.step_up.is_some()
    {
        hints.push(hint("L", "sign in"));
    }
    hints.extend([hint("Tab", "next pane"), hint("?", "help"), hint("q", "quit")]);
    hints
}
