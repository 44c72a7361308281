//! Mouse: a click focuses the pane under the pointer and selects the row; the wheel scrolls that pane.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::catalogue::ListRow;
use super::state::{Pane, State};
use super::update::leave_text;

const WHEEL_STEP: isize = 3;

pub(super) fn handle(state: &mut State, event: MouseEvent) {
    let at = Position { x: event.column, y: event.row };
    if let Some(offset) = state.help {
        // The wheel scrolls the help overlay; clicks do nothing under it.
        let delta = match event.kind {
            MouseEventKind::ScrollUp => -WHEEL_STEP,
            MouseEventKind::ScrollDown => WHEEL_STEP,
            _ => return,
        };
        let sections = state.keys.help(super::keys::Screen::Explorer);
        state.help = Some(super::help::scrolled(offset, delta, &sections, state.area));
        return;
    }
    let Some((pane, rect)) = pane_at(state, at) else { return };
    match event.kind {
        MouseEventKind::Down(MouseButton::Left) => click(state, pane, rect, at),
        MouseEventKind::ScrollUp => scroll(state, pane, -WHEEL_STEP),
        MouseEventKind::ScrollDown => scroll(state, pane, WHEEL_STEP),
        _ => {}
    }
}

fn pane_at(state: &State, at: Position) -> Option<(Pane, Rect)> {
    let l = &state.layout;
    [(Pane::Catalogue, l.catalogue), (Pane::Editor, l.editor), (Pane::Response, l.response), (Pane::Auth, l.auth)]
        .into_iter()
        .find(|(_, rect)| rect.contains(at))
}

/// The row inside a bordered pane, counting from its first inner line, or `None` on the border.
fn inner_row(rect: Rect, at: Position, lines_above: u16) -> Option<usize> {
    let first = rect.y + 1 + lines_above;
    (at.y >= first && at.y < rect.bottom().saturating_sub(1)).then(|| usize::from(at.y - first))
}

fn click(state: &mut State, pane: Pane, rect: Rect, at: Position) {
    if pane != state.focus || state.typing() {
        leave_text(state);
    }
    state.focus = pane;
    match pane {
        Pane::Catalogue => {
            let Some(row) = inner_row(rect, at, 0) else { return };
            let rows = state.catalogue.rows();
            if let Some(ListRow::Operation(index)) = rows.get(state.catalogue.offset + row) {
                state.catalogue.select_operation(*index);
                state.follow_selection();
            }
        }
        Pane::Editor => {
            // Two lines (title, URL) come before the list; the body sits below the list.
            let Some(row) = inner_row(rect, at, 2) else { return };
            if row < state.editor.height {
                state.editor.select_row(state.editor.offset + row);
            } else if state.editor.draft().is_some_and(|d| d.body.is_some()) {
                state.editor.body_active = true;
            }
        }
        Pane::Response => {
            let width = usize::from(rect.width.saturating_sub(2));
            let summary = state.response.shown.as_ref().map_or(0, |s| s.summary_lines(width));
            let above = u16::try_from(1 + summary).unwrap_or(u16::MAX);
            let Some(row) = inner_row(rect, at, above) else { return };
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
