//! One integration-test binary (it links once); each module is one area.

mod app_flow;
mod auth;
mod cli;
mod demo;
mod oidc_harness;
mod screens;
mod specs;
mod start_up;
mod support;
