//! The JSON inspector on screen: the tree or the raw lines, and under them one line with the cursor's path, the
//! search, the filter and the modes, or the open field. Shared by the response pane and `zorgtui view`.

mod tree;
mod viewer;

pub use viewer::draw as draw_viewer;

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use super::widgets::{fit_line, safe, shorten_middle, width};
use crate::app::{Activity, ActivityKind, DocView, InspectorPane, PromptKind, RawPane, raw_gutter};
use crate::json::{Access, is_not_read};

/// What the drawing needs besides the pane: whether it has the keyboard, and the animation clock.
#[derive(Debug, Clone)]
pub struct Look {
    pub focused: bool,
    pub spinner: usize,
    pub now: Instant,
    /// The key that stops a running search or filter, to name it.
    pub stop_key: String,
}

/// Draws the pane into `area`: the document's rows, then the info line (when there are two rows or more).
pub fn draw(frame: &mut Frame, area: Rect, pane: &InspectorPane, look: &Look) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let info_height = u16::from(area.height >= 2);
    let body = Rect { height: area.height - info_height, ..area };
    let width = usize::from(area.width);
    let height = usize::from(body.height);
    let view = pane.view();
    let lines = if view.showing_raw() {
        match &view.raw {
            Some(raw) => raw_lines(raw, view, height, width, pane.wrap(), look.focused),
            None => vec![Line::styled(format!("{} counting lines…", spin(look)), theme::info())],
        }
    } else {
        view.tree.as_ref().map(|t| tree::lines(t, height, width, pane.wrap(), look.focused)).unwrap_or_default()
    };
    frame.render_widget(Paragraph::new(lines), body);
    if info_height == 1 {
        let info = Rect { y: area.bottom() - 1, height: 1, ..area };
        draw_info_line(frame, info, pane, look);
    }
}

fn spin(look: &Look) -> char {
    super::theme::spinner(look.spinner)
}

/// Raw lines with a line-number gutter; matches of the search marked.
fn raw_lines(
    raw: &RawPane,
    view: &DocView,
    height: usize,
    width: usize,
    wrap: bool,
    focused: bool,
) -> Vec<Line<'static>> {
    // From what memory holds: lines of a file not read yet stay blank until a job has read them.
    let lines = match raw.text.held_lines(raw.offset(), height) {
        Ok(lines) => lines,
        Err(e) if is_not_read(&e) => return Vec::new(),
        Err(e) => return vec![tree::unreadable(&e)],
    };
    let digits = raw.line_count().max(1).to_string().len();
    let query = view.line_matches.as_ref().and(view.query.as_deref());
    let mut rows = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let number = raw.offset() + i;
        let mut spans = vec![Span::styled(raw_gutter(number, raw.line_count()), theme::dim())];
        let matched = view.line_matches.as_ref().filter(|m| m.lines.binary_search(&number).is_ok());
        let current = matched.is_some_and(|m| m.current.map(|c| m.lines[c]) == Some(number));
        spans.extend(tree::marked(&safe(&line.text), Style::new(), query.filter(|_| matched.is_some()), current));
        if line.clipped {
            spans.push(Span::styled("…", theme::dim()));
        }
        let mut row = if wrap { tree::wrap_spans(&spans, width, digits + 3) } else { vec![fit_line(spans, width)] };
        if number == raw.cursor() && raw.skip() > 0 {
            // Scrolled into a line taller than the screen: it is the top line, shown from its `skip`-th row.
            row.drain(..raw.skip().min(row.len().saturating_sub(1)));
        }
        rows.push(row);
    }
    let at_cursor = raw.cursor().saturating_sub(raw.offset());
    tree::stack(rows, focused.then_some(at_cursor), at_cursor, height)
}

/// The open field, or where the cursor is and what is in effect.
fn draw_info_line(frame: &mut Frame, area: Rect, pane: &InspectorPane, look: &Look) {
    let columns = usize::from(area.width);
    if let Some(prompt) = pane.prompt() {
        let label = prompt.label();
        let label_width = u16::try_from(columns.min(width_of(&label))).unwrap_or(0);
        frame.render_widget(Paragraph::new(Span::styled(label, theme::info())), Rect { width: label_width, ..area });
        if matches!(prompt.kind, PromptKind::Overwrite(_)) {
            return;
        }
        let status = if prompt.kind == PromptKind::Search { search_count(pane, look) } else { Vec::new() };
        let status_width = u16::try_from(status.iter().map(|s| width_of(&s.content)).sum::<usize>())
            .unwrap_or(0)
            .min(area.width.saturating_sub(label_width + 10));
        let field =
            Rect { x: area.x + label_width, width: area.width.saturating_sub(label_width + status_width), ..area };
        frame.render_widget(&prompt.input, field);
        if status_width > 0 {
            let at = Rect { x: area.right() - status_width, width: status_width, ..area };
            frame.render_widget(Paragraph::new(fit_line(status, usize::from(status_width))), at);
        }
        return;
    }
    let right = info_right(pane, look);
    let right_width = right.iter().map(|s| width_of(&s.content)).sum::<usize>();
    let left_room = columns.saturating_sub(right_width + 2);
    let view = pane.view();
    let left = if view.showing_raw() {
        view.raw.as_ref().map_or_else(String::new, |r| {
            let line = format!("line {} of {}", r.cursor() + 1, r.line_count());
            let rows = if pane.wrap() { r.cursor_rows() } else { 1 };
            if rows > 1 { format!("{line}, row {} of {rows}", r.skip() + 1) } else { line }
        })
    } else {
        // The path's keys may lie in pages of a file not read yet: the path shows once they are.
        view.tree.as_ref().and_then(|t| t.cursor_path(Access::Held).ok()).unwrap_or_default()
    };
    let left = shorten_middle(&safe(&left), left_room).into_owned();
    let gap = columns.saturating_sub(width_of(&left) + right_width);
    let mut spans = vec![Span::styled(left, theme::info()), Span::raw(" ".repeat(gap))];
    spans.extend(right);
    frame.render_widget(Paragraph::new(fit_line(spans, columns)), area);
}

fn width_of(text: &str) -> usize {
    width(text)
}

/// Right of the info line: the running job, the search, the filter, the modes.
fn info_right(pane: &InspectorPane, look: &Look) -> Vec<Span<'static>> {
    let mut spans = search_status(pane, look);
    if let Some(filtered) = pane.filtered() {
        let plural = if filtered.results == 1 { "result" } else { "results" };
        spans.push(Span::styled(
            format!("  | {} → {} {plural}", shorten_middle(&safe(&filtered.expr), 40), filtered.results),
            theme::info(),
        ));
    }
    if let Some(activity) = pane.activity().filter(|a| a.kind == ActivityKind::Filtering) {
        spans.push(Span::styled(format!("  {}", activity_text(activity, look)), theme::info()));
    }
    spans.extend(indexing_status(pane, look));
    let mut modes = Vec::new();
    if pane.wrap() {
        modes.push("wrap");
    }
    if pane.view().raw_mode {
        modes.push("raw");
    }
    if pane.file_backed() {
        modes.push("on disk");
    }
    let pending = pane.pending().map(|key| format!("{key}…"));
    if let Some(pending) = &pending {
        modes.push(pending);
    }
    if !modes.is_empty() {
        spans.push(Span::styled(format!("  [{}]", modes.join("] [")), theme::dim()));
    }
    spans
}

/// While a preview shows: how far the whole index is, and a filter that waits for it; once the document broke past
/// the preview, where.
fn indexing_status(pane: &InspectorPane, look: &Look) -> Vec<Span<'static>> {
    let Some(indexing) = pane.indexing() else { return Vec::new() };
    if let Some(error) = &indexing.broken {
        let text = if error.line > 0 {
            format!("  breaks at line {}, column {}: shown is the start", error.line, error.column)
        } else {
            format!("  {}: shown is the start", error.message)
        };
        return vec![Span::styled(text, theme::error())];
    }
    let spinner = crate::ui::theme::spinner(look.spinner);
    let mut spans = vec![Span::styled(format!("  {spinner} {}", indexing.progress()), theme::info())];
    if indexing.waiting_filter.is_some() {
        spans.push(Span::styled(format!("  filter waits, {} stops", look.stop_key), theme::info()));
    }
    spans
}

/// `/query 3/120`, or the search's progress.
fn search_status(pane: &InspectorPane, look: &Look) -> Vec<Span<'static>> {
    let Some(query) = &pane.view().query else { return search_count(pane, look) };
    let query = shorten_middle(&safe(query), 30).into_owned();
    let mut spans = vec![Span::styled(format!("/{query} "), theme::dim())];
    spans.extend(search_count(pane, look));
    spans
}

/// `3/120`, `12 matches`, `no match`, or the search's progress.
fn search_count(pane: &InspectorPane, look: &Look) -> Vec<Span<'static>> {
    if let Some(activity) = pane.activity().filter(|a| a.kind == ActivityKind::Searching) {
        return vec![Span::styled(activity_text(activity, look), theme::info())];
    }
    let count = match pane.view().match_position() {
        Some((_, 0)) => "no match".to_string(),
        Some((Some(current), count)) => format!("{current}/{count}"),
        Some((None, 1)) => "1 match".to_string(),
        Some((None, count)) => format!("{count} matches"),
        None => return Vec::new(),
    };
    vec![Span::styled(count, theme::info())]
}

fn activity_text(activity: Activity, look: &Look) -> String {
    let spinner = spin(look);
    if let Some(percent) = activity.percent {
        return format!("{spinner} {} {percent}%", activity.kind.label());
    }
    let seconds = look.now.saturating_duration_since(activity.started).as_secs_f64();
    format!("{spinner} {} {seconds:.1} s  {} stops", activity.kind.label(), look.stop_key)
}
