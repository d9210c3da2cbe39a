//! Everything racegap writes: the terminal gaps table, the CSV and JSON tables, and the
//! output folder, which is filled in a temporary folder beside it and renamed into place
//! only when complete, so a failed run never leaves half a report.

pub mod tables;
pub mod terminal;

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Writes a report folder atomically: `fill` writes into a fresh temporary folder beside
/// `out`; on success the previous `out` (if any) is replaced by it.
pub fn write_atomically(out: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "racegap-report".into());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).ok();
    }
    std::fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    if let Err(e) = fill(&tmp) {
        std::fs::remove_dir_all(&tmp).ok();
        return Err(e);
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if out.exists() {
        std::fs::rename(out, &old)
            .with_context(|| format!("cannot move aside {}", out.display()))?;
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        // Put the previous report back.
        if old.exists() {
            std::fs::rename(&old, out).ok();
        }
        std::fs::remove_dir_all(&tmp).ok();
        return Err(e).with_context(|| format!("cannot move the report into {}", out.display()));
    }
    if old.exists() {
        std::fs::remove_dir_all(&old).ok();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_previous_report() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report");
        write_atomically(&out, |d| Ok(std::fs::write(d.join("a.txt"), "first")?)).unwrap();
        let failed = write_atomically(&out, |d| {
            std::fs::write(d.join("a.txt"), "second")?;
            anyhow::bail!("disk full")
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "first");
        write_atomically(&out, |d| Ok(std::fs::write(d.join("b.txt"), "third")?)).unwrap();
        assert!(!out.join("a.txt").exists());
        assert_eq!(std::fs::read_to_string(out.join("b.txt")).unwrap(), "third");
        // No temporary folders left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
