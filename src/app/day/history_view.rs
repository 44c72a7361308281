//! The History view: the profile's exchanges, newest first (method, path, status, age, size), filtered as you
//! type; one reopens in the response pane, goes back into the editor, or is sent again.

use ratatui_textarea::TextArea;

use super::{DayView, OpenPurpose, WorkspaceEffect};
use crate::app::editor::line_area;
use crate::app::effect::Effect;
use crate::app::keys::{ExplorerCommand, HistoryCommand};
use crate::app::state::State;
use crate::workspace::Summary;

/// The view's filter and cursor over `DayState::history`.
#[derive(Debug, Default)]
pub struct HistoryView {
    /// The filter in force.
    pub filter: String,
    /// The filter being typed, after `/`.
    pub filter_input: Option<TextArea<'static>>,
    /// Indices into the history (newest first) that pass the filter.
    pub visible: Vec<usize>,
    pub cursor: usize,
    pub offset: usize,
    /// Rows the list has on screen.
    pub height: usize,
}

impl HistoryView {
    pub fn active_filter(&self) -> String {
        match &self.filter_input {
            Some(input) => input.lines().first().cloned().unwrap_or_default(),
            None => self.filter.clone(),
        }
    }

    /// Applies the filter to `history`, keeping the cursor on the exchange it was on when it is still listed.
    pub(in crate::app) fn refilter(&mut self, history: &[Summary], keep: Option<&str>) {
        let needle = self.active_filter().trim().to_lowercase();
        self.visible = (0..history.len()).filter(|&i| haystack(&history[i]).contains(&needle)).collect();
        self.cursor = keep
            .and_then(|id| self.visible.iter().position(|&i| history[i].id == id))
            .unwrap_or(0)
            .min(self.visible.len().saturating_sub(1));
        self.follow_cursor();
    }

    /// The exchange under the cursor.
    pub fn selected<'a>(&self, history: &'a [Summary]) -> Option<&'a Summary> {
        self.visible.get(self.cursor).and_then(|&i| history.get(i))
    }

    pub(in crate::app) fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        self.cursor = self.cursor.saturating_add_signed(delta).min(self.visible.len() - 1);
        self.follow_cursor();
    }

    pub(in crate::app) fn fit(&mut self, height: u16) {
        self.height = usize::from(height).max(1);
        self.follow_cursor();
    }

    fn follow_cursor(&mut self) {
        let height = self.height.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + height {
            self.offset = self.cursor + 1 - height;
        }
        self.offset = self.offset.min(self.visible.len().saturating_sub(height));
    }
}

/// What the filter matches: method, path, status and what became of it.
fn haystack(summary: &Summary) -> String {
    let status = summary.status.map(|s| s.to_string()).unwrap_or_default();
    format!("{} {} {status} {}", summary.method, summary.path, summary.state.word()).to_lowercase()
}

/// The history key: opens the view, or closes it.
pub(in crate::app) fn toggle(state: &mut State) {
    if matches!(state.day.view, Some(DayView::History(_))) {
        state.day.view = None;
        return;
    }
    crate::app::update::leave_text(state);
    let mut view = HistoryView::default();
    view.refilter(&state.day.history, None);
    state.day.view = Some(DayView::History(Box::new(view)));
    if !state.profile.workspace.history {
        state.info(format!("Profile `{}` keeps no history (history = false in config.toml)", state.profile.label()));
    }
}

pub(in crate::app) fn history_command(state: &mut State, command: HistoryCommand) -> Vec<Effect> {
    let Some(DayView::History(view)) = &mut state.day.view else { return Vec::new() };
    let purpose = match command {
        HistoryCommand::Filter => {
            view.filter_input = Some(line_area(&view.filter));
            return Vec::new();
        }
        HistoryCommand::Open => OpenPurpose::Show,
        HistoryCommand::Edit => OpenPurpose::Edit,
        HistoryCommand::Resend => OpenPurpose::Resend,
    };
    let Some(id) = view.selected(&state.day.history).map(|s| s.id.clone()) else {
        state.info("No exchange selected");
        return Vec::new();
    };
    vec![Effect::Workspace(WorkspaceEffect::Open { profile_key: state.profile.store_key(), id, purpose })]
}

/// An explorer key while the view is open: the list moves, Esc steps back (the filter, then the view).
pub(in crate::app) fn explorer_key(state: &mut State, command: ExplorerCommand) -> bool {
    use ExplorerCommand as C;
    let Some(DayView::History(view)) = &mut state.day.view else { return false };
    let page = isize::try_from(view.height.saturating_sub(1).max(1)).unwrap_or(1);
    match command {
        C::Up => view.move_by(-1),
        C::Down => view.move_by(1),
        C::PageUp => view.move_by(-page),
        C::PageDown => view.move_by(page),
        C::Top => view.move_by(isize::MIN / 2),
        C::Bottom => view.move_by(isize::MAX / 2),
        C::Back if !view.filter.is_empty() => {
            view.filter.clear();
            let keep = view.selected(&state.day.history).map(|s| s.id.clone());
            view.refilter(&state.day.history, keep.as_deref());
        }
        C::Back => state.day.view = None,
        _ => return false,
    }
    true
}

/// A key for the filter being typed: Enter keeps it, Esc gives it up, anything else types.
pub(in crate::app) fn filter_key(state: &mut State, key: FilterKey) {
    let keys = std::sync::Arc::clone(&state.keys);
    let Some(DayView::History(view)) = &mut state.day.view else { return };
    let Some(input) = &mut view.filter_input else { return };
    match key {
        FilterKey::Keep => {
            view.filter = input.lines().first().cloned().unwrap_or_default();
            view.filter_input = None;
        }
        FilterKey::Leave => {
            view.filter_input = None;
            view.filter.clear();
        }
        FilterKey::Type(event) => {
            crate::app::text_field::type_key(input, &keys.text, event);
        }
        FilterKey::Paste(text) => {
            input.insert_str(text.replace(['\n', '\r'], ""));
        }
    }
    view.refilter(&state.day.history, None);
}

/// What reaches the filter.
pub(in crate::app) enum FilterKey {
    Keep,
    Leave,
    Type(ratatui::crossterm::event::KeyEvent),
    Paste(String),
}

/// Whether the view's filter has the keyboard.
pub(in crate::app) fn filtering(state: &State) -> bool {
    matches!(&state.day.view, Some(DayView::History(view)) if view.filter_input.is_some())
}
