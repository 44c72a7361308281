//! A big JSON response shown while it arrives (issue 17): once its first MiB is in, the response pane shows a
//! preview of it (status and headers above, the rest still coming), its keys working at once; when the whole body
//! has arrived and is indexed it takes the preview's place where the person left it. A response cut off (cancelled,
//! failed) keeps its start on screen and says so.

use super::inspector::{InspectorPane, ReadyBody};
use super::response::{BodyView, ReadyResponse, Shown};
use super::{Effect, RequestId, State};
use crate::api::response::ApiResponse;
use crate::json::Preview;

/// The start of the response to the request in flight, with how much had come of how much: shown in place of the
/// last response.
pub(super) fn started(
    state: &mut State,
    id: RequestId,
    head: ApiResponse,
    preview: Preview,
    (received, total): (u64, Option<u64>),
) -> Vec<Effect> {
    let Some(flight) = state.response.in_flight.as_ref().filter(|f| f.id == id) else { return Vec::new() };
    let label = flight.label.clone();
    let ready = ReadyResponse { response: head, body: ReadyBody::Empty, api_error: None };
    let mut shown = Shown::new(id, label, ready, &state.keys);
    let source = preview.doc.source().clone();
    let save_name = super::response::save_name(&shown.url, true);
    if let Some(mut pane) = InspectorPane::previewed(preview, source, false, &save_name, id) {
        pane.set_keys(std::sync::Arc::clone(&state.keys));
        pane.arriving();
        shown.body = BodyView::Inspector(Box::new(pane));
        shown.arriving = Some(id);
        state.response.show(shown);
    }
    arriving(state, id, received, total)
}

/// More of that response has arrived.
pub(super) fn arriving(state: &mut State, id: RequestId, received: u64, total: Option<u64>) -> Vec<Effect> {
    if let Some(shown) = state.response.shown.as_mut().filter(|s| s.arriving == Some(id)) {
        shown.size = received;
        if let BodyView::Inspector(pane) = &mut shown.body {
            pane.index_progress(received, total.unwrap_or(0));
        }
    }
    Vec::new()
}

/// The whole response to request `id`, ready: shown, in the preview's pane when its start was shown (the view
/// carried over), else as any response is.
pub(super) fn arrived(state: &mut State, id: RequestId, label: String, ready: ReadyResponse) -> (Shown, Vec<Effect>) {
    let carried = match state.response.shown.as_mut() {
        Some(shown) if shown.arriving == Some(id) => match std::mem::replace(&mut shown.body, BodyView::Empty) {
            BodyView::Inspector(pane) => Some(pane),
            BodyView::Empty => None,
        },
        _ => None,
    };
    let Some(mut pane) = carried.filter(|_| matches!(ready.body, ReadyBody::Json(_) | ReadyBody::Invalid { .. }))
    else {
        return (Shown::new(id, label, ready, &state.keys), Vec::new());
    };
    let ReadyResponse { response, body, api_error } = ready;
    pane.set_file_backed(response.spilled.is_some());
    let effects = pane.indexed(body, state.now);
    let ready = ReadyResponse { response, body: ReadyBody::Empty, api_error };
    let mut shown = Shown::new(id, label, ready, &state.keys);
    shown.body = BodyView::Inspector(pane);
    (shown, effects)
}

/// The response to request `id` stopped arriving (`why`: cancelled, or the failure): a start on screen stays,
/// and says the rest did not come.
pub(super) fn stopped(state: &mut State, id: RequestId, why: &str) {
    if let Some(shown) = state.response.shown.as_mut().filter(|s| s.arriving == Some(id)) {
        shown.arriving = None;
        if let BodyView::Inspector(pane) = &mut shown.body {
            pane.cut_off(&format!("the rest of the body did not arrive ({why})"));
        }
    }
}
