//! The day's views over the panes: the History (newest first: method, path, status, age, size; filtered as you
//! type), the Variables, and the field a name or value is typed into.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::theme;
use super::widgets::{fit_line, inner, pane_block, safe};
use crate::app::State;
use crate::app::day::{DayView, HistoryView, NamePrompt, VariablesView};
use crate::app::keys::{ExplorerCommand, HistoryCommand, TextCommand, VariablesCommand};
use crate::app::layout::{day_view, day_view_list, dialog};

pub fn draw(frame: &mut Frame, screen: Rect, state: &State) {
    match &state.day.view {
        Some(DayView::History(view)) => draw_history(frame, screen, state, view),
        Some(DayView::Variables(view)) => draw_variables(frame, screen, state, view),
        None => {}
    }
    if let Some(prompt) = &state.day.prompt {
        draw_prompt(frame, screen, state, prompt);
    }
}

fn draw_history(frame: &mut Frame, screen: Rect, state: &State, view: &HistoryView) {
    let area = day_view(screen);
    let title = format!(" History · {} · {} kept ", safe(&state.profile.label()), state.day.history.len());
    frame.render_widget(Clear, area);
    frame.render_widget(pane_block(Line::from(title), true), area);
    let list = day_view_list(screen);
    let width = usize::from(list.width);
    let now_ms = state.wall.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
    let mut lines = Vec::new();
    for (row, &index) in view.visible.iter().enumerate().skip(view.offset).take(usize::from(list.height)) {
        let Some(summary) = state.day.history.get(index) else { continue };
        let status = match summary.status {
            Some(status) if summary.state == crate::workspace::ExchangeState::Complete => {
                Span::styled(format!("{status:<4}"), theme::status(status))
            }
            Some(status) => Span::styled(format!("{status} {}", summary.state.word()), theme::info()),
            None => Span::styled(format!("{:<4}", summary.state.word()), theme::error()),
        };
        let age = age(now_ms.saturating_sub(u128::from(summary.at_ms)));
        let size = summary.size.map(crate::text::human_bytes).unwrap_or_default();
        let method = crate::api::Method::parse(&summary.method).unwrap_or(crate::api::Method::Get);
        let spans = vec![
            Span::styled(format!(" {:<6} ", method.as_str()), theme::method(method)),
            status,
            Span::styled(format!(" {age:>4} {size:>8}  "), theme::dim()),
            Span::raw(safe(&summary.path).into_owned()),
        ];
        let line = fit_line(spans, width);
        lines.push(if row == view.cursor { line.style(theme::selected(true)) } else { line });
    }
    if lines.is_empty() {
        let text = if state.day.history.is_empty() {
            if state.profile.workspace.history {
                "Nothing yet: every request you send is kept here".to_string()
            } else {
                "This profile keeps no history (history = false)".to_string()
            }
        } else {
            "Nothing matches the filter".to_string()
        };
        lines.push(Line::styled(text, theme::dim()));
    }
    frame.render_widget(Paragraph::new(lines), list);
    let bottom = Rect { y: list.bottom(), height: 1, ..list };
    if let Some(input) = &view.filter_input {
        frame.render_widget(Paragraph::new(Span::styled("/", theme::info())), bottom);
        frame.render_widget(input, Rect { x: bottom.x + 1, width: bottom.width.saturating_sub(1), ..bottom });
    } else {
        let keys = &state.keys.history;
        let mut hint = format!(
            "{} response · {} to editor · {} send again · {} filter · {} close",
            keys.name(HistoryCommand::Open),
            keys.name(HistoryCommand::Edit),
            keys.name(HistoryCommand::Resend),
            keys.name(HistoryCommand::Filter),
            state.keys.explorer.name(ExplorerCommand::Back),
        );
        if !view.filter.is_empty() {
            hint = format!("filter: {} · {hint}", view.filter);
        }
        frame.render_widget(
            Paragraph::new(fit_line(vec![Span::styled(safe(&hint).into_owned(), theme::dim())], width)),
            bottom,
        );
    }
}

/// `12s`, `5m`, `3h`, `2d`.
fn age(ms: u128) -> String {
    let s = ms / 1000;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

fn draw_variables(frame: &mut Frame, screen: Rect, state: &State, view: &VariablesView) {
    let area = day_view(screen);
    let title = format!(" Variables · {} · {{{{name}}}} in any field ", safe(&state.profile.label()));
    frame.render_widget(Clear, area);
    frame.render_widget(pane_block(Line::from(title), true), area);
    let list = day_view_list(screen);
    let width = usize::from(list.width);
    let name_width = state.day.variables.iter().map(|(n, _)| n.chars().count()).max().unwrap_or(4).min(30);
    let mut lines = Vec::new();
    for (row, (name, value)) in state.day.variables.iter().enumerate().skip(view.offset).take(usize::from(list.height))
    {
        let spans = vec![
            Span::styled(format!(" {:<name_width$} ", safe(name)), theme::strong()),
            Span::styled("= ", theme::dim()),
            Span::raw(safe(value).into_owned()),
        ];
        let line = fit_line(spans, width);
        lines.push(if row == view.cursor { line.style(theme::selected(true)) } else { line });
    }
    if lines.is_empty() {
        let add = state.keys.variables.name(VariablesCommand::Add);
        lines.push(Line::styled(
            format!("No variables yet: {add} adds one; in the response pane v keeps the value under the cursor"),
            theme::dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), list);
    let keys = &state.keys.variables;
    let hint = format!(
        "{} change · {} add · {} remove · {} close",
        keys.name(VariablesCommand::Edit),
        keys.name(VariablesCommand::Add),
        keys.name(VariablesCommand::Remove),
        state.keys.explorer.name(ExplorerCommand::Back),
    );
    let bottom = Rect { y: list.bottom(), height: 1, ..list };
    frame.render_widget(Paragraph::new(fit_line(vec![Span::styled(hint, theme::dim())], width)), bottom);
}

fn draw_prompt(frame: &mut Frame, screen: Rect, state: &State, prompt: &NamePrompt) {
    let mut lines = vec![Line::styled(format!("{}:", safe(&prompt.label)), theme::strong()), Line::default()];
    let field_row = lines.len() - 1;
    if prompt.suggestions.len() > 1 {
        let others = state.keys.text.pair(&[TextCommand::Older, TextCommand::Newer]).unwrap_or_default();
        let names: Vec<String> = prompt.suggestions.iter().map(|s| safe(s).into_owned()).collect();
        lines.push(Line::styled(format!("{others} offers: {}", names.join(", ")), theme::dim()));
    }
    let text = &state.keys.text;
    lines.push(Line::styled(
        format!("{} keeps · {} cancels", text.name(TextCommand::Keep), text.name(TextCommand::Leave)),
        theme::dim(),
    ));
    let area = dialog(screen, lines.len());
    frame.render_widget(Clear, area);
    frame.render_widget(pane_block(Line::from(" Name "), true), area);
    let inner = inner(area);
    let width = usize::from(inner.width);
    let lines: Vec<Line> = lines.into_iter().map(|l| fit_line(l.spans, width).style(l.style)).collect();
    frame.render_widget(Paragraph::new(lines), inner);
    let field = Rect { y: inner.y + u16::try_from(field_row).unwrap_or(0), height: 1, ..inner };
    if field.y < inner.bottom() {
        frame.render_widget(&prompt.input, field);
    }
}
