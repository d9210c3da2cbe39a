//! Per-run metrics against the devices' own totals on real recordings: elevation gain and
//! loss within 10 % or 15 m (whichever is larger) of `total_ascent`/`total_descent`, and GPS
//! distance within 1.5 % of `total_distance`.

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
        let tol = |dev: f64| (0.10 * dev).max(15.0);
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
    eprintln!(
        "distance: {} GPS activities, median |error| {:.2} %",
        errs.len(),
        median(errs.clone())
    );
    assert!(errs.len() >= 8);
}
