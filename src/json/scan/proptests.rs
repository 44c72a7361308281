//! Arbitrary documents, valid and broken, read as serde_json reads them: the same verdict, and for valid ones the
//! same values, kinds, keys and child counts; and the same index or the same error however the body is cut into
//! chunks (at every border, and a byte at a time).

use std::fmt::Write as _;

use bytes::Bytes;
use proptest::prelude::*;
use serde_json::Value;

use super::{ScanError, Scanner};
use crate::json::Document;
use crate::json::index::{EntryId, Index};
use crate::json::row::{Container, ScalarKind};
use crate::json::token::Kind;

/// A value to write out, with the text of its scalars as written (escapes and all).
#[derive(Debug, Clone)]
enum Json {
    Literal(&'static str),
    Number(String),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

fn number() -> impl Strategy<Value = String> {
    let int = prop_oneof![Just("0".to_string()), "[1-9][0-9]{0,12}"];
    let frac = prop::option::of("[0-9]{1,6}");
    let exp = prop::option::of(("[eE]", prop::sample::select(vec!["", "+", "-"]), "[0-9]{1,2}"));
    (any::<bool>(), int, frac, exp).prop_map(|(minus, int, frac, exp)| {
        let mut text = if minus { format!("-{int}") } else { int };
        if let Some(frac) = frac {
            text = format!("{text}.{frac}");
        }
        if let Some((e, sign, digits)) = exp {
            text = format!("{text}{e}{sign}{digits}");
        }
        text
    })
}

/// The inside of a string literal: plain characters (some of them long), escapes of every kind.
fn string_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9 ,:{}\\[\\]]{1,12}",
        1 => "[é€𝄞ë]{1,3}",
        1 => prop::sample::select(vec!["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]).prop_map(String::from),
        1 => "\\\\u00[0-9a-fA-F]{2}",
        1 => "\\\\u[1-7][0-9a-fA-F]{3}",
    ];
    prop::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat())
}

fn json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        prop::sample::select(vec!["true", "false", "null"]).prop_map(Json::Literal),
        number().prop_map(Json::Number),
        string_text().prop_map(Json::Str),
    ];
    leaf.prop_recursive(6, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Json::Array),
            prop::collection::vec((string_text(), inner), 0..8).prop_map(Json::Object),
        ]
    })
}

/// Writes `value` with whitespace between tokens as `spaces` says; member names get a unique suffix, so that
/// serde_json's map (which keeps one of equal names) has every member.
fn write(value: &Json, spaces: &mut impl Iterator<Item = &'static str>, names: &mut usize, out: &mut String) {
    fn space(spaces: &mut impl Iterator<Item = &'static str>, out: &mut String) {
        out.push_str(spaces.next().unwrap_or(""));
    }
    match value {
        Json::Literal(text) => out.push_str(text),
        Json::Number(text) => out.push_str(text),
        Json::Str(text) => {
            out.push('"');
            out.push_str(text);
            out.push('"');
        }
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                space(spaces, out);
                write(item, spaces, names, out);
                space(spaces, out);
            }
            space(spaces, out);
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            for (i, (name, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                space(spaces, out);
                *names += 1;
                let _ = write!(out, "\"{name}#{names}\"");
                space(spaces, out);
                out.push(':');
                space(spaces, out);
                write(item, spaces, names, out);
                space(spaces, out);
            }
            space(spaces, out);
            out.push('}');
        }
    }
}

/// A valid document, or one broken by a byte removed, replaced or put in.
pub(super) fn document() -> impl Strategy<Value = Vec<u8>> {
    let spaces = prop::collection::vec(prop::sample::select(vec!["", "", " ", "\n  ", "\t", "\r\n", "    "]), 64);
    let edit = prop::option::of((0..3u8, any::<prop::sample::Index>(), prop::sample::select(EDIT_BYTES.to_vec())));
    (json(), spaces, edit).prop_map(|(value, spaces, edit)| {
        let mut text = String::new();
        write(&value, &mut spaces.into_iter().cycle(), &mut 0, &mut text);
        let mut bytes = text.into_bytes();
        if let Some((kind, at, byte)) = edit {
            let at = at.index(bytes.len() + 1);
            match kind {
                0 if at < bytes.len() => drop(bytes.remove(at)),
                1 if at < bytes.len() => bytes[at] = byte,
                _ => bytes.insert(at, byte),
            }
        }
        bytes
    })
}

const EDIT_BYTES: &[u8] = b"{}[],:\"\\ \n0195-+.eEtrufalsn\x01\x1f\x7f\xc3\xa9\xff\xef";

/// The index as a list of (offset, parent, last entry) for comparing.
fn entries(index: &Index) -> Vec<(u64, Option<EntryId>, EntryId)> {
    (0..index.len()).map(|e| (index.offset(e), index.parent(e), index.last_of(e))).collect()
}

fn scan(pieces: &[&[u8]]) -> Result<Vec<(u64, Option<EntryId>, EntryId)>, ScanError> {
    let mut scanner = Scanner::new(0);
    for piece in pieces {
        scanner.feed(piece)?;
    }
    scanner.finish().map(|index| entries(&index))
}

/// Checks that entry `e` of `doc` is `value`.
fn same_value(doc: &Document, e: EntryId, value: &Value) -> Result<(), TestCaseError> {
    let index = &doc.index;
    let children = |e: EntryId| {
        let mut all = Vec::new();
        let mut child = index.is_open(e).then_some(e + 1);
        while let Some(c) = child {
            all.push(c);
            child = index.next_sibling(c);
        }
        all
    };
    let text = doc.direct().scalar_text(e, usize::MAX >> 1).unwrap();
    match (doc.direct().kind(e).unwrap(), value) {
        (Kind::Scalar(ScalarKind::Null), Value::Null) => {}
        (Kind::Scalar(ScalarKind::Bool), Value::Bool(b)) => prop_assert_eq!(text, b.to_string()),
        (Kind::Scalar(ScalarKind::Number), Value::Number(_)) | (Kind::Scalar(ScalarKind::String), Value::String(_)) => {
            let read = serde_json::from_str::<Value>(&text).ok();
            prop_assert_eq!(read.as_ref(), Some(value), "entry {}", e);
        }
        (Kind::Container(Container::Array), Value::Array(items)) => {
            let all = children(e);
            prop_assert_eq!(all.len(), items.len());
            prop_assert_eq!(index.children(e) as usize, items.len());
            for (&child, item) in all.iter().zip(items) {
                same_value(doc, child, item)?;
            }
        }
        (Kind::Container(Container::Object), Value::Object(members)) => {
            let all = children(e);
            prop_assert_eq!(all.len(), members.len());
            prop_assert_eq!(index.children(e) as usize, members.len());
            for &child in &all {
                let key = doc.direct().key(child).unwrap();
                let item = key.as_ref().and_then(|k| members.get(k));
                prop_assert!(item.is_some(), "entry {}: key {:?} not in {:?}", child, key, members);
                same_value(doc, child, item.unwrap_or(&Value::Null))?;
            }
        }
        (kind, value) => prop_assert!(false, "entry {}: {:?} is not {:?}", e, kind, value),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn the_index_reads_documents_as_serde_json_does_in_any_chunks(bytes in document()) {
        let whole = scan(&[&bytes]);
        for border in 0..=bytes.len() {
            let (head, tail) = bytes.split_at(border);
            prop_assert_eq!(&scan(&[head, tail]), &whole, "cut at {}", border);
        }
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        prop_assert_eq!(&scan(&singles), &whole, "a byte at a time");

        let serde = serde_json::from_slice::<Value>(&bytes);
        // Where the two differ by design: serde_json refuses lone surrogate escapes and numbers past f64's range,
        // which the index (a syntax check) takes.
        let by_design = serde.as_ref().err().is_some_and(|e| {
            let e = e.to_string();
            e.contains("surrogate") || e.contains("out of range")
        });
        if !by_design {
            prop_assert_eq!(whole.is_ok(), serde.is_ok(), "{:?}: ours {:?}, serde_json {:?}",
                String::from_utf8_lossy(&bytes), whole.as_ref().err(), serde.as_ref().err());
        }
        if let Ok(value) = serde {
            let doc = Document::parse(Bytes::from(bytes.clone())).map_err(|e| TestCaseError::fail(e.to_string()))?;
            same_value(&doc, 0, &value)?;
        }
    }
}
