//! The response pane: status, timing and size; a ZorgAPIs error in words; the body as coloured JSON or text.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme;
use super::widgets::{fit_line, inner, pane_block, safe, truncate_end};
use crate::app::{BodyView, Shown, State};
use crate::json::{Container, Row, RowToken};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    let response = &state.response;
    let title = if response.show_headers { " Response headers " } else { " Response " };
    frame.render_widget(pane_block(Line::from(title), focused), area);
    let inner = inner(area);
    if inner.height == 0 {
        return;
    }
    let width = usize::from(inner.width);
    let status_area = Rect { height: 1, ..inner };
    let rest = Rect { y: inner.y + 1, height: inner.height - 1, ..inner };
    frame.render_widget(Paragraph::new(fit_line(status_line(state), width)), status_area);

    if response.in_flight.is_none()
        && let Some(failure) = &response.failure
    {
        let message = Paragraph::new(Line::styled(safe(&failure.message).into_owned(), theme::error()))
            .wrap(Wrap { trim: false });
        frame.render_widget(message, rest);
        return;
    }
    let Some(shown) = &response.shown else { return };
    let summary = summary_lines(shown, width);
    let summary_height = u16::try_from(summary.len()).unwrap_or(0).min(rest.height);
    frame.render_widget(Paragraph::new(summary), Rect { height: summary_height, ..rest });
    let body_area = Rect { y: rest.y + summary_height, height: rest.height - summary_height, ..rest };
    let lines = body_lines(state, shown, usize::from(body_area.height), width, focused);
    frame.render_widget(Paragraph::new(lines), body_area);
}

/// The first line: the request on its way, the failure, or status, time, size and type of the last response.
fn status_line(state: &State) -> Vec<Span<'static>> {
    let response = &state.response;
    if let Some(flight) = &response.in_flight {
        let spin = theme::spinner(state.spinner);
        let waited = state.now.saturating_duration_since(flight.started).as_secs_f64();
        return vec![
            Span::styled(format!("{spin} "), theme::info()),
            Span::raw(safe(&flight.label).into_owned()),
            Span::styled(format!("  {waited:.1} s  Esc cancels"), theme::dim()),
        ];
    }
    if let Some(failure) = &response.failure {
        return vec![Span::styled("✗ ", theme::error()), Span::raw(safe(&failure.label).into_owned())];
    }
    let Some(shown) = &response.shown else {
        return vec![Span::styled("Pick an endpoint and press Enter to send it", theme::dim())];
    };
    let mut line = vec![
        Span::styled(format!("{} {}", shown.status, safe(&shown.reason)), theme::status(shown.status)),
        Span::styled(format!("  {} ms", shown.elapsed.as_millis()), theme::dim()),
        Span::styled(format!("  {}", human_size(shown.size)), theme::dim()),
    ];
    if let Some(content_type) = &shown.content_type {
        line.push(Span::styled(format!("  {}", safe(content_type)), theme::dim()));
    }
    line.push(Span::styled(format!("  {}", safe(&shown.label)), theme::dim()));
    line
}

/// A ZorgAPIs error in words, or why a body said to be JSON is shown as text.
fn summary_lines(shown: &Shown, width: usize) -> Vec<Line<'static>> {
    let mut summary = Vec::new();
    if let Some(error) = &shown.api_error {
        summary.push(fit_line(
            vec![
                Span::styled(format!("{} ", safe(&error.kind)), theme::error()),
                Span::raw(safe(&error.message).into_owned()),
            ],
            width,
        ));
        for detail in error.details.iter().take(3) {
            let location = detail.location.as_deref().map(|l| format!("{}: ", safe(l))).unwrap_or_default();
            summary.push(fit_line(
                vec![
                    Span::styled(format!("  • {location}"), theme::info()),
                    Span::raw(safe(&detail.message).into_owned()),
                ],
                width,
            ));
        }
    }
    if let Some(problem) = &shown.invalid_json {
        summary.push(fit_line(vec![Span::styled(format!("Shown as text: {problem}"), theme::info())], width));
    }
    summary
}

fn body_lines(state: &State, shown: &Shown, height: usize, width: usize, focused: bool) -> Vec<Line<'static>> {
    let response = &state.response;
    if response.show_headers {
        return shown
            .headers
            .iter()
            .skip(response.header_offset)
            .take(height)
            .map(|(name, value)| {
                fit_line(
                    vec![Span::styled(format!("{}: ", safe(name)), theme::info()), Span::raw(safe(value).into_owned())],
                    width,
                )
            })
            .collect();
    }
    match &shown.body {
        BodyView::Json(inspector) => {
            let cursor = inspector.cursor();
            inspector
                .rows(inspector.offset(), height)
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    let line = json_line(row, width);
                    if focused && inspector.offset() + i == cursor { line.style(theme::selected(true)) } else { line }
                })
                .collect()
        }
        BodyView::Text { lines, offset } => {
            lines.iter().skip(*offset).take(height).map(|l| Line::raw(truncate_end(l, width).into_owned())).collect()
        }
        BodyView::Empty => {
            let kind = shown.content_type.as_deref().map(|t| format!(" ({})", safe(t))).unwrap_or_default();
            vec![Line::styled(format!("(empty body{kind})"), theme::dim())]
        }
    }
}

/// One JSON row, indented and coloured; the text is escaped so a value cannot drive the terminal.
fn json_line(row: &Row, width: usize) -> Line<'static> {
    let mut spans = vec![Span::raw("  ".repeat(row.depth))];
    if let Some(key) = &row.key {
        let quoted = serde_json::to_string(key).unwrap_or_default();
        spans.push(Span::styled(safe(&quoted).into_owned(), theme::json_key()));
        spans.push(Span::styled(": ", theme::json_punctuation()));
    }
    let bracket = |c: Container, open: bool| match (c, open) {
        (Container::Object, true) => "{",
        (Container::Object, false) => "}",
        (Container::Array, true) => "[",
        (Container::Array, false) => "]",
    };
    match &row.token {
        RowToken::Open(c) => spans.push(Span::styled(bracket(*c, true), theme::json_punctuation())),
        RowToken::Close(c) => spans.push(Span::styled(bracket(*c, false), theme::json_punctuation())),
        RowToken::Folded { container, children } => {
            let (text, unit) = match container {
                Container::Object => ("{…}", if *children == 1 { "key" } else { "keys" }),
                Container::Array => ("[…]", if *children == 1 { "item" } else { "items" }),
            };
            spans.push(Span::styled(text, theme::json_punctuation()));
            spans.push(Span::styled(format!(" {children} {unit}"), theme::dim()));
        }
        RowToken::Scalar { kind, text } => spans.push(Span::styled(safe(text).into_owned(), theme::json_scalar(*kind))),
    }
    if row.comma {
        spans.push(Span::styled(",", theme::json_punctuation()));
    }
    fit_line(spans, width)
}

/// `1234` → `1.2 KB`: sizes as people read them.
pub fn human_size(bytes: usize) -> String {
    #[allow(clippy::cast_precision_loss)] // display only
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.1} KB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    }
}
