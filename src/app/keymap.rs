//! Which table a key press is read in, here and now, and the hints the status bar shows for it. The keys come from
//! the tables (`app::keys`); what is decided here is only which tables apply, in which order.

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use super::inspector::InspectorInput;
use super::keys::{
    AuthCommand, CatalogueCommand, ConfirmCommand, EditorCommand, ExplorerCommand, HelpCommand, HistoryCommand, Key,
    KeyHint, PickerCommand, ResponseCommand, SignInCommand, TextCommand, VariablesCommand,
};
use super::profiles::Question;
use super::state::{Pane, State};
use crate::auth::AuthStatus;

/// What a key means here and now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Explorer(ExplorerCommand),
    Catalogue(CatalogueCommand),
    Editor(EditorCommand),
    Response(ResponseCommand),
    Auth(AuthCommand),
    SignIn(SignInCommand),
    Help(HelpCommand),
    /// In the profile list.
    Picker(PickerCommand),
    /// In the History view.
    History(HistoryCommand),
    /// In the Variables view.
    Variables(VariablesCommand),
    /// The answer to a yes/no question (may the token go to this API?).
    Confirm(ConfirmCommand),
    /// A command of the text field that has the keyboard (keep, leave, next pane).
    Text(TextCommand),
    /// A key typed into the text field that has the keyboard.
    Type(KeyEvent),
    /// For the JSON inspector in the response pane.
    Inspector(InspectorInput),
}

/// Translates a key press. The tables are read in this order: quitting always; the help while it is up; a question
/// or the profile list while one is; sending; the sign-in window while it is up; the inspector in the response
/// pane; a text field while one has the keyboard; then the focused pane's own keys, then the explorer's.
pub fn command(state: &State, event: KeyEvent) -> Option<Command> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let key = Key::from_event(&event);
    let keys = &state.keys;
    let everywhere = keys.explorer.command(key);
    if everywhere == Some(ExplorerCommand::ForceQuit) {
        return everywhere.map(Command::Explorer);
    }
    if state.help.is_some() {
        return keys.help.command(key).map(Command::Help);
    }
    match &state.question {
        Some(Question::ClientId { .. } | Question::Credential(_)) => return Some(text_command(state, event, key)),
        // Any key but yes says no: nothing goes anywhere by a slip of the finger.
        Some(Question::TrustPair { .. } | Question::Write(_) | Question::DeleteSaved { .. }) => {
            return Some(Command::Confirm(keys.confirm.command(key).unwrap_or(ConfirmCommand::No)));
        }
        None => {}
    }
    if state.day.prompt.is_some() {
        return Some(match keys.text.command(key) {
            Some(command @ (TextCommand::Keep | TextCommand::Leave | TextCommand::Older | TextCommand::Newer)) => {
                Command::Text(command)
            }
            _ => Command::Type(event),
        });
    }
    if state.profile_picker.is_some() {
        return keys.picker.command(key).map(Command::Picker);
    }
    if let Some(view) = &state.day.view {
        if super::day::filtering(state) {
            return Some(text_command(state, event, key));
        }
        let own = match view {
            super::day::DayView::History(_) => keys.history.command(key).map(Command::History),
            super::day::DayView::Variables(_) => keys.variables.command(key).map(Command::Variables),
        };
        return own.or(everywhere.map(Command::Explorer));
    }
    if everywhere == Some(ExplorerCommand::Send) {
        return everywhere.map(Command::Explorer);
    }
    if state.signing_in() {
        if state.typing() {
            return Some(text_command(state, event, key));
        }
        return keys.sign_in.command(key).map(Command::SignIn);
    }
    if let Some(command) = super::inspector::response_command(state, event) {
        return Some(command);
    }
    if state.typing() {
        return Some(text_command(state, event, key));
    }
    let own = match state.focus {
        Pane::Catalogue => keys.catalogue.command(key).map(Command::Catalogue),
        Pane::Editor => keys.editor.command(key).map(Command::Editor),
        Pane::Response => keys.response.command(key).map(Command::Response),
        Pane::Auth => keys.auth.command(key).map(Command::Auth),
    };
    own.or(everywhere.map(Command::Explorer))
}

/// A key while a text field has the keyboard: keep, leave and the pane keys are the field's commands; anything else
/// is typed (the editing commands, Ctrl-U and friends, are the text field's own: `text_field::type_key`).
fn text_command(state: &State, event: KeyEvent, key: Key) -> Command {
    match state.keys.text.command(key) {
        // In the body, Enter is a new line.
        Some(TextCommand::Keep) if state.editor.body_active => Command::Type(event),
        Some(
            command @ (TextCommand::Keep | TextCommand::Leave | TextCommand::NextPane | TextCommand::PreviousPane),
        ) => Command::Text(command),
        _ => Command::Type(event),
    }
}

/// The keys that work right now, most useful first.
#[allow(clippy::too_many_lines)] // One short block per situation, in the order they take precedence.
pub fn key_hints(state: &State) -> Vec<KeyHint> {
    let keys = &state.keys;
    let mut hints = Hints::default();
    if state.help.is_some() {
        hints.add(keys.help.pair(&[HelpCommand::Up, HelpCommand::Down]), "scroll");
        hints.add(keys.help.first(HelpCommand::Close), "close help");
        return hints.0;
    }
    match &state.question {
        Some(Question::ClientId { .. }) => {
            hints.add(keys.text.first(TextCommand::Keep), "sign in");
            hints.add(keys.text.first(TextCommand::Leave), "cancel");
            return hints.0;
        }
        Some(Question::Credential(_)) => {
            hints.add(keys.text.first(TextCommand::Keep), "keep it and send");
            hints.add(keys.text.first(TextCommand::Leave), "send nothing");
            return hints.0;
        }
        Some(Question::TrustPair { .. }) => {
            hints.add(keys.confirm.first(ConfirmCommand::Yes), "send the token");
            hints.add(keys.confirm.first(ConfirmCommand::No), "don't");
            return hints.0;
        }
        Some(Question::Write(_)) => {
            hints.add(keys.confirm.first(ConfirmCommand::Yes), "send it");
            hints.add(keys.confirm.first(ConfirmCommand::No), "don't");
            return hints.0;
        }
        Some(Question::DeleteSaved { .. }) => {
            hints.add(keys.confirm.first(ConfirmCommand::Yes), "delete it");
            hints.add(keys.confirm.first(ConfirmCommand::No), "keep it");
            return hints.0;
        }
        None => {}
    }
    if let Some(prompt) = &state.day.prompt {
        hints.add(keys.text.first(TextCommand::Keep), "keep");
        hints.add(keys.text.first(TextCommand::Leave), "cancel");
        if prompt.suggestions.len() > 1 {
            hints.add(keys.text.pair(&[TextCommand::Older, TextCommand::Newer]), "other names");
        }
        return hints.0;
    }
    if let Some(view) = &state.day.view {
        day_view_hints(state, view, &mut hints);
        return hints.0;
    }
    if state.profile_picker.is_some() {
        hints.add(keys.picker.pair(&[PickerCommand::Up, PickerCommand::Down]), "choose");
        hints.add(keys.picker.first(PickerCommand::Choose), "switch to it");
        hints.add(keys.picker.first(PickerCommand::Cancel), "keep this one");
        return hints.0;
    }
    if state.signing_in() {
        sign_in_hints(state, &mut hints);
        return hints.0;
    }
    let text = |command| keys.text.first(command);
    if state.catalogue.filter_input.is_some() {
        hints.0.push(KeyHint { key: "type".into(), action: "filter" });
        hints.add(text(TextCommand::Keep), "keep filter");
        hints.add(text(TextCommand::Leave), "clear filter");
        return hints.0;
    }
    let send = keys.explorer.first(ExplorerCommand::Send);
    if state.editor.line.is_some() {
        hints.add(text(TextCommand::Keep), "keep value");
        hints.add(text(TextCommand::Leave), "leave field");
        hints.add(send, "send");
        return hints.0;
    }
    if state.editor.body_active {
        hints.add(text(TextCommand::Leave), "leave body");
        hints.add(send, "send");
        hints.add(text(TextCommand::NextPane), "next pane");
        return hints.0;
    }
    let explorer = |command| keys.explorer.first(command);
    let back = explorer(ExplorerCommand::Back);
    if state.response.in_flight.is_some() {
        hints.add(back.clone(), "cancel request");
    }
    let moves = keys.explorer.pair(&[ExplorerCommand::Up, ExplorerCommand::Down]);
    match state.focus {
        Pane::Catalogue => {
            hints.add(moves, "move");
            hints.add(explorer(ExplorerCommand::Activate), "send");
            hints.add(keys.catalogue.first(CatalogueCommand::Filter), "filter");
            if !state.catalogue.filter.is_empty() && state.response.in_flight.is_none() {
                hints.add(back, "clear filter");
            }
        }
        Pane::Editor => {
            hints.add(moves, "move");
            hints.add(explorer(ExplorerCommand::Activate).or(keys.editor.first(EditorCommand::Edit)), "edit");
            hints.add(keys.editor.pair(&[EditorCommand::PreviousServer, EditorCommand::NextServer]), "server");
            hints.add(keys.editor.first(EditorCommand::AddHeader), "add header");
            hints.add(keys.editor.first(EditorCommand::Remove), "remove");
            hints.add(send, "send");
        }
        Pane::Response => match super::inspector::response_hints(state) {
            Some(inspector) if state.response.pane().is_some_and(super::inspector::InspectorPane::typing) => {
                return inspector;
            }
            Some(inspector) => {
                hints.0.extend(inspector);
                hints.add(keys.response.first(ResponseCommand::ToggleHeaders), "headers");
            }
            None => {
                hints.add(moves, "move");
                hints.add(keys.explorer.pair(&[ExplorerCommand::PageUp, ExplorerCommand::PageDown]), "page");
                hints.add(keys.explorer.pair(&[ExplorerCommand::Top, ExplorerCommand::Bottom]), "top/end");
                hints.add(keys.response.first(ResponseCommand::ToggleHeaders), "headers");
            }
        },
        Pane::Auth => {
            if matches!(state.auth, AuthStatus::SignedIn(_) | AuthStatus::Refreshing(_)) {
                hints.add(keys.auth.first(AuthCommand::Claims), "claims");
                hints.add(keys.auth.first(AuthCommand::SignOut), "sign out");
                hints.add(keys.auth.first(AuthCommand::SwitchUser), "someone else");
            }
        }
    }
    let signed_out =
        matches!(state.auth, AuthStatus::SignedOut | AuthStatus::Expired { .. } | AuthStatus::Failed { .. });
    if signed_out || state.step_up.is_some() {
        hints.add(explorer(ExplorerCommand::SignIn), "sign in");
    }
    hints.add(explorer(ExplorerCommand::FocusNext), "next pane");
    if state.profiles.len() > 1 {
        hints.add(explorer(ExplorerCommand::SwitchProfile), "profile");
    }
    hints.add(explorer(ExplorerCommand::Help), "help");
    hints.add(explorer(ExplorerCommand::Quit), "quit");
    hints.0
}

fn day_view_hints(state: &State, view: &super::day::DayView, hints: &mut Hints) {
    let keys = &state.keys;
    if super::day::filtering(state) {
        hints.0.push(KeyHint { key: "type".into(), action: "filter" });
        hints.add(keys.text.first(TextCommand::Keep), "keep filter");
        hints.add(keys.text.first(TextCommand::Leave), "clear filter");
        return;
    }
    hints.add(keys.explorer.pair(&[ExplorerCommand::Up, ExplorerCommand::Down]), "move");
    match view {
        super::day::DayView::History(_) => {
            hints.add(keys.history.first(HistoryCommand::Open), "show response");
            hints.add(keys.history.first(HistoryCommand::Edit), "to editor");
            hints.add(keys.history.first(HistoryCommand::Resend), "send again");
            hints.add(keys.history.first(HistoryCommand::Filter), "filter");
        }
        super::day::DayView::Variables(_) => {
            hints.add(keys.variables.first(VariablesCommand::Edit), "change");
            hints.add(keys.variables.first(VariablesCommand::Add), "add");
            hints.add(keys.variables.first(VariablesCommand::Remove), "remove");
        }
    }
    hints.add(keys.explorer.first(ExplorerCommand::Back), "close");
}

fn sign_in_hints(state: &State, hints: &mut Hints) {
    let keys = &state.keys;
    let sign_in = |command| keys.sign_in.first(command);
    if state.typing() {
        hints.add(keys.text.first(TextCommand::Keep), "send address");
        hints.add(keys.text.first(TextCommand::Leave), "leave field");
        return;
    }
    if matches!(state.auth, AuthStatus::WaitingForDevice(_)) {
        hints.add(sign_in(SignInCommand::CopyAddress), "copy address");
        hints.add(sign_in(SignInCommand::Cancel), "cancel");
        return;
    }
    if matches!(state.auth, AuthStatus::SigningOut(_)) {
        if state.demo {
            hints.add(sign_in(SignInCommand::Confirm), "sign out (demo)");
        }
        hints.add(sign_in(SignInCommand::CopyAddress), "copy address");
        hints.add(sign_in(SignInCommand::Cancel), "close");
        return;
    }
    if state.demo {
        hints.add(sign_in(SignInCommand::Confirm), "approve (demo)");
    }
    hints.add(sign_in(SignInCommand::CopyAddress), "copy");
    hints.add(sign_in(SignInCommand::PasteAddress), "paste");
    if matches!(&state.auth, AuthStatus::WaitingForBrowser(p) if p.device_available) {
        hints.add(sign_in(SignInCommand::DeviceCode), "device code");
    }
    hints.add(sign_in(SignInCommand::Cancel), "cancel");
}

/// Hints in the making: a command the person left without a key has none.
#[derive(Default)]
struct Hints(Vec<KeyHint>);

impl Hints {
    fn add(&mut self, key: Option<String>, action: &'static str) {
        self.0.extend(KeyHint::new(key, action));
    }
}
