//! The one place state changes.

use super::help::{help_max_offset, help_sections};
use super::text_field;
use std::time::{Instant, SystemTime};

use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};
use ratatui::layout::Rect;

use super::action::Action;
use super::editor::{EditTarget, EditorRow, line_area};
use super::effect::Effect;
use super::inspector;
use super::keymap::{self, Command};
use super::mouse;
use super::response::{Failure, Shown};
use super::send::send;
use super::sign_in;
use super::state::{Pane, State};

/// Applies `action` to `state` and returns what the run loop must do about it.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    state.now = Instant::now();
    state.wall = SystemTime::now();
    let (focus, status_lines) = (state.focus, state.status_lines());
    let effects = apply_action(state, action);
    if state.focus != focus || state.status_lines() != status_lines {
        // On short screens the focused pane gets more room; a long message gets its lines.
        state.fit_to_layout();
    }
    effects
}

fn apply_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Input(event) => input(state, event),
        Action::InputClosed => {
            state.quit = true;
            vec![Effect::Quit]
        }
        Action::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            Vec::new()
        }
        Action::Response { id, ready } => {
            if let Some(flight) = state.response.in_flight.take_if(|f| f.id == id) {
                let unauthorized = ready.response.status == 401;
                state.response.show(Shown::new(flight.label, *ready));
                // Without a session the request went without a token: say so, rather than leave the server's word.
                if unauthorized && state.granted_scopes().is_none() && !state.signing_in() {
                    state.info("401: not signed in, so the request went without a token — L signs in");
                }
            }
            Vec::new()
        }
        Action::RequestFailed { id, message } => {
            if let Some(flight) = state.response.in_flight.take_if(|f| f.id == id) {
                state.response.failure = Some(Failure { label: flight.label, message });
            }
            Vec::new()
        }
        Action::Auth(event) => sign_in::auth_event(state, event),
        Action::Inspector(event) => inspector::response_event(state, event),
        Action::DemoApproved(result) => {
            if let Some(dialog) = &mut state.sign_in {
                dialog.approving = false;
            }
            if let Err(message) = result {
                state.error(format!("Demo approval failed: {message}"));
            }
            Vec::new()
        }
        Action::SpecLoaded(result) => {
            state.catalogue.loading = None;
            match result {
                Ok(catalogue) => {
                    let summary = format!("{}: {} operations", catalogue.source, catalogue.operations.len());
                    let notice = catalogue.notices.first().cloned();
                    state.set_catalogue(*catalogue);
                    state.info(notice.map_or(summary.clone(), |n| format!("{summary} — {n}")));
                }
                Err(message) => {
                    state.catalogue.load_failed = Some(message.clone());
                    state.error(message);
                }
            }
            Vec::new()
        }
    }
}

/// What to do before the first key: load a spec given by URL, in the background.
pub fn start(state: &mut State) -> Vec<Effect> {
    match state.profile.spec.clone() {
        Some(url) if crate::api::spec_source::is_url(&url) => {
            state.catalogue.loading = Some(url.clone());
            vec![Effect::LoadSpec { url }]
        }
        _ => Vec::new(),
    }
}

fn input(state: &mut State, event: Event) -> Vec<Effect> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            state.notice = None;
            keymap::command(state, key).map(|c| apply(state, c)).unwrap_or_default()
        }
        Event::Mouse(event) => {
            mouse::handle(state, event);
            Vec::new()
        }
        Event::Paste(text) if state.signing_in() => sign_in::paste(state, &text),
        Event::Paste(text) => inspector::response_paste(state, &text).unwrap_or_else(|| {
            paste(state, &text);
            Vec::new()
        }),
        Event::Resize(width, height) => {
            state.area = Rect::new(0, 0, width, height);
            state.fit_to_layout();
            // A taller screen shows more of the help: its last page may now start higher.
            state.help = state.help.map(|offset| offset.min(help_max_offset(help_sections(), state.area)));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Carries out one command.
pub(super) fn apply(state: &mut State, command: Command) -> Vec<Effect> {
    match command {
        Command::Quit | Command::ForceQuit => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        Command::Help => state.help = Some(0),
        Command::CloseHelp => state.help = None,
        Command::FocusNext | Command::FocusPrevious => {
            leave_text(state);
            state.focus = if command == Command::FocusNext { state.focus.next() } else { state.focus.previous() };
        }
        Command::Send => {
            leave_text(state);
            return send(state);
        }
        Command::Text(key) => text_key(state, key),
        Command::Inspector(command) => return inspector::response_apply(state, command),
        Command::SignIn => {
            leave_text(state);
            return sign_in::login(state);
        }
        Command::SignOut => return vec![Effect::Auth(crate::auth::AuthCommand::Logout)],
        Command::CopyAddress => return sign_in::copy_address(state),
        Command::DeviceCode => return vec![Effect::Auth(crate::auth::AuthCommand::StartDevice)],
        Command::PasteField => {
            let dialog = state.sign_in.get_or_insert_with(Default::default);
            dialog.paste.get_or_insert_with(|| line_area(""));
        }
        Command::Activate => return activate(state),
        Command::Back => return back(state),
        Command::Filter => {
            state.focus = Pane::Catalogue;
            state.catalogue.filter_input = Some(line_area(&state.catalogue.filter));
        }
        Command::ToggleHeaders => {
            state.response.show_headers = !state.response.show_headers;
            state.response.header_offset = 0;
        }
        Command::AddHeader => {
            if let Some(row) = state.editor.rows().iter().position(|r| *r == EditorRow::AddHeader) {
                state.editor.select_row(row);
                state.editor.start_edit(EditTarget::NewHeader);
            }
        }
        Command::Remove => state.editor.clear_field(),
        Command::Up | Command::Down | Command::PageUp | Command::PageDown | Command::Top | Command::Bottom => {
            navigate(state, command);
        }
        Command::Left | Command::Right => {
            if state.focus == Pane::Editor && state.editor.current_row() == Some(EditorRow::Server) {
                cycle_server(state, command == Command::Right);
            }
        }
    }
    Vec::new()
}

fn navigate(state: &mut State, command: Command) {
    if let Some(offset) = state.help {
        let delta: isize = match command {
            Command::Up => -1,
            Command::Down => 1,
            Command::PageUp => -10,
            _ => 10,
        };
        state.help = Some(offset.saturating_add_signed(delta).min(help_max_offset(help_sections(), state.area)));
        return;
    }
    let page = |height: usize| isize::try_from(height.saturating_sub(1).max(1)).unwrap_or(1);
    match state.focus {
        Pane::Catalogue => {
            let delta = match command {
                Command::Up => -1,
                Command::Down => 1,
                Command::PageUp => -page(state.catalogue.height),
                Command::PageDown => page(state.catalogue.height),
                Command::Top => isize::MIN / 2,
                _ => isize::MAX / 2,
            };
            state.catalogue.move_by(delta);
            state.follow_selection();
        }
        Pane::Editor => {
            let delta = match command {
                Command::Up => -1,
                Command::Down => 1,
                Command::PageUp => -page(state.editor.height),
                Command::PageDown => page(state.editor.height),
                Command::Top => -10_000,
                _ => 10_000,
            };
            state.editor.move_by(delta);
        }
        Pane::Response => match command {
            Command::Up => state.response.move_by(-1),
            Command::Down => state.response.move_by(1),
            Command::PageUp => state.response.page(false),
            Command::PageDown => state.response.page(true),
            Command::Top => state.response.jump(false),
            _ => state.response.jump(true),
        },
        Pane::Auth => {}
    }
}

fn activate(state: &mut State) -> Vec<Effect> {
    if state.signing_in() {
        return sign_in::confirm(state);
    }
    if let Some(input) = state.catalogue.filter_input.take() {
        state.catalogue.filter = input.lines().first().cloned().unwrap_or_default();
        return Vec::new();
    }
    if state.editor.commit_edit() {
        if state.editor.send_when_complete {
            return send(state);
        }
        return Vec::new();
    }
    match state.focus {
        Pane::Catalogue => send(state),
        Pane::Editor => {
            match state.editor.current_row() {
                Some(EditorRow::Server) => cycle_server(state, true),
                Some(EditorRow::Field(i)) => state.editor.start_edit(EditTarget::Field(i)),
                Some(EditorRow::AddHeader) => state.editor.start_edit(EditTarget::NewHeader),
                Some(EditorRow::Body) => state.editor.body_active = true,
                Some(EditorRow::Heading(_)) | None => {}
            }
            Vec::new()
        }
        Pane::Response | Pane::Auth => Vec::new(),
    }
}

fn back(state: &mut State) -> Vec<Effect> {
    if state.signing_in() {
        match state.sign_in.as_mut() {
            Some(dialog) if dialog.paste.is_some() => dialog.paste = None,
            _ => {
                state.sign_in = None;
                return vec![Effect::Auth(crate::auth::AuthCommand::CancelLogin)];
            }
        }
        return Vec::new();
    }
    if state.catalogue.filter_input.take().is_some() {
        clear_filter(state);
    } else if state.editor.line.is_some() {
        // Esc leaves the field and keeps what was typed; it only gives up the pending send.
        state.editor.commit_edit();
        state.editor.send_when_complete = false;
    } else if state.editor.body_active {
        state.editor.body_active = false;
    } else if let Some(flight) = state.response.in_flight.take() {
        state.info(format!("Cancelled {}", flight.label));
        return vec![Effect::Cancel(flight.id)];
    } else if state.focus == Pane::Catalogue && !state.catalogue.filter.is_empty() {
        clear_filter(state);
    }
    Vec::new()
}

fn clear_filter(state: &mut State) {
    let selected = state.catalogue.visible.get(state.catalogue.cursor).copied();
    state.catalogue.filter.clear();
    state.catalogue.refilter();
    // Keep the operation the person was on, now among all the others.
    if let Some(index) = selected {
        state.catalogue.select_operation(index);
    }
    state.follow_selection();
}

/// A key for the text field that has the keyboard.
fn text_key(state: &mut State, key: KeyEvent) {
    if let Some(input) = state.sign_in.as_mut().and_then(|d| d.paste.as_mut()) {
        text_field::type_key(input, key);
    } else if let Some(input) = &mut state.catalogue.filter_input {
        text_field::type_key(input, key);
        state.catalogue.refilter();
        state.follow_selection();
    } else if let Some((_, area)) = &mut state.editor.line {
        text_field::type_key(area, key);
    } else if state.editor.body_active
        && let Some(body) = state.editor.draft_mut().and_then(|d| d.body.as_mut())
    {
        text_field::type_key(body, key);
    }
}

fn paste(state: &mut State, text: &str) {
    let one_line: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    if let Some(input) = &mut state.catalogue.filter_input {
        input.insert_str(&one_line);
        state.catalogue.refilter();
        state.follow_selection();
    } else if let Some((_, area)) = &mut state.editor.line {
        area.insert_str(&one_line);
    } else if state.editor.body_active
        && let Some(body) = state.editor.draft_mut().and_then(|d| d.body.as_mut())
    {
        body.insert_str(text.replace("\r\n", "\n"));
    }
}

/// Leaves any text field, keeping what it holds (a filter being typed is kept as if `Enter` was pressed).
pub(super) fn leave_text(state: &mut State) {
    if let Some(input) = state.catalogue.filter_input.take() {
        state.catalogue.filter = input.lines().first().cloned().unwrap_or_default();
    }
    state.editor.commit_edit();
    state.editor.body_active = false;
}

fn cycle_server(state: &mut State, forward: bool) {
    let n = state.servers.len().max(1);
    state.server = if forward { (state.server + 1) % n } else { (state.server + n - 1) % n };
}
