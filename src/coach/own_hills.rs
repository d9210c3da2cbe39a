//! Your own hills: the runs and places where the runner already met the biggest climbs and
//! descents, ran longest and held goal pace longest, to repeat rather than invent.

use crate::history::RunRow;
use crate::track::climbs::Climb;
use serde::Serialize;

/// How many places of each kind are kept.
pub const KEEP: usize = 3;

/// A place in one run: where it starts, how big it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    pub day: i64,
    pub date: String,
    /// The run's name, else its file's.
    pub run: String,
    pub file: String,
    pub start_km: f64,
    pub length_m: f64,
    /// Height climbed or descended; 0 for a run or a goal-pace stretch.
    pub height_m: f64,
    /// Mean grade, percent (negative down).
    pub grade_pct: f64,
    /// Time, for a run or a goal-pace stretch.
    pub duration_s: Option<f64>,
}

/// The runner's own places.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OwnHills {
    /// Biggest first, one per run.
    pub climbs: Vec<Place>,
    pub descents: Vec<Place>,
    pub longest_run: Option<Place>,
    pub longest_goal_pace: Option<Place>,
}

impl Place {
    /// The whole of run `r`: from its start, its distance and time.
    fn run(r: &RunRow) -> Place {
        Place {
            day: r.day,
            date: crate::calendar::format_day(r.day),
            run: r.display_name(),
            file: r.file.clone(),
            start_km: 0.0,
            length_m: r.distance_m,
            height_m: 0.0,
            grade_pct: 0.0,
            duration_s: Some(r.moving_s),
        }
    }
}

fn place(r: &RunRow, c: &Climb) -> Place {
    Place {
        start_km: c.start_m / 1000.0,
        length_m: c.length_m,
        height_m: c.gain_m,
        grade_pct: c.mean_grade * 100.0,
        duration_s: None,
        ..Place::run(r)
    }
}

/// The `KEEP` biggest of `pick(run)` over `runs`, one per run, the more recent first on a
/// tie.
fn biggest(runs: &[&RunRow], pick: impl Fn(&RunRow) -> Option<Climb>) -> Vec<Place> {
    let mut all: Vec<(&RunRow, Climb)> = runs.iter().filter_map(|r| Some((*r, pick(r)?))).collect();
    all.sort_by(|a, b| {
        b.1.gain_m
            .total_cmp(&a.1.gain_m)
            .then(b.0.day.cmp(&a.0.day))
    });
    all.into_iter()
        .take(KEEP)
        .map(|(r, c)| place(r, &c))
        .collect()
}

/// The places of the runs before `before_day`.
pub fn find(rows: &[RunRow], before_day: i64) -> OwnHills {
    let runs: Vec<&RunRow> = rows
        .iter()
        .filter(|r| r.is_run && r.day < before_day)
        .collect();
    let longest = runs.iter().max_by(|a, b| {
        a.distance_m
            .total_cmp(&b.distance_m)
            .then(a.day.cmp(&b.day))
    });
    let goal = runs
        .iter()
        .filter_map(|r| Some((*r, r.stats.goal_pace.as_ref()?)))
        .filter(|(_, g)| g.longest_m > 0.0)
        .max_by(|a, b| {
            a.1.longest_m
                .total_cmp(&b.1.longest_m)
                .then(a.0.day.cmp(&b.0.day))
        });
    OwnHills {
        climbs: biggest(&runs, |r| r.stats.biggest_climb()),
        descents: biggest(&runs, |r| r.stats.biggest_descent()),
        longest_run: longest.map(|r| Place::run(r)),
        longest_goal_pace: goal.map(|(r, g)| Place {
            start_km: g.longest_start_m / 1000.0,
            length_m: g.longest_m,
            duration_s: Some(g.longest_s),
            ..Place::run(r)
        }),
    }
}

/// How many times to repeat a hill of `own_m` to climb `target_m` in one session, at
/// most `max` (None when even `max` falls short: the hill is too small for the target).
pub fn repeats(own_m: f64, target_m: f64, max: u32) -> Option<u32> {
    if own_m <= 0.0 || target_m <= 0.0 {
        return None;
    }
    // A hair over a whole number of repeats (1,200.0001 m of 120 m hills) is that number.
    let n = (target_m / own_m - 1e-6).ceil().max(1.0);
    (n <= f64::from(max)).then_some(n as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::run;

    fn climb(start_m: f64, gain_m: f64, length_m: f64) -> Climb {
        Climb {
            start_m,
            end_m: start_m + length_m,
            length_m,
            gain_m,
            start_elevation_m: 100.0,
            top_elevation_m: 100.0 + gain_m,
            mean_grade: gain_m / length_m,
            max_grade: gain_m / length_m,
        }
    }

    #[test]
    fn the_biggest_climbs_one_per_run_with_their_place() {
        let mut rows = vec![
            run(-30, 12.0, 1.2),
            run(-20, 14.0, 1.4),
            run(-10, 8.0, 0.8),
            run(-5, 8.0, 0.8),
        ];
        rows[0].stats.climbs = vec![climb(5200.0, 50.0, 800.0), climb(9000.0, 20.0, 500.0)];
        rows[1].stats.climbs = vec![climb(1000.0, 120.0, 1500.0)];
        rows[2].stats.climbs = vec![climb(300.0, 35.0, 600.0)];
        rows[3].stats.climbs = vec![climb(300.0, 35.0, 600.0)];
        rows[1].name = Some("Fell loop".into());
        let h = find(&rows, crate::gaps::context::fixture::race_day());
        let got: Vec<(f64, i64)> = h.climbs.iter().map(|p| (p.height_m, p.day)).collect();
        let rd = crate::gaps::context::fixture::race_day();
        // 120 m, 50 m, then the later of the two 35 m climbs.
        assert_eq!(got, vec![(120.0, rd - 20), (50.0, rd - 30), (35.0, rd - 5)]);
        assert_eq!(h.climbs[0].run, "Fell loop");
        assert!((h.climbs[1].start_km - 5.2).abs() < 1e-9);
        assert!((h.climbs[1].grade_pct - 6.25).abs() < 1e-9);
        assert_eq!(h.longest_run.as_ref().map(|p| p.length_m), Some(14_000.0));
        // Runs on or after the day asked are not the runner's past.
        assert!(find(&rows, rd - 20).climbs.iter().all(|p| p.day < rd - 20));
    }

    #[test]
    fn repeats_of_a_hill() {
        // 300 m from a 50 m hill: six times.
        assert_eq!(repeats(50.0, 300.0, 10), Some(6));
        assert_eq!(repeats(50.0, 301.0, 10), Some(7));
        assert_eq!(repeats(20.0, 800.0, 10), None);
        assert_eq!(repeats(0.0, 100.0, 10), None);
        assert_eq!(repeats(120.0, 1_200.000_000_1, 10), Some(10));
    }
}
