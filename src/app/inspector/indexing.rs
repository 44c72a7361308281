//! A big document shown before its index is whole (issue 17): the pane opens on a preview of its start, keys work
//! at once on what the preview holds, and the whole document takes its place when indexed, with the view carried
//! over. What needs the whole says so: `G` goes to the end of what is indexed, a copy of a value the preview cuts
//! waits, a filter waits (`Esc` stops it) and a search is run again on the whole.

use std::time::Instant;

use super::{InspectorPane, ReadyBody};
use crate::app::{Effect, human_bytes};
use crate::json::{JsonError, Preview, Source};

/// The index being built behind a preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indexing {
    /// Entries the preview shares with the whole document.
    pub shared: u32,
    /// Bytes the preview shows.
    pub shown: u64,
    /// Bytes indexed so far, and the body's size.
    pub done: u64,
    pub total: u64,
    /// A filter asked for before the index was whole: it runs when it is.
    pub waiting_filter: Option<String>,
    /// `G` was the last key: the cursor goes to the document's end once it is indexed.
    pub wants_end: bool,
    /// The body is still arriving (a response): `done` counts bytes received, and the pane holds only the
    /// preview's bytes (no save, raw view or editor until the whole is here).
    pub arriving: bool,
    /// The document breaks past what the preview shows: where and why (the preview stays).
    pub broken: Option<JsonError>,
}

impl Indexing {
    pub fn percent(&self) -> u64 {
        self.done.saturating_mul(100).checked_div(self.total).unwrap_or(100).min(99)
    }

    /// `34% of 1.0 GB indexed` (`received` while a response arrives, or `12.0 MB received` when its length is not
    /// known), for messages.
    pub fn progress(&self) -> String {
        let verb = if self.arriving { "received" } else { "indexed" };
        if self.total == 0 {
            return format!("{} {verb}", human_bytes(self.done));
        }
        format!("{}% of {} {verb}", self.percent(), human_bytes(self.total))
    }
}

impl InspectorPane {
    /// A pane on the preview of `source`; the whole body comes to [`InspectorPane::indexed`].
    pub fn previewed(preview: Preview, source: Source, file_backed: bool, save_name: &str, pane: u64) -> Option<Self> {
        let total = source.len();
        let mut this = InspectorPane::new(ReadyBody::Json(preview.doc), file_backed, save_name, pane)?;
        // Save, raw lines, the editor: the body itself, never the preview's closed copy of its start.
        this.whole.source = source;
        this.indexing = Some(Indexing {
            shared: preview.shared,
            shown: preview.shown,
            done: preview.shown,
            total,
            waiting_filter: None,
            wants_end: false,
            arriving: false,
            broken: None,
        });
        Some(this)
    }

    pub fn indexing(&self) -> Option<&Indexing> {
        self.indexing.as_ref()
    }

    /// The preview is of a response still arriving.
    pub fn arriving(&mut self) {
        if let Some(indexing) = &mut self.indexing {
            (indexing.arriving, indexing.total) = (true, 0);
        }
    }

    /// The body whose start is shown is all here now (`zorgtui view -` has read stdin): it is indexed next.
    pub fn body_read(&mut self, source: Source, file_backed: bool) {
        if let Some(indexing) = &mut self.indexing {
            (indexing.arriving, indexing.done, indexing.total) = (false, 0, source.len());
            self.whole.source = source;
            self.file_backed = file_backed;
        }
    }

    pub fn set_file_backed(&mut self, file_backed: bool) {
        self.file_backed = file_backed;
    }

    /// The rest of the body will not come (`message` says why: it stopped arriving, it could not be read): the
    /// preview stays, and says so.
    pub fn cut_off(&mut self, message: &str) {
        self.broke(unplaced(message));
    }

    /// What waited for the whole will not get it: the preview stays, with `error` on its line.
    fn broke(&mut self, error: JsonError) {
        if let Some(indexing) = self.indexing.as_mut().filter(|i| i.broken.is_none()) {
            indexing.broken = Some(error);
            indexing.waiting_filter = None;
            indexing.wants_end = false;
        }
    }

    /// Why what needs the body's bytes (save, raw lines, the editor) waits: only its start has arrived.
    pub(super) fn body_not_here(&mut self) -> bool {
        let Some(indexing) = self.indexing.as_ref().filter(|i| i.arriving) else { return false };
        let text = match &indexing.broken {
            None => format!("Only the start of the body is here ({}): wait for the rest", indexing.progress()),
            Some(error) => format!("Only the start of the body is here: {}", error.message),
        };
        self.error(text);
        true
    }

    pub fn index_progress(&mut self, done: u64, total: u64) {
        if let Some(indexing) = &mut self.indexing {
            (indexing.done, indexing.total) = (done.max(indexing.done), total);
        }
    }

    /// The whole body, indexed: the tree on it takes the preview's place where the person left it, and what
    /// waited for it runs. A body that breaks past the preview keeps the preview and says where.
    pub fn indexed(&mut self, body: ReadyBody, now: Instant) -> Vec<Effect> {
        let Some(indexing) = self.indexing.take() else { return Vec::new() };
        let (raw, error) = match body {
            ReadyBody::Json(doc) => return self.whole_in_place(indexing, doc, now),
            ReadyBody::Invalid { raw, error } => (Some(raw), error),
            ReadyBody::TooManyValues { raw, limit } => (Some(raw), unplaced(&format!("more than {limit} values"))),
            ReadyBody::Text(raw) => (Some(raw), unplaced("the rest is not JSON")),
            ReadyBody::Empty => (None, unplaced("the body is empty")),
        };
        // The body is all here even so: saves and raw lines take it whole; the tree stays on its start.
        if let Some(raw) = raw {
            self.whole.source = raw.source().clone();
        }
        let (shown, total) = (human_bytes(indexing.shown), human_bytes(self.whole.source.len()));
        self.error(format!("{error}: shown is the start, {shown} of {total}"));
        self.indexing = Some(Indexing { arriving: false, ..indexing });
        self.broke(error);
        Vec::new()
    }

    /// The whole document `doc` in the preview's place, and what waited for it.
    fn whole_in_place(
        &mut self,
        indexing: Indexing,
        doc: std::sync::Arc<crate::json::Document>,
        now: Instant,
    ) -> Vec<Effect> {
        // The body itself from now on (a response's preview held only its start).
        self.whole.source = doc.source().clone();
        if let Some(tree) = &self.whole.tree {
            let mut whole = tree.carried_to(doc, indexing.shared);
            if indexing.wants_end {
                whole.bottom();
            }
            self.whole.tree = Some(whole);
        }
        let mut effects = Vec::new();
        if self.whole.query.is_some() && self.filtered.is_none() {
            effects.extend(self.request_search(now));
        }
        if let Some(expr) = indexing.waiting_filter {
            effects.extend(self.run_filter(&expr, now));
        }
        effects
    }

    /// `G` on a preview: the end of what is indexed, and it says so; the end of the whole follows once it is
    /// indexed, unless another key comes first.
    pub(super) fn bottom_of_preview(&mut self) {
        let on_tree = self.filtered.is_none() && !self.whole.showing_raw();
        let Some(indexing) = self.indexing.as_mut().filter(|_| on_tree) else { return };
        let text = match &indexing.broken {
            None => {
                indexing.wants_end = true;
                format!("The end of what is indexed so far ({}): the end itself once it is", indexing.progress())
            }
            Some(error) => format!("The end of what could be read: {error}"),
        };
        self.info(text);
    }

    /// Any key but `G` keeps the cursor where it is when the whole comes.
    pub(super) fn stay_put(&mut self) {
        if let Some(indexing) = &mut self.indexing {
            indexing.wants_end = false;
        }
    }

    /// Why a copy of the value under the cursor waits, if it does: the preview holds only its start.
    pub(super) fn cut_by_preview(&mut self) -> bool {
        let Some(indexing) = &self.indexing else { return false };
        if self.filtered.is_some() || self.whole.showing_raw() {
            return false;
        }
        let cut = self.whole.tree.as_ref().is_some_and(|t| t.cursor_passes(indexing.shared));
        if cut {
            let text = match &indexing.broken {
                None => {
                    format!("This value is not indexed to its end yet ({}): copy it when it is", indexing.progress())
                }
                Some(error) => format!("This value runs past where the document breaks ({error})"),
            };
            self.error(text);
        }
        cut
    }

    /// A filter asked for on a preview waits for the whole document.
    pub(super) fn filter_waits(&mut self, expr: &str) -> bool {
        let Some(indexing) = self.indexing.as_mut().filter(|i| i.broken.is_none()) else { return false };
        indexing.waiting_filter = Some(expr.to_string());
        let text =
            format!("The filter runs when the whole document is indexed ({}); Esc stops it", indexing.progress());
        self.info(text);
        true
    }

    /// `Esc` on a filter that waits.
    pub(super) fn stop_waiting_filter(&mut self) -> bool {
        let stopped = self.indexing.as_mut().and_then(|i| i.waiting_filter.take()).is_some();
        if stopped {
            self.info("Filter stopped");
        }
        stopped
    }
}

/// A reason the whole is not shown that has no line and column.
fn unplaced(message: &str) -> JsonError {
    JsonError { line: 0, column: 0, message: message.to_string() }
}
