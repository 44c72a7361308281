//! The profile list (`P`) and the questions a spec-born profile asks once: the client id to sign in with, and
//! whether the issuer's tokens may go to the spec's API (both hosts shown, so the pair is seen before it is
//! trusted).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::theme;
use super::widgets::{fit_line, inner, pane_block, safe, wrap_lines};
use crate::app::keys::{ConfirmCommand, TextCommand};
use crate::app::layout::{centered, dialog, dialog_width};
use crate::app::{Question, State};

/// The profile list, the one selected highlighted and the one in use marked.
pub fn draw_picker(frame: &mut Frame, screen: Rect, state: &State, selected: usize) {
    let width = dialog_width(screen).min(90);
    let rows = state.profiles.len();
    let area = centered(screen, width, u16::try_from(rows + 2).unwrap_or(u16::MAX));
    frame.render_widget(Clear, area);
    frame.render_widget(pane_block(Line::from(" Profiles "), true), area);
    let inner = inner(area);
    let text_width = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::with_capacity(rows);
    for (i, profile) in state.profiles.iter().enumerate() {
        let in_use = profile.name == state.profile.name;
        let spans = vec![
            Span::raw(if in_use { "● " } else { "  " }),
            Span::styled(format!("{:<14}", safe(&profile.label())), theme::strong()),
            Span::styled(" API ", theme::dim()),
            Span::raw(safe(&crate::http::host_of(&profile.api)).into_owned()),
            Span::styled("  issuer ", theme::dim()),
            Span::raw(safe(&crate::http::host_of(&profile.issuer)).into_owned()),
        ];
        let line = fit_line(spans, text_width);
        lines.push(if i == selected { line.style(theme::selected(true)) } else { line });
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The question the explorer waits on.
pub fn draw_question(frame: &mut Frame, screen: Rect, state: &State, question: &Question) {
    let text_width = usize::from(dialog_width(screen).saturating_sub(2));
    let (title, lines) = match question {
        Question::ClientId { .. } => (" Client id ", client_id_lines(state)),
        Question::TrustPair { issuer, api, .. } => (" Send the token here? ", trust_lines(state, issuer, api)),
        Question::Write(_) => (" A write on this profile ", day_lines(state, question, "yes, send it")),
        Question::DeleteSaved { .. } => (" Delete a saved request ", day_lines(state, question, "yes, delete it")),
        Question::Credential(ask) => (" A value for this API ", credential_lines(state, ask)),
    };
    let lines = wrap_lines(lines, text_width);
    let area = dialog(screen, lines.len());
    frame.render_widget(Clear, area);
    frame.render_widget(pane_block(Line::from(title), true), area);
    let inner = inner(area);
    let field_row = lines.iter().position(|l| l.to_string().starts_with("  ›"));
    frame.render_widget(Paragraph::new(lines), inner);
    let input = match question {
        Question::ClientId { input } => Some(input),
        Question::Credential(ask) => Some(&ask.input),
        _ => None,
    };
    if let (Some(input), Some(row)) = (input, field_row.and_then(|r| u16::try_from(r).ok())) {
        let field = Rect { x: inner.x + 4, y: inner.y + row, width: inner.width.saturating_sub(5), height: 1 };
        if field.y < inner.bottom() {
            frame.render_widget(input, field);
        }
    }
}

fn credential_lines(state: &State, ask: &crate::app::CredentialAsk) -> Vec<Line<'static>> {
    let text = &state.keys.text;
    let scheme = safe(&ask.credential.scheme).into_owned();
    let how = safe(&ask.credential.placement.describe()).into_owned();
    let api = safe(&crate::http::host_of(&ask.origin)).into_owned();
    vec![
        Line::raw(format!("{} needs {scheme}, sent as {how}.", safe(&ask.outgoing.label))),
        Line::raw(format!(
            "Type it once: it is kept for {api} like a client secret, and goes only to the spec's servers."
        )),
        Line::default(),
        Line::styled("  ›", theme::strong()),
        Line::default(),
        Line::styled(
            format!(
                "{} keeps it and sends · {} sends nothing",
                text.name(TextCommand::Keep),
                text.name(TextCommand::Leave)
            ),
            theme::dim(),
        ),
    ]
}

fn client_id_lines(state: &State) -> Vec<Line<'static>> {
    let text = &state.keys.text;
    let api = safe(&crate::http::host_of(&state.profile.api)).into_owned();
    let issuer = safe(&state.profile.issuer).into_owned();
    vec![
        Line::raw(format!("Signing in at {issuer} needs the id of a client registered there.")),
        Line::raw(format!("Type it once: it is remembered for {api} (--client-id gives one too).")),
        Line::default(),
        Line::styled("  ›", theme::strong()),
        Line::default(),
        Line::styled(
            format!("{} signs in · {} cancels", text.name(TextCommand::Keep), text.name(TextCommand::Leave)),
            theme::dim(),
        ),
    ]
}

fn trust_lines(state: &State, issuer: &str, api: &str) -> Vec<Line<'static>> {
    let keys = &state.keys.confirm;
    let strong = theme::strong().add_modifier(Modifier::BOLD);
    vec![
        Line::raw("The spec pairs a sign-in with an API. Your token is a key to your account at the issuer:"),
        Line::from(vec![Span::styled("  issuer  ", theme::dim()), Span::styled(safe(issuer).into_owned(), strong)]),
        Line::from(vec![Span::styled("  API     ", theme::dim()), Span::styled(safe(api).into_owned(), strong)]),
        Line::default(),
        Line::raw(format!(
            "Send tokens from {} to {}? Asked once; the answer is remembered for this API.",
            safe(issuer),
            safe(api)
        )),
        Line::default(),
        Line::styled(
            format!(
                "{} yes, send it · {} no (any other key says no)",
                keys.name(ConfirmCommand::Yes),
                keys.name(ConfirmCommand::No)
            ),
            theme::dim(),
        ),
    ]
}

/// The day's questions (the first write on a profile that asks first; deleting a saved request).
fn day_lines(state: &State, question: &Question, yes: &str) -> Vec<Line<'static>> {
    let keys = &state.keys.confirm;
    let mut lines: Vec<Line<'static>> = crate::app::day::question_text(state, question)
        .into_iter()
        .map(|text| Line::raw(safe(&text).into_owned()))
        .collect();
    lines.push(Line::default());
    lines.push(Line::styled(
        format!(
            "{} {yes} · {} no (any other key says no)",
            keys.name(ConfirmCommand::Yes),
            keys.name(ConfirmCommand::No)
        ),
        theme::dim(),
    ));
    lines
}
