//! The `?` overlay: every key, grouped by pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::theme;
use super::widgets::{inner, pane_block};
use crate::app::{HelpSection, help_sections};

pub fn draw(frame: &mut Frame, screen: Rect, offset: usize) {
    draw_sections(frame, screen, offset, help_sections());
}

/// The overlay with the given sections (`zorgtui view` shows its own).
pub fn draw_sections(frame: &mut Frame, screen: Rect, offset: usize, sections: &[HelpSection]) {
    let width = screen.width.saturating_sub(4).min(78);
    let height = screen.height.saturating_sub(2).min(40);
    let area =
        Rect { x: screen.x + (screen.width - width) / 2, y: screen.y + (screen.height - height) / 2, width, height };
    frame.render_widget(Clear, area);
    frame.render_widget(pane_block(Line::from(" Help — Esc closes, ↑↓ scroll "), true), area);
    let mut lines = Vec::new();
    for section in sections {
        lines.push(Line::styled(section.title, theme::heading()));
        for (key, action) in section.keys {
            lines.push(Line::from(vec![Span::styled(format!("  {key:<26}"), theme::info()), Span::raw(*action)]));
        }
        lines.push(Line::default());
    }
    let offset = offset.min(lines.len().saturating_sub(1));
    frame.render_widget(Paragraph::new(lines).scroll((u16::try_from(offset).unwrap_or(0), 0)), inner(area));
}
