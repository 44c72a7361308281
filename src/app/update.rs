//! The one place state changes.

use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};
use ratatui::layout::Rect;

use super::action::{Action, Now, RequestId};
use super::editor::{EditTarget, EditorRow, line_area};
use super::effect::Effect;
use super::inspector;
use super::keymap::{self, Command};
use super::keys::{
    AuthCommand, CatalogueCommand, EditorCommand, ExplorerCommand, HelpCommand, ResponseCommand, ScreenKind,
    SignInCommand, TextCommand,
};
use super::mouse;
use super::response::{Failure, ReadyResponse, Shown};
use super::send::send;
use super::sign_in;
use super::state::{Pane, State};
use super::text_field;

/// Applies `action`, which happened at `now`, to `state` and returns what the run loop must do about it.
pub fn update(state: &mut State, action: Action, now: Now) -> Vec<Effect> {
    state.now = now.instant;
    state.wall = now.wall;
    let effects = apply_action(state, action);
    // The focus, a message, a response or the operation on show may have changed what gets room.
    state.fit_to_layout();
    effects
}

fn apply_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Input(event) => input(state, event),
        Action::InputClosed => {
            state.quit = true;
            Vec::new()
        }
        Action::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            Vec::new()
        }
        Action::ResponseStarted { id, head, preview, received, total } => {
            super::streaming::started(state, id, *head, *preview, (received, total))
        }
        Action::ResponseArriving { id, received, total } => super::streaming::arriving(state, id, received, total),
        Action::Response { id, ready } => response_arrived(state, id, *ready),
        Action::RequestFailed { id, message } => {
            if let Some(flight) = state.response.in_flight.take_if(|f| f.id == id) {
                super::streaming::stopped(state, flight.id, &message);
                state.response.failure = Some(Failure { label: flight.label, message });
            }
            Vec::new()
        }
        Action::Auth(event) => sign_in::auth_event(state, event),
        Action::Inspector(event) => inspector::response_event(state, event),
        Action::Workspace(event) => super::day::workspace_event(state, event),
        Action::CredentialGone { origin, scheme } => super::credentials::gone(state, &origin, &scheme),
        Action::Failed(message) => {
            state.error(message);
            Vec::new()
        }
        Action::Claims(result) => {
            match result {
                Ok(ready) => {
                    // The engine puts the raw tokens under `raw`, only when asked to.
                    let raw = serde_json::from_slice::<serde_json::Value>(&ready.response.body)
                        .is_ok_and(|claims| claims.get("raw").is_some());
                    let id = state.request_id();
                    state.response.show(Shown::claims(id, *ready, &state.keys));
                    state.focus = Pane::Response;
                    if raw {
                        state
                            .error("The raw tokens are on screen: anyone who sees them can use them until they expire");
                    }
                }
                Err(message) => state.error(format!("Cannot read the tokens: {message}")),
            }
            Vec::new()
        }
        Action::DemoLanded(landing) => {
            if let Some(dialog) = &mut state.sign_in {
                dialog.approving = false;
            }
            super::sign_in::submit_paste(state, &landing)
        }
        Action::DemoApproved(result) => {
            if let Some(dialog) = &mut state.sign_in {
                dialog.approving = false;
            }
            if let Err(message) = result {
                state.error(format!("Demo approval failed: {message}"));
            }
            Vec::new()
        }
        Action::BodiesMade(result) => {
            state.take_bodies(result.map(|whole| *whole));
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
                    return super::profiles::after_spec(state);
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

/// The answer to request `id`: shown when it is the one in flight (a start of it shown meanwhile gives way to it
/// where the person left it).
fn response_arrived(state: &mut State, id: RequestId, ready: ReadyResponse) -> Vec<Effect> {
    if let Some(flight) = state.response.in_flight.take_if(|f| f.id == id) {
        let unauthorized = ready.response.status == 401;
        let page = super::day::page_of(&flight.sent, &ready);
        let links = super::day::link_offers(state, &flight.sent, &ready);
        let (mut shown, effects) = super::streaming::arrived(state, id, flight.label, ready);
        shown.sent = Some(flight.sent);
        shown.page = page;
        shown.links = links;
        state.day.next_link = 0;
        state.response.show(shown);
        // Without a session the request went without a token: say so, rather than leave the server's word.
        if unauthorized && state.granted_scopes().is_none() && !state.signing_in() {
            let sign_in = state.keys.explorer.name(ExplorerCommand::SignIn);
            state.info(format!("401: not signed in, so the request went without a token — {sign_in} signs in"));
        }
        return effects;
    }
    Vec::new()
}

/// What to do before the first key: read the profile's history, saved requests and variables; load a spec given
/// by URL, in the background.
pub fn start(state: &mut State) -> Vec<Effect> {
    let mut effects = super::day::profile_changed(state);
    if let Some(url) = state.profile.spec.clone()
        && crate::api::spec_source::is_url(&url)
    {
        state.catalogue.loading = Some(url.clone());
        effects.push(Effect::LoadSpec { url });
    }
    effects
}

fn input(state: &mut State, event: Event) -> Vec<Effect> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            state.notice = None;
            keymap::command(state, key).map(|c| apply(state, c)).unwrap_or_default()
        }
        Event::Mouse(event) => mouse::handle(state, event),
        Event::Paste(text) if state.signing_in() => sign_in::paste(state, &text),
        Event::Paste(text) if matches!(state.question, Some(super::profiles::Question::Credential(_))) => {
            if let Some(super::profiles::Question::Credential(ask)) = &mut state.question {
                // One line: a value pasted with its newline is still one value.
                ask.input.insert_str(text.lines().next().unwrap_or_default());
            }
            Vec::new()
        }
        Event::Paste(text) if super::day::prompt_paste(state, &text) => Vec::new(),
        Event::Paste(text) if super::day::filtering(state) => {
            super::day::filter_key(state, super::day::FilterKey::Paste(text));
            Vec::new()
        }
        Event::Paste(text) => inspector::response_paste(state, &text).unwrap_or_else(|| {
            paste(state, &text);
            Vec::new()
        }),
        Event::Resize(width, height) => {
            state.area = Rect::new(0, 0, width, height);
            state.fit_to_layout();
            // A taller screen shows more of the help: its last page may now start higher.
            let sections = state.keys.help(ScreenKind::Explorer);
            state.help = state.help.map(|offset| super::help::scrolled(offset, 0, &sections, state.area));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Carries out one command.
pub(super) fn apply(state: &mut State, command: Command) -> Vec<Effect> {
    if state.question.is_some()
        && let Some(effects) = super::profiles::question_command(state, command)
    {
        return effects;
    }
    if state.day.prompt.is_some() {
        use super::day::prompt::PromptKey;
        return match command {
            Command::Text(text) => super::day::prompt_key(state, PromptKey::Command(text)),
            Command::Type(key) => super::day::prompt_key(state, PromptKey::Type(key)),
            Command::Explorer(ExplorerCommand::ForceQuit) => explorer(state, ExplorerCommand::ForceQuit),
            _ => Vec::new(),
        };
    }
    if super::day::filtering(state) {
        use super::day::FilterKey;
        match command {
            Command::Text(TextCommand::Keep | TextCommand::NextPane) => super::day::filter_key(state, FilterKey::Keep),
            Command::Text(TextCommand::Leave) => super::day::filter_key(state, FilterKey::Leave),
            Command::Type(key) => super::day::filter_key(state, FilterKey::Type(key)),
            Command::Explorer(ExplorerCommand::ForceQuit) => return explorer(state, ExplorerCommand::ForceQuit),
            _ => {}
        }
        return Vec::new();
    }
    match command {
        Command::Explorer(command) => return explorer(state, command),
        Command::Catalogue(CatalogueCommand::Filter) => {
            state.focus = Pane::Catalogue;
            state.catalogue.filter_input = Some(line_area(&state.catalogue.filter));
        }
        Command::Catalogue(CatalogueCommand::RenameSaved) => return super::day::rename_saved(state),
        Command::Catalogue(CatalogueCommand::DeleteSaved) => return super::day::delete_saved(state),
        Command::Response(ResponseCommand::SetVariable) => return super::day::set_variable_from_inspector(state),
        Command::Response(ResponseCommand::FollowLink) => return super::day::follow_link(state),
        Command::History(command) => return super::day::history_command(state, command),
        Command::Variables(command) => return super::day::variables_command(state, command),
        Command::Editor(command) => editor(state, command),
        Command::Response(ResponseCommand::ToggleHeaders) => {
            state.response.show_headers = !state.response.show_headers;
            state.response.header_offset = 0;
        }
        Command::Auth(command) => return auth_pane(state, command),
        Command::SignIn(command) => return sign_in_window(state, command),
        Command::Help(command) => help_key(state, command),
        Command::Picker(command) => return super::profiles::picker_key(state, command),
        Command::Text(TextCommand::Keep) => return activate(state),
        Command::Text(TextCommand::Leave) => return back(state),
        Command::Text(TextCommand::NextPane) => return explorer(state, ExplorerCommand::FocusNext),
        Command::Text(TextCommand::PreviousPane) => return explorer(state, ExplorerCommand::FocusPrevious),
        Command::Confirm(_) | Command::Text(_) => {}
        Command::Type(key) => text_key(state, key),
        Command::Inspector(input) => return inspector::response_apply(state, input),
    }
    Vec::new()
}

fn explorer(state: &mut State, command: ExplorerCommand) -> Vec<Effect> {
    use ExplorerCommand as C;
    if state.day.view.is_some() && super::day::view_key(state, command) {
        return Vec::new();
    }
    match command {
        C::Quit | C::ForceQuit => {
            state.quit = true;
            return Vec::new();
        }
        C::Help => state.help = Some(0),
        C::FocusNext | C::FocusPrevious => {
            leave_text(state);
            state.focus = if command == C::FocusNext { state.focus.next() } else { state.focus.previous() };
        }
        C::Send => {
            leave_text(state);
            return send(state);
        }
        C::SignIn => {
            leave_text(state);
            return sign_in::login(state, false);
        }
        C::SwitchProfile => {
            leave_text(state);
            super::profiles::open_picker(state);
        }
        C::History => super::day::toggle_history(state),
        C::Variables => super::day::toggle_variables(state),
        C::SaveRequest => return super::day::save_request(state),
        C::CopyCurl => return super::day::copy_curl(state, false),
        C::CopyCurlWithToken => return super::day::copy_curl(state, true),
        C::NextPage => return super::day::turn_page(state, true),
        C::PreviousPage => return super::day::turn_page(state, false),
        C::Activate => return activate(state),
        C::Back => return back(state),
        C::Up | C::Down | C::PageUp | C::PageDown | C::Top | C::Bottom => navigate(state, command),
    }
    Vec::new()
}

/// The Sign-in pane's keys.
fn auth_pane(state: &mut State, command: AuthCommand) -> Vec<Effect> {
    match command {
        AuthCommand::SignOut => vec![Effect::Auth(crate::auth::AuthCommand::Logout)],
        AuthCommand::SwitchUser => sign_in::login(state, true),
        AuthCommand::Claims | AuthCommand::RawTokens if state.granted_scopes().is_none() => {
            let sign_in = state.keys.explorer.name(ExplorerCommand::SignIn);
            state.info(format!("Not signed in: there are no tokens to read — {sign_in} signs in"));
            Vec::new()
        }
        AuthCommand::Claims => vec![Effect::Claims { include_raw: false }],
        AuthCommand::RawTokens => vec![Effect::Claims { include_raw: true }],
    }
}

fn editor(state: &mut State, command: EditorCommand) {
    match command {
        EditorCommand::Edit => {
            activate(state);
        }
        EditorCommand::PreviousServer | EditorCommand::NextServer => {
            let forward = command == EditorCommand::NextServer;
            match state.editor.current_row() {
                Some(EditorRow::Server) => cycle_server(state, forward),
                Some(EditorRow::ServerVariable(i)) => {
                    state.editor.server_vars.cycle(i, forward);
                }
                _ => {}
            }
        }
        EditorCommand::AddHeader => {
            if let Some(row) = state.editor.rows().iter().position(|r| *r == EditorRow::AddHeader) {
                state.editor.select_row(row);
                state.editor.start_edit(EditTarget::NewHeader);
            }
        }
        EditorCommand::Remove => state.editor.clear_field(),
    }
}

fn sign_in_window(state: &mut State, command: SignInCommand) -> Vec<Effect> {
    match command {
        SignInCommand::Confirm => return activate(state),
        SignInCommand::Cancel => return back(state),
        SignInCommand::CopyAddress => return sign_in::copy_address(state),
        // A sign-out waiting for the browser has no code to take and no device to switch to.
        SignInCommand::DeviceCode | SignInCommand::PasteAddress
            if matches!(state.auth, crate::auth::AuthStatus::SigningOut(_)) => {}
        SignInCommand::DeviceCode => return vec![Effect::Auth(crate::auth::AuthCommand::StartDevice)],
        SignInCommand::PasteAddress => {
            let dialog = state.sign_in.get_or_insert_with(Default::default);
            dialog.paste.get_or_insert_with(|| line_area(""));
        }
        SignInCommand::Help => state.help = Some(0),
        SignInCommand::Quit => {
            state.quit = true;
            return Vec::new();
        }
    }
    Vec::new()
}

fn help_key(state: &mut State, command: HelpCommand) {
    if let Some(offset) = state.help {
        state.help = super::help::key(offset, command, &state.keys.help(ScreenKind::Explorer), state.area);
    }
}

fn navigate(state: &mut State, command: ExplorerCommand) {
    use ExplorerCommand as C;
    let page = |height: usize| isize::try_from(height.saturating_sub(1).max(1)).unwrap_or(1);
    match state.focus {
        Pane::Catalogue => {
            let delta = match command {
                C::Up => -1,
                C::Down => 1,
                C::PageUp => -page(state.catalogue.height),
                C::PageDown => page(state.catalogue.height),
                C::Top => isize::MIN / 2,
                _ => isize::MAX / 2,
            };
            state.catalogue.move_by(delta);
            state.follow_selection();
        }
        Pane::Editor => {
            let delta = match command {
                C::Up => -1,
                C::Down => 1,
                C::PageUp => -page(state.editor.height),
                C::PageDown => page(state.editor.height),
                C::Top => -10_000,
                _ => 10_000,
            };
            state.editor.move_by(delta);
        }
        Pane::Response => match command {
            C::Up => state.response.move_by(-1),
            C::Down => state.response.move_by(1),
            C::PageUp => state.response.page(false),
            C::PageDown => state.response.page(true),
            C::Top => state.response.jump(false, state.now),
            _ => state.response.jump(true, state.now),
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
                Some(EditorRow::ServerVariable(i)) => edit_server_variable(state, i),
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
        super::streaming::stopped(state, flight.id, "cancelled");
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
    let keys = std::sync::Arc::clone(&state.keys);
    let table = &keys.text;
    if let Some(input) = state.sign_in.as_mut().and_then(|d| d.paste.as_mut()) {
        text_field::type_key(input, table, key);
    } else if let Some(input) = &mut state.catalogue.filter_input {
        text_field::type_key(input, table, key);
        state.catalogue.refilter();
        state.follow_selection();
    } else if let Some((_, area)) = &mut state.editor.line {
        text_field::type_key(area, table, key);
    } else if state.editor.body_active
        && let Some(body) = state.editor.draft_mut().and_then(|d| d.body.as_mut())
    {
        text_field::type_key(body, table, key);
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
    state.select_server(if forward { (state.server + 1) % n } else { (state.server + n - 1) % n });
}

/// Enter or `e` on a server variable: the next value the spec lists, or the line editor when it lists none.
fn edit_server_variable(state: &mut State, index: usize) {
    if !state.editor.server_vars.cycle(index, true) {
        state.editor.start_edit(EditTarget::ServerVariable(index));
    }
}
