//! Text that came from outside (the network, files) made safe to put on a terminal.
//!
//! A response must never drive the terminal: ESC, OSC, C1 controls and friends are shown escaped (`\u{1b}`), so a
//! body, a header or an error page cannot move the cursor, change the title or write to the clipboard.

pub mod layout;

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a character would be interpreted by the terminal rather than shown.
fn is_control(c: char) -> bool {
    // C0 (incl. ESC, BEL, CR), DEL and C1 (incl. CSI 0x9b, OSC 0x9d), plus the bidi overrides that reorder what is
    // shown, so a response cannot disguise text either.
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Returns `text` with every control character replaced by a visible escape (`\n` stays `\n` only if `keep_newlines`).
pub fn escape_controls_with(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_control(c) && !(keep_newlines && c == '\n')) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One-line safe form of `text`: every control character, newlines included, escaped.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape_controls_with(text, false)
}

/// Safe form of bytes that may not be UTF-8: invalid sequences become U+FFFD, controls are escaped, lines kept.
pub fn safe_lines(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    escape_controls_with(&text, true).into_owned()
}

/// [`safe_lines`] for a body that arrives in pieces: a character split between two pieces is kept back until its
/// end arrives, so it is neither replaced nor escaped wrongly.
#[derive(Debug, Default)]
pub struct SafeLinesStream {
    pending: Vec<u8>,
}

impl SafeLinesStream {
    /// The safe form of everything complete so far.
    pub fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let complete = valid_prefix_end(&self.pending);
        let text = safe_lines(&self.pending[..complete]);
        self.pending.drain(..complete);
        text
    }

    /// The safe form of what was kept back.
    pub fn finish(self) -> String {
        safe_lines(&self.pending)
    }
}

/// Where the last incomplete UTF-8 sequence of `bytes` starts (the whole length if there is none).
fn valid_prefix_end(bytes: &[u8]) -> usize {
    let mut end = bytes.len();
    for back in 1..=3.min(bytes.len()) {
        let b = bytes[bytes.len() - back];
        if b & 0xC0 != 0x80 {
            let needed = if b >= 0xF0 {
                4
            } else if b >= 0xE0 {
                3
            } else if b >= 0xC0 {
                2
            } else {
                1
            };
            if needed > back {
                end = bytes.len() - back;
            }
            break;
        }
    }
    end
}

/// `1234567` → `1.2 MB`: sizes as people read them.
pub fn human_bytes(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // display only
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.1} KB", b / 1024.0)
    } else if b < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    } else {
        format!("{:.1} GB", b / (1024.0 * 1024.0 * 1024.0))
    }
}

/// An error's text as a person reads it: "Connection refused" rather than "Connection refused (os error 111)", with
/// control characters escaped (error texts can carry text from the network, a certificate's name for one).
pub fn plain_error(text: &str) -> String {
    let text = text.find(" (os error").map_or(text, |i| &text[..i]);
    escape_controls(text).into_owned()
}

/// `text` with its first letter in capitals, for a message that starts a sentence.
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_start_with_a_capital() {
        assert_eq!(capitalize("cannot reach"), "Cannot reach");
        assert_eq!(capitalize(""), "");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(escape_controls("hello / wörld"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_are_shown_not_run() {
        let hostile = "a\u{1b}]52;c;ZXZpbA==\u{7}b\u{9b}31mc\u{7f}";
        let safe = escape_controls(hostile);
        assert_eq!(safe, "a\\u{1b}]52;c;ZXZpbA==\\u{7}b\\u{9b}31mc\\u{7f}");
        assert!(!safe.chars().any(char::is_control));
    }

    #[test]
    fn newlines_kept_only_when_asked() {
        assert_eq!(escape_controls("a\nb"), "a\\nb");
        assert_eq!(escape_controls_with("a\nb\u{1b}", true), "a\nb\\u{1b}");
    }

    #[test]
    fn bidi_overrides_are_escaped() {
        assert_eq!(escape_controls("x\u{202e}y"), "x\\u{202e}y");
    }

    #[test]
    fn error_texts_lose_the_os_error_number_and_any_control_character() {
        assert_eq!(plain_error("Connection refused (os error 111)"), "Connection refused");
        assert_eq!(plain_error("bad name DnsName(\"x\u{1b}[2J\")"), "bad name DnsName(\"x\\u{1b}[2J\")");
    }

    #[test]
    fn a_body_in_pieces_reads_as_the_whole_would() {
        let text = "naïve \u{1b}[2J 日本 🎉 end".as_bytes();
        for piece in 1..text.len() {
            let mut stream = SafeLinesStream::default();
            let mut out = String::new();
            for chunk in text.chunks(piece) {
                out.push_str(&stream.push(chunk));
            }
            out.push_str(&stream.finish());
            assert_eq!(out, safe_lines(text), "pieces of {piece}");
        }
        let mut stream = SafeLinesStream::default();
        assert_eq!(stream.push(b"a\xffb"), "a\u{fffd}b");
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        assert_eq!(safe_lines(b"ok\xff\x1b"), "ok\u{fffd}\\u{1b}");
    }
}
