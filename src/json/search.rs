//! Search over member names and scalar values: case-insensitive for ASCII letters (other characters match
//! exactly), a substring of the JSON text as the body has it (so `\n` finds an escaped newline, and a string's
//! quotes are not part of it). One pass over the body with a fast substring finder, each hit then placed in the
//! key or value it falls in; hits across token borders (`": "`) do not count. Runs on a blocking thread, reports
//! progress, and stops when asked.

use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use memchr::memmem::Finder;
use thiserror::Error;

use super::document::Document;
use super::index::EntryId;
use super::row::ScalarKind;
use super::token::Kind;

#[derive(Debug, Error)]
pub enum SearchError {
    #[error("search cancelled")]
    Cancelled,
    #[error("could not read the body: {0}")]
    Io(#[from] io::Error),
}

const KEY: u8 = 1;
const VALUE: u8 = 2;

/// The values whose key or text contain the query, in document order.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    query: String,
    entries: Vec<EntryId>,
    parts: Vec<u8>,
}

impl SearchResults {
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Number of matching values (a value whose key and text both match counts once).
    pub fn count(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn entry(&self, i: usize) -> EntryId {
        self.entries[i]
    }

    pub(crate) fn position(&self, e: EntryId) -> Option<usize> {
        self.entries.binary_search(&e).ok()
    }

    /// Whether match `i` is in the key, the value, or both.
    pub(crate) fn parts(&self, i: usize) -> (bool, bool) {
        (self.parts[i] & KEY != 0, self.parts[i] & VALUE != 0)
    }

    pub(crate) fn first_after(&self, e: EntryId) -> usize {
        self.entries.partition_point(|&m| m <= e)
    }

    pub(crate) fn first_at_or_after(&self, e: EntryId) -> usize {
        self.entries.partition_point(|&m| m < e)
    }

    fn add(&mut self, e: EntryId, part: u8) {
        if self.entries.last() == Some(&e) {
            if let Some(last) = self.parts.last_mut() {
                *last |= part;
            }
        } else {
            self.entries.push(e);
            self.parts.push(part);
        }
    }
}

/// The byte ranges of `query`'s occurrences in `text`, matched as [`search`] does (for highlighting).
pub fn find_matches(text: &str, query: &str) -> Vec<Range<usize>> {
    if query.is_empty() {
        return Vec::new();
    }
    let needle = query.to_ascii_lowercase();
    let hay = text.to_ascii_lowercase();
    Finder::new(needle.as_bytes()).find_iter(hay.as_bytes()).map(|at| at..at + needle.len()).collect()
}

/// Searches the whole document for `query`. `progress(done, total)` is called after each chunk of the body;
/// setting `cancel` stops the search at the next chunk.
pub fn search(
    doc: &Document,
    query: &str,
    cancel: &AtomicBool,
    mut progress: impl FnMut(u64, u64),
) -> Result<SearchResults, SearchError> {
    let mut results = SearchResults { query: query.to_string(), ..SearchResults::default() };
    if query.is_empty() {
        return Ok(results);
    }
    let needle = query.to_ascii_lowercase().into_bytes();
    let finder = Finder::new(&needle);
    let mut placer = Placer { doc, entry: 0, cached: None, len: needle.len() as u64 };
    let total = doc.len_bytes();
    let mut hay = Vec::new();
    let mut cancelled = false;
    doc.source().for_each_chunk(0, |at, chunk| {
        if cancel.load(Ordering::Relaxed) {
            cancelled = true;
            return false;
        }
        // Keep the last needle-length-minus-one bytes so a match across chunks is found once.
        let keep = hay.len().min(needle.len() - 1);
        hay.drain(..hay.len() - keep);
        let hay_at = at - keep as u64;
        hay.extend(chunk.iter().map(u8::to_ascii_lowercase));
        for found in finder.find_iter(&hay) {
            if let Some((e, part)) = placer.place(hay_at + found as u64) {
                results.add(e, part);
            }
        }
        progress(at + chunk.len() as u64, total);
        true
    })?;
    if cancelled {
        return Err(SearchError::Cancelled);
    }
    Ok(results)
}

/// Places hits, which come in order, in the entries: walks the entry table forward once.
struct Placer<'a> {
    doc: &'a Document,
    /// The last entry starting at or before the previous hit.
    entry: EntryId,
    /// The text span (between quotes for strings) of an entry's value or key, last looked up.
    cached: Option<(EntryId, u8, Option<Range<u64>>)>,
    len: u64,
}

impl Placer<'_> {
    fn place(&mut self, hit: u64) -> Option<(EntryId, u8)> {
        let index = &self.doc.index;
        let count = index.len();
        if index.offset(self.entry) > hit {
            return None; // before the first value (leading whitespace)
        }
        // Gallop forward, then halve: hits may be next to each other or megabytes apart.
        let (mut lo, mut step) = (self.entry, 1);
        let mut hi = lo + 1;
        while hi < count && index.offset(hi) <= hit {
            lo = hi;
            step *= 2;
            hi = lo.saturating_add(step);
        }
        let mut hi = hi.min(count);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if index.offset(mid) <= hit { lo = mid } else { hi = mid }
        }
        self.entry = lo;
        let e = self.entry;
        let len = self.len;
        let inside = |span: &Option<Range<u64>>| span.as_ref().is_some_and(|s| hit >= s.start && hit + len <= s.end);
        if inside(&self.span(e, VALUE)) {
            return Some((e, VALUE));
        }
        if e + 1 < count && inside(&self.span(e + 1, KEY)) {
            return Some((e + 1, KEY));
        }
        None
    }

    fn span(&mut self, e: EntryId, part: u8) -> Option<Range<u64>> {
        if let Some((cached, cached_part, span)) = &self.cached
            && *cached == e
            && *cached_part == part
        {
            return span.clone();
        }
        // A search runs as a job: it may read the file.
        let reader = self.doc.direct();
        let span = if part == KEY {
            reader.key_range(e).ok().flatten().map(|r| r.start + 1..r.end - 1)
        } else {
            match reader.kind(e).ok()? {
                Kind::Scalar(kind) => reader
                    .value_range(e)
                    .ok()
                    .map(|r| if kind == ScalarKind::String { r.start + 1..r.end - 1 } else { r }),
                _ => None,
            }
        };
        self.cached = Some((e, part, span.clone()));
        span
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn doc(json: &str) -> Document {
        Document::parse(Bytes::from(json.to_string())).unwrap()
    }

    fn found(json: &str, query: &str) -> Vec<(EntryId, bool, bool)> {
        let results = search(&doc(json), query, &AtomicBool::new(false), |_, _| {}).unwrap();
        (0..results.count())
            .map(|i| {
                let (key, value) = results.parts(i);
                (results.entry(i), key, value)
            })
            .collect()
    }

    #[test]
    fn keys_and_values_match_case_insensitively() {
        // entries: 0 {, 1 "Code", 2 "code" key of 2, 3 true, 4 }
        let json = r#"{"name":"CODE-1","code":"x","flag":true}"#;
        assert_eq!(found(json, "code"), [(1, false, true), (2, true, false)]);
        assert_eq!(found(json, "TRUE"), [(3, false, true)]);
    }

    #[test]
    fn hits_across_tokens_or_in_quotes_do_not_count() {
        let json = r#"{"a":"b","c":[1,22]}"#;
        assert!(found(json, "\":\"").is_empty());
        assert!(found(json, "1,2").is_empty());
        assert!(found(json, "\"b\"").is_empty());
        assert_eq!(found(json, "2"), [(4, false, true)]);
        assert!(found(json, "").is_empty());
    }

    #[test]
    fn a_value_matching_in_key_and_value_counts_once() {
        assert_eq!(found(r#"{"ab":"ab"}"#, "ab"), [(1, true, true)]);
    }

    #[test]
    fn escapes_match_as_written_and_matches_span_chunks() {
        assert_eq!(found(r#"["a\nb"]"#, "\\n"), [(1, false, true)]);
        let filler = "x".repeat(crate::json::source::CHUNK - 10);
        let json = format!("[\"{filler}\",\"needle-across\"]");
        assert_eq!(found(&json, "needle-across"), [(2, false, true)]);
    }

    #[test]
    fn progress_is_reported_and_cancel_stops() {
        let d = doc(&crate::json::testdata::array_of_objects(3 << 20));
        let mut calls = Vec::new();
        let results = search(&d, "MUST", &AtomicBool::new(false), |done, total| calls.push((done, total))).unwrap();
        assert!(results.count() > 1000);
        assert_eq!(calls.last().copied(), Some((d.len_bytes(), d.len_bytes())));
        assert!(calls.len() >= 3);
        assert!(matches!(search(&d, "MUST", &AtomicBool::new(true), |_, _| {}), Err(SearchError::Cancelled)));
    }

    #[test]
    fn highlights_use_the_same_matching() {
        assert_eq!(find_matches("\"Alpha alpha\"", "ALPHA"), [1..6, 7..12]);
        assert!(find_matches("abc", "").is_empty());
    }
}
