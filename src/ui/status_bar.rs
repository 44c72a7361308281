//! The bottom line: a message when there is one, else the keys that work here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Wrap};

use super::theme;
use super::widgets::{fit_line, safe};
use crate::app::{NoticeKind, State, key_hints};

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let width = usize::from(area.width);
    if let Some(notice) = &state.notice {
        let style = match notice.kind {
            NoticeKind::Info => theme::info(),
            NoticeKind::Error => theme::error(),
        };
        // A message is read whole: the bar takes the lines it needs (the layout gives it up to three).
        let text = Paragraph::new(Span::styled(safe(&notice.text).into_owned(), style)).wrap(Wrap { trim: true });
        frame.render_widget(text, area);
        return;
    }
    let line = {
        let mut spans = Vec::new();
        for hint in key_hints(state) {
            spans.push(Span::styled(format!(" {} ", hint.key), theme::key()));
            spans.push(Span::styled(format!(" {}  ", hint.action), theme::dim()));
        }
        fit_line(spans, width)
    };
    frame.render_widget(Paragraph::new(line), area);
}
