//! Peak memory of whole `racegap` processes. These tests live in a test binary of their own:
//! at exec, Linux keeps the high-water mark of the process that spawned the child (which
//! shares its parent's memory until then) as the child's peak, so a test binary that also
//! runs tests holding hundreds of megabytes would be measured instead of racegap.

#![cfg(target_os = "linux")]

mod common;

use std::ffi::OsStr;
use std::path::Path;

/// Writes a GPX run of `n` one-second points with elevation (and heart rate and cadence in
/// Garmin's extension when `extensions`), moving north about 3 m a second, line by line:
/// the test process itself stays small.
fn write_gpx(path: &Path, date: &str, n: usize, extensions: bool) -> u64 {
    use std::io::Write;
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    w.write_all(b"<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"t\" xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\"><trk><type>running</type><trkseg>\n").unwrap();
    for i in 0..n {
        let (h, m, sec) = (6 + i / 3600, (i / 60) % 60, i % 60);
        write!(
            w,
            "<trkpt lat=\"{:.7}\" lon=\"6.0\"><ele>{:.1}</ele><time>{date}T{h:02}:{m:02}:{sec:02}Z</time>",
            45.0 + (i % 40_000) as f64 * 3.0 / 111_000.0,
            300.0 + (i % 500) as f64 * 0.2,
        )
        .unwrap();
        if extensions {
            write!(
                w,
                "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{}</gpxtpx:hr><gpxtpx:cad>{}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions>",
                140 + i % 20,
                85 + i % 5
            )
            .unwrap();
        }
        w.write_all(b"</trkpt>\n").unwrap();
    }
    w.write_all(b"</trkseg></trk></gpx>\n").unwrap();
    w.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

/// One measurement at a time: a test writing a big file must not run beside a spawn.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

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
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let text = |to: &Path, day: usize| {
        write_gpx(to, &format!("2026-09-{:02}", 1 + day), 20_000, false);
    };
    text(&one.join("r.gpx"), 0);
    for day in 0..30 {
        text(&many.join(format!("r{day}.gpx")), day);
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
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
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

/// `inspect` streams a plain GPX from disk: on a 50 MB file its peak, above that of the same
/// command on a one-minute file (the program's own tables and fonts), stays under twice the
/// memory of the samples it keeps.
#[test]
fn inspect_of_a_50_mb_gpx_peaks_under_twice_its_samples() {
    let dir = tempfile::tempdir().unwrap();
    let (big, small) = (dir.path().join("big.gpx"), dir.path().join("small.gpx"));
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let n = 230_000;
    let bytes = write_gpx(&big, "2026-09-01", n, true);
    assert!(bytes > 50_000_000, "{bytes} bytes");
    write_gpx(&small, "2026-09-01", 60, true);
    let peak = |file: &Path| {
        let (code, kib) = peak_kib(&[OsStr::new("inspect"), file.as_os_str()]);
        assert_eq!(code, 0);
        kib
    };
    let (base, whole) = (peak(&small), peak(&big));
    let samples_kib = (n * std::mem::size_of::<racegap::model::Sample>() / 1024) as i64;
    eprintln!(
        "inspect peak: {whole} KiB for 50 MB, {base} KiB for one minute; samples {samples_kib} KiB"
    );
    assert!(
        whole - base < 2 * samples_kib,
        "{whole} KiB - {base} KiB against {samples_kib} KiB of samples"
    );
}
