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
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let first = run("r1");
    let second = run("r2");
    assert_eq!(second["run"]["files_read"], 0);
    assert_eq!(second["run"]["cache_hits"], 1);
    assert_eq!(first["activities"], second["activities"]);
}
