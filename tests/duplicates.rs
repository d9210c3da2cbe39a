//! The same run exported twice counts once, even when the copies start minutes apart: a
//! watch's FIT and the Garmin Connect GPX of it, which starts at the first GPS fix.

mod common;

use assert_cmd::Command;
use racegap::ingest::read_path;
use racegap::ingest::time::format_ms;

/// The GPX a service would export of `fit`'s run, starting `late_s` after the watch did.
fn late_gpx(fit: &std::path::Path, late_s: i64) -> String {
    let a = read_path(fit).unwrap().remove(0);
    let t0 = a.start_ms().unwrap();
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"Garmin Connect\"><trk><type>running</type><trkseg>\n",
    );
    for p in &a.samples {
        let (Some(t), Some(la), Some(lo)) = (p.time_ms, p.lat_deg, p.lon_deg) else {
            continue;
        };
        if t < t0 + late_s * 1000 {
            continue;
        }
        s.push_str(&format!(
            "<trkpt lat=\"{la:.7}\" lon=\"{lo:.7}\"><ele>{:.1}</ele><time>{}</time></trkpt>\n",
            p.elevation_m.unwrap_or(0.0),
            format_ms(t, None)
        ));
    }
    s.push_str("</trkseg></trk></gpx>\n");
    s
}

#[test]
fn a_fit_and_a_gpx_of_one_run_twelve_minutes_apart_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let src = common::sample_data().join("activities");
    let fit = src.join("2026-10-04-long-run.fit");
    std::fs::copy(&fit, acts.join("long-run.fit")).unwrap();
    std::fs::write(acts.join("long-run-connect.gpx"), late_gpx(&fit, 720)).unwrap();
    // Another run the same day at another time stays.
    std::fs::copy(src.join("2026-10-03-easy.tcx"), acts.join("easy.tcx")).unwrap();
    let o = Command::cargo_bin("racegap")
        .unwrap()
        .args([
            "analyze",
            "--no-cache",
            "--format",
            "svg",
            "--json",
            "--out",
        ])
        .arg(dir.path().join("report"))
        .arg(&acts)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["inputs"]["activities"], 2);
    let dups = v["inputs"]["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1);
    assert!(dups[0]["kept"].as_str().unwrap().ends_with("long-run.fit"));
    assert!(dups[0]["dropped"]
        .as_str()
        .unwrap()
        .ends_with("long-run-connect.gpx"));
    let why = dups[0]["reason"].as_str().unwrap();
    assert!(
        why.contains("starts 12:0") && why.contains("the same places"),
        "{why}"
    );
    // The long run is counted once in its week.
    let weeks = v["weeks"].as_array().unwrap();
    let long_runs: u64 = weeks.iter().map(|w| w["long_runs"].as_u64().unwrap()).sum();
    let runs: u64 = weeks.iter().map(|w| w["runs"].as_u64().unwrap()).sum();
    assert_eq!(runs, 2);
    assert!(long_runs <= 1);
}
