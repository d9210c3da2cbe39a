//! Heart rate inside one run: time-weighted mean, maximum, and time in five zones by share
//! of a configured maximum heart rate (50-60-70-80-90-100 %, the common five-zone model).

use serde::{Deserialize, Serialize};

/// Lower bounds of zones 1..5 as shares of maximum heart rate.
pub const ZONE_BOUNDS: [f64; 5] = [0.5, 0.6, 0.7, 0.8, 0.9];
const MAX_STEP_S: f64 = 30.0;
/// Readings outside this range are sensor dropouts or noise, not heart rates.
const CREDIBLE_BPM: std::ops::RangeInclusive<f64> = 25.0..=250.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeartRate {
    pub mean_bpm: f64,
    pub max_bpm: f64,
    /// Minutes in zones 1..5, when a maximum heart rate is configured.
    pub zone_minutes: Option<[f64; 5]>,
}

pub fn heart_rate(t: &[f64], hr: &[Option<f64>], max_hr: Option<f64>) -> Option<HeartRate> {
    let mut weighted = 0.0;
    let mut total = 0.0;
    let mut max = f64::NEG_INFINITY;
    let mut zones = [0.0; 5];
    for i in 1..t.len().min(hr.len()) {
        let Some(b) = hr[i].filter(|b| CREDIBLE_BPM.contains(b)) else {
            continue;
        };
        max = max.max(b);
        let dt = t[i] - t[i - 1];
        if dt <= 0.0 || dt > MAX_STEP_S {
            continue;
        }
        weighted += b * dt;
        total += dt;
        if let Some(m) = max_hr {
            if let Some(z) = ZONE_BOUNDS.iter().rposition(|lo| b >= lo * m) {
                zones[z] += dt;
            }
        }
    }
    (total > 0.0).then(|| HeartRate {
        mean_bpm: weighted / total,
        max_bpm: max,
        zone_minutes: max_hr.map(|_| zones.map(|s| s / 60.0)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_max_and_zones() {
        let t: Vec<f64> = (0..=600).map(|s| s as f64).collect();
        let hr: Vec<Option<f64>> = (0..=600)
            .map(|s| Some(if s <= 300 { 130.0 } else { 170.0 }))
            .collect();
        let h = heart_rate(&t, &hr, Some(190.0)).unwrap();
        assert!((h.mean_bpm - 150.0).abs() < 0.01);
        assert_eq!(h.max_bpm, 170.0);
        // 130/190 = 68 % -> zone 2; 170/190 = 89 % -> zone 4.
        assert_eq!(h.zone_minutes.unwrap(), [0.0, 5.0, 0.0, 5.0, 0.0]);
        assert!(heart_rate(&t, &hr, None).unwrap().zone_minutes.is_none());
        let dropout = vec![Some(0.0); 601];
        assert!(heart_rate(&t, &dropout, None).is_none());
    }
}
