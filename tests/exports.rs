//! Exports as services ship them, built at test time from the sample data and the shared
//! corpus: a Strava bulk export and a Garmin Connect export (nested zips) read in place
//! give the same activities, metrics and report as the unpacked files; broken archives (a
//! zip bomb, ten nested levels, an encrypted entry, a destroyed central directory) are
//! refused by name while every other file is still read.

mod common;

use std::ffi::OsStr;
use std::io::{Cursor, Write};
use std::path::Path;
use zip::write::SimpleFileOptions;

/// A file's name and bytes.
type Named = (String, Vec<u8>);

fn zip_of(entries: &[Named]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(name.as_str(), SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn sample_files() -> Vec<(String, Vec<u8>)> {
    common::files(&common::sample_data().join("activities"), &[""])
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// `analyze --json` of `input` against the sample race: (exit code, summary, stderr).
fn analyze(cwd: &Path, input: &Path, out: &str) -> (Option<i32>, serde_json::Value, String) {
    let race = common::sample_data().join("race/race.toml");
    let out = cwd.join(out);
    common::analyze_json(
        cwd,
        [
            OsStr::new("--race"),
            race.as_os_str(),
            OsStr::new("--out"),
            out.as_os_str(),
            input.as_os_str(),
        ],
    )
}

/// The activities of a summary with their paths cut to the file name, in start order.
fn activities(v: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut acts: Vec<serde_json::Value> = v["activities"].as_array().unwrap().clone();
    for a in &mut acts {
        let p = a["path"].as_str().unwrap();
        let name = p.rsplit(['/', '!']).next().unwrap().to_string();
        a["path"] = serde_json::Value::String(name);
        if let Some(m) = a["metrics"].as_object_mut() {
            m.remove("label");
        }
    }
    acts.sort_by_key(|a| a.to_string());
    acts
}

/// The first place two JSON values differ, as a pointer with both values.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value::{Array, Object};
    match (a, b) {
        (Object(x), Object(y)) => x
            .iter()
            .find_map(|(k, v)| {
                first_difference(
                    v,
                    y.get(k).unwrap_or(&serde_json::Value::Null),
                    format!("{at}/{k}"),
                )
            })
            .or_else(|| (x.len() != y.len()).then(|| format!("{at}: keys differ"))),
        (Array(x), Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} vs {b}")),
    }
}

/// Asserts two lists of activities are equal, naming the first that differs.
fn same_activities(a: &[serde_json::Value], b: &[serde_json::Value]) {
    assert_eq!(a.len(), b.len(), "activity counts");
    for (x, y) in a.iter().zip(b) {
        if x != y {
            let keys: Vec<String> = x
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, v)| y.get(k.as_str()) != Some(v))
                .map(|(k, v)| format!("{k}: {v} vs {}", y[k.as_str()]))
                .collect();
            panic!(
                "{}: {}",
                x["path"],
                keys.join("; ").chars().take(2000).collect::<String>()
            );
        }
    }
}

/// A Strava bulk export as downloaded: `activities/`, an `activities.csv` whose headers
/// are in German, photos under `media/`. Read in place it gives the report of the
/// unpacked folder, with Strava's names.
#[test]
fn a_strava_export_reads_like_its_unpacked_folder() {
    let dir = tempfile::tempdir().unwrap();
    let files = sample_files();
    let mut csv = String::from(
        "Aktivitäts-ID,Aktivitätsdatum,Aktivitätsname,Aktivitätsart,Aktivitätsbeschreibung,Verstrichene Zeit,Distanz,Maximale Herzfrequenz,Relative Leistung,Pendelfahrt,Private Notiz,Ausrüstung,Dateiname\n",
    );
    for (i, (name, _)) in files.iter().enumerate() {
        let kind = if name.contains("ride") {
            "Radfahrt"
        } else {
            "Lauf"
        };
        csv.push_str(&format!(
            "{i},\"1. Jan. 2026\",Lauf Nummer {i},{kind},,3600,10,,,false,,,activities/{name}\n"
        ));
    }
    let mut entries: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(n, b)| (format!("activities/{n}"), b.clone()))
        .collect();
    entries.push(("activities.csv".into(), csv.clone().into_bytes()));
    entries.push((
        "media/photo.jpg".into(),
        vec![0xff, 0xd8, 0xff, 0xe0, 1, 2, 3],
    ));
    entries.push(("profile.csv".into(), b"Athlete ID\n1\n".to_vec()));
    let archive = dir.path().join("export_12345.zip");
    std::fs::write(&archive, zip_of(&entries)).unwrap();
    // The same export unpacked.
    let unpacked = dir.path().join("unpacked");
    std::fs::create_dir_all(unpacked.join("activities")).unwrap();
    for (n, b) in &files {
        std::fs::write(unpacked.join("activities").join(n), b).unwrap();
    }
    std::fs::write(unpacked.join("activities.csv"), &csv).unwrap();

    let (code_a, a, err_a) = analyze(dir.path(), &archive, "ra");
    let (code_b, b, err_b) = analyze(dir.path(), &unpacked, "rb");
    assert_eq!(code_a, Some(0), "{err_a}");
    assert_eq!(code_b, Some(0), "{err_b}");
    assert_eq!(a["inputs"]["activities"], 89);
    same_activities(&activities(&a), &activities(&b));
    // Paths name the archive's entry where the folder's name the file.
    let moved = |v: &serde_json::Value| -> serde_json::Value {
        serde_json::from_str(&v.to_string().replace("export_12345.zip!", "unpacked/")).unwrap()
    };
    for k in ["analysis", "weeks", "demands"] {
        assert_eq!(first_difference(&moved(&a[k]), &b[k], k.into()), None);
    }
    // Every entry is named inside the archive, and Strava's German names and types apply.
    let first = &a["activities"][0];
    let path = first["path"].as_str().unwrap();
    assert!(path.contains("export_12345.zip!activities/"), "{path}");
    assert!(
        first["name"].as_str().unwrap().starts_with("Lauf Nummer "),
        "{first}"
    );
    let ignored: Vec<&str> = a["inputs"]["ignored"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        ignored
            .iter()
            .any(|p| p.ends_with("export_12345.zip!media/photo.jpg")),
        "{ignored:?}"
    );
}

/// Corpus FIT activity files named as Garmin names them, plus the device's settings and
/// monitoring files, in `UploadedFiles_0-_Part1.zip` inside the export, with the
/// activities' names in `summarizedActivities`.
fn garmin_export(corpus: &Path) -> (Vec<Named>, Vec<Named>) {
    let mut fits = Vec::new();
    let mut summaries = Vec::new();
    let rows = common::device_totals(corpus);
    for (i, row) in rows.iter().filter(|r| !r["sport"].is_empty()).enumerate() {
        let id = 9_000_000_000u64 + i as u64;
        let bytes = std::fs::read(corpus.join("fit").join(&row["file"])).unwrap();
        fits.push((format!("runner@example.com_{id}.fit"), bytes));
        summaries.push(format!(
            "{{\"activityId\":{id},\"name\":\"Garmin activity {i}\"}}"
        ));
    }
    let mut others = Vec::new();
    for f in [
        "Settings.fit",
        "MonitoringFile.fit",
        "WeightScaleSingleUser.fit",
    ] {
        others.push((
            format!("runner@example.com_{f}"),
            std::fs::read(corpus.join("fit").join(f)).unwrap(),
        ));
    }
    let mut inner_entries = fits.clone();
    inner_entries.extend(others);
    let inner = zip_of(&inner_entries);
    let json = format!(
        "[{{\"summarizedActivitiesExport\":[{}]}}]",
        summaries.join(",")
    );
    let outer = vec![
        (
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip".to_string(),
            inner,
        ),
        (
            "DI_CONNECT/DI-Connect-Fitness/runner@example.com_0_summarizedActivities.json"
                .to_string(),
            json.into_bytes(),
        ),
        (
            "DI_CONNECT/DI-Connect-User/user_profile.json".to_string(),
            b"{}".to_vec(),
        ),
    ];
    (outer, fits)
}

#[test]
fn a_garmin_export_reads_its_nested_uploads() {
    let Some(corpus) = common::corpus("a_garmin_export_reads_its_nested_uploads") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (outer, fits) = garmin_export(&corpus);
    let archive = dir.path().join("garmin-export.zip");
    std::fs::write(&archive, zip_of(&outer)).unwrap();
    let folder = dir.path().join("fits");
    std::fs::create_dir(&folder).unwrap();
    for (n, b) in &fits {
        std::fs::write(folder.join(n), b).unwrap();
    }
    let (code_a, a, err_a) = analyze(dir.path(), &archive, "ra");
    let (code_b, b, err_b) = analyze(dir.path(), &folder, "rb");
    assert_eq!(code_a, code_b, "{err_a}\n{err_b}");
    assert_eq!(a["inputs"]["skipped"], b["inputs"]["skipped"]);
    let strip_names = |v: &serde_json::Value| {
        let mut acts = activities(v);
        for a in &mut acts {
            a.as_object_mut().unwrap().remove("name");
        }
        acts
    };
    same_activities(&strip_names(&a), &strip_names(&b));
    assert!(a["inputs"]["activities"].as_u64().unwrap() >= 20);
    // Named from the summaries; the device's other files are not activities, not skips.
    let path = a["activities"][0]["path"].as_str().unwrap();
    assert!(
        path.starts_with(&format!(
            "{}!DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!runner@example.com_",
            archive.display()
        )),
        "{path}"
    );
    assert!(a["activities"].as_array().unwrap().iter().all(|x| x["name"]
        .as_str()
        .unwrap_or("")
        .starts_with("Garmin activity ")));
    let ignored = a["inputs"]["ignored"].to_string();
    assert!(
        ignored.contains("runner@example.com_Settings.fit"),
        "{ignored}"
    );
    // The export unpacked once (its upload zips left as they are): the same activities,
    // named from the summaries on disk.
    let unpacked = dir.path().join("garmin-unpacked");
    for (name, bytes) in &outer {
        let p = unpacked.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let (code_c, c, err_c) = analyze(dir.path(), &unpacked, "rc");
    assert_eq!(code_c, code_a, "{err_c}");
    same_activities(&strip_names(&c), &strip_names(&a));
    assert!(c["activities"].as_array().unwrap().iter().all(|x| x["name"]
        .as_str()
        .unwrap_or("")
        .starts_with("Garmin activity ")));
}

/// A zip bomb entry, ten archives nested in each other, an encrypted entry and an archive
/// whose central directory is gone: each refused with a clear error naming it, and every
/// other file (inside those archives too) still read.
#[test]
fn broken_archives_are_refused_by_name_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("runs");
    std::fs::create_dir(&runs).unwrap();
    let files = sample_files();
    let gpx = |i: usize| {
        files
            .iter()
            .filter(|(n, _)| n.ends_with(".gpx"))
            .nth(i)
            .unwrap()
            .clone()
    };
    std::fs::write(runs.join(&gpx(0).0), &gpx(0).1).unwrap();
    // 1. A bomb: 16 MB of zeros in one entry, beside a good run.
    let bomb = zip_of(&[("zeros.fit".into(), vec![0u8; 16 << 20]), gpx(1)]);
    std::fs::write(runs.join("bomb.zip"), bomb).unwrap();
    // 2. Ten levels of nesting, a run at the first level and one at the bottom.
    let mut deep = zip_of(&[gpx(2)]);
    for level in (1..10).rev() {
        let mut entries = vec![(format!("level{level}.zip"), deep)];
        if level == 1 {
            entries.push(gpx(3));
        }
        deep = zip_of(&entries);
    }
    std::fs::write(runs.join("deep.zip"), deep).unwrap();
    // 3. An encrypted entry (its flag set in both headers) beside a good run.
    let mut enc = zip_of(&[("secret.gpx".into(), gpx(4).1), gpx(5)]);
    enc[6] |= 1;
    let central = enc.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    enc[central + 8] |= 1;
    std::fs::write(runs.join("enc.zip"), enc).unwrap();
    // 4. The central directory destroyed (the end record cut off).
    let mut corrupt = zip_of(&[gpx(6)]);
    corrupt.truncate(corrupt.len() - 22);
    std::fs::write(runs.join("corrupt.zip"), corrupt).unwrap();

    let (code, v, err) = analyze(dir.path(), &runs, "r");
    assert_eq!(code, Some(1), "{err}");
    let skipped: Vec<(String, String)> = v["inputs"]["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let p = s["path"].as_str().unwrap();
            let rel = p.rsplit_once("/runs/").map(|(_, r)| r).unwrap_or(p);
            (
                rel.to_string(),
                s["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let find = |path: &str, words: &str| {
        assert!(
            skipped.iter().any(|(p, m)| p == path && m.contains(words)),
            "{path}: {words}: {skipped:#?}"
        );
    };
    find("bomb.zip!zeros.fit", "zip bomb");
    find(
        "deep.zip!level1.zip!level2.zip!level3.zip",
        "nested more than 3 deep",
    );
    find("enc.zip!secret.gpx", "encrypted");
    find("corrupt.zip", "not a readable zip archive");
    assert_eq!(skipped.len(), 4, "{skipped:#?}");
    // The loose run, the bomb's neighbour, the first nested level's run and the
    // encrypted entry's neighbour.
    assert_eq!(v["inputs"]["activities"], 4, "{err}");
    for line in ["bomb.zip!zeros.fit", "enc.zip!secret.gpx", "corrupt.zip"] {
        assert!(err.contains(line), "{line} not named on stderr: {err}");
    }
}

/// An unchanged archive is not read again: the second run takes everything from the
/// cache and reports the same.
#[test]
fn an_unchanged_archive_comes_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let entries: Vec<(String, Vec<u8>)> = sample_files()
        .into_iter()
        .take(12)
        .map(|(n, b)| (format!("activities/{n}"), b))
        .collect();
    let archive = dir.path().join("export.zip");
    std::fs::write(&archive, zip_of(&entries)).unwrap();
    let cache = dir.path().join("cache");
    let run = |out: &str| -> serde_json::Value {
        let o = assert_cmd::Command::cargo_bin("racegap")
            .unwrap()
            .args(["analyze", "--format", "svg", "--json", "--cache-dir"])
            .arg(&cache)
            .arg("--out")
            .arg(dir.path().join(out))
            .arg(&archive)
            .output()
            .unwrap();
        serde_json::from_slice(&common::succeeded(o)).unwrap()
    };
    let first = run("r1");
    let second = run("r2");
    assert_eq!(second["run"]["files_read"], 0);
    assert_eq!(second["run"]["cache_hits"], 1);
    assert_eq!(first["activities"], second["activities"]);
}

/// An Apple Health export written by hand following Apple's format (the DOCTYPE with its
/// internal subset, `Record`, `Workout` with `MetadataEntry`, `WorkoutStatistics`,
/// `WorkoutRoute`/`FileReference`): an outdoor run whose route is a sample GPX, an indoor
/// treadmill run without a route (with heart-rate records inside it), and a ride.
fn apple_export() -> (String, Vec<u8>) {
    let route =
        std::fs::read(common::sample_data().join("activities/2026-07-22-easy.gpx")).unwrap();
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 13 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
]>
<HealthData locale="en_GB">
 <ExportDate value="2026-08-01 10:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-01-01" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
HEART_RATE
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="59.45" durationUnit="min" totalDistance="10.15" totalDistanceUnit="km" totalEnergyBurned="650" totalEnergyBurnedUnit="kcal" sourceName="Apple Watch" creationDate="2026-07-22 08:00:00 +0100" startDate="2026-07-22 07:00:00 +0100" endDate="2026-07-22 07:59:27 +0100">
  <MetadataEntry key="HKIndoorWorkout" value="0"/>
  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="2026-07-22 07:00:00 +0100" duration="10" durationUnit="min"/>
  <WorkoutRoute sourceName="Apple Watch" creationDate="2026-07-22 08:00:00 +0100" startDate="2026-07-22 07:00:00 +0100" endDate="2026-07-22 07:59:27 +0100">
   <MetadataEntry key="HKMetadataKeySyncVersion" value="2"/>
   <FileReference path="/workout-routes/route_2026-07-22_7.59am.gpx"/>
  </WorkoutRoute>
 </Workout>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30" durationUnit="min" sourceName="Apple Watch" creationDate="2026-07-24 18:31:00 +0100" startDate="2026-07-24 18:00:00 +0100" endDate="2026-07-24 18:30:00 +0100">
  <MetadataEntry key="HKIndoorWorkout" value="1"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" startDate="2026-07-24 18:00:00 +0100" endDate="2026-07-24 18:30:00 +0100" sum="5" unit="km"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" startDate="2026-07-24 18:00:00 +0100" endDate="2026-07-24 18:30:00 +0100" sum="330" unit="kcal"/>
 </Workout>
 <Workout workoutActivityType="HKWorkoutActivityTypeCycling" duration="45" durationUnit="min" totalDistance="20" totalDistanceUnit="km" sourceName="Apple Watch" startDate="2026-07-26 09:00:00 +0100" endDate="2026-07-26 09:45:00 +0100"/>
</HealthData>
"#;
    // The watch's heart rate every 5 s of the treadmill run: 140, then 150, then 160 bpm
    // for ten minutes each.
    let mut records = String::new();
    for k in 0..360 {
        let (m, sec) = (k * 5 / 60, k * 5 % 60);
        let bpm = 140 + 10 * (k / 120);
        records.push_str(&format!(
            " <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"Watch\" unit=\"count/min\" creationDate=\"2026-07-24 18:{m:02}:{sec:02} +0100\" startDate=\"2026-07-24 18:{m:02}:{sec:02} +0100\" endDate=\"2026-07-24 18:{m:02}:{sec:02} +0100\" value=\"{bpm}\"/>\n"
        ));
    }
    (xml.replace("HEART_RATE\n", &records), route)
}

fn check_apple(v: &serde_json::Value, err: &str) {
    let acts = v["activities"].as_array().unwrap();
    assert_eq!(acts.len(), 3, "{err}");
    let by_start = |day: &str| {
        acts.iter()
            .find(|a| a["start_utc"].as_str().unwrap().starts_with(day))
            .unwrap_or_else(|| panic!("no activity on {day}: {acts:?}"))
    };
    // The outdoor run: the route's GPX gives the samples, so the metrics are those of the
    // GPX read on its own (10,145.7 m by GPS, 23.6 m of climbing); the workout's total is
    // the distance quoted.
    let run = by_start("2026-07-22");
    assert!(run["path"]
        .as_str()
        .unwrap()
        .ends_with("workout-routes/route_2026-07-22_7.59am.gpx"));
    assert_eq!(run["sport"], "running");
    assert_eq!(run["format"], "Apple Health");
    let m = &run["metrics"];
    assert!(
        (m["gps_distance_m"].as_f64().unwrap() - 10_145.7).abs() < 1.0,
        "{m}"
    );
    assert!((m["ascent_m"].as_f64().unwrap() - 23.6).abs() < 0.5, "{m}");
    assert_eq!(m["distance_m"], 10_150.0);
    assert_eq!(run["utc_offset_s"], 3600);
    // The treadmill run: 5 km in 30 minutes from the workout's totals, heart rate from
    // the records inside it (140, 150, 160 held for 10 minutes each).
    let tread = by_start("2026-07-24");
    let m = &tread["metrics"];
    assert_eq!(tread["counts_as_run"], true);
    assert_eq!(m["distance_m"], 5000.0);
    assert!(
        (m["moving_s"].as_f64().unwrap() - 1800.0).abs() < 1.0,
        "{m}"
    );
    let hr = m["heart_rate"]["mean_bpm"].as_f64().unwrap();
    assert!((hr - 150.0).abs() < 0.5, "{hr}");
    // Its pace inside is unknown: no best effort, no fade made up from the totals.
    assert_eq!(m["best_efforts"], serde_json::json!([]));
    assert!(m["fade_pct"].is_null(), "{m}");
    assert!(
        (m["pace_s_per_km"].as_f64().unwrap() - 360.0).abs() < 0.5,
        "{m}"
    );
    // The ride is read and not counted as a run.
    let ride = by_start("2026-07-26");
    assert_eq!(ride["sport"], "cycling");
    assert_eq!(ride["counts_as_run"], false);
}

#[test]
fn an_apple_health_export_reads_its_workouts_zipped_or_unpacked() {
    let dir = tempfile::tempdir().unwrap();
    let (xml, route) = apple_export();
    let entries = vec![
        (
            "apple_health_export/export.xml".to_string(),
            xml.clone().into_bytes(),
        ),
        (
            "apple_health_export/export_cda.xml".to_string(),
            b"<ClinicalDocument/>".to_vec(),
        ),
        (
            "apple_health_export/workout-routes/route_2026-07-22_7.59am.gpx".to_string(),
            route.clone(),
        ),
    ];
    let zipped = dir.path().join("export.zip");
    std::fs::write(&zipped, zip_of(&entries)).unwrap();
    let unpacked = dir.path().join("apple_health_export");
    std::fs::create_dir_all(unpacked.join("workout-routes")).unwrap();
    std::fs::write(unpacked.join("export.xml"), &xml).unwrap();
    std::fs::write(unpacked.join("export_cda.xml"), b"<ClinicalDocument/>").unwrap();
    std::fs::write(
        unpacked.join("workout-routes/route_2026-07-22_7.59am.gpx"),
        &route,
    )
    .unwrap();
    for input in [&zipped, &unpacked] {
        let out = dir.path().join("r");
        let (code, v, err) = common::analyze_json(
            dir.path(),
            [OsStr::new("--out"), out.as_os_str(), input.as_os_str()],
        );
        assert_eq!(code, Some(0), "{}: {err}", input.display());
        check_apple(&v, &err);
    }
}

/// A zip made on a Mac carries `__MACOSX/._name` resource forks beside each file: they are
/// not activities and not worth a message. A report folder racegap wrote beside an archive
/// is not read back as input on the next run over that folder.
#[test]
fn mac_litter_and_racegaps_own_reports_are_not_input() {
    let dir = tempfile::tempdir().unwrap();
    let files = sample_files();
    let gpx = files.iter().find(|(n, _)| n.ends_with(".gpx")).unwrap();
    let entries = vec![
        (format!("export/{}", gpx.0), gpx.1.clone()),
        (
            format!("__MACOSX/export/._{}", gpx.0),
            vec![0, 5, 22, 7, 0, 2, 0, 0],
        ),
        (
            "export/.DS_Store".to_string(),
            vec![0, 0, 0, 1, 66, 117, 100, 49],
        ),
    ];
    let folder = dir.path().join("downloads");
    std::fs::create_dir(&folder).unwrap();
    let archive = folder.join("export.zip");
    std::fs::write(&archive, zip_of(&entries)).unwrap();
    let report = folder.join("report");
    let (code, v, err) = common::analyze_json(
        dir.path(),
        [OsStr::new("--out"), report.as_os_str(), archive.as_os_str()],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(v["inputs"]["activities"], 1);
    assert_eq!(v["inputs"]["skipped"], serde_json::json!([]));
    assert!(report.join(".racegap-report").is_file());
    // The folder now holds the archive and racegap's report: only the archive is read.
    let again = dir.path().join("again");
    let (code, v, err) = common::analyze_json(
        dir.path(),
        [OsStr::new("--out"), again.as_os_str(), folder.as_os_str()],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(v["inputs"]["activities"], 1);
    assert!(
        !v["inputs"]["ignored"].to_string().contains("report/"),
        "{}",
        v["inputs"]
    );
    assert!(
        v["inputs"]["metadata_problems"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{err}"
    );
}
