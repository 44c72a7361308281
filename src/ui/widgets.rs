//! Small pieces the panes share: the pane frame, safe text, shortening.

use std::borrow::Cow;

use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

use super::theme;
use crate::app::KeyHint;
use crate::text::escape_controls;

/// A pane's frame: rounded border, title, brighter when focused.
pub fn pane_block(title: Line<'_>, focused: bool) -> Block<'_> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme::border(focused))
        .title(title.style(theme::title(focused)))
}

/// Text from outside (network, spec, paste) made safe for the terminal.
pub fn safe(text: &str) -> Cow<'_, str> {
    escape_controls(text)
}

pub use crate::text::layout::{shorten_middle, truncate_end, width};

/// The last line of defence, run on every frame before it reaches the terminal: a cell holding a control character
/// (C0, DEL, C1) or a bidi override shows its picture (`␛` for ESC) or `�` instead. Texts are escaped where they are
/// drawn (`safe`); this catches what reaches a cell otherwise (a value typed or loaded into a text field keeps its
/// bytes, and is sent as it is), so no text, from the network or a document, can drive the terminal.
pub fn defuse(buffer: &mut ratatui::buffer::Buffer) {
    for cell in &mut buffer.content {
        let symbol = cell.symbol();
        // Nearly every cell is one printable ASCII byte: a byte test each, on a path that runs every frame.
        if symbol.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            continue;
        }
        if symbol.chars().any(dangerous) {
            let shown: String = symbol.chars().map(picture).collect();
            cell.set_symbol(&shown);
        }
    }
}

fn dangerous(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// What a dangerous character looks like in a cell: the Unicode control pictures for C0 and DEL, else `�`.
fn picture(c: char) -> char {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        c if dangerous(c) => '\u{fffd}',
        c => c,
    }
}

/// A line cut to fit `max` cells, keeping the spans' styles.
pub fn fit_line(spans: Vec<Span<'_>>, max: usize) -> Line<'_> {
    let mut used = 0;
    let mut out = Vec::with_capacity(spans.len());
    for span in spans {
        let w = width(&span.content);
        if used + w <= max {
            used += w;
            out.push(span);
            continue;
        }
        let room = max.saturating_sub(used);
        if room > 0 {
            out.push(Span::styled(truncate_end(&span.content, room).into_owned(), span.style));
        }
        break;
    }
    Line::from(out)
}

/// Wraps lines wider than `max` cells at spaces (the text layout's word wrap), keeping each span's style and
/// indenting continuation lines like the line they continue (never so far that nothing fits).
pub fn wrap_lines(lines: Vec<Line<'static>>, max: usize) -> Vec<Line<'static>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let text = line.to_string();
        if width(&text) <= max || max < 8 {
            out.push(line);
            continue;
        }
        let indent = (text.len() - text.trim_start().len()).min(max / 2);
        let rows = crate::text::layout::wrap_words(&text, max, indent);
        out.extend(split_spans(&line.spans, &rows, indent));
    }
    out
}

/// A message wrapped at words by the text layout (as the status bar's height was measured), in one style.
pub fn wrap_text(text: &str, style: ratatui::style::Style, max: usize) -> Vec<Line<'static>> {
    crate::text::layout::wrap_words(text, max, 0)
        .into_iter()
        .map(|row| Line::styled(text[row].to_string(), style))
        .collect()
}

/// Styled pieces cut at the byte ranges `rows` of their joined text (from the text layout), one line a range;
/// lines after the first start with `indent` spaces.
pub fn split_spans(spans: &[Span<'static>], rows: &[std::ops::Range<usize>], indent: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let mut pieces: Vec<Span<'static>> = Vec::new();
        if i > 0 && indent > 0 {
            pieces.push(Span::raw(" ".repeat(indent)));
        }
        let mut at = 0;
        for span in spans {
            let (start, end) = (at, at + span.content.len());
            at = end;
            let (from, to) = (row.start.max(start), row.end.min(end));
            if from < to {
                pieces.push(Span::styled(span.content[from - start..to - start].to_string(), span.style));
            }
        }
        lines.push(Line::from(pieces));
    }
    lines
}

/// Key hints on one line of `width` cells. When they do not all fit, hints are left out from the end but for the
/// help and quit hints at its end, which are always there, so the help leads to the rest.
pub fn hints_line(hints: &[KeyHint], width: usize) -> Line<'static> {
    let cells = |h: &KeyHint| width_of_hint(h);
    let keep = hints.iter().rev().take(2).take_while(|h| matches!(h.action, "help" | "quit")).count();
    let (front, back) = hints.split_at(hints.len() - keep);
    let mut room = width.saturating_sub(back.iter().map(cells).sum());
    let mut shown: Vec<&KeyHint> = Vec::new();
    for hint in front {
        if cells(hint) > room {
            break;
        }
        room -= cells(hint);
        shown.push(hint);
    }
    let mut spans = Vec::new();
    for hint in shown.into_iter().chain(back) {
        spans.push(Span::styled(format!(" {} ", hint.key), theme::key()));
        spans.push(Span::styled(format!(" {}  ", hint.action), theme::dim()));
    }
    fit_line(spans, width)
}

fn width_of_hint(hint: &KeyHint) -> usize {
    width(&hint.key) + width(hint.action) + 5
}

pub use crate::app::layout::inner;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_never_carries_a_control_character_to_the_terminal() {
        // ratatui's own text drawing drops control characters; a cell set directly (as a widget may) keeps them.
        let mut buffer = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 6, 1));
        for (x, symbol) in ["a", "\u{1b}", "]", "\u{9b}", "\u{7f}", "\u{202e}"].into_iter().enumerate() {
            buffer[(u16::try_from(x).unwrap(), 0)].set_symbol(symbol);
        }
        defuse(&mut buffer);
        let shown: String = buffer.content.iter().map(ratatui::buffer::Cell::symbol).collect();
        assert_eq!(shown, "a␛]\u{fffd}␡\u{fffd}");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_keeps_the_indent() {
        let lines = wrap_lines(vec![Line::raw("    one two three four five six")], 14);
        let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["    one two ", "    three four", "    five six"]);
        let long = wrap_lines(vec![Line::raw("abcdefghijklmnopqrstuvwxyz")], 10);
        assert_eq!(long.len(), 3, "a word longer than the line is cut");
        let deep = wrap_lines(vec![Line::raw(format!("{}x y z", " ".repeat(30)))], 10);
        assert!(deep.len() < 10, "an indent wider than the line cannot loop forever: {deep:?}");
    }
}
