//! Terrain match: the course's distance per grade band against the block's training per
//! week, a match score and the bands most missing.

use crate::history::RunRow;
use crate::track::grade_bands::{BANDS, LABELS};
use serde::Serialize;

/// One grade band, course against training.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandRow {
    pub band: &'static str,
    pub course_km: f64,
    /// Share of the course's distance, 0-1.
    pub course_share: f64,
    pub training_km_per_week: f64,
    /// Share of the training's distance with a grade, 0-1.
    pub training_share: f64,
}

/// The course's terrain against the training's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TerrainMatch {
    pub bands: Vec<BandRow>,
    pub weeks: f64,
    /// The overlap of the two distributions (histogram intersection, Swain & Ballard 1991,
    /// Int J Comput Vision 7:11-32): the share of the course's distance whose grade the
    /// training covered in the same proportion, percent. `None` when the training has no
    /// distance with a grade (no elevation recorded) or the course none.
    pub score_pct: Option<f64>,
    /// Bands where the training's share is below the course's, the largest shortfall first
    /// (at most three).
    pub most_missing: Vec<&'static str>,
}

/// The match of `course_km` per band (the course) against the block's `runs` over `weeks`.
pub fn compare(course_km: [f64; BANDS], runs: &[&RunRow], weeks: f64) -> TerrainMatch {
    let mut training = [0.0; BANDS];
    for r in runs {
        for (k, b) in r.stats.grade_bands.iter().enumerate().take(BANDS) {
            training[k] += b.distance_m / 1000.0;
        }
    }
    let (ct, tt): (f64, f64) = (course_km.iter().sum(), training.iter().sum());
    let share = |v: f64, t: f64| if t > 0.0 { v / t } else { 0.0 };
    let weeks = weeks.max(1.0 / 7.0);
    let bands: Vec<BandRow> = (0..BANDS)
        .map(|k| BandRow {
            band: LABELS[k],
            course_km: course_km[k],
            course_share: share(course_km[k], ct),
            training_km_per_week: training[k] / weeks,
            training_share: share(training[k], tt),
        })
        .collect();
    let known = ct > 0.0 && tt > 0.0;
    let score_pct = known.then(|| {
        bands
            .iter()
            .map(|b| b.course_share.min(b.training_share))
            .sum::<f64>()
            * 100.0
    });
    let mut missing: Vec<&BandRow> = bands
        .iter()
        .filter(|b| known && b.training_share < b.course_share)
        .collect();
    missing.sort_by(|a, b| {
        (b.course_share - b.training_share).total_cmp(&(a.course_share - a.training_share))
    });
    TerrainMatch {
        most_missing: missing.iter().take(3).map(|b| b.band).collect(),
        bands,
        weeks,
        score_pct,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::run;
    use crate::track::grade_bands::BandTotal;

    fn with_bands(km: [f64; BANDS]) -> RunRow {
        let mut r = run(-3, km.iter().sum(), 1.0);
        r.stats.grade_bands = km
            .iter()
            .map(|k| BandTotal {
                distance_m: k * 1000.0,
                moving_s: k * 300.0,
            })
            .collect();
        r
    }

    /// A course of 10 km: 2 km at -10..-5 %, 6 km flat, 2 km at 5..10 %. Training over two
    /// weeks: two runs, 18 km flat and 2 km at 5..10 %. Hand computed: the course's shares
    /// are 0.2/0.6/0.2, the training's 0/0.9/0.1; the overlap is 0 + 0.6 + 0.1 = 70 %; the
    /// descent (-0.2) is missing most, then the climb (-0.1); 9 km flat a week.
    #[test]
    fn a_hand_computed_match() {
        let course = [0.0, 2.0, 0.0, 6.0, 0.0, 2.0, 0.0];
        let a = with_bands([0.0, 0.0, 0.0, 10.0, 0.0, 2.0, 0.0]);
        let b = with_bands([0.0, 0.0, 0.0, 8.0, 0.0, 0.0, 0.0]);
        let m = compare(course, &[&a, &b], 2.0);
        assert!((m.score_pct.unwrap() - 70.0).abs() < 1e-9);
        assert_eq!(m.most_missing, vec!["-10 to -5 %", "5 to 10 %"]);
        assert!((m.bands[3].training_km_per_week - 9.0).abs() < 1e-9);
        assert!((m.bands[1].course_share - 0.2).abs() < 1e-12);
        // The same terrain in the same proportions is a full match, whatever the volume.
        let m = compare(
            course,
            &[&with_bands([0.0, 4.0, 0.0, 12.0, 0.0, 4.0, 0.0])],
            1.0,
        );
        assert!((m.score_pct.unwrap() - 100.0).abs() < 1e-9);
        assert!(m.most_missing.is_empty());
        // No grade recorded: unknown, not a mismatch.
        let m = compare(course, &[&with_bands([0.0; BANDS])], 1.0);
        assert_eq!(m.score_pct, None);
        assert!(m.most_missing.is_empty());
    }
}
