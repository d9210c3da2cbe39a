//! The incremental cache end to end: a re-run over an unchanged folder reads no file
//! contents, a changed or new file is read again, other settings or a corrupt cache are
//! never trusted, and `--no-cache` neither reads nor writes it.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn analyze(acts: &Path, cache: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    let o = Command::cargo_bin("racegap")
        .unwrap()
        .arg("analyze")
        .arg(acts)
        .arg("--cache-dir")
        .arg(cache)
        .arg("--out")
        .arg(out)
        .arg("--json")
        .args(extra)
        .output()
        .unwrap();
    assert!(
        o.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn copy_some(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let src = common::sample_data().join("activities");
    for f in [
        "2026-07-21-intervals.fit",
        "2026-07-22-easy.gpx",
        "2026-07-25-easy.tcx",
        "2026-07-26-long-run.fit",
    ] {
        std::fs::copy(src.join(f), to.join(f)).unwrap();
    }
    std::fs::write(to.join("notes.txt"), "not an activity").unwrap();
}

/// A temporary folder with `acts` (some sample files), and where `cache` and `out` go.
fn folders() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (acts, cache, out) = (
        dir.path().join("acts"),
        dir.path().join("cache"),
        dir.path().join("out"),
    );
    copy_some(&acts);
    (dir, acts, cache, out)
}

#[test]
fn second_run_reads_nothing_and_changes_are_noticed() {
    let (_dir, acts, cache, out) = folders();
    let first = analyze(&acts, &cache, &out, &[]);
    assert_eq!(first["run"]["files_read"], 5);
    assert_eq!(first["run"]["cache_hits"], 0);
    let second = analyze(&acts, &cache, &out, &[]);
    assert_eq!(
        second["run"]["files_read"], 0,
        "an unchanged folder must read nothing"
    );
    assert_eq!(second["run"]["cache_hits"], 5);
    // Same results from the cache as from the files.
    assert_eq!(first["activities"], second["activities"]);
    assert_eq!(first["weeks"], second["weeks"]);
    // A changed file and a new one are read; the rest still comes from the cache.
    let gpx = acts.join("2026-07-22-easy.gpx");
    let text = std::fs::read_to_string(&gpx).unwrap();
    std::fs::write(
        &gpx,
        text.replace("<name>Easy run</name>", "<name>Renamed run</name>"),
    )
    .unwrap();
    std::fs::copy(
        common::sample_data().join("activities/2026-07-28-intervals.fit"),
        acts.join("new.fit"),
    )
    .unwrap();
    let third = analyze(&acts, &cache, &out, &[]);
    assert_eq!(third["run"]["files_read"], 2);
    assert_eq!(third["run"]["cache_hits"], 4);
    let names: Vec<&str> = third["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert!(names.contains(&"Renamed run"), "{names:?}");
    assert_eq!(third["activities"].as_array().unwrap().len(), 5);
    // A deleted file leaves the results.
    std::fs::remove_file(acts.join("new.fit")).unwrap();
    let fourth = analyze(&acts, &cache, &out, &[]);
    assert_eq!(fourth["activities"].as_array().unwrap().len(), 4);
    assert_eq!(fourth["run"]["files_read"], 0);
}

#[test]
fn other_settings_and_corrupt_caches_are_not_trusted() {
    let (_dir, acts, cache, out) = folders();
    analyze(&acts, &cache, &out, &[]);
    // Different metric settings: everything read again.
    let other = analyze(&acts, &cache, &out, &["--max-hr", "190"]);
    assert_eq!(other["run"]["cache_hits"], 0);
    assert_eq!(other["run"]["files_read"], 5);
    // Corrupt every cache file: ignored, rebuilt, results unchanged.
    for f in std::fs::read_dir(&cache).unwrap() {
        std::fs::write(f.unwrap().path(), b"\x00garbage{").unwrap();
    }
    let rebuilt = analyze(&acts, &cache, &out, &["--max-hr", "190"]);
    assert_eq!(rebuilt["run"]["cache_hits"], 0);
    assert_eq!(rebuilt["activities"], other["activities"]);
    let again = analyze(&acts, &cache, &out, &["--max-hr", "190"]);
    assert_eq!(again["run"]["files_read"], 0);
}

#[test]
fn no_cache_reads_everything_and_writes_nothing() {
    let (_dir, acts, cache, out) = folders();
    let v = analyze(&acts, &cache, &out, &["--no-cache"]);
    assert_eq!(v["run"]["files_read"], 5);
    assert!(!cache.exists());
}

#[test]
fn a_changed_strava_activities_csv_invalidates_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let (acts, cache, out) = (
        dir.path().join("export"),
        dir.path().join("cache"),
        dir.path().join("out"),
    );
    copy_some(&acts);
    let csv = |name: &str| {
        format!(
            "Activity ID,Activity Name,Activity Type,Filename\n1,{name},Run,2026-07-22-easy.gpx\n"
        )
    };
    std::fs::write(acts.join("activities.csv"), csv("Before")).unwrap();
    let first = analyze(&acts, &cache, &out, &[]);
    let name_of = |v: &serde_json::Value| {
        v["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["path"].as_str().unwrap().ends_with("2026-07-22-easy.gpx"))
            .unwrap()["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(name_of(&first), "Before");
    assert_eq!(analyze(&acts, &cache, &out, &[])["run"]["files_read"], 0);
    // A different size makes the new metadata visible even within the same second.
    std::fs::write(acts.join("activities.csv"), csv("After the edit")).unwrap();
    let after = analyze(&acts, &cache, &out, &[]);
    assert_eq!(name_of(&after), "After the edit");
    assert_eq!(after["run"]["cache_hits"], 0);
}

/// A file whose name is not UTF-8 is cached like any other: the second run reads nothing.
#[cfg(unix)]
#[test]
fn a_file_named_in_latin_1_is_cached() {
    use std::os::unix::ffi::OsStrExt;
    let (_dir, acts, cache, out) = folders();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.gpx");
    std::fs::copy(
        common::sample_data().join("activities/2026-07-29-easy.gpx"),
        acts.join(name),
    )
    .unwrap();
    let first = analyze(&acts, &cache, &out, &[]);
    assert_eq!(first["inputs"]["activities"], 5);
    let second = analyze(&acts, &cache, &out, &[]);
    assert_eq!(second["run"]["files_read"], 0);
    assert_eq!(second["activities"], first["activities"]);
}

/// A cache file cut short keeps the entries before the cut: only the files after it are
/// read again, and the results are those of a full read.
#[test]
fn a_cut_cache_keeps_the_entries_before_the_cut() {
    let (_dir, acts, cache, out) = folders();
    let first = analyze(&acts, &cache, &out, &[]);
    let file = std::fs::read_dir(&cache)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let len = std::fs::metadata(&file).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&file)
        .unwrap()
        .set_len(len - 10)
        .unwrap();
    let second = analyze(&acts, &cache, &out, &[]);
    let read = second["run"]["files_read"].as_u64().unwrap();
    assert!((1..5).contains(&read), "{read} files read again");
    assert_eq!(second["activities"], first["activities"]);
    assert_eq!(analyze(&acts, &cache, &out, &[])["run"]["files_read"], 0);
}
