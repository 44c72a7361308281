//! A big block-style YAML document read in pieces on two threads.
//!
//! YAML parsing is the one slow step of opening a large spec (tens of MB/s), and it cannot be made parallel inside
//! the parser. But a spec's top level is a block mapping, and so are its big entries (`paths`, `components`, and
//! below `components` its `schemas`): a line that starts at the left margin starts a top-level key, and a line at
//! the first indentation of such an entry starts one of its keys. Each piece between two such lines is a YAML
//! document of its own, so the pieces are parsed on two threads and the mappings joined.
//!
//! Anything this cannot vouch for gives `None`, and the caller parses the document whole as before: a piece that
//! fails (an alias to an anchor in another piece, a multi-line flow value the cut went through), a piece that is
//! not one mapping, a repeated key, document markers or directives. The whole parse also gives the error message
//! with the right line, so errors read the same.

use std::ops::Range;

use serde::Deserialize as _;
use serde_yaml_ng::{Mapping, Value};

use super::lenient::Lenient;
pub(in crate::api::openapi) use super::schemas_later::SchemasLater;

/// Below this, one thread reads the document faster than two can be started and joined.
pub(super) const MIN_BYTES: usize = 1 << 20;
/// Entries larger than this are cut at their own keys.
const SPLIT_ENTRY_BYTES: usize = 128 << 10;
/// Pieces are grouped up to about this size.
const PIECE_BYTES: usize = 64 << 10;

/// One piece: a top-level entry whole, or a run of keys of a big entry (or of a big entry inside one).
struct Piece {
    bytes: Range<usize>,
    /// Where the lines of the entries the keys belong to start, outermost first; empty for a top-level entry.
    chain: Vec<usize>,
}

/// The document parsed in pieces, or `None` when it cannot be cut safely (or a piece fails).
pub(super) fn parse_in_pieces(bytes: &[u8]) -> Option<Value> {
    parse_in_pieces_but_schemas(bytes, false).map(|(value, _)| value)
}

/// [`parse_in_pieces`]; with `defer_schemas`, the pieces under `components/schemas` (most of a big spec) are left
/// unparsed, for [`SchemasLater`] to parse those needed first and the rest later.
pub(super) fn parse_in_pieces_but_schemas(bytes: &[u8], defer_schemas: bool) -> Option<(Value, Option<SchemasLater>)> {
    // An alias may name an anchor in another piece, and that piece then fails only after it was parsed: a document
    // that may define anchors is read whole at once.
    if has_anchor(bytes) {
        return None;
    }
    let (entries, headers) = top_level_entries(bytes)?;
    let mut pieces = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        match headers[index].clone() {
            Some(body) if entry.len() > SPLIT_ENTRY_BYTES => pieces.extend(keys_of(bytes, body, &[entry.start])?),
            _ => pieces.push(Piece { bytes: entry.clone(), chain: Vec::new() }),
        }
    }
    if pieces.len() < 2 {
        return None;
    }
    let mut later = None;
    if defer_schemas {
        let (schemas, rest): (Vec<Piece>, Vec<Piece>) = pieces.into_iter().partition(|p| is_schemas_piece(bytes, p));
        pieces = rest;
        if !schemas.is_empty() {
            later = Some(SchemasLater::new(schemas.iter().map(|p| bytes[p.bytes.clone()].to_vec()).collect()));
        }
    }
    let parsed = parse_on_two_threads(bytes, &pieces)?;
    Some((join(bytes, &pieces, parsed)?, later))
}

/// Whether the piece holds keys of `components` → `schemas`.
fn is_schemas_piece(bytes: &[u8], piece: &Piece) -> bool {
    let key = |at: usize| header_key(bytes, at);
    piece.chain.len() == 2
        && key(piece.chain[0]).as_ref().and_then(Value::as_str) == Some("components")
        && key(piece.chain[1]).as_ref().and_then(Value::as_str) == Some("schemas")
}

/// The key of the `key:` line starting at `at`.
fn header_key(bytes: &[u8], at: usize) -> Option<Value> {
    let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
    Some(parse_mapping(&bytes[at..line_end])?.into_iter().next()?.0)
}

/// Whether an anchor (`key: &name`, `- &name`) may be defined: an `&` right after `: ` or `- ` and before a name.
/// Markdown in descriptions (`- *field*`, `Terms & Conditions`) does not look like one.
fn has_anchor(bytes: &[u8]) -> bool {
    [&b": &"[..], b"- &"].iter().any(|marker| {
        memchr::memmem::find_iter(bytes, marker)
            .any(|at| bytes.get(at + 3).is_some_and(|b| !b.is_ascii_whitespace() && !b"&#".contains(b)))
    })
}

/// The byte ranges of the top-level entries, and for each the range of its body when its line is `key:` alone
/// (a block collection follows). `None` for what this does not read: `---` after the start, `...`, directives,
/// tabs at the margin, a document that is not a block mapping.
#[allow(clippy::type_complexity)]
fn top_level_entries(bytes: &[u8]) -> Option<(Vec<Range<usize>>, Vec<Option<Range<usize>>>)> {
    let mut starts: Vec<usize> = Vec::new();
    let mut at = 0;
    let mut first_line = true;
    while at < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
        let line = &bytes[at..end];
        match line.first() {
            None | Some(b' ' | b'\n' | b'\r' | b'#') => {}
            Some(b'-' | b'.') if line.starts_with(b"---") || line.starts_with(b"...") => {
                if !(first_line
                    && starts.is_empty()
                    && line.starts_with(b"---")
                    && line[3..].iter().all(u8::is_ascii_whitespace))
                {
                    return None;
                }
                // The document starts after the marker: nothing before the first key is kept.
            }
            // A list at the margin is the value of the key above it (`tags:` then `- name: x`).
            Some(b'-') if !starts.is_empty() && (line.starts_with(b"- ") || line.starts_with(b"-\n")) => {}
            Some(b'%' | b'\t' | b'-' | b'[' | b'{' | b'?' | b'&' | b'*' | b'!' | b'|' | b'>') => return None,
            Some(_) => starts.push(at),
        }
        first_line = false;
        at = end;
    }
    if starts.is_empty() {
        return None;
    }
    let mut entries = Vec::with_capacity(starts.len());
    let mut headers = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(bytes.len());
        let line_end = memchr::memchr(b'\n', &bytes[start..end]).map_or(end, |j| start + j + 1);
        headers.push(bare_key_line(&bytes[start..line_end]).then_some(line_end..end));
        entries.push(start..end);
    }
    Some((entries, headers))
}

/// Whether the line is a plain key and a colon with nothing after it (a comment aside).
fn bare_key_line(line: &[u8]) -> bool {
    let text = line.strip_suffix(b"\n").unwrap_or(line);
    let text = &text[text.iter().take_while(|b| **b == b' ').count()..];
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    let Some(colon) = memchr::memchr(b':', text) else { return false };
    let key = &text[..colon];
    let rest = &text[colon + 1..];
    let plain = key.iter().all(|b| b.is_ascii_alphanumeric() || b"_-.$".contains(b)) && !key.is_empty();
    let nothing_after = rest.iter().position(|b| !b.is_ascii_whitespace()).is_none_or(|i| rest[i] == b'#' && i > 0);
    plain && nothing_after
}

/// The keys of an entry's body (lines at its first indentation) in runs of about [`PIECE_BYTES`], a big key of a
/// top-level entry cut at its own keys in turn; `None` when the body is no block mapping (a list, a scalar).
fn keys_of(bytes: &[u8], body: Range<usize>, chain: &[usize]) -> Option<Vec<Piece>> {
    let mut indent = None;
    let mut starts = Vec::new();
    let mut at = body.start;
    while at < body.end {
        let end = memchr::memchr(b'\n', &bytes[at..body.end]).map_or(body.end, |i| at + i + 1);
        let line = &bytes[at..end];
        let spaces = line.iter().take_while(|b| **b == b' ').count();
        let rest = &line[spaces..];
        let blank = rest.iter().all(u8::is_ascii_whitespace) || rest.first() == Some(&b'#');
        if !blank {
            match indent {
                None if spaces == 0 => return None,
                // A list at a key's own indentation is that key's value.
                Some(width) if spaces == width && (rest.starts_with(b"- ") || rest.starts_with(b"-\n")) => {}
                None | Some(_) if indent.is_none_or(|width| spaces == width) => {
                    if matches!(
                        rest.first(),
                        Some(b'-' | b'?' | b'[' | b'{' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\t')
                    ) {
                        return None;
                    }
                    indent = Some(spaces);
                    starts.push(at);
                }
                Some(width) if spaces < width => return None,
                _ => {}
            }
        }
        at = end;
    }
    let mut pieces = Vec::new();
    let mut run: Option<usize> = None;
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(body.end);
        let line_end = memchr::memchr(b'\n', &bytes[start..end]).map_or(end, |j| start + j + 1);
        if chain.len() < 2 && end - start > SPLIT_ENTRY_BYTES && bare_key_line(&bytes[start..line_end]) {
            if let Some(run_start) = run.take() {
                pieces.push(Piece { bytes: run_start..start, chain: chain.to_vec() });
            }
            let mut inner = chain.to_vec();
            inner.push(start);
            pieces.extend(keys_of(bytes, line_end..end, &inner)?);
            continue;
        }
        let run_start = *run.get_or_insert(start);
        if end - run_start >= PIECE_BYTES {
            pieces.push(Piece { bytes: run_start..end, chain: chain.to_vec() });
            run = None;
        }
    }
    if let Some(run_start) = run {
        pieces.push(Piece { bytes: run_start..body.end, chain: chain.to_vec() });
    }
    (!pieces.is_empty()).then_some(pieces)
}

/// Each piece's mapping, the pieces shared between this thread and one other by size.
fn parse_on_two_threads(bytes: &[u8], pieces: &[Piece]) -> Option<Vec<Mapping>> {
    let texts: Vec<&[u8]> = pieces.iter().map(|p| &bytes[p.bytes.clone()]).collect();
    parse_texts_on_two_threads(&texts)
}

/// Each text's mapping, the texts shared between this thread and one other by size.
pub(super) fn parse_texts_on_two_threads(texts: &[&[u8]]) -> Option<Vec<Mapping>> {
    let total: usize = texts.iter().map(|t| t.len()).sum();
    // The first pieces up to half the bytes here, the rest on the other thread.
    let mut half = 0;
    let mut cut = texts.len();
    for (i, text) in texts.iter().enumerate() {
        if half >= total / 2 {
            cut = i;
            break;
        }
        half += text.len();
    }
    let (mine, theirs) = texts.split_at(cut);
    let parse_all = |list: &[&[u8]]| -> Option<Vec<Mapping>> { list.iter().map(|text| parse_mapping(text)).collect() };
    std::thread::scope(|scope| {
        let other = scope.spawn(|| parse_all(theirs));
        let mut parsed = parse_all(mine)?;
        parsed.extend(other.join().ok()??);
        Some(parsed)
    })
}

pub(super) fn parse_mapping(bytes: &[u8]) -> Option<Mapping> {
    match Lenient::deserialize(serde_yaml_ng::Deserializer::from_slice(bytes)).ok()?.0 {
        Value::Mapping(mapping) => Some(mapping),
        _ => None,
    }
}

/// The pieces joined back into the document's mapping; `None` on a key seen twice or a piece of the wrong shape.
fn join(bytes: &[u8], pieces: &[Piece], parsed: Vec<Mapping>) -> Option<Value> {
    let mut root = Mapping::new();
    let mut opened: Vec<usize> = Vec::new();
    for (piece, mapping) in pieces.iter().zip(parsed) {
        if piece.chain.is_empty() && mapping.len() != 1 {
            return None;
        }
        let mut target = &mut root;
        for &header in &piece.chain {
            let key = header_key(bytes, header)?;
            if !opened.contains(&header) {
                // An entry's first piece: its key must be new where it goes.
                if target.contains_key(&key) {
                    return None;
                }
                opened.push(header);
                target.insert(key.clone(), Value::Mapping(Mapping::new()));
            }
            target = target.get_mut(&key)?.as_mapping_mut()?;
        }
        for (key, value) in mapping {
            target.insert(key, value).is_none().then_some(())?;
        }
    }
    Some(Value::Mapping(root))
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    /// A document big enough to be cut, with what specs hold: nested keys, lists, block scalars, quoted keys.
    fn big_document() -> String {
        let mut doc = String::from(
            "---\nopenapi: 3.0.3\ninfo:\n  title: Big\n  description: |\n    one\n\n    two\ntags:\n- name: a\n- name: b\npaths:\n",
        );
        for i in 0..4000 {
            write!(
                doc,
                "  /items/{i}:\n    get:\n      summary: \"Item {i}: the one\"\n      tags: [a, b]\n      parameters:\n      \
                 - name: id\n        in: query\n        schema: {{type: integer, maximum: 340282366920938463463374607431768211455}}\n      \
                 description: >-\n        folded\n        text\n    # a comment\n"
            )
            .unwrap();
        }
        doc.push_str("components:\n  schemas:\n");
        for i in 0..3000 {
            write!(doc, "    S{i}:\n      type: object\n      properties:\n        '200': {{type: string}}\n").unwrap();
        }
        doc
    }

    #[test]
    fn pieces_join_into_the_same_tree_as_one_parse() {
        let doc = big_document();
        assert!(doc.len() > MIN_BYTES, "{}", doc.len());
        let whole = Lenient::deserialize(serde_yaml_ng::Deserializer::from_str(&doc)).unwrap().0;
        let pieced = parse_in_pieces(doc.as_bytes()).expect("cut into pieces");
        assert_eq!(pieced, whole);
        let keys: Vec<&str> = pieced.as_mapping().unwrap().keys().filter_map(Value::as_str).collect();
        assert_eq!(keys, ["openapi", "info", "tags", "paths", "components"]);
    }

    #[test]
    fn schemas_can_be_left_for_later_and_then_read_the_same() {
        let doc = big_document();
        let whole = Lenient::deserialize(serde_yaml_ng::Deserializer::from_str(&doc)).unwrap().0;
        let (mut quick, later) = parse_in_pieces_but_schemas(doc.as_bytes(), true).unwrap();
        assert!(quick.get("components").and_then(|c| c.get("schemas")).is_none(), "no schema parsed yet");
        assert_eq!(quick.get("paths"), whole.get("paths"));
        let all = later.expect("schemas left for later").parse_all().unwrap();
        quick["components"] = Value::Mapping(Mapping::from_iter([("schemas".into(), Value::Mapping(all))]));
        assert_eq!(quick, whole);
    }

    #[test]
    fn real_documents_cut_into_pieces_read_the_same() {
        for relative in ["zorgapis/openapi-v1beta2.yaml", "specs/spotify-openapi-3.0.yml", "specs/uspto-3.0.yaml"] {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/").to_string() + relative;
            let bytes = std::fs::read(&path).unwrap();
            let whole = Lenient::deserialize(serde_yaml_ng::Deserializer::from_slice(&bytes)).unwrap().0;
            let pieced = parse_in_pieces(&bytes);
            assert!(pieced.is_some() || relative.contains("uspto"), "{relative} is cut into pieces");
            if let Some(pieced) = pieced {
                assert_eq!(pieced, whole, "{relative}");
            }
        }
    }

    #[test]
    fn what_cannot_be_vouched_for_is_left_to_the_whole_parse() {
        let doc = big_document();
        // An alias to an anchor in another piece.
        let aliased = doc.replacen("  /items/0:\n    get:", "  /items/0:\n    get: &shared", 1) + "x-again: *shared\n";
        assert!(parse_in_pieces(aliased.as_bytes()).is_none());
        // An anchor, even one only used in its own piece, and one in a list.
        assert!(has_anchor(b"a: &x 1\n") && has_anchor(b"- &x\n  b: 1\n"));
        assert!(!has_anchor(b"d: Terms & Conditions\n- *field* - the field\nq: a&b\n"), "no anchor");
        // A key twice at the top.
        assert!(parse_in_pieces(format!("{doc}paths:\n  /x: {{}}\n").as_bytes()).is_none());
        // A second document.
        assert!(parse_in_pieces(format!("{doc}---\nb: 1\n").as_bytes()).is_none());
        // A top level that is a list.
        assert!(parse_in_pieces(format!("- {doc}").as_bytes()).is_none());
    }
}
