//! The terminal: raw mode, alternate screen, mouse and paste on; and put back exactly as found on every way out,
//! panics included.

use std::io::{self, Stdout, Write};
use std::sync::Once;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::crossterm::{cursor, execute};

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Mouse buttons and wheel in SGR encoding, without motion tracking: moving the pointer must not wake the program.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";

/// Puts `text` on the person's clipboard with OSC 52. It travels through SSH and tmux (with `set-clipboard on`) to
/// the terminal on the person's own machine.
pub fn copy_to_clipboard(text: &str) -> io::Result<()> {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut stdout = io::stdout();
    write!(stdout, "\x1b]52;c;{encoded}\x07")?;
    stdout.flush()
}

/// Turns mouse reporting on or off (off lets the person select text with the mouse, as in any terminal).
pub fn set_mouse(on: bool) -> io::Result<()> {
    let mut stdout = io::stdout();
    stdout.write_all(if on { MOUSE_ON } else { MOUSE_OFF }.as_bytes())?;
    stdout.flush()
}

/// Restores the terminal when dropped, so `?` and early returns restore it too.
pub struct TerminalGuard {
    _private: (),
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Takes over the terminal. The guard restores it; a panic restores it before the message is printed.
pub fn init() -> io::Result<(Tui, TerminalGuard)> {
    install_panic_hook();
    enable_raw_mode()?;
    let guard = TerminalGuard { _private: () };
    let mut stdout = io::stdout();
    execute!(stdout, EnterAlternateScreen, EnableBracketedPaste)?;
    stdout.write_all(MOUSE_ON.as_bytes())?;
    stdout.flush()?;
    let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    Ok((terminal, guard))
}

/// Puts the terminal back. Safe to call more than once.
pub fn restore() {
    let mut stdout = io::stdout();
    let _ = stdout.write_all(MOUSE_OFF.as_bytes());
    let _ = execute!(stdout, DisableBracketedPaste, LeaveAlternateScreen, cursor::Show);
    let _ = disable_raw_mode();
    let _ = stdout.flush();
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
            // A panic in a background task would otherwise leave the screen running on a restored (cooked)
            // terminal: end here, with the terminal usable and the message above.
            std::process::exit(101);
        }));
    });
}
