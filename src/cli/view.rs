//! `zorgtui view FILE|-`: the JSON inspector on the whole screen, for a file (read where it is, never copied into
//! memory) or for what is piped in.

use std::path::{Path, PathBuf};

use crate::app::OpenInput;
use crate::config::Profile;

/// What to show: `-` (or nothing, when something is piped in) is stdin.
pub fn input(file: Option<&Path>) -> OpenInput {
    match file {
        Some(path) if path != Path::new("-") => OpenInput::File(PathBuf::from(path)),
        _ => OpenInput::Stdin,
    }
}

/// Runs the viewer; a file that cannot be opened is refused before the screen starts.
pub async fn run(file: Option<&Path>, profile: &Profile, preferences: &crate::app::Preferences) -> anyhow::Result<()> {
    let input = input(file);
    if let OpenInput::File(path) = &input {
        let meta =
            std::fs::metadata(path).map_err(|e| anyhow::anyhow!("cannot open {}: {}", path.display(), plain(&e)))?;
        if meta.is_dir() {
            anyhow::bail!("{} is a folder: give a file", path.display());
        }
    }
    crate::run::run_viewer(input, profile.limits.body_memory, preferences).await
}

fn plain(error: &std::io::Error) -> String {
    crate::text::plain_error(&error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dash_or_nothing_is_stdin() {
        assert_eq!(input(None), OpenInput::Stdin);
        assert_eq!(input(Some(Path::new("-"))), OpenInput::Stdin);
        assert_eq!(input(Some(Path::new("a.json"))), OpenInput::File("a.json".into()));
    }
}
