//! Catalogues already read, kept in the cache directory so that a second start on the same document skips parsing.
//!
//! An entry is found by a hash of where the document is and the zorgtui version: for a file its path (refs resolve
//! against it; the entry keeps the hash of the bytes, and is read while the file is hashed), for a URL the URL
//! (the bytes are only known after the fetch, so the entry keeps their hash and the server's validators, and the
//! fetch revalidates it). One entry per document: a changed file replaces its entry. An entry is used only when
//! its own record of all that matches (the bytes' hash among it), and the other files it was read from still hash
//! the same; a corrupt or stale one is ignored and replaced. Entries are written whole to a temporary file that is then renamed
//! into place, so a reader never sees half of one; the directory is 0700 and entries 0600, and one that is a link,
//! or another user's, is not read.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Catalogue;
use super::openapi::{self, Dependency, Location, SpecError};

mod stored;

/// Bumped when the entry layout changes in a way serde would still read wrongly (2: the bodies apart, 3: the
/// operations in two halves, see `stored`, 4: BLAKE3 hashes).
const FORMAT: u32 = 4;
const VERSION: &str = env!("CARGO_PKG_VERSION");
/// An entry larger than this is not one of ours.
const MAX_ENTRY_BYTES: u64 = 512 << 20;

/// Hex BLAKE3 of `bytes`: what a cached catalogue's documents are known by. BLAKE3 rather than SHA-256 because a
/// second start hashes the whole document before it can show it, and BLAKE3 does that several times faster (about
/// 2 ms against 10 on an 11 MB document here), with the same strength.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// What the server said about the bytes, to ask "changed since?" next time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// One cached catalogue and what it was made from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    format: u32,
    version: String,
    source: String,
    /// BLAKE3 of the root document's bytes (see [`content_hash`]).
    pub content: String,
    dependencies: Vec<Dependency>,
    pub validators: Validators,
    pub catalogue: Catalogue,
    /// On disk only: where each operation's example body is kept (see `stored`); empty in memory.
    #[serde(default)]
    examples: Vec<Option<(u64, u64)>>,
}

impl Entry {
    #[cfg(test)]
    fn for_tests() -> Entry {
        Entry {
            format: FORMAT,
            version: VERSION.to_string(),
            source: "test".into(),
            content: String::new(),
            dependencies: Vec::new(),
            validators: Validators::default(),
            catalogue: Catalogue::default(),
            examples: Vec::new(),
        }
    }
}

/// The cache directory's `specs/` folder.
#[derive(Debug, Clone)]
pub struct SpecCache {
    dir: PathBuf,
}

impl SpecCache {
    pub fn new(cache_dir: &Path) -> SpecCache {
        SpecCache { dir: cache_dir.join("specs") }
    }

    /// The catalogue of the document at `path`: from the cache when it holds this very document, else read (each
    /// file at most `limit` bytes) and then kept.
    pub fn load_file(&self, path: &Path, limit: u64) -> Result<Catalogue, SpecError> {
        match self.load_file_soon(path, limit)? {
            (_, Some(completion)) => completion.catalogue(),
            (catalogue, None) => Ok(catalogue),
        }
    }

    /// [`load_file`](Self::load_file) for the first frame: a big document not in the cache is read without its
    /// example bodies (see [`openapi::parse_soon`]), and the [`Completion`] reads them and keeps the whole entry.
    pub fn load_file_soon(&self, path: &Path, limit: u64) -> Result<(Catalogue, Option<Completion>), SpecError> {
        let source = path.display().to_string();
        // One entry per path, holding the hash of the bytes it was read from: the entry is read while the document
        // is hashed, and used only when the two agree.
        let key = self.key(&["file", &source]);
        let (read, kept) = std::thread::scope(|scope| {
            let kept = scope.spawn(|| Self::read(&key, &source));
            let read = openapi::read_file(path, limit).map(|bytes| {
                let content = content_hash(&bytes);
                (bytes, content)
            });
            (read, kept.join().ok().flatten())
        });
        let (bytes, content) = read
            .map_err(|reason| SpecError::Read { origin: crate::text::escape_controls(&source).into_owned(), reason })?;
        if let Some(entry) = kept.filter(|e| e.content == content && dependencies_hold(e, limit)) {
            tracing::debug!(%source, "spec from the cache");
            return Ok((entry.catalogue, None));
        }
        let (loaded, later) = openapi::parse_soon(&bytes, &source, &mut openapi::FileFetch { limit })?;
        let mut entry = Entry {
            format: FORMAT,
            version: VERSION.to_string(),
            source,
            content,
            dependencies: loaded.dependencies,
            validators: Validators::default(),
            catalogue: Catalogue::default(),
            examples: Vec::new(),
        };
        if let Some(later) = later {
            // The entry waits for the whole catalogue, which the completion puts in.
            return Ok((loaded.catalogue, Some(Completion { cache: self.clone(), key, entry, later })));
        }
        entry.catalogue = loaded.catalogue;
        self.write(&key, &entry);
        Ok((entry.catalogue, None))
    }

    /// The entry kept for the spec at `url`, if any (to show while it is revalidated).
    pub fn lookup_url(&self, url: &str) -> Option<Entry> {
        Self::read(&self.key(&["url", url]), url)
    }

    /// Keeps what was read from `url`.
    pub fn store_url(&self, url: &str, content: String, validators: Validators, loaded: openapi::Loaded) -> Entry {
        let entry = Entry {
            format: FORMAT,
            version: VERSION.to_string(),
            source: url.to_string(),
            content,
            dependencies: loaded.dependencies,
            validators,
            catalogue: loaded.catalogue,
            examples: Vec::new(),
        };
        self.write(&self.key(&["url", url]), &entry);
        entry
    }

    /// Rewrites `entry` (new validators for the same bytes).
    pub fn refresh_url(&self, url: &str, entry: &Entry) {
        self.write(&self.key(&["url", url]), entry);
    }

    fn key(&self, parts: &[&str]) -> PathBuf {
        let mut joined = format!("zorgtui {VERSION} format {FORMAT}");
        for part in parts {
            joined.push('\0');
            joined.push_str(part);
        }
        self.dir.join(format!("{}.entry", content_hash(joined.as_bytes())))
    }

    fn read(path: &Path, source: &str) -> Option<Entry> {
        let file = match crate::private_files::open_read(path) {
            Ok(Some(file)) => file,
            Ok(None) => return None,
            Err(refused) => {
                tracing::warn!("spec cache entry not used: {refused}");
                return None;
            }
        };
        let mut bytes = Vec::new();
        file.take(MAX_ENTRY_BYTES).read_to_end(&mut bytes).ok()?;
        match stored::decode(&bytes) {
            Ok(entry) if entry.format == FORMAT && entry.version == VERSION && entry.source == source => Some(entry),
            Ok(_) => None,
            Err(e) => {
                tracing::info!(path = %path.display(), "spec cache entry ignored: {e}");
                None
            }
        }
    }

    /// Best effort: a cache that cannot be written only costs the next start its parse.
    fn write(&self, path: &Path, entry: &Entry) {
        if let Err(e) = self.try_write(path, entry) {
            tracing::warn!(dir = %self.dir.display(), "spec cache not written: {e}");
        }
    }

    fn try_write(&self, path: &Path, entry: &Entry) -> Result<(), String> {
        crate::private_files::private_dir(&self.dir).map_err(|e| e.to_string())?;
        let mut file = tempfile::NamedTempFile::new_in(&self.dir).map_err(|e| e.to_string())?;
        file.write_all(&stored::encode(entry)?).map_err(|e| e.to_string())?;
        file.persist(path).map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// The rest of a big document's reading: its example bodies, and then its cache entry.
#[derive(Debug)]
pub struct Completion {
    cache: SpecCache,
    key: PathBuf,
    entry: Entry,
    later: openapi::Later,
}

impl Completion {
    /// The whole catalogue (kept in the cache as well).
    pub fn catalogue(self) -> Result<Catalogue, SpecError> {
        let Completion { cache, key, mut entry, later } = self;
        entry.catalogue = later.catalogue()?;
        cache.write(&key, &entry);
        Ok(entry.catalogue)
    }
}

/// Whether every other file the entry was read from still has the bytes it had.
fn dependencies_hold(entry: &Entry, limit: u64) -> bool {
    entry.dependencies.iter().all(|dependency| match Location::of(&dependency.location) {
        Location::File(path) => {
            openapi::read_file(&path, limit).is_ok_and(|bytes| content_hash(&bytes) == dependency.hash)
        }
        // A URL's other documents are checked when the spec is fetched again.
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_hash_is_hex_blake3() {
        // The test vector of the BLAKE3 specification for "abc".
        assert_eq!(content_hash(b"abc"), "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85");
    }
}
