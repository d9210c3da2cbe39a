//! Climbs and descents: maximal runs of net gain (loss) along distance that tolerate small
//! reversals, after GoldenCheetah's climb detection: a climb ends when the altitude drops
//! below its top by more than 20 % of the height gained so far, or when the distance past
//! the top exceeds a third of the climb's length. Runners' climbs are smaller than
//! cyclists' categorised ones, so any run of at least `MIN_GAIN_M` is listed; the biggest
//! is the one with the most gain.

use serde::{Deserialize, Serialize};

/// Smallest climb or descent listed, metres of height.
pub const MIN_GAIN_M: f64 = 10.0;
/// A climb survives a dip of this share of its height (GoldenCheetah: 20 %)...
pub const REVERSAL_SHARE: f64 = 0.2;
/// ... and always a dip of this many metres (so noise cannot split a small climb).
pub const REVERSAL_MIN_M: f64 = 5.0;
/// Grade below which running counts as downhill running (-5 %).
pub const DOWNHILL_GRADE: f64 = -0.05;

/// One climb or descent. For a descent `gain_m` is the height lost (positive) and grades
/// are negative.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Climb {
    pub start_m: f64,
    pub end_m: f64,
    pub length_m: f64,
    pub gain_m: f64,
    pub start_elevation_m: f64,
    pub top_elevation_m: f64,
    pub mean_grade: f64,
    /// Steepest grade over any 100 m inside it (or the whole climb if shorter).
    pub max_grade: f64,
}

/// A "climb" rising more than its length (a mean grade over 100 %, steeper than 45°) is an
/// altitude jump in the recording (a barometer reset, elevation changing over a stop),
/// not terrain anyone runs up: it is not listed.
pub const MAX_MEAN_GRADE: f64 = 1.0;

fn runnable(c: &Climb) -> bool {
    c.gain_m <= MAX_MEAN_GRADE * c.length_m
}

/// Climbs found on the profile `e` (smoothed) along `d` (cumulative metres).
pub fn climbs(d: &[f64], e: &[f64]) -> Vec<Climb> {
    runs(d, e)
        .into_iter()
        .map(|(s, t)| describe(d, e, s, t, 1.0))
        .filter(runnable)
        .collect()
}

/// Descents: the climbs of the mirrored profile.
pub fn descents(d: &[f64], e: &[f64]) -> Vec<Climb> {
    let neg: Vec<f64> = e.iter().map(|v| -v).collect();
    runs(d, &neg)
        .into_iter()
        .map(|(s, t)| describe(d, e, s, t, -1.0))
        .filter(runnable)
        .collect()
}

/// Index pairs (start, top) of maximal rising runs with the reversal tolerance.
fn runs(d: &[f64], e: &[f64]) -> Vec<(usize, usize)> {
    let n = e.len().min(d.len());
    let mut out = Vec::new();
    if n < 2 {
        return out;
    }
    let (mut s, mut t) = (0usize, 0usize);
    let mut i = 1;
    while i < n {
        if e[i] > e[t] {
            t = i;
        } else if t == s && e[i] <= e[s] {
            // Still going down towards the foot of the next climb.
            s = i;
            t = i;
        } else {
            let height = e[t] - e[s];
            let length = d[t] - d[s];
            let dropped = e[t] - e[i] > (REVERSAL_SHARE * height).max(REVERSAL_MIN_M);
            let too_far = d[i] - d[t] > (length / 3.0).max(50.0);
            if dropped || too_far {
                if height >= MIN_GAIN_M {
                    out.push((s, t));
                }
                // Restart at the last lowest point since the top and scan on from there,
                // so the next climb starts at its foot, not on the flat before it.
                let low = (t..=i)
                    .rev()
                    .min_by(|a, b| e[*a].total_cmp(&e[*b]))
                    .unwrap_or(i);
                s = low;
                t = low;
                i = low;
            }
        }
        i += 1;
    }
    if e[t] - e[s] >= MIN_GAIN_M {
        out.push((s, t));
    }
    out
}

fn describe(d: &[f64], e: &[f64], s: usize, t: usize, sign: f64) -> Climb {
    let length = d[t] - d[s];
    let gain = (e[t] - e[s]) * sign;
    let mean_grade = if length > 0.0 {
        (e[t] - e[s]) / length
    } else {
        0.0
    };
    // Steepest 100 m: two pointers over the climb.
    let mut steepest = mean_grade;
    let mut j = s;
    for i in s..=t {
        while j < t && d[j] - d[i] < 100.0 {
            j += 1;
        }
        if d[j] - d[i] >= 100.0 {
            let g = (e[j] - e[i]) / (d[j] - d[i]);
            if g * sign > steepest * sign {
                steepest = g;
            }
        }
    }
    Climb {
        start_m: d[s],
        end_m: d[t],
        length_m: length,
        gain_m: gain,
        start_elevation_m: e[s],
        top_elevation_m: e[t],
        mean_grade,
        max_grade: steepest,
    }
}

/// The climb (or descent) with the most height.
pub fn biggest(list: &[Climb]) -> Option<Climb> {
    list.iter()
        .copied()
        .max_by(|a, b| a.gain_m.total_cmp(&b.gain_m))
}

/// Grade at each point over a centred window of `span` metres of the profile.
pub fn grades(d: &[f64], e: &[f64], span: f64) -> Vec<f64> {
    let n = d.len();
    let half = span / 2.0;
    let (mut lo, mut hi) = (0usize, 0usize);
    (0..n)
        .map(|i| {
            while lo < i && d[lo] < d[i] - half {
                lo += 1;
            }
            while hi + 1 < n && d[hi + 1] <= d[i] + half {
                hi += 1;
            }
            hi = hi.max(i);
            let run = d[hi] - d[lo];
            if run > 1.0 {
                (e[hi] - e[lo]) / run
            } else {
                0.0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_altitude_jump_is_no_climb() {
        // Flat, then 68 m up within 10 m of distance (a jump over a stop), then flat.
        let d: Vec<f64> = (0..100).map(|i| i as f64 * 10.0).collect();
        let e: Vec<f64> = (0..100)
            .map(|i| if i < 50 { 100.0 } else { 168.0 })
            .collect();
        assert!(climbs(&d, &e).is_empty());
        // The same height over 200 m (34 %) is a climb.
        let e: Vec<f64> = (0..100)
            .map(|i| 100.0 + (68.0 * (i as f64 - 40.0) / 20.0).clamp(0.0, 68.0))
            .collect();
        assert_eq!(climbs(&d, &e).len(), 1);
    }

    /// A profile sampled every 10 m from a function of distance.
    fn profile(len: f64, f: impl Fn(f64) -> f64) -> (Vec<f64>, Vec<f64>) {
        let d: Vec<f64> = (0..=(len / 10.0) as usize)
            .map(|i| i as f64 * 10.0)
            .collect();
        let e = d.iter().map(|x| f(*x)).collect();
        (d, e)
    }

    #[test]
    fn two_known_climbs_and_a_descent() {
        // Flat 1 km, up 200 m over 2 km, flat 1 km, up 100 m over 1 km, down 300 m over 3 km.
        let (d, e) = profile(8000.0, |x| match x {
            x if x < 1000.0 => 0.0,
            x if x < 3000.0 => (x - 1000.0) * 0.1,
            x if x < 4000.0 => 200.0,
            x if x < 5000.0 => 200.0 + (x - 4000.0) * 0.1,
            x => 300.0 - (x - 5000.0) * 0.1,
        });
        let c = climbs(&d, &e);
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(
            (c[0].start_m, c[0].end_m, c[0].gain_m),
            (1000.0, 3000.0, 200.0)
        );
        assert!((c[0].mean_grade - 0.1).abs() < 1e-9);
        assert_eq!(
            (c[1].start_m, c[1].end_m, c[1].gain_m),
            (4000.0, 5000.0, 100.0)
        );
        let ds = descents(&d, &e);
        assert_eq!(ds.len(), 1);
        assert_eq!(
            (ds[0].start_m, ds[0].end_m, ds[0].gain_m),
            (5000.0, 8000.0, 300.0)
        );
        assert!((ds[0].mean_grade + 0.1).abs() < 1e-9);
        assert_eq!(biggest(&c).unwrap().gain_m, 200.0);
    }

    #[test]
    fn a_small_dip_does_not_split_a_climb() {
        // 300 m up over 3 km with a 20 m dip in the middle (under 20 % of the height).
        let (d, e) = profile(3400.0, |x| {
            let base = (x.min(3000.0)) * 0.1;
            if (1500.0..1700.0).contains(&x) {
                150.0 - (x - 1500.0) * 0.1
            } else if (1700.0..1900.0).contains(&x) {
                130.0 + (x - 1700.0) * 0.1
            } else if x >= 1900.0 {
                base - 40.0
            } else {
                base
            }
        });
        let c = climbs(&d, &e);
        assert_eq!(c.len(), 1, "{c:?}");
        assert!((c[0].gain_m - 260.0).abs() < 1e-9);
    }

    /// The 10 m floor: a steady 10.5 m rise is a climb of its own height, 9.5 m none.
    #[test]
    fn a_climb_is_at_least_10_m() {
        for (rise, listed) in [(10.5, true), (9.5, false)] {
            let (d, e) = profile(1000.0, |x| (x - 300.0).clamp(0.0, 300.0) * rise / 300.0);
            let c = climbs(&d, &e);
            assert_eq!(c.len(), usize::from(listed), "{rise} m: {c:?}");
            if listed {
                assert!((c[0].gain_m - rise).abs() < 1e-9, "{c:?}");
            }
        }
    }

    #[test]
    fn flat_or_tiny_profiles_have_no_climbs() {
        let (d, e) = profile(5000.0, |x| 3.0 * (x / 50.0).sin());
        assert!(climbs(&d, &e).is_empty());
        assert!(climbs(&[], &[]).is_empty());
        assert!(climbs(&[0.0], &[5.0]).is_empty());
    }

    #[test]
    fn grades_over_a_window() {
        let (d, e) = profile(1000.0, |x| x * 0.05);
        let g = grades(&d, &e, 100.0);
        assert!(g.iter().all(|v| (v - 0.05).abs() < 1e-9));
    }
}
