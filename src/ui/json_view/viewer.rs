//! `zorgtui view` on the whole screen: a title line (what is shown, its size, where it is read from), the
//! inspector, and a status line with a message or the keys.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::help;
use super::super::theme;
use super::super::widgets::{fit_line, hints_line, safe, wrap_text};
use super::Look;
use crate::app::{NoticeKind, ScreenKind, ViewerState, human_bytes};

/// Draws the viewer, in its theme.
pub fn draw(frame: &mut Frame, state: &ViewerState) {
    crate::ui::theme::with(state.appearance, || draw_viewer(frame, state));
    super::super::widgets::defuse(frame.buffer_mut());
}

fn draw_viewer(frame: &mut Frame, state: &ViewerState) {
    let screen = state.area;
    let crate::app::layout::ViewerLayout { title: top, body, status } = state.layout();
    let width = usize::from(screen.width);
    frame.render_widget(Paragraph::new(title_line(state, width)), top);
    let spin = crate::ui::theme::spinner(state.spinner);
    if let Some(pane) = &state.pane {
        let stop_key = state.keys.inspector.name(crate::app::InspectorCommand::Back);
        super::draw(frame, body, pane, &Look { focused: true, spinner: state.spinner, now: state.now, stop_key });
    } else if let Some(opening) = &state.opening {
        let seconds = state.now.saturating_duration_since(opening.started).as_secs_f64();
        let progress = match opening.progress {
            Some((done, total)) if total > 0 => {
                format!("  {}% of {}", done.saturating_mul(100) / total, human_bytes(total))
            }
            _ => String::new(),
        };
        let line = Line::styled(
            format!("{spin} Reading and indexing {}…{progress}  {seconds:.1} s", safe(&state.name)),
            theme::info(),
        );
        frame.render_widget(Paragraph::new(line), body);
    } else if let Some(failure) = &state.failure {
        let text = Paragraph::new(wrap_text(&safe(failure), theme::error(), usize::from(body.width)));
        frame.render_widget(text, body);
    }
    frame.render_widget(Paragraph::new(status_line(state, width)), status);
    if let Some(offset) = state.help {
        help::draw_sections(
            frame,
            screen,
            offset,
            &state.keys.help(ScreenKind::Viewer),
            crate::app::help_title(&state.keys),
        );
    }
}

/// ` name  12.3 MB  on disk  (shown as text: invalid JSON at line 3, column 5: …)`.
fn title_line(state: &ViewerState, width: usize) -> Line<'static> {
    let mut spans = vec![Span::styled(format!(" {} ", safe(&state.name)), theme::key())];
    if let Some(pane) = &state.pane {
        // While stdin is still being read, the pane holds only its start: say how much has come.
        let size = match pane.indexing().filter(|i| i.arriving) {
            Some(indexing) => format!("{} so far", human_bytes(indexing.done)),
            None => human_bytes(pane.whole().source.len()),
        };
        spans.push(Span::styled(format!("  {size}"), theme::dim()));
        let place = if pane.file_backed() { "read from disk" } else { "in memory" };
        spans.push(Span::styled(format!("  {place}"), theme::dim()));
        if let Some(error) = pane.parse_error() {
            spans.push(Span::styled(format!("  shown as text: {error}"), theme::error()));
        } else if pane.whole().tree.is_none() {
            spans.push(Span::styled("  not JSON: shown as text", theme::info()));
        }
    }
    fit_line(spans, width)
}

fn status_line(state: &ViewerState, width: usize) -> Line<'static> {
    if let Some(notice) = &state.notice {
        let style = if notice.kind == NoticeKind::Error { theme::error() } else { theme::info() };
        return fit_line(vec![Span::styled(safe(&notice.text).into_owned(), style)], width);
    }
    hints_line(&state.hints(), width)
}
