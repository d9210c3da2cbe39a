//! The command line end to end (assert_cmd): exit statuses, messages naming bad files, and
//! that one bad file never costs the others.

mod common;
#[path = "../examples/synth/mod.rs"]
mod synth;

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

fn racegap() -> Command {
    Command::cargo_bin("racegap").unwrap()
}

/// A report folder in a fresh temporary directory (kept for the test's lifetime).
fn scratch() -> std::path::PathBuf {
    let dir = tempfile::tempdir().unwrap().keep();
    dir.join("report")
}

fn copy(from: &Path, to: &Path) {
    fs::copy(from, to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
}

/// A folder of good files plus every kind of bad one the issue names.
fn mixed_folder() -> (tempfile::TempDir, usize) {
    let dir = tempfile::tempdir().unwrap();
    let acts = common::sample_data().join("activities");
    let good = [
        "2026-07-21-intervals.fit",
        "2026-07-22-easy.gpx",
        "2026-07-25-easy.tcx",
        "2026-10-21-easy.gpx.gz",
    ];
    for g in good {
        copy(&acts.join(g), &dir.path().join(g));
    }
    fs::write(dir.path().join("empty.gpx"), b"").unwrap();
    // Random bytes: a fixed xorshift stream, not a FIT header.
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    fs::write(dir.path().join("noise.fit"), noise).unwrap();
    let gpx = fs::read(acts.join("2026-07-29-easy.gpx")).unwrap();
    fs::write(dir.path().join("cut.gpx"), &gpx[..gpx.len() / 2]).unwrap();
    // A FIT settings file (not an activity), made by hand: header, file_id type=settings.
    fs::write(dir.path().join("settings.fit"), settings_fit()).unwrap();
    fs::write(dir.path().join("notes.txt"), b"not an activity").unwrap();
    (dir, good.len())
}

/// The smallest valid FIT file of type 'settings': a file_id message with type = 2.
fn settings_fit() -> Vec<u8> {
    let data: Vec<u8> = vec![
        0x40, 0, 0, 0, 0, 1, 0, 1,
        0x00, // definition: local 0, global 0 (file_id), field type
        0x00, 2, // data: type = settings
    ];
    synth::fit_file(data)
}

#[test]
fn analyze_skips_bad_files_names_them_and_keeps_the_good_ones() {
    let (dir, good) = mixed_folder();
    let out = racegap()
        .args(["analyze", "--no-cache", "--json", "--out"])
        .arg(scratch())
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("empty.gpx: file is empty"))
        .stderr(predicate::str::contains("noise.fit: FIT error at byte 0"))
        .stderr(predicate::str::contains("cut.gpx: XML error at line"))
        .stderr(predicate::str::contains(
            "settings.fit: not an activity: FIT file of type 'settings'",
        ))
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["activities"].as_array().unwrap().len(), good);
    let skipped: Vec<(&str, &str)> = v["inputs"]["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let p = s["path"].as_str().unwrap();
            (
                Path::new(p).file_name().unwrap().to_str().unwrap(),
                s["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        skipped,
        vec![
            ("cut.gpx", "xml"),
            ("empty.gpx", "empty"),
            ("noise.fit", "fit"),
            ("settings.fit", "not_activity"),
        ]
    );
    let ignored = v["inputs"]["ignored"].as_array().unwrap();
    assert_eq!(ignored.len(), 1);
    assert!(ignored[0].as_str().unwrap().ends_with("notes.txt"));
}

/// Every file under `dir`: its path, size, modification time, permissions and a hash of
/// its bytes.
fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, u64, std::time::SystemTime, u32, u64)> {
    use std::hash::{Hash, Hasher};
    use std::os::unix::fs::PermissionsExt;
    let mut v: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let m = fs::symlink_metadata(e.path()).unwrap();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            if m.is_file() {
                fs::read(e.path()).unwrap().hash(&mut h);
            }
            (
                e.path().to_path_buf(),
                m.len(),
                m.modified().unwrap(),
                m.permissions().mode(),
                h.finish(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Run as a user would, from the folder that holds their runs and race, with the default
/// report folder and the default cache (in a temporary home), twice: not one byte, time
/// stamp or permission of the inputs, the race file or the course changes, and the report
/// lands beside them.
#[test]
fn inputs_are_never_written() {
    let (runs, _) = mixed_folder();
    let work = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let inputs = work.path().join("runs");
    fs::create_dir(&inputs).unwrap();
    for f in fs::read_dir(runs.path()).unwrap() {
        let f = f.unwrap().path();
        copy(&f, &inputs.join(f.file_name().unwrap()));
    }
    let race = work.path().join("race");
    fs::create_dir(&race).unwrap();
    for f in ["race.toml", "course.gpx"] {
        copy(&common::sample_data().join("race").join(f), &race.join(f));
    }
    let before = (snapshot(&inputs), snapshot(&race));
    for _ in 0..2 {
        racegap()
            .current_dir(work.path())
            .env("HOME", home.path())
            .env_remove("XDG_CACHE_HOME")
            .args(["analyze", "runs", "--race", "race/race.toml"])
            .assert()
            .code(1);
    }
    assert_eq!((snapshot(&inputs), snapshot(&race)), before);
    assert!(work.path().join("racegap-report/index.html").is_file());
    assert!(
        home.path().join(".cache/racegap").is_dir(),
        "the default cache was used"
    );
}

#[test]
fn analyze_of_good_files_exits_zero_and_nothing_usable_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let acts = common::sample_data().join("activities");
    copy(&acts.join("2026-07-22-easy.gpx"), &dir.path().join("a.gpx"));
    racegap()
        .args(["analyze", "--no-cache"])
        .arg("--out")
        .arg(scratch())
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 activities read, 0 skipped"));
    let bad = tempfile::tempdir().unwrap();
    fs::write(bad.path().join("x.tcx"), b"<TrainingCenterDatabase>").unwrap();
    racegap()
        .args(["analyze", "--no-cache"])
        .arg("--out")
        .arg(scratch())
        .arg(bad.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("x.tcx: XML error at line 1"));
    racegap()
        .args(["analyze", "--no-cache", "/no/such/folder", "--out"])
        .arg(scratch())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/no/such/folder: no such file or folder",
        ));
}

#[test]
fn inspect_prints_what_was_read() {
    let f = common::sample_data().join("activities/2026-09-27-long-run.fit");
    racegap()
        .arg("inspect")
        .arg(&f)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("format          FIT"))
        .stdout(predicate::str::contains("device          garmin fr945"))
        .stdout(predicate::str::contains(
            "start           2026-09-27T07:30:01Z (local 2026-09-27T08:30:01+01:00)",
        ))
        .stdout(predicate::str::contains(
            "channels        time, position, elevation (barometric), heart rate, temperature, cadence, device distance",
        ))
        .stdout(predicate::str::contains("device totals   distance 32.00 km"));
}

#[test]
fn inspect_json_has_the_same_facts() {
    let f = common::sample_data().join("activities/2026-10-21-easy.gpx.gz");
    let out = racegap()
        .args(["inspect", "--json"])
        .arg(&f)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let a = &v[0]["activity"];
    assert_eq!(a["format"], "GPX");
    assert_eq!(a["gzipped"], true);
    assert_eq!(a["sport"], "running");
    assert_eq!(a["channels"]["heart_rate"], true);
    assert_eq!(a["channels"]["temperature"], true);
    assert_eq!(a["channels"]["power"], false);
    assert_eq!(a["elevation_source"], "GPS");
    assert!(a["samples"].as_u64().unwrap() > 500);
}

#[test]
fn the_same_run_exported_twice_counts_once() {
    let out = racegap()
        .args(["analyze", "--no-cache", "--json", "--out"])
        .arg(scratch())
        .arg(common::sample_data().join("activities"))
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let d = v["inputs"]["duplicates"].as_array().unwrap();
    assert_eq!(d.len(), 1);
    assert!(d[0]["dropped"]
        .as_str()
        .unwrap()
        .ends_with("-strava-copy.gpx"));
    assert!(d[0]["kept"].as_str().unwrap().ends_with(".fit"));
}

#[test]
fn strava_bulk_export_uses_activities_csv() {
    let dir = tempfile::tempdir().unwrap();
    let acts_dir = dir.path().join("activities");
    fs::create_dir(&acts_dir).unwrap();
    fs::create_dir(dir.path().join("routes")).unwrap();
    let src = common::sample_data().join("activities");
    // Strava gzips activity files and sometimes names a gzipped FIT plain `.fit`.
    let fit = fs::read(src.join("2026-07-26-long-run.fit")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &fit).unwrap();
    fs::write(acts_dir.join("111.fit"), gz.finish().unwrap()).unwrap();
    copy(&src.join("2026-07-31-easy.gpx"), &acts_dir.join("222.gpx"));
    copy(
        &common::sample_data().join("race/course.gpx"),
        &dir.path().join("routes/9.gpx"),
    );
    fs::write(
        dir.path().join("activities.csv"),
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Filename\n\
         111,\"Jul 26, 2026\",Sunday long one,Trail Run,5600,activities/111.fit\n\
         222,\"Jul 31, 2026\",Lunch jog,Run,2500,activities/222.gpx\n",
    )
    .unwrap();
    let out = racegap()
        .args(["analyze", "--no-cache", "--json", "--out"])
        .arg(scratch())
        .arg(dir.path())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let acts = v["activities"].as_array().unwrap();
    assert_eq!(acts.len(), 2);
    assert_eq!(acts[0]["name"], "Sunday long one");
    assert_eq!(acts[0]["sport_raw"], "Trail Run");
    assert_eq!(acts[0]["gzipped"], true);
    assert_eq!(acts[1]["name"], "Lunch jog");
    // The planned route is recognised, not counted as training, not an error.
    assert_eq!(v["inputs"]["routes"].as_array().unwrap().len(), 1);
}

#[test]
fn course_lists_aid_stations() {
    racegap()
        .arg("course")
        .arg(common::sample_data().join("race/course.gpx"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Aid stations:"))
        .stdout(predicate::str::contains("km   5.0  Aid 1 (5 km)"))
        .stdout(predicate::str::contains("km  42.2  Finish"));
}

/// `inspect`'s metric flags, against values worked out here from the file itself (read
/// with fitparser) and from how the sample runner was built (its long runs at 5:50 /km on
/// the flat).
#[test]
fn inspect_flags_change_what_they_say() {
    let f = common::sample_data().join("activities/2026-09-27-long-run.fit");
    let inspect = |flags: &[&str]| -> serde_json::Value {
        let o = racegap()
            .args(["inspect", "--json"])
            .args(flags)
            .arg(&f)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v[0]["metrics"].clone()
    };
    let plain = inspect(&[]);
    let m = inspect(&["--max-hr", "190", "--temperature-offset", "-4"]);

    // Heart-rate zones by share of 190 bpm (50-60-70-80-90 %), each record's heart rate
    // held over the interval before it.
    let records = fitparser::from_bytes(&fs::read(&f).unwrap()).unwrap();
    let points: Vec<(f64, f64)> = records
        .iter()
        .filter(|r| r.kind() == fitparser::profile::MesgNum::Record)
        .filter_map(|r| {
            let get = |n: &str| {
                r.fields()
                    .iter()
                    .find(|x| x.name() == n)
                    .map(|x| x.value().clone())
            };
            match (get("timestamp"), get("heart_rate")) {
                (Some(fitparser::Value::Timestamp(t)), Some(fitparser::Value::UInt8(hr))) => {
                    Some((t.timestamp() as f64, f64::from(hr)))
                }
                _ => None,
            }
        })
        .collect();
    let mut zones = [0.0f64; 5];
    let (mut beats, mut secs) = (0.0, 0.0);
    for w in points.windows(2) {
        let (dt, hr) = (w[1].0 - w[0].0, w[1].1);
        beats += hr * dt;
        secs += dt;
        if let Some(z) = [0.5, 0.6, 0.7, 0.8, 0.9]
            .iter()
            .rposition(|lo| hr >= lo * 190.0)
        {
            zones[z] += dt / 60.0;
        }
    }
    let got: Vec<f64> = m["heart_rate"]["zone_minutes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    for (z, (g, w)) in got.iter().zip(zones).enumerate() {
        assert!((g - w).abs() < 0.5, "zone {}: {g:.2} vs {w:.2} min", z + 1);
    }
    assert!(zones[2] > 100.0, "a long run mostly in zone 3: {zones:?}");
    assert!(
        plain["heart_rate"]["zone_minutes"].is_null(),
        "no zones without --max-hr"
    );
    let mean = m["heart_rate"]["mean_bpm"].as_f64().unwrap();
    assert!(
        (mean - beats / secs).abs() < 0.5,
        "{mean} vs {}",
        beats / secs
    );

    // The offset moves every temperature by exactly -4 °C.
    for k in ["mean_c", "max_c"] {
        let (a, b) = (
            plain["heat"][k].as_f64().unwrap(),
            m["heat"][k].as_f64().unwrap(),
        );
        assert!((a - 4.0 - b).abs() < 1e-9, "{k}: {a} -> {b}");
    }

    // Goal pace: the run's own 5:50 finds most of it; 5:00 none; 7:00 all of it at or
    // faster, little of it within 3 %.
    let km = |v: &serde_json::Value| v.as_f64().unwrap() / 1000.0;
    let at = inspect(&["--goal-pace", "5:50"]);
    assert!(
        km(&at["goal_pace"]["distance_m"]) > 24.0,
        "{}",
        at["goal_pace"]
    );
    let fast = inspect(&["--goal-pace", "5:00"]);
    assert!(
        km(&fast["goal_pace"]["distance_m"]) < 0.5,
        "{}",
        fast["goal_pace"]
    );
    assert!(
        km(&fast["goal_pace"]["at_or_faster_m"]) < 0.5,
        "{}",
        fast["goal_pace"]
    );
    let slow = inspect(&["--goal-pace", "7:00"]);
    assert!(
        km(&slow["goal_pace"]["at_or_faster_m"]) > 31.0,
        "{}",
        slow["goal_pace"]
    );
    assert!(
        km(&slow["goal_pace"]["distance_m"]) < 1.0,
        "{}",
        slow["goal_pace"]
    );
    assert!(
        plain["goal_pace"].is_null(),
        "no goal-pace figures without a goal"
    );
}
