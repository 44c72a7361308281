//! One integration-test binary (it links once); each module is one area.

mod oidc_harness;
mod specs;
mod support;
