//! The mouse over the History and Variables views: a click selects the row under the pointer, a click on the row
//! already selected opens it (the response, or the variable to change), and the wheel moves the selection. Which
//! row is where comes from the view's offset, as the screen drew it.

use super::{DayView, history_command, variables_command};
use crate::app::effect::Effect;
use crate::app::keys::{HistoryCommand, VariablesCommand};
use crate::app::state::State;

/// A click on the `row`th row of the view's list.
pub(in crate::app) fn click(state: &mut State, row: usize) -> Vec<Effect> {
    match &mut state.day.view {
        Some(DayView::History(view)) => {
            let index = view.offset + row;
            if index >= view.visible.len() {
                return Vec::new();
            }
            if index == view.cursor {
                return history_command(state, HistoryCommand::Open);
            }
            view.cursor = index;
        }
        Some(DayView::Variables(view)) => {
            let index = view.offset + row;
            if index >= state.day.variables.len() {
                return Vec::new();
            }
            if index == view.cursor {
                return variables_command(state, VariablesCommand::Edit);
            }
            view.cursor = index;
        }
        None => {}
    }
    Vec::new()
}

/// The wheel over the view: the selection moves by `delta` rows, and the list follows it.
pub(in crate::app) fn wheel(state: &mut State, delta: isize) {
    let last = state.day.variables.len().saturating_sub(1);
    match &mut state.day.view {
        Some(DayView::History(view)) => view.move_by(delta),
        Some(DayView::Variables(view)) => view.cursor = view.cursor.saturating_add_signed(delta).min(last),
        None => {}
    }
}
