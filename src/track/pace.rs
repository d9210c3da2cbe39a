//! Pace work inside one run: best efforts over standard distances, distance at goal pace in
//! grade-adjusted terms with the longest continuous stretch, and late fade.

use serde::{Deserialize, Serialize};

/// Distances whose best efforts are searched for, metres.
pub const BEST_EFFORT_DISTANCES_M: [f64; 6] =
    [1000.0, 5000.0, 10_000.0, 21_097.5, 30_000.0, 42_195.0];
/// Goal-pace speed is judged over a centred window of this many seconds.
pub const GOAL_WINDOW_S: f64 = 60.0;
/// A goal-pace stretch survives an excursion off pace this long (a corner, a drink).
pub const GOAL_BRIDGE_S: f64 = 30.0;

/// The fastest stretch of one distance inside a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BestEffort {
    pub distance_m: f64,
    pub time_s: f64,
    /// Where it started, metres into the run.
    pub start_m: f64,
}

/// "5 km", "half", "marathon".
pub fn effort_name(distance_m: f64) -> String {
    match distance_m {
        d if (d - 21_097.5).abs() < 1.0 => "half".into(),
        d if (d - 42_195.0).abs() < 1.0 => "marathon".into(),
        d => format!("{:.0} km", d / 1000.0),
    }
}

/// The steepest net drop a best effort may have, as a share of its distance: 1 % (10 m per
/// km), ten times what World Athletics allows a record course (Competition Rules C2.1,
/// rule 31.21.3: 1 m per km). Rolling routes keep their efforts; a kilometre down a
/// mountainside is not a runner's best kilometre.
pub const MAX_NET_DROP_SHARE: f64 = 0.01;

/// `v` at distance `x` between points `j - 1` and `j`.
fn at(v: &[f64], d: &[f64], j: usize, x: f64) -> f64 {
    if j > 0 && d[j] > d[j - 1] {
        v[j - 1] + (v[j] - v[j - 1]) * (x - d[j - 1]) / (d[j] - d[j - 1])
    } else {
        v[j]
    }
}

/// The fastest time over exactly `target` metres: for each start point, the end time is
/// interpolated where the distance reaches start + target (two pointers, O(n)). With an
/// elevation `e` beside `d`, stretches dropping more than `MAX_NET_DROP_SHARE` are left out.
pub fn best_effort(t: &[f64], d: &[f64], e: Option<&[f64]>, target: f64) -> Option<BestEffort> {
    let n = t.len().min(d.len());
    if n < 2 || d[n - 1] - d[0] < target {
        return None;
    }
    let mut best: Option<BestEffort> = None;
    let mut j = 0;
    for i in 0..n {
        let goal = d[i] + target;
        while j < n && d[j] < goal {
            j += 1;
        }
        if j >= n {
            break;
        }
        if let Some(e) = e.filter(|e| e.len() >= n) {
            if at(e, d, j, goal) - e[i] < -MAX_NET_DROP_SHARE * target {
                continue;
            }
        }
        let time = at(t, d, j, goal) - t[i];
        if best.is_none_or(|b| time < b.time_s) {
            best = Some(BestEffort {
                distance_m: target,
                time_s: time,
                start_m: d[i],
            });
        }
    }
    best
}

/// Best efforts over every standard distance the run covers (without net downhill
/// stretches, where `e` gives the elevation).
pub fn best_efforts(t: &[f64], d: &[f64], e: Option<&[f64]>, gaps: &[bool]) -> Vec<BestEffort> {
    // The stretches between gaps (device pauses, lost signal): an effort never spans one.
    let mut pieces = Vec::new();
    let mut start = 0;
    for i in 1..t.len().min(d.len()) {
        if gaps.get(i).copied().unwrap_or(false) {
            pieces.push((start, i));
            start = i;
        }
    }
    pieces.push((start, t.len().min(d.len())));
    BEST_EFFORT_DISTANCES_M
        .iter()
        .filter_map(|&x| {
            pieces
                .iter()
                .filter_map(|&(a, b)| best_effort(&t[a..b], &d[a..b], e.map(|e| &e[a..b]), x))
                .min_by(|p, q| p.time_s.total_cmp(&q.time_s))
        })
        .collect()
}

/// Running at goal pace (in grade-adjusted terms) inside one run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GoalPace {
    pub goal_pace_s_per_km: f64,
    pub tolerance: f64,
    /// Distance covered at goal pace, metres (stretches bridged over short excursions).
    pub distance_m: f64,
    /// The longest continuous stretch at goal pace.
    pub longest_m: f64,
    pub longest_s: f64,
    pub longest_start_m: f64,
    /// Distance at goal pace or faster (each step by its own ±30 s window, not bridged):
    /// the race-pace work of short races.
    #[serde(default)]
    pub at_or_faster_m: f64,
}

/// Steps whose grade-adjusted pace (flat-equivalent distance `f` over time `t`, in a
/// ±30 s window) is within `tolerance` of the goal pace. `moving` marks steps that count.
pub fn goal_pace(
    t: &[f64],
    d: &[f64],
    f: &[f64],
    moving: &[bool],
    goal_pace_s_per_km: f64,
    tolerance: f64,
) -> GoalPace {
    let n = t.len();
    let mut at = vec![false; n];
    let mut at_or_faster = 0.0;
    let (mut lo, mut hi) = (0usize, 0usize);
    let half = GOAL_WINDOW_S / 2.0;
    for i in 1..n {
        while lo + 1 < i && t[lo] < t[i] - half {
            lo += 1;
        }
        hi = hi.max(i);
        while hi + 1 < n && t[hi + 1] <= t[i] + half {
            hi += 1;
        }
        let span = t[hi] - t[lo];
        if span <= 0.0 || !moving.get(i).copied().unwrap_or(false) {
            continue;
        }
        let flat_speed = (f[hi] - f[lo]) / span;
        if flat_speed <= 0.0 {
            continue;
        }
        let pace = 1000.0 / flat_speed;
        at[i] = (pace / goal_pace_s_per_km - 1.0).abs() <= tolerance;
        if pace <= goal_pace_s_per_km * (1.0 + tolerance) {
            at_or_faster += d[i] - d[i - 1];
        }
    }
    let mut out = GoalPace {
        goal_pace_s_per_km,
        tolerance,
        distance_m: 0.0,
        longest_m: 0.0,
        longest_s: 0.0,
        longest_start_m: 0.0,
        at_or_faster_m: at_or_faster,
    };
    // Stretches of goal-pace steps, bridged over short excursions.
    let mut i = 1;
    while i < n {
        if !at[i] {
            i += 1;
            continue;
        }
        let start = i - 1;
        let mut end = i;
        let mut k = i;
        while k < n {
            if at[k] {
                end = k;
                k += 1;
            } else {
                // Look ahead: does pace come back within the bridge time?
                let mut m = k;
                while m < n && !at[m] && t[m] - t[end] <= GOAL_BRIDGE_S {
                    m += 1;
                }
                if m < n && at[m] && t[m] - t[end] <= GOAL_BRIDGE_S {
                    k = m;
                } else {
                    break;
                }
            }
        }
        let len = d[end] - d[start];
        out.distance_m += len;
        if len > out.longest_m {
            out.longest_m = len;
            out.longest_s = t[end] - t[start];
            out.longest_start_m = d[start];
        }
        i = k.max(end + 1);
    }
    out
}

/// Late fade: flat-equivalent pace over the last quarter of the distance against the first
/// half, as a percentage (positive: slower at the end). `mt` is cumulative moving time.
pub fn fade_pct(d: &[f64], f: &[f64], mt: &[f64]) -> Option<f64> {
    let n = d.len();
    if n < 4 || d[n - 1] < 2000.0 {
        return None;
    }
    let total = d[n - 1];
    let at = |x: f64, v: &[f64]| interp(d, v, x);
    let first = (at(total * 0.5, mt) - at(0.0, mt)) / (at(total * 0.5, f) - at(0.0, f));
    let last = (at(total, mt) - at(total * 0.75, mt)) / (at(total, f) - at(total * 0.75, f));
    let r = (last / first - 1.0) * 100.0;
    r.is_finite().then_some(r)
}

/// Grade-adjusted pace of each quarter of the distance, s/km (empty under 2 km or where a
/// quarter has no flat-equivalent distance).
pub fn quarters(d: &[f64], f: &[f64], mt: &[f64]) -> Vec<f64> {
    let n = d.len();
    if n < 4 || d[n - 1] < 2000.0 {
        return Vec::new();
    }
    let total = d[n - 1];
    let at = |x: f64, v: &[f64]| interp(d, v, x);
    let q: Vec<f64> = (0..4)
        .map(|k| {
            let (a, b) = (total * k as f64 / 4.0, total * (k + 1) as f64 / 4.0);
            (at(b, mt) - at(a, mt)) / (at(b, f) - at(a, f)) * 1000.0
        })
        .collect();
    if q.iter().all(|v| v.is_finite() && *v > 0.0) {
        q
    } else {
        Vec::new()
    }
}

/// Grade-adjusted pace of each whole kilometre: moving time over flat-equivalent distance
/// between the kilometre marks. Kilometres with no moving time (a long stop) are left out.
/// Most kilometre splits of one activity: 10,000 km.
pub const MAX_SPLITS: usize = 10_000;

pub fn gap_splits(d: &[f64], f: &[f64], mt: &[f64]) -> Vec<f64> {
    let Some(&total) = d.last() else {
        return Vec::new();
    };
    // Bounded by the samples as well as the distance: one absurd distance value cannot
    // make this loop run for millions of kilometres.
    let n = ((total / 1000.0).floor().max(0.0) as usize).min(MAX_SPLITS.min(d.len() * 50));
    (0..n)
        .filter_map(|k| {
            let (a, b) = (k as f64 * 1000.0, (k + 1) as f64 * 1000.0);
            let time = interp(d, mt, b) - interp(d, mt, a);
            let flat = interp(d, f, b) - interp(d, f, a);
            (time > 0.0 && flat > 0.0).then(|| time / flat * 1000.0)
        })
        .collect()
}

/// Linear interpolation of `v` at `x` along non-decreasing `d`.
fn interp(d: &[f64], v: &[f64], x: f64) -> f64 {
    let j = d.partition_point(|&p| p < x);
    if j == 0 {
        return v[0];
    }
    if j >= d.len() {
        return v[d.len() - 1];
    }
    let span = d[j] - d[j - 1];
    if span <= 0.0 {
        return v[j];
    }
    v[j - 1] + (v[j] - v[j - 1]) * (x - d[j - 1]) / span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn efforts_are_named_as_runners_say_them() {
        assert_eq!(effort_name(5_000.0), "5 km");
        assert_eq!(effort_name(21_097.5), "half");
        assert_eq!(effort_name(42_195.0), "marathon");
        assert_eq!(effort_name(30_000.0), "30 km");
    }

    /// 1 Hz run: `pace(s)` gives the speed at each second.
    fn run(secs: usize, speed: impl Fn(usize) -> f64) -> (Vec<f64>, Vec<f64>) {
        let mut t = vec![0.0];
        let mut d = vec![0.0];
        for s in 1..=secs {
            t.push(s as f64);
            d.push(d[s - 1] + speed(s));
        }
        (t, d)
    }

    #[test]
    fn a_kilometre_down_a_mountainside_is_no_best_effort() {
        // 2 km at 3.2 m/s on the flat, then 1 km at 5 m/s down 64 m (-6.4 %).
        let (t, d) = run(625 + 200, |s| if s <= 625 { 3.2 } else { 5.0 });
        let e: Vec<f64> = d
            .iter()
            .map(|x| {
                if *x <= 2000.0 {
                    500.0
                } else {
                    500.0 - 0.064 * (x - 2000.0)
                }
            })
            .collect();
        let fast = best_effort(&t, &d, None, 1000.0).unwrap();
        assert!((fast.time_s - 200.0).abs() < 1.0, "{fast:?}");
        // With the elevation, the downhill kilometre (and any stretch losing over 10 m)
        // is left out: the best is on the flat, 1000 / 3.2 = 312.5 s.
        let honest = best_effort(&t, &d, Some(&e), 1000.0).unwrap();
        assert!(honest.time_s > 290.0, "{honest:?}");
        let flat = best_effort(&t[..620], &d[..620], Some(&e[..620]), 1000.0).unwrap();
        assert!((flat.time_s - 312.5).abs() < 1.0, "{flat:?}");
        // A gentle 0.5 % drop keeps its effort.
        let gentle: Vec<f64> = d.iter().map(|x| 500.0 - 0.005 * x).collect();
        assert!((best_effort(&t, &d, Some(&gentle), 1000.0).unwrap().time_s - 200.0).abs() < 1.0);
    }

    #[test]
    fn finds_a_known_fast_5k_to_the_second() {
        // 10 min easy at 2.5 m/s, then 5 km at exactly 4 m/s (1250 s), then 10 min easy.
        let (t, d) = run(600 + 1250 + 600, |s| {
            if (601..=1850).contains(&s) {
                4.0
            } else {
                2.5
            }
        });
        let b = best_effort(&t, &d, None, 5000.0).unwrap();
        assert!((b.time_s - 1250.0).abs() < 1.0, "{}", b.time_s);
        assert!((b.start_m - 1500.0).abs() < 5.0, "{}", b.start_m);
        assert!(best_effort(&t, &d, None, 10_000.0).is_none());
        assert_eq!(best_efforts(&t, &d, None, &[]).len(), 2);
    }

    #[test]
    fn goal_pace_stretch_is_found_where_it_is() {
        // Easy 5:40/km for 10 min, 5:00/km (goal) for 20 min, easy again.
        let (t, d) = run(3000, |s| {
            if (601..=1800).contains(&s) {
                1000.0 / 300.0
            } else {
                1000.0 / 340.0
            }
        });
        let moving = vec![true; t.len()];
        let g = goal_pace(&t, &d, &d, &moving, 300.0, 0.03);
        // The ±30 s window blurs each edge by up to half a window (about 100 m here).
        assert!((g.longest_m - 4000.0).abs() < 120.0, "{g:?}");
        assert!((g.longest_s - 1200.0).abs() < 40.0, "{g:?}");
        assert!((g.longest_start_m - 1764.7).abs() < 120.0, "{g:?}");
        assert_eq!(g.distance_m, g.longest_m);
    }

    #[test]
    fn splits_are_per_whole_kilometre() {
        let (t, d) = run(1000, |s| if s <= 500 { 4.0 } else { 2.5 });
        let s = gap_splits(&d, &d, &t);
        assert_eq!(s.len(), 3);
        assert!(
            (s[0] - 250.0).abs() < 1e-6 && (s[2] - 400.0).abs() < 1e-6,
            "{s:?}"
        );
    }

    #[test]
    fn fade_compares_last_quarter_with_first_half() {
        // 3 m/s, then exactly the last quarter of the distance at 2.7 m/s: 11.1 % slower.
        let (t, d) = run(3700, |s| if s > 2700 { 2.7 } else { 3.0 });
        let mt: Vec<f64> = t.clone();
        let f = fade_pct(&d, &d, &mt).unwrap();
        assert!((f - 11.1).abs() < 0.6, "{f}");
        let (t2, d2) = run(4000, |_| 3.0);
        assert!(fade_pct(&d2, &d2, &t2).unwrap().abs() < 1e-6);
        assert!(fade_pct(&[0.0, 10.0], &[0.0, 10.0], &[0.0, 5.0]).is_none());
    }
}
