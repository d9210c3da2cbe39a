//! A course as geometry. A race course is measured along every point of its track or route
//! in file order, whatever its timestamps say: a recording of last year's race with pauses,
//! a planner's fake times or a clock that jumps changes nothing, and no speed, pause or
//! spike filter removes distance from it (a jump of kilometres between two points is
//! counted and reported). Elevation is read in metres or feet, cleaned, resampled every
//! `GRID_M` of distance and denoised by distance with a window sized to the noise measured
//! in the file itself, so GPS altitude on a flat city course comes out flat and the climbs
//! of a mountain course stay.
//!
//! Denoising (docs/ARCHITECTURE.md, "Courses"):
//! - Noise: for each point whose neighbours are both within `DENSE_SPAN_M`, the residual
//!   from the straight line between them; for white noise of spread σ at the midpoint its
//!   variance is 1.5 σ², so σ = 1.4826 · MAD(residual) / √1.5. Routes from a planner have
//!   sparse, terrain-model points: too few dense triplets to judge, σ taken as 0.
//! - Window: a moving average over `max(SMOOTH_MIN_M, WINDOW_PER_SIGMA · σ)` metres (at most
//!   `SMOOTH_MAX_M`), which averages about (window / spacing) readings and leaves a few
//!   tenths of a metre of the noise; real climbs, hundreds of metres long, keep their height.
//! - Gain: hysteresis of `H_PER_SIGMA · σ`, at least `H_MIN_M` (0.3 m keeps the small rises
//!   a barometer or terrain model records). A file noisy point to point (σ ≥ `NOISY_SD_M`)
//!   is raw GPS altitude, which also wanders slowly: it gets at least a 4 m hysteresis and
//!   a 100 m window, so slow drift is not counted as climbing.

use super::elevation;
use super::{climbs, distance, GRADE_SPAN_M};
use crate::model::Activity;
use serde::{Deserialize, Serialize};

/// Spacing of the resampled elevation grid, metres.
pub const GRID_M: f64 = 10.0;
/// A step longer than this between two consecutive points is reported (still counted).
pub const JUMP_M: f64 = 2_000.0;
/// Triplets of points closer than this on both sides measure the noise.
pub const DENSE_SPAN_M: f64 = 30.0;
/// Fewer dense triplets than this: the file is a sparse route, its noise not measured.
pub const MIN_DENSE_TRIPLETS: usize = 50;
/// Smoothing window bounds and its growth with the noise (metres per metre of σ).
pub const SMOOTH_MIN_M: f64 = 20.0;
pub const SMOOTH_MAX_M: f64 = 400.0;
pub const WINDOW_PER_SIGMA: f64 = 60.0;
/// Hysteresis in units of the measured noise, and its floor: 0.3 m keeps the small rises
/// a barometric altimeter or a terrain model records (the Garmin Edge 500's own total is
/// the plain sum of its 0.2 m steps).
pub const H_PER_SIGMA: f64 = 1.5;
pub const H_MIN_M: f64 = 0.3;
/// Raw GPS altitude also wanders slowly (metres over minutes), which no point-to-point
/// measure sees. A file whose point-to-point noise is at least `NOISY_SD_M` is taken for raw
/// GPS altitude, whatever its creator says (a barometer, a terrain model or a device that
/// filters its GPS altitude gives smooth values), and gets at least this hysteresis and
/// window: the 3-5 m GoldenCheetah and Runalyze use for GPS altitude.
pub const NOISY_SD_M: f64 = 0.5;
pub const H_MIN_GPS_M: f64 = 4.0;
pub const SMOOTH_MIN_GPS_M: f64 = 100.0;
/// Metres per foot.
pub const FOOT_M: f64 = 0.3048;

/// What unit a course's elevations are in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ElevationUnit {
    /// Metres, unless the values rise beyond the highest ground on Earth: then feet.
    #[default]
    Auto,
    #[serde(alias = "metres", alias = "meters")]
    M,
    #[serde(alias = "feet")]
    Ft,
}

impl std::str::FromStr for ElevationUnit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ElevationUnit::Auto),
            "m" | "metres" | "meters" => Ok(ElevationUnit::M),
            "ft" | "feet" => Ok(ElevationUnit::Ft),
            other => Err(format!(
                "{other:?} is not an elevation unit (m, ft or auto)"
            )),
        }
    }
}

/// A course measured as geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseTrack {
    /// Length along every positioned point, metres.
    pub distance_m: f64,
    /// Positioned points used, and the distance at each of them, metres.
    pub points: usize,
    pub point_distance_m: Vec<f64>,
    /// Elevation every `GRID_M`, denoised (`None` without elevation).
    pub grid_m: Vec<f64>,
    pub elevation_m: Option<Vec<f64>>,
    pub ascent_m: Option<f64>,
    pub descent_m: Option<f64>,
    /// The plain sum of rises and falls between consecutive points (after unit conversion
    /// and cleaning), shown beside the denoised figure.
    pub raw_ascent_m: Option<f64>,
    pub raw_descent_m: Option<f64>,
    /// Noise spread measured in the file, metres (0 for a sparse route).
    pub noise_sd_m: f64,
    pub smoothing_m: f64,
    /// Whether the elevations were read as feet.
    pub feet: bool,
    /// Grade at each point of `grid_m` (empty without elevation).
    pub grades: Vec<f64>,
    /// What was noticed and done (unit conversion, jumps, rejected values).
    pub notes: Vec<String>,
}

/// Measures a course from every positioned point of `act`, in file order.
pub fn measure(act: &Activity, unit: ElevationUnit) -> CourseTrack {
    let pts: Vec<&crate::model::Sample> = act.samples.iter().filter(|s| s.has_position()).collect();
    let mut notes = Vec::new();
    let mut cum = Vec::with_capacity(pts.len());
    let mut total = 0.0;
    let mut jumps = Vec::new();
    for (i, p) in pts.iter().enumerate() {
        if i > 0 {
            let q = pts[i - 1];
            let step = distance::step_m(
                q.lat_deg.unwrap_or(0.0),
                q.lon_deg.unwrap_or(0.0),
                p.lat_deg.unwrap_or(0.0),
                p.lon_deg.unwrap_or(0.0),
            );
            if step > JUMP_M {
                jumps.push((i, step));
            }
            total += step;
        }
        cum.push(total);
    }
    if let Some(&(i, step)) = jumps.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
        notes.push(format!(
            "{} jump(s) of over {:.0} km between consecutive points, the longest {:.1} km before point {}: counted in the distance",
            jumps.len(),
            JUMP_M / 1000.0,
            step / 1000.0,
            i + 1
        ));
    }
    let raw: Vec<Option<f64>> = pts.iter().map(|p| p.elevation_m).collect();
    let highest = raw.iter().flatten().copied().fold(f64::MIN, f64::max);
    let feet = match unit {
        ElevationUnit::Ft => true,
        ElevationUnit::M => false,
        ElevationUnit::Auto => highest > elevation::MAX_CREDIBLE_M,
    };
    let raw: Vec<Option<f64>> = if feet {
        if unit == ElevationUnit::Auto {
            notes.push(format!(
                "elevations up to {highest:.0} rise beyond the highest ground on Earth: read as feet and converted to metres (set elevation_unit to say so)"
            ));
        }
        raw.iter().map(|e| e.map(|v| v * FOOT_M)).collect()
    } else {
        raw
    };
    let mut out = CourseTrack {
        distance_m: total,
        points: pts.len(),
        point_distance_m: Vec::new(),
        grid_m: Vec::new(),
        elevation_m: None,
        ascent_m: None,
        descent_m: None,
        raw_ascent_m: None,
        raw_descent_m: None,
        noise_sd_m: 0.0,
        smoothing_m: 0.0,
        feet,
        grades: Vec::new(),
        notes,
    };
    let Some(cleaned) = elevation::clean(&raw, &cum) else {
        out.point_distance_m = cum;
        return out;
    };
    if cleaned.rejected > 0 {
        out.notes.push(format!(
            "{} absurd elevation value(s) replaced by interpolation",
            cleaned.rejected
        ));
    }
    let e = &cleaned.elevation_m;
    let (raw_gain, raw_loss) = elevation::gain_loss(e, 0.0);
    out.raw_ascent_m = Some(raw_gain);
    out.raw_descent_m = Some(raw_loss);

    let sigma = noise_sd(&cum, e);
    let (min_window, min_h) = if sigma >= NOISY_SD_M {
        (SMOOTH_MIN_GPS_M, H_MIN_GPS_M)
    } else {
        (SMOOTH_MIN_M, H_MIN_M)
    };
    let window = (WINDOW_PER_SIGMA * sigma).clamp(min_window, SMOOTH_MAX_M);
    let grid = grid(total);
    let on_grid = resample(&cum, e, &grid);
    let smooth = elevation::smooth(&grid, &on_grid, window);
    let h = (H_PER_SIGMA * sigma).max(min_h);
    let (gain, loss) = elevation::gain_loss(&smooth, h);
    out.grades = climbs::grades(&grid, &smooth, GRADE_SPAN_M);
    out.ascent_m = Some(gain);
    out.descent_m = Some(loss);
    out.noise_sd_m = sigma;
    out.smoothing_m = window;
    out.grid_m = grid;
    out.elevation_m = Some(smooth);
    out.point_distance_m = cum;
    out
}

/// Distances every `GRID_M` from 0 to `total`, the end included. Bounded by the course
/// length limit (5,000 km is 500,000 points).
fn grid(total: f64) -> Vec<f64> {
    let n = (total / GRID_M).floor().max(0.0) as usize;
    let mut g: Vec<f64> = (0..=n).map(|k| k as f64 * GRID_M).collect();
    if total - g.last().copied().unwrap_or(0.0) > 1e-6 {
        g.push(total);
    }
    g
}

/// `e` (aligned with non-decreasing `x`) linearly interpolated at each of `at`.
fn resample(x: &[f64], e: &[f64], at: &[f64]) -> Vec<f64> {
    let mut j = 0;
    at.iter()
        .map(|&p| {
            while j + 1 < x.len() && x[j + 1] < p {
                j += 1;
            }
            if j + 1 >= x.len() {
                return e[x.len() - 1];
            }
            let span = x[j + 1] - x[j];
            if span <= 0.0 || p <= x[j] {
                e[j]
            } else {
                e[j] + (e[j + 1] - e[j]) * ((p - x[j]) / span).min(1.0)
            }
        })
        .collect()
}

/// The spread of point-to-point elevation noise (module doc), or 0 when too few points are
/// dense enough to tell noise from terrain.
pub fn noise_sd(x: &[f64], e: &[f64]) -> f64 {
    // Points closer than half a metre are the same place twice, not a measure of noise.
    let spaced: Vec<usize> = (0..x.len())
        .filter(|&i| i == 0 || x[i] - x[i - 1] > 0.5)
        .collect();
    let xs: Vec<f64> = spaced.iter().map(|&i| x[i]).collect();
    let es: Vec<f64> = spaced.iter().map(|&i| e[i]).collect();
    elevation::noise_sd(&xs, &es, DENSE_SPAN_M, MIN_DENSE_TRIPLETS).unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, Sample};

    const M_PER_DEG_LAT: f64 = 110_574.0;

    /// Deterministic normal noise (sum of uniforms), spread `sd`.
    struct Noise(u64);
    impl Noise {
        fn next(&mut self, sd: f64) -> f64 {
            let mut s = 0.0;
            for _ in 0..12 {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                s += (self.0 >> 11) as f64 / (1u64 << 53) as f64;
            }
            (s - 6.0) * sd
        }
    }

    /// A course north along a meridian, a point every `spacing` m, elevation `ele(x)` plus
    /// noise of spread `sd`, with timestamps that pause for an hour halfway.
    fn course(len: f64, spacing: f64, sd: f64, ele: impl Fn(f64) -> f64) -> Activity {
        let mut a = Activity::new("c.gpx".into(), Format::Gpx);
        let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
        let n = (len / spacing) as usize;
        for i in 0..=n {
            let x = i as f64 * spacing;
            let pause = if x > len / 2.0 { 3_600_000 } else { 0 };
            a.samples.push(Sample {
                time_ms: Some(1_700_000_000_000 + i as i64 * 1000 + pause),
                lat_deg: Some(x / M_PER_DEG_LAT),
                lon_deg: Some(0.0),
                elevation_m: Some(ele(x) + noise.next(sd)),
                ..Sample::default()
            });
        }
        a
    }

    /// 350 m of climbing (and descending) in seven 50 m hills over a marathon.
    fn hills(x: f64) -> f64 {
        let k = 42_195.0 / 7.0;
        100.0 + 25.0 * (1.0 - (2.0 * std::f64::consts::PI * x / k).cos())
    }

    #[test]
    fn a_noisy_marathon_keeps_its_known_climbing() {
        for (sd, spacing) in [(2.0, 10.0), (1.0, 5.0), (3.0, 20.0), (2.0, 5.0)] {
            let c = measure(&course(42_195.0, spacing, sd, hills), ElevationUnit::Auto);
            let gain = c.ascent_m.unwrap();
            assert!(
                (gain - 350.0).abs() <= 35.0,
                "noise {sd} m every {spacing} m: {gain:.0} m (raw {:.0}, σ {:.2}, window {:.0})",
                c.raw_ascent_m.unwrap(),
                c.noise_sd_m,
                c.smoothing_m
            );
            // The hour-long pause halfway changes nothing: every point counts.
            assert!(
                (c.distance_m - 42_195.0).abs() < 0.002 * 42_195.0,
                "{}",
                c.distance_m
            );
            assert!(
                (c.noise_sd_m - sd).abs() < 0.35 * sd,
                "σ {} for {sd}",
                c.noise_sd_m
            );
        }
    }

    #[test]
    fn gps_noise_on_a_flat_course_is_not_climbing() {
        let c = measure(&course(42_195.0, 5.0, 3.0, |_| 40.0), ElevationUnit::Auto);
        assert!(c.ascent_m.unwrap() < 25.0, "{:?}", c.ascent_m);
        assert!(c.raw_ascent_m.unwrap() > 1_000.0);
        // GPS altitude that also wanders ±2 m over a kilometre: flat all the same.
        let gps = course(42_195.0, 5.0, 3.0, |x| {
            40.0 + 2.0 * (2.0 * std::f64::consts::PI * x / 1_000.0).sin()
        });
        let c = measure(&gps, ElevationUnit::Auto);
        assert!(c.ascent_m.unwrap() < 25.0, "{:?}", c.ascent_m);
        // ... while the seven 50 m hills of a GPS-recorded marathon stay.
        let hilly = course(42_195.0, 5.0, 3.0, hills);
        let gain = measure(&hilly, ElevationUnit::Auto).ascent_m.unwrap();
        assert!((gain - 350.0).abs() <= 35.0, "{gain}");
    }

    #[test]
    fn a_course_in_feet_matches_its_metre_twin() {
        // A mountain course: 1,500 m of rise to 3,500 m, read as feet beyond 8,900.
        let metres = course(30_000.0, 10.0, 0.0, |x| 2_000.0 + 1_500.0 * (x / 30_000.0));
        let mut feet = metres.clone();
        for s in &mut feet.samples {
            s.elevation_m = s.elevation_m.map(|v| v / FOOT_M);
        }
        let m = measure(&metres, ElevationUnit::Auto);
        let f = measure(&feet, ElevationUnit::Auto);
        assert!(f.feet && !m.feet);
        assert!(
            (m.ascent_m.unwrap() - 1_500.0).abs() < 5.0,
            "{:?}",
            m.ascent_m
        );
        assert!((f.ascent_m.unwrap() - m.ascent_m.unwrap()).abs() < 0.5);
        assert!(f.notes.iter().any(|n| n.contains("read as feet")));
        // A low course in feet is only known as feet when the user says so.
        let low = course(10_000.0, 10.0, 0.0, |x| 100.0 + x / 100.0);
        let mut low_ft = low.clone();
        for s in &mut low_ft.samples {
            s.elevation_m = s.elevation_m.map(|v| v / FOOT_M);
        }
        let told = measure(&low_ft, ElevationUnit::Ft);
        assert!(
            (told.ascent_m.unwrap() - 100.0).abs() < 2.0,
            "{:?}",
            told.ascent_m
        );
    }

    #[test]
    fn a_jump_is_counted_and_reported() {
        let mut a = course(5_000.0, 10.0, 0.0, |_| 50.0);
        // Move the second half 3 km east: one step of about 3 km.
        let half = a.samples.len() / 2;
        for s in &mut a.samples[half..] {
            s.lon_deg = Some(3_000.0 / 111_320.0);
        }
        let c = measure(&a, ElevationUnit::Auto);
        assert!((c.distance_m - 8_000.0).abs() < 20.0, "{}", c.distance_m);
        assert!(c.notes[0].contains("1 jump(s)"), "{:?}", c.notes);
    }
}
