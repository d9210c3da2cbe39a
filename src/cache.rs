//! The incremental cache: what each input file gave, keyed by its path, size and
//! modification time, and by a tag naming everything else the result depends on (format
//! version, metric settings, Strava metadata). A re-run over an unchanged folder reads no file
//! contents.
//!
//! The cache file is binary and read lazily: opening it reads the file once and indexes its
//! entries (path, stamp, checksum, where the outcome's bytes are); an outcome is decoded
//! only when asked for, in the caller's threads, and a run that changed nothing does not
//! write it again. Layout: `MAGIC`, then in postcard (a compact serde format) the format
//! version, the tag and the context, then each entry as its postcard head (path, size,
//! modification time, checksum, length) followed by the outcome's postcard bytes, to the end
//! of the file.
//!
//! A cache that cannot be read is ignored and rebuilt, never trusted: every entry carries a
//! checksum (an edited or damaged entry is read again from its file), the file is read only
//! if it is a regular file under a size limit, floats are stored bit for bit (a cached run's
//! report is byte-identical to an uncached one), and it is replaced by an atomic rename of a
//! locked temporary file, so concurrent or killed runs never leave a half-written cache.

use crate::cleanup::TempPath;
use crate::dedupe::Light;
use crate::error::ReadError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fs::Metadata;
use std::marker::PhantomData;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::UNIX_EPOCH;

/// Bump when what is cached changes meaning (4: best efforts leave out steep net descents;
/// a run's maximum temperature is its settled one; 5: the binary format; 6: paths as
/// bytes).
pub const CACHE_VERSION: u32 = 8;
/// A cache file larger than this is not one racegap wrote (2,000 activities take ~6 MB).
pub const MAX_CACHE_BYTES: u64 = 512 << 20;
/// The first bytes of a cache file.
const MAGIC: &[u8; 14] = b"racegap-cache\0";

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

/// Where an entry's encoded outcome is: in the cache file as read, or made in this run.
#[derive(Debug, Clone)]
enum Body {
    InFile(Range<usize>),
    Own(Vec<u8>),
}

#[derive(Debug, Clone)]
struct Entry {
    size: u64,
    mtime_ns: u128,
    /// FNV-1a of the path, stamp and encoded outcome: a changed byte shows.
    check: u64,
    body: Body,
}

/// The head of an entry in the file; the path as its bytes, so a name that is not UTF-8
/// is cached too.
#[derive(Serialize, Deserialize)]
struct Head {
    key: Vec<u8>,
    size: u64,
    mtime_ns: u128,
    check: u64,
    len: u64,
}

/// The entry's checksum: FNV-1a's steps taken a word at a time over its parts, since every
/// cached outcome is checked on every warm run.
fn checksum(key: &Path, size: u64, mtime_ns: u128, body: &[u8]) -> u64 {
    let mut h = Fnv::default();
    h.add_words(key.as_os_str().as_encoded_bytes());
    h.add_words(&size.to_le_bytes());
    h.add_words(&mtime_ns.to_le_bytes());
    h.add_words(body);
    h.finish()
}

/// FNV-1a: a stable 64-bit hash (std's hasher may change between releases), for cache file
/// names (byte by byte) and entry checksums (word by word).
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
        for &b in bytes {
            self.step(u64::from(b));
        }
    }
    /// FNV-1a's step eight bytes at a time (a changed byte changes its word, and so the
    /// hash), then the length, which separates one part from the next.
    fn add_words(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.step(u64::from_le_bytes(b));
        }
        self.add(words.remainder());
        self.step(bytes.len() as u64);
    }
    fn step(&mut self, v: u64) {
        self.0 = (self.0 ^ v).wrapping_mul(0x0000_0100_0000_01b3);
    }
    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// The cache of one run.
#[derive(Debug)]
pub struct Cache<T> {
    file: Option<PathBuf>,
    tag: String,
    context: String,
    /// The cache file's bytes as read, which `Body::InFile` entries point into.
    bytes: Vec<u8>,
    /// By the path's bytes (hashing them is far cheaper than ordering paths by component).
    entries: HashMap<OsString, Entry>,
    /// Whether the file on disk differs from what `save` would write.
    dirty: bool,
    /// Entries whose checksum or encoding failed when they were asked for.
    failed: AtomicUsize,
    /// Why a cache file on disk was not used, if it was not.
    discarded: Option<String>,
    result: PhantomData<fn() -> T>,
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

/// The absolute form of a path, the key it is cached under. The working directory is asked
/// once per run, not once per file.
pub fn key(path: &Path) -> PathBuf {
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let full = if path.is_absolute() {
        std::path::absolute(path)
    } else {
        match CWD.get_or_init(|| std::env::current_dir().ok()) {
            Some(cwd) => std::path::absolute(cwd.join(path)),
            None => std::path::absolute(path),
        }
    };
    full.unwrap_or_else(|_| path.to_path_buf())
}

impl<T: Serialize + DeserializeOwned> Cache<T> {
    /// A cache that stores nothing (`--no-cache`).
    pub fn disabled() -> Cache<T> {
        Cache {
            file: None,
            tag: String::new(),
            context: String::new(),
            bytes: Vec::new(),
            entries: HashMap::new(),
            dirty: false,
            failed: AtomicUsize::new(0),
            discarded: None,
            result: PhantomData,
        }
    }

    /// Opens `dir/name.bin`; entries made under another tag or version are dropped.
    pub fn open(dir: &Path, name: &str, tag: &str) -> Cache<T> {
        let file = dir.join(format!("{name}.bin"));
        let mut c = Cache {
            file: Some(file.clone()),
            tag: tag.to_string(),
            ..Cache::disabled()
        };
        remove_leftovers(dir, name);
        let bytes = match crate::safe_read::read_bounded(&file, MAX_CACHE_BYTES) {
            Ok(b) => b,
            Err(crate::error::ReadError::Io(_)) if !file.exists() => {
                c.dirty = true;
                return c;
            }
            Err(e) => {
                c.discarded = Some(format!("{}: {e}; not used", file.display()));
                c.dirty = true;
                return c;
            }
        };
        let shown = file.display();
        match index(&bytes) {
            Ok((version, stored_tag, context, entries, cut)) => {
                if version == CACHE_VERSION && stored_tag == tag {
                    if let Some(at) = cut {
                        c.discarded = Some(format!(
                            "{shown} is damaged or cut short at byte {at}: the {} entries before it are used, the other files read again",
                            entries.len()
                        ));
                        c.dirty = true;
                    }
                    c.context = context;
                    c.entries = entries;
                    c.bytes = bytes;
                } else {
                    c.discarded = Some(format!(
                        "{shown} was made with other settings or another version; rebuilt"
                    ));
                    c.dirty = true;
                }
            }
            Err(why) => {
                c.discarded = Some(format!("{shown} is unreadable ({why}); rebuilt"));
                c.dirty = true;
            }
        }
        c
    }

    /// Why the cache on disk was not wholly used, if it was not.
    pub fn note(&self) -> Option<String> {
        let failed = self.failed.load(Ordering::Relaxed);
        if failed > 0 {
            return Some(format!(
                "{failed} of {} entries of {} failed their checksum; those files are read again",
                self.entries.len(),
                self.file.as_deref().unwrap_or(Path::new("")).display()
            ));
        }
        self.discarded.clone()
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
        if context != self.context {
            self.context = context;
            self.dirty = true;
        }
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.dirty |= !self.entries.is_empty();
        self.entries.clear();
    }

    /// Whether `path` has an entry for its current size and modification time.
    pub fn has(&self, path: &Path, meta: &Metadata) -> bool {
        let (size, mtime) = stamp(meta);
        self.entries
            .get(key(path).as_os_str())
            .is_some_and(|e| e.size == size && e.mtime_ns == mtime)
    }

    /// The cached outcome of a file whose stamp `has` matched while the folder was walked, if
    /// its entry is intact (one that is not is counted, and the file is read again).
    pub fn get_discovered(&self, path: &Path) -> Option<Outcome<T>> {
        let k = key(path);
        let e = self.entries.get(k.as_os_str())?;
        self.decode(&k, e)
    }

    fn decode(&self, k: &Path, e: &Entry) -> Option<Outcome<T>> {
        let body = match &e.body {
            Body::InFile(r) => self.bytes.get(r.clone())?,
            Body::Own(v) => v.as_slice(),
        };
        let decoded = (checksum(k, e.size, e.mtime_ns, body) == e.check)
            .then(|| postcard::from_bytes(body).ok())
            .flatten();
        if decoded.is_none() {
            self.failed.fetch_add(1, Ordering::Relaxed);
        }
        decoded
    }

    /// Stores what `path` gave. An outcome that cannot be encoded (a path that is not
    /// UTF-8) is not cached: its file is read again next time.
    pub fn put(&mut self, path: &Path, meta: &Metadata, outcome: &Outcome<T>) {
        if !self.enabled() {
            return;
        }
        let k = key(path);
        let (size, mtime_ns) = stamp(meta);
        match postcard::to_allocvec(outcome) {
            Ok(body) => {
                let check = checksum(&k, size, mtime_ns, &body);
                self.entries.insert(
                    k.into_os_string(),
                    Entry {
                        size,
                        mtime_ns,
                        check,
                        body: Body::Own(body),
                    },
                );
            }
            Err(_) => {
                self.entries.remove(k.as_os_str());
            }
        }
        self.dirty = true;
    }

    /// Keeps only the entries of `paths` (files that disappeared leave the cache).
    pub fn retain(&mut self, paths: &[PathBuf]) {
        let keep: HashSet<OsString> = paths.iter().map(|p| key(p).into_os_string()).collect();
        let before = self.entries.len();
        self.entries.retain(|k, _| keep.contains(k));
        self.dirty |= self.entries.len() != before;
    }

    /// Writes the cache if anything changed (atomically: a temporary file renamed over the
    /// old one). A cache of the earlier JSON format beside it is removed.
    pub fn save(&self) -> std::io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        if !self.dirty && self.failed.load(Ordering::Relaxed) == 0 {
            return Ok(());
        }
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
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
        self.write_to(&mut w)?;
        std::io::Write::flush(&mut w)?;
        drop(w);
        std::fs::rename(tmp.path(), file)?;
        tmp.keep();
        let _ = std::fs::remove_file(file.with_extension("json"));
        Ok(())
    }

    fn write_to(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        w.write_all(MAGIC)?;
        w.write_all(&enc(&(CACHE_VERSION, &self.tag, &self.context))?)?;
        // In the order of the paths, so the same entries make the same file.
        let mut sorted: Vec<(&OsString, &Entry)> = self.entries.iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.as_encoded_bytes().cmp(b.0.as_encoded_bytes()));
        for (k, e) in sorted {
            let body = match &e.body {
                Body::InFile(r) => self.bytes.get(r.clone()).unwrap_or_default(),
                Body::Own(v) => v.as_slice(),
            };
            let head = Head {
                key: k.as_encoded_bytes().to_vec(),
                size: e.size,
                mtime_ns: e.mtime_ns,
                check: e.check,
                len: body.len() as u64,
            };
            w.write_all(&enc(&head)?)?;
            w.write_all(body)?;
        }
        Ok(())
    }
}

/// The postcard bytes of `v`.
fn enc<S: Serialize>(v: &S) -> std::io::Result<Vec<u8>> {
    postcard::to_allocvec(v).map_err(std::io::Error::other)
}

/// The file's format version, tag, context and entry index; an error where the bytes are
/// not a cache file or end inside an entry.
type Index = (u32, String, String, HashMap<OsString, Entry>, Option<usize>);

fn index(bytes: &[u8]) -> Result<Index, String> {
    let rest = bytes
        .strip_prefix(MAGIC.as_slice())
        .ok_or("not a racegap cache file")?;
    let ((version, tag, context), mut rest): ((u32, String, String), &[u8]) =
        postcard::take_from_bytes(rest).map_err(|_| "its header cannot be read".to_string())?;
    let mut entries = HashMap::new();
    if version != CACHE_VERSION {
        return Ok((version, tag, context, entries, None));
    }
    // Entries up to a damaged or cut one are used; the rest are read again from their files.
    let mut cut = None;
    while !rest.is_empty() {
        let at = bytes.len() - rest.len();
        let Ok((head, after)) = postcard::take_from_bytes::<Head>(rest) else {
            cut = Some(at);
            break;
        };
        let start = bytes.len() - after.len();
        let (Ok(len), Some(key)) = (usize::try_from(head.len), os_string(head.key)) else {
            cut = Some(at);
            break;
        };
        if len > after.len() {
            cut = Some(at);
            break;
        }
        entries.insert(
            key,
            Entry {
                size: head.size,
                mtime_ns: head.mtime_ns,
                check: head.check,
                body: Body::InFile(start..start + len),
            },
        );
        rest = &after[len..];
    }
    Ok((version, tag, context, entries, cut))
}

/// serde for a path as its bytes (`#[serde(with = "crate::cache::path_bytes")]`): a file
/// name that is not UTF-8 (a Latin-1 `café.gpx`) is stored and read back as it is.
pub mod path_bytes {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::path::{Path, PathBuf};

    pub fn serialize<S: Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(p.as_os_str().as_encoded_bytes())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        let bytes = Vec::<u8>::deserialize(d)?;
        super::os_string(bytes)
            .map(PathBuf::from)
            .ok_or_else(|| serde::de::Error::custom("a path that is not UTF-8"))
    }
}

/// A path from its bytes as `as_encoded_bytes` gave them.
fn os_string(bytes: Vec<u8>) -> Option<OsString> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(OsString::from_vec(bytes))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes).ok().map(OsString::from)
    }
}

/// What the temporary files of `name` carry after it.
const TMP_INFIX: &str = ".tmp-";

/// Removes the temporary cache files killed runs left (nobody holds their lock).
fn remove_leftovers(dir: &Path, name: &str) -> usize {
    let prefix = format!("{name}.bin{TMP_INFIX}");
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

    /// The outcome of `f` as a run gets it: its stamp matched, then its entry decoded.
    fn got(c: &Cache<u32>, f: &Path, meta: &Metadata) -> Option<Outcome<u32>> {
        c.has(f, meta).then(|| c.get_discovered(f)).flatten()
    }

    #[test]
    fn stale_and_corrupt_caches_are_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.gpx");
        std::fs::write(&f, "one").unwrap();
        let meta = std::fs::metadata(&f).unwrap();
        let mut c: Cache<u32> = Cache::open(dir.path(), "c", "tag1");
        assert!(got(&c, &f, &meta).is_none());
        c.put(&f, &meta, &Outcome::Ignored);
        c.save().unwrap();
        let c2: Cache<u32> = Cache::open(dir.path(), "c", "tag1");
        assert!(matches!(got(&c2, &f, &meta), Some(Outcome::Ignored)));
        // Other settings: nothing reused.
        let c3: Cache<u32> = Cache::open(dir.path(), "c", "tag2");
        assert!(got(&c3, &f, &meta).is_none());
        assert!(c3.discarded.is_some());
        // The file changed: its entry no longer matches.
        std::fs::write(&f, "changed!").unwrap();
        let meta2 = std::fs::metadata(&f).unwrap();
        assert!(got(&c2, &f, &meta2).is_none());
        // Corrupt on disk: ignored, with a note.
        std::fs::write(dir.path().join("c.bin"), "{ not a cache").unwrap();
        let c4: Cache<u32> = Cache::open(dir.path(), "c", "tag1");
        assert!(got(&c4, &f, &meta).is_none());
        assert!(c4.discarded.unwrap().contains("unreadable"));
    }
}
