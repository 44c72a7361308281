//! A view over a preview carried to the whole document once it is indexed: folds, cursor and scroll stay where
//! the person left them, as the preview's entries before its cut are the whole document's.

use std::sync::Arc;

use super::Inspector;
use crate::json::Document;

impl Inspector {
    /// This view over a preview, now over `whole`, whose first `shared` entries the preview shares. The search
    /// results are left behind: they were of the preview.
    #[must_use]
    pub fn carried_to(&self, whole: Arc<Document>, shared: u32) -> Inspector {
        let mut next = Inspector::new(whole);
        let index = &next.doc.index;
        let shared = shared.min(index.len()).min(self.doc.entry_count());
        for e in 0..shared {
            if index.is_open(e) {
                next.folded.set(e as usize, self.folded.get(e as usize));
            }
        }
        next.rebuild_visible();
        // On a closing bracket the preview added (the last rows): the last row it shares, or the folded container
        // that holds it, so the screen stays where it was.
        let anchor = next.row_holding(self.cursor_entry().min(shared.saturating_sub(1)));
        next.viewport = self.viewport;
        next.cursor = next.visible.rank(anchor as usize);
        // The rows above the anchor are the preview's: the screen stays as it was.
        next.offset = self.offset.min(next.cursor);
        next.follow_cursor();
        next
    }

    /// Whether the value under the cursor runs past the first `shared` entries (a preview holds only its start).
    pub fn cursor_passes(&self, shared: u32) -> bool {
        let index = &self.doc.index;
        index.last_of(index.value_of(self.cursor_entry())) >= shared
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use crate::json::{Document, Inspector, PREVIEW_BYTES, Preview, Source};

    #[test]
    fn folds_cursor_and_scroll_carry_over_to_the_whole_document() {
        let text = crate::json::testdata::array_of_objects(4 * PREVIEW_BYTES);
        let source = Source::from_bytes(Bytes::from(text.clone()));
        let preview = Preview::of(&source, PREVIEW_BYTES).unwrap();
        let whole = std::sync::Arc::new(Document::parse(Bytes::from(text)).unwrap());
        let mut view = Inspector::new(std::sync::Arc::clone(&preview.doc));
        view.set_viewport(20);
        view.move_by(3);
        view.unfold();
        view.move_by(5);
        let before = view.rows(view.offset(), 20).unwrap();
        let carried = view.carried_to(std::sync::Arc::clone(&whole), preview.shared);
        assert_eq!((carried.cursor(), carried.offset()), (view.cursor(), view.offset()));
        assert_eq!(carried.rows(carried.offset(), 20).unwrap(), before, "the same screen");
        assert!(carried.row_count() > view.row_count(), "the rest is there");

        // From the preview's last row (the closing bracket it added) to the last row it shares.
        view.bottom();
        let carried = view.carried_to(whole, preview.shared);
        assert_eq!(carried.cursor(), view.cursor() - 1, "the row above the bracket");
        assert_eq!(carried.offset(), view.offset());
    }
}
