//! The built-in ZorgAPIs v1beta2 catalogue, ready before the first frame without any YAML.
//!
//! The asset is our own line format (one fact per line, see `builtin/read.rs`), made from the ZorgAPIs OpenAPI
//! document by the ignored test `regenerate_builtin_catalogue` and checked against that document by the specs
//! tests, so drift is caught. The same format can hold any catalogue (e.g. a cache of a loaded spec).

mod json_layout;
mod line_format;
mod read;
mod write;

pub use read::{CatalogueTextError, read_catalogue_text};
pub use write::write_catalogue_text;

use crate::api::Catalogue;

/// [`Catalogue::source`] of the built-in catalogue.
pub const SOURCE: &str = "built-in";

const ASSET: &str = include_str!("../../assets/zorgapis-v1beta2.catalogue");

/// The ZorgAPIs v1beta2 operations, tags, servers (sandbox first) and OAuth scopes.
pub fn catalogue() -> Catalogue {
    match read_catalogue_text(ASSET, SOURCE) {
        Ok(catalogue) => catalogue,
        // Only a broken build gets here (the tests read the asset); an empty list with a reason beats a crash.
        Err(e) => Catalogue {
            title: "ZorgAPIs".to_string(),
            source: SOURCE.to_string(),
            notices: vec![format!("the built-in catalogue could not be read: {e}")],
            ..Catalogue::default()
        },
    }
}
