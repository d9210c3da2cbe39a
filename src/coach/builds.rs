//! Builds compared: the same measures over the weeks before each past race of the target's
//! kind and over the current block, and what was short before a race that faded.

use super::past_races::PastRace;
use crate::gaps::{DistanceClass, Thresholds};
use crate::history::RunRow;
use crate::units::Units;
use serde::Serialize;

/// The measures of one build: the runs in `[start_day, end_day)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Build {
    /// "now", or the race's date and name.
    pub label: String,
    /// The past race it led to (an index into `Coach::past_races`); `None` for the current
    /// block.
    pub race: Option<usize>,
    pub start_day: i64,
    pub end_day: i64,
    pub weeks: f64,
    pub runs: u32,
    pub km_per_week: f64,
    pub longest_run_m: f64,
    /// Runs of at least `long_run_m`, the long run of the race's distance.
    pub long_runs: u32,
    pub long_run_m: f64,
    pub climb_m_per_week: f64,
    pub biggest_climb_m: f64,
    /// Whether any run of the build recorded its elevation (else climbing is unknown).
    pub climb_known: bool,
    /// For a race that faded: the measures that were short before it, in words.
    pub short: Vec<String>,
}

/// The measures of the runs in `[start_day, end_day)` against a long run of `long_run_m`.
pub fn measure(
    rows: &[RunRow],
    start_day: i64,
    end_day: i64,
    long_run_m: f64,
    label: String,
) -> Build {
    let runs: Vec<&RunRow> = rows
        .iter()
        .filter(|r| r.is_run && r.day >= start_day && r.day < end_day)
        .collect();
    let weeks = ((end_day - start_day) as f64 / 7.0).max(1.0 / 7.0);
    let sum = |f: fn(&RunRow) -> f64| runs.iter().map(|r| f(r)).sum::<f64>();
    let max = |f: fn(&RunRow) -> f64| runs.iter().map(|r| f(r)).fold(0.0, f64::max);
    Build {
        label,
        race: None,
        start_day,
        end_day,
        weeks,
        runs: runs.len() as u32,
        km_per_week: sum(|r| r.distance_m) / 1000.0 / weeks,
        longest_run_m: max(|r| r.distance_m),
        long_runs: runs.iter().filter(|r| r.distance_m >= long_run_m).count() as u32,
        long_run_m,
        climb_m_per_week: sum(|r| r.ascent_m) / weeks,
        biggest_climb_m: max(|r| r.biggest_climb_m),
        climb_known: runs.iter().any(|r| r.stats.ascent_m.is_some()),
        short: Vec::new(),
    }
}

/// What was short in `b` for the race `r`, by the rules the target race is judged by: the
/// long run of its distance, the long runs a block wants, a climb of the race's biggest.
pub fn short_for(b: &Build, r: &PastRace, t: &Thresholds, u: Units) -> Vec<String> {
    let mut out = Vec::new();
    if b.longest_run_m < b.long_run_m * t.ok_ratio {
        out.push(format!(
            "longest run {} (a {} asks {})",
            u.distance(b.longest_run_m),
            r.class.key(),
            u.distance_round(b.long_run_m)
        ));
    }
    let needs_long_runs = matches!(
        r.class,
        DistanceClass::Half | DistanceClass::Marathon | DistanceClass::Ultra
    );
    if needs_long_runs && b.long_runs < t.long_runs_needed {
        out.push(format!(
            "{} long run(s) of {} or more (at least {} wanted)",
            b.long_runs,
            u.distance_round(b.long_run_m),
            t.long_runs_needed
        ));
    }
    if b.climb_known
        && r.biggest_climb_m >= t.min_course_climb_m
        && b.biggest_climb_m < t.climb_share * r.biggest_climb_m
    {
        out.push(format!(
            "biggest climb {} (the race's was {})",
            u.height(b.biggest_climb_m),
            u.height(r.biggest_climb_m)
        ));
    }
    out
}

/// Where `faded` was below `good` (a build whose race did not fade), in words; climbing
/// only for a `hilly` race.
pub fn lower_than(faded: &Build, good: &Build, hilly: bool, u: Units) -> Vec<String> {
    let mut out = Vec::new();
    let mut cmp = |what: &str, a: f64, b: f64, show: &dyn Fn(f64) -> String| {
        if a < b {
            out.push(format!("{what} {} against {}", show(a), show(b)));
        }
    };
    cmp(
        "distance a week",
        faded.km_per_week * 1000.0,
        good.km_per_week * 1000.0,
        &|v| u.distance_dp(v, 0),
    );
    cmp(
        "longest run",
        faded.longest_run_m,
        good.longest_run_m,
        &|v| u.distance(v),
    );
    cmp(
        "long runs",
        f64::from(faded.long_runs),
        f64::from(good.long_runs),
        &|v| format!("{v:.0}"),
    );
    if hilly && faded.climb_known && good.climb_known {
        cmp(
            "climbing a week",
            faded.climb_m_per_week,
            good.climb_m_per_week,
            &|v| u.height(v),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::run;

    /// Three runs in a two-week window: 10 km/100 m, 32 km/200 m, 12 km/0 m. Hand
    /// computed: 27 km and 150 m a week, longest 32 km, one long run of 31.6 km.
    #[test]
    fn a_hand_computed_build() {
        let mut rows = vec![run(-13, 10.0, 1.0), run(-7, 32.0, 3.0), run(-2, 12.0, 1.0)];
        rows[0].ascent_m = 100.0;
        rows[1].ascent_m = 200.0;
        rows[1].biggest_climb_m = 120.0;
        let race = crate::gaps::context::fixture::race_day();
        let b = measure(&rows, race - 14, race, 31_646.25, "now".into());
        assert_eq!(b.runs, 3);
        assert!((b.km_per_week - 27.0).abs() < 1e-9);
        assert!((b.climb_m_per_week - 150.0).abs() < 1e-9);
        assert_eq!(b.longest_run_m, 32_000.0);
        assert_eq!(b.long_runs, 1);
        assert_eq!(b.biggest_climb_m, 120.0);
        // Outside the window: not counted.
        let b = measure(&rows, race - 7, race, 31_646.25, "now".into());
        assert_eq!(b.runs, 2);
    }
}
