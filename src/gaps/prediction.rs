//! The race-time prediction from the block's best efforts: Daniels' VDOT carried onto the
//! course, slowed for its heat and altitude, with Riegel as a cross-check.

use super::rules::Thresholds;
use crate::history::RunRow;
use crate::predict::{ely_slowdown_pct, riegel, time_for_vdot, vdot, wbgt_c};
use crate::race::{RaceDemands, RaceSpec};
use serde::Serialize;

/// A race-time prediction from the training's best efforts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    pub vdot: f64,
    /// The effort it came from.
    pub effort_distance_m: f64,
    pub effort_time_s: f64,
    pub effort_file: String,
    /// The race's official distance the times are for.
    pub race_distance_m: f64,
    /// Flat-course times for the race distance.
    pub daniels_flat_s: f64,
    pub riegel_flat_s: f64,
    /// Daniels' time carried onto the course by its flat-equivalent distance.
    pub on_course_s: f64,
    /// Slowdown for the race's heat (Ely et al. 2007 by WBGT), when its temperature is known.
    pub heat_pct: Option<f64>,
    /// Slowdown for the course's altitude above the training's (Lara et al. 2014), when
    /// both are known; with the two altitudes, metres.
    pub altitude_pct: Option<f64>,
    pub race_altitude_m: Option<f64>,
    pub training_altitude_m: Option<f64>,
    /// The prediction on this course in its conditions: `on_course_s` slowed by both.
    pub predicted_s: f64,
}

/// Mean elevation of a profile, metres.
fn mean_elevation(profile: &[(f64, f64)]) -> Option<f64> {
    (!profile.is_empty()).then(|| profile.iter().map(|p| p.1).sum::<f64>() / profile.len() as f64)
}

/// The race's conditions against the training's: heat (Ely et al. 2007 by WBGT) and
/// altitude above the training's (Lara et al. 2014), each when known.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Conditions {
    pub heat_pct: Option<f64>,
    pub altitude_pct: Option<f64>,
    pub race_altitude_m: Option<f64>,
    pub training_altitude_m: Option<f64>,
}

impl Conditions {
    /// The slowdown as a factor on time.
    pub fn factor(&self) -> f64 {
        (1.0 + self.heat_pct.unwrap_or(0.0) / 100.0)
            * (1.0 + self.altitude_pct.unwrap_or(0.0) / 100.0)
    }
}

/// The conditions of this race for the runner of these runs.
pub fn conditions(block: &[&RunRow], demands: &RaceDemands, spec: &RaceSpec) -> Conditions {
    let heat_pct = spec
        .expected_temperature_c
        .map(|c| ely_slowdown_pct(wbgt_c(c, spec.humidity_pct.unwrap_or(50.0))));
    let race_altitude_m = mean_elevation(&demands.profile).filter(|_| demands.has_elevation);
    let mut training: Vec<f64> = block
        .iter()
        .filter_map(|r| mean_elevation(&r.stats.profile))
        .collect();
    training.sort_by(f64::total_cmp);
    let training_altitude_m = training.get(training.len() / 2).copied();
    let altitude_pct = race_altitude_m
        .zip(training_altitude_m)
        .map(|(r, tr)| crate::predict::altitude_slowdown_pct(r, tr));
    Conditions {
        heat_pct,
        altitude_pct,
        race_altitude_m,
        training_altitude_m,
    }
}

/// The best prediction the block's efforts support (highest VDOT over efforts of at least
/// `min_effort_m`).
pub fn predict(
    block: &[&RunRow],
    demands: &RaceDemands,
    c: &Conditions,
    t: &Thresholds,
) -> Option<Prediction> {
    let mut best: Option<(f64, f64, f64, String)> = None;
    for r in block {
        for e in &r.stats.best_efforts {
            if e.distance_m < t.prediction_min_effort_m || e.time_s <= 0.0 {
                continue;
            }
            let v = vdot(e.distance_m, e.time_s);
            if best.as_ref().is_none_or(|b| v > b.0) {
                best = Some((v, e.distance_m, e.time_s, r.file.clone()));
            }
        }
    }
    let (v, d, time, file) = best?;
    let race_m = demands.race_distance_m;
    let flat = time_for_vdot(v, race_m);
    let on_course = flat * demands.flat_equivalent_m / demands.distance_m.max(1.0);
    let predicted = on_course * c.factor();
    Some(Prediction {
        vdot: v,
        effort_distance_m: d,
        effort_time_s: time,
        effort_file: file,
        race_distance_m: race_m,
        daniels_flat_s: flat,
        riegel_flat_s: riegel(time, d, race_m),
        on_course_s: on_course,
        heat_pct: c.heat_pct,
        altitude_pct: c.altitude_pct,
        race_altitude_m: c.race_altitude_m,
        training_altitude_m: c.training_altitude_m,
        predicted_s: predicted,
    })
}
