//! Compact JSON laid out pretty (2 spaces, as `serde_json`'s pretty printer does) without building a tree.
//!
//! The built-in catalogue keeps its body examples compact, one line each; laying them out straight from the text
//! is several times faster than parse-and-print, and this runs before the first frame.

/// `text` (valid JSON) laid out pretty; `None` when it is not valid JSON.
pub(super) fn pretty(text: &str) -> Option<String> {
    serde_json::from_str::<serde::de::IgnoredAny>(text).ok()?;
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => copy_string(&mut chars, &mut out),
            '{' | '[' => {
                let close = if c == '{' { '}' } else { ']' };
                skip_whitespace(&mut chars);
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(c);
                    out.push(close);
                } else {
                    depth += 1;
                    out.push(c);
                    new_line(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                new_line(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                new_line(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_ascii_whitespace() => {}
            c => out.push(c),
        }
    }
    Some(out)
}

/// Copies a string literal whose opening quote was just read, escapes and all.
fn copy_string(chars: &mut impl Iterator<Item = char>, out: &mut String) {
    out.push('"');
    while let Some(c) = chars.next() {
        out.push(c);
        match c {
            '\\' => out.extend(chars.next()),
            '"' => return,
            _ => {}
        }
    }
}

fn skip_whitespace(chars: &mut std::iter::Peekable<impl Iterator<Item = char>>) {
    while chars.next_if(char::is_ascii_whitespace).is_some() {}
}

fn new_line(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_serde_json_pretty_printing() {
        let samples = [
            r#"{"a":1,"b":[true,null,{"c":"x\"y:,{["}],"e":{},"f":[],"g":"\u009b\\"}"#,
            r#"[ 1 , { } , [ ] , "s" ]"#,
            r#""just a string""#,
            "-1.5e3",
        ];
        for sample in samples {
            let tree: serde_json::Value = serde_json::from_str(sample).unwrap();
            let want = serde_json::to_string_pretty(&tree).unwrap();
            let got = pretty(sample).unwrap();
            // serde_json's tree sorts keys; compare key-order-free, then the layout on an ordered sample.
            assert_eq!(serde_json::from_str::<serde_json::Value>(&got).unwrap(), tree, "{sample}");
            assert_eq!(got.lines().count(), want.lines().count(), "{got}\n---\n{want}");
        }
        assert_eq!(
            pretty(r#"{"z":[1,{}],"a":"b"}"#).unwrap(),
            "{\n  \"z\": [\n    1,\n    {}\n  ],\n  \"a\": \"b\"\n}"
        );
    }

    #[test]
    fn invalid_json_is_refused() {
        assert!(pretty("{\"a\":").is_none());
        assert!(pretty("").is_none());
    }
}
