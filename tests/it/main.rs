//! One integration-test binary (it links once); each module is one area.
mod specs;
