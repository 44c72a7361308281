//! The response pane: status, timing and size; a ZorgAPIs error in words; the body as coloured JSON or text.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::json_view;
use super::theme;
use super::widgets::{fit_line, pane_block, safe, wrap_lines, wrap_text};
use crate::app::keys::ExplorerCommand;
use crate::app::{BodyView, Shown, State, human_bytes};

pub fn draw(frame: &mut Frame, state: &State, focused: bool) {
    let (response, layout) = (&state.response, &state.layout);
    let title = if response.show_headers { " Response headers " } else { " Response " };
    frame.render_widget(pane_block(Line::from(title), focused), layout.response);
    let status_area = layout.response_status;
    if status_area.height == 0 {
        return;
    }
    let width = usize::from(status_area.width);
    let rest = Rect { height: layout.response_summary.height + layout.response_body.height, ..layout.response_summary };
    frame.render_widget(Paragraph::new(fit_line(status_line(state), width)), status_area);

    if response.in_flight.is_none()
        && let Some(failure) = &response.failure
    {
        frame.render_widget(Paragraph::new(wrap_text(&safe(&failure.message), theme::error(), width)), rest);
        return;
    }
    let Some(shown) = &response.shown else { return };
    frame.render_widget(Paragraph::new(summary_lines(shown, width)), layout.response_summary);
    let body_area = layout.response_body;
    if let BodyView::Inspector(pane) = &shown.body
        && !response.show_headers
    {
        let stop_key = state.keys.inspector.name(crate::app::InspectorCommand::Back);
        let look = json_view::Look { focused, spinner: state.spinner, now: state.now, stop_key };
        json_view::draw(frame, body_area, pane, &look);
        return;
    }
    let lines = body_lines(state, shown, usize::from(body_area.height), width);
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
            Span::styled(
                format!("  {waited:.1} s  {} cancels", state.keys.explorer.name(ExplorerCommand::Back)),
                theme::dim(),
            ),
        ];
    }
    if let Some(failure) = &response.failure {
        return vec![Span::styled("✗ ", theme::error()), Span::raw(safe(&failure.label).into_owned())];
    }
    let Some(shown) = &response.shown else {
        let send = state.keys.explorer.name(ExplorerCommand::Activate);
        return vec![Span::styled(format!("Pick an endpoint and press {send} to send it"), theme::dim())];
    };
    if shown.claims {
        return vec![
            Span::styled("Claims", theme::heading()),
            Span::styled("  what the session's tokens say, decoded here (never their signatures)", theme::dim()),
        ];
    }
    let mut line = vec![
        Span::styled(format!("{} {}", shown.status, safe(&shown.reason)), theme::status(shown.status)),
        Span::styled(format!("  {}", elapsed(shown.elapsed)), theme::dim()),
        Span::styled(format!("  {}", human_bytes(shown.size)), theme::dim()),
    ];
    if let Some(page) = shown.page.as_ref().and_then(crate::workspace::paging::Page::describe) {
        let keys = &state.keys.explorer;
        let (previous, next) = (keys.name(ExplorerCommand::PreviousPage), keys.name(ExplorerCommand::NextPage));
        line.push(Span::styled(format!("  {page}"), theme::info()));
        line.push(Span::styled(format!(" ({previous} {next} pages)"), theme::dim()));
    }
    if !shown.links.is_empty() {
        let names: Vec<&str> = shown.links.iter().map(|l| l.name.as_str()).collect();
        let key = state.keys.response.name(crate::app::keys::ResponseCommand::FollowLink);
        line.push(Span::styled(format!("  links: {} ({key} follows)", safe(&names.join(", "))), theme::info()));
    }
    if state.response.pane().is_some_and(crate::app::InspectorPane::file_backed) {
        line.push(Span::styled(" in a temporary file", theme::info()));
    }
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
        let line = Line::from(vec![
            Span::styled(format!("{} ", safe(&error.kind)), theme::error()),
            Span::raw(safe(&error.message).into_owned()),
        ]);
        if shown.error_rows(width) == 1 {
            summary.push(fit_line(line.spans, width));
        } else {
            // Two rows: wrapped at words, what does not fit on the second cut with an ellipsis.
            let mut rows = wrap_lines(vec![line], width).into_iter();
            summary.extend(rows.next());
            let rest: Vec<Span<'static>> = rows.flat_map(|row| row.spans.into_iter().chain([Span::raw(" ")])).collect();
            summary.push(fit_line(rest, width));
        }
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

/// The headers, or what stands for a body that has nothing to inspect.
fn body_lines(state: &State, shown: &Shown, height: usize, width: usize) -> Vec<Line<'static>> {
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
    if let BodyView::Inspector(_) = &shown.body {
        return Vec::new();
    }
    let kind = shown.content_type.as_deref().map(|t| format!(" ({})", safe(t))).unwrap_or_default();
    vec![Line::styled(format!("(empty body{kind})"), theme::dim())]
}
/// `12 ms`; under a millisecond (a server on this machine) `0.4 ms`, not a bare 0.
fn elapsed(took: std::time::Duration) -> String {
    let ms = took.as_secs_f64() * 1000.0;
    if ms < 1.0 { format!("{ms:.1} ms") } else { format!("{} ms", took.as_millis()) }
}
