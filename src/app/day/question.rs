//! A question answered yes or no before something that cannot be taken back: the first write of a session on a
//! profile marked `confirm_writes` (production), deleting a saved request. Any key but yes says no.

use crate::app::effect::Effect;
use crate::app::keys::ConfirmCommand;
use crate::app::send::Outgoing;
use crate::app::state::State;

#[derive(Debug)]
pub enum Question {
    /// Send this write (POST, PUT, PATCH, DELETE) on a profile that asks first; yes allows every write of the
    /// session on that profile.
    Write(Box<Outgoing>),
    /// Delete the saved request of this name.
    DeleteSaved { name: String },
}

impl Question {
    /// The question, as the dialog asks it.
    pub fn text(&self, state: &State) -> Vec<String> {
        match self {
            Question::Write(outgoing) => {
                let host = crate::http::host_of(&outgoing.request.url);
                vec![
                    format!("Profile `{}` asks before its first write of a session.", state.profile.label()),
                    format!("Send {} to {host}?", outgoing.label),
                    "Yes sends it and every write after it on this profile until zorgtui quits.".to_string(),
                ]
            }
            Question::DeleteSaved { name } => vec![format!("Delete the saved request “{name}”?")],
        }
    }
}

/// The answer to the question asked.
pub(in crate::app) fn answer(state: &mut State, answer: ConfirmCommand) -> Vec<Effect> {
    let Some(question) = state.day.question.take() else { return Vec::new() };
    match (question, answer) {
        (Question::Write(outgoing), ConfirmCommand::Yes) => {
            let key = state.profile.store_key();
            if !state.day.writes_confirmed.contains(&key) {
                state.day.writes_confirmed.push(key);
            }
            crate::app::send::go(state, *outgoing)
        }
        (Question::Write(outgoing), ConfirmCommand::No) => {
            state.info(format!("Not sent: {}", outgoing.label));
            Vec::new()
        }
        (Question::DeleteSaved { name }, ConfirmCommand::Yes) => super::saved::delete(state, &name),
        (Question::DeleteSaved { .. }, ConfirmCommand::No) => Vec::new(),
    }
}
