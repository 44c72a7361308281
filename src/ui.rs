//! Drawing: reads `&State`, draws a frame. No I/O, no clocks, nothing changes here.

mod auth_status;
mod day_views;
mod endpoint_list;
mod help;
mod json_view;
mod profiles;
mod request_editor;
mod response_view;
mod sign_in;
mod status_bar;
mod theme;
mod widgets;

use ratatui::Frame;

pub use json_view::draw_viewer;

/// A screen's state that knows how it is drawn.
pub trait Draw {
    fn draw(&self, frame: &mut Frame);
}

impl Draw for State {
    fn draw(&self, frame: &mut Frame) {
        draw(frame, self);
    }
}

impl Draw for crate::app::ViewerState {
    fn draw(&self, frame: &mut Frame) {
        draw_viewer(frame, self);
    }
}

use crate::app::{Pane, State};

/// Draws the whole screen into the state's layout (the run loop makes sure it is for this screen's size), in the
/// state's theme.
pub fn draw(frame: &mut Frame, state: &State) {
    theme::with(state.appearance, || draw_explorer(frame, state));
    widgets::defuse(frame.buffer_mut());
}

fn draw_explorer(frame: &mut Frame, state: &State) {
    let layout = &state.layout;
    auth_status::draw(frame, layout.auth, state, state.focus == Pane::Auth);
    endpoint_list::draw(frame, state, state.focus == Pane::Catalogue);
    request_editor::draw(frame, state, state.focus == Pane::Editor);
    response_view::draw(frame, state, state.focus == Pane::Response);
    status_bar::draw(frame, layout.status, state);
    if state.signing_in() {
        sign_in::draw(frame, frame.area(), state);
    }
    day_views::draw(frame, frame.area(), state);
    if let Some(selected) = state.profile_picker {
        profiles::draw_picker(frame, frame.area(), state, selected);
    }
    if let Some(question) = &state.question {
        profiles::draw_question(frame, frame.area(), state, question);
    }
    if let Some(offset) = state.help {
        let sections = state.keys.help(crate::app::ScreenKind::Explorer);
        help::draw_sections(frame, frame.area(), offset, &sections, crate::app::help_title(&state.keys));
    }
}
