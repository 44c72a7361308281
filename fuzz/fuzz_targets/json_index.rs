//! Any bytes as a response body: the index and serde_json agree on whether it is JSON, and a document that opens
//! can be walked, folded and unfolded without a panic.
#![no_main]

use std::sync::Arc;

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use zorgtui::json::{Document, Inspector};

fuzz_target!(|bytes: &[u8]| {
    let ours = Document::parse(Bytes::copy_from_slice(bytes));
    // A leading byte order mark is skipped on purpose (RFC 8259 8.1 lets a parser ignore it; some servers send
    // one), where serde_json refuses it: compare with the rest.
    let theirs = serde_json::from_slice::<serde_json::Value>(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    // serde_json stops at 128 levels; the index goes deeper by design, so only a shallow valid document must agree.
    let shallow = bytes.iter().filter(|b| matches!(b, b'[' | b'{')).count() < 120;
    // serde_json refuses a number past f64's range (`2e0222222270`); RFC 8259's grammar has it, and so does the
    // index, which keeps a number's text rather than its value.
    // Nor does it take a lone surrogate escape (`"\uD811"`), which the grammar allows too (RFC 8259 8.2 leaves
    // its meaning open); the index keeps the text and shows it as U+FFFD. serde_json words a leading surrogate
    // not followed by `\u` as "unexpected end of hex escape" (its only use of that message: read.rs
    // `parse_unicode_escape`), a lone trailing one, or a leading one before a non-surrogate, as "lone leading
    // surrogate in hex escape".
    let out_of_range = theirs.as_ref().is_err_and(|e| {
        let message = e.to_string();
        message.starts_with("number out of range")
            || message.starts_with("lone leading surrogate")
            || message.starts_with("unexpected end of hex escape")
    });
    if shallow && !out_of_range {
        assert_eq!(ours.is_ok(), theirs.is_ok(), "index and serde_json disagree");
    }
    let Ok(doc) = ours else { return };
    let mut inspector = Inspector::new(Arc::new(doc));
    inspector.set_viewport(20);
    inspector.unfold_all();
    let _ = inspector.rows(0, 50).expect("a document in memory reads");
    inspector.bottom();
    let _ = inspector.rows(inspector.offset(), 20).unwrap();
    inspector.fold_all();
    inspector.top();
    inspector.unfold_subtree();
    let _ = inspector.rows(0, 20).unwrap();
});
