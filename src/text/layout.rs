//! The one text layout: how wide text is on a terminal, and where it breaks into rows. The screen wraps by these
//! rules and the core counts rows by them, so what `update` scrolls through is what `draw` shows.
//!
//! Widths are terminal cells: CJK and most emoji take two, combining marks none (`unicode-width`). Rows are given
//! as byte ranges of the text; rows after the first have `indent` cells less room (the caller draws the indent).

use std::borrow::Cow;
use std::ops::Range;

use unicode_width::UnicodeWidthChar as _;

/// Cells one character takes.
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Cells `text` takes on one row.
pub fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// The room of the first row (`width`) and of the rows after it (`width - indent`, but never nothing).
fn rooms(width: usize, indent: usize) -> (usize, usize, usize) {
    let width = width.max(1);
    let indent = if indent >= width { 0 } else { indent };
    (width, width - indent, indent)
}

/// Breaks `text` anywhere into rows of at most `width` cells (the first) and `width - indent` (the rest): every
/// character is kept, a character wider than the room gets a row of its own. Empty text is one empty row.
pub fn wrap_chars(text: &str, width: usize, indent: usize) -> Vec<Range<usize>> {
    let (first, rest, _) = rooms(width, indent);
    let mut rows = Vec::new();
    let (mut start, mut used, mut room) = (0, 0, first);
    for (at, c) in text.char_indices() {
        let w = char_width(c);
        if used + w > room && at > start {
            rows.push(start..at);
            (start, used, room) = (at, 0, rest);
        }
        used += w;
    }
    rows.push(start..text.len());
    rows
}

/// Breaks `text` at spaces into rows of at most `width` cells (the first) and `width - indent` (the rest). A row
/// keeps the space it breaks at; the spaces that would start the next row are dropped. A word longer than the
/// room is cut character by character. Empty text is one empty row.
pub fn wrap_words(text: &str, width: usize, indent: usize) -> Vec<Range<usize>> {
    let (first, rest, _) = rooms(width, indent);
    let mut rows = Vec::new();
    let mut start = 0;
    let mut room = first;
    while start < text.len() {
        let (mut used, mut end, mut last_space) = (0, start, None);
        for (at, c) in text[start..].char_indices() {
            let w = char_width(c);
            if used + w > room {
                break;
            }
            used += w;
            end = start + at + c.len_utf8();
            if c == ' ' {
                last_space = Some(end);
            }
        }
        if end == start {
            // Not even one character fits: it goes on a row of its own.
            end = start + text[start..].chars().next().map_or(1, char::len_utf8);
        } else if end < text.len() && !text[end..].starts_with(' ') {
            // Mid-word: back to the last space (when the row stops right at a space, the words fit as they are).
            if let Some(space) = last_space.filter(|s| *s > start) {
                end = space;
            }
        }
        rows.push(start..end);
        start = end;
        if !rows.is_empty() {
            start += text[start..].len() - text[start..].trim_start_matches(' ').len();
        }
        room = rest;
    }
    if rows.is_empty() {
        rows.push(0..0);
    }
    rows
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

/// Shortens `text` to `max` cells by cutting from the middle, so both the start and the readable end stay (the end
/// of a path names the resource: it gets two thirds).
pub fn shorten_middle(text: &str, max: usize) -> Cow<'_, str> {
    if width(text) <= max {
        return Cow::Borrowed(text);
    }
    if max <= 1 {
        return Cow::Borrowed(if max == 1 { "…" } else { "" });
    }
    let budget = max - 1;
    let head = take_width(text.chars(), budget / 3);
    let mut tail: Vec<char> = take_width(text.chars().rev(), budget - budget / 3).chars().collect();
    tail.reverse();
    Cow::Owned(format!("{head}…{}", tail.into_iter().collect::<String>()))
}

/// The characters of `chars` that fit in `max` cells.
fn take_width(chars: impl Iterator<Item = char>, max: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in chars {
        let w = char_width(c);
        if used + w > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows<'t>(text: &'t str, ranges: &[Range<usize>]) -> Vec<&'t str> {
        ranges.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn widths_count_cells_not_characters() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("日本語"), 6);
        assert_eq!(width("🎉"), 2);
        assert_eq!(width("e\u{301}"), 1, "a combining accent takes no cell");
    }

    #[test]
    fn character_wrap_keeps_everything_and_indents_the_rest() {
        let text = "abcdefghijklm";
        assert_eq!(rows(text, &wrap_chars(text, 5, 2)), ["abcde", "fgh", "ijk", "lm"]);
        assert_eq!(rows("日本語", &wrap_chars("日本語", 4, 0)), ["日本", "語"]);
        assert_eq!(rows("日本", &wrap_chars("日本", 1, 0)), ["日", "本"], "too wide for the room: a row each");
        assert_eq!(wrap_chars("", 5, 0), vec![0..0]);
        assert_eq!(rows("🎉🎉🎉", &wrap_chars("🎉🎉🎉", 5, 0)), ["🎉🎉", "🎉"]);
    }

    #[test]
    fn word_wrap_breaks_at_spaces() {
        let text = "one two three four five six";
        assert_eq!(rows(text, &wrap_words(text, 10, 0)), ["one two ", "three four", "five six"]);
        assert_eq!(rows(text, &wrap_words(text, 14, 4)), ["one two three ", "four five ", "six"]);
        let long = "abcdefghijklmnopqrstuvwxyz";
        assert_eq!(rows(long, &wrap_words(long, 10, 0)), ["abcdefghij", "klmnopqrst", "uvwxyz"]);
        assert_eq!(rows("日本語 テキスト", &wrap_words("日本語 テキスト", 8, 0)), ["日本語 ", "テキスト"]);
        assert_eq!(wrap_words("", 10, 0), vec![0..0]);
        assert_eq!(rows("a  b", &wrap_words("a  b", 2, 0)), ["a ", "b"], "spaces starting a row are dropped");
    }

    #[test]
    fn shortening_keeps_both_ends_and_counts_wide_characters() {
        let path = "/api-specification-versions/{apiSpecificationVersionId}/declarations-of-conformity";
        let short = shorten_middle(path, 40);
        assert_eq!(width(&short), 40);
        assert!(short.ends_with("declarations-of-conformity") && short.starts_with("/api-spec"), "{short}");
        assert_eq!(truncate_end("日本語のテキスト", 7), "日本語…");
        assert_eq!(truncate_end("abc", 3), "abc");
    }
}
