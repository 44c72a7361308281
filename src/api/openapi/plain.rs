//! Spec prose and values made into the plain one-line text the catalogue holds.
//!
//! Prose (summaries, descriptions, hints) leaves the loader as one line with control characters escaped. What goes
//! on the wire (parameter names, defaults, examples, allowed values, paths, server URLs, media types, scopes) is kept
//! as the document wrote it ([`wire_name`], [`wire_text`]): escaping is for drawing, and the screen escapes every
//! control character it draws (`ui::widgets::defuse`), so a document still cannot drive the terminal.

use serde_yaml_ng::Value;

use super::refs::untag;

/// `text` on one line: whitespace runs (newlines included) become one space, a BOM goes, controls are escaped.
pub(super) fn one_line(text: &str) -> String {
    let joined = text.split(|c: char| c.is_whitespace() || c == '\u{feff}').filter(|w| !w.is_empty());
    let joined = joined.collect::<Vec<_>>().join(" ");
    crate::text::escape_controls(&joined).into_owned()
}

/// A name that goes on the wire (a parameter name, a path, a server URL, a media type, a scope), as the document
/// wrote it: only surrounding whitespace and a BOM go.
pub(super) fn wire_name(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').to_string()
}

/// The first line of a markdown description that says something, without markdown or HTML noise.
pub(super) fn first_line(description: &str) -> String {
    description
        .lines()
        .map(strip_markdown)
        .map(|line| one_line(&line))
        .find(|line| !line.is_empty())
        .unwrap_or_default()
}

fn strip_markdown(line: &str) -> String {
    let line = line.trim().trim_start_matches('\u{feff}').trim_start();
    let line = line.trim_start_matches('#').trim_start_matches('>').trim_start();
    let line = ["- ", "* ", "+ "].iter().find_map(|marker| line.strip_prefix(marker)).unwrap_or(line);
    let line = without_html_tags(line);
    let line = links_as_text(&line);
    line.replace("**", "").replace('`', "")
}

/// `<details>`, `<a href="...">` and `</a>` go; a lone `<` that starts no tag (`a < b`) stays.
fn without_html_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let starts_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match after.find('>') {
            Some(end) if starts_tag => {
                out.push_str(&rest[..start]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str(&rest[..=start]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `[text](url)` and `![alt](url)` become `text` and `alt`.
fn links_as_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else { break };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else { break };
        let before = &rest[..open];
        out.push_str(before.strip_suffix('!').unwrap_or(before));
        out.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A value as the text that goes on the wire: strings raw, numbers and booleans as their JSON text, lists
/// comma-separated (the `form` style), objects as compact JSON. `null` is no value.
pub(super) fn wire_text(value: &Value) -> Option<String> {
    match untag(value) {
        Value::Null | Value::Tagged(_) => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Sequence(items) => Some(items.iter().filter_map(wire_text).collect::<Vec<_>>().join(",")),
        other @ Value::Mapping(_) => serde_json::to_string(other).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_skips_markup_only_lines_and_strips_noise() {
        let text = "\u{feff}\n<details>\n## The `limit` **query** parameter\n\nmore";
        assert_eq!(first_line(text), "The limit query parameter");
        assert_eq!(
            first_line("See <a href=\"x\">the guide</a> or [docs](https://d.example)."),
            "See the guide or docs."
        );
        assert_eq!(first_line("- if a < b then ![pic](p.png)"), "if a < b then pic");
        assert_eq!(first_line("  \n\t"), "");
    }

    #[test]
    fn one_line_collapses_whitespace_and_escapes_controls() {
        assert_eq!(one_line("  Get\n  a\tuser \u{1b}[31m "), "Get a user \\u{1b}[31m");
    }

    #[test]
    fn wire_text_uses_json_text_for_scalars() {
        let value: Value = serde_yaml_ng::from_str("[100, false, '', 'asc(name)', 1.5, null, [a, b], {k: 1}]").unwrap();
        let texts: Vec<Option<String>> = value.as_sequence().unwrap().iter().map(wire_text).collect();
        let want = [Some("100"), Some("false"), Some(""), Some("asc(name)"), Some("1.5"), None, Some("a,b")];
        for (got, want) in texts.iter().zip(want) {
            assert_eq!(got.as_deref(), want);
        }
        assert_eq!(texts[7].as_deref(), Some("{\"k\":1}"));
    }

    #[test]
    fn what_goes_on_the_wire_is_not_escaped() {
        let value: Value = serde_yaml_ng::from_str("\"a\\u001b[31mb\"").unwrap();
        assert_eq!(wire_text(&value).as_deref(), Some("a\u{1b}[31mb"), "sent as written; the screen escapes it");
        assert_eq!(wire_name(" \u{feff}X-Key\u{7}\n"), "X-Key\u{7}");
    }
}
