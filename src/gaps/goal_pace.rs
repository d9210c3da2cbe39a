//! Goal pace: the running at the goal's grade-adjusted pace in the block, in total and in
//! one continuous stretch.

use super::context::Block;
use super::verdict::{Dimension, Unit, Verdict};
use super::Gap;
use crate::units::{km, pace};

pub fn volume(b: &Block) -> Gap {
    let t = b.rules;
    let goal_gap = b.demands.goal_gap_s_per_km;
    let demand = t.goal_pace_volume_share * b.demands.distance_m;
    let (volume, recent_volume) = b.sums(|r| r.goal_pace_m);
    let ratio = goal_gap.map(|_| volume / demand);
    Gap {
        dimension: Dimension::GoalPaceVolume,
        title: Dimension::GoalPaceVolume.title(),
        demand: demand / 1000.0,
        best: goal_gap.map(|_| volume / 1000.0),
        recent: goal_gap.map(|_| recent_volume / 1000.0),
        unit: Unit::Km,
        ratio,
        verdict: ratio.map(|r| t.by_ratio(r)).unwrap_or(Verdict::Unknown),
        detail: match goal_gap {
            Some(g) => format!(
                "{} at goal pace ({} grade-adjusted) in the block, {} of it in the last {} weeks",
                km(volume),
                pace(g),
                km(recent_volume),
                t.recent_weeks
            ),
            None => "no goal time: goal pace unknown".into(),
        },
        advice: match (goal_gap, ratio) {
            (None, _) => "Set a goal time to measure goal-pace work.".into(),
            (Some(_), Some(r)) if r >= t.ok_ratio => {
                "Enough goal-pace running; keep it in the last weeks.".into()
            }
            (Some(g), _) => format!(
                "Add weekly runs with 8-15 km at {} (grade-adjusted) until the block holds {}.",
                pace(g),
                km(demand)
            ),
        },
    }
}

pub fn longest(b: &Block) -> Gap {
    let t = b.rules;
    let goal_gap = b.demands.goal_gap_s_per_km;
    let demand = t.goal_pace_segment_share * b.demands.distance_m;
    let longest = b.best(|r| r.longest_goal_pace_m);
    let ratio = goal_gap.and(longest).map(|l| l / demand);
    Gap {
        dimension: Dimension::GoalPaceLongest,
        title: Dimension::GoalPaceLongest.title(),
        demand: demand / 1000.0,
        best: goal_gap.and(longest).map(|l| l / 1000.0),
        recent: goal_gap
            .and(b.recent_best(|r| r.longest_goal_pace_m))
            .map(|l| l / 1000.0),
        unit: Unit::Km,
        ratio,
        verdict: match (goal_gap, ratio) {
            (None, _) => Verdict::Unknown,
            (Some(_), Some(r)) => t.by_ratio(r),
            (Some(_), None) => Verdict::Missing,
        },
        detail: match goal_gap {
            Some(_) => format!(
                "longest continuous stretch at goal pace {}; target {}",
                longest.map(km).unwrap_or_else(|| "none".into()),
                km(demand)
            ),
            None => "no goal time: goal pace unknown".into(),
        },
        advice: if goal_gap.is_none() {
            "Set a goal time to measure goal-pace work.".into()
        } else if ratio.unwrap_or(0.0) >= t.ok_ratio {
            "You have held goal pace long enough in one go.".into()
        } else {
            format!(
                "Hold goal pace for {} without a break in one of your key runs.",
                km(demand)
            )
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::{course, run, Fixture};

    #[test]
    fn goal_pace_needs_a_goal_and_one_and_a_half_race_distances() {
        let mut r = run(-20, 30.0, 2.5);
        r.goal_pace_m = 64_000.0;
        r.longest_goal_pace_m = 10_600.0;
        let f = Fixture::new(&course(42.2, None), Some("3:30:00"), vec![r.clone()]);
        let (v, l) = (volume(&f.block()), longest(&f.block()));
        assert!((v.demand - 63.3).abs() < 0.1, "{}", v.demand);
        assert_eq!(v.verdict, Verdict::Ok);
        assert!((l.demand - 10.55).abs() < 0.05, "{}", l.demand);
        assert_eq!(l.verdict, Verdict::Ok);
        r.goal_pace_m = 38_000.0;
        r.longest_goal_pace_m = 5_000.0;
        let f = Fixture::new(&course(42.2, None), Some("3:30:00"), vec![r.clone()]);
        assert_eq!(volume(&f.block()).verdict, Verdict::Short);
        assert_eq!(longest(&f.block()).verdict, Verdict::Missing);
        // No goal: unknown, whatever was run.
        let f = Fixture::new(&course(42.2, None), None, vec![r]);
        assert_eq!(volume(&f.block()).verdict, Verdict::Unknown);
        assert_eq!(longest(&f.block()).verdict, Verdict::Unknown);
    }
}
