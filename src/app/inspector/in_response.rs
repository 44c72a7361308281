//! The inspector inside the explorer: the response pane hands it its keys, pasted text and job answers, and shows
//! its hints; the pane's messages go to the status bar.

use ratatui::crossterm::event::KeyEvent;

use super::{InspectorCommand, InspectorEvent, InspectorInput, InspectorPane, ReadFor};
use crate::app::Effect;
use crate::app::keymap::Command;
use crate::app::keys::KeyHint;
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
    let input = pane.key_input(&state.keys, key)?;
    // Its Back first cancels a request on its way (the explorer's own), and leaves the rest to the explorer when
    // there is nothing to step back from.
    if input == InspectorInput::Run(InspectorCommand::Back)
        && (state.response.in_flight.is_some() || !pane.wants_back())
    {
        return None;
    }
    Some(Command::Inspector(input))
}

pub(in crate::app) fn response_apply(state: &mut State, input: InspectorInput) -> Vec<Effect> {
    let now = state.now;
    let Some(pane) = state.response.pane_mut() else { return Vec::new() };
    let effects = pane.input(input, now);
    if let Some(notice) = pane.take_notice() {
        state.notice = Some(notice);
    }
    effects
}

pub(in crate::app) fn response_event(state: &mut State, event: InspectorEvent) -> Vec<Effect> {
    let now = state.now;
    let Some(pane) = state.response.pane_mut() else { return Vec::new() };
    // A value read for a variable is the explorer's to take: it offers the name.
    let effects = match event {
        InspectorEvent::CursorRead { job, result } => match pane.cursor_read(job, result) {
            Some((ReadFor::Variable, result)) => {
                return crate::app::day::variables::variable_value_read(state, result);
            }
            Some((read_for, result)) => pane.cursor_read_done(read_for, result),
            None => Vec::new(),
        },
        event => pane.event(event, now),
    };
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
    active(state).map(|pane| pane.hints(&state.keys))
}
