//! The `?` overlay: every key, grouped by pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::theme;
use super::widgets::{inner, pane_block};
use crate::app::{HELP_KEY_COLUMN as KEY_COLUMN, HelpRow, HelpSection, help_area, help_rows};

/// The overlay with the given sections (each screen shows its own, from its key tables).
pub fn draw_sections(frame: &mut Frame, screen: Rect, offset: usize, sections: &[HelpSection], title: String) {
    let area = help_area(screen, sections);
    frame.render_widget(Clear, area);
    frame.render_widget(pane_block(Line::from(title), true), area);
    let body = inner(area);
    let text_column = " ".repeat(KEY_COLUMN);
    let rows = help_rows(sections, usize::from(body.width));
    let offset = offset.min(rows.len().saturating_sub(usize::from(body.height)));
    let lines: Vec<Line> = rows
        .into_iter()
        .skip(offset)
        .take(usize::from(body.height))
        .map(|row| match row {
            HelpRow::Heading(title) => Line::styled(title, theme::heading()),
            HelpRow::Key(key, text) => Line::from(vec![
                Span::styled(format!("  {key:<width$}", width = KEY_COLUMN - 2), theme::info()),
                Span::raw(text),
            ]),
            HelpRow::More(text) => Line::raw(format!("{text_column}{text}")),
            HelpRow::Blank => Line::default(),
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}
