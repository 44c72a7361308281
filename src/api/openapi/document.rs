//! Bytes to a document tree, JSON or YAML told apart by content (a URL or a file name may lie about it).
//!
//! The tree is `serde_yaml_ng::Value` for both: it keeps keys in document order (the catalogue lists paths as
//! written) and takes any YAML key (`200:`, `5XX:`) as it is. Both parsers stop at 128 levels of nesting with an
//! error, so no input can overflow the stack here.

mod lenient;
mod schemas_later;
mod split;

pub(super) use schemas_later::SchemasLater;

use serde::Deserialize as _;
use serde_yaml_ng::Value;

use crate::api::SpecError;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text without its byte-order mark, and its first byte that is not whitespace (`{` or `[` for JSON).
fn text_and_first(bytes: &[u8]) -> (&[u8], Option<u8>) {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    (bytes, bytes.iter().copied().find(|b| !b.is_ascii_whitespace()))
}

/// Whether the YAML may use merge keys (`<<: *shared`), which are applied over the whole tree.
fn may_merge(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"<<").is_some()
}

pub(super) fn decode(bytes: &[u8], origin: &str) -> Result<Value, SpecError> {
    let (bytes, first) = text_and_first(bytes);
    let Some(first) = first else {
        return Err(SpecError::Empty { origin: origin.to_string() });
    };
    if first == b'{' || first == b'[' {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(value) => Ok(value),
            // A YAML flow mapping (`{openapi: 3.1.0, ...}`) also starts with a brace, but not with a quoted key.
            Err(json) if first == b'{' && !starts_with_quoted_key(bytes) => {
                yaml(bytes).map_err(|_| json_error(&json, origin))
            }
            Err(json) => Err(json_error(&json, origin)),
        }
    } else {
        yaml(bytes).map_err(|e| yaml_error(&e, origin))
    }
}

/// [`decode`], but a big YAML document's `components/schemas` may be left unparsed (see [`SchemasLater`]): not
/// when it has merge keys, which are applied over the whole tree.
pub(super) fn decode_soon(bytes: &[u8], origin: &str) -> Result<(Value, Option<SchemasLater>), SpecError> {
    let (yaml_text, first) = text_and_first(bytes);
    if first.is_some_and(|b| b != b'{' && b != b'[')
        && yaml_text.len() >= split::MIN_BYTES
        && !may_merge(yaml_text)
        && let Some((value, later)) = split::parse_in_pieces_but_schemas(yaml_text, true)
    {
        return Ok((value, later));
    }
    decode(bytes, origin).map(|value| (value, None))
}

/// YAML with its merge keys (`<<: *shared`) applied, as YAML 1.1 tools (PyYAML, Swagger UI) read them: parameters
/// and responses shared that way would otherwise be lost. A malformed merge leaves what it could not merge out.
fn yaml(bytes: &[u8]) -> Result<Value, serde_yaml_ng::Error> {
    let pieced = if bytes.len() >= split::MIN_BYTES { split::parse_in_pieces(bytes) } else { None };
    let mut value = match pieced {
        Some(value) => value,
        None => lenient::Lenient::deserialize(serde_yaml_ng::Deserializer::from_slice(bytes))?.0,
    };
    // Walking the whole tree of a big document for merge keys takes tens of milliseconds; most have none.
    if may_merge(bytes) {
        let _ = value.apply_merge();
    }
    Ok(value)
}

fn starts_with_quoted_key(bytes: &[u8]) -> bool {
    let mut rest = bytes.iter().copied().filter(|b| !b.is_ascii_whitespace()).skip(1);
    rest.next() == Some(b'"')
}

fn json_error(error: &serde_json::Error, origin: &str) -> SpecError {
    let text = error.to_string();
    // serde_json appends " at line L column C"; the error names the position itself.
    let message = text.rfind(" at line ").map_or(text.as_str(), |i| &text[..i]);
    SpecError::Json {
        origin: origin.to_string(),
        line: error.line(),
        column: error.column(),
        message: crate::text::escape_controls(message).into_owned(),
    }
}

fn yaml_error(error: &serde_yaml_ng::Error, origin: &str) -> SpecError {
    let text = error.to_string();
    let (line, column, message) = match error.location() {
        Some(at) => {
            let said = format!(" at line {} column {}", at.line(), at.column());
            (at.line(), at.column(), text.replacen(&said, "", 1))
        }
        None => (0, 0, text),
    };
    SpecError::Yaml {
        origin: origin.to_string(),
        line,
        column,
        message: crate::text::escape_controls(&message).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_merge_keys_are_applied() {
        let doc = decode(
            b"x-shared: &shared\n  tags: [t]\n  summary: shared\npaths:\n  /a:\n    get:\n      <<: *shared\n      summary: own\n",
            "t",
        )
        .unwrap();
        let get = &doc["paths"]["/a"]["get"];
        assert_eq!((get["tags"][0].as_str(), get["summary"].as_str()), (Some("t"), Some("own")));
        assert!(get.get("<<").is_none());
    }

    #[test]
    fn yaml_keys_of_any_kind_are_kept_in_order() {
        let doc = decode(b"responses:\n  200: ok\n  5XX: bad\n  '404': gone\n", "t").unwrap();
        let keys: Vec<String> = doc["responses"]
            .as_mapping()
            .unwrap()
            .keys()
            .map(|k| match k {
                Value::Number(n) => n.to_string(),
                other => other.as_str().unwrap().to_string(),
            })
            .collect();
        assert_eq!(keys, ["200", "5XX", "404"]);
    }

    #[test]
    fn json_is_told_by_content_and_keeps_order() {
        let doc = decode(b" \n{\"z\": 1, \"a\": 2}", "t").unwrap();
        let keys: Vec<&str> = doc.as_mapping().unwrap().keys().filter_map(Value::as_str).collect();
        assert_eq!(keys, ["z", "a"]);
    }

    #[test]
    fn yaml_flow_mapping_starting_with_a_brace_is_read() {
        let doc = decode(b"{openapi: 3.1.0, paths: {}}", "t").unwrap();
        assert_eq!(doc["openapi"].as_str(), Some("3.1.0"));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let json = decode(b"{\n  \"a\": [1,,2]\n}", "spec.json").unwrap_err();
        assert_eq!(json.to_string(), "spec.json: invalid JSON at line 2, column 11: expected value");
        let yaml = decode(b"openapi: 3.1.0\ninfo:\n  title: x\n bad: [\n", "spec.yaml").unwrap_err();
        let SpecError::Yaml { line, column, .. } = yaml else { panic!("{yaml:?}") };
        assert!(line >= 4 && column >= 1, "{yaml}");
        assert!(yaml.to_string().starts_with(&format!("spec.yaml: invalid YAML at line {line}, column {column}: ")));
    }

    #[test]
    fn integers_past_64_bits_are_numbers_as_in_json() {
        let doc =
            decode(b"a: 123456789012345678901234567890\nb: -99999999999999999999\nc: 18446744073709551615\n", "t")
                .unwrap();
        assert_eq!(doc["a"].as_f64(), Some(1.234_567_890_123_456_8e29));
        assert_eq!(doc["b"].as_f64(), Some(-1e20));
        assert_eq!(doc["c"].as_u64(), Some(u64::MAX));
        let json = decode(b"{\"a\": 123456789012345678901234567890}", "t").unwrap();
        assert_eq!(json["a"], doc["a"]);
    }

    #[test]
    fn duplicate_keys_and_tags_read_as_before() {
        let err = decode(b"a: 1\na: 2\n", "t").unwrap_err();
        assert!(err.to_string().contains("duplicate entry with key \"a\""), "{err}");
        let doc = decode(b"a: !custom {b: 1}\n", "t").unwrap();
        assert!(matches!(&doc["a"], Value::Tagged(t) if t.tag == "custom"));
    }

    #[test]
    fn blank_input_is_empty_not_a_parse_error() {
        assert_eq!(decode(b"\xEF\xBB\xBF \n\t", "x").unwrap_err(), SpecError::Empty { origin: "x".into() });
    }
}
