//! PLACEHOLDER until the built-in catalogue lands (branch `openapi`).

use super::Catalogue;

pub fn catalogue() -> Catalogue {
    Catalogue { title: "ZorgAPIs".into(), source: "built-in".into(), ..Catalogue::default() }
}
