//! zorgtui on a pseudo-terminal, as a terminal emulator runs it: what it writes to the screen is collected, and the
//! terminal's modes can be read after it has gone.

use std::fs::File;
use std::io::Read as _;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{LocalModes, Winsize, tcgetattr, tcsetwinsize};

pub struct Pty {
    pub child: Child,
    /// The terminal's side the program got (kept open, so its modes can be read once the program is gone).
    terminal: File,
    output: Arc<Mutex<Vec<u8>>>,
}

impl Pty {
    /// Starts `command` on an 80×24 pseudo-terminal.
    pub fn spawn(mut command: Command) -> Pty {
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        let terminal = File::options().read(true).write(true).open(name.to_str().unwrap()).unwrap();
        tcsetwinsize(&master, Winsize { ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0 }).unwrap();
        let stdio = || Stdio::from(terminal.try_clone().unwrap());
        let child = command.stdin(stdio()).stdout(stdio()).stderr(stdio()).spawn().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let collected = Arc::clone(&output);
        let mut reader = File::from(master);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                collected.lock().unwrap().extend_from_slice(&buffer[..n]);
            }
        });
        Pty { child, terminal, output }
    }

    /// Everything written to the screen so far.
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// Waits until the screen shows `text`.
    pub fn wait_for(&self, text: &str, limit: Duration) {
        let started = Instant::now();
        while !self.output().contains(text) {
            assert!(started.elapsed() < limit, "`{text}` never appeared:\n{}", self.output());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the program to end.
    pub fn wait(&mut self, limit: Duration) -> std::process::ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if started.elapsed() > limit {
                let _ = self.child.kill();
                panic!("it did not end within {limit:?}:\n{}", self.output());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether the terminal is back in its ordinary (cooked) mode: lines edited, keys echoed, Ctrl-C a signal.
    pub fn is_cooked(&self) -> bool {
        let modes = tcgetattr(&self.terminal).unwrap().local_modes;
        modes.contains(LocalModes::ICANON | LocalModes::ECHO | LocalModes::ISIG)
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
