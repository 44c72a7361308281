//! Small pieces the panes share: the pane frame, safe text, shortening.

use std::borrow::Cow;

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};
use unicode_width::UnicodeWidthChar;

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

/// Display width of `text` in terminal cells.
pub fn width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Shortens `text` to `max` cells by cutting from the middle, so both the start and the readable end stay.
pub fn shorten_middle(text: &str, max: usize) -> Cow<'_, str> {
    if width(text) <= max {
        return Cow::Borrowed(text);
    }
    if max <= 1 {
        return Cow::Borrowed(if max == 1 { "…" } else { "" });
    }
    let budget = max - 1;
    // The end of a path names the resource; it gets two thirds.
    let head_budget = budget / 3;
    let tail_budget = budget - head_budget;
    let head = take_width(text.chars(), head_budget);
    let mut tail: Vec<char> = take_width(text.chars().rev(), tail_budget).chars().collect();
    tail.reverse();
    Cow::Owned(format!("{head}…{}", tail.into_iter().collect::<String>()))
}

/// Cuts `text` to `max` cells at the end, with an ellipsis.
pub fn truncate_end(text: &str, max: usize) -> Cow<'_, str> {
    if width(text) <= max {
        return Cow::Borrowed(text);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    Cow::Owned(format!("{}…", take_width(text.chars(), max - 1)))
}

fn take_width(chars: impl Iterator<Item = char>, max: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in chars {
        let w = c.width().unwrap_or(0);
        if used + w > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out
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

/// Wraps lines wider than `max` cells at spaces (a word longer than a line is cut), keeping each span's style and
/// indenting continuation lines like the line they continue.
pub fn wrap_lines(lines: Vec<Line<'static>>, max: usize) -> Vec<Line<'static>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if width(&line.to_string()) <= max || max < 8 {
            out.push(line);
            continue;
        }
        let text = line.to_string();
        // Continuation lines are indented like the first, but never so far that nothing fits.
        let indent = (text.chars().count() - text.trim_start().chars().count()).min(max / 2);
        let cells: Vec<(char, ratatui::style::Style)> =
            line.spans.iter().flat_map(|s| s.content.chars().map(move |c| (c, s.style))).collect();
        let mut start = 0;
        let mut first = true;
        while start < cells.len() {
            let room = if first { max } else { max.saturating_sub(indent) };
            let mut end = start;
            let mut used = 0;
            let mut last_space = None;
            while end < cells.len() {
                let w = cells[end].0.width().unwrap_or(0);
                if used + w > room {
                    break;
                }
                if cells[end].0 == ' ' {
                    last_space = Some(end);
                }
                used += w;
                end += 1;
            }
            // Mid-word: go back to the last space (when the line stops right at a space, the words fit as they are).
            if end < cells.len()
                && cells[end].0 != ' '
                && let Some(space) = last_space.filter(|s| *s > start)
            {
                end = space + 1;
            }
            let mut spans: Vec<Span<'static>> = Vec::new();
            if !first {
                spans.push(Span::raw(" ".repeat(indent)));
            }
            for (c, style) in &cells[start..end] {
                match spans.last_mut() {
                    Some(last) if last.style == *style => last.content.to_mut().push(*c),
                    _ => spans.push(Span::styled(c.to_string(), *style)),
                }
            }
            out.push(Line::from(spans));
            start = end;
            while !first && start < cells.len() && cells[start].0 == ' ' {
                start += 1;
            }
            first = false;
        }
    }
    out
}

/// Key hints on one line of `width` cells. When they do not all fit, hints are left out from the end but for
/// `? help` and `q quit` at its end, which are always there, so `?` leads to the rest.
pub fn hints_line(hints: &[KeyHint], width: usize) -> Line<'static> {
    let cells = |h: &KeyHint| width_of_hint(h);
    let keep = hints.iter().rev().take(2).take_while(|h| matches!(h.key, "?" | "q")).count();
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
    width(hint.key) + width(hint.action) + 5
}

/// The inner area of a bordered pane.
pub fn inner(rect: Rect) -> Rect {
    Rect {
        x: rect.x.saturating_add(1),
        y: rect.y.saturating_add(1),
        width: rect.width.saturating_sub(2),
        height: rect.height.saturating_sub(2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paths_keep_their_end() {
        let path = "/api-specification-versions/{apiSpecificationVersionId}/declarations-of-conformity";
        let short = shorten_middle(path, 40);
        assert_eq!(width(&short), 40);
        assert!(short.ends_with("declarations-of-conformity"), "{short}");
        assert!(short.starts_with("/api-spec"), "{short}");
        assert_eq!(shorten_middle("/users/me", 40), "/users/me");
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

    #[test]
    fn truncation_counts_wide_characters() {
        assert_eq!(truncate_end("日本語のテキスト", 7), "日本語…");
        assert_eq!(truncate_end("abc", 3), "abc");
    }
}
