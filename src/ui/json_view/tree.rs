//! The tree's rows as lines: indented, coloured by type, folded sizes in digits, search matches marked, long rows
//! cut or wrapped. Only the rows on screen are read, and only from what memory holds: rows of a file not read yet
//! are left blank for the moment a job takes to read them (the screen is drawn again then); a read that failed says
//! so in their place.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::super::theme;
use super::super::widgets::{fit_line, safe};
use crate::json::{Container, Inspector, Row, RowToken, find_matches, is_not_read};

/// The lines for `height` screen rows of the tree, starting at its scroll offset; with `wrap`, long rows take
/// several lines and the start moves down if needed so the cursor's row is on screen.
pub(super) fn lines(tree: &Inspector, height: usize, width: usize, wrap: bool, focused: bool) -> Vec<Line<'static>> {
    let query = tree.search().map(|s| s.query().to_string());
    let query = query.as_deref().filter(|q| !q.is_empty());
    let offset = tree.offset();
    let cursor = tree.cursor();
    let (rows, error) = tree.held_rows(offset, height);
    let failed = error.filter(|e| !is_not_read(e)).map(|e| unreadable(&e));
    if !wrap {
        let mut out = Vec::with_capacity(height);
        for (i, row) in rows.iter().enumerate() {
            let line = fit_line(row_spans(row, query, width), width);
            out.push(mark_cursor(line, focused && offset + i == cursor));
        }
        out.extend(failed);
        return out;
    }
    let mut wrapped: Vec<Vec<Line<'static>>> = rows.iter().map(|row| wrap_row(row, query, width)).collect();
    wrapped.extend(failed.map(|line| vec![line]));
    let on_cursor = cursor.checked_sub(offset).filter(|_| focused);
    stack(wrapped, on_cursor, cursor.saturating_sub(offset), height)
}

/// The line shown where rows could not be read from the body.
pub(super) fn unreadable(error: &std::io::Error) -> Line<'static> {
    Line::styled(format!("could not read the body here: {}", safe(&error.to_string())), theme::error())
}

/// Rows of several lines each, stacked into `height` lines; rows are skipped from the top until the row at
/// `keep_visible` ends on screen. The row at `on_cursor` is marked.
pub(super) fn stack(
    rows: Vec<Vec<Line<'static>>>,
    on_cursor: Option<usize>,
    keep_visible: usize,
    height: usize,
) -> Vec<Line<'static>> {
    let keep = keep_visible.min(rows.len().saturating_sub(1));
    let mut start = 0;
    while start < keep && rows[start..=keep].iter().map(Vec::len).sum::<usize>() > height {
        start += 1;
    }
    let mut out = Vec::with_capacity(height);
    for (i, row_lines) in rows.into_iter().enumerate().skip(start) {
        for line in row_lines {
            if out.len() == height {
                return out;
            }
            out.push(mark_cursor(line, on_cursor == Some(i)));
        }
    }
    out
}

fn mark_cursor(line: Line<'static>, on_cursor: bool) -> Line<'static> {
    if on_cursor { line.style(theme::json_cursor()) } else { line }
}

/// One row as styled pieces: indent, key, value or bracket, comma. Text from the body is escaped.
pub(super) fn row_spans(row: &Row, query: Option<&str>, width: usize) -> Vec<Span<'static>> {
    let mut spans = vec![indent(row.depth, width)];
    let current = row.hit.current;
    if let Some(key) = &row.key {
        let quoted = serde_json::to_string(key).unwrap_or_default();
        let hit = query.filter(|_| row.hit.key);
        spans.extend(marked(&safe(&quoted), theme::json_key(), hit, current));
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
        RowToken::Folded { container, children: 0 } => {
            let empty = if *container == Container::Object { "{}" } else { "[]" };
            spans.push(Span::styled(empty, theme::json_punctuation()));
        }
        RowToken::Folded { container, children } => {
            let (text, unit) = match container {
                Container::Object => ("{…}", if *children == 1 { "key" } else { "keys" }),
                Container::Array => ("[…]", if *children == 1 { "item" } else { "items" }),
            };
            spans.push(Span::styled(text, theme::json_punctuation()));
            spans.push(Span::styled(format!(" {children} {unit}"), theme::dim()));
        }
        RowToken::Scalar { kind, text } => {
            let hit = query.filter(|_| row.hit.value);
            spans.extend(marked(&safe(text), theme::json_scalar(*kind), hit, current));
        }
    }
    if row.comma {
        spans.push(Span::styled(",", theme::json_punctuation()));
    }
    spans
}

/// `text` in `style`, with the occurrences of `query` marked (the current match brighter).
pub(super) fn marked(text: &str, style: Style, query: Option<&str>, current: bool) -> Vec<Span<'static>> {
    let Some(query) = query else {
        return vec![Span::styled(text.to_string(), style)];
    };
    let hit_style = if current { theme::search_current() } else { theme::search_match() };
    let mut spans = Vec::new();
    let mut at = 0;
    for range in find_matches(text, query) {
        // Matches are byte ranges of ASCII-lowercased text: the same offsets, on character boundaries.
        if range.start < at || !text.is_char_boundary(range.start) || !text.is_char_boundary(range.end) {
            continue;
        }
        if range.start > at {
            spans.push(Span::styled(text[at..range.start].to_string(), style));
        }
        spans.push(Span::styled(text[range.clone()].to_string(), hit_style));
        at = range.end;
    }
    if at < text.len() {
        spans.push(Span::styled(text[at..].to_string(), style));
    }
    spans
}

/// A row cut into lines of `width` cells; continuation lines are indented one step deeper than the row.
fn wrap_row(row: &Row, query: Option<&str>, width: usize) -> Vec<Line<'static>> {
    let spans = row_spans(row, query, width);
    let indent = (crate::text::layout::width(&spans[0].content) + 2).min(width / 2);
    wrap_spans(&spans, width, indent)
}

/// Two spaces a level, up to a third of the width; deeper rows say their depth instead (`1000┊ `), so the value
/// stays on screen at any depth.
fn indent(depth: usize, width: usize) -> Span<'static> {
    let room = width / 3;
    if depth * 2 <= room {
        return Span::raw("  ".repeat(depth));
    }
    let label = format!("{depth}┊ ");
    Span::styled(format!("{label:>room$}"), theme::dim())
}

/// Splits styled pieces into lines of at most `width` cells, character by character (the text layout's character
/// wrap: wide characters and long words are never lost), indenting lines after the first by `indent`.
pub(super) fn wrap_spans(spans: &[Span<'static>], width: usize, indent: usize) -> Vec<Line<'static>> {
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    let rows = crate::text::layout::wrap_chars(&text, width, indent);
    let indent = if indent >= width.max(1) { 0 } else { indent };
    super::super::widgets::split_spans(spans, &rows, indent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn the_core_counts_the_rows_the_screen_wraps_into() {
        for text in ["", "abc", "abcdefghijklm", "日本語日本語日本語x", "ab日本語cd\u{301}efg", &"x".repeat(333)]
        {
            for (width, indent) in [(5, 2), (4, 0), (1, 0), (3, 5), (40, 4)] {
                let drawn = wrap_spans(&[Span::raw(text.to_string())], width, indent).len();
                assert_eq!(crate::app::wrapped_row_count(text, width, indent), drawn, "{text:?} at {width}/{indent}");
            }
        }
    }

    #[test]
    fn wrapping_keeps_every_character_and_indents_the_rest() {
        let lines = wrap_spans(&[Span::raw("abcdefghij"), Span::raw("klm")], 5, 2);
        let texts: Vec<String> = lines.iter().map(text).collect();
        assert_eq!(texts, ["abcde", "  fgh", "  ijk", "  lm"]);
        assert_eq!(wrap_spans(&[Span::raw("日本語")], 4, 0).iter().map(text).collect::<Vec<_>>(), ["日本", "語"]);
        assert_eq!(wrap_spans(&[], 4, 0).len(), 1);
    }

    #[test]
    fn deep_rows_say_their_depth_instead_of_leaving_the_screen() {
        assert_eq!(indent(3, 80).content, "      ");
        assert_eq!(indent(1000, 80).content, format!("{:>26}", "1000┊ "));
    }

    #[test]
    fn matches_are_marked_and_the_rest_keeps_its_style() {
        let spans = marked("\"Alpha beta alpha\"", theme::json_key(), Some("ALPHA"), false);
        let parts: Vec<(&str, bool)> =
            spans.iter().map(|s| (s.content.as_ref(), s.style == theme::search_match())).collect();
        assert_eq!(parts, [("\"", false), ("Alpha", true), (" beta ", false), ("alpha", true), ("\"", false)]);
        assert_eq!(marked("x", theme::dim(), None, false).len(), 1);
    }
}
