//! The auth pane: signed in or not, as whom, with which scopes, and how long the token lives.

use std::time::SystemTime;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use super::widgets::{fit_line, inner, pane_block, safe};
use crate::app::State;
use crate::app::keys::ExplorerCommand;
use crate::auth::{AuthStatus, SessionInfo};
use crate::config::spec_profile::Origin;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    // Where requests go is never in doubt: the profile and the API's host are in the title, whatever else shows.
    let title =
        format!(" Sign-in · {} → {} ", safe(&state.profile.label()), safe(&crate::http::host_of(&state.server_url())));
    frame.render_widget(pane_block(Line::from(title), focused), area);
    let inner = inner(area);
    let width = usize::from(inner.width);
    let profile = &state.profile;
    let origins = profile.origins;
    let mut where_to = vec![
        Span::styled("  profile ", theme::dim()),
        Span::raw(safe(&profile.label()).into_owned()),
        Span::styled("  issuer ", theme::dim()),
    ];
    if profile.issuer.is_empty() {
        where_to.push(Span::styled("none (the spec names no OAuth2 sign-in)", theme::warn()));
    } else {
        where_to.push(Span::raw(safe(&profile.issuer).into_owned()));
        where_to.extend(origin(origins.issuer));
    }
    let mut first = status_spans(state);
    let mut second: Vec<Span> = Vec::new();
    match &state.auth {
        AuthStatus::SignedIn(session) | AuthStatus::Refreshing(session) => {
            first.extend(session_spans(session, state.wall));
            second.push(Span::styled("scopes ", theme::dim()));
            second.push(Span::raw(safe(&session.scopes.join(" ")).into_owned()));
        }
        AuthStatus::WaitingForBrowser(pending) => {
            second.push(Span::styled("address ", theme::dim()));
            second.push(Span::raw(safe(&pending.authorize_url).into_owned()));
        }
        AuthStatus::SigningOut(pending) => {
            second.push(Span::styled("address ", theme::dim()));
            second.push(Span::raw(safe(&pending.end_session_url).into_owned()));
        }
        _ => {
            first.extend(where_to);
            second.push(Span::styled("client ", theme::dim()));
            if profile.client_id.is_empty() {
                second.push(Span::styled("asked at sign-in", theme::warn()));
            } else {
                second.push(Span::raw(safe(&profile.client_id).into_owned()));
                second.extend(origin(origins.client_id));
            }
            second.push(Span::styled("  API ", theme::dim()));
            second.push(Span::raw(safe(&state.server_url()).into_owned()));
            second.extend(origin(origins.api));
        }
    }
    let mut lines = vec![fit_line(first, width)];
    if inner.height > 1 {
        lines.push(fit_line(second, width));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Where a value came from, when it is not simply the profile's: `(spec)`, `(flag)`, `(given here)`.
fn origin(origin: Origin) -> Option<Span<'static>> {
    (origin != Origin::Profile).then(|| Span::styled(format!(" ({})", origin.label()), theme::dim()))
}

fn status_spans(state: &State) -> Vec<Span<'static>> {
    let bold = Modifier::BOLD;
    let spin = theme::spinner(state.spinner);
    match &state.auth {
        AuthStatus::SignedOut => vec![
            Span::styled("● Signed out", theme::warn().add_modifier(bold)),
            Span::styled(format!("  {} signs in", state.keys.explorer.name(ExplorerCommand::SignIn)), theme::dim()),
        ],
        AuthStatus::Working(what) => vec![Span::styled(format!("{spin} {}", safe(what)), theme::info())],
        AuthStatus::WaitingForBrowser(_) => {
            vec![Span::styled(format!("{spin} Waiting for the browser"), theme::info().add_modifier(bold))]
        }
        AuthStatus::WaitingForDevice(device) => vec![
            Span::styled("Waiting for the device code ", theme::info().add_modifier(bold)),
            Span::styled(safe(&device.user_code).into_owned(), Style::new().add_modifier(bold)),
            Span::styled(format!("  at {}", safe(&device.verification_uri)), theme::dim()),
        ],
        AuthStatus::SigningOut(_) => vec![Span::styled(
            format!("{spin} Signed out here; ending the session at the server in the browser"),
            theme::info().add_modifier(bold),
        )],
        AuthStatus::SignedIn(session) => vec![
            Span::styled("● Signed in as ", theme::ok()),
            Span::styled(safe(&session.subject).into_owned(), theme::ok().add_modifier(bold)),
        ],
        AuthStatus::Refreshing(session) => vec![
            Span::styled(format!("{spin} Refreshing"), theme::info().add_modifier(bold)),
            Span::styled(format!("  signed in as {}", safe(&session.subject)), theme::dim()),
        ],
        AuthStatus::Expired { reason, retrying: true } => vec![
            Span::styled("● Token expired; the refresh is retried by itself", theme::warn().add_modifier(bold)),
            Span::styled(
                format!(
                    "  {} — or press {} to sign in again",
                    safe(reason),
                    state.keys.explorer.name(ExplorerCommand::SignIn)
                ),
                theme::dim(),
            ),
        ],
        AuthStatus::Expired { reason, retrying: false } => vec![
            Span::styled(
                format!("● Session expired — press {}", state.keys.explorer.name(ExplorerCommand::SignIn)),
                theme::error().add_modifier(bold),
            ),
            Span::styled(format!("  {}", safe(reason)), theme::dim()),
        ],
        AuthStatus::Failed { reason } => {
            vec![Span::styled(format!("● Sign-in failed: {}", safe(reason)), theme::error().add_modifier(bold))]
        }
    }
}

fn session_spans(session: &SessionInfo, now: SystemTime) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    if session.refresh_trouble.is_some() {
        // The reason is in the status bar; here, that the session is not as healthy as it looks.
        spans.push(Span::styled("  ⚠ cannot refresh, retrying", theme::warn()));
    }
    spans.extend([Span::styled("  token ", theme::dim()), Span::raw(remaining(session.access_expires_at, now))]);
    if let Some(refresh) = session.refresh_expires_at {
        spans.push(Span::styled("  refresh token ", theme::dim()));
        spans.push(Span::raw(remaining(refresh, now)));
    } else if session.has_refresh_token {
        spans.push(Span::styled("  refresh token: no known expiry", theme::dim()));
    }
    if let Some(at) = session.last_refresh {
        spans.push(Span::styled("  refreshed ", theme::dim()));
        spans.push(Span::raw(ago(at, now)));
    }
    spans
}

/// `expires in 4:07`, `expires in 1 h 02 min`, `expired`.
pub fn remaining(at: SystemTime, now: SystemTime) -> String {
    match at.duration_since(now) {
        Ok(left) if left.as_secs() >= 3600 => {
            let s = left.as_secs();
            format!("expires in {} h {:02} min", s / 3600, (s % 3600) / 60)
        }
        Ok(left) if left.as_secs() > 0 => format!("expires in {}:{:02}", left.as_secs() / 60, left.as_secs() % 60),
        _ => "expired".to_string(),
    }
}

/// `14:03:07 (6 s ago)`: the clock time, and how long ago in words.
fn ago(at: SystemTime, now: SystemTime) -> String {
    let secs = now.duration_since(at).map_or(0, |d| d.as_secs());
    let clock = chrono::DateTime::<chrono::Local>::from(at).format("%H:%M:%S");
    if secs < 60 { format!("{clock} ({secs} s ago)") } else { format!("{clock} ({} min ago)", secs / 60) }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn countdown_reads_naturally() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(remaining(now + Duration::from_secs(247), now), "expires in 4:07");
        assert_eq!(remaining(now + Duration::from_secs(3720), now), "expires in 1 h 02 min");
        assert_eq!(remaining(now - Duration::from_secs(1), now), "expired");
        assert!(ago(now - Duration::from_secs(75), now).ends_with(" (1 min ago)"));
    }
}
