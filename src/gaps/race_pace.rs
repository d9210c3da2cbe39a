//! Race pace and faster: the running at or faster than goal pace that 5 and 10 km races
//! are built on (intervals and repetitions, not only steady goal-pace runs).

use super::context::Block;
use super::goal_pace::volume_row;
use super::verdict::{Dimension, Verdict};
use super::Gap;

pub fn judge(b: &Block) -> Gap {
    let (t, u) = (b.rules, b.units);
    let weekly_m = t.race_pace_share_per_week * b.demands.race_distance_m;
    let demand = weekly_m * f64::from(b.spec.block_weeks);
    let (g, goal_gap, volume, recent) = volume_row(b, Dimension::GoalPaceOrFaster, demand, |r| {
        r.at_or_faster_goal_m
    });
    let Some(gap) = goal_gap else { return g };
    Gap {
        detail: format!(
            "{} at {} or faster (grade-adjusted) in the block, {} of it in the last {} weeks; a session a week with {} of it makes {}",
            u.distance(volume),
            u.pace(gap),
            u.distance(recent),
            t.recent_weeks,
            u.distance(weekly_m),
            u.distance(demand)
        ),
        advice: if g.verdict == Verdict::Ok {
            "Enough running at race pace and faster; keep a session a week.".into()
        } else {
            format!(
                "Add a weekly session of intervals at {} or faster totalling {}.",
                u.pace(gap),
                u.distance(weekly_m)
            )
        },
        ..g
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::{course, run, Fixture};

    #[test]
    fn half_the_race_distance_a_week_at_race_pace_or_faster() {
        let with = |m: f64| {
            let mut r = run(-20, 10.0, 0.8);
            r.at_or_faster_goal_m = m;
            Fixture::new(&course(10.0, None), Some("45:00"), vec![r])
        };
        // 5 km a week over the 16-week block: 80 km.
        let g = judge(&with(80_500.0).block());
        assert!((g.demand - 80.0).abs() < 0.5, "{}", g.demand);
        assert_eq!(g.verdict, Verdict::Ok);
        assert_eq!(judge(&with(50_000.0).block()).verdict, Verdict::Short);
        assert_eq!(judge(&with(40_000.0).block()).verdict, Verdict::Missing);
    }
}
