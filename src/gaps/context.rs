//! The training block as every rule sees it, computed once: the runs and weeks of the
//! block and of its recent weeks, the long-run length and the prediction.

use super::pace_model::{self, GradeModel};
use super::prediction::{conditions, predict, Conditions, Prediction};
use super::realism;
use super::rules::{Plan, Thresholds};
use crate::calendar::week_of;
use crate::history::{RunRow, Week};
use crate::race::{RaceDemands, RaceSpec};
use crate::units::Units;

/// Everything the rules judge, borrowed from the analysis' inputs.
pub struct Block<'a> {
    pub spec: &'a RaceSpec,
    pub demands: &'a RaceDemands,
    pub rules: &'a Thresholds,
    /// The profile's numbers.
    pub plan: &'a Plan,
    /// Every activity read (heat and load look beyond the block).
    pub rows: &'a [RunRow],
    /// The runs of the block, and of its last `recent_weeks` weeks.
    pub runs: Vec<&'a RunRow>,
    pub recent: Vec<&'a RunRow>,
    /// The weeks of the block (race week included), and the recent ones before race week.
    pub weeks: Vec<&'a Week>,
    pub recent_weeks: Vec<&'a Week>,
    pub start_day: i64,
    pub race_day: i64,
    pub long_run_m: f64,
    /// Off road, a run this long in time is a long run whatever its distance.
    pub long_run_s: Option<f64>,
    pub prediction: Option<Prediction>,
    /// The race's heat and altitude against the block's runs.
    pub conditions: Conditions,
    /// The runner's own pace by grade, carried over the course.
    pub grade_model: GradeModel,
    /// The prediction that judges the goal (VDOT on the road, the grade model elsewhere).
    pub predicted_s: Option<f64>,
    /// The goal, else the prediction.
    pub expected_s: Option<f64>,
    /// The units the rules' sentences are written in.
    pub units: Units,
}

impl<'a> Block<'a> {
    pub fn new(
        spec: &'a RaceSpec,
        demands: &'a RaceDemands,
        rows: &'a [RunRow],
        weeks: &'a [Week],
        rules: &'a Thresholds,
        plan: &'a Plan,
    ) -> Block<'a> {
        let race_day = spec.date_day;
        let start_day = spec.block_start_day();
        let recent_start = race_day - 7 * rules.recent_weeks;
        let runs: Vec<&RunRow> = rows
            .iter()
            .filter(|r| r.is_run && r.day >= start_day && r.day < race_day)
            .collect();
        let recent = runs
            .iter()
            .copied()
            .filter(|r| r.day >= recent_start)
            .collect();
        let recent_weeks = weeks
            .iter()
            .filter(|w| w.week >= week_of(recent_start) && w.week < week_of(race_day))
            .collect();
        let block_weeks = weeks
            .iter()
            .filter(|w| w.week >= week_of(start_day) && w.week <= week_of(race_day))
            .collect();
        let conditions = conditions(&runs, demands, spec);
        let prediction = predict(&runs, demands, &conditions, rules);
        let mut b = Block {
            spec,
            demands,
            rules,
            plan,
            rows,
            runs,
            recent,
            weeks: block_weeks,
            recent_weeks,
            start_day,
            race_day,
            long_run_m: plan.long_run_m,
            prediction,
            conditions,
            grade_model: GradeModel::default(),
            expected_s: None,
            predicted_s: None,
            long_run_s: None,
            units: spec.units,
        };
        b.grade_model = pace_model::model(&b);
        let predicted = if realism::uses_grade_model(&b) {
            realism::grade_prediction(&b).map(|g| g.0)
        } else {
            b.prediction.as_ref().map(|p| p.predicted_s)
        };
        b.predicted_s = predicted;
        b.expected_s = demands.expected_duration_s(predicted);
        if plan.profile.terrain.off_road() {
            let (share, cap) = plan.time_on_feet.unwrap_or((0.0, 0.0));
            let tof = b.expected_s.map(|e| (share * e).min(cap)).unwrap_or(0.0);
            b.long_run_s = Some((0.5 * tof).max(rules.off_road_long_run_min_s));
        }
        b
    }

    /// A long run: the long-run length, or off road the long-run time.
    pub fn is_long(&self, r: &RunRow) -> bool {
        r.distance_m >= self.long_run_m || self.long_run_s.is_some_and(|s| r.moving_s >= s)
    }

    /// Whether any run of the block has elevation.
    pub fn runs_have_elevation(&self) -> bool {
        self.runs.iter().any(|r| r.stats.ascent_m.is_some())
    }

    /// The largest `f` over the block's runs.
    pub fn best(&self, f: impl Fn(&RunRow) -> f64) -> Option<f64> {
        max_of(&self.runs, f)
    }

    /// The block's run with the largest positive `f`: the one to repeat.
    pub fn best_run(&self, f: impl Fn(&RunRow) -> f64) -> Option<super::RunRef> {
        self.runs
            .iter()
            .filter(|r| f(r) > 0.0)
            .max_by(|a, b| f(a).total_cmp(&f(b)).then(b.day.cmp(&a.day)))
            .map(|r| super::RunRef::of(r))
    }

    /// The sum of `f` over the block's runs, and over the recent ones (never -0.0, which
    /// would print as "-0.0 km").
    pub fn sums(&self, f: impl Fn(&RunRow) -> f64) -> (f64, f64) {
        let sum = |runs: &[&RunRow]| runs.iter().map(|r| f(r)).sum::<f64>() + 0.0;
        (sum(&self.runs), sum(&self.recent))
    }

    /// The largest `f` over the recent runs.
    pub fn recent_best(&self, f: impl Fn(&RunRow) -> f64) -> Option<f64> {
        max_of(&self.recent, f)
    }
}

fn max_of(runs: &[&RunRow], f: impl Fn(&RunRow) -> f64) -> Option<f64> {
    runs.iter().map(|r| f(r)).reduce(f64::max)
}

/// A block to judge in unit tests: a course, a race and runs made to measure.
#[cfg(test)]
pub mod fixture {
    use super::*;
    use crate::calendar::{days_from_civil, week_of};
    use crate::gaps::profile::profile;
    use crate::gaps::rules::Plan;
    use crate::history::weekly;
    use crate::model::{Activity, ElevationSource, Format, Sample, Sport};
    use crate::race::{demands_of, RaceFile};
    use crate::track::course::ElevationUnit;
    use crate::track::{compute, MetricsConfig};

    /// Race day: Sunday 2026-11-15; the block starts Monday 2026-07-20.
    pub fn race_day() -> i64 {
        days_from_civil(2026, 11, 15)
    }

    /// A course `km` long due north, with one climb of `climb_m` at 10 % in its middle
    /// (none: no elevation at all).
    pub fn course(km: f64, climb_m: Option<f64>) -> Activity {
        let mut a = Activity::new("course.gpx".into(), Format::Gpx);
        a.elevation_source = ElevationSource::Model;
        let len = km * 1000.0;
        let mid = len / 2.0;
        for i in 0..=(len / 20.0) as usize {
            let x = i as f64 * 20.0;
            let e = climb_m.map(|c| {
                let up = ((x - mid) * 0.1).clamp(0.0, c);
                let down = ((x - mid - 10.0 * c) * 0.1).clamp(0.0, c);
                100.0 + up - down
            });
            a.samples.push(Sample {
                lat_deg: Some(x / 110_574.0),
                lon_deg: Some(0.0),
                elevation_m: e,
                ..Sample::default()
            });
        }
        a
    }

    /// A run on `day` (days from race day, negative before it).
    pub fn run(day_from_race: i64, km: f64, hours: f64) -> RunRow {
        let mut a = Activity::new(format!("run{day_from_race}.gpx").into(), Format::Gpx);
        a.sport = Sport::Running;
        let mut r = RunRow::new(&a, compute(&a, &MetricsConfig::default()), None, 1e9);
        r.day = race_day() + day_from_race;
        r.is_run = true;
        r.distance_m = km * 1000.0;
        r.moving_s = hours * 3600.0;
        r.stats.ascent_m = Some(0.0);
        r
    }

    /// Everything a `Block` borrows.
    pub struct Fixture {
        pub spec: RaceSpec,
        pub demands: RaceDemands,
        pub plan: Plan,
        pub rows: Vec<RunRow>,
        pub weeks: Vec<Week>,
        pub rules: Thresholds,
    }

    impl Fixture {
        /// A race over `course` with `goal` (and a spec changed by `edit`), and `rows`.
        pub fn new(course: &Activity, goal: Option<&str>, rows: Vec<RunRow>) -> Fixture {
            Fixture::with(course, goal, rows, |_| {})
        }

        pub fn with(
            course: &Activity,
            goal: Option<&str>,
            rows: Vec<RunRow>,
            edit: impl FnOnce(&mut RaceFile),
        ) -> Fixture {
            let mut f = RaceFile {
                course: Some("course.gpx".into()),
                date: Some("2026-11-15".into()),
                goal_time: goal.map(str::to_string),
                ..RaceFile::default()
            };
            edit(&mut f);
            let spec = RaceSpec::from_file(f).unwrap();
            let demands = demands_of(course, None, spec.goal_time_s, ElevationUnit::Auto);
            let rules = Thresholds::default();
            let plan = rules.plan(
                &profile(&demands, (None, None), Units::Metric),
                demands.race_distance_m,
                Units::Metric,
            );
            let weeks = weekly(
                &rows,
                week_of(spec.block_start_day()),
                week_of(spec.date_day),
            )
            .unwrap();
            Fixture {
                spec,
                demands,
                plan,
                rows,
                weeks,
                rules,
            }
        }

        pub fn block(&self) -> Block<'_> {
            Block::new(
                &self.spec,
                &self.demands,
                &self.rows,
                &self.weeks,
                &self.rules,
                &self.plan,
            )
        }
    }
}
