//! The sign-in window: the authorize address whole (to select, or `c` to copy with OSC 52), and every way back in:
//! the loopback callback (with the `ssh -L` line for a remote session), pasting the address the browser landed on,
//! the device code, and the demo's in-app approval.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::auth_status::remaining;
use super::theme;
use super::widgets::{inner, pane_block, safe, wrap_lines};
use crate::app::State;
use crate::app::keys::SignInCommand;
use crate::app::layout::{dialog, dialog_width};
use crate::auth::{AuthStatus, DevicePrompt, PendingLogin, PendingLogout, Redirect};

pub fn draw(frame: &mut Frame, screen: Rect, state: &State) {
    let text_width = usize::from(dialog_width(screen).saturating_sub(2));
    let lines = match &state.auth {
        AuthStatus::WaitingForBrowser(pending) => browser_lines(state, pending, text_width),
        AuthStatus::WaitingForDevice(device) => device_lines(state, device, text_width),
        AuthStatus::SigningOut(pending) => signing_out_lines(state, pending, text_width),
        _ => return,
    };
    let mut lines = wrap_lines(lines, text_width);
    let room = usize::from(screen.height.saturating_sub(4));
    if lines.len() > room {
        // A short screen: the blank lines go first, so the address and every way back stay in view.
        lines.retain(|line| !line.spans.iter().all(|s| s.content.trim().is_empty()));
    }
    let area = dialog(screen, lines.len());
    frame.render_widget(Clear, area);
    let host = crate::http::host_of(&state.profile.issuer);
    frame.render_widget(pane_block(Line::from(format!(" Sign in — {} ", safe(&host))), true), area);
    let inner = inner(area);
    // The paste field sits on its own line, found by its marker.
    let paste_row = lines.iter().position(|l| l.to_string().starts_with("    ›")).and_then(|i| u16::try_from(i).ok());
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(input) = state.sign_in.as_ref().and_then(|d| d.paste.as_ref()) {
        let row = paste_row.map_or(inner.bottom().saturating_sub(2), |r| inner.y + r);
        let field = Rect { x: inner.x + 4, y: row, width: inner.width.saturating_sub(5), height: 1 };
        if field.y < inner.bottom() {
            frame.render_widget(Clear, field);
            frame.render_widget(input, field);
        }
    }
}

fn browser_lines(state: &State, pending: &PendingLogin, text_width: usize) -> Vec<Line<'static>> {
    let strong = theme::strong();
    let key = |command| state.keys.sign_in.name(command);
    let mut lines = vec![Line::styled("Waiting for the browser", theme::info().add_modifier(Modifier::BOLD))];
    lines.push(Line::default());
    if pending.browser_opened {
        lines.push(Line::raw("A browser was opened at this address; if not, open it yourself:"));
    } else {
        lines.push(Line::raw(format!(
            "Open this address in a browser (select it, or press {} to copy it):",
            key(SignInCommand::CopyAddress)
        )));
    }
    // The address whole, cut into lines so every character can be selected and nothing is hidden.
    let url = safe(&pending.authorize_url).into_owned();
    let chars: Vec<char> = url.chars().collect();
    for chunk in chars.chunks(text_width.max(20)) {
        lines.push(Line::styled(chunk.iter().collect::<String>(), theme::link()));
    }
    lines.push(Line::default());
    if state.demo && !pending.browser_opened {
        lines.push(Line::from(vec![
            Span::raw("This is the demo: press "),
            Span::styled(key(SignInCommand::Confirm), strong),
            Span::raw(" to approve as the demo user, as the browser would."),
        ]));
        lines.push(Line::default());
    }
    lines.push(Line::raw("Then come back here in one of these ways:"));
    match &pending.redirect {
        Redirect::Loopback { ip, port } => {
            let host = Redirect::loopback_host(*ip);
            lines.push(Line::raw(format!("  • The browser returns by itself to this machine's {host}.")));
            if let Some(target) = &state.ssh_target {
                lines.push(Line::raw("    Over SSH, run this on your own machine first:"));
                lines.push(Line::styled(format!("      ssh -L {port}:{host}:{port} {target}"), strong));
            } else {
                lines.push(Line::styled(
                    format!("    (remote session? on your own machine: ssh -L {port}:{host}:{port} HOST)"),
                    theme::dim(),
                ));
            }
        }
        Redirect::Registered { uri } => {
            lines.push(Line::raw(format!("  • The browser ends on {}…", safe(uri))));
        }
    }
    lines.push(Line::raw(format!(
        "  • Or copy the address the browser landed on and paste it here ({}, or just paste):",
        key(SignInCommand::PasteAddress)
    )));
    let pasted = state.sign_in.as_ref().and_then(|d| d.paste.as_ref()).is_some();
    lines.push(Line::styled(if pasted { "    › " } else { "    › (nothing pasted yet)" }, theme::dim()));
    if pending.device_available {
        lines.push(Line::raw(format!(
            "  • Or press {} to sign in with a code on another device.",
            key(SignInCommand::DeviceCode)
        )));
    }
    lines.push(Line::default());
    let approving = state.sign_in.as_ref().is_some_and(|d| d.approving);
    let keys = format!(
        "{} copy address · {} paste address · {} cancel",
        key(SignInCommand::CopyAddress),
        key(SignInCommand::PasteAddress),
        key(SignInCommand::Cancel)
    );
    lines.push(Line::styled(if approving { "Approving…".to_string() } else { keys }, theme::dim()));
    lines
}

fn signing_out_lines(state: &State, pending: &PendingLogout, text_width: usize) -> Vec<Line<'static>> {
    let key = |command| state.keys.sign_in.name(command);
    let mut lines = vec![
        Line::styled("Signing out at the server", theme::info().add_modifier(Modifier::BOLD)),
        Line::default(),
        Line::raw("The tokens are revoked and forgotten here. To end the session in the browser too, so that the next"),
        Line::raw("sign-in asks for the password again, open this address where you signed in:"),
    ];
    let url = safe(&pending.end_session_url).into_owned();
    let chars: Vec<char> = url.chars().collect();
    for chunk in chars.chunks(text_width.max(20)) {
        lines.push(Line::styled(chunk.iter().collect::<String>(), theme::link()));
    }
    lines.push(Line::default());
    if pending.browser_opened {
        lines.push(Line::raw("A browser was opened at it."));
    }
    if state.demo {
        lines.push(Line::raw(format!(
            "This is the demo: {} ends it as the demo's browser would.",
            key(SignInCommand::Confirm)
        )));
    }
    if pending.confirmable {
        lines.push(Line::raw("This window closes by itself when the browser comes back."));
    } else {
        lines.push(Line::raw(format!(
            "Nothing will say when it is done: {} closes this window.",
            key(SignInCommand::Cancel)
        )));
    }
    lines.push(Line::default());
    let approving = state.sign_in.as_ref().is_some_and(|d| d.approving);
    let keys = format!("{} copy address · {} close", key(SignInCommand::CopyAddress), key(SignInCommand::Cancel));
    lines.push(Line::styled(if approving { "Signing out…".to_string() } else { keys }, theme::dim()));
    lines
}

fn device_lines(state: &State, device: &DevicePrompt, text_width: usize) -> Vec<Line<'static>> {
    let big = theme::code();
    let spaced: String = device.user_code.chars().flat_map(|c| [c, ' ']).collect();
    let mut lines = vec![
        Line::styled("Sign in on another device", theme::info().add_modifier(Modifier::BOLD)),
        Line::default(),
        Line::raw("On a phone or computer, open:"),
    ];
    let uri = safe(&device.verification_uri).into_owned();
    let chars: Vec<char> = uri.chars().collect();
    for chunk in chars.chunks(text_width.max(20)) {
        lines.push(Line::styled(format!("  {}", chunk.iter().collect::<String>()), theme::link()));
    }
    lines.push(Line::default());
    lines.push(Line::raw("and enter this code:"));
    lines.push(Line::default());
    lines.push(Line::from(vec![Span::raw("    "), Span::styled(format!("  {}  ", safe(spaced.trim())), big)]));
    lines.push(Line::default());
    lines.push(Line::styled(format!("The code {}.", remaining(device.expires_at, state.wall)), theme::dim()));
    let key = |command| state.keys.sign_in.name(command);
    let keys = format!("{} copy address · {} cancel", key(SignInCommand::CopyAddress), key(SignInCommand::Cancel));
    lines.push(Line::styled(keys, theme::dim()));
    lines
}
