//! Helpers shared by the integration tests.

#![allow(clippy::unwrap_used)] // Tests may unwrap: a panic is the failure report.

pub mod api_server;
pub mod browser;
pub mod drive;
pub mod engine;
pub mod fake_issuer;
pub mod files;
pub mod hostile;
pub mod oidc;
pub mod pty;
pub mod screen;
pub mod tls;
