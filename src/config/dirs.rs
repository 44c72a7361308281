//! Where zorgtui keeps its files: config, data (tokens), state (logs), cache (catalogues of specs).

use std::path::PathBuf;

use directories::ProjectDirs;

/// The directories in use. Each can be moved by an environment variable, which the tests use to stay in a temp dir.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDirs {
    /// `config.toml` (`ZORGTUI_CONFIG`).
    pub config_file: PathBuf,
    /// Tokens, one file per profile (`ZORGTUI_DATA_DIR`).
    pub data_dir: PathBuf,
    /// Logs (`ZORGTUI_STATE_DIR`).
    pub state_dir: PathBuf,
    /// What can be made again: catalogues of specs already read (`ZORGTUI_CACHE_DIR`).
    pub cache_dir: PathBuf,
}

impl AppDirs {
    /// The platform's directories (XDG on Linux, `~/Library/...` on macOS), with the environment's overrides.
    pub fn discover() -> AppDirs {
        let project = ProjectDirs::from("nl", "zorgtui", "zorgtui");
        let fallback = || std::env::temp_dir().join("zorgtui");
        let from_env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let config_file = from_env("ZORGTUI_CONFIG").unwrap_or_else(|| {
            project.as_ref().map_or_else(fallback, |p| p.config_dir().to_path_buf()).join("config.toml")
        });
        let data_dir = from_env("ZORGTUI_DATA_DIR")
            .unwrap_or_else(|| project.as_ref().map_or_else(fallback, |p| p.data_dir().to_path_buf()));
        // state_dir exists on Linux only; elsewhere logs go beside the data.
        let state_dir = from_env("ZORGTUI_STATE_DIR").unwrap_or_else(|| {
            project.as_ref().map_or_else(fallback, |p| p.state_dir().unwrap_or_else(|| p.data_dir()).to_path_buf())
        });
        let cache_dir = from_env("ZORGTUI_CACHE_DIR")
            .unwrap_or_else(|| project.as_ref().map_or_else(fallback, |p| p.cache_dir().to_path_buf()));
        AppDirs { config_file, data_dir, state_dir, cache_dir }
    }
}
