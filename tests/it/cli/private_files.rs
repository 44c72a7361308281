//! Stored secrets are trusted only from a private file in a private directory: a token file others can read, one of
//! another user's, a link, a FIFO, or a directory others can write is refused with what to run; the log is never
//! followed through a link. Driven through the built binary, as a person (or someone hostile) would set it up.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use super::{Home, store_session, text};
use crate::support::engine::within;

const ISSUER: &str = "https://idp.example/realms/x";

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777
}

/// A home with a stored session; the session's file.
async fn home_with_session() -> (Home, PathBuf) {
    let home = Home::new();
    store_session(&home, ISSUER, 0, 600).await;
    let tokens = home.data().join("tokens");
    let file = std::fs::read_dir(&tokens)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    (home, file)
}

/// `zorgtui status` and `zorgtui token` for the session's profile: both must refuse with `expected`.
async fn both_refuse(home: &Home, expected: &str) {
    for door in ["status", "token"] {
        let output = within(home.command_at(ISSUER, "zorgtui", &[door]).output()).await.unwrap();
        let stderr = text(&output.stderr);
        assert!(!output.status.success(), "{door}: {stderr}");
        assert!(stderr.contains(expected), "{door}: expected `{expected}` in: {stderr}");
        assert!(!text(&output.stdout).contains("stored-access"), "{door}: no token printed");
    }
}

#[tokio::test]
async fn a_token_file_others_can_read_is_refused_and_left_as_it_is() {
    let (home, file) = home_with_session().await;
    let ok = within(home.command_at(ISSUER, "zorgtui", &["status"]).output()).await.unwrap();
    assert!(ok.status.success(), "a private file is read: {}", text(&ok.stderr));
    for loose in [0o644, 0o640, 0o606, 0o620] {
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(loose)).unwrap();
        both_refuse(&home, &format!("run chmod 600 {}", file.display())).await;
        assert_eq!(mode(&file), loose, "the file is not quietly changed");
    }
}

#[tokio::test]
async fn a_link_is_not_followed_and_a_fifo_is_refused_at_once() {
    let (home, file) = home_with_session().await;
    let elsewhere = home.path().join("elsewhere.json");
    std::fs::rename(&file, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &file).unwrap();
    both_refuse(&home, "is a symbolic link").await;

    std::fs::remove_file(&file).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(&file).status().unwrap().success());
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    // `within` fails the test if reading the FIFO waits for a writer.
    both_refuse(&home, "is not a regular file (a FIFO)").await;
}

#[tokio::test]
async fn a_file_of_another_user_is_refused() {
    if zorgtui::private_files::uid() != 0 {
        eprintln!("skipped: only root can give a file to another user");
        return;
    }
    let (home, file) = home_with_session().await;
    std::os::unix::fs::chown(&file, Some(4242), Some(4242)).unwrap();
    both_refuse(
        &home,
        &format!("belongs to another user (uid 4242) — remove it, or make it yours: chown 0 {}", file.display()),
    )
    .await;
}

#[tokio::test]
async fn a_data_directory_others_can_write_is_refused() {
    let (home, _) = home_with_session().await;
    std::fs::set_permissions(home.data(), std::fs::Permissions::from_mode(0o777)).unwrap();
    both_refuse(&home, &format!("run chmod go-w {}", home.data().display())).await;
}

#[tokio::test]
async fn a_linked_log_is_not_followed() {
    let home = Home::new();
    let state = home.path().join("state");
    std::fs::create_dir_all(&state).unwrap();
    std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o700)).unwrap();
    let target = home.path().join("someone-elses.txt");
    std::fs::write(&target, "theirs\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink(&target, state.join("zorgtui.log")).unwrap();

    let output = within(home.command_at(ISSUER, "zorgtui", &["status"]).output()).await.unwrap();
    let stderr = text(&output.stderr);
    assert!(stderr.contains("running without a log") && stderr.contains("is a symbolic link"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "theirs\n", "nothing appended");
    assert_eq!(mode(&target), 0o644, "its mode untouched");
}
