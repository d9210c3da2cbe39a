//! Per-activity signal processing: turns one `Activity` into `ActivityStats`, the numbers
//! runners quote. Pure functions over slices, one concept per submodule.

pub mod climbs;
pub mod clock;
pub mod course;
pub mod distance;
pub mod elevation;
pub mod gap;
pub mod grade_bands;
pub mod heat;
pub mod hr;
pub mod moving;
pub mod pace;

use crate::model::{Activity, ElevationSource, Sport};
use climbs::Climb;
use heat::Heat;
use hr::HeartRate;
use pace::{BestEffort, GoalPace};
use serde::{Deserialize, Serialize};

/// Grade is measured over this span of the smoothed profile for grade-adjusted pace
/// (50-100 m: shorter spans turn elevation noise into grade).
pub const GRADE_SPAN_M: f64 = 100.0;
/// Spacing of the elevation profile kept with the stats (for charts and course segments).
pub const PROFILE_STEP_M: f64 = 50.0;
/// Default goal-pace tolerance: ±3 %.
pub const DEFAULT_GOAL_TOLERANCE: f64 = 0.03;

/// What the per-run metrics depend on besides the activity.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsConfig {
    /// Goal pace, seconds per km (flat-equivalent), if a goal is known.
    pub goal_pace_s_per_km: Option<f64>,
    pub goal_tolerance: f64,
    pub heat_bands_c: Vec<f64>,
    /// Added to every temperature reading (negative for a wrist sensor that reads warm).
    pub temperature_offset_c: f64,
    pub max_hr_bpm: Option<f64>,
    /// The grade-adjustment model of flat-equivalent distance and grade-adjusted pace.
    pub gap_model: gap::GapModel,
    /// The elevation pipeline's tuned constants.
    pub elevation: elevation::Tuning,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            goal_pace_s_per_km: None,
            goal_tolerance: DEFAULT_GOAL_TOLERANCE,
            heat_bands_c: heat::DEFAULT_BANDS_C.to_vec(),
            temperature_offset_c: 0.0,
            max_hr_bpm: None,
            gap_model: gap::GapModel::default(),
            elevation: elevation::TUNED,
        }
    }
}

/// Where the reported distance comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistanceSource {
    /// The device's own total (FIT session, TCX laps, or its distance channel).
    Device,
    /// Our geodesic sum over the GPS fixes.
    Gps,
    None,
}

/// Everything measured in one activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityStats {
    pub label: String,
    pub sport: Sport,
    pub start_ms: Option<i64>,
    pub elapsed_s: f64,
    pub moving_s: f64,
    pub paused_s: f64,
    pub pauses: usize,
    /// The distance to quote: the device's where it recorded one, else ours.
    pub distance_m: f64,
    pub distance_source: DistanceSource,
    pub gps_distance_m: Option<f64>,
    pub device_distance_m: Option<f64>,
    pub gps_spikes_dropped: usize,
    pub elevation_source: ElevationSource,
    pub ascent_m: Option<f64>,
    pub descent_m: Option<f64>,
    pub device_ascent_m: Option<f64>,
    pub device_descent_m: Option<f64>,
    pub min_elevation_m: Option<f64>,
    pub max_elevation_m: Option<f64>,
    pub climbs: Vec<Climb>,
    pub descents: Vec<Climb>,
    /// Distance run on grades steeper than -5 %.
    pub downhill_distance_m: f64,
    /// Distance weighted by the grade-adjustment model's factor of each step's grade.
    pub flat_equivalent_m: f64,
    pub pace_s_per_km: Option<f64>,
    pub gap_s_per_km: Option<f64>,
    pub goal_pace: Option<GoalPace>,
    pub fade_pct: Option<f64>,
    /// Grade-adjusted pace of each quarter of the distance, s/km (a race's pace profile).
    #[serde(default)]
    pub quarters_s_per_km: Vec<f64>,
    pub best_efforts: Vec<BestEffort>,
    /// Distance and moving time per grade band (`grade_bands::EDGES`); empty without
    /// timed distance and elevation.
    #[serde(default)]
    pub grade_bands: Vec<grade_bands::BandTotal>,
    /// Grade-adjusted pace of each whole kilometre, s/km (the pace distribution).
    pub gap_splits_s_per_km: Vec<f64>,
    pub heat: Option<Heat>,
    pub heart_rate: Option<HeartRate>,
    /// The smoothed elevation profile, (distance m, elevation m), one point per
    /// `PROFILE_STEP_M` of distance: enough to draw and compare, small enough to keep for
    /// every activity of a long history.
    pub profile: Vec<(f64, f64)>,
    /// Data problems found and worked around.
    pub problems: Vec<String>,
}

impl ActivityStats {
    pub fn biggest_climb(&self) -> Option<Climb> {
        climbs::biggest(&self.climbs)
    }
    pub fn biggest_descent(&self) -> Option<Climb> {
        climbs::biggest(&self.descents)
    }
}

/// The cleaned, aligned series the metrics are computed on.
struct Series {
    /// Indices into the activity's samples.
    idx: Vec<usize>,
    /// Seconds since the first kept sample; empty for routes.
    t: Vec<f64>,
    /// Cumulative GPS distance (spikes dropped, carried over missing fixes), metres.
    gps_cum: Option<Vec<f64>>,
    /// The device's cumulative distance, where (nearly) every point has it.
    device_cum: Option<Vec<f64>>,
    spikes: usize,
}

impl Series {
    /// The best distance stream: the device's, else GPS; empty when neither exists.
    fn distance(&self) -> &[f64] {
        self.device_cum
            .as_deref()
            .or(self.gps_cum.as_deref())
            .unwrap_or(&[])
    }
}

/// Cumulative sum of the increments of `cum` over the steps marked in `keep`.
fn masked_cumulative(cum: &[f64], keep: &[bool]) -> Vec<f64> {
    let mut acc = 0.0;
    let mut out = Vec::with_capacity(cum.len());
    for i in 0..cum.len() {
        if i > 0 && keep.get(i).copied().unwrap_or(true) {
            acc += cum[i] - cum[i - 1];
        }
        out.push(acc);
    }
    out
}

/// The fastest credible speed of the activity's sport.
fn max_speed_of(act: &Activity) -> f64 {
    match act.sport {
        Sport::Cycling | Sport::Skiing => distance::MAX_RIDE_SPEED_MPS,
        _ => distance::MAX_RUN_SPEED_MPS,
    }
}

/// Keeps samples in strictly increasing time (or all, for routes), counting the others.
fn timeline(act: &Activity, problems: &mut Vec<String>) -> Vec<usize> {
    if act.is_route() {
        return (0..act.samples.len()).collect();
    }
    let mut kept = Vec::with_capacity(act.samples.len());
    let mut last = i64::MIN;
    let mut bad = 0;
    for (i, s) in act.samples.iter().enumerate() {
        match s.time_ms {
            Some(t) if t > last => {
                kept.push(i);
                last = t;
            }
            Some(_) => bad += 1,
            None => {}
        }
    }
    if bad > 0 {
        problems.push(format!(
            "{bad} sample(s) with duplicate or backwards timestamps dropped"
        ));
    }
    kept
}

/// Aligns distance with the kept samples. Every timed sample stays in the series (a stretch
/// without a GPS fix still has heart rate, altitude and time); GPS distance is carried
/// forward across fixes that are missing or dropped as spikes.
fn series(act: &Activity, timed: &[usize]) -> Series {
    let samples = &act.samples;
    let route = act.is_route();
    let idx: Vec<usize> = if route {
        timed
            .iter()
            .copied()
            .filter(|&i| samples[i].has_position())
            .collect()
    } else {
        timed.to_vec()
    };
    let max_speed = max_speed_of(act);
    let t0 = idx.first().and_then(|&i| samples[i].time_ms);
    let secs = |i: usize| -> Option<f64> {
        match (samples[i].time_ms, t0) {
            (Some(t), Some(z)) => Some((t - z) as f64 / 1000.0),
            _ => None,
        }
    };
    // Positions by series index.
    let positioned: Vec<usize> = (0..idx.len())
        .filter(|&k| samples[idx[k]].has_position())
        .collect();
    let (gps_cum, spikes) = if positioned.len() >= 2 && positioned.len() * 2 >= idx.len() {
        let fixes: Vec<(f64, f64, Option<f64>)> = positioned
            .iter()
            .map(|&k| {
                let s = &samples[idx[k]];
                (
                    s.lat_deg.unwrap_or(0.0),
                    s.lon_deg.unwrap_or(0.0),
                    secs(idx[k]),
                )
            })
            .collect();
        let f = distance::cumulative(&fixes, max_speed);
        let mut cum = vec![f64::NAN; idx.len()];
        for (j, &kept) in f.kept.iter().enumerate() {
            cum[positioned[kept]] = f.cum_m[j];
        }
        let mut last = 0.0;
        for c in cum.iter_mut() {
            if c.is_nan() {
                *c = last;
            } else {
                last = *c;
            }
        }
        (Some(cum), f.spikes)
    } else {
        (None, 0)
    };
    // The device's cumulative distance, where (nearly) every point has it.
    let with_dev = idx
        .iter()
        .filter(|&&i| samples[i].device_distance_m.is_some())
        .count();
    let device_cum = (with_dev >= 2 && with_dev * 10 >= idx.len() * 9).then(|| {
        let first = idx
            .iter()
            .find_map(|&i| samples[i].device_distance_m)
            .unwrap_or(0.0);
        let mut last = 0.0f64;
        idx.iter()
            .map(|&i| {
                if let Some(v) = samples[i].device_distance_m {
                    last = last.max(v - first);
                }
                last
            })
            .collect::<Vec<f64>>()
    });
    let t: Vec<f64> = if route {
        Vec::new()
    } else {
        idx.iter().map(|&i| secs(i).unwrap_or(0.0)).collect()
    };
    Series {
        idx,
        t,
        gps_cum,
        device_cum,
        spikes,
    }
}

/// Computes every per-run metric of one activity.
pub fn compute(act: &Activity, cfg: &MetricsConfig) -> ActivityStats {
    let mut problems = Vec::new();
    // One bad timestamp must not cost the rest of the recording.
    let (repaired, clock_fix) = clock::repair(act);
    let act = repaired.as_ref().unwrap_or(act);
    problems.extend(clock_fix.notes());
    let timed = timeline(act, &mut problems);
    let s = series(act, &timed);
    if s.spikes > 0 {
        problems.push(format!("{} GPS spike(s) dropped", s.spikes));
    }
    if timed.len() < 2 {
        problems.push(format!(
            "only {} usable point(s): nothing to measure",
            timed.len()
        ));
    }
    // Moving time first: GPS jitter while standing still is not distance.
    let raw_d = s.distance();
    // An indoor recording: distance from the device's own stream, no position.
    let indoor = s.gps_cum.is_none() && s.device_cum.is_some();
    let mut mv = moving::moving(
        &s.t,
        if raw_d.len() == s.t.len() { raw_d } else { &[] },
        Some(if indoor {
            moving::MIN_SPEED_MPS
        } else {
            moving::GPS_GAP_MOVING_MPS
        }),
    );
    // Moving time is never below the device's timer time on an indoor run: a treadmill
    // has no traffic lights, and the timer stops when the device pauses.
    if let Some(timer) = act.device_totals.timer_time_s.filter(|_| indoor) {
        if timer > mv.moving_s {
            problems.push(format!(
                "moving time from the device's timer ({}): an indoor recording's samples show less",
                crate::units::hms(timer)
            ));
            mv.paused_s = (mv.paused_s - (timer - mv.moving_s)).max(0.0);
            mv.moving_s = timer;
        }
    }
    let timed_track = !s.t.is_empty() && s.t.len() == raw_d.len();
    let gps_cum = s.gps_cum.as_ref().map(|c| {
        if timed_track {
            masked_cumulative(c, &mv.moving)
        } else {
            c.clone()
        }
    });
    let gps_distance_m = gps_cum.as_ref().and_then(|c| c.last().copied());
    let d: Vec<f64> = match (&s.device_cum, gps_cum) {
        (Some(dev), _) => dev.clone(),
        (None, Some(g)) => g,
        (None, None) => Vec::new(),
    };
    let device_totals = act.device_totals;
    let device_distance_m = device_totals.distance_m.filter(|d| *d > 0.0).or(s
        .device_cum
        .as_ref()
        .and_then(|c| c.last().copied())
        .filter(|d| *d > 0.0));
    let (distance_m, distance_source) = match (device_distance_m, gps_distance_m) {
        (Some(d), _) => (d, DistanceSource::Device),
        (None, Some(g)) => (g, DistanceSource::Gps),
        (None, None) => (0.0, DistanceSource::None),
    };
    if distance_m == 0.0 && timed.len() >= 2 && distance_source != DistanceSource::None {
        problems.push("zero distance".into());
    }

    // Elevation along the series (x: distance, or time where there is no distance).
    let x: &[f64] = if d.len() == s.idx.len() && !d.is_empty() {
        &d
    } else {
        &s.t
    };
    let raw: Vec<Option<f64>> = s.idx.iter().map(|&i| act.samples[i].elevation_m).collect();
    let cleaned = if x.len() == raw.len() {
        elevation::clean(&raw, x)
    } else {
        None
    };
    let source = if cleaned.is_some() {
        act.elevation_source
    } else {
        ElevationSource::None
    };
    let mut out_climbs = Vec::new();
    let mut out_descents = Vec::new();
    let mut ascent = None;
    let mut descent = None;
    let (mut min_e, mut max_e) = (None, None);
    let mut grade = vec![0.0; d.len()];
    let mut graded = false;
    let mut profile = Vec::new();
    // The smoothed elevation at each point of `d`, where the run has one.
    let mut elevation_at: Option<Vec<f64>> = None;
    if let Some(c) = &cleaned {
        if c.rejected > 0 {
            problems.push(format!(
                "{} absurd elevation value(s) replaced by interpolation",
                c.rejected
            ));
        }
        let smooth = if s.t.len() == c.elevation_m.len() {
            elevation::running_median(
                &s.t,
                &c.elevation_m,
                cfg.elevation.median_window_s(elevation::judged_source(
                    source,
                    elevation::noise_sd(&s.t, &c.elevation_m, elevation::NOISE_SPAN_S, 60),
                )),
            )
        } else {
            elevation::smooth(x, &c.elevation_m, elevation::SMOOTH_DISTANCE_M)
        };
        let (g, l, _) = elevation::adaptive_gain_loss_at(&smooth, cfg.elevation.knee_share);
        ascent = Some(g);
        descent = Some(l);
        min_e = smooth.iter().copied().reduce(f64::min);
        max_e = smooth.iter().copied().reduce(f64::max);
        if d.len() == smooth.len() && !d.is_empty() {
            out_climbs = climbs::climbs(&d, &smooth);
            out_descents = climbs::descents(&d, &smooth);
            grade = climbs::grades(&d, &smooth, GRADE_SPAN_M);
            graded = true;
            profile = downsample(&d, &smooth, PROFILE_STEP_M);
            elevation_at = Some(smooth);
        }
    }
    let downhill_distance_m: f64 = (1..d.len())
        .filter(|&i| 0.5 * (grade[i] + grade[i - 1]) < climbs::DOWNHILL_GRADE)
        .map(|i| d[i] - d[i - 1])
        .sum();
    let f = gap::flat_equivalent_cum(cfg.gap_model, &d, &grade);
    let flat_equivalent_m = f.last().copied().unwrap_or(0.0);

    let mut mt = Vec::with_capacity(s.t.len());
    let mut acc = 0.0;
    for i in 0..s.t.len() {
        if i > 0 && mv.moving[i] {
            acc += s.t[i] - s.t[i - 1];
        }
        mt.push(acc);
    }
    let pace_of =
        |metres: f64| (metres > 0.0 && mv.moving_s > 0.0).then(|| mv.moving_s / metres * 1000.0);
    let goal_pace = match (cfg.goal_pace_s_per_km, timed_track) {
        (Some(g), true) => Some(pace::goal_pace(
            &s.t,
            &d,
            &f,
            &mv.moving,
            g,
            cfg.goal_tolerance,
        )),
        _ => None,
    };
    // A device distance stream that leaps (a lap reset, a glitch) gives no best effort:
    // 1 km in 4 s is a glitch, not a record. (GPS steps were checked for speed already.)
    let leap = if timed_track && s.device_cum.is_some() {
        (1..d.len()).find(|&i| {
            let dt = s.t[i] - s.t[i - 1];
            dt > 0.0 && (d[i] - d[i - 1]) / dt > max_speed_of(act)
        })
    } else {
        None
    };
    if let Some(i) = leap {
        problems.push(format!(
            "distance leaps {:.0} m in {:.0} s at {}: no best efforts from this run",
            d[i] - d[i - 1],
            s.t[i] - s.t[i - 1],
            crate::units::hms(s.t[i])
        ));
    }
    let best_efforts = if timed_track && leap.is_none() {
        pace::best_efforts(&s.t, &d, elevation_at.as_deref(), &mv.gaps)
    } else {
        Vec::new()
    };
    // Nor a fade: the pace inside such a stream is not the runner's.
    let (fade_pct, quarters_s_per_km) = if timed_track && leap.is_none() {
        (pace::fade_pct(&d, &f, &mt), pace::quarters(&d, &f, &mt))
    } else {
        (None, Vec::new())
    };
    let grade_bands = if timed_track && graded {
        grade_bands::of_run(&s.t, &d, &grade, &mv.moving).to_vec()
    } else {
        Vec::new()
    };
    let gap_splits_s_per_km = if timed_track {
        pace::gap_splits(&d, &f, &mt)
    } else {
        Vec::new()
    };

    // Heat and heart rate over every timed sample (a sensor does not need a GPS fix).
    let t0 = timed
        .first()
        .and_then(|&i| act.samples[i].time_ms)
        .unwrap_or(0);
    let tt: Vec<f64> = timed
        .iter()
        .map(|&i| (act.samples[i].time_ms.unwrap_or(t0) - t0) as f64 / 1000.0)
        .collect();
    let temps: Vec<Option<f64>> = timed
        .iter()
        .map(|&i| act.samples[i].temperature_c)
        .collect();
    let hrs: Vec<Option<f64>> = timed
        .iter()
        .map(|&i| act.samples[i].heart_rate_bpm)
        .collect();
    let heat = heat::heat(&tt, &temps, cfg.temperature_offset_c, &cfg.heat_bands_c);
    let heart_rate = hr::heart_rate(&tt, &hrs, cfg.max_hr_bpm);

    ActivityStats {
        label: act.label(),
        sport: act.sport,
        start_ms: act.start_ms(),
        elapsed_s: act.elapsed_s().unwrap_or(0.0),
        moving_s: mv.moving_s,
        paused_s: mv.paused_s,
        pauses: mv.pauses,
        distance_m,
        distance_source,
        gps_distance_m,
        device_distance_m,
        gps_spikes_dropped: s.spikes,
        elevation_source: source,
        ascent_m: ascent,
        descent_m: descent,
        device_ascent_m: device_totals.ascent_m,
        device_descent_m: device_totals.descent_m,
        min_elevation_m: min_e,
        max_elevation_m: max_e,
        climbs: out_climbs,
        descents: out_descents,
        downhill_distance_m,
        flat_equivalent_m,
        pace_s_per_km: pace_of(d.last().copied().unwrap_or(0.0)),
        gap_s_per_km: pace_of(flat_equivalent_m),
        goal_pace,
        fade_pct,
        quarters_s_per_km,
        best_efforts,
        grade_bands,
        gap_splits_s_per_km,
        heat,
        heart_rate,
        profile,
        problems,
    }
}

/// One point per `step` metres of distance (the first point at or past each step), plus
/// the last point; values rounded to 0.1 m (a profile needs no more, and it keeps the
/// cache small).
pub fn downsample(d: &[f64], e: &[f64], step: f64) -> Vec<(f64, f64)> {
    let r = |v: f64| (v * 10.0).round() / 10.0;
    let mut out = Vec::new();
    let mut next = 0.0;
    for (x, y) in d.iter().zip(e) {
        if *x >= next {
            out.push((r(*x), r(*y)));
            next = x + step;
        }
    }
    if let (Some(&x), Some(&y)) = (d.last(), e.last()) {
        if out.last().map(|p| p.0) != Some(r(x)) {
            out.push((r(x), r(y)));
        }
    }
    out
}
