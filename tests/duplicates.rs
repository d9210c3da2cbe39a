//! Each run counted once and dated where it was run. The same run exported twice counts
//! once, even when the copies start minutes apart: a watch's FIT and the Garmin Connect
//! GPX of it, which starts at the first GPS fix. A file in UTC gets the local date of the
//! place it was recorded.

mod common;

use racegap::calendar::format_ms;
use racegap::ingest::read_path;

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

/// `analyze --json` of `acts`, the report written under `dir`; it must exit 0.
fn analyze_json(dir: &std::path::Path, acts: &std::path::Path) -> serde_json::Value {
    let (code, v, err) =
        common::analyze_json(dir, ["--out".as_ref(), "report".as_ref(), acts.as_os_str()]);
    assert_eq!(code, Some(0), "{err}");
    v
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
    let v = analyze_json(dir.path(), &acts);
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

/// A GPX in UTC recorded in Sydney on Sunday 2021-03-28 at 21:00 UTC was run on Monday
/// morning there: its local date and week come from where it was recorded.
#[test]
fn a_file_in_utc_is_dated_where_it_was_run() {
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let mut gpx = String::from("<gpx version=\"1.1\"><trk><type>running</type><trkseg>");
    for i in 0..1800 {
        gpx.push_str(&format!(
            "<trkpt lat=\"{:.6}\" lon=\"151.21\"><time>{}</time></trkpt>",
            -33.87 + i as f64 * 3.0 / 111_000.0,
            format_ms(1_616_965_200_000 + i * 1000, None)
        ));
    }
    gpx.push_str("</trkseg></trk></gpx>");
    std::fs::write(acts.join("sydney.gpx"), gpx).unwrap();
    let v = analyze_json(dir.path(), &acts);
    let a = &v["activities"][0];
    assert_eq!(a["utc_offset_s"], 11 * 3600);
    assert_eq!(a["start_local"], "2021-03-29T08:00:00+11:00");
    assert_eq!(v["weeks"][0]["week_start"], "2021-03-29");
}

/// One folder given twice, in two spellings, is read once: no file is its own duplicate.
#[test]
fn a_folder_given_twice_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let src = common::sample_data().join("activities");
    for f in ["2026-10-03-easy.tcx", "2026-10-04-long-run.fit"] {
        std::fs::copy(src.join(f), acts.join(f)).unwrap();
    }
    let (code, v, err) =
        common::analyze_json(dir.path(), ["acts", "./acts/", "acts/.", "--out", "report"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(v["inputs"]["activities"], 2);
    assert_eq!(v["inputs"]["duplicates"].as_array().unwrap().len(), 0);
}

/// The sessions of one multisport file are never merged as copies of each other, whatever
/// their sports (a generic session and a running one overlapped in the corpus file).
#[test]
fn parts_of_one_file_are_never_duplicates() {
    let Some(corpus) = common::corpus("parts_of_one_file_are_never_duplicates") else {
        return;
    };
    let parts = read_path(&corpus.join("fit/activity-large-fenxi2-multisport.fit")).unwrap();
    assert!(parts.len() >= 2);
    let (kept, dups) = racegap::dedupe::dedupe(parts.clone());
    assert_eq!(kept.len(), parts.len(), "{dups:?}");
}
