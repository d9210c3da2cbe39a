//! Heat exposure inside one run: time at or above temperature bands, mean and maximum, from
//! the device's sensor with a configurable offset (wrist sensors read warm from body heat).

use serde::{Deserialize, Serialize};

/// Default bands, °C.
pub const DEFAULT_BANDS_C: [f64; 4] = [15.0, 20.0, 25.0, 30.0];
/// Steps longer than this (gaps, auto-pause) do not count as time in the heat.
const MAX_STEP_S: f64 = 30.0;
/// A watch's sensor starts at the warmth of the room and the wrist and takes minutes to
/// come down to the air's (several minutes' time constant); a run's settled maximum leaves
/// these first minutes out. Runs shorter than twice this keep their whole maximum.
pub const SENSOR_SETTLE_S: f64 = 600.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heat {
    /// Time-weighted mean, °C (after the offset).
    pub mean_c: f64,
    /// The highest reading.
    pub max_c: f64,
    /// The highest reading after the sensor has settled (`SENSOR_SETTLE_S`); the whole
    /// run's on a short run.
    #[serde(default)]
    pub settled_max_c: Option<f64>,
    /// Minutes at or above each band: (band °C, minutes).
    pub minutes_at_or_above: Vec<(f64, f64)>,
}

/// `t` seconds, `temp` sensor °C per point (None where missing); `offset_c` is added to
/// every reading.
pub fn heat(t: &[f64], temp: &[Option<f64>], offset_c: f64, bands_c: &[f64]) -> Option<Heat> {
    let mut weighted = 0.0;
    let mut total = 0.0;
    let mut max = f64::NEG_INFINITY;
    let mut settled = f64::NEG_INFINITY;
    let t0 = t.first().copied().unwrap_or(0.0);
    let long_enough = t
        .last()
        .is_some_and(|end| end - t0 >= 2.0 * SENSOR_SETTLE_S);
    let mut mins = vec![0.0; bands_c.len()];
    for i in 1..t.len().min(temp.len()) {
        let dt = t[i] - t[i - 1];
        let Some(c) = temp[i].or(temp[i - 1]).map(|c| c + offset_c) else {
            continue;
        };
        max = max.max(c);
        if !long_enough || t[i] - t0 >= SENSOR_SETTLE_S {
            settled = settled.max(c);
        }
        if dt <= 0.0 || dt > MAX_STEP_S {
            continue;
        }
        weighted += c * dt;
        total += dt;
        for (m, b) in mins.iter_mut().zip(bands_c) {
            if c >= *b {
                *m += dt;
            }
        }
    }
    (total > 0.0).then(|| Heat {
        mean_c: weighted / total,
        max_c: max,
        settled_max_c: settled.is_finite().then_some(settled),
        minutes_at_or_above: bands_c
            .iter()
            .copied()
            .zip(mins.iter().map(|s| s / 60.0))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_in_bands_with_an_offset() {
        // 10 min at 18 °C then 10 min at 26 °C (sensor), 1 Hz.
        let t: Vec<f64> = (0..=1200).map(|s| s as f64).collect();
        let temp: Vec<Option<f64>> = (0..=1200)
            .map(|s| Some(if s <= 600 { 18.0 } else { 26.0 }))
            .collect();
        let h = heat(&t, &temp, 0.0, &DEFAULT_BANDS_C).unwrap();
        assert_eq!(
            h.minutes_at_or_above,
            vec![(15.0, 20.0), (20.0, 10.0), (25.0, 10.0), (30.0, 0.0)]
        );
        assert!((h.mean_c - 22.0).abs() < 0.01);
        assert_eq!(h.max_c, 26.0);
        let cooler = heat(&t, &temp, -2.0, &DEFAULT_BANDS_C).unwrap();
        assert_eq!(cooler.minutes_at_or_above[3], (30.0, 0.0));
        assert_eq!(cooler.minutes_at_or_above[2], (25.0, 0.0));
        assert_eq!(cooler.max_c, 24.0);
    }

    #[test]
    fn a_watch_warm_from_the_house_settles_to_the_air() {
        // A winter hour: the sensor starts at 22 °C and comes down to 6 °C (air plus the
        // wrist's 4) with a 10-minute time constant, as watches do.
        let t: Vec<f64> = (0..=3600).map(|s| s as f64).collect();
        let temp: Vec<Option<f64>> = t
            .iter()
            .map(|s| Some(6.0 + 16.0 * (-s / 600.0).exp()))
            .collect();
        let h = heat(&t, &temp, 0.0, &DEFAULT_BANDS_C).unwrap();
        assert!((h.max_c - 22.0).abs() < 0.05, "the first readings");
        // After 10 minutes: 6 + 16 / e = 11.9 °C.
        let settled = h.settled_max_c.unwrap();
        assert!(
            (settled - (6.0 + 16.0 / std::f64::consts::E)).abs() < 0.05,
            "{settled}"
        );
        // A 15-minute run keeps its whole maximum.
        let short = heat(&t[..900], &temp[..900], 0.0, &DEFAULT_BANDS_C).unwrap();
        assert_eq!(short.settled_max_c, Some(short.max_c));
    }

    #[test]
    fn no_sensor_no_heat() {
        assert!(heat(&[0.0, 1.0], &[None, None], 0.0, &DEFAULT_BANDS_C).is_none());
    }
}
