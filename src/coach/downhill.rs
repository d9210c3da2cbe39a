//! Downhill readiness: the last sessions with enough eccentric load for the course's
//! descents, dated against race day.
//!
//! A first bout of downhill running damages the muscles it lengthens under load; a second
//! bout weeks later damages far less (the repeated-bout effect). Byrnes et al. 1985 (J Appl
//! Physiol 59:710): after 30 min at −10° the protection was there 3 and 6 weeks later and
//! gone at 9 weeks. Bontemps et al. 2020 (Sports Med 50:2083, a review of downhill running)
//! name prior downhill exposure the best prevention; its studies' median bout, 40 min at
//! −12 % and 11.3 km/h, drops about 900 m. Khassetarash et al. 2021 (J Sport Health Sci)
//! found two 30-min bouts at −20 % three weeks apart: the second cost less force and
//! soreness. So: a dose in the last 6 weeks protects; none in 6 weeks leaves the quads
//! unprepared; a bout the size of the lab's in the last 7 days is damage not yet repaired.

use crate::history::RunRow;
use serde::Serialize;

/// Protection lasts up to 6 weeks (Byrnes et al. 1985).
pub const PROTECTION_DAYS: i64 = 42;
/// A big bout this close to the race is damage still being repaired.
pub const TOO_CLOSE_DAYS: i64 = 7;
/// Descending counts as eccentric work from this grade (the −5 % edge of the grade bands:
/// the lab bouts run at −10 to −20 %).
pub const DOSE_GRADE: f64 = -0.05;
/// A bout the size of the lab's damaging ones (Bontemps et al. 2020's median protocol).
pub const BIG_DOSE_M: f64 = 900.0;

/// A run with an eccentric dose.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dose {
    pub day: i64,
    pub date: String,
    pub run: String,
    pub file: String,
    /// Metres descended on descents of `DOSE_GRADE` or steeper.
    pub descent_m: f64,
    /// Mean grade of those descents, percent.
    pub grade_pct: f64,
    pub days_before_race: i64,
    pub big: bool,
}

/// What the runner's downhill preparation is, as of race day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    /// A dose in the 6 weeks before race day and no big one in its last 7 days.
    Ready,
    /// No dose in the 6 weeks before race day.
    NoneRecent,
    /// A big bout in the 7 days before race day.
    TooClose,
    /// The race ahead: no dose in its last 6 weeks yet, and time for one.
    Due,
    /// No run recorded its elevation.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Downhill {
    /// A run's descents of this size at `DOSE_GRADE` or steeper count as a dose: the
    /// share of the course's biggest descent a training descent must reach (`climb_share`).
    pub dose_m: f64,
    /// The last doses before race day (or today), latest first, at most five.
    pub sessions: Vec<Dose>,
    pub readiness: Readiness,
    /// The first and last day a dose would protect on race day without harming it.
    pub window: (i64, i64),
}

/// A run's eccentric dose: metres descended on descents of `DOSE_GRADE` or steeper, and
/// their mean grade.
pub fn dose_of(r: &RunRow) -> (f64, f64) {
    let steep: Vec<_> = r
        .stats
        .descents
        .iter()
        // (`track::climbs` lists only runnable descents: no altitude jumps here.)
        .filter(|d| d.mean_grade.abs() >= -DOSE_GRADE)
        .collect();
    let drop: f64 = steep.iter().map(|d| d.gain_m).sum();
    let len: f64 = steep.iter().map(|d| d.length_m).sum();
    (drop, if len > 0.0 { -drop / len * 100.0 } else { 0.0 })
}

/// The doses of `rows` up to `until_day` (exclusive) against a race on `race_day` whose
/// descents need `dose_m`.
pub fn judge(rows: &[RunRow], race_day: i64, until_day: i64, dose_m: f64) -> Downhill {
    let until = until_day.min(race_day);
    let mut sessions: Vec<Dose> = rows
        .iter()
        .filter(|r| r.is_run && r.day < until)
        .filter_map(|r| {
            let (descent_m, grade_pct) = dose_of(r);
            (descent_m >= dose_m && descent_m > 0.0).then(|| Dose {
                day: r.day,
                date: crate::calendar::format_day(r.day),
                run: r.display_name(),
                file: r.file.clone(),
                descent_m,
                grade_pct,
                days_before_race: race_day - r.day,
                big: descent_m >= BIG_DOSE_M,
            })
        })
        .collect();
    sessions.sort_by(|a, b| b.day.cmp(&a.day).then(a.file.cmp(&b.file)));
    let window = (race_day - PROTECTION_DAYS, race_day - TOO_CLOSE_DAYS - 1);
    let recent = rows
        .iter()
        .filter(|r| r.is_run && r.day < until && r.day >= race_day - 60)
        .collect::<Vec<_>>();
    let no_elevation = !recent.is_empty()
        && recent
            .iter()
            .all(|r| r.stats.ascent_m.is_none() && r.stats.descents.is_empty());
    let protecting = sessions.iter().any(|s| s.day >= window.0);
    let readiness = if sessions.iter().any(|s| s.big && s.day > window.1) {
        Readiness::TooClose
    } else if protecting {
        Readiness::Ready
    } else if no_elevation {
        Readiness::Unknown
    } else if until <= window.1 {
        Readiness::Due
    } else {
        Readiness::NoneRecent
    };
    sessions.truncate(5);
    Downhill {
        dose_m,
        sessions,
        readiness,
        window,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::{race_day, run};
    use crate::track::climbs::Climb;

    fn descent(gain_m: f64, length_m: f64) -> Climb {
        Climb {
            start_m: 1000.0,
            end_m: 1000.0 + length_m,
            length_m,
            gain_m,
            start_elevation_m: 100.0 + gain_m,
            top_elevation_m: 100.0,
            mean_grade: -gain_m / length_m,
            max_grade: -gain_m / length_m,
        }
    }

    fn downhill_run(day: i64, drops: &[(f64, f64)]) -> RunRow {
        let mut r = run(day, 15.0, 1.5);
        r.stats.descents = drops.iter().map(|(g, l)| descent(*g, *l)).collect();
        r
    }

    /// Hand computed: a run descending 300 m over 3 km (−10 %) and 40 m over 2 km (−2 %,
    /// not eccentric enough) has a dose of 300 m at −10 %.
    #[test]
    fn a_runs_dose_counts_only_steep_descents() {
        let r = downhill_run(-20, &[(300.0, 3000.0), (40.0, 2000.0)]);
        let (m, g) = dose_of(&r);
        assert_eq!(m, 300.0);
        assert!((g + 10.0).abs() < 1e-9);
    }

    #[test]
    fn a_dose_found_by_date_against_race_day() {
        let rd = race_day();
        // 50 days out: outside the 6 weeks. 20 days out: inside.
        let rows = vec![
            downhill_run(-50, &[(400.0, 4000.0)]),
            downhill_run(-20, &[(250.0, 2500.0)]),
            downhill_run(-15, &[(100.0, 1500.0)]),
        ];
        let d = judge(&rows, rd, rd, 200.0);
        assert_eq!(d.readiness, Readiness::Ready);
        let days: Vec<i64> = d.sessions.iter().map(|s| s.days_before_race).collect();
        assert_eq!(days, vec![20, 50], "the 100 m run is under the dose");
        assert_eq!(d.window, (rd - 42, rd - 8));
        // Only the one 50 days out: none in the last 6 weeks.
        let d = judge(&rows[..1], rd, rd, 200.0);
        assert_eq!(d.readiness, Readiness::NoneRecent);
        // Seen from 30 days out with nothing inside the window yet: one is due.
        let d = judge(&rows[..1], rd, rd - 30, 200.0);
        assert_eq!(d.readiness, Readiness::Due);
        // A 1,000 m bout 5 days out: too close.
        let mut late = rows.clone();
        late.push(downhill_run(-5, &[(1000.0, 8000.0)]));
        let d = judge(&late, rd, rd, 200.0);
        assert_eq!(d.readiness, Readiness::TooClose);
        assert!(d.sessions[0].big);
        // 8 days out is not too close.
        let mut ok = rows.clone();
        ok.push(downhill_run(-8, &[(1000.0, 8000.0)]));
        assert_eq!(judge(&ok, rd, rd, 200.0).readiness, Readiness::Ready);
    }
}
