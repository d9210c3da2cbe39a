//! The training history across activities: one row per run, weekly aggregates (polars, lazy),
//! the training block before the race, and the acute:chronic load ratio.

use crate::calendar::{format_day, week_of, week_start};
use crate::model::{Activity, Sport};
use crate::track::ActivityStats;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

/// A run is "long" at `min(LONG_RUN_SHARE × race distance, LONG_RUN_CAP_M)` (the usual
/// marathon long-run rule, docs/ARCHITECTURE.md "Rules"; ultras are judged by time on feet instead).
pub const LONG_RUN_SHARE: f64 = 0.75;
pub const LONG_RUN_CAP_M: f64 = 35_000.0;
/// Without a race, a long run is one of at least this (Runalyze's marathon shape counts
/// runs over 13 km as long).
pub const DEFAULT_LONG_RUN_M: f64 = 13_000.0;
/// Acute and chronic windows of the load ratio, days (Gabbett 2016, Br J Sports Med 50:273).
pub const ACUTE_DAYS: i64 = 7;
pub const CHRONIC_DAYS: i64 = 28;
/// An acute:chronic ratio above this flags a spike in load (Gabbett 2016: risk rises above 1.5).
pub const ACWR_SPIKE: f64 = 1.5;
/// Spikes below this weekly volume are ignored (a first run after a break is no spike).
pub const ACWR_MIN_ACUTE_M: f64 = 15_000.0;
/// A run of unknown sport counts as running between these grade-adjusted paces (s/km):
/// a mountain run's flat pace can be a walker's while its effort is a runner's.
const RUN_PACE_RANGE: std::ops::RangeInclusive<f64> = 150.0..=720.0;

/// One activity in the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRow {
    pub file: String,
    /// The activity's own name ("Berlin Marathon", "Morning Run"), where the file has one.
    pub name: Option<String>,
    /// The type the service or watch gave it, as written ("Race", "running", "9").
    pub kind_raw: Option<String>,
    /// Local calendar day (days since 1970-01-01; UTC where the offset is unknown).
    pub day: i64,
    pub start_ms: i64,
    pub sport: Sport,
    pub is_run: bool,
    pub distance_m: f64,
    pub moving_s: f64,
    pub ascent_m: f64,
    pub descent_m: f64,
    pub biggest_climb_m: f64,
    pub biggest_descent_m: f64,
    pub downhill_m: f64,
    pub goal_pace_m: f64,
    pub longest_goal_pace_m: f64,
    /// Distance at goal pace or faster.
    pub at_or_faster_goal_m: f64,
    pub fade_pct: Option<f64>,
    pub gap_s_per_km: Option<f64>,
    pub mean_temp_c: Option<f64>,
    pub max_temp_c: Option<f64>,
    /// Minutes at or above the race's heat threshold (0 without a sensor).
    pub heat_minutes: f64,
    pub is_long: bool,
    pub stats: ActivityStats,
}

/// Shortest distance the record check applies to: below it a sprint's pace is plausible
/// and GPS error is large.
const RECORD_CHECK_FROM_M: f64 = 1500.0;

/// The road record over `distance_m` when `time_s` beats it by more than GPS error (2 %):
/// no person ran that.
pub fn beats_the_record(distance_m: f64, time_s: f64) -> Option<f64> {
    let record = crate::race::record_time_s(distance_m);
    (time_s < 0.98 * record).then_some(record)
}

/// The road record over the activity's distance, when its moving time beats it. A ride or
/// a drive marked as a run (a Strava type set by hand, a watch left in run mode on a
/// bike) would otherwise count with a VDOT beyond any runner's.
pub fn faster_than_the_record(stats: &ActivityStats) -> Option<f64> {
    if stats.distance_m < RECORD_CHECK_FROM_M || stats.moving_s <= 0.0 {
        return None;
    }
    beats_the_record(stats.distance_m, stats.moving_s)
}

impl RunRow {
    /// The activity's own name, else its file's (how a run is named to people).
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| file_name(&self.file).to_string())
    }

    pub fn new(
        act: &Activity,
        mut stats: ActivityStats,
        heat_threshold_c: Option<f64>,
        long_run_m: f64,
    ) -> RunRow {
        let start_ms = stats.start_ms.unwrap_or(0);
        let local_ms = start_ms + i64::from(act.utc_offset_s.unwrap_or(0)) * 1000;
        let too_fast = faster_than_the_record(&stats);
        if let Some(record_s) = too_fast {
            stats.problems.push(format!(
                "{} in {} is faster than the road record over that distance ({}): not counted as a run (a ride or a drive marked as a run?)",
                crate::units::Units::Metric.distance(stats.distance_m),
                crate::units::hms(stats.moving_s),
                crate::units::hms(record_s)
            ));
        }
        let is_run = match stats.sport {
            _ if too_fast.is_some() => false,
            Sport::Running => true,
            // Of unknown sport: at a running pace, and no stretch inside it faster than a
            // person runs (a ride with stops can average a running pace).
            Sport::Unknown | Sport::Other => {
                [stats.gap_s_per_km, stats.pace_s_per_km]
                    .iter()
                    .flatten()
                    .any(|p| RUN_PACE_RANGE.contains(p))
                    && !stats.best_efforts.iter().any(|e| {
                        e.distance_m >= 1000.0 && beats_the_record(e.distance_m, e.time_s).is_some()
                    })
            }
            _ => false,
        };
        let heat_minutes = match (&stats.heat, heat_threshold_c) {
            (Some(h), Some(th)) => h
                .minutes_at_or_above
                .iter()
                .find(|(b, _)| (*b - th).abs() < 1e-9)
                .map(|(_, m)| *m)
                .unwrap_or(0.0),
            _ => 0.0,
        };
        RunRow {
            file: stats.label.clone(),
            name: act.name.clone(),
            kind_raw: act.sport_raw.clone(),
            day: local_ms.div_euclid(86_400_000),
            start_ms,
            sport: stats.sport,
            is_run,
            distance_m: stats.distance_m,
            moving_s: stats.moving_s,
            ascent_m: stats.ascent_m.unwrap_or(0.0),
            descent_m: stats.descent_m.unwrap_or(0.0),
            biggest_climb_m: stats.biggest_climb().map(|c| c.gain_m).unwrap_or(0.0),
            biggest_descent_m: stats.biggest_descent().map(|c| c.gain_m).unwrap_or(0.0),
            downhill_m: stats.downhill_distance_m,
            goal_pace_m: stats.goal_pace.map(|g| g.distance_m).unwrap_or(0.0),
            longest_goal_pace_m: stats.goal_pace.map(|g| g.longest_m).unwrap_or(0.0),
            at_or_faster_goal_m: stats.goal_pace.map(|g| g.at_or_faster_m).unwrap_or(0.0),
            fade_pct: stats.fade_pct,
            gap_s_per_km: stats.gap_s_per_km,
            mean_temp_c: stats.heat.as_ref().map(|h| h.mean_c),
            // Settled: the first minutes' warmth is the watch's, not the weather's.
            max_temp_c: stats
                .heat
                .as_ref()
                .map(|h| h.settled_max_c.unwrap_or(h.max_c)),
            heat_minutes,
            is_long: is_run && stats.distance_m >= long_run_m,
            stats,
        }
    }
}

/// One week of training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Week {
    pub week_start: String,
    pub week: i64,
    pub runs: u32,
    pub distance_m: f64,
    pub moving_s: f64,
    pub ascent_m: f64,
    pub descent_m: f64,
    pub long_runs: u32,
    pub longest_m: f64,
    pub goal_pace_m: f64,
    pub longest_goal_pace_m: f64,
    pub heat_minutes: f64,
    /// Acute:chronic distance ratio at the end of the week.
    pub acwr: Option<f64>,
}

/// Runs of the history as a polars frame (the columns the weekly aggregation needs).
pub fn runs_frame(rows: &[RunRow], before_day: Option<i64>) -> PolarsResult<DataFrame> {
    let runs: Vec<&RunRow> = rows
        .iter()
        .filter(|r| r.is_run && before_day.is_none_or(|d| r.day < d))
        .collect();
    df!(
        "week" => runs.iter().map(|r| week_of(r.day)).collect::<Vec<i64>>(),
        "day" => runs.iter().map(|r| r.day).collect::<Vec<i64>>(),
        "distance_m" => runs.iter().map(|r| r.distance_m).collect::<Vec<f64>>(),
        "moving_s" => runs.iter().map(|r| r.moving_s).collect::<Vec<f64>>(),
        "ascent_m" => runs.iter().map(|r| r.ascent_m).collect::<Vec<f64>>(),
        "descent_m" => runs.iter().map(|r| r.descent_m).collect::<Vec<f64>>(),
        "long" => runs.iter().map(|r| u32::from(r.is_long)).collect::<Vec<u32>>(),
        "goal_pace_m" => runs.iter().map(|r| r.goal_pace_m).collect::<Vec<f64>>(),
        "longest_goal_pace_m" => runs.iter().map(|r| r.longest_goal_pace_m).collect::<Vec<f64>>(),
        "heat_minutes" => runs.iter().map(|r| r.heat_minutes).collect::<Vec<f64>>(),
    )
}

/// Weekly aggregates for weeks `first..=last` (every week present, zero when no runs).
/// The weeks a report shows: the race's block and race week, else the weeks of the runs
/// whose dates can be trusted (none: no weeks, not a week of 1970).
/// A run's file as people name it: its own name, without its folders or the archive
/// holding it (`export.zip!activities/123.fit` is `123.fit`).
pub fn file_name(label: &str) -> &str {
    label.rsplit(['/', '\\', '!']).next().unwrap_or(label)
}

/// Off road a run this long in time is a long run whatever its distance (the race's
/// profile sets it once the expected duration is known): marks those runs long, so the
/// tables and charts count long runs as the verdicts do.
pub fn mark_long_by_time(rows: &mut [RunRow], long_run_s: f64) {
    for r in rows.iter_mut().filter(|r| r.is_run) {
        r.is_long |= r.moving_s >= long_run_s;
    }
}

pub fn weeks_of(rows: &[RunRow], race: Option<&crate::race::RaceSpec>) -> PolarsResult<Vec<Week>> {
    use crate::calendar::{date_trusted, today_day, week_of};
    let span = match race {
        Some(s) => Some((week_of(s.block_start_day()), week_of(s.date_day))),
        None => {
            let today = today_day();
            let days: Vec<i64> = rows
                .iter()
                .filter(|r| r.is_run && date_trusted(r.day, today))
                .map(|r| r.day)
                .collect();
            days.iter()
                .min()
                .zip(days.iter().max())
                .map(|(lo, hi)| (week_of(*lo), week_of(*hi)))
        }
    };
    // With a race, race week holds the days before the race only.
    let before_day = race.map(|s| s.date_day);
    match span {
        Some((first, last)) if rows.iter().any(|r| r.is_run) => {
            weekly_before(rows, first, last, before_day)
        }
        _ => Ok(Vec::new()),
    }
}

pub fn weekly(rows: &[RunRow], first_week: i64, last_week: i64) -> PolarsResult<Vec<Week>> {
    weekly_before(rows, first_week, last_week, None)
}

/// `weekly` over the runs before `before_day` only (the race's day: runs on or after it
/// are not training for it).
pub fn weekly_before(
    rows: &[RunRow],
    first_week: i64,
    last_week: i64,
    before_day: Option<i64>,
) -> PolarsResult<Vec<Week>> {
    let runs = runs_frame(rows, before_day)?;
    let agg = runs
        .lazy()
        .filter(
            col("week")
                .gt_eq(lit(first_week))
                .and(col("week").lt_eq(lit(last_week))),
        )
        .group_by([col("week")])
        .agg([
            len().alias("runs"),
            col("distance_m").sum(),
            col("moving_s").sum(),
            col("ascent_m").sum(),
            col("descent_m").sum(),
            col("long").sum().alias("long_runs"),
            col("distance_m").max().alias("longest_m"),
            col("goal_pace_m").sum(),
            col("longest_goal_pace_m").max(),
            col("heat_minutes").sum(),
        ]);
    let weeks: Vec<i64> = (first_week..=last_week).collect();
    let all = df!("week" => weeks)?.lazy();
    let table = all
        .left_join(agg, col("week"), col("week"))
        .fill_null(lit(0))
        .sort(["week"], SortMultipleOptions::default())
        .collect()?;
    let f = |name: &str| -> PolarsResult<Vec<f64>> {
        let c = table.column(name)?.cast(&DataType::Float64)?;
        Ok(c.f64()?.iter().map(|v| v.unwrap_or(0.0)).collect())
    };
    let week_col = f("week")?;
    let (runs_c, dist, mov, asc, desc, long, longest, gp, lgp, heat) = (
        f("runs")?,
        f("distance_m")?,
        f("moving_s")?,
        f("ascent_m")?,
        f("descent_m")?,
        f("long_runs")?,
        f("longest_m")?,
        f("goal_pace_m")?,
        f("longest_goal_pace_m")?,
        f("heat_minutes")?,
    );
    let daily = daily_distance(rows);
    Ok((0..table.height())
        .map(|i| {
            let week = week_col[i] as i64;
            Week {
                week_start: format_day(week_start(week)),
                week,
                runs: runs_c[i] as u32,
                distance_m: dist[i],
                moving_s: mov[i],
                ascent_m: asc[i],
                descent_m: desc[i],
                long_runs: long[i] as u32,
                longest_m: longest[i],
                goal_pace_m: gp[i],
                longest_goal_pace_m: lgp[i],
                heat_minutes: heat[i],
                acwr: acwr_at(&daily, week_start(week) + 6).map(|(r, _)| r),
            }
        })
        .collect())
}

/// Running distance per day, sorted by day.
pub fn daily_distance(rows: &[RunRow]) -> Vec<(i64, f64)> {
    let mut m: std::collections::BTreeMap<i64, f64> = std::collections::BTreeMap::new();
    for r in rows.iter().filter(|r| r.is_run) {
        *m.entry(r.day).or_default() += r.distance_m;
    }
    m.into_iter().collect()
}

/// Acute:chronic ratio at the end of `day`: distance over the last 7 days against the
/// weekly average of the last 28. Returns (ratio, acute metres); `None` without a chronic
/// load or before the history covers a whole chronic window (the start of a history is
/// not a spike).
pub fn acwr_at(daily: &[(i64, f64)], day: i64) -> Option<(f64, f64)> {
    let first = daily.first()?.0;
    if day - CHRONIC_DAYS + 1 < first {
        return None;
    }
    let sum = |from: i64| -> f64 {
        daily
            .iter()
            .filter(|(d, _)| *d > day - from && *d <= day)
            .map(|(_, m)| m)
            .sum()
    };
    let acute = sum(ACUTE_DAYS);
    let chronic = sum(CHRONIC_DAYS) / (CHRONIC_DAYS as f64 / ACUTE_DAYS as f64);
    (chronic > 0.0).then(|| (acute / chronic, acute))
}

/// Days in `from..to` whose load ratio spikes (above `ACWR_SPIKE` on a real volume).
pub fn acwr_spikes(daily: &[(i64, f64)], from: i64, to: i64) -> Vec<(i64, f64)> {
    (from..to)
        .filter_map(|d| {
            acwr_at(daily, d)
                .filter(|(r, acute)| *r > ACWR_SPIKE && *acute >= ACWR_MIN_ACUTE_M)
                .map(|(r, _)| (d, r))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_road_a_long_time_is_a_long_run() {
        let (a, stats) = run(18.0, 3.2 * 3600.0);
        let mut rows = vec![RunRow::new(&a, stats, None, 30_000.0)];
        rows[0].is_run = true;
        rows[0].distance_m = 18_000.0;
        rows[0].moving_s = 3.2 * 3600.0;
        assert!(!rows[0].is_long);
        mark_long_by_time(&mut rows, 4.0 * 3600.0);
        assert!(!rows[0].is_long, "3:12 is not 4 h");
        mark_long_by_time(&mut rows, 3.0 * 3600.0);
        assert!(rows[0].is_long, "3:12 of mountain running is a long run");
    }
    use crate::calendar::days_from_civil;
    use crate::track::{DistanceSource, MetricsConfig};

    /// A 24 km "run" in 50 minutes (a ride marked as a run) is beyond the road record
    /// (about 1:05 for 24 km): not counted, with the reason; a fast real run is counted.
    #[test]
    fn a_run_faster_than_the_road_record_is_not_counted() {
        let (a, mut stats) = run(24.0, 50.0 * 60.0);
        let r = RunRow::new(&a, stats.clone(), None, 30_000.0);
        assert!(!r.is_run);
        assert!(
            r.stats
                .problems
                .iter()
                .any(|p| p.contains("faster than the road record")),
            "{:?}",
            r.stats.problems
        );
        // 24 km in 1:25 (3:33 /km) is fast but human.
        stats.moving_s = 85.0 * 60.0;
        assert!(RunRow::new(&a, stats.clone(), None, 30_000.0).is_run);
        // Of unknown sport, a running average with a kilometre at 34 km/h inside (a ride
        // with stops) is not a run either.
        let mut unknown = stats.clone();
        unknown.sport = Sport::Unknown;
        unknown.moving_s = 24.0 * 326.0;
        unknown.pace_s_per_km = Some(326.0);
        unknown.best_efforts = vec![crate::track::pace::BestEffort {
            distance_m: 1000.0,
            time_s: 106.0,
            start_m: 0.0,
        }];
        assert!(!RunRow::new(&a, unknown.clone(), None, 30_000.0).is_run);
        unknown.best_efforts[0].time_s = 200.0;
        assert!(RunRow::new(&a, unknown, None, 30_000.0).is_run);
        // A 400 m sprint is not checked.
        stats.distance_m = 400.0;
        stats.moving_s = 40.0;
        assert_eq!(faster_than_the_record(&stats), None);
    }

    /// A run of `km` in `moving_s`, known by the device's distance only.
    fn run(km: f64, moving_s: f64) -> (Activity, ActivityStats) {
        let mut a = Activity::new("x.fit".into(), crate::model::Format::Fit);
        a.sport = Sport::Running;
        let mut stats = crate::track::compute(&a, &MetricsConfig::default());
        stats.distance_m = km * 1000.0;
        stats.distance_source = DistanceSource::Device;
        stats.moving_s = moving_s;
        (a, stats)
    }

    fn row(day: i64, km: f64, climb: f64) -> RunRow {
        let (a, mut stats) = run(km, km * 330.0);
        stats.ascent_m = Some(climb);
        stats.descent_m = Some(climb);
        stats.start_ms = Some(day * 86_400_000 + 8 * 3_600_000);
        RunRow::new(&a, stats, None, 30_000.0)
    }

    #[test]
    fn weeks_start_on_monday() {
        let mon = days_from_civil(2026, 11, 9);
        assert_eq!(week_start(week_of(mon)), mon);
        assert_eq!(week_of(mon + 6), week_of(mon));
        assert_eq!(week_of(mon + 7), week_of(mon) + 1);
        assert_eq!(week_of(mon - 1), week_of(mon) - 1);
    }

    #[test]
    fn a_hand_computed_week_and_an_empty_one() {
        let mon = days_from_civil(2026, 10, 5);
        // Week 1: Tue 10 km/100 m, Thu 12 km/50 m, Sun 32 km/200 m (long). Week 2: nothing.
        // Week 3: Wed 8 km.
        let rows = vec![
            row(mon + 1, 10.0, 100.0),
            row(mon + 3, 12.0, 50.0),
            row(mon + 6, 32.0, 200.0),
            row(mon + 16, 8.0, 0.0),
        ];
        let w = weekly(&rows, week_of(mon), week_of(mon) + 2).unwrap();
        assert_eq!(w.len(), 3);
        assert_eq!(w[0].week_start, "2026-10-05");
        assert_eq!(w[0].runs, 3);
        assert_eq!(w[0].distance_m, 54_000.0);
        assert_eq!(w[0].ascent_m, 350.0);
        assert_eq!(w[0].long_runs, 1);
        assert_eq!(w[0].longest_m, 32_000.0);
        assert_eq!(w[0].moving_s, 54.0 * 330.0);
        assert_eq!(w[1].runs, 0);
        assert_eq!(w[1].distance_m, 0.0);
        assert_eq!(w[1].week_start, "2026-10-12");
        assert_eq!(w[2].runs, 1);
        assert_eq!(w[2].distance_m, 8_000.0);
    }

    #[test]
    fn race_week_holds_the_days_before_the_race_only() {
        let mon = days_from_civil(2026, 10, 5);
        let rows = vec![
            row(mon + 1, 10.0, 0.0),
            row(mon + 3, 12.0, 0.0),
            row(mon + 5, 20.0, 0.0),
        ];
        // The race on Thursday: Tuesday counts, Thursday's and Saturday's runs do not.
        let w = weekly_before(&rows, week_of(mon), week_of(mon), Some(mon + 3)).unwrap();
        assert_eq!((w[0].runs, w[0].distance_m), (1, 10_000.0));
    }

    #[test]
    fn load_ratio_flags_a_jump() {
        // Four steady weeks of 40 km, then 80 km in one week.
        let mut daily = Vec::new();
        for d in 0..28 {
            daily.push((d, 40_000.0 / 7.0));
        }
        for d in 28..35 {
            daily.push((d, 80_000.0 / 7.0));
        }
        let (steady, _) = acwr_at(&daily, 27).unwrap();
        assert!((steady - 1.0).abs() < 1e-9);
        let (r, acute) = acwr_at(&daily, 34).unwrap();
        assert!((acute - 80_000.0).abs() < 1e-6);
        // Chronic over days 7..=34: 3 weeks of 40 + 1 of 80 -> 50 km a week.
        assert!((r - 1.6).abs() < 1e-9, "{r}");
        assert!(!acwr_spikes(&daily, 29, 35).is_empty());
        assert!(acwr_spikes(&daily, 0, 28).is_empty());
    }
}
