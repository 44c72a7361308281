//! A big JSON response's start, for the response pane while the rest arrives: the first MiB is kept as it comes,
//! previewed on a blocking thread (`Action::ResponseStarted`), and how much has come is told now and then
//! (`Action::ResponseArriving`). The whole body still goes its usual way; this only looks at the pieces.

use tokio::sync::mpsc::UnboundedSender;

use crate::api::client::Started;
use crate::api::response::ApiResponse;
use crate::app::{Action, RequestId};
use crate::json::{PREVIEW_BYTES, Preview, Source};

/// At most this many progress reports a response (and at least a MiB between two).
const REPORTS: u64 = 100;

pub(super) struct Streaming {
    id: RequestId,
    tx: UnboundedSender<Action>,
    /// The head, while the start is still being gathered (none for a body that is not JSON).
    head: Option<ApiResponse>,
    start: Vec<u8>,
    previewed: bool,
    received: u64,
    total: Option<u64>,
    next_report: u64,
    step: u64,
}

impl Streaming {
    pub(super) fn new(id: RequestId, started: &Started, tx: UnboundedSender<Action>) -> Streaming {
        let head = started.head();
        let json = head.content_type().is_none() || head.looks_like_json();
        let total = started.response.content_length();
        let step = total.map_or(0, |t| t / REPORTS).max(1 << 20);
        Streaming {
            id,
            tx,
            head: json.then_some(head),
            start: Vec::new(),
            previewed: false,
            received: 0,
            total,
            next_report: 0,
            step,
        }
    }

    /// A piece of the body arrived.
    pub(super) fn chunk(&mut self, chunk: &[u8]) {
        self.received += chunk.len() as u64;
        if self.head.is_some() {
            let take = (PREVIEW_BYTES + 1 - self.start.len()).min(chunk.len());
            self.start.extend_from_slice(&chunk[..take]);
            if self.start.len() > PREVIEW_BYTES {
                self.preview();
            }
        }
        // Reports start a step after the preview, which says how much had come.
        if self.previewed && self.received >= self.next_report {
            self.next_report = self.received + self.step;
            let _ = self.tx.send(Action::ResponseArriving { id: self.id, received: self.received, total: self.total });
        }
    }

    fn preview(&mut self) {
        let Some(head) = self.head.take() else { return };
        let (id, tx, received, total) = (self.id, self.tx.clone(), self.received, self.total);
        let start = bytes::Bytes::from(std::mem::take(&mut self.start));
        self.previewed = true;
        self.next_report = self.received + self.step;
        drop(tokio::task::spawn_blocking(move || {
            if let Some(preview) = Preview::of(&Source::from_bytes(start), PREVIEW_BYTES) {
                let (head, preview) = (Box::new(head), Box::new(preview));
                let _ = tx.send(Action::ResponseStarted { id, head, preview, received, total });
            }
        }));
    }
}
