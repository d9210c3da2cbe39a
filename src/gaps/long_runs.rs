//! Long runs: how many runs of the long-run length the block holds, and the longest
//! stretch without one.

use super::context::Block;
use super::verdict::{Dimension, Unit, Verdict};
use super::Gap;
use crate::units::hms;

/// Days between the block's start, each long run and the race: the longest stretch.
pub fn longest_interval_days(start_day: i64, long_days: &[i64], race_day: i64) -> i64 {
    let mut marks = vec![start_day];
    marks.extend(long_days);
    marks.push(race_day);
    marks.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0)
}

/// "31.62 km or more", or off road "31.62 km or 3:00:00 or more".
fn long_text(b: &Block) -> String {
    match b.long_run_s {
        Some(s) => format!("{} or {} or more", b.units.distance(b.long_run_m), hms(s)),
        None => format!("{} or more", b.units.distance(b.long_run_m)),
    }
}

pub fn judge(b: &Block) -> Gap {
    let t = b.rules;
    let mut long_days: Vec<i64> = b
        .runs
        .iter()
        .filter(|r| b.is_long(r))
        .map(|r| r.day)
        .collect();
    long_days.sort_unstable();
    long_days.dedup();
    let count = long_days.len() as u32;
    let longest_interval = longest_interval_days(b.start_day, &long_days, b.race_day);
    let verdict = if count >= t.long_runs_needed && longest_interval <= t.max_long_run_interval_days
    {
        Verdict::Ok
    } else if count >= 1 {
        Verdict::Short
    } else {
        Verdict::Missing
    };
    Gap {
        dimension: Dimension::LongRunFrequency,
        title: Dimension::LongRunFrequency.title(),
        demand: f64::from(t.long_runs_needed),
        best: Some(f64::from(count)),
        recent: Some(b.recent.iter().filter(|r| b.is_long(r)).count() as f64),
        unit: Unit::Runs,
        ratio: Some(f64::from(count) / f64::from(t.long_runs_needed)),
        verdict,
        detail: format!(
            "{count} run(s) of {} in the block ({} weeks and race week); longest stretch without one: {} days",
            long_text(b),
            b.spec.block_weeks,
            longest_interval
        ),
        advice: if verdict == Verdict::Ok {
            "Long runs come often enough.".into()
        } else if count >= t.long_runs_needed {
            format!(
                "Space your long runs no more than {} days apart, up to the race: the longest stretch without one was {longest_interval} days.",
                t.max_long_run_interval_days
            )
        } else {
            format!(
                "Run at least {} runs of {}, no more than {} days apart.",
                t.long_runs_needed,
                long_text(b),
                t.max_long_run_interval_days
            )
        },
        best_run: b.runs.iter().filter(|r| b.is_long(r)).max_by_key(|r| r.day).map(|r| super::RunRef::of(r)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_stretch_counts_from_the_block_start_to_the_race() {
        assert_eq!(longest_interval_days(0, &[], 119), 119);
        assert_eq!(longest_interval_days(0, &[20, 40, 60, 80, 100], 119), 20);
        assert_eq!(longest_interval_days(0, &[10, 100], 119), 90);
    }

    #[test]
    fn long_runs_every_three_weeks_are_enough() {
        use crate::gaps::context::fixture::{course, run, Fixture};
        // The block starts 118 days before the race; long runs every 20 days from day -100.
        let every = |days: &[i64]| days.iter().map(|d| run(*d, 32.0, 3.0)).collect();
        let f = Fixture::new(
            &course(42.2, None),
            None,
            every(&[-100, -80, -60, -40, -20]),
        );
        assert_eq!(judge(&f.block()).verdict, Verdict::Ok);
        // Three long runs, but 58 days without one at the start: short.
        let f = Fixture::new(&course(42.2, None), None, every(&[-60, -40, -20]));
        assert_eq!(judge(&f.block()).verdict, Verdict::Short);
        let f = Fixture::new(&course(42.2, None), None, every(&[]));
        assert_eq!(judge(&f.block()).verdict, Verdict::Missing);
    }
}
