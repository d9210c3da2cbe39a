//! Running per grade band: distance and moving time on grades from steep descents to steep
//! climbs, for a run and for a course. The bands are what a runner's own pace on each kind
//! of ground is measured in (the goal model in `gaps::pace_model`).

use serde::{Deserialize, Serialize};

/// The band edges, grade as a fraction: < −10 %, −10..−5, −5..−2, −2..2, 2..5, 5..10, > 10 %.
pub const EDGES: [f64; 6] = [-0.10, -0.05, -0.02, 0.02, 0.05, 0.10];
pub const BANDS: usize = EDGES.len() + 1;

/// The bands for people.
pub const LABELS: [&str; BANDS] = [
    "below -10 %",
    "-10 to -5 %",
    "-5 to -2 %",
    "-2 to 2 %",
    "2 to 5 %",
    "5 to 10 %",
    "above 10 %",
];

/// Distance and moving time in one band.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct BandTotal {
    pub distance_m: f64,
    pub moving_s: f64,
}

/// The band a grade falls in.
pub fn band_of(grade: f64) -> usize {
    EDGES.iter().take_while(|e| grade >= **e).count()
}

/// A run's totals per band: each moving step by its mean grade. `t`, `d`, `grade` and
/// `moving` are aligned.
pub fn of_run(t: &[f64], d: &[f64], grade: &[f64], moving: &[bool]) -> [BandTotal; BANDS] {
    let mut out = [BandTotal::default(); BANDS];
    let n = t.len().min(d.len()).min(grade.len()).min(moving.len());
    for i in 1..n {
        if !moving[i] {
            continue;
        }
        let (dt, dd) = (t[i] - t[i - 1], d[i] - d[i - 1]);
        if dt <= 0.0 || dd < 0.0 {
            continue;
        }
        let b = &mut out[band_of(0.5 * (grade[i] + grade[i - 1]))];
        b.distance_m += dd;
        b.moving_s += dt;
    }
    out
}

/// A course's distance per band (no times), each step by its mean grade and counted
/// `weight(band, grade)` times its length.
pub fn of_course(d: &[f64], grade: &[f64], weight: impl Fn(usize, f64) -> f64) -> [f64; BANDS] {
    let mut out = [0.0; BANDS];
    for i in 1..d.len().min(grade.len()) {
        let g = 0.5 * (grade[i] + grade[i - 1]);
        let k = band_of(g);
        out[k] += (d[i] - d[i - 1]).max(0.0) * weight(k, g);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_fall_in_their_bands() {
        assert_eq!(band_of(-0.2), 0);
        assert_eq!(band_of(-0.10), 1);
        assert_eq!(band_of(-0.07), 1);
        assert_eq!(band_of(0.0), 3);
        assert_eq!(band_of(0.019), 3);
        assert_eq!(band_of(0.02), 4);
        assert_eq!(band_of(0.12), 6);
        assert_eq!(band_of(f64::NAN), 0);
    }

    #[test]
    fn a_run_splits_by_grade_and_skips_pauses() {
        // 100 m flat in 30 s, 100 m at +6 % in 60 s, a 60 s pause, 100 m at -12 % in 25 s.
        let t = [0.0, 30.0, 90.0, 150.0, 175.0];
        let d = [0.0, 100.0, 200.0, 200.0, 300.0];
        let g = [0.0, 0.0, 0.06, -0.12, -0.12];
        let moving = [true, true, true, false, true];
        let b = of_run(&t, &d, &g, &moving);
        assert_eq!(b[3].distance_m, 100.0);
        assert_eq!(b[3].moving_s, 30.0);
        // Mean grade of the second step is +3 %: the 2..5 band.
        assert_eq!(b[4].distance_m, 100.0);
        assert_eq!(b[0].distance_m, 100.0);
        assert_eq!(b[0].moving_s, 25.0);
        let total: f64 = b.iter().map(|x| x.moving_s).sum();
        assert_eq!(total, 115.0);
        let c = of_course(&[0.0, 500.0, 1000.0], &[0.0, 0.0, 0.15], |_, _| 1.0);
        assert_eq!(c[3], 500.0);
        assert_eq!(c[5], 500.0);
    }
}
