//! An entry as it is kept on disk: a header line `zorgtui-spec-cache LENGTH FIRST SECOND`, the entry as JSON with
//! its operations and example bodies taken out, the first and the second half of its operations as two JSON
//! arrays of those lengths (read on two threads), then the bodies one after another as raw text, each told by its
//! place and length in the JSON. The bodies are most of a big spec's catalogue (16 of 18 MB for 6000 operations), and many operations share
//! one: kept once each and read back as raw text, they cost a copy instead of a JSON string to unescape, and a
//! second start of an unchanged spec stays quick.

use std::collections::HashMap;

use super::Entry;
use crate::api::Operation;

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, String> {
    serde_json::to_vec(value).map_err(|e| e.to_string())
}

const MAGIC: &str = "zorgtui-spec-cache";

/// The bytes to keep for `entry`.
pub(super) fn encode(entry: &Entry) -> Result<Vec<u8>, String> {
    let mut light = entry.clone();
    let mut bodies: Vec<u8> = Vec::new();
    let mut placed: HashMap<&str, (u64, u64)> = HashMap::new();
    light.examples = entry
        .catalogue
        .operations
        .iter()
        .map(|op| {
            let text = op.body.as_ref()?.example.as_deref()?;
            Some(*placed.entry(text).or_insert_with(|| {
                let at = bodies.len() as u64;
                bodies.extend_from_slice(text.as_bytes());
                (at, text.len() as u64)
            }))
        })
        .collect();
    for body in light.catalogue.operations.iter_mut().filter_map(|op| op.body.as_mut()) {
        body.example = None;
    }
    let operations = std::mem::take(&mut light.catalogue.operations);
    let (first, second) = operations.split_at(operations.len() / 2);
    let (json, first, second) = (to_json(&light)?, to_json(first)?, to_json(second)?);
    let mut bytes = format!("{MAGIC} {} {} {}\n", json.len(), first.len(), second.len()).into_bytes();
    for part in [&json, &first, &second, &bodies] {
        bytes.extend_from_slice(part);
    }
    Ok(bytes)
}

/// The entry kept in `bytes`, or why they are not one (another layout, cut short, bodies that do not fit).
pub(super) fn decode(bytes: &[u8]) -> Result<Entry, String> {
    let line_end = memchr::memchr(b'\n', bytes).ok_or("no header line")?;
    let header = std::str::from_utf8(&bytes[..line_end]).map_err(|_| "a header that is not text")?;
    let lengths: Vec<usize> = header
        .strip_prefix(MAGIC)
        .ok_or("not a zorgtui spec cache entry")?
        .split_whitespace()
        .map(|n| n.parse::<usize>().map_err(|_| "a header that is not lengths"))
        .collect::<Result<_, _>>()?;
    let &[json, first, second] = &lengths[..] else {
        return Err("not a zorgtui spec cache entry of this layout".into());
    };
    let mut rest = &bytes[line_end + 1..];
    let mut part = |length: usize| -> Result<&[u8], String> {
        let (part, after) = rest.split_at_checked(length).ok_or("cut short")?;
        rest = after;
        Ok(part)
    };
    let (json, first, second) = (part(json)?, part(first)?, part(second)?);
    let bodies = rest;
    let operations = |json: &[u8]| serde_json::from_slice::<Vec<Operation>>(json).map_err(|e| e.to_string());
    // The second half of the operations on another thread: they are most of the entry.
    let (entry, first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| operations(second));
        let entry = serde_json::from_slice::<Entry>(json).map_err(|e| e.to_string());
        (entry, operations(first), second.join().map_err(|_| "a reader thread failed".to_string()))
    });
    let mut entry = entry?;
    entry.catalogue.operations = first?;
    entry.catalogue.operations.extend(second??);
    let examples = std::mem::take(&mut entry.examples);
    if examples.len() != entry.catalogue.operations.len() {
        return Err("example bodies for other operations".into());
    }
    for (op, place) in entry.catalogue.operations.iter_mut().zip(examples) {
        let (Some(body), Some((at, len))) = (op.body.as_mut(), place) else { continue };
        let range = usize::try_from(at).ok().zip(usize::try_from(at + len).ok()).ok_or("a body out of range")?;
        let text = bodies.get(range.0..range.1).ok_or("a body past the end")?;
        body.example = Some(std::str::from_utf8(text).map_err(|_| "a body that is not text")?.to_string());
    }
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Catalogue, Method, Operation, RequestBody};

    fn entry() -> Entry {
        let body = |example: Option<&str>| RequestBody {
            content_type: "application/json".into(),
            required: true,
            example: example.map(str::to_string),
        };
        let mut operations = Vec::new();
        for (path, example) in
            [("/a", Some("{\n  \"x\": \"é\"\n}")), ("/b", None), ("/c", Some("{\n  \"x\": \"é\"\n}"))]
        {
            let mut op = Operation::bare(Method::Post, path);
            op.body = Some(body(example));
            operations.push(op);
        }
        operations.push(Operation::bare(Method::Get, "/d"));
        let mut entry = Entry::for_tests();
        entry.catalogue = Catalogue { operations, ..Catalogue::default() };
        entry
    }

    #[test]
    fn an_entry_reads_back_as_it_was_with_a_shared_body_kept_once() {
        let entry = entry();
        let bytes = encode(&entry).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(text.matches("\"x\": \"é\"").count(), 1, "kept once, as raw text: {text}");
        let back = decode(&bytes).unwrap();
        assert_eq!(back.catalogue, entry.catalogue);
        assert!(back.examples.is_empty());
    }

    #[test]
    fn anything_but_a_whole_entry_is_refused() {
        let bytes = encode(&entry()).unwrap();
        assert!(decode(&bytes[..bytes.len() - 3]).is_err(), "a body cut short");
        assert!(decode(&bytes[..40]).is_err(), "the JSON cut short");
        assert!(decode(b"{\"format\": 1}").is_err(), "the old layout");
        assert!(decode(b"zorgtui-spec-cache 99999\n{}").is_err(), "format 2's header");
        assert!(decode(b"zorgtui-spec-cache 2 2 99\n{}[]").is_err(), "the second half cut short");
        assert!(decode(b"").is_err());
    }
}
