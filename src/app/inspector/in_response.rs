//! The inspector inside the explorer: the response pane hands it its keys, pasted text and job answers, and shows
//! its hints; the pane's messages go to the status bar.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::{InspectorCommand, InspectorEvent, InspectorPane};
use crate::app::Effect;
use crate::app::keymap::{Command, KeyHint};
use crate::app::state::{Pane, State};

/// The pane the response shows, when the inspector has the response pane's keys.
fn active(state: &State) -> Option<&InspectorPane> {
    if state.focus != Pane::Response || state.response.show_headers {
        return None;
    }
    state.response.pane()
}

/// The key as an inspector command, when the response pane has focus and shows a body.
pub(in crate::app) fn response_command(state: &State, key: KeyEvent) -> Option<Command> {
    let pane = active(state)?;
    // Esc first cancels a request on its way (the explorer's own Esc), unless the inspector's field is open.
    if key.code == KeyCode::Esc && !pane.typing() && (state.response.in_flight.is_some() || !pane.wants_back()) {
        return None;
    }
    pane.key_command(key).map(Command::Inspector)
}

pub(in crate::app) fn response_apply(state: &mut State, command: InspectorCommand) -> Vec<Effect> {
    let now = state.now;
    let Some(pane) = state.response.pane_mut() else { return Vec::new() };
    let effects = pane.apply(command, now);
    if let Some(notice) = pane.take_notice() {
        state.notice = Some(notice);
    }
    effects
}

pub(in crate::app) fn response_event(state: &mut State, event: InspectorEvent) -> Vec<Effect> {
    let now = state.now;
    let Some(pane) = state.response.pane_mut() else { return Vec::new() };
    let effects = pane.event(event, now);
    if let Some(notice) = pane.take_notice() {
        state.notice = Some(notice);
    }
    effects
}

/// Pasted text for the inspector's field, when it is open in the focused response pane.
pub(in crate::app) fn response_paste(state: &mut State, text: &str) -> Option<Vec<Effect>> {
    if !active(state).is_some_and(InspectorPane::typing) {
        return None;
    }
    let now = state.now;
    state.response.pane_mut().map(|pane| pane.paste(text, now))
}

/// The inspector's keys for the status bar, when it has the response pane's keys.
pub(in crate::app) fn response_hints(state: &State) -> Option<Vec<KeyHint>> {
    active(state).map(InspectorPane::hints)
}
