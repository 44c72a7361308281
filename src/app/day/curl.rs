//! Copy as curl: the request as it would be sent now, as a curl line on the clipboard (OSC 52). Its token comes from
//! `$(zorgtui <the profile's flags> token)` when the line runs, never the token itself; the second key writes the live
//! token into the line, with a warning. The demo's session lives only in this process, so there only the explicit
//! line can work, and the first key says so.

use super::WorkspaceEffect;
use crate::app::effect::Effect;
use crate::app::keys::ExplorerCommand;
use crate::app::state::State;

/// Where the copied line's token comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurlToken {
    /// The request goes without one.
    None,
    /// `$(zorgtui … token)`, when the line runs.
    Command,
    /// The live token, written into the line.
    Live,
}

/// The copy keys: `live` writes the live token into the line.
pub(in crate::app) fn copy_curl(state: &mut State, live: bool) -> Vec<Effect> {
    crate::app::update::leave_text(state);
    let Some(request) = state.request_on_show() else { return Vec::new() };
    let explicit = state.keys.explorer.name(ExplorerCommand::CopyCurlWithToken);
    let token = if !request.with_token || state.granted_scopes().is_none() {
        CurlToken::None
    } else if live {
        CurlToken::Live
    } else if state.demo {
        state.info(format!(
            "The demo's session lives only in this zorgtui, so `zorgtui token` cannot reach it from a shell: \
             {explicit} copies the line with the live token in it"
        ));
        return Vec::new();
    } else {
        CurlToken::Command
    };
    vec![Effect::Workspace(WorkspaceEffect::CopyCurl { request, token, profile: Box::new(state.profile.clone()) })]
}

impl State {
    /// The request the editor would send now (variables resolved, its token cleared for where it goes), or why
    /// not, said in the status bar.
    pub(in crate::app) fn request_on_show(&mut self) -> Option<crate::api::request::PreparedRequest> {
        let Some(op) = self.operation().cloned() else {
            self.error("No request to copy: select an endpoint first");
            return None;
        };
        let draft = self.editor.draft()?;
        let values = match self.resolved_values(draft, &op) {
            Ok(values) => values,
            Err(unresolved) => {
                self.error(format!("Not copied: {unresolved}"));
                return None;
            }
        };
        match crate::api::request::prepare(&op, &self.server_url(), &values) {
            Ok(mut request) => {
                request.with_token = crate::api::client::token_may_go_to(&request.url, &self.profile.api).is_ok();
                Some(request)
            }
            Err(e) => {
                self.error(format!("Not copied: {e}"));
                None
            }
        }
    }
}
