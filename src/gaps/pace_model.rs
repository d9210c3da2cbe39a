//! The goal model from the runner's own running: how fast they run each grade band against
//! the flat (from the block and the 12 weeks before it, recent running weighted more),
//! carried over the course band by band at the level of their best effort (or, without
//! one, of their training), slowed for the race's duration
//! (`predict::endurance_log_slowdown`) and for its heat and altitude
//! (`prediction::conditions`). It says when the history has too little running on the
//! course's grades to predict from, instead of inventing a time.

use super::context::Block;
use crate::history::RunRow;
use crate::predict::endurance_log_slowdown;
use crate::race::{pieces, RaceDemands, Segment};
use crate::track::gap::GapModel;
use crate::track::grade_bands::{self, BANDS, LABELS};
use serde::Serialize;

/// Runs from this many days before the block also count.
pub const LOOKBACK_DAYS: i64 = 84;
/// Recency: a run's weight halves every this many days before the race (the block's last
/// run counts most).
pub const HALF_LIFE_DAYS: f64 = 42.0;
/// A run's band counts from this much running in it.
pub const MIN_BAND_M: f64 = 200.0;
/// Runs shorter than this moving are left out (warm-ups, commutes).
pub const MIN_RUN_S: f64 = 20.0 * 60.0;
/// Speeds are carried to this duration before they are compared.
pub const REFERENCE_S: f64 = 3600.0;
/// A course whose bands without data hold more than this share cannot be predicted.
pub const MAX_UNCOVERED_SHARE: f64 = 0.10;
/// A band is known from this much training in it, and from at least this share of the
/// course's distance in it: 5 km of steep training does not make 24 km of a mountain known.
pub const MIN_BAND_TOTAL_M: f64 = 1_000.0;
pub const MIN_BAND_COURSE_SHARE: f64 = 0.25;
/// A band's speed against the flat stays within these multiples of what Strava's model
/// gives an average runner (`GapModel::Strava`): a descent run in short bursts in
/// training is not held for kilometres in a race.
pub const RELATIVE_BOUNDS: (f64, f64) = (0.6, 1.1);
/// The typical speed is the weighted median of the runs', the range the 20th to 80th
/// percentile.
pub const QUANTILES: (f64, f64, f64) = (0.2, 0.5, 0.8);

/// The runner on one band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandSpeed {
    pub band: &'static str,
    /// Course distance in the band (official distance), metres.
    pub course_m: f64,
    /// Runs with running in the band, and how much.
    pub runs: usize,
    pub training_m: f64,
    /// Speeds at the reference duration (slow, typical, fast), m/s; `None` without data.
    pub speed_mps: Option<(f64, f64, f64)>,
    /// Those speeds over the typical flat one: how the runner runs this grade.
    pub relative: Option<(f64, f64, f64)>,
    /// Filled from the flat band by the grade-adjustment model (less than
    /// `MAX_UNCOVERED_SHARE` of the course).
    pub filled: bool,
}

/// The prediction of the grade model.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GradeModel {
    pub bands: Vec<BandSpeed>,
    pub runs: usize,
    /// Share of the course in bands the history has no running on.
    pub uncovered_share: f64,
    /// Course time at the typical speeds, and the range (fast, slow), in the conditions.
    pub predicted_s: Option<f64>,
    pub fast_s: Option<f64>,
    pub slow_s: Option<f64>,
    /// Why there is no prediction.
    pub why_not: Option<String>,
    /// What sets the level: the best effort, or the training's own pace.
    pub level: String,
}

/// How much a step on `grade` in band `k` counts against the band's own speed: 1 inside
/// the bounded bands; in the open ones (below -10 %, above 10 %) Strava's factor against
/// the band's edge, so a 30 % slope is not run at a 12 % slope's speed and a steeper
/// step is never faster than a gentler one.
pub fn open_band_weight(k: usize, grade: f64) -> f64 {
    let edge = match k {
        0 => grade_bands::EDGES[0],
        k if k == BANDS - 1 => grade_bands::EDGES[grade_bands::EDGES.len() - 1],
        _ => return 1.0,
    };
    let w = GapModel::Strava.factor(grade) / GapModel::Strava.factor(edge);
    w.max(1.0)
}

/// The course's distance per band, scaled to the official distance; `weighted`: the open
/// bands' steps weighted by `open_band_weight` (for time), else plain distance (for shares).
pub fn course_bands(d: &RaceDemands, weighted: bool) -> [f64; BANDS] {
    let (x, g) = profile_grades(&d.profile);
    let mut out = grade_bands::of_course(&x, &g, |k, grade| {
        if weighted {
            open_band_weight(k, grade)
        } else {
            1.0
        }
    });
    let scale = d.official_scale();
    let total: f64 = out.iter().sum();
    if total > 0.0 {
        for v in &mut out {
            *v *= scale;
        }
    } else {
        out[grade_bands::band_of(0.0)] = d.race_distance_m;
    }
    out
}

/// Distances and grades of a (distance, elevation) profile: each point's grade is its
/// step's.
fn profile_grades(profile: &[(f64, f64)]) -> (Vec<f64>, Vec<f64>) {
    let x: Vec<f64> = profile.iter().map(|p| p.0).collect();
    let g: Vec<f64> = (0..profile.len())
        .map(|i| {
            let (a, b) = if i == 0 {
                (0, 1.min(profile.len() - 1))
            } else {
                (i - 1, i)
            };
            let dx = profile[b].0 - profile[a].0;
            if dx > 0.0 {
                (profile[b].1 - profile[a].1) / dx
            } else {
                0.0
            }
        })
        .collect();
    (x, g)
}

/// Weighted quantile of (value, weight) pairs.
fn quantile(v: &mut [(f64, f64)], q: f64) -> Option<f64> {
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = v.iter().map(|x| x.1).sum();
    if total <= 0.0 {
        return None;
    }
    let mut acc = 0.0;
    for &(x, w) in v.iter() {
        acc += w;
        if acc >= q * total {
            return Some(x);
        }
    }
    v.last().map(|x| x.0)
}

/// The runs the model learns from: the block and `LOOKBACK_DAYS` before it.
fn learning_runs<'a>(b: &'a Block) -> Vec<&'a RunRow> {
    b.rows
        .iter()
        .filter(|r| r.is_run && r.day >= b.start_day - LOOKBACK_DAYS && r.day < b.race_day)
        .filter(|r| r.moving_s >= MIN_RUN_S && r.stats.grade_bands.len() == BANDS)
        .collect()
}

/// Per band: (speed at the reference duration, weight) of every run with running in it.
fn band_samples(runs: &[&RunRow], race_day: i64) -> Vec<Vec<(f64, f64)>> {
    let mut out = vec![Vec::new(); BANDS];
    for r in runs {
        let age = (race_day - r.day).max(0) as f64;
        let recency = 0.5f64.powf(age / HALF_LIFE_DAYS);
        let to_reference = endurance_log_slowdown(r.moving_s, REFERENCE_S).exp();
        for (k, b) in r.stats.grade_bands.iter().enumerate() {
            if b.distance_m >= MIN_BAND_M && b.moving_s > 0.0 {
                let v = b.distance_m / b.moving_s * to_reference;
                out[k].push((v, recency * b.distance_m));
            }
        }
    }
    out
}

/// Grade at the middle of a band, for filling it from the flat.
fn band_centre(k: usize) -> f64 {
    let e = grade_bands::EDGES;
    match k {
        0 => e[0] - 0.05,
        k if k == BANDS - 1 => e[e.len() - 1] + 0.05,
        k => 0.5 * (e[k - 1] + e[k]),
    }
}

/// Race time for band speeds held for `reference_s`: the fixed point of
/// `T = Σ d/v · exp(slowdown(T))` (a few steps: the slowdown grows slowly with T).
pub fn race_time_s(course_m: &[f64], speeds: &[f64], reference_s: f64) -> f64 {
    let t0: f64 = course_m
        .iter()
        .zip(speeds)
        .filter(|(d, _)| **d > 0.0)
        .map(|(d, v)| d / v)
        .sum();
    let mut t = t0;
    for _ in 0..60 {
        t = t0 * endurance_log_slowdown(t, reference_s).exp();
    }
    t
}

/// The best effort that sets the level: the block's highest VDOT (speed m/s, seconds).
fn best_effort(b: &Block) -> Option<(f64, f64, String)> {
    b.prediction.as_ref().map(|p| {
        (
            p.effort_distance_m / p.effort_time_s,
            p.effort_time_s,
            format!(
                "your best effort ({} in {})",
                b.units.distance(p.effort_distance_m),
                crate::units::hms(p.effort_time_s)
            ),
        )
    })
}

pub fn model(b: &Block) -> GradeModel {
    let runs = learning_runs(b);
    let course = course_bands(b.demands, true);
    let plain = course_bands(b.demands, false);
    let samples = band_samples(&runs, b.race_day);
    let mut bands: Vec<BandSpeed> = (0..BANDS)
        .map(|k| {
            let mut s = samples[k].clone();
            let (ql, qm, qh) = QUANTILES;
            let training_m: f64 = runs.iter().map(|r| r.stats.grade_bands[k].distance_m).sum();
            let speed = quantile(&mut s, ql)
                .zip(quantile(&mut s, qm))
                .zip(quantile(&mut s, qh))
                .map(|((a, m), c)| (a, m, c))
                .filter(|_| training_m >= MIN_BAND_TOTAL_M.max(MIN_BAND_COURSE_SHARE * course[k]));
            BandSpeed {
                band: LABELS[k],
                course_m: plain[k],
                runs: samples[k].len(),
                training_m,
                speed_mps: speed,
                relative: None,
                filled: false,
            }
        })
        .collect();
    let total: f64 = course.iter().sum();
    let uncovered: f64 = bands
        .iter()
        .filter(|b| b.speed_mps.is_none())
        .map(|b| b.course_m)
        .sum();
    let uncovered_share = if total > 0.0 {
        uncovered / total + 0.0
    } else {
        1.0
    };
    let flat = bands[grade_bands::band_of(0.0)].speed_mps;
    let mut out = GradeModel {
        bands: Vec::new(),
        runs: runs.len(),
        uncovered_share,
        ..GradeModel::default()
    };
    let refuse = |mut out: GradeModel, bands: Vec<BandSpeed>, why: String| {
        out.why_not = Some(why);
        out.bands = bands;
        out
    };
    if !b.demands.has_elevation {
        let why =
            "the course file has no elevation: its grades, and your pace on them, are unknown";
        return refuse(out, bands, why.into());
    }
    let Some(flat) = flat else {
        let why = format!(
            "no timed runs of 20+ min with elevation on the flat in the block and the {} weeks before it",
            LOOKBACK_DAYS / 7
        );
        return refuse(out, bands, why);
    };
    if uncovered_share > MAX_UNCOVERED_SHARE {
        let missing: Vec<&str> = bands
            .iter()
            .filter(|b| b.speed_mps.is_none() && b.course_m > 0.0)
            .map(|b| b.band)
            .collect();
        let why = format!(
            "{:.0} % of the course is on grades you have run too little of in the block and the {} weeks before it ({}; a grade is known from {} of training on it, or a quarter of the course's distance on it): your history cannot predict this course",
            uncovered_share * 100.0,
            LOOKBACK_DAYS / 7,
            missing.join(", "),
            b.units.distance_dp(MIN_BAND_TOTAL_M, 0)
        );
        return refuse(out, bands, why);
    }
    // Each band against the typical flat speed, within bounds of an average runner's.
    for (k, band) in bands.iter_mut().enumerate() {
        let strava = 1.0 / GapModel::Strava.factor(band_centre(k));
        let bound = |r: f64| r.clamp(RELATIVE_BOUNDS.0 * strava, RELATIVE_BOUNDS.1 * strava);
        band.relative = Some(match band.speed_mps {
            Some(s) => (
                bound(s.0 / flat.1),
                bound(s.1 / flat.1),
                bound(s.2 / flat.1),
            ),
            None => {
                band.filled = true;
                (strava, strava, strava)
            }
        });
    }
    // The level: the best effort's speed and duration, else the training's flat speed.
    let (level_mps, level_s, level) = match best_effort(b) {
        Some(e) => e,
        None => (
            flat.1,
            REFERENCE_S,
            "the effort of your training runs (no best effort of 5 km or more in the block)".into(),
        ),
    };
    let pick = |i: usize| -> Vec<f64> {
        bands
            .iter()
            .map(|band| {
                let r = band.relative.unwrap_or((1.0, 1.0, 1.0));
                level_mps * [r.0, r.1, r.2][i]
            })
            .collect()
    };
    let factor = b.conditions.factor();
    out.slow_s = Some(race_time_s(&course, &pick(0), level_s) * factor);
    out.predicted_s = Some(race_time_s(&course, &pick(1), level_s) * factor);
    out.fast_s = Some(race_time_s(&course, &pick(2), level_s) * factor);
    out.level = level;
    out.bands = bands;
    out
}

/// Per-km targets for a finishing time: each segment gets the share of the time the
/// runner's typical speeds give it.
pub fn targets(m: &GradeModel, d: &RaceDemands, finish_s: f64) -> Vec<Segment> {
    let speeds: Vec<f64> = m
        .bands
        .iter()
        .map(|b| b.relative.map(|s| s.1).unwrap_or(0.0))
        .collect();
    if speeds.iter().any(|v| *v <= 0.0) || d.segments.is_empty() {
        return Vec::new();
    }
    let time_of = |a: f64, z: f64| -> f64 {
        pieces(&d.profile, a, z)
            .map(|(len, g, _)| {
                let k = grade_bands::band_of(g);
                len * open_band_weight(k, g) / speeds[k]
            })
            .sum()
    };
    let raw: Vec<f64> = d
        .segments
        .iter()
        .map(|s| time_of(s.start_m, s.end_m))
        .collect();
    let total: f64 = raw.iter().sum();
    if total <= 0.0 {
        return Vec::new();
    }
    d.segments
        .iter()
        .zip(&raw)
        .map(|(s, t)| {
            let len = s.end_m - s.start_m;
            Segment {
                target_pace_s_per_km: (len > 0.0).then(|| finish_s * t / total / len * 1000.0),
                ..*s
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn race_time_carries_speeds_and_slows_for_duration() {
        // 10 km at 3 m/s held for an hour: the race takes about an hour, a little over
        // 3333 s slowed for its own duration near the reference.
        let t = race_time_s(&[10_000.0], &[3.0], REFERENCE_S);
        let t0 = 10_000.0 / 3.0;
        assert!(t > t0 * 0.99 && t < t0 * 1.01, "{t}");
        // 100 km at the same speeds takes longer than 10× (slower for 10 h).
        let long = race_time_s(&[100_000.0], &[3.0], REFERENCE_S);
        assert!(long > 10.0 * t * 1.1, "{long}");
        // Two bands add their times.
        let two = race_time_s(&[5_000.0, 5_000.0], &[3.0, 1.5], REFERENCE_S);
        assert!(two > t * 1.4, "{two}");
    }

    #[test]
    fn weighted_quantiles() {
        let mut v = vec![(3.0, 1.0), (1.0, 1.0), (2.0, 2.0)];
        assert_eq!(quantile(&mut v, 0.5), Some(2.0));
        assert_eq!(quantile(&mut v, 0.2), Some(1.0));
        assert_eq!(quantile(&mut v, 0.9), Some(3.0));
        assert_eq!(quantile(&mut [], 0.5), None);
    }
}
