//! Per-run metrics end to end on synthetic activities whose true values are known by
//! construction: grade-adjusted pace on a hill, a fast 5 km hidden in a run, and bad data
//! that must be flagged, never panic.

use racegap::model::{Activity, ElevationSource, Format, Sample, Sport};
use racegap::track::gap::GapModel;
use racegap::track::{compute, MetricsConfig};

/// Metres per degree of latitude near the equator (WGS84 meridian arc at 0°).
const M_PER_DEG_LAT: f64 = 110_574.0;

/// A 1 Hz run due north from (0, 0): `speed(t, x)` m/s, elevation `ele(x)` at distance x.
fn run(seconds: usize, speed: impl Fn(usize, f64) -> f64, ele: impl Fn(f64) -> f64) -> Activity {
    let mut a = Activity::new("synthetic.gpx".into(), Format::Gpx);
    a.sport = Sport::Running;
    a.elevation_source = ElevationSource::Barometric;
    let mut x = 0.0;
    for t in 0..=seconds {
        if t > 0 {
            x += speed(t, x);
        }
        a.samples.push(Sample {
            time_ms: Some(1_700_000_000_000 + t as i64 * 1000),
            lat_deg: Some(x / M_PER_DEG_LAT),
            lon_deg: Some(0.0),
            elevation_m: Some(ele(x)),
            ..Sample::default()
        });
    }
    a
}

#[test]
fn gap_is_nearly_equal_up_and_down_the_same_hill() {
    // An even-effort runner (3.2 m/s flat) on a steady 6 % grade, up then down, built from
    // each model's published numbers (not from racegap's functions): Strava's factors
    // measured by Schroeder (specialsauce) at ±6 %, 1.228 and 0.891; Minetti et al. 2002's
    // polynomial evaluated by hand at ±0.06, 4.9271 and 2.6055 J/kg/m over 3.6 flat.
    let v0 = 3.2;
    let g = 0.06;
    for (model, up_factor, down_factor) in [
        (GapModel::Strava, 1.228, 0.891),
        (GapModel::Minetti, 4.9271 / 3.6, 2.6055 / 3.6),
    ] {
        let up = run(1500, |_, _| v0 / up_factor, |x| x * g);
        let down = run(1500, |_, _| v0 / down_factor, |x| 300.0 - x * g);
        let cfg = MetricsConfig {
            gap_model: model,
            ..MetricsConfig::default()
        };
        let (su, sd) = (compute(&up, &cfg), compute(&down, &cfg));
        let (gu, gd) = (su.gap_s_per_km.unwrap(), sd.gap_s_per_km.unwrap());
        let flat = 1000.0 / v0;
        // Raw paces differ by more than half a minute per km; grade-adjusted ones agree.
        assert!(su.pace_s_per_km.unwrap() - sd.pace_s_per_km.unwrap() > 30.0);
        assert!(
            (gu / gd - 1.0).abs() < 0.03,
            "{model:?}: up {gu:.1} vs down {gd:.1} s/km"
        );
        assert!(
            (gu / flat - 1.0).abs() < 0.03 && (gd / flat - 1.0).abs() < 0.03,
            "{model:?}: {gu:.1} {gd:.1} against {flat:.1}"
        );
        // The climb itself is found with its grade.
        let c = su.biggest_climb().unwrap();
        assert!((c.mean_grade - g).abs() < 0.002, "{c:?}");
        assert!(sd.downhill_distance_m > 0.9 * sd.distance_m);
    }
}

#[test]
fn a_known_fast_5k_inside_a_run_is_found_to_the_second() {
    // 10 min at 2.8 m/s, 5 km at exactly 4 m/s (1250 s), 10 min at 2.8 m/s; flat.
    let a = run(
        600 + 1250 + 600,
        |t, _| if (601..=1850).contains(&t) { 4.0 } else { 2.8 },
        |_| 50.0,
    );
    let s = compute(&a, &MetricsConfig::default());
    let five = s
        .best_efforts
        .iter()
        .find(|b| b.distance_m == 5000.0)
        .unwrap();
    assert!((five.time_s - 1250.0).abs() < 1.0, "{}", five.time_s);
    assert!((five.start_m - 1680.0).abs() < 10.0, "{}", five.start_m);
    // The GPS distance of a straight line is the distance run.
    let total = 1200.0 * 2.8 + 5000.0;
    assert!(
        (s.distance_m - total).abs() < total * 0.001,
        "{}",
        s.distance_m
    );
    assert_eq!(s.moving_s, 2450.0);
}

#[test]
fn heat_and_goal_pace_through_compute() {
    let mut a = run(
        1800,
        |t, _| {
            if t <= 900 {
                1000.0 / 300.0
            } else {
                1000.0 / 360.0
            }
        },
        |_| 10.0,
    );
    for (i, s) in a.samples.iter_mut().enumerate() {
        s.temperature_c = Some(if i <= 600 { 24.0 } else { 18.0 });
    }
    let cfg = MetricsConfig {
        goal_pace_s_per_km: Some(300.0),
        temperature_offset_c: -2.0,
        ..MetricsConfig::default()
    };
    let s = compute(&a, &cfg);
    let g = s.goal_pace.unwrap();
    assert!((g.longest_m - 3000.0).abs() < 120.0, "{g:?}");
    let h = s.heat.unwrap();
    // 24 °C read warm by 2 °C: 10 minutes at or above 20 °C, none at 25.
    assert_eq!(h.minutes_at_or_above[1], (20.0, 10.0));
    assert_eq!(h.minutes_at_or_above[2], (25.0, 0.0));
    assert_eq!(h.max_c, 22.0);
}

#[test]
fn bad_data_is_flagged_never_a_panic() {
    let cfg = MetricsConfig {
        goal_pace_s_per_km: Some(300.0),
        max_hr_bpm: Some(190.0),
        ..MetricsConfig::default()
    };
    // Zero-length: standing still for ten minutes.
    let still = run(600, |_, _| 0.0, |_| 100.0);
    let s = compute(&still, &cfg);
    assert_eq!(s.distance_m, 0.0);
    assert_eq!(s.moving_s, 0.0);
    assert!(s.best_efforts.is_empty() && s.fade_pct.is_none());

    // A single point, and no points at all.
    let mut one = run(0, |_, _| 3.0, |_| 5.0);
    let s = compute(&one, &cfg);
    assert!(
        s.problems.iter().any(|p| p.contains("only 1 usable point")),
        "{:?}",
        s.problems
    );
    one.samples.clear();
    let s = compute(&one, &cfg);
    assert!(s.problems.iter().any(|p| p.contains("only 0 usable point")));

    // Duplicate and backwards timestamps.
    let mut jumbled = run(300, |_, _| 3.0, |_| 5.0);
    jumbled.samples[100].time_ms = jumbled.samples[99].time_ms;
    jumbled.samples[200].time_ms = Some(jumbled.samples[200].time_ms.unwrap() - 50_000);
    let s = compute(&jumbled, &cfg);
    // The repeated time is dropped by the timeline, the one 50 s behind (with its next
    // neighbour back in line) as a clock glitch: each said, the rest kept.
    assert!(
        s.problems
            .iter()
            .any(|p| p.contains("1 sample(s) with duplicate or backwards")),
        "{:?}",
        s.problems
    );
    assert!(
        s.problems
            .iter()
            .any(|p| p.contains("1 timestamp(s) out of line")),
        "{:?}",
        s.problems
    );
    assert!((s.distance_m - 900.0).abs() < 5.0, "{}", s.distance_m);

    // Absurd elevations in the middle of a mountain: -9999, 0, NaN, 1e9.
    let mut mountain = run(600, |_, _| 2.5, |x| 2000.0 + x * 0.05);
    for (i, bad) in [(100, -9999.0), (200, 0.0), (300, f64::NAN), (400, 1e9)] {
        mountain.samples[i].elevation_m = Some(bad);
    }
    let s = compute(&mountain, &cfg);
    assert!(
        s.problems.iter().any(|p| p.contains("4 absurd elevation")),
        "{:?}",
        s.problems
    );
    let want = 600.0 * 2.5 * 0.05;
    assert!(
        (s.ascent_m.unwrap() - want).abs() < 2.0,
        "{:?} vs {want}",
        s.ascent_m
    );
    assert!(s.descent_m.unwrap() < 1.0);
    assert!(s.min_elevation_m.unwrap() >= 1999.0);

    // A GPS spike 5 km away for one fix.
    let mut spiky = run(300, |_, _| 3.0, |_| 5.0);
    spiky.samples[150].lon_deg = Some(0.05);
    let s = compute(&spiky, &cfg);
    assert_eq!(s.gps_spikes_dropped, 1);
    assert!((s.distance_m - 900.0).abs() < 5.0, "{}", s.distance_m);

    // Heart rate dropouts (0) and an all-NaN position are ignored.
    let mut odd = run(120, |_, _| 3.0, |_| 5.0);
    for (i, s) in odd.samples.iter_mut().enumerate() {
        s.heart_rate_bpm = Some(if i % 10 == 0 { 0.0 } else { 150.0 });
    }
    let s = compute(&odd, &cfg);
    assert_eq!(s.heart_rate.unwrap().max_bpm, 150.0);
}

#[test]
fn a_course_without_times_gets_distance_and_climbs() {
    // 10 km route every 25 m: two 200 m climbs of 2 km each, descents between, no times.
    let mut a = Activity::new("course.gpx".into(), Format::Gpx);
    a.elevation_source = ElevationSource::Model;
    let ele = |x: f64| match x {
        x if x < 1000.0 => 100.0,
        x if x < 3000.0 => 100.0 + (x - 1000.0) * 0.1,
        x if x < 5000.0 => 300.0 - (x - 3000.0) * 0.1,
        x if x < 7000.0 => 100.0 + (x - 5000.0) * 0.1,
        x if x < 9000.0 => 300.0 - (x - 7000.0) * 0.1,
        _ => 100.0,
    };
    for i in 0..=400 {
        let x = i as f64 * 25.0;
        a.samples.push(Sample {
            lat_deg: Some(x / M_PER_DEG_LAT),
            lon_deg: Some(0.0),
            elevation_m: Some(ele(x)),
            ..Sample::default()
        });
    }
    let s = compute(&a, &MetricsConfig::default());
    assert!((s.distance_m - 10_000.0).abs() < 10.0, "{}", s.distance_m);
    assert_eq!(s.climbs.len(), 2, "{:?}", s.climbs);
    for c in &s.climbs {
        assert!((c.gain_m - 200.0).abs() < 10.0, "{c:?}");
        assert!((c.length_m - 2000.0).abs() < 100.0, "{c:?}");
    }
    assert!((s.climbs[0].start_m - 1000.0).abs() < 60.0);
    assert!((s.climbs[1].start_m - 5000.0).abs() < 60.0);
    assert_eq!(s.descents.len(), 2);
    assert!((s.ascent_m.unwrap() - 400.0).abs() < 15.0);
    assert_eq!(s.moving_s, 0.0);
}

/// A 28-minute treadmill run recorded once a minute: no position, the device's distance
/// stream and timer. Its moving time is its timer time, its pace 5:00 /km, and its best
/// kilometre is a real one (it was "1 km in 0:04" and "3:34 moving").
#[test]
fn an_indoor_run_sampled_sparsely_keeps_its_time_and_pace() {
    let indoor = |leap: bool| {
        let mut a = Activity::new("treadmill.fit".into(), racegap::model::Format::Fit);
        a.sport = racegap::model::Sport::Running;
        for m in 0..=28i64 {
            let mut d = m as f64 * 200.0; // 12 km/h
            if leap && m >= 14 {
                d += 1000.0; // the stream leaps 1 km in one minute's step
            }
            a.samples.push(Sample {
                time_ms: Some(1_790_000_000_000 + m * 60_000),
                device_distance_m: Some(d),
                heart_rate_bpm: Some(150.0),
                ..Sample::default()
            });
        }
        a.device_totals.timer_time_s = Some(1680.0);
        a.device_totals.distance_m = Some(if leap { 6600.0 } else { 5600.0 });
        a
    };
    let s = compute(&indoor(false), &MetricsConfig::default());
    assert_eq!(s.moving_s, 1680.0, "{:?}", s.problems);
    assert!(
        (s.pace_s_per_km.unwrap() - 300.0).abs() < 1.0,
        "{:?}",
        s.pace_s_per_km
    );
    let km = s
        .best_efforts
        .iter()
        .find(|e| e.distance_m == 1000.0)
        .unwrap();
    assert!((km.time_s - 300.0).abs() < 1.0, "{km:?}");
    let glitched = compute(&indoor(true), &MetricsConfig::default());
    assert!(
        glitched.best_efforts.is_empty(),
        "{:?}",
        glitched.best_efforts
    );
    assert!(glitched
        .problems
        .iter()
        .any(|p| p.contains("no best efforts from this run")));
}

/// The altimeter is told from the data, the file's word a hint only: a barometric
/// recording exported as GPX (which says nothing of a barometer) is smoothed as one, and
/// raw GPS altitude in a file that claims a barometer is smoothed as GPS.
#[test]
fn the_altimeter_is_judged_from_the_altitude_itself() {
    // 40 minutes at 3 m/s over rolling 6 m bumps every 180 m (a minute), one sample a
    // second.
    let profile = |noise: f64, source: ElevationSource| {
        let mut a = Activity::new("r.gpx".into(), Format::Gpx);
        a.sport = Sport::Running;
        a.elevation_source = source;
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for s in 0..2400i64 {
            let d = s as f64 * 3.0;
            let mut u = 0.0;
            for _ in 0..12 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                u += (x >> 11) as f64 / (1u64 << 53) as f64;
            }
            let e = 100.0 + 3.0 * (1.0 - (d / 180.0 * std::f64::consts::TAU).cos());
            // A barometer's altitude comes in 0.2 m steps.
            let e = ((e + (u - 6.0) * noise) * 5.0).round() / 5.0;
            a.samples.push(Sample {
                time_ms: Some(1_790_000_000_000 + s * 1000),
                lat_deg: Some(45.0 + d / 111_000.0),
                lon_deg: Some(6.0),
                elevation_m: Some(e),
                ..Sample::default()
            });
        }
        a
    };
    let cfg = MetricsConfig::default();
    let up = |a: &Activity| compute(a, &cfg).ascent_m.unwrap();
    let baro = up(&profile(0.0, ElevationSource::Barometric));
    let as_gpx = up(&profile(0.0, ElevationSource::Gps));
    assert!((baro - 240.0).abs() < 24.0, "40 bumps of 6 m: {baro}");
    assert_eq!(
        as_gpx, baro,
        "a smooth GPX is smoothed as the barometer it is"
    );
    // Smoothed as GPS (what the file's word alone would give), it would lose climbing.
    let smooth = profile(0.0, ElevationSource::Gps);
    let t: Vec<f64> = (0..smooth.samples.len()).map(|s| s as f64).collect();
    let e: Vec<f64> = smooth
        .samples
        .iter()
        .map(|s| s.elevation_m.unwrap())
        .collect();
    let as_gps =
        racegap::track::elevation::running_median(&t, &e, racegap::track::elevation::MEDIAN_GPS_S);
    let (naive, _, _) = racegap::track::elevation::adaptive_gain_loss(&as_gps);
    assert!(naive < 0.95 * baro, "{naive} vs {baro}");
    let gps = up(&profile(2.0, ElevationSource::Gps));
    let claimed = up(&profile(2.0, ElevationSource::Barometric));
    assert_eq!(
        claimed, gps,
        "noisy altitude is smoothed as GPS whatever the file says"
    );
}

/// Ten minutes without a fix in the middle of a run (a tunnel, a watch recording sparsely),
/// over which the runner moved 2 km: moving, distance included. A gap over which the
/// position stayed put is a pause, as before.
#[test]
fn a_gps_gap_crossed_running_counts_and_a_standing_one_does_not() {
    let run = |moved_m: f64| {
        let mut a = Activity::new("r.gpx".into(), Format::Gpx);
        a.sport = Sport::Running;
        let mut x = 0.0;
        let mut t = 0i64;
        for i in 0..1200 {
            if i == 600 {
                t += 600; // no fix for ten minutes
                x += moved_m;
            } else if i > 0 {
                t += 1;
                x += 3.0;
            }
            a.samples.push(Sample {
                time_ms: Some(1_790_000_000_000 + t * 1000),
                lat_deg: Some(45.0 + x / 111_132.0),
                lon_deg: Some(6.0),
                ..Sample::default()
            });
        }
        compute(&a, &MetricsConfig::default())
    };
    let crossed = run(2000.0);
    assert!(
        (crossed.distance_m - (1198.0 * 3.0 + 2000.0)).abs() < 60.0,
        "{}",
        crossed.distance_m
    );
    assert!(
        (crossed.moving_s - 1798.0).abs() < 15.0,
        "{}",
        crossed.moving_s
    );
    let paused = run(0.0);
    assert!(
        (paused.distance_m - 1198.0 * 3.0).abs() < 40.0,
        "{}",
        paused.distance_m
    );
    assert!(
        (paused.moving_s - 1198.0).abs() < 15.0,
        "{}",
        paused.moving_s
    );
}

/// The spike limit is the sport's: a 25 m/s (90 km/h) descent on a bike is real and
/// kept whole; the same track recorded as a run is a GPS spike; a 2 km jump in one
/// second is a spike on a bike too. Distances worked out from the construction.
#[test]
fn a_fast_bike_descent_is_kept_and_a_jump_is_not() {
    use racegap::model::Sport;
    // 300 s at 8 m/s, 30 s at 25 m/s, 300 s at 8 m/s: 5,550 m.
    let speed = |t: usize, _| if (301..=330).contains(&t) { 25.0 } else { 8.0 };
    let mut ride = run(630, speed, |_| 100.0);
    ride.sport = Sport::Cycling;
    let s = compute(&ride, &MetricsConfig::default());
    assert_eq!(s.gps_spikes_dropped, 0);
    let d = s.gps_distance_m.unwrap();
    assert!((d - 5_550.0).abs() < 5.0, "{d}");
    let as_run = compute(&run(630, speed, |_| 100.0), &MetricsConfig::default());
    assert!(
        as_run.gps_spikes_dropped >= 5,
        "{}",
        as_run.gps_spikes_dropped
    );

    // One fix 2 km ahead of its neighbours, then back on the line: dropped, and the ride's
    // distance is what it was.
    let mut jump = run(630, |_, _| 8.0, |_| 100.0);
    jump.sport = Sport::Cycling;
    let lat = jump.samples[200].lat_deg.unwrap();
    jump.samples[200].lat_deg = Some(lat + 2_000.0 / M_PER_DEG_LAT);
    let s = compute(&jump, &MetricsConfig::default());
    assert_eq!(s.gps_spikes_dropped, 1);
    let d = s.gps_distance_m.unwrap();
    assert!((d - 5_040.0).abs() < 5.0, "{d}");
}
