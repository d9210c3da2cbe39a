//! Helpers shared by the integration tests: where the shared corpus is, and how to skip
//! loudly when it is not there.
#![allow(dead_code)]

pub mod history;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// `../shared/corpus` beside the project, if present. Prints a skip note otherwise.
pub fn corpus(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED {test}: ../shared/corpus is not present beside the project");
        None
    }
}

/// Files directly inside `dir` whose name ends with one of `exts`, sorted.
pub fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_ascii_lowercase();
            exts.iter().any(|e| n.ends_with(e))
        })
        .collect();
    v.sort();
    v
}

pub fn sample_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

/// `fit/device_totals.csv` of the corpus as rows of column name to value.
pub fn device_totals(corpus: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut rdr = csv::Reader::from_path(corpus.join("fit/device_totals.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// SplitMix64 with a fixed seed: the same mutants on every run.
pub struct Rng(pub u64);

impl Rng {
    /// The generator of mutant `i` of a run seeded with `seed`, so any one mutant can be
    /// rebuilt on its own.
    pub fn for_mutant(seed: u64, i: usize) -> Rng {
        let mut r = Rng(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ (i as u64));
        r.next();
        r
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// `racegap analyze --no-cache --format svg --json ARGS...` run in `cwd`: its exit code, the
/// JSON it printed, and its stderr.
pub fn analyze_json<I, S>(cwd: &Path, args: I) -> (Option<i32>, serde_json::Value, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let o = assert_cmd::Command::cargo_bin("racegap")
        .unwrap()
        .current_dir(cwd)
        .args(["analyze", "--no-cache", "--format", "svg", "--json"])
        .args(args)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}); stderr: {err}"));
    (o.status.code(), v, err)
}

/// Why `e` is not a message a user can act on, if it is not: a clear error says where (an
/// XML line from 1), is words rather than a debug dump, and is not a caught decoder panic
/// (those are counted on their own).
pub fn unclear(e: &racegap::error::ReadError) -> Option<String> {
    use racegap::error::ReadError;
    let msg = e.to_string();
    let detail = match e {
        ReadError::Xml { line: 0, .. } => return Some(format!("XML error without a line: {msg}")),
        ReadError::Xml { message, .. } | ReadError::Fit { message, .. } => message.clone(),
        ReadError::Io(m)
        | ReadError::UnknownFormat(m)
        | ReadError::Gzip(m)
        | ReadError::NotRegular(m)
        | ReadError::NotActivity(m)
        | ReadError::NoData(m)
        | ReadError::Archive(m) => m.clone(),
        ReadError::DecoderPanic { .. } => return Some(format!("a decoder panic: {msg}")),
        ReadError::Empty
        | ReadError::TooLarge { .. }
        | ReadError::FileTooLarge { .. }
        | ReadError::TooManyPoints { .. } => return None,
    };
    let words = detail.split_whitespace().count();
    let dump = ["Some(", "None", "Error {", "kind:", "\n", "{:?}"]
        .iter()
        .find(|d| detail.contains(**d));
    match dump {
        Some(d) => Some(format!("debug text {d:?} in: {msg}")),
        None if words < 2 => Some(format!("a one-word reason: {msg}")),
        None => None,
    }
}

/// Whether a guarded panic's location lies in the decoder the guard named, a crate that
/// decoder is built on, or the standard library: anywhere else, the guard is hiding a bug.
pub fn explained(decoder: &str, at: &str) -> bool {
    let crates: &[&str] = match decoder {
        "fitparser" => &["fitparser-", "nom-"],
        "quick-xml" => &["quick-xml-", "memchr-"],
        "flate2" => &["flate2-", "miniz_oxide-"],
        "zip" => &["zip-", "flate2-", "miniz_oxide-", "indexmap-"],
        _ => &[],
    };
    let at = at.replace('\\', "/");
    crates
        .iter()
        .any(|c| at.starts_with(c) || at.contains(&format!("/{c}")))
        || at.starts_with("/rustc/")
        || at.contains("/library/core/")
        || at.contains("/library/alloc/")
        || at.contains("/library/std/")
}

/// Runs `cmd` with its stdout on a pseudo-terminal (as when a user runs it in a shell) and
/// returns its exit code and what it wrote there. Stdin and stderr are left as they are.
#[cfg(unix)]
pub fn run_on_terminal(mut cmd: std::process::Command) -> (Option<i32>, String) {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two new descriptors into the given integers; the null name,
    // termios and window-size pointers are allowed.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened by openpty and are owned here only.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    cmd.stdout(std::process::Stdio::from(slave));
    let mut child = cmd.spawn().unwrap();
    // `cmd` still holds the slave end: drop it, so reading ends when the child exits.
    drop(cmd);
    let reader = std::thread::spawn(move || {
        let mut f = std::fs::File::from(master);
        let mut out = Vec::new();
        let mut buf = [0u8; 8192];
        // Linux reports EIO on the master once the last slave is closed: the end.
        while let Ok(n) = f.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    });
    let status = child.wait().unwrap();
    let out = reader.join().unwrap();
    (status.code(), String::from_utf8_lossy(&out).into_owned())
}

/// The stdout of a command that must succeed (exit status 0); its stderr when it did not.
pub fn succeeded(o: std::process::Output) -> Vec<u8> {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}
