//! One integration-test binary (it links once); each module is one area.

// Tests and their helpers may unwrap: a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod app_flow;
mod auth;
mod bounded;
mod cli;
mod day;
mod demo;
mod full_disk;
mod http_client;
mod inspector;
mod keys;
mod layers;
mod oidc_harness;
mod postman;
mod proxy;
mod screens;
mod server_variables;
mod signals;
mod spec_brings;
mod spec_credentials;
mod specs;
mod start_up;
mod support;
mod tui_auth;
