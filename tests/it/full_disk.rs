//! A full disk loses nothing the person typed or received (issue 16): the explorer, signed in at the demo, sends,
//! refreshes and saves a body while no write can land, then again once one can.
//!
//! Two disks, the same day. Everywhere: the process may write no byte to any file (`RLIMIT_FSIZE` 0, so every
//! write fails as on a full disk, with `EFBIG`), which needs a process of its own: the parent test runs
//! [`alone`] in a new copy of this test binary. Where a file system can be mounted (root here): also a real 4 MiB
//! tmpfs, filled to its last byte (`ENOSPC`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use zorgtui::api::builtin;
use zorgtui::app::{Action, Pane, State};
use zorgtui::auth::{AuthCommand, AuthStatus};
use zorgtui::demo::{self, DemoOptions};
use zorgtui::run::Driver;
use zorgtui::workspace::WorkspaceDirs;

use crate::support::drive::{filter_and_send, press, profile, run_until, type_keys};
use crate::support::engine::config_at;
use crate::support::screen::render;

const LIMIT: Duration = Duration::from_secs(20);
/// Set in the child: which disk it fills.
const DISK: &str = "ZORGTUI_TEST_FULL_DISK";

#[test]
fn a_full_disk_loses_nothing_typed_or_received() {
    run_alone("limit");
    if Tmpfs::mountable() {
        run_alone("tmpfs");
    } else {
        eprintln!("no tmpfs can be mounted here: the real full file system is not tried");
    }
}

/// Runs [`alone`] in a process of its own, filling `disk`, and fails with its output if it fails.
fn run_alone(disk: &str) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "full_disk::alone", "--include-ignored", "--nocapture", "--test-threads=1"])
        .env(DISK, disk)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success() && text.contains("1 passed"), "the {disk} disk's day failed:\n{text}");
    eprintln!("the {disk} disk's day passed in {:?}", started.elapsed());
}

#[tokio::test]
#[ignore = "run by a_full_disk_loses_nothing_typed_or_received, in a process of its own"]
async fn alone() {
    let Some(kind) = std::env::var_os(DISK) else { return };
    let mut disk: Box<dyn Disk> = match kind.to_str() {
        Some("tmpfs") => Box::new(Tmpfs::mount()),
        _ => Box::new(Limit::new()),
    };
    day(disk.as_mut()).await;
}

/// A place whose writes can be made to fail and then succeed again.
trait Disk {
    /// Where the explorer keeps its files.
    fn home(&self) -> &Path;
    fn fill(&mut self);
    fn free(&mut self);
}

/// The process may write nothing to a file while full (`RLIMIT_FSIZE` 0; `SIGXFSZ` handled, so the write fails
/// instead of the process dying).
struct Limit {
    home: tempfile::TempDir,
    _sigxfsz: tokio::signal::unix::Signal,
}

impl Limit {
    fn new() -> Limit {
        let sigxfsz = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::from_raw(25)).unwrap();
        Limit { home: tempfile::tempdir().unwrap(), _sigxfsz: sigxfsz }
    }

    fn set(current: Option<u64>) {
        use rustix::process::{Resource, Rlimit, setrlimit};
        setrlimit(Resource::Fsize, Rlimit { current, maximum: None }).unwrap();
    }
}

impl Disk for Limit {
    fn home(&self) -> &Path {
        self.home.path()
    }
    fn fill(&mut self) {
        Limit::set(Some(0));
    }
    fn free(&mut self) {
        Limit::set(None);
    }
}

/// A real 4 MiB tmpfs, filled with one file to its last byte.
struct Tmpfs {
    mount: tempfile::TempDir,
    home: PathBuf,
}

impl Tmpfs {
    fn mountable() -> bool {
        let Ok(dir) = tempfile::tempdir() else { return false };
        let mounted = mount(dir.path());
        if mounted {
            unmount(dir.path());
        }
        mounted
    }

    fn mount() -> Tmpfs {
        let dir = tempfile::tempdir().unwrap();
        assert!(mount(dir.path()), "the tmpfs mounts");
        let home = dir.path().join("home");
        std::fs::create_dir(&home).unwrap();
        Tmpfs { mount: dir, home }
    }

    fn filler(&self) -> PathBuf {
        self.mount.path().join("filler")
    }
}

fn mount(dir: &Path) -> bool {
    Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(dir)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn unmount(dir: &Path) {
    let _ = Command::new("umount").arg("-l").arg(dir).status();
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        unmount(self.mount.path());
    }
}

impl Disk for Tmpfs {
    fn home(&self) -> &Path {
        &self.home
    }
    fn fill(&mut self) {
        use std::io::Write as _;
        let mut file = std::fs::File::create(self.filler()).unwrap();
        let block = vec![0u8; 4096];
        loop {
            match file.write(&block) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    assert_eq!(e.raw_os_error(), Some(28), "filled to ENOSPC: {e}");
                    break;
                }
            }
        }
        // Down to the last byte: what a page did not take.
        while file.write(&[0]).is_ok_and(|n| n == 1) {}
    }
    fn free(&mut self) {
        std::fs::remove_file(self.filler()).unwrap();
    }
}

fn ctrl(c: char) -> Action {
    Action::Input(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)))
}

/// Handles actions one at a time until a notice says `text` (a later one may replace it within one burst), and
/// answers it.
async fn told(driver: &mut Driver, text: &str) -> String {
    let wait = async {
        loop {
            if let Some(notice) = driver.state.notice.as_ref().filter(|n| n.text.contains(text)) {
                return notice.text.clone();
            }
            let action = driver.next_action().await.expect("the action channel stays open");
            driver.handle(action);
        }
    };
    tokio::time::timeout(LIMIT, wait).await.unwrap_or_else(|_| panic!("never told `{text}`"))
}

fn answered(state: &State) -> bool {
    state.response.shown.as_ref().is_some_and(|r| r.status == 200) && state.response.in_flight.is_none()
}

/// The exchanges `index.json` names.
fn kept(home: &Path) -> usize {
    let index = crate::support::files::all(&home.join("data/history"))
        .into_iter()
        .find(|(path, _)| path.ends_with("index.json"))
        .map(|(_, text)| text);
    index.map_or(0, |text| {
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["entries"].as_array().unwrap().len()
    })
}

/// The saved session's access and refresh tokens.
fn saved_session(home: &Path) -> (String, String) {
    let (_, text) = crate::support::files::all(&home.join("auth"))
        .into_iter()
        .find(|(p, _)| p.extension().is_some_and(|e| e == "json"))
        .expect("a saved session");
    let session: serde_json::Value = serde_json::from_str(&text).expect("the session file is whole");
    (session["access_token"].as_str().unwrap().into(), session["refresh_token"].as_str().unwrap().into())
}

/// No temporary file is left behind by a write that failed.
fn no_leftovers(home: &Path) {
    let left: Vec<_> = crate::support::files::all(home)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                n.to_string_lossy().starts_with(".zorgtui-") || n.to_string_lossy().starts_with(".tmp")
            })
        })
        .collect();
    assert!(left.is_empty(), "half-written files left: {left:?}");
}

#[allow(clippy::too_many_lines)] // One day, step by step.
async fn day(disk: &mut dyn Disk) {
    let servers = demo::start(DemoOptions::default()).await.unwrap();
    let home = disk.home().to_path_buf();
    let mut config = config_at(servers.issuer(), servers.client_id(), &home.join("auth"));
    config.scope = "openid offline_access users:read".into();
    let mut driver = Driver::new(profile(servers.api_base()), builtin::catalogue(), Rect::new(0, 0, 160, 48));
    let events = driver.sender();
    let handle = zorgtui::auth::spawn(config, move |event| {
        let _ = events.send(Action::Auth(event));
    });
    let auth = handle.commander();
    let token = handle.token();
    driver.attach_auth(handle);
    driver.keep_workspace_in(WorkspaceDirs { data_dir: home.join("data"), config_dir: home.clone() });
    driver.state.demo = true;
    driver.start();
    let tx = driver.sender();
    run_until(&mut driver, LIMIT, |s| s.day.loaded).await;
    press(&tx, KeyCode::Char('L'));
    run_until(&mut driver, LIMIT, State::signing_in).await;
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| matches!(s.auth, AuthStatus::SignedIn(_))).await;
    filter_and_send(&tx, "get /users/me");
    run_until(&mut driver, LIMIT, |s| s.day.history.len() == 1).await;
    let signed_in = saved_session(&home);

    disk.fill();
    // An answer the history cannot take: shown in full, and held.
    tx.send(ctrl('r')).unwrap();
    let said = told(&mut driver, "Not written to the history yet").await;
    assert!(
        said.contains(
            "free some space there): it is held here, and written with the next exchange or when zorgtui quits"
        ),
        "{said}"
    );
    run_until(&mut driver, LIMIT, answered).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("200 OK") && screen.contains("Demo User"), "the answer is shown:\n{screen}");
    assert_eq!(kept(&home), 1, "nothing half-written into the history");

    // A refresh whose session cannot be saved: the session goes on, with the renewed refresh token in memory.
    auth(AuthCommand::Refresh);
    let said = told(&mut driver, "could not be saved").await;
    assert!(
        said.starts_with("Refreshed, but the session could not be saved")
            && said.contains("free some space there — it is kept here and saved at the next chance"),
        "{said}"
    );
    assert_eq!(saved_session(&home), signed_in, "the saved session is the old one, whole");
    let refreshed = token.borrow().clone().unwrap();
    assert_ne!(refreshed.expose(), signed_in.0, "the session went on");

    // Saving the body: nothing written, said with what to do, and the path typed is offered again.
    let target = home.join("me.json");
    driver.state.focus = Pane::Response;
    press(&tx, KeyCode::Char('s'));
    tx.send(ctrl('u')).unwrap();
    type_keys(&tx, target.to_str().unwrap());
    press(&tx, KeyCode::Enter);
    told(&mut driver, "nothing was written — free some space").await;
    assert!(!target.exists(), "no half file");
    no_leftovers(&home);

    disk.free();
    press(&tx, KeyCode::Char('s'));
    press(&tx, KeyCode::Enter);
    told(&mut driver, "Saved").await;
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert!(saved.is_object(), "the body, whole: {saved}");

    // The next exchange writes the held one first; the next refresh saves the session held.
    tx.send(ctrl('r')).unwrap();
    run_until(&mut driver, LIMIT, |s| s.day.history.len() == 3).await;
    assert_eq!(kept(&home), 3, "the held exchange and the new one");
    auth(AuthCommand::Refresh);
    run_until(&mut driver, LIMIT, |_| token.borrow().as_ref().is_some_and(|t| t.expose() != refreshed.expose())).await;
    let now = token.borrow().clone().unwrap();
    run_until(&mut driver, LIMIT, |_| saved_session(&home).0 == now.expose()).await;

    // Full again, then room at quit: what was held is written at the end.
    disk.fill();
    tx.send(ctrl('r')).unwrap();
    told(&mut driver, "Not written to the history yet").await;
    run_until(&mut driver, LIMIT, answered).await;
    auth(AuthCommand::Refresh);
    told(&mut driver, "could not be saved").await;
    let last = token.borrow().clone().unwrap();
    disk.free();
    let parting = tokio::time::timeout(LIMIT, driver.finish()).await.unwrap();
    assert!(parting.is_empty(), "nothing lost at the end: {parting:?}");
    assert_eq!(kept(&home), 4, "the held exchange, written at quit");
    assert_eq!(saved_session(&home).0, last.expose(), "the held session, saved at quit");
    no_leftovers(&home);
}
