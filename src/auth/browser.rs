//! Opening the sign-in page in the person's browser, when there is one to open.

/// Whether a browser can be opened here: not over SSH (it would open on the remote machine, or nowhere), and on
/// Linux and the BSDs only with a display (X11 or Wayland).
/// `user@host` to name in an `ssh -L` hint, when this runs over SSH.
pub fn ssh_target() -> Option<String> {
    let over_ssh = std::env::var_os("SSH_CONNECTION").is_some() || std::env::var_os("SSH_TTY").is_some();
    if !over_ssh {
        return None;
    }
    let user = std::env::var("USER").unwrap_or_else(|_| "you".into());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this-host".into());
    Some(format!("{user}@{host}"))
}

pub fn can_open() -> bool {
    decide(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
}

fn decide(is_set: impl Fn(&str) -> bool) -> bool {
    if is_set("SSH_CONNECTION") || is_set("SSH_TTY") {
        return false;
    }
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return true;
    }
    is_set("DISPLAY") || is_set("WAYLAND_DISPLAY")
}

/// Starts the system's opener (`xdg-open`, `open`, ...) for `url`, detached, its output discarded so it cannot draw
/// over the screen. Whether a browser really showed up cannot be known; the address is always shown as well.
pub fn open(url: &str) -> bool {
    match open::that_detached(url) {
        Ok(()) => true,
        Err(error) => {
            tracing::info!(%error, "no browser could be started");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(set: &[&str]) -> bool {
        decide(|name| set.contains(&name))
    }

    #[test]
    fn ssh_never_opens_a_browser() {
        assert!(!with(&["SSH_CONNECTION", "DISPLAY"]));
        assert!(!with(&["SSH_TTY", "WAYLAND_DISPLAY"]));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn linux_needs_a_display() {
        assert!(!with(&[]));
        assert!(with(&["DISPLAY"]));
        assert!(with(&["WAYLAND_DISPLAY"]));
    }
}
