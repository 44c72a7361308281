//! Mouse: a click focuses the pane under the pointer and selects the row; the wheel scrolls that pane (or the help).
//! Over the History or Variables view, the view has the mouse (see `day::view_mouse`). Where the rows are comes from
//! the layout, as the screen drew them.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::catalogue::ListRow;
use super::effect::Effect;
use super::keys::ScreenKind;
use super::state::{Pane, State};
use super::update::leave_text;

const WHEEL_STEP: isize = 3;

pub(super) fn handle(state: &mut State, event: MouseEvent) -> Vec<Effect> {
    let at = Position { x: event.column, y: event.row };
    if let Some(offset) = state.help {
        // The wheel scrolls the help overlay; clicks do nothing under it.
        let delta = match event.kind {
            MouseEventKind::ScrollUp => -WHEEL_STEP,
            MouseEventKind::ScrollDown => WHEEL_STEP,
            _ => return Vec::new(),
        };
        let sections = state.keys.help(ScreenKind::Explorer);
        state.help = Some(super::help::scrolled(offset, delta, &sections, state.area));
        return Vec::new();
    }
    if state.day.prompt.is_some() || state.question.is_some() {
        return Vec::new();
    }
    if state.day.view.is_some() {
        let list = super::layout::day_view_list(state.area);
        match event.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                return row_in(list, at).map(|row| super::day::view_click(state, row)).unwrap_or_default();
            }
            MouseEventKind::ScrollUp => super::day::view_wheel(state, -WHEEL_STEP),
            MouseEventKind::ScrollDown => super::day::view_wheel(state, WHEEL_STEP),
            _ => {}
        }
        return Vec::new();
    }
    let Some(pane) = state.layout.pane_at(at.x, at.y) else { return Vec::new() };
    match event.kind {
        MouseEventKind::Down(MouseButton::Left) => click(state, pane, at),
        MouseEventKind::ScrollUp => scroll(state, pane, -WHEEL_STEP),
        MouseEventKind::ScrollDown => scroll(state, pane, WHEEL_STEP),
        _ => {}
    }
    Vec::new()
}

/// The row of `rect` under the pointer, counting from its first row.
fn row_in(rect: Rect, at: Position) -> Option<usize> {
    rect.contains(at).then(|| usize::from(at.y - rect.y))
}

fn click(state: &mut State, pane: Pane, at: Position) {
    if pane != state.focus || state.typing() {
        leave_text(state);
    }
    state.focus = pane;
    let layout = state.layout;
    match pane {
        Pane::Catalogue => {
            let Some(row) = row_in(layout.catalogue_list, at) else { return };
            let rows = state.catalogue.rows();
            if let Some(ListRow::Operation(index)) = rows.get(state.catalogue.offset + row) {
                state.catalogue.select_operation(*index);
                state.follow_selection();
            }
        }
        Pane::Editor => {
            if let Some(row) = row_in(layout.editor_list, at) {
                state.editor.select_row(state.editor.offset + row);
            } else if layout.editor_body.is_some_and(|body| body.contains(at)) {
                state.editor.body_active = true;
            }
        }
        Pane::Response => {
            let Some(row) = row_in(layout.response_body, at) else { return };
            if !state.response.show_headers
                && let Some(pane) = state.response.pane_mut()
            {
                pane.click(row);
            }
        }
        Pane::Auth => {}
    }
}

fn scroll(state: &mut State, pane: Pane, delta: isize) {
    match pane {
        Pane::Catalogue => {
            state.catalogue.scroll_by(delta);
            state.follow_selection();
        }
        Pane::Editor => state.editor.move_by(delta),
        Pane::Response => state.response.scroll_by(delta),
        Pane::Auth => {}
    }
}
