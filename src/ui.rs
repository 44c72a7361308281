//! Drawing: reads `&State`, draws a frame. No I/O, no clocks, nothing changes here.

mod auth_status;
mod endpoint_list;
mod help;
mod json_view;
mod request_editor;
mod response_view;
mod sign_in;
mod status_bar;
mod theme;
mod widgets;

use ratatui::Frame;

pub use json_view::draw_viewer;

use crate::app::{Pane, State, panes};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, state: &State) {
    // Recomputed from the frame rather than taken from the state, so a resize draws right even before its event.
    let layout = panes(frame.area(), state.focus, state.status_lines());
    auth_status::draw(frame, layout.auth, state, state.focus == Pane::Auth);
    endpoint_list::draw(frame, layout.catalogue, state, state.focus == Pane::Catalogue);
    request_editor::draw(frame, layout.editor, state, state.focus == Pane::Editor);
    response_view::draw(frame, layout.response, state, state.focus == Pane::Response);
    status_bar::draw(frame, layout.status, state);
    if state.signing_in() {
        sign_in::draw(frame, frame.area(), state);
    }
    if let Some(offset) = state.help {
        let sections = state.keys.help(crate::app::Screen::Explorer);
        help::draw_sections(frame, frame.area(), offset, &sections, crate::app::help_title(&state.keys));
    }
}
