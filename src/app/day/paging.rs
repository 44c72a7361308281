//! Paging: the next and previous page of a list, by sending again with `skip` moved by `limit` (by the number of
//! items that came when no limit was sent), or where a `Link` header says the page is. The response line says
//! where the page sits ("items 101–200 of 1234").

use super::Sent;
use crate::app::ReadyResponse;
use crate::app::effect::Effect;
use crate::app::state::State;
use crate::workspace::paging::Page;

/// Where the answer `ready` to `sent` sits in its list, when it is worth saying.
pub(in crate::app) fn page_of(sent: &Sent, ready: &ReadyResponse) -> Option<Page> {
    let response = &ready.response;
    let page = Page::read(&sent.query, &response.headers, item_count(&response.body), &response.url);
    page.is_paged().then_some(page)
}

/// How many items a list body holds: a top-level array, or the array of a wrapper (`items`, `data`, `results`).
fn item_count(body: &[u8]) -> Option<u64> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum List {
        Array(Vec<serde::de::IgnoredAny>),
        Wrapped {
            #[serde(alias = "data", alias = "results")]
            items: Vec<serde::de::IgnoredAny>,
        },
    }
    match serde_json::from_slice::<List>(body).ok()? {
        List::Array(items) | List::Wrapped { items } => Some(items.len() as u64),
    }
}

/// The paging keys: the next (`forward`) or previous page of the list on show.
pub(in crate::app) fn turn_page(state: &mut State, forward: bool) -> Vec<Effect> {
    let Some(shown) = &state.response.shown else {
        state.info("No list on show to page through");
        return Vec::new();
    };
    let (Some(sent), Some(page)) = (shown.sent.clone(), shown.page.clone()) else {
        state.info("This response is not a list with pages (no limit, skip, Total-Count or Link)");
        return Vec::new();
    };
    let word = if forward { "next" } else { "previous" };
    let linked = if forward { page.links.next.clone() } else { page.links.prev.clone() };
    let url = if let Some(url) = linked {
        url
    } else {
        let skip = if forward { page.next_skip() } else { page.prev_skip() };
        let Some(skip) = skip else {
            state.info(format!("There is no {word} page"));
            return Vec::new();
        };
        let Ok(mut url) = url::Url::parse(&sent.request.url) else { return Vec::new() };
        let mut pairs: Vec<(String, String)> = url.query_pairs().into_owned().filter(|(n, _)| n != "skip").collect();
        pairs.push(("skip".to_string(), skip.to_string()));
        url.query_pairs_mut().clear().extend_pairs(&pairs);
        set_editor_skip(state, &sent, skip);
        url.to_string()
    };
    let query: Vec<(String, String)> =
        url::Url::parse(&url).map(|u| u.query_pairs().into_owned().collect()).unwrap_or_default();
    let mut request = sent.request.clone();
    request.url.clone_from(&url);
    let path = url::Url::parse(&url).map(|u| u.path().to_string()).unwrap_or_default();
    let label = format!("{} {path} ({word} page)", request.method);
    let sent = Sent { request: request.clone(), query, ..(*sent).clone() };
    crate::app::send::send_prepared(state, request, label, sent)
}

/// The editor's `skip` follows the page, when it shows the operation the list came from.
fn set_editor_skip(state: &mut State, sent: &Sent, skip: u64) {
    let same = sent.operation.as_ref().is_some_and(|k| state.editor.operation.as_ref().is_some_and(|(o, _)| o == k));
    if !same {
        return;
    }
    if let Some(field) = state
        .editor
        .draft_mut()
        .and_then(|d| d.fields.iter_mut().find(|f| f.section == crate::app::editor::Section::Query && f.name == "skip"))
    {
        field.value = skip.to_string();
    }
}
