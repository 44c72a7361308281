//! The schemas of a big spec, left unparsed at first.
//!
//! `components/schemas` is most of a big document (half the bytes of the bench's generated ones, more in many
//! published specs), and a catalogue read without example bodies looks into it only where a parameter's schema is a
//! `$ref`. So the first read parses the pieces that hold the schemas named that way, and the rest wait for the
//! bodies (see `openapi::parse_soon`).

use std::collections::HashSet;

use serde_yaml_ng::{Mapping, Value};

use super::split::{parse_mapping, parse_texts_on_two_threads};

/// The pieces of `components/schemas` (runs of its keys, as written), each parsed or not yet.
pub(in crate::api::openapi) struct SchemasLater {
    pieces: Vec<Piece>,
}

struct Piece {
    text: Vec<u8>,
    /// The schema names the piece defines, as read off its key lines.
    names: Vec<String>,
    parsed: Option<Mapping>,
}

impl SchemasLater {
    pub(super) fn new(texts: Vec<Vec<u8>>) -> SchemasLater {
        let pieces = texts.into_iter().map(|text| Piece { names: key_names(&text), text, parsed: None }).collect();
        SchemasLater { pieces }
    }

    /// Parses the pieces not parsed yet that define any of `names` (all of them when a name is in none: a key
    /// written in a way [`key_names`] does not read). Gives the schemas parsed now, or `None` when a piece fails.
    pub fn parse_defining(&mut self, names: &HashSet<String>) -> Option<Vec<(Value, Value)>> {
        let known = |name: &String| self.pieces.iter().any(|p| p.names.contains(name));
        let all = !names.iter().all(known);
        let mut made = Vec::new();
        for piece in self.pieces.iter_mut().filter(|p| p.parsed.is_none()) {
            if all || piece.names.iter().any(|n| names.contains(n)) {
                let mapping = parse_mapping(&piece.text)?;
                made.extend(mapping.iter().map(|(k, v)| (k.clone(), v.clone())));
                piece.parsed = Some(mapping);
            }
        }
        Some(made)
    }

    /// Every schema, in document order (the pieces not parsed yet on two threads); `None` when a piece fails.
    pub fn parse_all(self) -> Option<Mapping> {
        let waiting: Vec<&[u8]> = self.pieces.iter().filter(|p| p.parsed.is_none()).map(|p| &p.text[..]).collect();
        let mut parsed = parse_texts_on_two_threads(&waiting)?.into_iter();
        let mut schemas = Mapping::new();
        for piece in self.pieces {
            let mapping = match piece.parsed {
                Some(mapping) => mapping,
                None => parsed.next()?,
            };
            for (key, value) in mapping {
                schemas.insert(key, value).is_none().then_some(())?;
            }
        }
        Some(schemas)
    }
}

/// The keys at the piece's own indentation (that of its first line), unquoted: `Pet:`, `'Pet':`, `"Pet":`.
fn key_names(text: &[u8]) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(text) else { return Vec::new() };
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let Some(width) = text.lines().find(|l| !l.trim().is_empty()).map(indent) else { return Vec::new() };
    text.lines()
        .filter(|line| indent(line) == width && !line.trim().is_empty())
        .filter_map(|line| {
            let key = line.trim_start_matches(' ');
            match key.chars().next()? {
                quote @ ('\'' | '"') => key[1..].split(quote).next().map(str::to_string),
                '-' | '#' => None,
                _ => key.split(':').next().map(|k| k.trim_end().to_string()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_are_read_off_the_key_lines() {
        let text = b"    Pet:\n      type: object\n    'Odd: name':\n      type: string\n    \"Q\": {type: integer}\n";
        assert_eq!(key_names(text), ["Pet", "Odd: name", "Q"]);
    }

    #[test]
    fn the_needed_pieces_first_then_all_in_document_order() {
        let pieces = vec![
            b"    A: {type: string}\n    B: {type: integer}\n".to_vec(),
            b"    C: {type: object}\n".to_vec(),
            b"    D: {type: array}\n".to_vec(),
        ];
        let mut later = SchemasLater::new(pieces);
        let made = later.parse_defining(&HashSet::from(["C".to_string()])).unwrap();
        assert_eq!(made.len(), 1);
        assert_eq!(made[0].0, Value::from("C"));
        // A name no key line gives: every piece is parsed.
        let made = later.parse_defining(&HashSet::from(["nowhere".to_string()])).unwrap();
        assert_eq!(made.len(), 3, "A, B and D");
        let all = later.parse_all().unwrap();
        let keys: Vec<&str> = all.keys().filter_map(Value::as_str).collect();
        assert_eq!(keys, ["A", "B", "C", "D"]);

        let broken = SchemasLater::new(vec![b"    A: {type: [\n".to_vec()]);
        assert!(broken.parse_all().is_none());
    }
}
