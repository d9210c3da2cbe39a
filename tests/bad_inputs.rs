//! One test per kind of bad input: each puts the bad file beside a good one, runs
//! `racegap analyze`, and checks the exact error kind reported for the bad file, that the
//! good one was still analysed, and the exit status.

mod common;

use assert_cmd::Command;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::{Path, PathBuf};

const GOOD: &str = "2026-07-22-easy.gpx";

/// A folder holding one good activity; returns it and the report folder to use.
fn folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("runs");
    std::fs::create_dir(&acts).unwrap();
    std::fs::copy(
        common::sample_data().join("activities").join(GOOD),
        acts.join(GOOD),
    )
    .unwrap();
    let out = dir.path().join("report");
    (dir, out)
}

fn runs(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("runs")
}

/// Runs analyze; returns (exit code, JSON summary).
fn analyze(dir: &tempfile::TempDir, out: &Path) -> (i32, serde_json::Value) {
    let o = Command::cargo_bin("racegap")
        .unwrap()
        .args(["analyze", "--no-cache"])
        .arg(runs(dir))
        .arg("--json")
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code().unwrap_or(-1), v)
}

/// The bad file is skipped with `kind`, the good one is analysed, the exit status is 1.
fn expect_skipped(dir: &tempfile::TempDir, out: &Path, file: &str, kind: &str) -> String {
    let (code, v) = analyze(dir, out);
    assert_eq!(code, 1, "{v}");
    let acts = v["activities"].as_array().unwrap();
    assert_eq!(acts.len(), 1, "the good file must still be analysed");
    assert!(acts[0]["path"].as_str().unwrap().ends_with(GOOD));
    let skipped = v["inputs"]["skipped"].as_array().unwrap();
    let row = skipped
        .iter()
        .find(|s| s["path"].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("{file} not reported: {skipped:?}"));
    assert_eq!(row["kind"], kind, "{row}");
    row["reason"].as_str().unwrap().to_string()
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn empty_file() {
    let (d, out) = folder();
    std::fs::write(runs(&d).join("empty.fit"), b"").unwrap();
    assert_eq!(
        expect_skipped(&d, &out, "empty.fit", "empty"),
        "file is empty"
    );
}

#[test]
fn not_xml() {
    let (d, out) = folder();
    std::fs::write(runs(&d).join("notes.gpx"), b"this is not a track\n").unwrap();
    let why = expect_skipped(&d, &out, "notes.gpx", "xml");
    assert!(why.contains("line 1") && why.contains("not XML"), "{why}");
}

#[test]
fn wrong_root_element() {
    let (d, out) = folder();
    std::fs::write(
        runs(&d).join("map.gpx"),
        b"<?xml version=\"1.0\"?>\n<kml><Document/></kml>",
    )
    .unwrap();
    let why = expect_skipped(&d, &out, "map.gpx", "unknown_format");
    assert!(why.contains("<kml>"), "{why}");
}

#[test]
fn truncated_xml() {
    let (d, out) = folder();
    let text = std::fs::read(common::sample_data().join("activities/2026-07-29-easy.gpx")).unwrap();
    std::fs::write(runs(&d).join("cut.gpx"), &text[..text.len() / 3]).unwrap();
    let why = expect_skipped(&d, &out, "cut.gpx", "xml");
    assert!(why.contains("cut short") && why.contains("line"), "{why}");
}

#[test]
fn truncated_fit_keeps_its_records() {
    let (d, out) = folder();
    let fit =
        std::fs::read(common::sample_data().join("activities/2026-07-21-intervals.fit")).unwrap();
    std::fs::write(runs(&d).join("crash.fit"), &fit[..fit.len() / 2]).unwrap();
    let (code, v) = analyze(&d, &out);
    // A truncated FIT is not skipped: its records before the break are kept, with a warning.
    assert_eq!(code, 0);
    let acts = v["activities"].as_array().unwrap();
    assert_eq!(acts.len(), 2);
    let crash = acts
        .iter()
        .find(|a| a["path"].as_str().unwrap().ends_with("crash.fit"))
        .unwrap();
    let warnings = crash["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("breaks off at byte")),
        "{warnings:?}"
    );
    assert!(crash["samples"].as_u64().unwrap() > 1000);
}

#[test]
fn bad_crc_keeps_the_data_with_a_warning() {
    let (d, out) = folder();
    let mut fit =
        std::fs::read(common::sample_data().join("activities/2026-07-23-goal-pace.fit")).unwrap();
    let n = fit.len();
    fit[n - 1] ^= 0xff;
    std::fs::write(runs(&d).join("crc.fit"), &fit).unwrap();
    let (code, v) = analyze(&d, &out);
    assert_eq!(code, 0);
    let acts = v["activities"].as_array().unwrap();
    let crc = acts
        .iter()
        .find(|a| a["path"].as_str().unwrap().ends_with("crc.fit"))
        .unwrap();
    assert!(crc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().contains("checksum mismatch")));
    assert_eq!(acts.len(), 2);
}

/// A FIT file on which fitparser 0.11 panics (an overflow in its header parser, found by
/// `tests/mutation.rs`; kept in `tests/regressions/`) and prints an anonymous "ERROR: field
/// size" line: racegap's own decoder reads it whole, names the damage on the file, and
/// nothing unattributed reaches the terminal.
#[test]
fn a_fit_file_that_panicked_the_old_decoder_is_read_with_its_damage_named() {
    let (d, out) = folder();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/regressions/fitparser-panics-on-a-field-size.fit"),
        runs(&d).join("panics.fit"),
    )
    .unwrap();
    let o = Command::cargo_bin("racegap")
        .unwrap()
        .args(["analyze", "--no-cache", "--json", "--out"])
        .arg(&out)
        .arg(runs(&d))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked at"), "{stderr}");
    assert!(!stderr.contains("ERROR: field size"), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let acts = v["activities"].as_array().unwrap();
    let run = acts
        .iter()
        .find(|a| a["path"].as_str().unwrap().ends_with("panics.fit"))
        .expect("the file is read");
    assert_eq!(run["samples"].as_u64(), Some(591));
    let warnings = run["warnings"].to_string();
    assert!(
        warnings.contains(
            "22 field definition(s) with a size that does not fit their type (first at byte 4601)"
        ) && warnings.contains("checksum mismatch at byte 6003")
            && warnings.contains("3 trailing byte(s) after the FIT data at byte 6005"),
        "{warnings}"
    );
}

#[test]
fn bad_fit_header() {
    let (d, out) = folder();
    let mut fit =
        std::fs::read(common::sample_data().join("activities/2026-07-23-goal-pace.fit")).unwrap();
    fit[8..12].copy_from_slice(b".TIF");
    std::fs::write(runs(&d).join("header.fit"), &fit).unwrap();
    let why = expect_skipped(&d, &out, "header.fit", "fit");
    assert!(
        why.contains("byte 0") && why.contains("no FIT file header"),
        "{why}"
    );
}

#[test]
fn gzip_of_garbage() {
    let (d, out) = folder();
    std::fs::write(
        runs(&d).join("x.fit.gz"),
        gz(b"just some words, not an activity"),
    )
    .unwrap();
    let why = expect_skipped(&d, &out, "x.fit.gz", "fit");
    assert!(why.contains("no FIT file header"), "{why}");
    // And a gzip stream that is itself corrupt.
    std::fs::write(
        runs(&d).join("y.gpx.gz"),
        [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7],
    )
    .unwrap();
    expect_skipped(&d, &out, "y.gpx.gz", "gzip");
}

#[test]
fn gzip_bomb() {
    let (d, out) = folder();
    // 600 MB of zeros compress to about 600 KB: over the 512 MB limit once inflated.
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..600 {
        e.write_all(&zeros).unwrap();
    }
    std::fs::write(runs(&d).join("bomb.fit.gz"), e.finish().unwrap()).unwrap();
    let why = expect_skipped(&d, &out, "bomb.fit.gz", "too_large");
    assert!(why.contains("gzip bomb"), "{why}");
}

#[test]
fn directory_named_like_an_activity() {
    let (d, out) = folder();
    std::fs::create_dir(runs(&d).join("x.fit")).unwrap();
    std::fs::write(runs(&d).join("x.fit").join("inside.txt"), b"hi").unwrap();
    // A folder is walked, not read: nothing inside it is an activity; no error, no crash.
    let (code, v) = analyze(&d, &out);
    assert_eq!(code, 0);
    assert_eq!(v["activities"].as_array().unwrap().len(), 1);
    assert!(v["inputs"]["ignored"].as_array().unwrap()[0]
        .as_str()
        .unwrap()
        .ends_with("inside.txt"));
}

#[test]
fn unreadable_file() {
    let (d, out) = folder();
    let p = runs(&d).join("locked.gpx");
    std::fs::copy(common::sample_data().join("activities").join(GOOD), &p).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    if std::fs::read(&p).is_ok() {
        // Running as root, permissions do not stop a read: make the name a dangling link,
        // which fails to open the same way.
        eprintln!(
            "NOTE unreadable_file: running as root, so a dangling link stands in for a file without read permission"
        );
        std::fs::remove_file(&p).unwrap();
        std::os::unix::fs::symlink("/nonexistent/target.gpx", &p).unwrap();
    }
    expect_skipped(&d, &out, "locked.gpx", "io");
}

#[test]
fn symlink_loop() {
    let (d, out) = folder();
    std::os::unix::fs::symlink(runs(&d), runs(&d).join("loop")).unwrap();
    let (code, v) = analyze(&d, &out);
    // The loop is reported, not followed forever; the good file is read once.
    assert_eq!(code, 1);
    assert_eq!(v["activities"].as_array().unwrap().len(), 1);
    let skipped = v["inputs"]["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s["reason"].as_str().unwrap().contains("symlink loop")),
        "{skipped:?}"
    );
    assert!(skipped.iter().all(|s| s["kind"] == "io"));
}

#[test]
fn non_utf8_file_name() {
    use std::os::unix::ffi::OsStrExt;
    let (d, out) = folder();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9-run.gpx");
    std::fs::write(
        runs(&d).join(name),
        b"<gpx><trk><trkseg></trkseg></trk></gpx>",
    )
    .unwrap();
    let why = expect_skipped(&d, &out, "-run.gpx", "no_data");
    assert!(why.contains("no track"), "{why}");
}

#[test]
fn huge_coordinates() {
    let (d, out) = folder();
    std::fs::write(
        runs(&d).join("huge.gpx"),
        b"<gpx><trk><trkseg><trkpt lat=\"1e300\" lon=\"5\"><time>2026-01-01T00:00:00Z</time></trkpt><trkpt lat=\"91\" lon=\"-900\"/></trkseg></trk></gpx>",
    )
    .unwrap();
    let why = expect_skipped(&d, &out, "huge.gpx", "no_data");
    assert!(
        why.contains("no track, route or waypoint with a position"),
        "{why}"
    );
}

#[test]
fn times_going_backwards() {
    let (d, out) = folder();
    let mut pts = String::new();
    for (i, t) in [0, 10, 20, 15, 30, 30, 40].iter().enumerate() {
        pts.push_str(&format!(
            "<trkpt lat=\"55.9{i:02}\" lon=\"-3.19\"><time>2026-07-01T07:00:{t:02}Z</time></trkpt>"
        ));
    }
    std::fs::write(
        runs(&d).join("back.gpx"),
        format!("<gpx><trk><trkseg>{pts}</trkseg></trk></gpx>"),
    )
    .unwrap();
    let (code, v) = analyze(&d, &out);
    // Read, with the bad samples dropped and said so.
    assert_eq!(code, 0);
    let acts = v["activities"].as_array().unwrap();
    assert_eq!(acts.len(), 2);
    let back = acts
        .iter()
        .find(|a| a["path"].as_str().unwrap().ends_with("back.gpx"))
        .unwrap();
    let problems = back["metrics"]["problems"].as_array().unwrap();
    let said = |what: &str| problems.iter().any(|p| p.as_str().unwrap().contains(what));
    // 15 s after 20 s, with 30 s next: one bad time, dropped; the repeated 30 s likewise.
    assert!(said("1 timestamp(s) out of line"), "{problems:?}");
    assert!(
        said("1 sample(s) with duplicate or backwards timestamps"),
        "{problems:?}"
    );
}
