//! The auth pane: who is signed in, to which issuer.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use super::widgets::{fit_line, inner, pane_block, safe};
use crate::app::State;
use crate::auth::AuthStatus;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    let block = pane_block(Line::from(" Sign-in "), focused);
    frame.render_widget(block, area);
    let inner = inner(area);
    let width = usize::from(inner.width);
    let profile = &state.profile;
    let status = match &state.auth {
        AuthStatus::SignedOut => Span::styled("● Signed out", Style::new().fg(Color::Yellow)),
        other => Span::raw(format!("{other:?}")),
    };
    let first = vec![
        status,
        Span::styled("  profile ", theme::dim()),
        Span::raw(safe(&profile.name).into_owned()),
        Span::styled("  issuer ", theme::dim()),
        Span::raw(safe(&profile.issuer).into_owned()),
    ];
    let mut lines = vec![fit_line(first, width)];
    if inner.height > 1 {
        let second = vec![
            Span::styled("client ", theme::dim()),
            Span::raw(safe(&profile.client_id).into_owned()),
            Span::styled("  API ", theme::dim()),
            Span::raw(safe(state.server_url()).into_owned()),
        ];
        lines.push(fit_line(second, width));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
