//! The request editor: the operation, where it goes, its parameters, headers and body.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme;
use super::widgets::{fit_line, pane_block, safe, truncate_end};
use crate::api::request::build_url;
use crate::app::keys::{EditorCommand, ExplorerCommand, TextCommand};
use crate::app::{Draft, EditTarget, EditorRow, State};

const NAME_WIDTH_MAX: usize = 22;

pub fn draw(frame: &mut Frame, state: &State, focused: bool) {
    let layout = &state.layout;
    frame.render_widget(pane_block(Line::from(" Request "), focused), layout.editor);
    let editor = &state.editor;
    let (Some(op), Some(draft)) = (state.operation(), editor.draft()) else {
        frame.render_widget(Paragraph::new(Line::styled("Select an endpoint", theme::dim())), layout.editor_header);
        return;
    };
    let header = layout.editor_header;
    let width = usize::from(header.width);
    let mut head = vec![
        Span::styled(format!("{} ", op.method), theme::method(op.method)),
        Span::styled(safe(&op.path).into_owned(), theme::heading()),
    ];
    if let Some(saved) = &editor.saved {
        head.push(Span::styled(format!("  saved: {}", safe(saved)), theme::info()));
    } else if !op.summary.is_empty() {
        head.push(Span::styled(format!("  {}", safe(&op.summary)), theme::dim()));
    }
    // The URL as it will go: `{{name}}`s and parameters filled from variables resolved.
    let url = match build_url(op, &state.server_url(), &state.resolved_url_values(draft, op)) {
        Ok(url) => Line::from(vec![Span::styled("→ ", theme::dim()), Span::raw(safe(&url).into_owned())]),
        Err(e) => Line::styled(format!("→ {e}"), theme::info()),
    };
    frame.render_widget(Paragraph::new(vec![fit_line(head, width), fit_line(url.spans, width)]), header);
    draw_rows(frame, layout.editor_list, state, draft, focused);

    if let (Some(body), Some(body_area)) = (&draft.body, layout.editor_body) {
        {
            let title = format!(" Body {} ", safe(&draft.body_type));
            let style = if editor.body_active { theme::title(true) } else { theme::dim() };
            let block = Block::default().borders(Borders::TOP).border_style(style).title(Span::styled(title, style));
            let text_area = block.inner(body_area);
            frame.render_widget(block, body_area);
            frame.render_widget(body, text_area);
        }
    }
}

#[allow(clippy::too_many_lines)] // One arm per kind of row.
fn draw_rows(frame: &mut Frame, area: Rect, state: &State, draft: &Draft, focused: bool) {
    let editor = &state.editor;
    let fields = draft.fields.iter().map(|f| super::widgets::width(&f.name) + usize::from(f.required));
    // A server variable is written `  {name}`, under Server.
    let variables = editor.server_vars.fields.iter().map(|v| super::widgets::width(&v.name) + 4);
    let name_width = fields.chain(variables).max().unwrap_or(0).clamp(8, NAME_WIDTH_MAX);
    let width = usize::from(area.width);
    for (i, row) in editor.rows().iter().enumerate().skip(editor.offset).take(area.height.into()) {
        let y = area.y + u16::try_from(i - editor.offset).unwrap_or(0);
        let line_area = Rect { y, height: 1, ..area };
        let selected = i == editor.row && focused && !editor.body_active;
        let mut line = match row {
            EditorRow::Server => {
                let server = &state.servers[state.server.min(state.servers.len().saturating_sub(1))];
                let count = if state.servers.len() > 1 {
                    let choose = state.keys.editor.pair(&[EditorCommand::PreviousServer, EditorCommand::NextServer]);
                    let choose = choose.map(|keys| format!("; {keys} choose")).unwrap_or_default();
                    format!("  ({}/{} {}{choose})", state.server + 1, state.servers.len(), safe(&server.label))
                } else {
                    String::new()
                };
                fit_line(
                    vec![
                        Span::styled(format!(" {:<name_width$} ", "Server"), theme::dim()),
                        Span::raw(safe(&state.server_url()).into_owned()),
                        Span::styled(count, theme::dim()),
                    ],
                    width,
                )
            }
            EditorRow::ServerVariable(index) => {
                let Some(variable) = editor.server_vars.fields.get(*index) else { continue };
                // Indented under Server: `{name}`, the value, then what may go there.
                let name = format!("  {{{}}}", variable.name);
                let name = format!(" {:<name_width$} ", truncate_end(&safe(&name), name_width));
                if let Some((EditTarget::ServerVariable(editing), input)) = &editor.line
                    && editing == index
                {
                    frame.render_widget(Paragraph::new(Span::styled(name.clone(), theme::info())), line_area);
                    let x = area.x + u16::try_from(name_width + 2).unwrap_or(0);
                    let input_area = Rect { x, width: area.right().saturating_sub(x), ..line_area };
                    frame.render_widget(input, input_area);
                    continue;
                }
                let hint = if variable.allowed.is_empty() {
                    variable.description.clone()
                } else {
                    let choose = state.keys.editor.pair(&[EditorCommand::PreviousServer, EditorCommand::NextServer]);
                    let choose = choose.map(|keys| format!(" ({keys})")).unwrap_or_default();
                    format!("{}{choose}", variable.allowed.join(" | "))
                };
                fit_line(
                    vec![
                        Span::styled(name, theme::dim()),
                        Span::raw(safe(&variable.value).into_owned()),
                        Span::styled(format!("  {}", safe(&hint)), theme::dim()),
                    ],
                    width,
                )
            }
            EditorRow::Heading(section) => Line::styled(section.title(), theme::heading()),
            EditorRow::Field(index) => {
                let field = &draft.fields[*index];
                let name = format!("{}{}", field.name, if field.required { "*" } else { "" });
                let name = format!(" {:<name_width$} ", truncate_end(&safe(&name), name_width));
                if let Some((EditTarget::Field(editing), input)) = &editor.line
                    && editing == index
                {
                    frame.render_widget(Paragraph::new(Span::styled(name.clone(), theme::info())), line_area);
                    let x = area.x + u16::try_from(name_width + 2).unwrap_or(0);
                    let input_area = Rect { x, width: area.right().saturating_sub(x), ..line_area };
                    frame.render_widget(input, input_area);
                    continue;
                }
                let filled = if field.value.trim().is_empty() {
                    state.operation().and_then(|op| state.filled_from(draft, op, field.section, &field.name))
                } else {
                    None
                };
                let value = if let Some(filled) = filled {
                    // Filled from a variable of its name: shown, with where it came from.
                    let from = format!("  ← {{{{{}}}}} ({})", field.name, filled.from.label());
                    let name_style = Style::new();
                    let spans = vec![
                        Span::styled(name.clone(), name_style),
                        Span::styled(safe(&filled.value).into_owned(), theme::info()),
                        Span::styled(from, theme::dim()),
                    ];
                    let mut line = fit_line(spans, width);
                    if selected {
                        line = line.style(theme::selected(focused));
                    }
                    frame.render_widget(Paragraph::new(line), line_area);
                    continue;
                } else if field.value.is_empty() {
                    let hint = if field.required { format!("required  {}", field.hint) } else { field.hint.clone() };
                    Span::styled(safe(&hint).into_owned(), theme::placeholder())
                } else {
                    Span::raw(safe(&field.value).into_owned())
                };
                let name_style =
                    if field.required && field.value.trim().is_empty() { theme::info() } else { Style::new() };
                fit_line(vec![Span::styled(name, name_style), value], width)
            }
            EditorRow::AddHeader => {
                if let Some((EditTarget::NewHeader, input)) = &editor.line {
                    frame.render_widget(Paragraph::new(Span::styled(" + ", theme::info())), line_area);
                    let input_area = Rect { x: area.x + 3, width: area.width.saturating_sub(3), ..line_area };
                    frame.render_widget(input, input_area);
                    continue;
                }
                Line::styled(
                    format!(" + add header ({})", state.keys.editor.name(EditorCommand::AddHeader)),
                    theme::dim(),
                )
            }
            EditorRow::Body => Line::styled(
                format!(
                    " Body: {} edits, {} leaves",
                    state.keys.explorer.name(ExplorerCommand::Activate),
                    state.keys.text.name(TextCommand::Leave)
                ),
                theme::dim(),
            ),
        };
        if selected {
            line = line.style(theme::selected(true));
        }
        frame.render_widget(Paragraph::new(line), line_area);
    }
}
