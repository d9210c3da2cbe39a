//! Elevation: cleaning (absurd values out, gaps filled), smoothing chosen by the altitude's
//! source, and gain/loss with hysteresis.
//!
//! Algorithm and constants:
//! - Cleaning: values outside [-450 m, 8900 m] (below the Dead Sea shore, above Everest) are
//!   absurd; so is a value farther than `max(50 m, 0.3 x distance spanned)` from the median of
//!   its ten neighbours (a `0` or `-9999` placeholder in the middle of a mountain). A track
//!   whose elevations are all exactly 0 has none. Rejected values are re-filled by linear
//!   interpolation along distance and counted as a problem.
//! - Smoothing: for recordings, a centred running median over 7 s (15 s for GPS altitude,
//!   noisier from fix to fix): it removes altimeter
//!   flicker and short glitches but, unlike an average, keeps a steady climb's full height
//!   (the median of a monotone stretch is its middle value). Courses without times get a
//!   centred moving average over 50 m of distance.
//! - Gain/loss: GoldenCheetah's hysteresis (`ElevationGain`): keep a reference altitude;
//!   a rise counts only once the altitude exceeds the reference by more than H, then the
//!   reference moves up; a fall below reference - H counts as loss likewise.
//! - The threshold H adapts to the recording's noise instead of being one constant:
//!   GoldenCheetah and Runalyze default to 3 m, but the devices themselves differ (a Garmin
//!   Edge 500 records altitude it has already filtered, and its own total is the plain sum
//!   of its rises; a fenix 2 records a noisy channel and totals a filtered one). racegap
//!   raises H from 0.2 m in 0.2 m steps and stops at the first step that removes less than
//!   3 % of the gain: below that point raising H mostly removes noise, beyond it mostly
//!   terrain. H is capped at 6 m (heavy GPS noise). On the shared corpus this lands within
//!   10 % or 15 m of the devices' own totals (tests/metrics_corpus.rs).

use crate::model::ElevationSource;

/// Lowest and highest credible elevations, metres.
pub const MIN_CREDIBLE_M: f64 = -450.0;
pub const MAX_CREDIBLE_M: f64 = 8900.0;
/// An elevation farther than this from its neighbours' median is a glitch (see module doc).
pub const GLITCH_MIN_M: f64 = 50.0;

/// Running-median window for recordings with a barometric altimeter, seconds.
pub const MEDIAN_BARO_S: f64 = 7.0;
/// Running-median window for GPS altitude, which is noisier from fix to fix, seconds.
pub const MEDIAN_GPS_S: f64 = 15.0;

/// The constants of the elevation pipeline that were tuned against devices' own totals.
/// `tests/metrics_corpus.rs` tunes them again on one half of the corpus files and checks
/// the result on the other half.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tuning {
    /// Running-median window for barometric altitude, seconds.
    pub median_baro_s: f64,
    /// Running-median window for GPS altitude, seconds.
    pub median_gps_s: f64,
    /// Raising the hysteresis stops once a step removes less than this share of the gain.
    pub knee_share: f64,
}

/// The shipped tuning.
pub const TUNED: Tuning = Tuning {
    median_baro_s: MEDIAN_BARO_S,
    median_gps_s: MEDIAN_GPS_S,
    knee_share: H_KNEE_SHARE,
};

impl Default for Tuning {
    fn default() -> Tuning {
        TUNED
    }
}

impl Tuning {
    /// The running-median window for a recording's altitude source.
    pub fn median_window_s(&self, source: ElevationSource) -> f64 {
        match source {
            ElevationSource::Gps => self.median_gps_s,
            _ => self.median_baro_s,
        }
    }
}

/// Altitude noise below this (point to point, metres) is a barometer's, or a device's own
/// filtered GPS altitude: smooth and finely quantised.
pub const SMOOTH_SD_M: f64 = 0.3;
/// Above this it is raw GPS altitude.
pub const NOISY_SD_M: f64 = 0.6;
/// Samples at most this far apart (seconds) measure the noise.
pub const NOISE_SPAN_S: f64 = 5.0;

/// How the altitude is smoothed, judged from the data with the file's declared source as a
/// hint only: a barometric device written out as GPX or TCX, or a watch the device list
/// does not know, is told by its smooth, finely quantised altitude; noisy altitude is
/// smoothed as GPS whatever the file says. Between the two bounds, the hint decides.
pub fn judged_source(hint: ElevationSource, noise_sd_m: Option<f64>) -> ElevationSource {
    match noise_sd_m {
        Some(sd) if sd < SMOOTH_SD_M && hint == ElevationSource::Gps => ElevationSource::Barometric,
        Some(sd) if sd > NOISY_SD_M && hint != ElevationSource::Model => ElevationSource::Gps,
        _ => hint,
    }
}

/// The spread of point-to-point noise in `e` along `x`: for each point whose neighbours are
/// both within `max_span` (and apart), the residual from the line between them; for white
/// noise of spread σ its variance is 1.5 σ², so σ = 1.4826 · MAD / √1.5. `None` with fewer
/// than `min_points` such points.
pub fn noise_sd(x: &[f64], e: &[f64], max_span: f64, min_points: usize) -> Option<f64> {
    let mut r: Vec<f64> = (1..x.len().min(e.len()).saturating_sub(1))
        .filter_map(|i| {
            let (a, b) = (x[i] - x[i - 1], x[i + 1] - x[i]);
            let dense = a > 0.0 && b > 0.0 && a <= max_span && b <= max_span;
            dense.then(|| {
                let w = a / (a + b);
                e[i] - (e[i - 1] + (e[i + 1] - e[i - 1]) * w)
            })
        })
        .collect();
    if r.len() < min_points.max(1) {
        return None;
    }
    let med = middle(&mut r);
    let mut dev: Vec<f64> = r.iter().map(|v| (v - med).abs()).collect();
    Some(1.4826 * middle(&mut dev) / 1.5f64.sqrt())
}

fn middle(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
/// Smoothing window for courses (no times), metres.
pub const SMOOTH_DISTANCE_M: f64 = 50.0;
/// Step and ceiling of the adaptive hysteresis, metres.
pub const H_STEP_M: f64 = 0.2;
pub const H_MAX_M: f64 = 6.0;
/// Raising H stops once a step removes less than this share of the gain.
pub const H_KNEE_SHARE: f64 = 0.03;

/// Gain and loss with the adaptive hysteresis (module doc); returns (gain, loss, H).
pub fn adaptive_gain_loss(e: &[f64]) -> (f64, f64, f64) {
    adaptive_gain_loss_at(e, H_KNEE_SHARE)
}

/// `adaptive_gain_loss` stopping at a given knee share.
pub fn adaptive_gain_loss_at(e: &[f64], knee_share: f64) -> (f64, f64, f64) {
    let steps = (H_MAX_M / H_STEP_M).round() as usize;
    let mut h = H_STEP_M;
    let (mut gain, mut loss) = gain_loss(e, h);
    for k in 2..=steps {
        let next_h = k as f64 * H_STEP_M;
        let (g, l) = gain_loss(e, next_h);
        let removed = (gain - g) / gain.max(1.0);
        (gain, loss, h) = (g, l, next_h);
        if removed < knee_share {
            break;
        }
    }
    (gain, loss, h)
}

/// Cleaned elevations and what cleaning found.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleaned {
    pub elevation_m: Vec<f64>,
    pub rejected: usize,
}

/// Cleans raw elevations aligned with `x` (cumulative distance or time). Returns `None`
/// when there is no usable elevation (none at all, fewer than two values, or all zero).
pub fn clean(raw: &[Option<f64>], x: &[f64]) -> Option<Cleaned> {
    let present: Vec<f64> = raw.iter().flatten().copied().collect();
    if present.len() < 2 || present.iter().all(|e| *e == 0.0) {
        return None;
    }
    let n = raw.len();
    let mut ok: Vec<Option<f64>> = raw
        .iter()
        .map(|e| e.filter(|v| v.is_finite() && (MIN_CREDIBLE_M..=MAX_CREDIBLE_M).contains(v)))
        .collect();
    let mut rejected =
        raw.iter().filter(|e| e.is_some()).count() - ok.iter().filter(|e| e.is_some()).count();
    // Glitches against the median of up to five valid neighbours on each side.
    let mut glitch = vec![false; n];
    let mut neigh = Vec::with_capacity(10);
    for i in 0..n {
        let Some(v) = ok[i] else { continue };
        neigh.clear();
        let (lo, hi) = (i.saturating_sub(5), (i + 6).min(n));
        neigh.extend((lo..hi).filter(|&j| j != i).filter_map(|j| ok[j]));
        if neigh.len() < 4 {
            continue;
        }
        neigh.sort_by(f64::total_cmp);
        let med = neigh[neigh.len() / 2];
        let span = (x[hi - 1] - x[lo]).abs();
        if (v - med).abs() > GLITCH_MIN_M.max(0.3 * span) {
            glitch[i] = true;
        }
    }
    for (o, g) in ok.iter_mut().zip(&glitch) {
        if *g {
            *o = None;
            rejected += 1;
        }
    }
    let filled = fill_gaps(&ok, x)?;
    Some(Cleaned {
        elevation_m: filled,
        rejected,
    })
}

/// Linear interpolation along `x` over missing values; ends take the nearest value.
fn fill_gaps(v: &[Option<f64>], x: &[f64]) -> Option<Vec<f64>> {
    let first = v.iter().position(Option::is_some)?;
    let mut out = vec![0.0; v.len()];
    let mut last_i = first;
    let mut last_v = v[first]?;
    for o in out.iter_mut().take(first + 1) {
        *o = last_v;
    }
    for i in first + 1..v.len() {
        if let Some(val) = v[i] {
            let span = x[i] - x[last_i];
            for (j, o) in out.iter_mut().enumerate().take(i).skip(last_i + 1) {
                let t = if span > 0.0 {
                    (x[j] - x[last_i]) / span
                } else {
                    (j - last_i) as f64 / (i - last_i) as f64
                };
                *o = last_v + (val - last_v) * t;
            }
            out[i] = val;
            last_i = i;
            last_v = val;
        }
    }
    for o in out.iter_mut().skip(last_i + 1) {
        *o = last_v;
    }
    Some(out)
}

/// Centred running median of `y` over a window of `width` in `x` (non-decreasing).
pub fn running_median(x: &[f64], y: &[f64], width: f64) -> Vec<f64> {
    let n = y.len();
    let half = width / 2.0;
    let (mut lo, mut hi) = (0usize, 0usize);
    let mut buf: Vec<f64> = Vec::new();
    (0..n)
        .map(|i| {
            while x[lo] < x[i] - half {
                lo += 1;
            }
            hi = hi.max(i + 1);
            while hi < n && x[hi] <= x[i] + half {
                hi += 1;
            }
            buf.clear();
            buf.extend_from_slice(&y[lo..hi]);
            buf.sort_unstable_by(f64::total_cmp);
            buf[buf.len() / 2]
        })
        .collect()
}

/// Centred moving average of `y` over a window of `width` in `x` (non-decreasing).
pub fn smooth(x: &[f64], y: &[f64], width: f64) -> Vec<f64> {
    let n = y.len();
    if width <= 0.0 || n < 3 {
        return y.to_vec();
    }
    let half = width / 2.0;
    let mut out = Vec::with_capacity(n);
    let (mut lo, mut hi) = (0usize, 0usize);
    let mut sum = 0.0;
    for i in 0..n {
        while hi < n && x[hi] <= x[i] + half {
            sum += y[hi];
            hi += 1;
        }
        while x[lo] < x[i] - half {
            sum -= y[lo];
            lo += 1;
        }
        out.push(sum / (hi - lo) as f64);
    }
    out
}

/// Gain and loss with hysteresis `h` (GoldenCheetah's algorithm, see module doc).
pub fn gain_loss(e: &[f64], h: f64) -> (f64, f64) {
    let Some(&first) = e.first() else {
        return (0.0, 0.0);
    };
    let (mut gain, mut loss, mut reference) = (0.0, 0.0, first);
    for &v in &e[1..] {
        if v > reference + h {
            gain += v - reference;
            reference = v;
        } else if v < reference - h {
            loss += reference - v;
            reference = v;
        }
    }
    (gain, loss)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's cap: noise at every scale (a zigzag off a flat line with jumps of
    /// 0.3, 0.5 ... 6.1 m, each size carrying 90 % of the gain of the one below it, so every
    /// 0.2 m step removes about a tenth of what is left) raises H to its 6 m cap, where only
    /// the 6.1 m jumps still count.
    #[test]
    fn the_threshold_stops_at_its_6_m_cap() {
        let mut e = vec![0.0];
        let mut top = 0;
        for j in 1..=30 {
            let a = 0.2 * j as f64 + 0.1;
            let n = (3_000.0 * 0.9f64.powi(j) / a).round() as usize;
            for _ in 0..n {
                e.extend([a, 0.0]);
            }
            top = n;
        }
        let (g, l, h) = adaptive_gain_loss(&e);
        assert!((h - 6.0).abs() < 1e-9, "{h}");
        let want = top as f64 * 6.1;
        assert!(
            (g - want).abs() < 1e-6 && (l - want).abs() < 1e-6,
            "{g} {l} vs {want}"
        );
    }

    #[test]
    fn adaptive_threshold_rises_with_noise_and_keeps_terrain() {
        // A 100 m climb and descent over 2000 samples, clean and with ±1.5 m flicker.
        let clean: Vec<f64> = (0..2000)
            .map(|i| 100.0 * (std::f64::consts::PI * i as f64 / 1999.0).sin())
            .collect();
        let (g, l, h) = adaptive_gain_loss(&clean);
        assert!(
            (g - 100.0).abs() < 1.0 && (l - 100.0).abs() < 1.0,
            "{g} {l}"
        );
        assert!(h <= 0.5, "{h}");
        // Deterministic noise, roughly normal with a 1.5 m spread.
        let mut x = 12345u64;
        let mut noise = || {
            let mut s = 0.0;
            for _ in 0..4 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s += (x >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            }
            s * 2.6
        };
        let noisy: Vec<f64> = clean.iter().map(|v| v + noise()).collect();
        assert!(gain_loss(&noisy, 0.2).0 > 1000.0);
        // As in `compute` for GPS altitude: the running median first (1 Hz here), then the
        // adaptive threshold.
        let t: Vec<f64> = (0..noisy.len()).map(|i| i as f64).collect();
        let window = TUNED.median_window_s(ElevationSource::Gps);
        let (g, l, h) = adaptive_gain_loss(&running_median(&t, &noisy, window));
        assert!(h >= 0.4, "{h}");
        assert!(
            (g - 100.0).abs() < 10.0 && (l - 100.0).abs() < 10.0,
            "{g} {l} at {h}"
        );
    }

    #[test]
    fn hysteresis_ignores_noise_below_the_threshold() {
        let noisy: Vec<f64> = (0..100)
            .map(|i| 100.0 + if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        assert_eq!(gain_loss(&noisy, 3.0), (0.0, 0.0));
        let hill = [0.0, 10.0, 20.0, 30.0, 20.0, 10.0, 0.0];
        assert_eq!(gain_loss(&hill, 3.0), (30.0, 30.0));
        assert_eq!(gain_loss(&[], 3.0), (0.0, 0.0));
    }

    #[test]
    fn glitches_and_absurd_values_are_replaced() {
        let x: Vec<f64> = (0..30).map(|i| i as f64 * 3.0).collect();
        let mut raw: Vec<Option<f64>> = (0..30).map(|i| Some(1200.0 + i as f64 * 0.3)).collect();
        raw[10] = Some(0.0); // placeholder in the middle of a mountain
        raw[20] = Some(-9999.0);
        raw[25] = Some(f64::NAN);
        raw[5] = None;
        let c = clean(&raw, &x).unwrap();
        assert_eq!(c.rejected, 3);
        for (i, e) in c.elevation_m.iter().enumerate() {
            assert!((e - (1200.0 + i as f64 * 0.3)).abs() < 1e-9, "{i}: {e}");
        }
    }

    #[test]
    fn all_zero_or_too_few_is_no_elevation() {
        let x = [0.0, 1.0, 2.0];
        assert!(clean(&[Some(0.0), Some(0.0), Some(0.0)], &x).is_none());
        assert!(clean(&[None, Some(5.0), None], &x).is_none());
        assert!(clean(&[None, None, None], &x).is_none());
    }

    #[test]
    fn a_real_summit_between_sparse_points_is_kept() {
        // Route points 400 m apart over a 150 m peak: steep, but real.
        let x: Vec<f64> = (0..11).map(|i| i as f64 * 400.0).collect();
        let raw: Vec<Option<f64>> = [0.0, 0.0, 0.0, 0.0, 50.0, 150.0, 50.0, 0.0, 0.0, 0.0, 0.0]
            .iter()
            .map(|v| Some(*v))
            .collect();
        assert_eq!(clean(&raw, &x).unwrap().rejected, 0);
    }

    #[test]
    fn running_median_keeps_ramps_and_drops_flicker() {
        let x: Vec<f64> = (0..20).map(|i| i as f64).collect();
        let ramp: Vec<f64> = x.iter().map(|v| v * 2.0).collect();
        assert_eq!(running_median(&x, &ramp, 7.0)[3..17], ramp[3..17]);
        let mut flicker = vec![10.0; 20];
        flicker[7] = 14.0;
        flicker[12] = 6.0;
        assert!(running_median(&x, &flicker, 7.0).iter().all(|v| *v == 10.0));
    }

    #[test]
    fn moving_average_over_distance() {
        let x = [0.0, 10.0, 20.0, 30.0, 40.0];
        let y = [0.0, 0.0, 30.0, 0.0, 0.0];
        let s = smooth(&x, &y, 20.0);
        assert_eq!(s, vec![0.0, 10.0, 10.0, 10.0, 0.0]);
        assert_eq!(smooth(&x, &y, 0.0), y.to_vec());
    }
}
