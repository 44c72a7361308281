//! A body made ready for the inspector: indexed as JSON, or split into lines when it is not JSON. CPU work over the
//! whole body: the caller runs it on a blocking thread, never on the loop.

use std::io;
use std::sync::Arc;

use bytes::Bytes;

use crate::api::response::ApiResponse;
use crate::json::{Document, JsonError, OpenError, RawText, Source};

/// What a body turned out to be.
#[derive(Debug)]
pub enum ReadyBody {
    Json(Arc<Document>),
    /// Said (or looked) to be JSON but is not: its lines, and where parsing stopped.
    Invalid {
        raw: RawText,
        error: JsonError,
    },
    /// Not JSON: its lines.
    Text(RawText),
    /// JSON with more values than the tree may index for it (a response: what a server sends must not decide how
    /// much memory the index takes): its lines.
    TooManyValues {
        raw: RawText,
        limit: u32,
    },
    /// Nothing but whitespace.
    Empty,
}

/// What the body is expected to be, from its media type or the way it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A JSON media type: a body that does not parse is shown as text with the parse error.
    Json,
    /// No media type, or a file: JSON if it parses; the parse error is shown only when it starts like JSON.
    Maybe,
    /// Another media type: text, unless it opens like JSON (`{`, `[`) and parses.
    Text,
}

/// The most values the tree indexes for a response: 8 bytes each, so the index stays under 256 MiB however the
/// server packs its values (`[0,0,0,…]` is 2 bytes a value). `zorgtui view FILE` has no such limit.
pub const RESPONSE_MAX_VALUES: u32 = 32 << 20;

/// Indexes `source` as JSON (at most `max_values` of them) or counts its lines; `progress(done, total)` is called
/// while indexing.
pub fn prepare_body(
    source: Source,
    expect: Expect,
    max_values: Option<u32>,
    progress: impl FnMut(u64, u64),
) -> io::Result<ReadyBody> {
    let Some(first) = first_non_whitespace(&source)? else {
        return Ok(ReadyBody::Empty);
    };
    let looks_like_json = matches!(first, b'{' | b'[') || first == 0xEF; // 0xEF: a byte order mark
    // Servers label JSON as text or octet-stream often enough: a body that opens like JSON gets a try at the tree.
    if expect == Expect::Text && !looks_like_json {
        return Ok(ReadyBody::Text(RawText::new(source)?));
    }
    match Document::from_source_limited(source.clone(), max_values, progress) {
        Ok(doc) => Ok(ReadyBody::Json(Arc::new(doc))),
        Err(OpenError::Io(e)) => Err(e),
        Err(OpenError::TooManyValues { limit }) => Ok(ReadyBody::TooManyValues { raw: RawText::new(source)?, limit }),
        Err(OpenError::Invalid(error)) => {
            let raw = RawText::new(source)?;
            if expect == Expect::Json || (expect == Expect::Maybe && looks_like_json) {
                Ok(ReadyBody::Invalid { raw, error })
            } else {
                Ok(ReadyBody::Text(raw))
            }
        }
    }
}

/// A response's body, from memory or from the temporary file it was spilled to.
pub fn prepare_response_body(response: &ApiResponse) -> ReadyBody {
    let expect = match response.content_type() {
        Some(_) if response.looks_like_json() => Expect::Json,
        Some(_) => Expect::Text,
        None => Expect::Maybe,
    };
    let source = match &response.spilled {
        Some(spilled) => spilled.file.try_clone().and_then(Source::from_file),
        None => Ok(Source::from_bytes(response.body.clone())),
    };
    match source.and_then(|source| prepare_body(source, expect, Some(RESPONSE_MAX_VALUES), |_, _| {})) {
        Ok(body) => body,
        Err(e) => unreadable(&e),
    }
}

/// A body that could not be read shows why, as its text.
pub(crate) fn unreadable(error: &io::Error) -> ReadyBody {
    let text = format!("(the body could not be read: {error})");
    match RawText::new(Source::from_bytes(Bytes::from(text))) {
        Ok(raw) => ReadyBody::Text(raw),
        Err(_) => ReadyBody::Empty,
    }
}

fn first_non_whitespace(source: &Source) -> io::Result<Option<u8>> {
    let mut first = None;
    source.for_each_chunk(0, |_, chunk| {
        first = chunk.iter().copied().find(|b| !b.is_ascii_whitespace());
        first.is_none()
    })?;
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepare(text: &'static str, expect: Expect) -> ReadyBody {
        prepare_body(Source::from_bytes(Bytes::from_static(text.as_bytes())), expect, None, |_, _| {}).unwrap()
    }

    #[test]
    fn json_text_and_broken_json_are_told_apart() {
        assert!(matches!(prepare(" {\"a\": 1} ", Expect::Json), ReadyBody::Json(_)));
        assert!(matches!(prepare("42", Expect::Maybe), ReadyBody::Json(_)));
        assert!(matches!(prepare(" \n\t", Expect::Json), ReadyBody::Empty));
        assert!(matches!(prepare("hello", Expect::Maybe), ReadyBody::Text(_)));
        assert!(matches!(prepare("{\"a\": 1}", Expect::Text), ReadyBody::Json(_)), "JSON labelled as text");
        assert!(matches!(prepare("{ not json", Expect::Text), ReadyBody::Text(_)), "text that only opens like JSON");
        assert!(matches!(prepare("42", Expect::Text), ReadyBody::Text(_)));
        let ReadyBody::Invalid { raw, error } = prepare("{\n  \"a\": tru\n}", Expect::Maybe) else { panic!() };
        assert_eq!((error.line, error.column, raw.line_count()), (2, 11, 3));
        assert!(matches!(prepare("hello", Expect::Json), ReadyBody::Invalid { .. }), "the type said JSON");
    }

    #[test]
    fn past_the_value_limit_a_body_is_shown_as_text() {
        let source = Source::from_bytes(Bytes::from_static(b"[0,0,0,0,0,0]"));
        let ReadyBody::TooManyValues { raw, limit } =
            prepare_body(source.clone(), Expect::Json, Some(4), |_, _| {}).unwrap()
        else {
            panic!("expected the text view")
        };
        assert_eq!((raw.line_count(), limit), (1, 4));
        assert!(matches!(prepare_body(source, Expect::Json, Some(8), |_, _| {}).unwrap(), ReadyBody::Json(_)));
    }
}
