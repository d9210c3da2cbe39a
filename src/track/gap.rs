//! Grade-adjusted pace: how much farther a step on a grade counts on the flat (its
//! flat-equivalent distance), by one of two models (`GapModel`):
//! - `Strava` (the default): Strava's 2017 model, fitted to the heart rate of about 6
//!   million runs (Robb, "An Improved GAP Model", Strava Engineering, 2017). Strava publishes
//!   no formula; its factors were measured by uploading constant-grade files (Schroeder,
//!   github.com/aaron-schroeder/specialsauce) and are interpolated here. Downhill it gives
//!   what runners actually gain: at most 12 % (at −8 to −10 %).
//! - `Minetti`: the metabolic cost measured on a treadmill by Minetti et al. 2002 (J Appl
//!   Physiol 93:1039), `C(i) = 155.4 i^5 − 30.4 i^4 − 43.3 i^3 + 46.3 i^2 + 19.5 i + 3.6`
//!   J/kg/m on gradient i (fraction, clamped to ±0.45). Its downhill benefit (−10 % counts
//!   0.6× the distance) is far more than runners can use at race pace.

use serde::{Deserialize, Serialize};

/// Which grade-adjustment model to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum GapModel {
    /// Strava's 2017 heart-rate model (empirical).
    #[default]
    Strava,
    /// Minetti et al. 2002 metabolic cost.
    Minetti,
}

impl GapModel {
    pub fn name(self) -> &'static str {
        match self {
            GapModel::Strava => "Strava 2017",
            GapModel::Minetti => "Minetti 2002",
        }
    }

    /// How much farther a step on `grade` (fraction) counts on the flat.
    pub fn factor(self, grade: f64) -> f64 {
        match self {
            GapModel::Strava => strava_factor(grade),
            GapModel::Minetti => flat_factor(grade),
        }
    }
}

/// Strava's grade factors, (grade %, factor), as measured by Schroeder (see above).
pub const STRAVA_FACTORS: [(f64, f64); 21] = [
    (-45.0, 2.096),
    (-30.0, 1.495),
    (-25.0, 1.273),
    (-20.0, 1.081),
    (-15.0, 0.941),
    (-10.0, 0.876),
    (-8.0, 0.876),
    (-6.0, 0.891),
    (-4.0, 0.918),
    (-2.0, 0.96),
    (0.0, 1.0),
    (2.0, 1.055),
    (4.0, 1.135),
    (6.0, 1.228),
    (8.0, 1.337),
    (10.0, 1.459),
    (15.0, 1.846),
    (20.0, 2.297),
    (25.0, 2.727),
    (30.0, 3.158),
    (45.0, 4.286),
];

/// Strava's factor at `grade` (fraction): linear between the measured grades, held at the
/// ends (±45 %).
pub fn strava_factor(grade: f64) -> f64 {
    let g = (grade * 100.0).clamp(-45.0, 45.0);
    if g.is_nan() {
        return 1.0;
    }
    let k = STRAVA_FACTORS
        .windows(2)
        .position(|w| g <= w[1].0)
        .unwrap_or(STRAVA_FACTORS.len() - 2);
    let (a, b) = (STRAVA_FACTORS[k], STRAVA_FACTORS[k + 1]);
    a.1 + (g - a.0) / (b.0 - a.0) * (b.1 - a.1)
}

/// Steepest gradient the polynomial was fitted over.
pub const MAX_GRADE: f64 = 0.45;

/// Minetti's energy cost of running, J/kg/m.
pub fn cost(grade: f64) -> f64 {
    let i = grade.clamp(-MAX_GRADE, MAX_GRADE);
    ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6
}

/// How much farther a step on `grade` counts on the flat, by Minetti's cost.
pub fn flat_factor(grade: f64) -> f64 {
    cost(grade) / cost(0.0)
}

/// Cumulative flat-equivalent distance along the track.
pub fn flat_equivalent_cum(model: GapModel, d: &[f64], grade: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(d.len());
    let mut acc = 0.0;
    for i in 0..d.len() {
        if i > 0 {
            let g = 0.5 * (grade[i - 1] + grade[i]);
            acc += (d[i] - d[i - 1]) * model.factor(g);
        }
        out.push(acc);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Minetti 2002's measured means ± SD for running, J/kg/m: the polynomial must land inside.
    #[test]
    fn reproduces_minettis_measured_costs() {
        for (i, mean, sd) in [
            (0.0, 3.40, 0.24),
            (0.45, 18.93, 1.74),
            (-0.20, 1.73, 0.36),
            (-0.45, 3.92, 0.81),
        ] {
            let c = cost(i);
            assert!(
                (c - mean).abs() <= sd,
                "C({i}) = {c}, published {mean} ± {sd}"
            );
        }
    }

    /// The polynomial itself at the published gradients (hand-evaluated).
    #[test]
    fn polynomial_values() {
        for (i, want) in [
            (-0.45, 4.0323),
            (-0.2, 1.8),
            (-0.1, 2.1517),
            (0.0, 3.6),
            (0.1, 5.9682),
            (0.2, 9.0067),
            (0.45, 19.426),
        ] {
            assert!((cost(i) - want).abs() < 1e-3, "C({i}) = {}", cost(i));
        }
        assert_eq!(cost(0.9), cost(0.45));
        assert_eq!(cost(-2.0), cost(-0.45));
    }

    /// Schroeder's measured points are reproduced exactly, in between linearly, and the
    /// downhill benefit stops at 12 %: steeper descents cost again.
    #[test]
    fn strava_factors() {
        for (g, f) in STRAVA_FACTORS {
            assert!((strava_factor(g / 100.0) - f).abs() < 1e-12, "{g}");
        }
        assert!((strava_factor(0.03) - 1.095).abs() < 1e-9);
        assert_eq!(strava_factor(0.9), 4.286);
        assert_eq!(strava_factor(f64::NAN), 1.0);
        let min = (-450..=450)
            .map(|g| strava_factor(g as f64 / 1000.0))
            .fold(f64::INFINITY, f64::min);
        assert!((min - 0.876).abs() < 1e-9, "{min}");
        // A 5 % descent: Strava about 0.90, Minetti about 0.76 (far more than usable).
        assert!((GapModel::Strava.factor(-0.05) - 0.9045).abs() < 1e-3);
        assert!(GapModel::Minetti.factor(-0.05) < 0.8);
    }

    #[test]
    fn uphill_counts_more_downhill_less() {
        assert!(flat_factor(0.1) > 1.6);
        assert!(flat_factor(-0.1) < 0.7);
        assert_eq!(flat_factor(0.0), 1.0);
        let d = [0.0, 100.0, 200.0];
        assert_eq!(
            flat_equivalent_cum(GapModel::Minetti, &d, &[0.0, 0.0, 0.0]),
            vec![0.0, 100.0, 200.0]
        );
    }
}
