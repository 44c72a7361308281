//! The body as text lines, for the raw-text toggle and for bodies that are not JSON (or not valid JSON).
//!
//! A sparse line table (a checkpoint every 256 lines or 256 KiB, and after every long line) finds any line with
//! one short scan, and a minified 100 MB line is never read whole: lines are clipped for display.

use std::io;

use super::source::{Access, Source};

const LINES_PER_CHECKPOINT: u64 = 256;
/// How much is read at a time while looking for the end of a line.
const WINDOW: u64 = 4 * 1024;
const BYTES_PER_CHECKPOINT: u64 = 256 * 1024;
/// Lines longer than this are clipped (the text ends before it, and `clipped` is set).
pub const LINE_LIMIT: usize = 16 * 1024;

#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    line: u64,
    offset: u64,
}

/// One line of the body: valid UTF-8 (invalid bytes become U+FFFD), without its line ending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLine {
    pub text: String,
    /// The line goes on past [`LINE_LIMIT`] bytes.
    pub clipped: bool,
}

#[derive(Debug, Clone)]
pub struct RawText {
    source: Source,
    checkpoints: Vec<Checkpoint>,
    lines: u64,
}

impl RawText {
    /// Counts the lines (one pass over the body; run it off the render path for large bodies).
    pub fn new(source: Source) -> io::Result<RawText> {
        let mut checkpoints = vec![Checkpoint { line: 0, offset: 0 }];
        let mut line = 0u64;
        let mut last = checkpoints[0];
        source.for_each_chunk(0, |at, chunk| {
            for newline in memchr::memchr_iter(b'\n', chunk) {
                line += 1;
                let offset = at + newline as u64 + 1;
                if line - last.line >= LINES_PER_CHECKPOINT || offset - last.offset >= BYTES_PER_CHECKPOINT {
                    last = Checkpoint { line, offset };
                    checkpoints.push(last);
                }
            }
            true
        })?;
        let len = source.len();
        let ends_open = len > 0 && source.slice(len - 1, len)?.first() != Some(&b'\n');
        if ends_open {
            // Where the open last line ends, so finding it never scans to the end of the body.
            checkpoints.push(Checkpoint { line: line + 1, offset: len });
        }
        Ok(RawText { source, checkpoints, lines: line + u64::from(ends_open) })
    }

    /// The body these lines are read from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    pub fn line_count(&self) -> usize {
        usize::try_from(self.lines).unwrap_or(usize::MAX)
    }

    /// Lines `start..start + count` (0-based; fewer at the end), reading the file if the body is in one.
    pub fn lines(&self, start: usize, count: usize) -> io::Result<Vec<RawLine>> {
        self.read_lines(start, count, Access::Direct)
    }

    /// Lines `start..start + count` from what memory holds (the screen's way): an error of kind `WouldBlock` while
    /// a job reads the pages they are in (see [`crate::json::is_not_read`]).
    pub fn held_lines(&self, start: usize, count: usize) -> io::Result<Vec<RawLine>> {
        self.read_lines(start, count, Access::Held)
    }

    /// Lines `start..start + count`, read as `access` allows.
    pub fn read_lines(&self, start: usize, count: usize, access: Access) -> io::Result<Vec<RawLine>> {
        let mut out = Vec::new();
        let start = start as u64;
        let end_line = start.saturating_add(count as u64).min(self.lines);
        if start >= end_line {
            return Ok(out);
        }
        let cp = self.checkpoints.partition_point(|c| c.line <= start) - 1;
        let (mut line, mut offset) = (self.checkpoints[cp].line, self.checkpoints[cp].offset);
        while line < end_line {
            let next_start = self.next_line_start(line, offset, access)?;
            if line >= start {
                let end = next_start.min(offset + LINE_LIMIT as u64 + 2);
                let bytes = self.source.read(offset, end, access)?;
                let mut text: &[u8] = &bytes;
                let whole = next_start <= end;
                if whole {
                    text = text.strip_suffix(b"\n").unwrap_or(text);
                    text = text.strip_suffix(b"\r").unwrap_or(text);
                }
                let clipped = text.len() > LINE_LIMIT;
                if clipped {
                    let mut cut = LINE_LIMIT;
                    while cut > 0 && text[cut].cast_signed() < -0x40 {
                        cut -= 1;
                    }
                    text = &text[..cut];
                }
                out.push(RawLine { text: String::from_utf8_lossy(text).into_owned(), clipped });
            }
            line += 1;
            offset = next_start;
        }
        Ok(out)
    }

    /// Where the line after `line` (starting at `offset`) starts: the next checkpoint when it is that line,
    /// else one past the next newline, found before the next checkpoint.
    fn next_line_start(&self, line: u64, offset: u64, access: Access) -> io::Result<u64> {
        let next = self.checkpoints.partition_point(|c| c.line <= line);
        let bound = match self.checkpoints.get(next) {
            Some(c) if c.line == line + 1 => return Ok(c.offset),
            Some(c) => c.offset,
            None => self.source.len(),
        };
        // In small windows: a frame reads about as much as it shows, not the rest of a checkpoint's stretch.
        let mut from = offset;
        while from < bound {
            let to = bound.min(from + WINDOW);
            let bytes = self.source.read(from, to, access)?;
            if let Some(p) = memchr::memchr(b'\n', &bytes) {
                return Ok(from + p as u64 + 1);
            }
            from = to;
        }
        Ok(bound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use std::fmt::Write as _;

    fn raw(text: &str) -> RawText {
        RawText::new(Source::from_bytes(Bytes::from(text.to_string()))).unwrap()
    }

    fn texts(raw: &RawText, start: usize, count: usize) -> Vec<String> {
        raw.lines(start, count).unwrap().into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn lines_are_found_by_number() {
        let text = (0..2000).fold(String::new(), |mut text, i| {
            let _ = write!(text, "line {i}\r\n");
            text
        });
        let raw = raw(&text);
        assert_eq!(raw.line_count(), 2000);
        assert_eq!(texts(&raw, 0, 2), ["line 0", "line 1"]);
        assert_eq!(texts(&raw, 1023, 3), ["line 1023", "line 1024", "line 1025"]);
        assert_eq!(texts(&raw, 1998, 10), ["line 1998", "line 1999"]);
        assert!(texts(&raw, 2000, 1).is_empty());
    }

    #[test]
    fn a_last_line_without_newline_counts() {
        assert_eq!(raw("a\nb").line_count(), 2);
        assert_eq!(raw("a\nb\n").line_count(), 2);
        assert_eq!(raw("").line_count(), 0);
        assert_eq!(texts(&raw("a\n\nb"), 0, 5), ["a", "", "b"]);
    }

    #[test]
    fn long_lines_are_clipped_on_a_character_boundary() {
        let long = "é".repeat(LINE_LIMIT);
        let raw = raw(&format!("short\n{long}\nafter"));
        let lines = raw.lines(0, 3).unwrap();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].clipped && !lines[0].clipped && !lines[2].clipped);
        assert!(lines[1].text.len() <= LINE_LIMIT && lines[1].text.chars().all(|c| c == 'é'));
        assert_eq!(lines[2].text, "after");
        assert_eq!(texts(&raw, 2, 1), ["after"], "found without reading the long line");
    }

    #[test]
    fn invalid_utf8_shows_as_replacement_characters() {
        let raw = RawText::new(Source::from_bytes(Bytes::from_static(b"ok\n\xFF\xFEbad\n"))).unwrap();
        assert_eq!(texts(&raw, 1, 1), ["\u{fffd}\u{fffd}bad"]);
    }
}
