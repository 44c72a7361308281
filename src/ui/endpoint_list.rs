//! The endpoint catalogue: tags with their operations, the cursor, the filter line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use super::widgets::{fit_line, pane_block, safe, shorten_middle, width};
use crate::app::keys::{CatalogueCommand, ExplorerCommand};
use crate::app::{ListRow, State};

pub fn draw(frame: &mut Frame, state: &State, focused: bool) {
    let layout = &state.layout;
    let list = &state.catalogue;
    let total = list.catalogue.operations.len();
    let count =
        if list.active_filter().is_empty() { format!("{total}") } else { format!("{}/{total}", list.visible.len()) };
    let title = Line::from(vec![
        Span::raw(" Endpoints "),
        Span::styled(format!("{count} "), theme::dim()),
        Span::styled(format!("{} ", safe(&list.catalogue.source)), theme::dim()),
    ]);
    frame.render_widget(pane_block(title, focused), layout.catalogue);
    let (list_area, filter_area) = (layout.catalogue_list, layout.catalogue_filter);
    if filter_area.height == 0 {
        return;
    }
    let width = usize::from(list_area.width);

    let rows = list.rows();
    let selected = list.selected_row();
    let mut lines = Vec::with_capacity(list_area.height.into());
    for row in rows.iter().skip(list.offset).take(list_area.height.into()) {
        let line = match row {
            ListRow::SavedHeading => saved_heading(state, width),
            ListRow::Saved(i) => saved_line(state, *i, width),
            ListRow::Tag(tag) => tag_line(state, *tag, width),
            ListRow::Operation(op) => operation_line(state, *op, width),
        };
        lines.push(if Some(*row) == selected { line.style(theme::selected(focused)) } else { line });
    }
    if rows.is_empty() {
        let message = if total == 0 {
            list.catalogue.notices.first().cloned().unwrap_or_else(|| "This catalogue has no operations".into())
        } else {
            format!("No operation matches “{}”", list.active_filter())
        };
        lines.push(Line::styled(safe(&message).into_owned(), theme::dim()));
    }
    frame.render_widget(Paragraph::new(lines), list_area);
    draw_filter_line(frame, filter_area, state);
}

fn saved_heading(state: &State, width: usize) -> Line<'static> {
    let keys = &state.keys.catalogue;
    let hint = format!(
        "  {} renames, {} deletes",
        keys.name(CatalogueCommand::RenameSaved),
        keys.name(CatalogueCommand::DeleteSaved)
    );
    fit_line(vec![Span::styled("Saved", theme::heading()), Span::styled(hint, theme::dim())], width)
}

/// A saved request: its name, then its method and path, dimmed; one its catalogue lacks says so.
fn saved_line(state: &State, index: usize, width: usize) -> Line<'static> {
    let Some(saved) = state.catalogue.saved.get(index) else { return Line::default() };
    let method = crate::api::Method::parse(&saved.method).unwrap_or(crate::api::Method::Get);
    let missing = state.catalogue.operation_of(saved).is_none();
    let mut spans = vec![
        Span::styled(format!(" {:<6} ", method.as_str()), theme::method(method)),
        Span::raw(safe(&saved.name).into_owned()),
        Span::styled(format!("  {}", safe(&saved.path)), theme::dim()),
    ];
    if missing {
        spans.push(Span::styled("  (not in this catalogue)", theme::dim()));
    }
    fit_line(spans, width)
}

fn tag_line(state: &State, tag: usize, width: usize) -> Line<'static> {
    let name = state.catalogue.catalogue.tags.get(tag).map_or("default", |t| t.name.as_str());
    fit_line(vec![Span::styled(safe(name).into_owned(), theme::heading())], width)
}

fn operation_line(state: &State, index: usize, width: usize) -> Line<'static> {
    let op = &state.catalogue.catalogue.operations[index];
    // Seven columns: the longest usual method and a space; OPTIONS (and any longer) still gets its space.
    let method = format!(" {:<6} ", op.method.as_str());
    let room = width.saturating_sub(method.len());
    let path = safe(&op.path);
    let path_width = super::widgets::width(&path);
    let mut spans = vec![Span::styled(method, theme::method(op.method))];
    // On wide screens the summary follows the path, dimmed, when it fits.
    if path_width + 12 < room && !op.summary.is_empty() {
        spans.push(Span::raw(path.into_owned()));
        spans.push(Span::styled(format!("  {}", safe(&op.summary)), theme::dim()));
        return fit_line(spans, width);
    }
    spans.push(Span::raw(shorten_middle(&path, room).into_owned()));
    Line::from(spans)
}

fn draw_filter_line(frame: &mut Frame, area: Rect, state: &State) {
    let list = &state.catalogue;
    if let Some(input) = &list.filter_input {
        frame.render_widget(Paragraph::new(Span::styled("/", theme::info())), Rect { width: 1, ..area });
        let field = Rect { x: area.x + 1, width: area.width.saturating_sub(1), ..area };
        frame.render_widget(input, field);
        return;
    }
    let line = if let Some(url) = &list.loading {
        let spin = theme::spinner(state.spinner);
        Line::styled(format!("{spin} loading {}", safe(url)), theme::info())
    } else if let Some(failure) = list.load_failed.as_ref().filter(|_| list.filter.is_empty()) {
        Line::styled(format!("spec not loaded: {}", safe(failure)), theme::error())
    } else if !list.filter.is_empty() {
        Line::from(vec![
            Span::styled("/", theme::info()),
            Span::raw(safe(&list.filter).into_owned()),
            Span::styled(format!("  {} clears", state.keys.explorer.name(ExplorerCommand::Back)), theme::dim()),
        ])
    } else {
        Line::styled(format!("{} filter", state.keys.catalogue.name(CatalogueCommand::Filter)), theme::dim())
    };
    let max = usize::from(area.width);
    let line = if width(&line.to_string()) > max { fit_line(line.spans, max) } else { line };
    frame.render_widget(Paragraph::new(line).style(Style::default()), area);
}
