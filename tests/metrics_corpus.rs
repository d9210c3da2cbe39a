//! Per-run metrics against the devices' own totals on real recordings: elevation gain and
//! loss within 10 % or 4 m (whichever is larger) of `total_ascent`/`total_descent`, and GPS
//! distance within 1.5 % of `total_distance`.
//!
//! Tuning and validation are kept apart: the elevation constants (`elevation::Tuning`) are
//! tuned again here on `TUNING_HALF` of the files and the shipped values checked on
//! `VALIDATION_HALF`, which tuning never sees.

mod common;

use racegap::ingest::read_path;
use racegap::track::{compute, MetricsConfig};

/// Files whose device elevation totals cannot be matched from the recording, and why.
const EXPLAINED: &[(&str, &str)] = &[
    (
        "null_compressed_speed_dist.fit",
        "Zwift virtual ride: the app reports 0 m descent, but its recorded altitude comes \
         back down 80 m; only its ascent is comparable",
    ),
    (
        "2019-02-17-062644-ELEMNT-297E-195-0.fit",
        "Wahoo ELEMNT: its recorded altitude flickers by 0.2 m over a slow wander of a few \
         metres for 3.7 h (8,000 s of it standing still); the device's 185/89 m need a \
         3 m threshold, which would cut the Garmin Edge 500's totals (the plain sum of its \
         recorded rises) by a quarter. No single rule matches both; racegap stays with the \
         rule that matches the other eleven files",
    ),
];

/// Files whose device distance the GPS track cannot reproduce, and why.
const DISTANCE_EXPLAINED: &[(&str, &str)] = &[(
    "sample-activity.fit",
    "Garmin Edge 500 ride: 133 records without a GPS fix over which the device's own \
     distance (speed sensor) advances 3.7 km; a GPS track can only bridge those with straight \
     lines. racegap quotes the device's distance for this file",
)];
/// GPS fixes are good to a few metres: on a 150 m activity a 3 m difference is 2 %.
const DISTANCE_FLOOR_M: f64 = 5.0;

/// How far from a device's elevation total racegap's may be: 10 %, or 4 m on small
/// totals (devices count whole metres with their own thresholds of 1-3 m).
fn tolerance_m(device_m: f64) -> f64 {
    (0.10 * device_m).max(4.0)
}

/// Files whose device totals tune the elevation constants: every other file of the
/// elevation-total list, by size, so both halves hold big and small totals. (The one
/// GPS-altitude file is in the validation half, so the GPS window is not tuned here.)
const TUNING_HALF: &[&str] = &[
    "garmin-edge-500-activity.fit",
    "activity-large-fenxi2-multisport.fit",
    "activity-small-fenix2-run.fit",
    "sample-activity-indoor-trainer.fit",
    "sample_mulitple_header.fit",
];
/// Files that only check the shipped constants.
const VALIDATION_HALF: &[&str] = &[
    "sample-activity.fit",
    "2015-10-13-08-43-15.fit",
    "elemnt-bolt-no-application-id-inside-developer-data-id.fit",
    "garmin-fenix-5-run.fit",
    "garmin-fenix-5-walk.fit",
];

/// (racegap's, device's) ascent and descent of each file under `tuning`.
fn totals(
    corpus: &std::path::Path,
    files: &[&str],
    tuning: racegap::track::elevation::Tuning,
) -> Vec<(String, [(f64, f64); 2])> {
    let rows = common::device_totals(corpus);
    let cfg = MetricsConfig {
        elevation: tuning,
        ..MetricsConfig::default()
    };
    files
        .iter()
        .map(|name| {
            let row = rows.iter().find(|r| r["file"] == *name).unwrap();
            let dev = |k: &str| row[k].parse::<f64>().unwrap();
            let acts = read_path(&corpus.join("fit").join(name)).unwrap();
            let s = compute(acts.last().unwrap(), &cfg);
            (
                name.to_string(),
                [
                    (s.ascent_m.unwrap(), dev("total_ascent_m")),
                    (s.descent_m.unwrap(), dev("total_descent_m")),
                ],
            )
        })
        .collect()
}

/// Mean error relative to each total (10 m at least, so a 1 m total does not dominate).
fn score(t: &[(String, [(f64, f64); 2])]) -> f64 {
    let errs: Vec<f64> = t
        .iter()
        .flat_map(|(_, p)| {
            p.iter()
                .map(|(ours, dev)| (ours - dev).abs() / dev.max(10.0))
        })
        .collect();
    errs.iter().sum::<f64>() / errs.len() as f64
}

#[test]
fn elevation_constants_tuned_on_one_half_hold_on_the_other() {
    use racegap::track::elevation::{Tuning, TUNED};
    let Some(corpus) = common::corpus("elevation_constants_tuned_on_one_half_hold_on_the_other")
    else {
        return;
    };
    // Tuning: a grid over the barometric median window and the hysteresis knee.
    let mut grid = Vec::new();
    for window in [3.0, 5.0, 7.0, 9.0, 11.0, 15.0] {
        for knee in [0.01, 0.02, 0.03, 0.05, 0.07, 0.10] {
            let t = Tuning {
                median_baro_s: window,
                knee_share: knee,
                ..TUNED
            };
            grid.push((score(&totals(&corpus, TUNING_HALF, t)), t));
        }
    }
    grid.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (best_score, best) = grid[0];
    let shipped = score(&totals(&corpus, TUNING_HALF, TUNED));
    eprintln!(
        "tuning half: best {:.1} % mean error at a {} s window and a {} % knee; shipped ({} s, {} %) {:.1} %",
        best_score * 100.0,
        best.median_baro_s,
        best.knee_share * 100.0,
        TUNED.median_baro_s,
        TUNED.knee_share * 100.0,
        shipped * 100.0
    );
    // The shipped constants are what tuning on this half picks (or as good, within 0.5
    // percentage points of mean error).
    assert!(
        shipped <= best_score + 0.005,
        "shipped constants score {:.2} % on the tuning half, the best {:.2} %",
        shipped * 100.0,
        best_score * 100.0
    );
    // Validation: files tuning never saw, with the shipped constants.
    let held_out = totals(&corpus, VALIDATION_HALF, TUNED);
    let mut errs = Vec::new();
    for (name, pairs) in &held_out {
        for (what, (ours, dev)) in ["ascent", "descent"].iter().zip(pairs) {
            eprintln!("validation {name:<58} {what:<7} {ours:6.1} vs {dev:5}");
            assert!(
                (ours - dev).abs() <= tolerance_m(*dev),
                "{name}: {what} {ours:.1} vs the device's {dev}"
            );
            errs.push((ours - dev).abs());
        }
    }
    let med = median(errs);
    eprintln!(
        "validation half: {:.1} % mean error, median absolute error {med:.1} m (with the tuning half's best: {:.1} %)",
        score(&held_out) * 100.0,
        score(&totals(&corpus, VALIDATION_HALF, best)) * 100.0
    );
    assert!(
        med <= 3.0,
        "median absolute error {med:.2} m on the validation half"
    );
    assert!(score(&held_out) <= 0.12, "{:.3}", score(&held_out));
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    v[v.len() / 2]
}

#[test]
fn elevation_gain_and_loss_match_the_devices() {
    let Some(corpus) = common::corpus("elevation_gain_and_loss_match_the_devices") else {
        return;
    };
    let cfg = MetricsConfig::default();
    let (mut up_err, mut down_err) = (Vec::new(), Vec::new());
    let mut failures = Vec::new();
    for row in common::device_totals(&corpus) {
        let Some(dev_up) = row["total_ascent_m"].parse::<f64>().ok() else {
            continue;
        };
        if dev_up <= 0.0 {
            continue;
        }
        let dev_down: f64 = row["total_descent_m"].parse().unwrap_or(0.0);
        let name = row["file"].clone();
        let acts = read_path(&corpus.join("fit").join(&name)).unwrap();
        let s = compute(acts.last().unwrap(), &cfg);
        let (up, down) = (s.ascent_m.unwrap_or(0.0), s.descent_m.unwrap_or(0.0));
        eprintln!(
            "{name:<55} {:<11} ascent {up:7.1} vs {dev_up:5} | descent {down:7.1} vs {dev_down:5}",
            s.elevation_source.name()
        );
        let explained = EXPLAINED.iter().any(|(f, _)| *f == name);
        let ascent_explained = explained && !name.starts_with("null_compressed");
        // A virtual ride's altitude is a terrain model's, not a measurement: 15 % there.
        let tol = |dev: f64| {
            if name.starts_with("null_compressed") {
                0.15 * dev
            } else {
                tolerance_m(dev)
            }
        };
        if (up - dev_up).abs() > tol(dev_up) && !ascent_explained {
            failures.push(format!("{name}: ascent {up:.1} vs {dev_up}"));
        }
        if !ascent_explained {
            up_err.push((up - dev_up).abs());
        }
        if !explained {
            if (down - dev_down).abs() > tol(dev_down) {
                failures.push(format!("{name}: descent {down:.1} vs {dev_down}"));
            }
            down_err.push((down - dev_down).abs());
        }
    }
    eprintln!(
        "median absolute error: ascent {:.1} m over {} files, descent {:.1} m over {} files",
        median(up_err.clone()),
        up_err.len(),
        median(down_err.clone()),
        down_err.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(up_err.len() >= 10);
    // The medians the README quotes: no worse than 2.6 m either way.
    let (mu, md) = (median(up_err), median(down_err));
    assert!(
        mu <= 2.65 && md <= 2.65,
        "median errors {mu:.3} / {md:.3} m"
    );
}

#[test]
fn gps_distance_matches_the_devices() {
    let Some(corpus) = common::corpus("gps_distance_matches_the_devices") else {
        return;
    };
    let cfg = MetricsConfig::default();
    let mut errs = Vec::new();
    let mut failures = Vec::new();
    for row in common::device_totals(&corpus) {
        let Some(dev) = row["total_distance_m"]
            .parse::<f64>()
            .ok()
            .filter(|d| *d > 100.0)
        else {
            continue;
        };
        let name = row["file"].clone();
        let acts = read_path(&corpus.join("fit").join(&name)).unwrap();
        let s = compute(acts.last().unwrap(), &cfg);
        let Some(gps) = s.gps_distance_m else {
            eprintln!("{name:<55} no GPS (device {dev:.0} m)");
            continue;
        };
        let rel = (gps - dev) / dev * 100.0;
        eprintln!("{name:<55} gps {gps:9.1} vs device {dev:9.1} ({rel:+.2} %)");
        if DISTANCE_EXPLAINED.iter().any(|(f, _)| *f == name) {
            assert!(rel < -1.5, "{name}: explained as short, but it is not");
            continue;
        }
        errs.push(rel.abs());
        if rel.abs() > 1.5 && (gps - dev).abs() > DISTANCE_FLOOR_M {
            failures.push(format!("{name}: {gps:.1} vs {dev} ({rel:+.2} %)"));
        }
        assert_eq!(
            s.distance_m, dev,
            "{name}: the device's distance is the one quoted"
        );
    }
    assert!(failures.is_empty(), "{failures:#?}");
    let med = median(errs.clone());
    eprintln!(
        "distance: {} GPS activities, median |error| {med:.2} %",
        errs.len()
    );
    // The README quotes 12 activities (besides the explained ride) and a 0.36 % median.
    assert_eq!(errs.len(), 12);
    assert!(med <= 0.365, "median {med:.3} %");
}
