//! The words of one catalogue line: `keyword word key=value ... : free text`.
//!
//! A word or value that is empty, holds whitespace, `=`, a leading `"` or a control character is written as a JSON
//! string literal (`"a b"`); everything else is written bare, so the file stays readable. A lone `:` word starts
//! the free text, which runs to the end of the line.

use std::borrow::Cow;

/// A line split into its parts; bare words borrow from the line, only quoted ones are copied.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Line<'t> {
    pub keyword: &'t str,
    pub words: Vec<Cow<'t, str>>,
    pub pairs: Vec<(&'t str, Cow<'t, str>)>,
    pub text: Option<&'t str>,
}

impl Line<'_> {
    /// The first value of `key`, if given.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_ref())
    }

    /// Every value of `key`, in order (for repeated keys such as `scope=` and `enum=`).
    pub fn all(&self, key: &str) -> Vec<String> {
        self.pairs.iter().filter(|(k, _)| *k == key).map(|(_, v)| v.to_string()).collect()
    }
}

pub(super) fn split(line: &str) -> Result<Line<'_>, String> {
    let line = line.trim_start();
    let (keyword, mut rest) = line.split_once(' ').unwrap_or((line, ""));
    let mut parsed = Line { keyword, words: Vec::new(), pairs: Vec::new(), text: None };
    loop {
        rest = rest.trim_start_matches(' ');
        if rest.is_empty() {
            break;
        }
        if rest == ":" || rest.starts_with(": ") {
            parsed.text = Some(rest.get(2..).unwrap_or_default());
            break;
        }
        let word_end = rest.find(' ').unwrap_or(rest.len());
        if rest.starts_with('"') {
            let (word, used) = json_string(rest)?;
            parsed.words.push(Cow::Owned(word));
            rest = &rest[used..];
        } else if let Some(eq) = rest[..word_end].find('=') {
            let key = &rest[..eq];
            let after = &rest[eq + 1..];
            if after.starts_with('"') {
                let (value, used) = json_string(after)?;
                parsed.pairs.push((key, Cow::Owned(value)));
                rest = &after[used..];
            } else {
                parsed.pairs.push((key, Cow::Borrowed(&rest[eq + 1..word_end])));
                rest = &rest[word_end..];
            }
        } else {
            parsed.words.push(Cow::Borrowed(&rest[..word_end]));
            rest = &rest[word_end..];
        }
        if !(rest.is_empty() || rest.starts_with(' ')) {
            return Err(format!(
                "expected a space after a quoted word, found `{}`",
                rest.chars().next().unwrap_or(' ')
            ));
        }
    }
    Ok(parsed)
}

/// A JSON string literal at the start of `text`, and how many bytes it took.
fn json_string(text: &str) -> Result<(String, usize), String> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<String>();
    match stream.next() {
        Some(Ok(value)) => Ok((value, stream.byte_offset())),
        Some(Err(e)) => Err(format!("bad quoted word: {e}")),
        None => Err("bad quoted word".to_string()),
    }
}

/// Appends ` word`, quoted if it needs to be.
pub(super) fn push_word(out: &mut String, word: &str) {
    out.push(' ');
    push_quoted_if_needed(out, word);
}

/// Appends ` key=value`, the value quoted if it needs to be.
pub(super) fn push_pair(out: &mut String, key: &str, value: &str) {
    out.push(' ');
    out.push_str(key);
    out.push('=');
    push_quoted_if_needed(out, value);
}

/// Appends ` : text`; the text is one line already (the catalogue holds no multi-line names or summaries).
pub(super) fn push_text(out: &mut String, text: &str) {
    if !text.is_empty() {
        out.push_str(" : ");
        out.push_str(&text.replace(['\n', '\r'], " "));
    }
}

fn push_quoted_if_needed(out: &mut String, word: &str) {
    let needs_quotes = word.is_empty()
        || word == ":"
        || word.starts_with('"')
        || word.chars().any(|c| c.is_whitespace() || c.is_control() || c == '=');
    if needs_quotes {
        out.push_str(&serde_json::to_string(word).unwrap_or_else(|_| "\"\"".to_string()));
    } else {
        out.push_str(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_pairs_quotes_and_text() {
        let line =
            split(r#"query sort required default="" example="asc(name), desc(x)" w="a=b" "two words" : Sorts : all"#)
                .unwrap();
        assert_eq!(line.keyword, "query");
        assert_eq!(line.words, ["sort", "required", "two words"]);
        assert_eq!(line.get("default"), Some(""));
        assert_eq!(line.get("example"), Some("asc(name), desc(x)"));
        assert_eq!(line.get("w"), Some("a=b"));
        assert_eq!(line.text, Some("Sorts : all"));
        assert_eq!(split("tag x :").unwrap().text, Some(""));
    }

    #[test]
    fn what_is_written_reads_back() {
        let tricky = ["", ":", "\"q", "a b", "x=y", "tab\there", "plain", "users:read", "ünï"];
        let mut out = String::from("op");
        for word in tricky {
            push_word(&mut out, word);
            push_pair(&mut out, "k", word);
        }
        push_text(&mut out, "free : text");
        let line = split(&out).unwrap();
        assert_eq!(line.words, tricky);
        assert_eq!(line.all("k"), tricky);
        assert_eq!(line.text, Some("free : text"));
    }

    #[test]
    fn broken_quotes_are_errors_not_panics() {
        assert!(split(r#"op "unterminated"#).is_err());
        assert!(split(r#"op k="a"b"#).is_err());
        assert!(split("op k=\"\\x\"").is_err());
    }
}
