//! Temporary files and folders racegap made itself: registered while they exist, removed on
//! every exit path, SIGINT, SIGTERM and SIGHUP included. A run killed with SIGKILL cannot
//! clean up; its leftovers carry a lock that dies with it, and the next run removes them
//! (see `report::output` and `cache`).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

static REGISTRY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLERS: Once = Once::new();

fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves the list as it was: still usable.
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// A temporary path that is removed when the guard drops, or on a signal before that.
#[derive(Debug)]
pub struct TempPath {
    path: PathBuf,
}

impl TempPath {
    /// Registers `path` (which the caller is about to create).
    pub fn register(path: PathBuf) -> TempPath {
        registry().push(path.clone());
        TempPath { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Hands the path over (it was renamed into place): it is no longer removed.
    pub fn keep(self) {
        forget(&self.path);
        std::mem::forget(self);
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        remove(&self.path);
        forget(&self.path);
    }
}

fn forget(path: &Path) {
    registry().retain(|p| p != path);
}

fn remove(path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let _ = std::fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
        }
        Err(_) => {}
    }
}

/// `PID-NANOS`: a name part no other run, and no earlier run of this process, has used.
pub fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{}-{nanos}", std::process::id())
}

/// Holds every registered path still while the caller renames things into place, so a
/// signal arriving meanwhile waits for a consistent state before cleaning up.
pub fn hold() -> MutexGuard<'static, Vec<PathBuf>> {
    registry()
}

/// Removes every registered path (a signal arrived): what the process made and has not
/// put in place yet.
pub fn remove_all() {
    let mut paths = registry();
    for p in paths.drain(..) {
        remove(&p);
    }
}

/// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove every temporary path and
/// exit with 128 + the signal number, as a shell reports it. Called once by the binary.
pub fn install_signal_handlers() {
    HANDLERS.call_once(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    remove_all();
                    eprintln!("racegap: interrupted; temporary files removed, previous report left as it was");
                    std::process::exit(128 + sig);
                }
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_guards_remove_their_path_and_kept_ones_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::create_dir(&a).unwrap();
        std::fs::write(a.join("x"), "x").unwrap();
        std::fs::write(&b, "b").unwrap();
        {
            let _ga = TempPath::register(a.clone());
            TempPath::register(b.clone()).keep();
        }
        assert!(!a.exists());
        assert!(b.exists());
        assert!(!hold().contains(&a) && !hold().contains(&b));
    }
}
