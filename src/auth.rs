//! Signing in: the OAuth engine. It runs as a background task, takes commands and reports events; the screen only
//! ever sees [`AuthStatus`], which holds no secret.

/// What the auth pane shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AuthStatus {
    #[default]
    SignedOut,
}
