//! Warnings about the block itself: no runs, few runs, a history that ends long before the
//! race or starts inside the block, a race still ahead. They say how far the verdicts can
//! be trusted.

use super::context::Block;
use crate::calendar::format_day;

/// Fewer runs than this per week of the block is too little to judge.
pub const FEW_RUNS_PER_WEEK: f64 = 1.0;
/// A last run more than this many days before the race is worth a word.
pub const STALE_DAYS: i64 = 28;

/// The warnings for a block; `today` is the calendar's day (days since 1970-01-01).
pub fn of_block(b: &Block, today: i64) -> Vec<String> {
    let mut out = Vec::new();
    if !b.plan.profile.terrain_known {
        out.push(match b.demands.waypoint_climb_m {
            Some(_) => format!(
                "the course has no elevation and its waypoints' heights give only a lower bound of its climbing (at least {}), so it is judged as {}: for a trail or mountain race set kind (e.g. kind = \"mountain-ultra\" in race.toml, or --kind)",
                b.units.climb_rate(b.plan.profile.climb_m_per_km),
                b.plan.profile.terrain.key()
            ),
            None => "the course has no elevation, so its terrain is assumed to be road: for a trail or mountain race set kind (e.g. kind = \"mountain-ultra\" in race.toml, or --kind), or give its waypoints with heights (--waypoints)".into(),
        });
    }
    let weeks = f64::from(b.spec.block_weeks);
    // Runs whose dates can be trusted (a clock at 1990 says nothing of when one trained).
    let all_runs: Vec<i64> = b
        .rows
        .iter()
        .filter(|r| r.is_run && crate::calendar::date_trusted(r.day, today.max(b.race_day)))
        .map(|r| r.day)
        .collect();
    if all_runs.is_empty() {
        let runs = b.rows.iter().filter(|r| r.is_run).count();
        out.push(if runs == 0 {
            format!(
                "none of the {} activities read is a run: there is no running to judge",
                b.rows.len()
            )
        } else {
            format!("none of the {runs} run(s) has a date that can be trusted (a clock before 2000 or in the future): there is no running to place in the block")
        });
        return out;
    }
    let n = b.runs.len();
    if n == 0 {
        out.push(format!(
            "no runs in the block ({} to {}): every row judges an empty block",
            format_day(b.start_day),
            format_day(b.race_day - 1)
        ));
    } else if (n as f64) < FEW_RUNS_PER_WEEK * weeks {
        out.push(format!(
            "only {n} run(s) in the {}-week block: the verdicts rest on little",
            b.spec.block_weeks
        ));
    }
    let first = all_runs.iter().copied().min().unwrap_or(b.start_day);
    let last_before = all_runs.iter().copied().filter(|d| *d < b.race_day).max();
    if first >= b.start_day + 7 && first < b.race_day {
        out.push(format!(
            "the history starts on {}, {} week(s) into the block: the weeks before it count as empty",
            format_day(first),
            (first - b.start_day) / 7
        ));
    }
    if b.race_day > today {
        let weeks_left = (b.race_day - today + 6) / 7;
        out.push(format!(
            "the race is {weeks_left} week(s) ahead: the rows judge the training so far, and the weeks left can still close the gaps"
        ));
    } else if let Some(last) = last_before {
        if b.race_day - last > STALE_DAYS {
            out.push(format!(
                "the last run before the race is on {}, {} weeks before it: is the race date right, and is the whole history given?",
                format_day(last),
                (b.race_day - last) / 7
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::{course, race_day, run, Fixture};

    fn warnings(rows: Vec<crate::history::RunRow>, today: i64) -> Vec<String> {
        let f = Fixture::new(&course(42.2, None), None, rows);
        of_block(&f.block(), today)
    }

    #[test]
    fn thin_late_and_future_blocks_are_named() {
        let after = race_day() + 10;
        let all = |w: &[String], s: &str| w.iter().any(|x| x.contains(s));
        // No terrain: a course without elevation is assumed road, and says so.
        let w = warnings(vec![], after);
        assert!(all(&w, "assumed to be road"), "{w:?}");
        assert!(all(&w, "is a run"), "{w:?}");
        // Three runs, the last 60 days before the race.
        let w = warnings(
            vec![
                run(-100, 10.0, 1.0),
                run(-80, 10.0, 1.0),
                run(-60, 10.0, 1.0),
            ],
            after,
        );
        assert!(all(&w, "only 3 run(s)"), "{w:?}");
        assert!(all(&w, "8 weeks before it"), "{w:?}");
        assert!(all(&w, "the history starts on"), "{w:?}");
        // A race still ahead: the weeks left are counted.
        let w = warnings(vec![run(-30, 10.0, 1.0)], race_day() - 21);
        assert!(all(&w, "3 week(s) ahead"), "{w:?}");
    }
}
