//! The bottom line: a message when there is one, else the keys that work here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use super::theme;
use super::widgets::{hints_line, safe, wrap_text};
use crate::app::{NoticeKind, State, key_hints};

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let width = usize::from(area.width);
    if let Some(notice) = &state.notice {
        let style = match notice.kind {
            NoticeKind::Info => theme::info(),
            NoticeKind::Error => theme::error(),
        };
        // A message is read whole: the bar takes the lines it needs (the layout gives it up to four).
        frame.render_widget(Paragraph::new(wrap_text(&safe(&notice.text), style, width)), area);
        return;
    }
    frame.render_widget(Paragraph::new(hints_line(&key_hints(state), width)), area);
}
