//! The first screen of a big document before it is indexed whole (issue 17): the first [`PREVIEW_BYTES`] are cut
//! after the last value they hold whole, the containers still open there are closed, and what results is indexed
//! as a document of its own. Its entries up to the cut are the whole document's entries, one for one (the same
//! scanner read the same bytes), so the view over the preview carries over to the whole document when its index is
//! done ([`crate::json::Inspector::carried_to`]).

use std::sync::Arc;

use bytes::{Bytes, BytesMut};

use super::Document;
use super::index::EntryId;
use super::scan::Scanner;
use super::source::{Access, Source};

/// The bytes a preview reads: a few screens of any shape, indexed in a few milliseconds.
pub const PREVIEW_BYTES: usize = 1 << 20;

/// The start of a document, whole in itself.
#[derive(Debug, Clone)]
pub struct Preview {
    pub doc: Arc<Document>,
    /// Bytes of the document the preview shows (up to the cut).
    pub shown: u64,
    /// Entries the preview shares with the whole document: those before its closing brackets.
    pub shared: u32,
}

impl Preview {
    /// The preview of `source` from its first `budget` bytes; `None` when the document is no longer than that (it
    /// is indexed whole as fast), or the start is not JSON (the whole scan says where and why).
    pub fn of(source: &Source, budget: usize) -> Option<Preview> {
        if source.len() <= budget as u64 {
            return None;
        }
        let head = source.read(0, budget as u64, Access::Direct).ok()?;
        // Cut before a character the budget splits; any other invalid UTF-8 is the whole scan's to report.
        let valid = match std::str::from_utf8(&head) {
            Ok(_) => head.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => return None,
        };
        let head = Bytes::copy_from_slice(&head[..valid]);
        let mut scanner = Scanner::new(head.len() as u64);
        scanner.feed(&head).ok()?;
        let partial = Document::from_parts(Source::from_bytes(head.clone()), scanner.into_index());
        let (last, end, open) = cut(&partial)?;
        let mut text = BytesMut::with_capacity(end + open.len());
        text.extend_from_slice(&head[..end]);
        text.extend(open.iter().map(|&b| if b == b'{' { b'}' } else { b']' }));
        let shared = last + 1;
        let doc = Document::parse(text.freeze()).ok()?;
        Some(Preview { doc: Arc::new(doc), shown: end as u64, shared })
    }
}

/// The last entry the preview keeps: one followed by another entry (so its token is whole), and not an opening
/// bracket (a container cut right after it would look empty).
fn last_kept(partial: &Document) -> Option<EntryId> {
    let mut last = partial.entry_count().checked_sub(2)?;
    while matches!(partial.direct().kind(last).ok()?, super::token::Kind::Container(_)) {
        last = last.checked_sub(1)?;
    }
    Some(last)
}

/// The last entry kept, where the preview's text ends (one past that entry's token), and the opening brackets of
/// the containers still open there, innermost first.
fn cut(partial: &Document) -> Option<(EntryId, usize, Vec<u8>)> {
    let last = last_kept(partial)?;
    let reader = partial.direct();
    let index = &partial.index;
    let end = if index.is_close(last) {
        partial.offset(last) + 1
    } else {
        // An empty container or a scalar: the value's own end (it is whole: another entry follows it).
        reader.value_range(last).ok()?.end
    };
    let head = partial.bytes()?;
    let mut open = Vec::new();
    let mut at = last;
    while let Some(parent) = index.parent(at) {
        open.push(*head.get(usize::try_from(partial.offset(parent)).ok()?)?);
        at = parent;
    }
    Some((last, usize::try_from(end).ok()?, open))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preview(text: &str, budget: usize) -> Option<Preview> {
        Preview::of(&Source::from_bytes(Bytes::from(text.to_string())), budget)
    }

    fn text(p: &Preview) -> String {
        String::from_utf8(p.doc.bytes().unwrap().to_vec()).unwrap()
    }

    #[test]
    fn the_start_is_cut_after_a_whole_value_and_closed() {
        let doc = r#"{"a": [1, 22, {"b": "long string"}], "c": true}"#;
        for (budget, expected) in [
            (12, r#"{"a": [1]}"#),
            (14, r#"{"a": [1]}"#),
            (28, r#"{"a": [1, 22]}"#),
            (36, r#"{"a": [1, 22, {"b": "long string"}]}"#),
            (40, r#"{"a": [1, 22, {"b": "long string"}]}"#),
        ] {
            let p = preview(doc, budget).unwrap_or_else(|| panic!("{budget}"));
            assert_eq!(text(&p), expected, "budget {budget}");
            let shown = text(&p);
            let (kept, closers) = shown.split_at(usize::try_from(p.shown).unwrap());
            assert!(doc.starts_with(kept) && closers.bytes().all(|b| b"]}".contains(&b)), "budget {budget}");
        }
    }

    #[test]
    fn shared_entries_are_the_whole_documents() {
        let whole = crate::json::testdata::array_of_objects(64 << 10);
        let p = preview(&whole, 9_000).unwrap();
        let full = Document::parse(Bytes::from(whole.clone())).unwrap();
        assert!(p.shared > 10 && p.shared < full.entry_count());
        for e in 0..p.shared {
            assert_eq!(p.doc.offset(e), full.offset(e), "entry {e}");
            assert_eq!(p.doc.direct().kind(e).unwrap(), full.direct().kind(e).unwrap(), "entry {e}");
            assert_eq!(p.doc.direct().key(e).unwrap(), full.direct().key(e).unwrap(), "entry {e}");
        }
        let shown = usize::try_from(p.shown).unwrap();
        assert_eq!(p.doc.bytes().unwrap()[..shown], whole.as_bytes()[..shown]);
    }

    #[test]
    fn no_preview_for_a_short_document_a_broken_start_or_a_lone_value() {
        assert!(preview("[1, 2]", 100).is_none(), "short: indexed whole at once");
        assert!(preview("[1, x, 3, 4, 5, 6]", 8).is_none(), "broken: the whole scan says where");
        assert!(preview(r#""a long string that the budget cuts""#, 8).is_none());
        assert!(preview("[[[[[[[[[[", 5).is_none(), "nothing but openings");
    }

    #[test]
    fn a_character_cut_by_the_budget_is_left_out() {
        let doc = r#"["é", "ééééé", 3]"#;
        for budget in 9..doc.len() {
            let p = preview(doc, budget).unwrap_or_else(|| panic!("{budget}"));
            assert!(text(&p).starts_with(r#"["é""#), "{budget}: {}", text(&p));
        }
    }
}
