//! A persistent cache of what hayagriva rendered for a book, so that a rebuild
//! renders only the citations that are new, and none at all when no citation
//! changed (most saves under `mdbook serve`).
//!
//! Each book has one file per slot, replaced whenever what it holds changes, so the
//! cache stays as large as the last build. A key hashes everything the stored text
//! depends on besides the citations themselves: this program's build, the style,
//! every work's data and the order in which the book first cites each work. A file
//! that is missing, stale, truncated or corrupt is a miss; the cache never changes
//! what is rendered, only how fast.

use std::fmt;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde::de::DeserializeOwned;
use xxhash_rust::xxh3::Xxh3;

/// Bumped when the file layout or the cached types change.
const FORMAT: u32 = 1;

/// Files not written for this long belong to books no longer built here.
const UNUSED_FOR: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// Where one book's rendered citations are kept between runs.
#[derive(Debug, Clone)]
pub struct RenderCache {
    dir: PathBuf,
    book: String,
}

impl RenderCache {
    /// The cache of the book at `book_root`, kept in `dir` (created when needed).
    pub fn new(dir: PathBuf, book_root: &Path) -> Self {
        let root = book_root
            .canonicalize()
            .unwrap_or_else(|_| book_root.to_path_buf());
        let mut key = KeyHasher::plain();
        key.add(&root);
        RenderCache {
            dir,
            book: format!("{:032x}", key.finish()),
        }
    }

    /// The default place: the user's cache directory (`$XDG_CACHE_HOME`,
    /// `~/Library/Caches`, `%LOCALAPPDATA%`), if the platform has one.
    pub fn default_dir() -> Option<PathBuf> {
        dirs::cache_dir().map(|dir| dir.join("mdbook-frameworks"))
    }

    /// A hasher for keys, already fed with this program's identity.
    pub(crate) fn key(&self) -> KeyHasher {
        let mut key = KeyHasher::plain();
        key.add(FORMAT);
        key.add(program_identity());
        key
    }

    fn file(&self, slot: &str) -> PathBuf {
        self.dir.join(format!("{}-{slot}.json", self.book))
    }

    /// The value stored in `slot` under `key`, if there is one.
    pub(crate) fn load<T: DeserializeOwned>(&self, slot: &str, key: u128) -> Option<T> {
        let mut file = File::open(self.file(slot)).ok()?;
        let mut stored = [0; 16];
        file.read_exact(&mut stored).ok()?;
        if u128::from_le_bytes(stored) != key {
            return None;
        }
        // Read whole: serde_json parses a slice several times faster than a reader.
        let mut json = Vec::new();
        file.read_to_end(&mut json).ok()?;
        serde_json::from_slice(&json).ok()
    }

    /// Stores `value` in `slot` under `key`. Failing to write only costs speed, so
    /// errors are ignored; the file is replaced atomically so that a concurrent
    /// build never reads half of it.
    pub(crate) fn store<T: Serialize>(&self, slot: &str, key: u128, value: &T) {
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        self.remove_unused();
        let file = self.file(slot);
        // Unique per write: threads of one process may store the same book at once.
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let partial = file.with_extension(format!(
            "{}-{}.partial",
            std::process::id(),
            WRITES.fetch_add(1, Ordering::Relaxed)
        ));
        let written = File::create(&partial).map_err(drop).and_then(|out| {
            let mut out = BufWriter::new(out);
            out.write_all(&key.to_le_bytes()).map_err(drop)?;
            serde_json::to_writer(&mut out, value).map_err(drop)?;
            // No fsync: a file cut short by a crash fails to parse, which is a miss.
            out.flush().map_err(drop)
        });
        if written.is_err() || std::fs::rename(&partial, &file).is_err() {
            let _ = std::fs::remove_file(&partial);
        }
    }

    /// Removes other books' files that have not been written for a month.
    fn remove_unused(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            let path = entry.path();
            let ours = path.extension().is_some_and(|e| e == "json")
                || path.to_string_lossy().ends_with(".partial");
            let unused = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|modified| {
                    now.duration_since(modified).unwrap_or_default() > UNUSED_FOR
                });
            if ours && unused {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

/// A 128-bit hash of values, stable across runs of the same build.
pub(crate) struct KeyHasher(Xxh3);

impl KeyHasher {
    pub(crate) fn plain() -> Self {
        KeyHasher(Xxh3::new())
    }

    pub(crate) fn add(&mut self, value: impl Hash) {
        value.hash(&mut self.0);
    }

    /// Hashes a value through its `Debug` text, for types without `Hash`
    /// (the text covers every field, and nothing is allocated).
    pub(crate) fn add_debug(&mut self, value: &impl fmt::Debug) {
        use fmt::Write as _;
        let _ = write!(self, "{value:?}");
    }

    pub(crate) fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

impl fmt::Write for KeyHasher {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// Identifies this build of the program, so that a rebuilt binary (with other
/// rendering code or another hayagriva) never reads what an older one wrote.
fn program_identity() -> &'static (String, u64, u128) {
    static IDENTITY: OnceLock<(String, u64, u128)> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        let executable = std::env::current_exe()
            .and_then(std::fs::metadata)
            .ok()
            .map(|m| {
                let modified = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                (m.len(), modified)
            })
            .unwrap_or_default();
        (
            env!("CARGO_PKG_VERSION").to_owned(),
            executable.0,
            executable.1,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_loads_and_misses_on_another_key_or_a_damaged_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = RenderCache::new(dir.path().join("cache"), Path::new("some/book"));
        let value = vec!["a".to_string(), "b".to_string()];
        assert_eq!(cache.load::<Vec<String>>("cited", 7), None);
        cache.store("cited", 7, &value);
        assert_eq!(cache.load::<Vec<String>>("cited", 7), Some(value.clone()));
        assert_eq!(cache.load::<Vec<String>>("cited", 8), None);
        assert_eq!(cache.load::<Vec<String>>("all", 7), None);

        let file = cache.file("cited");
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 2]).unwrap();
        assert_eq!(cache.load::<Vec<String>>("cited", 7), None);
        std::fs::write(&file, b"").unwrap();
        assert_eq!(cache.load::<Vec<String>>("cited", 7), None);
    }

    #[test]
    fn books_do_not_share_files() {
        let dir = tempfile::tempdir().unwrap();
        let one = RenderCache::new(dir.path().to_path_buf(), Path::new("one"));
        let two = RenderCache::new(dir.path().to_path_buf(), Path::new("two"));
        one.store("cited", 1, &1u32);
        two.store("cited", 1, &2u32);
        assert_eq!(one.load::<u32>("cited", 1), Some(1));
        assert_eq!(two.load::<u32>("cited", 1), Some(2));
    }
}
