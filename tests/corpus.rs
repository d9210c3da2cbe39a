//! Every real file in the shared corpus is read or refused with a clear message, and what is
//! read agrees with references nobody here wrote: the `gpx` crate for GPX coordinates,
//! Garmin's FitCSVTool for FIT records, and the devices' own session totals.

mod common;

use racegap::error::ReadError;
use racegap::ingest::read_path;
use racegap::model::{Activity, Sport};
use std::collections::HashMap;

#[test]
fn every_corpus_file_is_read_or_refused_with_a_reason() {
    let Some(corpus) = common::corpus("every_corpus_file_is_read_or_refused_with_a_reason") else {
        return;
    };
    let mut read = 0;
    let mut refused = 0;
    for sub in ["fit", "gpx", "tcx", "courses"] {
        for path in common::files(&corpus.join(sub), &[""]) {
            if path.extension().is_some_and(|e| e == "csv") {
                continue;
            }
            match read_path(&path) {
                Ok(acts) => {
                    assert!(!acts.is_empty(), "{}", path.display());
                    for a in &acts {
                        assert!(
                            !a.samples.is_empty() || !a.waypoints.is_empty(),
                            "{}",
                            path.display()
                        );
                    }
                    read += 1;
                }
                Err(e) => {
                    if let Some(why) = common::unclear(&e) {
                        panic!("{}: {why}", path.display());
                    }
                    refused += 1;
                }
            }
        }
    }
    eprintln!("corpus: {read} files read, {refused} refused with a reason");
    assert!(read >= 80, "only {read} files read");
}

/// Every activity named in device_totals.csv is read; the others are refused as non-activities.
#[test]
fn fit_activities_and_non_activities_are_told_apart() {
    let Some(corpus) = common::corpus("fit_activities_and_non_activities_are_told_apart") else {
        return;
    };
    for row in common::device_totals(&corpus) {
        let path = corpus.join("fit").join(&row["file"]);
        let r = read_path(&path);
        if row["sport"].is_empty() {
            match r {
                Err(ReadError::NotActivity(_)) => {}
                // A file of three untimed developer-data records is not an activity either.
                Err(ReadError::NoData(_)) => {}
                Ok(acts) => assert!(
                    acts.iter().all(Activity::is_route),
                    "{}: non-activity read as an activity",
                    row["file"]
                ),
                Err(e) => panic!("{}: unexpected {e}", row["file"]),
            }
        } else {
            let acts = r.unwrap_or_else(|e| panic!("{}: {e}", row["file"]));
            assert!(!acts.is_empty());
        }
    }
}

/// Records whose time lies inside a session that is not a transition, each session from
/// its start_time to its timestamp, by fitparser's decoding.
fn records_in_sessions(bytes: &[u8]) -> usize {
    let recs = fitparser_records(bytes).unwrap();
    let time = |r: &fitparser::FitDataRecord, n: &str| {
        r.fields()
            .iter()
            .find(|f| f.name() == n)
            .and_then(|f| match f.value() {
                fitparser::Value::Timestamp(t) => Some(t.timestamp()),
                _ => None,
            })
    };
    let spans: Vec<(i64, i64)> = recs
        .iter()
        .filter(|r| r.kind() == fitparser::profile::MesgNum::Session)
        .filter(|r| {
            !r.fields()
                .iter()
                .any(|f| f.name() == "sport" && f.value().to_string() == "transition")
        })
        .filter_map(|r| Some((time(r, "start_time")?, time(r, "timestamp")?)))
        .collect();
    recs.iter()
        .filter(|r| r.kind() == fitparser::profile::MesgNum::Record)
        .filter_map(|r| time(r, "timestamp"))
        .map(|t| spans.iter().filter(|(a, b)| *a <= t && t <= *b).count())
        .sum()
}

fn num(row: &HashMap<String, String>, key: &str) -> Option<f64> {
    row.get(key).and_then(|v| v.parse().ok())
}

/// The device's session totals come through unchanged, and the record counts match. For a
/// multisport file the reference reader reports the last session, which is our last part.
#[test]
fn fit_session_totals_and_record_counts_match_the_devices() {
    let Some(corpus) = common::corpus("fit_session_totals_and_record_counts_match_the_devices")
    else {
        return;
    };
    let mut checked = 0;
    for row in common::device_totals(&corpus) {
        if row["sport"].is_empty() {
            continue;
        }
        let acts = read_path(&corpus.join("fit").join(&row["file"])).unwrap();
        let last = acts.last().unwrap();
        let name = &row["file"];
        assert_eq!(
            last.sport.name(),
            Sport::parse(&row["sport"]).name(),
            "{name}: sport"
        );
        let t = last.device_totals;
        for (ours, key) in [
            (t.distance_m, "total_distance_m"),
            (t.ascent_m, "total_ascent_m"),
            (t.descent_m, "total_descent_m"),
        ] {
            match num(&row, key) {
                Some(want) => {
                    let got = ours.unwrap_or_else(|| panic!("{name}: no {key}"));
                    assert!((got - want).abs() < 0.01, "{name}: {key} {got} vs {want}");
                }
                None => assert!(ours.is_none(), "{name}: {key} {ours:?} not in reference"),
            }
        }
        let records: usize = row["records"].parse().unwrap();
        let total: usize = acts.iter().map(|a| a.samples.len()).sum();
        if acts
            .iter()
            .any(|a| a.warnings.iter().any(|w| w.contains("multisport")))
        {
            // Parts hold the records inside their (non-transition) sessions, each session
            // from its start_time to its own timestamp, as fitparser decodes them.
            let bytes = std::fs::read(corpus.join("fit").join(name)).unwrap();
            let want = records_in_sessions(&bytes);
            assert_eq!(
                total, want,
                "{name}: records in the non-transition sessions"
            );
            assert!(total < records, "{name}: {total} of {records}");
        } else {
            assert_eq!(total, records, "{name}: record count");
        }
        let has_temp = acts.iter().any(|a| a.channels().temperature);
        assert_eq!(
            has_temp,
            &row["has_temperature"] == "True",
            "{name}: temperature"
        );
        checked += 1;
    }
    eprintln!("device totals: {checked} FIT activities match");
    assert!(checked >= 20);
}

/// A file cut short by a crash keeps every record before the break and says so.
#[test]
fn truncated_fit_files_keep_their_records_with_a_warning() {
    let Some(corpus) = common::corpus("truncated_fit_files_keep_their_records_with_a_warning")
    else {
        return;
    };
    for name in [
        "activity-unexpected-eof.fit",
        "activity-settings-nodata.fit",
    ] {
        let acts = read_path(&corpus.join("fit").join(name)).unwrap();
        assert_eq!(acts.len(), 1);
        assert_eq!(acts[0].samples.len(), 14, "{name}");
        assert!(
            acts[0]
                .warnings
                .iter()
                .any(|w| w.contains("breaks off at byte")),
            "{name}: {:?}",
            acts[0].warnings
        );
    }
}

/// FitCSVTool's decoding of the `record` messages is the ground truth for our values.
#[test]
fn fit_records_match_fitcsvtool() {
    let Some(corpus) = common::corpus("fit_records_match_fitcsvtool") else {
        return;
    };
    let semicircle = 180.0 / 2_147_483_648.0;
    let mut values = 0;
    for csv_path in common::files(&corpus.join("fit"), &["-records.csv"]) {
        let fit_name = csv_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace("-records.csv", ".fit");
        let acts = read_path(&corpus.join("fit").join(&fit_name)).unwrap();
        // FitCSVTool leaves out records that carry nothing but a timestamp.
        let samples: Vec<_> = acts
            .iter()
            .flat_map(|a| a.samples.iter())
            .filter(|s| {
                let mut bare = **s;
                bare.time_ms = None;
                bare != racegap::model::Sample::default()
            })
            .collect();
        let mut rdr = csv::Reader::from_path(&csv_path).unwrap();
        let headers: Vec<String> = rdr
            .headers()
            .unwrap()
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
        let (lat, lon) = (col(&["position_lat"]), col(&["position_long"]));
        let alt = col(&["altitude"]);
        let hr = col(&["heart_rate", "Heart Rate [bpm]"]);
        let temp = col(&["temperature"]);
        let dist = col(&["distance", "Distance [m]"]);
        let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
        assert_eq!(samples.len(), rows.len(), "{fit_name}: record count");
        let cell = |row: &csv::StringRecord, c: Option<usize>| -> Option<f64> {
            c.and_then(|c| row.get(c))
                .and_then(|v| v.trim().parse().ok())
        };
        // The reference CSVs repeat the last value where a record lacks a field.
        let mut last: [Option<f64>; 6] = [None; 6];
        for (i, (s, row)) in samples.iter().zip(&rows).enumerate() {
            let ctx = format!("{fit_name} record {i}");
            let checks = [
                (s.lat_deg.map(|v| v / semicircle), cell(row, lat), 0.5),
                (s.lon_deg.map(|v| v / semicircle), cell(row, lon), 0.5),
                (s.elevation_m, cell(row, alt), 0.01),
                (s.heart_rate_bpm, cell(row, hr), 0.0),
                (s.temperature_c, cell(row, temp), 0.0),
                (s.device_distance_m, cell(row, dist), 0.011),
            ];
            for (k, (ours, want, tol)) in checks.into_iter().enumerate() {
                if ours.is_some() {
                    last[k] = ours;
                }
                if let Some(want) = want {
                    let got = ours
                        .or(last[k])
                        .unwrap_or_else(|| panic!("{ctx}: field {k} missing"));
                    assert!(
                        (got - want).abs() <= tol,
                        "{ctx}: field {k}: {got} vs {want}"
                    );
                    values += 1;
                }
            }
        }
    }
    eprintln!("FitCSVTool: {values} values match");
    assert!(values > 50_000, "only {values} values compared");
}

/// Corpus GPX files the `gpx` crate (0.10) refuses, so they cannot be compared.
const GPX_ORACLE_REFUSES: &[&str] = &[
    "gpx1.0_with_all_fields.gpx",
    "gpx1.1_with_all_fields.gpx",
    "track_with_speed.gpx",
    "unicode_with_bom.gpx",
];

/// The `gpx` crate is the oracle for coordinates, elevations and times.
#[test]
fn gpx_reader_agrees_with_the_gpx_crate() {
    let Some(corpus) = common::corpus("gpx_reader_agrees_with_the_gpx_crate") else {
        return;
    };
    let mut files = common::files(&corpus.join("gpx"), &[".gpx"]);
    files.extend(common::files(&corpus.join("courses"), &[".gpx"]));
    let mut compared_files = 0;
    let mut points = 0;
    let mut skipped = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let oracle = match gpx::read(&bytes[..]) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("SKIPPED {name}: the gpx crate cannot read it ({e})");
                skipped.push(name);
                continue;
            }
        };
        let track: Vec<&gpx::Waypoint> = oracle
            .tracks
            .iter()
            .flat_map(|t| t.segments.iter().flat_map(|s| s.points.iter()))
            .collect();
        let route: Vec<&gpx::Waypoint> =
            oracle.routes.iter().flat_map(|r| r.points.iter()).collect();
        let want = if track.is_empty() { route } else { track };
        let ours = match read_path(&path) {
            Ok(mut v) => v.remove(0),
            Err(ReadError::NoData(_)) => {
                assert!(want.is_empty() && oracle.waypoints.is_empty(), "{name}");
                compared_files += 1;
                continue;
            }
            Err(e) => panic!("{name}: gpx crate reads it, we say {e}"),
        };
        assert_eq!(ours.samples.len(), want.len(), "{name}: point count");
        for (i, (s, w)) in ours.samples.iter().zip(&want).enumerate() {
            let p = w.point();
            assert_eq!(s.lat_deg, Some(p.y()), "{name} #{i} lat");
            assert_eq!(s.lon_deg, Some(p.x()), "{name} #{i} lon");
            assert_eq!(s.elevation_m, w.elevation, "{name} #{i} ele");
            let t = w.time.map(|t| {
                let odt: time::OffsetDateTime = t.into();
                (odt.unix_timestamp_nanos() / 1_000_000) as i64
            });
            assert_eq!(s.time_ms, t, "{name} #{i} time");
            points += 1;
        }
        assert_eq!(
            ours.waypoints.len(),
            oracle.waypoints.len(),
            "{name}: waypoints"
        );
        for (a, b) in ours.waypoints.iter().zip(&oracle.waypoints) {
            assert_eq!(
                (a.lat_deg, a.lon_deg),
                (b.point().y(), b.point().x()),
                "{name}"
            );
            assert_eq!(a.elevation_m, b.elevation, "{name}");
            assert_eq!(a.name, b.name, "{name}");
        }
        compared_files += 1;
    }
    eprintln!(
        "gpx oracle: {compared_files} files, {points} points identical; {} skipped",
        skipped.len()
    );
    // The README quotes these figures; the skips are the files the oracle itself refuses.
    assert_eq!(
        skipped, GPX_ORACLE_REFUSES,
        "files the gpx crate cannot read"
    );
    assert_eq!((compared_files, points), (46, 63_438));
}

/// Heart rate and cadence from Garmin's TrackPointExtension come through for every point
/// that has them (counted independently in the raw text).
#[test]
fn gpx_extensions_are_kept() {
    let Some(corpus) = common::corpus("gpx_extensions_are_kept") else {
        return;
    };
    let path = corpus.join("gpx/garmin-activity.gpx");
    let text = std::fs::read_to_string(&path).unwrap();
    let a = read_path(&path).unwrap().remove(0);
    let with_hr = a
        .samples
        .iter()
        .filter(|s| s.heart_rate_bpm.is_some())
        .count();
    let with_cad = a.samples.iter().filter(|s| s.cadence_rpm.is_some()).count();
    assert_eq!(with_hr, text.matches("<ns3:hr>").count());
    assert_eq!(with_cad, text.matches("<ns3:cad>").count());
    // First point's values, read off the file.
    let first_hr: f64 = text
        .split("<ns3:hr>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(a.samples[0].heart_rate_bpm, Some(first_hr));
}

/// fitparser's own decoding of every message up to the end of the data, or up to where a
/// file cut short breaks off (racegap keeps those records too). Checksums are not what is
/// compared: a file with a wrong one is still decoded, as racegap keeps its data.
fn fitparser_records(bytes: &[u8]) -> Result<Vec<fitparser::FitDataRecord>, String> {
    use fitparser::de::{DecodeOption, FitObject, FitStreamProcessor};
    let mut p = FitStreamProcessor::new();
    p.add_option(DecodeOption::SkipHeaderCrcValidation);
    p.add_option(DecodeOption::SkipDataCrcValidation);
    // Composite fields are kept beside their expansion, so a record's
    // compressed_speed_distance can be recognised.
    p.add_option(DecodeOption::KeepCompositeFields);
    let mut records = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (next, obj) = match p.deserialize_next(rest) {
            Ok(v) => v,
            Err(e) if records.is_empty() => return Err(e.to_string()),
            Err(_) => break,
        };
        match obj {
            FitObject::Crc(_) => p.reset(),
            FitObject::DataMessage(m) => {
                records.push(p.decode_message(m).map_err(|e| e.to_string())?)
            }
            FitObject::Header(_) | FitObject::DefinitionMessage(_) => {}
        }
        rest = next;
    }
    Ok(records)
}

/// Corpus FIT files not compared with fitparser's decoding, each for the reason printed:
/// fitparser refuses it, racegap refuses it (not an activity), or it is split.
const FITPARSER_ORACLE_SKIPS: &[&str] = &[
    "DeveloperData.fit",
    "MonitoringFile.fit",
    "Settings.fit",
    "Settings2.fit",
    "WeightScaleMultiUser.fit",
    "WeightScaleSingleUser.fit",
    "WorkoutCustomTargetValues.fit",
    "WorkoutIndividualSteps.fit",
    "WorkoutRepeatGreaterThanStep.fit",
    "WorkoutRepeatSteps.fit",
    "nametest.FIT",
];

/// One record's values as a tuple of the sample's channels, for comparison.
type Channels = [Option<f64>; 10];

/// The channels racegap keeps, from fitparser's decoding of one record message: the profile's
/// names and scales, its expansion of `altitude` and `speed` into their enhanced forms, and
/// positions in semicircles. Records carrying `compressed_speed_distance` leave out distance
/// and speed (fitparser 0.11 does not accumulate it; see `fit_records_match_fitcsvtool`).
fn fitparser_channels(r: &fitparser::FitDataRecord) -> Channels {
    use fitparser::Value as V;
    let field = |n: &str| r.fields().iter().find(|f| f.name() == n).map(|f| f.value());
    let num = |n: &str| -> Option<f64> {
        Some(match field(n)? {
            V::Byte(x) | V::Enum(x) | V::UInt8(x) | V::UInt8z(x) => f64::from(*x),
            V::SInt8(x) => f64::from(*x),
            V::SInt16(x) => f64::from(*x),
            V::UInt16(x) | V::UInt16z(x) => f64::from(*x),
            V::SInt32(x) => f64::from(*x),
            V::UInt32(x) | V::UInt32z(x) => f64::from(*x),
            V::Float32(x) => f64::from(*x),
            V::Float64(x) => *x,
            _ => return None,
        })
        .filter(|x| x.is_finite())
    };
    let t = match field("timestamp") {
        Some(V::Timestamp(t)) => Some(t.timestamp_millis() as f64),
        _ => None,
    };
    let semi = 180.0 / 2_147_483_648.0;
    let (mut lat, mut lon) = (
        num("position_lat").map(|x| x * semi),
        num("position_long").map(|x| x * semi),
    );
    if !matches!((lat, lon), (Some(a), Some(o))
        if a.abs() <= 90.0 && o.abs() <= 180.0 && !(a == 0.0 && o == 0.0))
    {
        (lat, lon) = (None, None);
    }
    let compressed = field("compressed_speed_distance").is_some();
    let (dist, speed) = if compressed {
        (None, None)
    } else {
        (
            num("distance"),
            num("enhanced_speed").or_else(|| num("speed")),
        )
    };
    [
        t,
        lat,
        lon,
        num("enhanced_altitude").or_else(|| num("altitude")),
        num("heart_rate"),
        num("temperature"),
        num("cadence"),
        num("power"),
        dist,
        speed,
    ]
}

fn our_channels(s: &racegap::model::Sample, compressed: bool) -> Channels {
    let (dist, speed) = if compressed {
        (None, None)
    } else {
        (s.device_distance_m, s.device_speed_mps)
    };
    [
        s.time_ms.map(|t| t as f64),
        s.lat_deg,
        s.lon_deg,
        s.elevation_m,
        s.heart_rate_bpm,
        s.temperature_c,
        s.cadence_rpm,
        s.power_w,
        dist,
        speed,
    ]
}

/// Equal to a part in 10^12 (the profile's scales are applied in a different order).
fn same(a: &Channels, b: &Channels) -> bool {
    a.iter().zip(b).all(|(x, y)| match (x, y) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-12 * x.abs().max(1.0),
        (None, None) => true,
        _ => false,
    })
}

/// Our FIT decoder agrees with fitparser's full profile decoding, channel by channel (time,
/// position, altitude, heart rate, temperature, cadence, power, distance, speed), on every
/// record of every corpus FIT fitparser can read.
#[test]
fn fit_records_match_fitparsers_own_decoding_channel_by_channel() {
    let Some(corpus) =
        common::corpus("fit_records_match_fitparsers_own_decoding_channel_by_channel")
    else {
        return;
    };
    let mut compared = 0;
    let mut values = 0;
    let mut skipped = Vec::new();
    for path in common::files(&corpus.join("fit"), &[".fit"]) {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let mut skip = |why: String| {
            eprintln!("SKIPPED {name}: {why}");
            skipped.push(name.clone());
        };
        let records = match fitparser_records(&bytes) {
            Ok(r) => r,
            Err(e) => {
                skip(format!("fitparser cannot read it ({e})"));
                continue;
            }
        };
        let acts = match read_path(&path) {
            Ok(a) => a,
            Err(e) => {
                skip(format!("racegap refuses it ({e})"));
                continue;
            }
        };
        let record_msgs: Vec<&fitparser::FitDataRecord> = records
            .iter()
            .filter(|r| r.kind() == fitparser::profile::MesgNum::Record)
            .collect();
        let compressed = record_msgs.iter().any(|r| {
            r.fields()
                .iter()
                .any(|f| f.name() == "compressed_speed_distance")
        });
        let theirs: Vec<Channels> = record_msgs.iter().map(|r| fitparser_channels(r)).collect();
        values += theirs.iter().flatten().filter(|v| v.is_some()).count();
        // A file split by session or chained file gives its parts in file order.
        let ours: Vec<Channels> = acts
            .iter()
            .flat_map(|a| a.samples.iter())
            .map(|s| our_channels(s, compressed))
            .collect();
        if acts.len() == 1 {
            assert_eq!(ours.len(), theirs.len(), "{name}");
            for (i, (o, t)) in ours.iter().zip(&theirs).enumerate() {
                assert!(
                    same(o, t),
                    "{name}: record {i}: ours {o:?}, fitparser {t:?}"
                );
            }
        } else {
            // Split by session or chained file: each part's records come in file order
            // (sessions may overlap, as a multisport file's generic session does).
            for (p, a) in acts.iter().enumerate() {
                let mut rest = theirs.iter();
                for (i, s) in a.samples.iter().enumerate() {
                    let r = our_channels(s, compressed);
                    assert!(
                        rest.any(|t| same(&r, t)),
                        "{name}: record {i} of part {p}, {r:?}, is not next in fitparser's list"
                    );
                }
            }
            eprintln!(
                "{name}: {} parts hold {} of fitparser's {} records, in order",
                acts.len(),
                ours.len(),
                theirs.len()
            );
        }
        compared += ours.len();
    }
    eprintln!(
        "fitparser decoding: {compared} records ({values} values) agree; {} files skipped",
        skipped.len()
    );
    assert!(values > 100_000, "{values} values compared");
    assert_eq!(skipped, FITPARSER_ORACLE_SKIPS, "files not compared");
    // 86,019 records in all; those of multisport transitions belong to no part.
    assert_eq!(compared, 83_461, "records compared (the README quotes it)");
}

/// Text of every `<tag>...</tag>` inside each `<Trackpoint>` of a TCX document, read by
/// plain string search (no XML parser): one entry per trackpoint.
fn trackpoint_values(text: &str, tag: &str) -> Vec<Option<String>> {
    text.split("<Trackpoint>")
        .skip(1)
        .map(|tp| {
            let tp = tp.split("</Trackpoint>").next().unwrap();
            let open = format!("<{tag}>");
            tp.split(&open).nth(1).map(|rest| {
                let inner = rest.split(&format!("</{tag}>")).next().unwrap();
                // <HeartRateBpm><Value>140</Value></HeartRateBpm>
                inner
                    .trim()
                    .trim_start_matches("<Value>")
                    .trim_end_matches("</Value>")
                    .trim()
                    .to_string()
            })
        })
        .collect()
}

/// TCX values against the files' own text, counted by string search: every timed
/// trackpoint is a sample, with its heart rate, altitude and distance as written.
#[test]
fn tcx_values_match_the_files_text() {
    let Some(corpus) = common::corpus("tcx_values_match_the_files_text") else {
        return;
    };
    let mut files = common::files(&corpus.join("tcx"), &[".tcx"]);
    files.extend(common::files(
        &common::sample_data().join("activities"),
        &[".tcx"],
    ));
    let mut compared = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let acts = read_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let samples: Vec<_> = acts.iter().flat_map(|a| a.samples.iter()).collect();
        let times = trackpoint_values(&text, "Time");
        let num = |tag: &str| -> Vec<Option<f64>> {
            trackpoint_values(&text, tag)
                .into_iter()
                .zip(&times)
                .filter(|(_, t)| t.is_some())
                .map(|(v, _)| v.and_then(|v| v.parse().ok()))
                .collect()
        };
        let timed = times.iter().filter(|t| t.is_some()).count();
        assert_eq!(samples.len(), timed, "{name}: timed trackpoints");
        let hr = num("HeartRateBpm");
        let alt = num("AltitudeMeters");
        let dist = num("DistanceMeters");
        for (i, s) in samples.iter().enumerate() {
            assert_eq!(s.heart_rate_bpm, hr[i], "{name} point {i}: heart rate");
            let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
                (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                (a, b) => a.is_none() && b.is_none(),
            };
            assert!(
                close(s.elevation_m, alt[i]),
                "{name} point {i}: {:?} vs {:?}",
                s.elevation_m,
                alt[i]
            );
            assert!(
                close(s.device_distance_m, dist[i]),
                "{name} point {i}: {:?} vs {:?}",
                s.device_distance_m,
                dist[i]
            );
        }
        compared += samples.len();
    }
    eprintln!("TCX: {compared} trackpoints match their text");
    assert_eq!(compared, 25_130, "trackpoints compared");
}

/// A TCX file holding two activities (as Garmin Training Center exports several runs in
/// one file) gives two activities, each with its own trackpoints and sport.
#[test]
fn a_multi_activity_tcx_gives_each_activity() {
    let acts_dir = common::sample_data().join("activities");
    let a = std::fs::read_to_string(acts_dir.join("2026-07-25-easy.tcx")).unwrap();
    let b_path = common::files(&acts_dir, &[".tcx"])
        .into_iter()
        .find(|p| !p.ends_with("2026-07-25-easy.tcx"))
        .unwrap();
    let b = std::fs::read_to_string(&b_path).unwrap();
    let activity_of = |t: &str| {
        let start = t.find("<Activity ").unwrap();
        let end = t.rfind("</Activity>").unwrap() + "</Activity>".len();
        t[start..end].to_string()
    };
    let (start, end) = (
        a.find("<Activity ").unwrap(),
        a.rfind("</Activity>").unwrap(),
    );
    let both = format!(
        "{}{}{}{}",
        &a[..start],
        activity_of(&a),
        activity_of(&b),
        &a[end + "</Activity>".len()..]
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("two.tcx");
    std::fs::write(&p, &both).unwrap();
    let got = read_path(&p).unwrap();
    let one = |t: &str| read_path_str(t);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].samples, one(&a).samples);
    assert_eq!(got[1].samples, one(&b).samples);
    assert!(got.iter().all(|x| x.sport == Sport::Running));
}

fn read_path_str(text: &str) -> Activity {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("one.tcx");
    std::fs::write(&p, text).unwrap();
    read_path(&p).unwrap().remove(0)
}

/// A plain GPX or TCX file is streamed from disk (`read_path`), never held whole; the same
/// bytes in memory (`read_bytes`) are read by the same event loop. Both give the same
/// activities, or the same error at the same line and column, on every corpus and sample
/// XML file, and on each of them cut short, with a BOM and blank lines before it, and with
/// a broken tag in its middle.
#[test]
fn streamed_and_in_memory_reads_agree() {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = common::files(&common::sample_data().join("activities"), &[".gpx", ".tcx"]);
    if let Some(corpus) = common::corpus("streamed_and_in_memory_reads_agree") {
        for sub in ["gpx", "tcx", "courses"] {
            let d = corpus.join(sub);
            if d.is_dir() {
                sources.extend(common::files(&d, &[".gpx", ".tcx"]));
            }
        }
    }
    let mut compared = 0;
    let mut errors = 0;
    for path in &sources {
        let bytes = std::fs::read(path).unwrap();
        if bytes.starts_with(&[0x1f, 0x8b]) {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let mut prefixed = b"\xef\xbb\xbf\n\n  ".to_vec();
        prefixed.extend_from_slice(&bytes);
        let mut broken = bytes.clone();
        let mid = broken.len() / 2;
        if let Some(lt) = broken[mid..].iter().position(|&b| b == b'<') {
            broken[mid + lt + 1] = b'!';
        }
        let variants = [
            ("whole", bytes.clone()),
            ("cut", bytes[..bytes.len() * 2 / 3].to_vec()),
            ("prefixed", prefixed),
            ("broken", broken),
        ];
        for (what, v) in variants {
            let p = dir.path().join(format!("{what}-{name}"));
            std::fs::write(&p, &v).unwrap();
            let streamed = read_path(&p);
            let in_memory = racegap::ingest::read_bytes(&v, &p);
            match (&streamed, &in_memory) {
                (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{what} {name}"),
                (Err(a), Err(b)) => {
                    assert_eq!(a, b, "{what} {name}");
                    errors += 1;
                }
                _ => panic!("{what} {name}: streamed {streamed:?}, in memory {in_memory:?}"),
            }
            compared += 1;
        }
    }
    eprintln!("{compared} files compared, {errors} of them refused alike");
    assert!(
        compared >= 40 && errors >= 10,
        "{compared} compared, {errors} errors"
    );
}
