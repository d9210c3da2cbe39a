//! Where a report goes and how it replaces the previous one. racegap replaces only a folder
//! it made itself (a `.racegap-report` marker inside) or an empty one; it refuses a file, a
//! folder of the user's, and any place equal to, inside or holding an input or the race
//! files. The new report is filled in a temporary folder beside `--out` and swapped in with
//! one atomic exchange (Linux `renameat2(RENAME_EXCHANGE)`), so `--out` always holds a whole
//! report, the previous or the new one, whenever the process dies.

use crate::cleanup::{self, TempPath};
use anyhow::{Context, Result};
use std::fs::File;
use std::path::{Component, Path, PathBuf};
use thiserror::Error;

/// The file inside every report folder that says racegap made it.
pub const MARKER: &str = crate::discover::REPORT_MARKER;

/// Why a report cannot go where it was asked to.
#[derive(Debug, Error, PartialEq)]
pub enum OutputError {
    #[error("--out {0}: an existing file; racegap writes a folder and never replaces a file")]
    IsFile(PathBuf),
    #[error(
        "--out {0}: this folder exists and was not made by racegap (no {MARKER} inside); \
         racegap only replaces its own reports: choose a new folder name"
    )]
    NotOurs(PathBuf),
    #[error(
        "--out {out}: this report folder also holds files racegap did not write ({names}); \
         move them out first, or choose another folder"
    )]
    Foreign { out: PathBuf, names: String },
    #[error("--out {0}: a symbolic link; give the folder itself")]
    Symlink(PathBuf),
    #[error("--out {out}: {relation} {input}; choose a folder apart from your files")]
    Overlaps {
        out: PathBuf,
        relation: &'static str,
        input: PathBuf,
    },
    #[error("--out {0}: holds the current folder; choose a folder apart from it")]
    HoldsWorkingDir(PathBuf),
    #[error("--out {0}: the root folder")]
    Root(PathBuf),
    #[error("--out {0}: cannot be resolved: {1}")]
    Resolve(PathBuf, String),
}

/// What is at `--out` now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Existing {
    Nothing,
    /// A folder with no entries, or a report racegap made.
    Replaceable,
}

/// The absolute form of `p` with symbolic links of its existing part resolved and `.`/`..`
/// of the rest applied, so two spellings of one place compare equal.
pub fn resolve(p: &Path) -> std::io::Result<PathBuf> {
    let abs = std::path::absolute(p)?;
    let mut out = PathBuf::new();
    let mut exists = true;
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => {
                out.push(n);
                if exists {
                    match out.canonicalize() {
                        Ok(real) => out = real,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Checks that a report may be written at `out` without touching any of `protected` (the
/// inputs and race files) or anything of the user's. Returns where it will go.
pub fn check(out: &Path, protected: &[PathBuf]) -> Result<PathBuf, OutputError> {
    let resolve_err = |e: std::io::Error| OutputError::Resolve(out.to_path_buf(), e.to_string());
    if std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(OutputError::Symlink(out.to_path_buf()));
    }
    let target = resolve(out).map_err(resolve_err)?;
    if target.parent().is_none() {
        return Err(OutputError::Root(out.to_path_buf()));
    }
    for p in protected {
        let Ok(input) = resolve(p) else { continue };
        let relation = if input == target {
            "the same place as"
        } else if target.starts_with(&input) {
            "inside"
        } else if input.starts_with(&target) {
            "would replace a folder holding"
        } else {
            continue;
        };
        return Err(OutputError::Overlaps {
            out: out.to_path_buf(),
            relation,
            input: p.clone(),
        });
    }
    if let Ok(cwd) = std::env::current_dir().and_then(|c| c.canonicalize()) {
        if cwd.starts_with(&target) {
            return Err(OutputError::HoldsWorkingDir(out.to_path_buf()));
        }
    }
    existing(&target, out)?;
    Ok(target)
}

/// What is at `target` (the resolved `--out`), or why it must not be replaced.
fn existing(target: &Path, shown: &Path) -> Result<Existing, OutputError> {
    let meta = match std::fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(e) => return Err(OutputError::Resolve(shown.to_path_buf(), e.to_string())),
    };
    if meta.file_type().is_symlink() {
        return Err(OutputError::Symlink(shown.to_path_buf()));
    }
    if !meta.is_dir() {
        return Err(OutputError::IsFile(shown.to_path_buf()));
    }
    let ours = std::fs::symlink_metadata(target.join(MARKER)).is_ok_and(|m| m.is_file());
    let names: Vec<String> = std::fs::read_dir(target)
        .map_err(|e| OutputError::Resolve(shown.to_path_buf(), e.to_string()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    if names.is_empty() {
        return Ok(Existing::Replaceable);
    }
    if !ours {
        return Err(OutputError::NotOurs(shown.to_path_buf()));
    }
    // A report folder the user has put something of theirs into is not replaced whole.
    let mut foreign: Vec<String> = names.into_iter().filter(|n| !is_report_file(n)).collect();
    if foreign.is_empty() {
        return Ok(Existing::Replaceable);
    }
    foreign.sort();
    let more = foreign.len().saturating_sub(5);
    foreign.truncate(5);
    Err(OutputError::Foreign {
        out: shown.to_path_buf(),
        names: crate::error::shown(&if more > 0 {
            format!("{} and {more} more", foreign.join(", "))
        } else {
            foreign.join(", ")
        }),
    })
}

/// The other files of a report.
pub const TABLES: [&str; 7] = [
    "index.html",
    "activities.csv",
    "weekly.csv",
    "gaps.csv",
    "summary.json",
    "plan.md",
    "plan.csv",
];

/// Whether a report folder entry is one racegap writes.
pub fn is_report_file(name: &str) -> bool {
    name == MARKER
        || TABLES.contains(&name)
        || super::charts::names().any(|c| {
            name.strip_prefix(c)
                .is_some_and(|ext| ext == ".png" || ext == ".svg")
        })
}

/// The prefix of the temporary folders of reports named `name`.
fn temp_prefix(name: &str) -> String {
    format!(".{name}.racegap-tmp-")
}

/// Removes temporary folders that runs killed before they finished left beside the report:
/// those whose marker nobody holds a lock on (a lock dies with its process).
pub fn remove_leftovers(parent: &Path, name: &str) -> usize {
    let prefix = temp_prefix(name);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        if !e.file_name().to_string_lossy().starts_with(&prefix) {
            continue;
        }
        let path = e.path();
        let dead = match File::open(path.join(MARKER)) {
            Ok(f) => f.try_lock().is_ok(),
            // Killed between making the folder and its marker: dead when the run named in
            // the folder's name is gone, or, if that cannot be told, when the folder is over
            // a minute old.
            Err(_) => {
                let name = e.file_name().to_string_lossy().into_owned();
                run_gone(name.get(prefix.len()..).unwrap_or(""))
                    || e.metadata()
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age.as_secs() > 60)
            }
        };
        if dead && std::fs::remove_dir_all(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether the process that made a temporary folder named `<pid>-<nanos>` (or
/// `old-<pid>-<nanos>`) after the prefix has ended.
fn run_gone(rest: &str) -> bool {
    let rest = rest.strip_prefix("old-").unwrap_or(rest);
    let Some(pid) = rest
        .split('-')
        .next()
        .and_then(|p| p.parse::<i32>().ok())
        .filter(|&p| p > 0)
    else {
        return false;
    };
    process_gone(pid)
}

#[cfg(unix)]
fn process_gone(pid: i32) -> bool {
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r == -1 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_gone(_pid: i32) -> bool {
    false
}

/// Writes a report at `out`: `fill` writes the files into a temporary folder, which then
/// replaces the previous report in one atomic step. On any error the previous report is
/// left whole and the temporary folder removed.
pub fn write_report(
    out: &Path,
    protected: &[PathBuf],
    fill: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    let target = check(out, protected)?;
    let parent = target.parent().unwrap_or(Path::new("/")).to_path_buf();
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "report".into());
    remove_leftovers(&parent, &name);

    let suffix = cleanup::unique_suffix();
    let tmp = TempPath::register(parent.join(format!("{}{suffix}", temp_prefix(&name))));
    std::fs::create_dir(tmp.path())
        .with_context(|| format!("cannot create a folder in {}", parent.display()))?;
    let marker_path = tmp.path().join(MARKER);
    let marker = File::create(&marker_path)
        .with_context(|| format!("cannot write {}", marker_path.display()))?;
    // Held until this process ends: a later run sees a locked marker as a live run's.
    marker
        .lock()
        .with_context(|| format!("cannot lock {}", marker_path.display()))?;
    std::fs::write(
        &marker_path,
        format!(
            "A report written by racegap {}; racegap replaces this folder on its next run into it.\n",
            env!("CARGO_PKG_VERSION")
        ),
    )
    .with_context(|| format!("cannot write {}", marker_path.display()))?;

    fill(tmp.path())?;
    sync_folder(tmp.path())
        .with_context(|| format!("cannot flush the report in {}", tmp.path().display()))?;

    // One swap at a time per parent folder: two runs into the same `--out` both finish.
    let parent_lock = File::open(&parent)
        .with_context(|| format!("cannot open the folder {}", parent.display()))?;
    parent_lock
        .lock()
        .with_context(|| format!("cannot lock the folder {}", parent.display()))?;
    // Looked at again under the lock: another run may have written meanwhile.
    let now = existing(&target, out)?;
    let aside = match now {
        Existing::Replaceable if !exchange_supported() => Some(TempPath::register(
            parent.join(format!("{}old-{suffix}", temp_prefix(&name))),
        )),
        _ => None,
    };
    {
        // Signals wait while the folders move.
        let _still = cleanup::hold();
        swap(tmp.path(), &target, now, aside.as_ref().map(|a| a.path()))
            .with_context(|| format!("cannot move the report into {}", target.display()))?;
    }
    if now == Existing::Nothing {
        tmp.keep();
    } else {
        // The previous report now sits at the temporary name: dropping the guard removes it.
        drop(tmp);
    }
    drop(aside);
    if let Ok(d) = File::open(&parent) {
        let _ = d.sync_all();
    }
    drop(marker);
    Ok(())
}

/// Flushes every file of a freshly written report, so a crash after the swap cannot leave
/// an empty file in it.
fn sync_folder(dir: &Path) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        if e.file_type()?.is_file() {
            File::open(e.path())?.sync_all()?;
        }
    }
    File::open(dir)?.sync_all()
}

fn exchange_supported() -> bool {
    cfg!(target_os = "linux")
}

/// Puts `tmp` at `target`. With something replaceable there, Linux exchanges the two in one
/// step (the old report ends up at `tmp`); elsewhere the old report is moved to `aside`
/// first and put back if the second rename fails.
fn swap(tmp: &Path, target: &Path, now: Existing, aside: Option<&Path>) -> std::io::Result<()> {
    if now == Existing::Nothing {
        return std::fs::rename(tmp, target);
    }
    #[cfg(target_os = "linux")]
    {
        let _ = aside;
        exchange(tmp, target)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let aside = aside.expect("a place aside when the system cannot exchange");
        std::fs::rename(target, aside)?;
        if let Err(e) = std::fs::rename(tmp, target) {
            let _ = std::fs::rename(aside, target);
            return Err(e);
        }
        std::fs::rename(aside, tmp)
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD with absolute or relative paths.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failed_write_leaves_the_previous_report() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report");
        write_report(&out, &[], |d| {
            Ok(std::fs::write(d.join("index.html"), "first")?)
        })
        .unwrap();
        let failed = write_report(&out, &[], |d| {
            std::fs::write(d.join("index.html"), "second")?;
            anyhow::bail!("disk full")
        });
        assert!(failed.is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "first"
        );
        write_report(&out, &[], |d| {
            Ok(std::fs::write(d.join("summary.json"), "third")?)
        })
        .unwrap();
        assert!(!out.join("index.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("summary.json")).unwrap(),
            "third"
        );
        assert!(out.join(MARKER).is_file());
        // No temporary folders left behind.
        assert_eq!(names(dir.path()), ["report"]);
    }

    #[test]
    fn places_holding_user_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let acts = dir.path().join("acts");
        std::fs::create_dir(&acts).unwrap();
        std::fs::write(acts.join("run.gpx"), "x").unwrap();
        let race = dir.path().join("race.toml");
        std::fs::write(&race, "x").unwrap();
        let docs = dir.path().join("docs");
        std::fs::create_dir(&docs).unwrap();
        std::fs::write(docs.join("letter.txt"), "x").unwrap();
        let protected = vec![acts.clone(), race.clone()];
        let refused = |out: PathBuf| check(&out, &protected).unwrap_err();
        assert!(
            matches!(refused(acts.clone()), OutputError::Overlaps { relation, .. } if relation == "the same place as")
        );
        assert!(
            matches!(refused(acts.join("report")), OutputError::Overlaps { relation, .. } if relation == "inside")
        );
        assert!(matches!(
            refused(acts.join("run.gpx")),
            OutputError::Overlaps { .. }
        ));
        assert!(
            matches!(refused(dir.path().to_path_buf()), OutputError::Overlaps { relation, .. } if relation.contains("holding"))
        );
        // The same place spelt another way.
        assert!(matches!(
            refused(dir.path().join("docs/../acts/.")),
            OutputError::Overlaps { .. }
        ));
        assert!(matches!(
            refused(race.clone()),
            OutputError::Overlaps { .. }
        ));
        assert_eq!(refused(docs.clone()), OutputError::NotOurs(docs.clone()));
        assert_eq!(
            refused(docs.join("letter.txt")),
            OutputError::IsFile(docs.join("letter.txt"))
        );
        assert!(matches!(
            refused(PathBuf::from("/")),
            OutputError::Root(_) | OutputError::Overlaps { .. }
        ));
        // A new name, an empty folder and a report racegap made are fine.
        assert!(check(&dir.path().join("new/report"), &protected).is_ok());
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        assert!(check(&empty, &protected).is_ok());
        // Nothing was touched.
        assert_eq!(names(&docs), ["letter.txt"]);
        assert_eq!(names(&acts), ["run.gpx"]);
    }

    #[test]
    fn a_report_folder_with_a_users_file_in_it_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report");
        write_report(&out, &[], |d| {
            std::fs::write(d.join("index.html"), "page")?;
            std::fs::write(d.join("scorecard.svg"), "svg")?;
            Ok(())
        })
        .unwrap();
        std::fs::write(out.join("mynotes.txt"), "mine").unwrap();
        let e = write_report(&out, &[], |d| {
            Ok(std::fs::write(d.join("index.html"), "new")?)
        })
        .unwrap_err();
        assert!(format!("{e:#}").contains("mynotes.txt"), "{e:#}");
        assert_eq!(
            std::fs::read_to_string(out.join("mynotes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "page"
        );
        assert!(is_report_file("long_runs.png") && !is_report_file("long_runs.jpg"));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert_eq!(check(&link, &[]), Err(OutputError::Symlink(link.clone())));
    }

    #[test]
    fn leftovers_of_dead_runs_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir.path().join(".report.racegap-tmp-1-1");
        let live = dir.path().join(".report.racegap-tmp-2-2");
        for d in [&dead, &live] {
            std::fs::create_dir(d).unwrap();
            std::fs::write(d.join(MARKER), "").unwrap();
        }
        let held = File::open(live.join(MARKER)).unwrap();
        held.lock().unwrap();
        // `flock` locks belong to the open file: a second open in this process is another
        // holder, as another process would be.
        assert_eq!(remove_leftovers(dir.path(), "report"), 1);
        assert!(!dead.exists());
        assert!(live.exists());
        drop(held);
        assert_eq!(remove_leftovers(dir.path(), "report"), 1);
    }

    /// A run killed between making its folder and its marker leaves a folder with no
    /// marker: it goes at once when the run named in it has ended, not a minute later.
    #[cfg(unix)]
    #[test]
    fn a_markerless_leftover_of_an_ended_run_goes_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let ended = child.id();
        child.wait().unwrap();
        let gone = dir.path().join(format!(".report.racegap-tmp-{ended}-1"));
        let mine = dir
            .path()
            .join(format!(".report.racegap-tmp-{}-1", std::process::id()));
        for d in [&gone, &mine] {
            std::fs::create_dir(d).unwrap();
        }
        assert_eq!(remove_leftovers(dir.path(), "report"), 1);
        assert!(!gone.exists());
        assert!(mine.exists());
    }

    #[test]
    fn resolve_applies_dots_of_missing_parts() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        assert_eq!(
            resolve(&dir.path().join("a/../b/./c")).unwrap(),
            base.join("b/c")
        );
    }
}
