//! The incremental cache: what each input file gave, keyed by its path, size and
//! modification time, and by a tag naming everything else the result depends on (format
//! version, metric settings, Strava metadata). A re-run over an unchanged folder reads no
//! file contents. A cache that cannot be read is ignored and rebuilt, never trusted: every
//! entry carries a checksum (an edited or damaged entry is read again from its file), the
//! file is read only if it is a regular file under a size limit, floats round-trip exactly
//! (a cached run's report is byte-identical to an uncached one), and it is replaced by an
//! atomic rename of a locked temporary file, so concurrent or killed runs never leave a
//! half-written cache.

use crate::cleanup::TempPath;
use crate::dedupe::Light;
use crate::error::ReadError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Bump when what is cached changes meaning (4: best efforts leave out steep net descents;
/// a run's maximum temperature is its settled one).
pub const CACHE_VERSION: u32 = 4;
/// A cache file larger than this is not one racegap wrote (2,000 activities take ~15 MB).
pub const MAX_CACHE_BYTES: u64 = 512 << 20;

/// What one file gave.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Outcome<T> {
    /// Activities, each with its duplicate-detection key and the caller's result.
    Activities(Vec<(Light, T)>),
    /// Points without times: a planned route.
    Route,
    /// Not an activity file at all.
    Ignored,
    Error(ReadError),
    /// A zip archive: what each file inside it gave, by its `archive.zip!path` name.
    Archive(Vec<(PathBuf, Outcome<T>)>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry<T> {
    size: u64,
    mtime_ns: u128,
    outcome: Outcome<T>,
    /// FNV-1a of the entry's other fields as JSON: a changed digit shows.
    check: u64,
}

impl<T: Serialize> Entry<T> {
    fn new(size: u64, mtime_ns: u128, outcome: Outcome<T>) -> Entry<T> {
        let mut e = Entry {
            size,
            mtime_ns,
            outcome,
            check: 0,
        };
        e.check = e.checksum();
        e
    }

    fn checksum(&self) -> u64 {
        // The entry's JSON is hashed as it is produced, never held in memory.
        let mut h = Fnv::default();
        match serde_json::to_writer(&mut h, &(self.size, self.mtime_ns, &self.outcome)) {
            Ok(()) => h.finish(),
            Err(_) => 0,
        }
    }
}

/// FNV-1a over the bytes written to it: a stable 64-bit hash (std's hasher may change
/// between releases), for cache file names and entry checksums.
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// The hash of `bytes`.
    pub fn of(bytes: &[u8]) -> u64 {
        let mut h = Fnv::default();
        h.add(bytes);
        h.finish()
    }
    fn add(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl std::io::Write for Fnv {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.add(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Stored<E> {
    version: u32,
    tag: String,
    /// Stamps of what the entries also depend on, found while walking (Strava metadata).
    context: String,
    entries: E,
}

/// The cache of one run.
#[derive(Debug)]
pub struct Cache<T> {
    file: Option<PathBuf>,
    tag: String,
    context: String,
    entries: BTreeMap<PathBuf, Entry<T>>,
    /// Why a cache file on disk was not used, if it was not.
    pub discarded: Option<String>,
}

/// The default cache folder: `$XDG_CACHE_HOME/racegap`, else `~/.cache/racegap`.
pub fn default_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|d| d.join("racegap"))
}

/// Size and modification time, the stamp a file is cached under.
pub fn stamp(meta: &Metadata) -> (u64, u128) {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    (meta.len(), mtime)
}

/// The absolute form of a path, the key it is cached under.
pub fn key(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

impl<T: Clone + Serialize + DeserializeOwned> Cache<T> {
    /// A cache that stores nothing (`--no-cache`).
    pub fn disabled() -> Cache<T> {
        Cache {
            file: None,
            tag: String::new(),
            context: String::new(),
            entries: BTreeMap::new(),
            discarded: None,
        }
    }

    /// Opens `dir/name.json`; entries made under another tag or version are dropped.
    pub fn open(dir: &Path, name: &str, tag: &str) -> Cache<T> {
        let file = dir.join(format!("{name}.json"));
        let mut c = Cache {
            file: Some(file.clone()),
            tag: tag.to_string(),
            context: String::new(),
            entries: BTreeMap::new(),
            discarded: None,
        };
        remove_leftovers(dir, name);
        let bytes = match crate::safe_read::read_bounded(&file, MAX_CACHE_BYTES) {
            Ok(b) => b,
            Err(crate::error::ReadError::Io(_)) if !file.exists() => return c,
            Err(e) => {
                c.discarded = Some(format!("{}: {e}; not used", file.display()));
                return c;
            }
        };
        match serde_json::from_slice::<Stored<BTreeMap<PathBuf, Entry<T>>>>(&bytes) {
            Ok(s) if s.version == CACHE_VERSION && s.tag == tag => {
                let total = s.entries.len();
                c.entries = s
                    .entries
                    .into_iter()
                    .filter(|(_, e)| e.check == e.checksum())
                    .collect();
                c.context = s.context;
                let bad = total - c.entries.len();
                if bad > 0 {
                    c.discarded = Some(format!(
                        "{bad} of {total} entries failed their checksum; those files are read again"
                    ));
                }
            }
            Ok(_) => c.discarded = Some("made with other settings".into()),
            Err(e) => c.discarded = Some(format!("unreadable ({e}); rebuilt")),
        }
        c
    }

    /// The cache file, when caching is on.
    pub fn location(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    pub fn enabled(&self) -> bool {
        self.file.is_some()
    }

    pub fn context(&self) -> &str {
        &self.context
    }

    pub fn set_context(&mut self, context: String) {
        self.context = context;
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The cached outcome of `path`, if its size and modification time still match.
    pub fn get(&self, path: &Path, meta: &Metadata) -> Option<&Outcome<T>> {
        let e = self.entries.get(&key(path))?;
        let (size, mtime) = stamp(meta);
        (e.size == size && e.mtime_ns == mtime).then_some(&e.outcome)
    }

    pub fn put(&mut self, path: &Path, meta: &Metadata, outcome: Outcome<T>) {
        if !self.enabled() {
            return;
        }
        let (size, mtime_ns) = stamp(meta);
        self.entries
            .insert(key(path), Entry::new(size, mtime_ns, outcome));
    }

    /// Keeps only the entries of `paths` (files that disappeared leave the cache).
    pub fn retain(&mut self, paths: &[PathBuf]) {
        let keep: std::collections::BTreeSet<PathBuf> = paths.iter().map(|p| key(p)).collect();
        self.entries.retain(|k, _| keep.contains(k));
    }

    /// Writes the cache (atomically: a temporary file renamed over the old one).
    pub fn save(&self) -> std::io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let stored = Stored {
            version: CACHE_VERSION,
            tag: self.tag.clone(),
            context: self.context.clone(),
            entries: &self.entries,
        };
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let tmp = TempPath::register(file.with_file_name(format!(
            "{name}{TMP_INFIX}{}",
            crate::cleanup::unique_suffix()
        )));
        let f = std::fs::File::create(tmp.path())?;
        // Locked while it exists: a later run removes only the temporary files of dead runs.
        f.lock()?;
        let mut w = std::io::BufWriter::new(&f);
        serde_json::to_writer(&mut w, &stored).map_err(std::io::Error::other)?;
        std::io::Write::flush(&mut w)?;
        drop(w);
        std::fs::rename(tmp.path(), file)?;
        tmp.keep();
        Ok(())
    }
}

/// What the temporary files of `name` carry after it.
const TMP_INFIX: &str = ".tmp-";

/// Removes the temporary cache files killed runs left (nobody holds their lock).
fn remove_leftovers(dir: &Path, name: &str) -> usize {
    let prefix = format!("{name}.json{TMP_INFIX}");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .filter(|e| {
            std::fs::File::open(e.path()).is_ok_and(|f| f.try_lock().is_ok())
                && std::fs::remove_file(e.path()).is_ok()
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_and_corrupt_caches_are_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.gpx");
        std::fs::write(&f, "one").unwrap();
        let meta = std::fs::metadata(&f).unwrap();
        let mut c: Cache<u32> = Cache::open(dir.path(), "c", "tag1");
        assert!(c.get(&f, &meta).is_none());
        c.put(&f, &meta, Outcome::Ignored);
        c.save().unwrap();
        let c2: Cache<u32> = Cache::open(dir.path(), "c", "tag1");
        assert!(matches!(c2.get(&f, &meta), Some(Outcome::Ignored)));
        // Other settings: nothing reused.
        let c3: Cache<u32> = Cache::open(dir.path(), "c", "tag2");
        assert!(c3.get(&f, &meta).is_none());
        assert!(c3.discarded.is_some());
        // The file changed: its entry no longer matches.
        std::fs::write(&f, "changed!").unwrap();
        let meta2 = std::fs::metadata(&f).unwrap();
        assert!(c2.get(&f, &meta2).is_none());
        // Corrupt on disk: ignored, with a note.
        std::fs::write(dir.path().join("c.json"), "{ not json").unwrap();
        let c4: Cache<u32> = Cache::open(dir.path(), "c", "tag1");
        assert!(c4.get(&f, &meta).is_none());
        assert!(c4.discarded.unwrap().contains("unreadable"));
    }
}
