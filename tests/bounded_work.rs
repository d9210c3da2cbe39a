//! Every input found to hang, panic, run away with memory or pass an impossible value, kept
//! as a regression test: each must finish quickly with an activity or a clear error naming
//! the file. Also the cache's guarantees: a damaged entry is read again, a cache that is a
//! device or a pipe is not read, a file that changes while it is read is not cached.

mod common;
#[path = "../examples/synth/mod.rs"]
mod synth;

use assert_cmd::Command;
use racegap::batch::{ingest_all, BatchOptions};
use racegap::ingest::read_bytes;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Every command here must end within this, whatever the input.
const LIMIT: Duration = Duration::from_secs(30);

fn racegap() -> Command {
    let mut c = Command::cargo_bin("racegap").unwrap();
    c.timeout(LIMIT);
    c
}

fn stderr_of(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// A GPX run: `n` points 3 m apart, one a second (5:33 /km), from `start` (RFC 3339 without zone).
fn gpx(date: &str, n: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"t\"><trk><type>running</type><trkseg>\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "<trkpt lat=\"{:.6}\" lon=\"6.0\"><ele>{}</ele><time>{date}T08:{:02}:{:02}Z</time></trkpt>\n",
            45.0 + i as f64 * 3.0 / 111_000.0,
            100 + i % 7,
            i / 60,
            i % 60
        ));
    }
    s.push_str("</trkseg></trk></gpx>\n");
    s
}

/// A TCX run of `n` trackpoints with one lap whose distance is `lap_m` and whose trackpoint
/// distance fields are replaced by `point_m` at the point `at`.
fn tcx(n: usize, lap_m: &str, at: usize, point_m: &str, temp: &str) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\"><Activities><Activity Sport=\"Running\"><Id>2026-10-01T08:00:00Z</Id>",
    );
    s.push_str(&format!(
        "<Lap StartTime=\"2026-10-01T08:00:00Z\"><TotalTimeSeconds>{n}</TotalTimeSeconds><DistanceMeters>{lap_m}</DistanceMeters><Track>"
    ));
    for i in 0..n {
        let d = if i == at {
            point_m.to_string()
        } else {
            format!("{}", i as f64 * 3.0)
        };
        s.push_str(&format!(
            "<Trackpoint><Time>2026-10-01T08:{:02}:{:02}Z</Time><DistanceMeters>{d}</DistanceMeters><HeartRateBpm><Value>140</Value></HeartRateBpm><Extensions><TPX xmlns=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\"><Temp>{temp}</Temp></TPX></Extensions></Trackpoint>",
            i / 60,
            i % 60
        ));
    }
    s.push_str("</Track></Lap></Activity></Activities></TrainingCenterDatabase>");
    s
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "{what} took {:?}",
        t.elapsed()
    );
    r
}

#[test]
fn a_huge_distance_in_one_tcx_point_finishes_at_once() {
    for v in ["1e12", "1e15", "1e308", "-1e15"] {
        let bytes = tcx(300, "900", 150, v, "20");
        let acts = timed(v, || read_bytes(bytes.as_bytes(), Path::new("x.tcx"))).unwrap();
        let stats = timed(v, || {
            racegap::track::compute(&acts[0], &racegap::track::MetricsConfig::default())
        });
        assert!(stats.distance_m < 2_000.0, "{v}: {}", stats.distance_m);
        assert!(acts[0]
            .warnings
            .iter()
            .any(|w| w.contains("distance value(s) outside")));
    }
}

#[test]
fn impossible_lap_totals_and_temperatures_are_dropped_with_a_note() {
    // A lap of 1e308 m and a session-sized 42,949 km are no lap; 1e308 °C is no weather.
    for lap in ["1e308", "42949672.95"] {
        let bytes = tcx(120, lap, 0, "0", "20");
        let a = read_bytes(bytes.as_bytes(), Path::new("x.tcx"))
            .unwrap()
            .remove(0);
        assert_eq!(a.device_totals.distance_m, None, "{lap}");
        let w = a.warnings.join("\n");
        assert!(w.contains("device total distance"), "{w}");
        let stats = racegap::track::compute(&a, &racegap::track::MetricsConfig::default());
        assert!(stats.distance_m < 1_000.0, "{lap}: {}", stats.distance_m);
    }
}

#[test]
fn an_air_temperature_of_1e308_is_dropped_with_a_note() {
    let doc = gpx("2026-10-01", 120).replace(
        "</ele>",
        "</ele><extensions><gpxtpx:TrackPointExtension xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\"><gpxtpx:atemp>1e308</gpxtpx:atemp><gpxtpx:hr>1e308</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>",
    );
    let a = read_bytes(doc.as_bytes(), Path::new("x.gpx"))
        .unwrap()
        .remove(0);
    assert!(a.samples.iter().all(|s| s.temperature_c.is_none()));
    assert!(a.samples.iter().all(|s| s.heart_rate_bpm.is_none()));
    let w = a.warnings.join("\n");
    assert!(w.contains("120 temperature value(s) outside"), "{w}");
    assert!(w.contains("120 heart rate value(s) outside"), "{w}");
}

#[test]
fn a_point_with_100000_attributes_is_read_in_linear_time() {
    let attrs: String = (0..100_000).map(|i| format!(" a{i}=\"{i}\"")).collect();
    let doc = format!(
        "<gpx version=\"1.1\"><trk><trkseg><trkpt{attrs} lat=\"45\" lon=\"6\"><time>2026-10-01T08:00:00Z</time></trkpt><trkpt lat=\"45.001\" lon=\"6\"><time>2026-10-01T08:00:10Z</time></trkpt></trkseg></trk></gpx>"
    );
    let acts = timed("100,000 attributes", || {
        read_bytes(doc.as_bytes(), Path::new("x.gpx"))
    })
    .unwrap();
    assert_eq!(acts[0].samples[0].lat_deg, Some(45.0));
}

/// A FIT activity with `sessions` session messages.
fn fit_with_sessions(sessions: usize) -> Vec<u8> {
    let mut data: Vec<u8> = Vec::new();
    // file_id: type (field 0, enum) = 4 (activity).
    data.extend_from_slice(&[0x40, 0, 0, 0, 0, 1, 0, 1, 0x00]);
    data.extend_from_slice(&[0x00, 4]);
    // record (20): timestamp 253 uint32, heart_rate 3 uint8.
    data.extend_from_slice(&[0x41, 0, 0, 20, 0, 2, 253, 4, 0x86, 3, 1, 0x02]);
    for i in 0..60u32 {
        data.push(0x01);
        data.extend_from_slice(&(1_100_000_000 + i).to_le_bytes());
        data.push(140);
    }
    // session (18): timestamp 253, total_distance 9 (uint32, cm).
    data.extend_from_slice(&[0x42, 0, 0, 18, 0, 2, 253, 4, 0x86, 9, 4, 0x86]);
    for _ in 0..sessions {
        data.push(0x02);
        data.extend_from_slice(&1_100_000_060u32.to_le_bytes());
        data.extend_from_slice(&50_000u32.to_le_bytes());
    }
    synth::fit_file(data)
}

#[test]
fn a_fit_with_200000_sessions_is_bounded() {
    let bytes = fit_with_sessions(200_000);
    let acts = timed("200,000 sessions", || {
        read_bytes(&bytes, Path::new("x.fit"))
    })
    .unwrap();
    assert!(acts.len() <= racegap::ingest::fit::MAX_SESSIONS);
    let w = acts
        .iter()
        .flat_map(|a| a.warnings.iter())
        .cloned()
        .collect::<Vec<_>>();
    assert!(
        w.iter().any(|w| w.contains("session message(s) beyond")),
        "{w:?}"
    );
}

/// A FIT file of `n` record messages of one field each (heart rate, 2 bytes a message).
fn fit_with_records(n: usize) -> Vec<u8> {
    // Definition: local 0 -> global 20 (record), little-endian, one field: #3 heart_rate,
    // 1 byte, uint8.
    let mut data = vec![0x40, 0, 0, 20, 0, 1, 3, 1, 0x02];
    data.reserve(2 * n);
    for i in 0..n {
        data.extend_from_slice(&[0x00, 120 + (i % 60) as u8]);
    }
    synth::fit_file(data)
}

/// The README's limit of 5,000,000 points a file, at the real constant: one point over is
/// refused with the limit named (and memory stays bounded by it); the reader stops there.
#[test]
fn a_file_of_more_than_5_million_points_is_refused() {
    assert_eq!(racegap::ingest::MAX_SAMPLES, 5_000_000);
    let over = fit_with_records(5_000_001);
    match read_bytes(&over, Path::new("huge.fit")) {
        Err(e @ racegap::error::ReadError::TooManyPoints { limit: 5_000_000 }) => {
            assert_eq!(
                e.to_string(),
                "more than 5000000 points in one file; refused"
            )
        }
        other => panic!("{:?}", other.map(|a| a.len())),
    }
}

/// The README's limit of 1 GiB a file: a (sparse) file one byte over is refused from its
/// size, unread, with the limit named, and every other file is still analysed.
#[test]
fn a_file_over_1_gib_is_refused_unread() {
    assert_eq!(racegap::ingest::MAX_FILE_BYTES, 1 << 30);
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("runs");
    std::fs::create_dir(&runs).unwrap();
    std::fs::write(runs.join("good.gpx"), gpx("2026-10-01", 600)).unwrap();
    let huge = runs.join("huge.gpx");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len((1 << 30) + 1).unwrap();
    drop(f);
    let t = Instant::now();
    let e = racegap::ingest::read_path(&huge).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    assert_eq!(
        e,
        racegap::error::ReadError::FileTooLarge { limit_mb: 1024 }
    );
    let o = racegap()
        .args(["analyze", "--no-cache", "--json", "--out"])
        .arg(dir.path().join("report"))
        .arg(&runs)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr_of(&o));
    let err = stderr_of(&o);
    assert!(
        err.contains("huge.gpx: the file is larger than the limit of 1024 MB; refused unread"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["activities"].as_array().unwrap().len(), 1);
    assert_eq!(v["inputs"]["skipped"][0]["kind"], "too_large");
}

#[cfg(unix)]
fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_named_like_activities_never_block() {
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    std::fs::write(acts.join("run.gpx"), gpx("2026-10-01", 300)).unwrap();
    mkfifo(&acts.join("x.gpx"));
    std::os::unix::fs::symlink("/dev/zero", acts.join("zero.fit")).unwrap();
    let o = racegap()
        .args(["analyze", "--no-cache", "--format", "svg", "--out"])
        .arg(dir.path().join("report"))
        .arg(&acts)
        .output()
        .unwrap();
    let err = stderr_of(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("x.gpx: a named pipe (FIFO): only regular files are read"),
        "{err}"
    );
    assert!(err.contains("zero.fit: a character device"), "{err}");
    for args in [
        vec!["inspect".to_string()],
        vec!["course".to_string()],
        vec![
            "analyze".to_string(),
            "--date".to_string(),
            "2026-11-01".to_string(),
            "--no-cache".to_string(),
            "--course".to_string(),
        ],
    ] {
        let mut c = racegap();
        c.args(&args).arg(acts.join("x.gpx"));
        if args[0] == "analyze" {
            c.arg(&acts).arg("--out").arg(dir.path().join("r2"));
        }
        let o = c.output().unwrap();
        let err = stderr_of(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("x.gpx") && err.contains("FIFO"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_course_of_one_point_or_no_length_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    std::fs::write(acts.join("run.gpx"), gpx("2026-10-01", 300)).unwrap();
    let one = dir.path().join("one.gpx");
    std::fs::write(&one, gpx("2026-10-01", 1)).unwrap();
    let still = dir.path().join("still.gpx");
    std::fs::write(
        &still,
        "<gpx><trk><trkseg><trkpt lat=\"45\" lon=\"6\"/><trkpt lat=\"45\" lon=\"6\"/><trkpt lat=\"45\" lon=\"6\"/></trkseg></trk></gpx>",
    )
    .unwrap();
    for course in [&one, &still] {
        let out = dir.path().join("report");
        let o = racegap()
            .args([
                "analyze",
                "--no-cache",
                "--date",
                "2026-11-01",
                "--goal",
                "3:30:00",
            ])
            .arg("--course")
            .arg(course)
            .arg("--out")
            .arg(&out)
            .arg(&acts)
            .output()
            .unwrap();
        let err = stderr_of(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("a race course is between"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            3,
            "no temporary folder"
        );
        let o = racegap().arg("course").arg(course).output().unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr_of(&o).contains("a race course is between"));
    }
}

#[test]
fn absurd_race_settings_are_refused_with_the_range() {
    let sample = common::sample_data();
    let race = sample.join("race");
    let cases: &[(&str, &str)] = &[
        ("goal_time = \"99999999:00:00\"", "goal_time"),
        ("block_weeks = 4294967295", "block_weeks"),
        ("block_weeks = 0", "block_weeks"),
        ("expected_temperature_c = nan", "expected_temperature_c"),
        ("expected_temperature_c = 1e308", "expected_temperature_c"),
        ("humidity_pct = 500", "humidity_pct"),
        ("max_hr_bpm = 0", "max_hr_bpm"),
        ("temperature_offset_c = -1e9", "temperature_offset_c"),
        ("date = \"9999-01-01\"", "date"),
    ];
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(race.join("course.gpx"), dir.path().join("course.gpx")).unwrap();
    for (line, field) in cases {
        let key = line.split('=').next().unwrap().trim();
        let base: String = std::fs::read_to_string(race.join("race.toml"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with(key))
            .map(|l| format!("{l}\n"))
            .collect();
        let toml = dir.path().join("race.toml");
        std::fs::write(&toml, format!("{base}{line}\n")).unwrap();
        let t = Instant::now();
        let o = racegap()
            .args(["analyze", "--no-cache", "--out"])
            .arg(dir.path().join("report"))
            .arg("--race")
            .arg(&toml)
            .arg(sample.join("activities"))
            .output()
            .unwrap();
        let err = stderr_of(&o);
        assert_eq!(o.status.code(), Some(2), "{line}: {err}");
        assert!(
            err.contains(field) && err.contains("sane range"),
            "{line}: {err}"
        );
        assert!(t.elapsed() < Duration::from_secs(10), "{line}");
    }
    // Flags are held to the same ranges.
    for args in [
        ["--block-weeks", "10000000"],
        ["--temperature", "72"],
        ["--max-hr", "0"],
    ] {
        let o = racegap()
            .args(["analyze", "--no-cache", "--out"])
            .arg(dir.path().join("report"))
            .arg("--race")
            .arg(race.join("race.toml"))
            .args(args)
            .arg(sample.join("activities"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr_of(&o).contains("sane range"), "{args:?}");
    }
}

#[test]
fn a_run_dated_9999_does_not_stretch_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    std::fs::write(acts.join("a.gpx"), gpx("2026-10-01", 300)).unwrap();
    std::fs::write(acts.join("b.gpx"), gpx("2026-10-08", 300)).unwrap();
    std::fs::write(acts.join("future.gpx"), gpx("9999-12-30", 300)).unwrap();
    let out = dir.path().join("report");
    let (code, v, err) = common::analyze_json(
        dir.path(),
        [OsStr::new("--out"), out.as_os_str(), acts.as_os_str()],
    );
    assert!(code.unwrap() <= 1, "{err}");
    assert_eq!(v["inputs"]["activities"], 3);
    assert_eq!(v["weeks"].as_array().unwrap().len(), 2);
    let size: u64 = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    assert!(size < 2_000_000, "report of {size} bytes");
}

fn analyze_json(acts: &Path, cache: &Path, out: &Path) -> (serde_json::Value, String) {
    let o = racegap()
        .args(["analyze", "--format", "svg", "--json", "--cache-dir"])
        .arg(cache)
        .arg("--out")
        .arg(out)
        .arg(acts)
        .output()
        .unwrap();
    assert!(o.status.code().unwrap() <= 1, "{}", stderr_of(&o));
    (serde_json::from_slice(&o.stdout).unwrap(), stderr_of(&o))
}

/// The one file in `dir` (the cache file).
fn only_file(dir: &Path) -> PathBuf {
    let mut files = std::fs::read_dir(dir).unwrap();
    let f = files.next().unwrap().unwrap().path();
    assert!(files.next().is_none());
    f
}

fn small_history(dir: &Path) -> PathBuf {
    let acts = dir.join("acts");
    std::fs::create_dir(&acts).unwrap();
    let src = common::sample_data().join("activities");
    for f in [
        "2026-10-01-goal-pace.fit",
        "2026-10-03-easy.tcx",
        "2026-10-07-easy.gpx",
    ] {
        std::fs::copy(src.join(f), acts.join(f)).unwrap();
    }
    acts
}

/// The README's 512 MiB cache limit: a cache file grown past it (sparse, so the test
/// writes nothing) is not read, the run reads every file and says why.
#[test]
fn a_cache_over_512_mib_is_not_read() {
    assert_eq!(racegap::cache::MAX_CACHE_BYTES, 512 << 20);
    let dir = tempfile::tempdir().unwrap();
    let acts = small_history(dir.path());
    let cache = dir.path().join("cache");
    analyze_json(&acts, &cache, &dir.path().join("r1"));
    let file = only_file(&cache);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&file)
        .unwrap()
        .set_len((512 << 20) + 1)
        .unwrap();
    let t = Instant::now();
    let (v, err) = analyze_json(&acts, &cache, &dir.path().join("r2"));
    assert!(t.elapsed() < LIMIT);
    assert_eq!(v["run"]["files_read"], 3, "{err}");
    assert_eq!(v["run"]["cache_hits"], 0, "{err}");
    assert!(
        err.contains("the file is larger than the limit of 512 MB; refused unread; not used"),
        "{err}"
    );
}

/// The README's 1 MiB limit on `race.toml`: a larger file is refused, unread, naming it.
#[test]
fn a_race_file_over_1_mib_is_refused() {
    assert_eq!(racegap::race::MAX_RACE_FILE_BYTES, 1 << 20);
    let dir = tempfile::tempdir().unwrap();
    let acts = small_history(dir.path());
    let race = dir.path().join("race.toml");
    let mut text = std::fs::read_to_string(common::sample_data().join("race/race.toml")).unwrap();
    text = text.replace("course = \"course.gpx\"\n", "");
    while text.len() <= 1 << 20 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&race, text).unwrap();
    let o = racegap()
        .args(["analyze", "--no-cache", "--out"])
        .arg(dir.path().join("report"))
        .arg("--race")
        .arg(&race)
        .arg(&acts)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr_of(&o);
    assert!(
        err.contains("race.toml") && err.contains("larger than the limit of 1 MB"),
        "{err}"
    );
}

#[test]
fn a_damaged_cache_entry_is_read_again_and_the_report_matches() {
    // (`fresh` is written with an empty cache of its own: a run that reads every file.)
    let dir = tempfile::tempdir().unwrap();
    let acts = small_history(dir.path());
    let cache = dir.path().join("cache");
    analyze_json(&acts, &cache, &dir.path().join("r1"));
    let file = only_file(&cache);
    // Change a stored distance (its eight bytes, as the run's metrics give it): the entry
    // still decodes, with a wrong value.
    let (v, _) = analyze_json(&acts, &cache, &dir.path().join("r0"));
    let distance = v["activities"][0]["metrics"]["distance_m"]
        .as_f64()
        .unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    let needle = distance.to_le_bytes();
    let at = bytes
        .windows(8)
        .position(|w| w == needle)
        .expect("the distance is stored bit for bit");
    bytes[at + 3] ^= 1;
    std::fs::write(&file, bytes).unwrap();
    let (v, err) = analyze_json(&acts, &cache, &dir.path().join("r2"));
    assert_eq!(v["run"]["files_read"], 1, "{err}");
    assert!(err.contains("failed their checksum"), "{err}");
    let no_cache = dir.path().join("no-cache");
    analyze_json(&acts, &no_cache, &dir.path().join("fresh"));
    for f in ["summary.json", "activities.csv", "weekly.csv", "index.html"] {
        assert_eq!(
            std::fs::read(dir.path().join("r2").join(f)).unwrap(),
            std::fs::read(dir.path().join("fresh").join(f)).unwrap(),
            "{f}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_cache_that_is_a_device_or_a_pipe_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let acts = small_history(dir.path());
    let cache = dir.path().join("cache");
    analyze_json(&acts, &cache, &dir.path().join("r1"));
    let file = only_file(&cache);
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &file).unwrap();
    let (v, err) = analyze_json(&acts, &cache, &dir.path().join("r2"));
    assert_eq!(v["run"]["files_read"], 3);
    assert!(err.contains("character device"), "{err}");
    std::fs::remove_file(&file).unwrap();
    mkfifo(&file);
    let (v, err) = analyze_json(&acts, &cache, &dir.path().join("r3"));
    assert_eq!(v["run"]["files_read"], 3);
    assert!(err.contains("FIFO"), "{err}");
}

/// A file that changes while it is being read (a sync finishing) is used as read but not
/// cached: the next run reads it again and sees its new content.
#[test]
fn a_file_changed_while_read_is_not_cached() {
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let f = acts.join("run.gpx");
    std::fs::write(&f, gpx("2026-10-01", 300)).unwrap();
    let opts = BatchOptions {
        progress: false,
        cache_dir: Some(dir.path().join("cache")),
        cache_tag: "t".into(),
    };
    let grown = gpx("2026-10-01", 600);
    let first = ingest_all(std::slice::from_ref(&acts), &opts, |a| {
        // The sync finishes while racegap holds the old content.
        std::fs::write(&f, &grown).unwrap();
        a.samples.len()
    });
    assert_eq!(first.items.len(), 1);
    assert_eq!(first.items[0].1, 300);
    assert!(first
        .cache_note
        .unwrap()
        .contains("changed while being read"));
    let second = ingest_all(std::slice::from_ref(&acts), &opts, |a| a.samples.len());
    assert_eq!(second.files_read, 1, "read again, not taken from the cache");
    assert_eq!(second.items[0].1, 600);
}

/// A ride of 43.7 km with one timestamp 18,984 hours ahead: every kilometre and metre of
/// climbing stays (it kept 1.1 km when the rest of the ride looked like it came before).
#[test]
fn one_glitched_timestamp_keeps_the_whole_recording() {
    let a = |glitch: bool| {
        let mut a =
            racegap::model::Activity::new(PathBuf::from("ride.fit"), racegap::model::Format::Fit);
        a.sport = racegap::model::Sport::Cycling;
        a.elevation_source = racegap::model::ElevationSource::Barometric;
        for i in 0..7_000i64 {
            let x = i as f64 * 6.25; // 22.5 km/h, one point a second
            a.samples.push(racegap::model::Sample {
                time_ms: Some(1_700_000_000_000 + i * 1000),
                lat_deg: Some(45.0 + x / 110_574.0),
                lon_deg: Some(6.0),
                elevation_m: Some(
                    200.0 + 73.0 * (1.0 - (x / 43_750.0 * std::f64::consts::TAU).cos()),
                ),
                ..Default::default()
            });
        }
        if glitch {
            a.samples[400].time_ms = Some(1_700_000_000_000 + 18_984 * 3_600_000);
        }
        a
    };
    let cfg = racegap::track::MetricsConfig::default();
    let clean = racegap::track::compute(&a(false), &cfg);
    let glitched = racegap::track::compute(&a(true), &cfg);
    assert!(clean.distance_m > 43_000.0, "{}", clean.distance_m);
    assert!(
        (glitched.distance_m - clean.distance_m).abs() < 20.0,
        "{} vs {}",
        glitched.distance_m,
        clean.distance_m
    );
    let (c, g) = (clean.ascent_m.unwrap(), glitched.ascent_m.unwrap());
    assert!((g - c).abs() < 2.0 && c > 140.0, "{g} vs {c}");
    assert!((glitched.moving_s - clean.moving_s).abs() < 5.0);
    assert!(glitched.problems.iter().any(|p| p.contains("clock glitch")));
}

/// The cache is never written among the runner's files or inside the report.
#[test]
fn a_cache_folder_in_the_inputs_or_the_report_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let acts = small_history(dir.path());
    let before: Vec<_> = std::fs::read_dir(&acts)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    for cache in [
        acts.clone(),
        acts.join("cache"),
        dir.path().to_path_buf(),
        dir.path().join("report/cache"),
    ] {
        let o = racegap()
            .args(["analyze", "--format", "svg", "--cache-dir"])
            .arg(&cache)
            .arg("--out")
            .arg(dir.path().join("report"))
            .arg(&acts)
            .output()
            .unwrap();
        let err = stderr_of(&o);
        assert_eq!(o.status.code(), Some(2), "{}: {err}", cache.display());
        assert!(err.contains("--cache-dir"), "{err}");
    }
    let after: Vec<_> = std::fs::read_dir(&acts)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after);
}

/// Runs whose dates cannot be trusted make no calendar of their own (it was a week of
/// 1969-12-29 holding a run "of 1970").
#[test]
fn runs_with_untrusted_dates_make_no_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    std::fs::write(acts.join("unset-clock.gpx"), gpx("1995-06-01", 300)).unwrap();
    std::fs::write(acts.join("epoch.gpx"), gpx("1970-01-01", 300)).unwrap();
    let (code, v, err) = common::analyze_json(
        dir.path(),
        [OsStr::new("--out"), OsStr::new("report"), acts.as_os_str()],
    );
    assert!(code.unwrap() <= 1, "{err}");
    assert_eq!(v["inputs"]["activities"], 2);
    assert_eq!(v["weeks"].as_array().unwrap().len(), 0, "{}", v["weeks"]);
}
