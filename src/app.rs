//! The pure core: state, the actions that change it, and the effects it asks for.
//!
//! Everything that happens arrives as an [`Action`]; [`update`] is the only place [`State`] changes, and it does no
//! I/O: what must happen outside (send a request, load a spec) comes back as [`Effect`]s for the run loop. Rendering
//! reads `&State`. That makes the whole program testable with plain asserts and a `TestBackend`.

mod action;
mod catalogue;
mod credentials;
pub mod day;
mod editor;
mod effect;
mod help;
mod inspector;
mod keymap;
pub mod keys;
pub mod layout;
mod mouse;
mod profiles;
mod response;
mod screen;
mod send;
mod sign_in;
mod state;
mod streaming;
mod text_field;
mod update;

pub use action::{Action, Now, RequestId};
pub use catalogue::{CatalogueState, ListRow};
pub use credentials::CredentialAsk;
pub use editor::{Draft, EditTarget, EditorRow, EditorState, Field, Section};
pub use effect::Effect;
pub use help::{HelpRow, KEY_COLUMN as HELP_KEY_COLUMN, help_area, help_max_offset, help_rows, help_title};
pub use inspector::{
    Activity, ActivityKind, Cancel, DocView, Expect, ExternalProgram, Filtered, InspectorCommand, InspectorEffect,
    InspectorEvent, InspectorInput, InspectorPane, JobId, LineMatches, OpenInput, Opening, Prompt, PromptInput,
    PromptKind, RawPane, ReadyBody, Running, SaveError, SearchTarget, ViewerState, human_bytes, prepare_body,
    prepare_response_body, raw_gutter, wrapped_row_count,
};
pub use keymap::{Command, key_hints};
pub use keys::{HelpSection, KeyHint, Keymap, ScreenKind};
pub use layout::{Content, Layout};
pub use profiles::{Question, SpecChooses};
pub use response::{BodyView, InFlight, ReadyResponse, ResponseState, Shown, prepare_response};
pub use screen::Screen;
pub use sign_in::{SignInDialog, StepUp};
pub use state::{Appearance, Notice, NoticeKind, Pane, Preferences, ServerChoice, State};
pub use update::{start, update};

#[cfg(test)]
mod profiles_tests;
#[cfg(test)]
mod sign_in_tests;
#[cfg(test)]
mod streaming_tests;
#[cfg(test)]
mod tests;
