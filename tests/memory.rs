//! Peak memory of whole `racegap` processes. These tests live in a test binary of their own:
//! at exec, Linux keeps the high-water mark of the process that spawned the child (which
//! shares its parent's memory until then) as the child's peak, so a test binary that also
//! runs tests holding hundreds of megabytes would be measured instead of racegap.

#![cfg(target_os = "linux")]

mod common;

use std::ffi::OsStr;
use std::path::Path;

/// A GPX run of `n` one-second points with elevation (and heart rate and cadence in Garmin's
/// extension when `extensions`), moving north about 3 m a second.
fn gpx(date: &str, n: usize, extensions: bool) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"t\" xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\"><trk><type>running</type><trkseg>\n",
    );
    for i in 0..n {
        let (h, m, sec) = (6 + i / 3600, (i / 60) % 60, i % 60);
        let ext = if extensions {
            format!(
                "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{}</gpxtpx:hr><gpxtpx:cad>{}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions>",
                140 + i % 20,
                85 + i % 5
            )
        } else {
            String::new()
        };
        s.push_str(&format!(
            "<trkpt lat=\"{:.7}\" lon=\"6.0\"><ele>{:.1}</ele><time>{date}T{h:02}:{m:02}:{sec:02}Z</time>{ext}</trkpt>\n",
            45.0 + (i % 40_000) as f64 * 3.0 / 111_000.0,
            300.0 + (i % 500) as f64 * 0.2,
        ));
    }
    s.push_str("</trkseg></trk></gpx>\n");
    s
}

/// Runs `racegap` with `args` and returns its exit code and peak resident memory (KiB),
/// measured for that one child (wait4).
#[cfg(target_os = "linux")]
// The child is reaped by wait4 below, which std does not know about.
#[allow(clippy::zombie_processes)]
fn peak_kib(args: &[&OsStr]) -> (i32, i64) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_racegap"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, writing into the two locals above.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

/// Samples are dropped once each file is measured: 30 runs of 20,000 points (about 3 MB
/// of samples each, 96 MB in all) take little more memory to analyse than one of them.
#[cfg(target_os = "linux")]
#[test]
fn samples_are_dropped_after_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let (one, many) = (dir.path().join("one"), dir.path().join("many"));
    std::fs::create_dir(&one).unwrap();
    std::fs::create_dir(&many).unwrap();
    let text = |day: usize| gpx(&format!("2026-09-{:02}", 1 + day), 20_000, false);
    std::fs::write(one.join("r.gpx"), text(0)).unwrap();
    for day in 0..30 {
        std::fs::write(many.join(format!("r{day}.gpx")), text(day)).unwrap();
    }
    let run = |input: &Path, out: &str| {
        let out = dir.path().join(out);
        let args: Vec<&OsStr> = vec![
            OsStr::new("analyze"),
            OsStr::new("--no-cache"),
            input.as_os_str(),
            OsStr::new("--out"),
            out.as_os_str(),
        ];
        let (code, kib) = peak_kib(&args);
        assert_eq!(code, 0);
        kib
    };
    let (small, big) = (run(&one, "r1"), run(&many, "r30"));
    eprintln!("peak memory: 1 run {small} KiB, 30 runs {big} KiB");
    assert!(
        big < small + 40 * 1024,
        "30 runs peak at {big} KiB against {small} KiB for one: samples are kept"
    );
}

/// A warm run (every file from the cache) peaks no higher than the cold run that made the
/// cache: the cache is read as one buffer and each entry decoded where it is used.
#[test]
fn a_warm_run_peaks_no_higher_than_the_cold_one() {
    let dir = tempfile::tempdir().unwrap();
    let acts = common::sample_data().join("activities");
    let race = common::sample_data().join("race/race.toml");
    let cache = dir.path().join("cache");
    let run = |out: &str| {
        let out = dir.path().join(out);
        let args: Vec<&OsStr> = vec![
            OsStr::new("analyze"),
            acts.as_os_str(),
            OsStr::new("--race"),
            race.as_os_str(),
            OsStr::new("--cache-dir"),
            cache.as_os_str(),
            OsStr::new("--out"),
            out.as_os_str(),
        ];
        let (code, kib) = peak_kib(&args);
        assert_eq!(code, 0);
        kib
    };
    let (cold, warm) = (run("cold"), run("warm"));
    eprintln!("peak memory: cold {cold} KiB, warm {warm} KiB");
    assert!(warm <= cold, "warm {warm} KiB against cold {cold} KiB");
}
