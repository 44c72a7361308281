//! The answers to the day's questions, asked in main's question dialog (`state.question`) before something that
//! cannot be taken back: the first write of a session on a profile marked `confirm_writes` (production), deleting a
//! saved request. Any key but yes says no.

use crate::app::effect::Effect;
use crate::app::keys::ConfirmCommand;
use crate::app::profiles::Question;
use crate::app::state::State;

/// The question's lines, as the dialog asks it.
pub fn question_text(state: &State, question: &Question) -> Vec<String> {
    match question {
        Question::Write(outgoing) => {
            let host = crate::http::host_of(&outgoing.request.url);
            vec![
                format!("Profile `{}` asks before its first write of a session.", state.profile.label()),
                format!("Send {} to {host}?", outgoing.label),
                "Yes sends it and every write after it on this profile until zorgtui quits.".to_string(),
            ]
        }
        Question::DeleteSaved { name } => vec![format!("Delete the saved request “{name}”?")],
        Question::ClientId { .. } | Question::TrustPair { .. } | Question::Credential(_) => Vec::new(),
    }
}

/// The answer to the question asked.
pub(in crate::app) fn answer(state: &mut State, answer: ConfirmCommand) -> Vec<Effect> {
    let Some(question) = state.question.take() else { return Vec::new() };
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
        (other, _) => {
            // Not one of the day's: leave it for its own answer.
            if matches!(other, Question::ClientId { .. } | Question::TrustPair { .. } | Question::Credential(_)) {
                state.question = Some(other);
            }
            Vec::new()
        }
    }
}
