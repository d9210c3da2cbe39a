//! Goal pace: the running at the goal's grade-adjusted pace in the block, in total and in
//! one continuous stretch.

use super::context::Block;
use super::verdict::{Dimension, Unit, Verdict};
use super::Gap;
use crate::history::RunRow;

/// A row of running at a goal-set pace in the block, in km, against `demand_m`: unknown
/// without a goal. Returns the row, the goal's grade-adjusted pace and the block's and the
/// recent weeks' metres, for the rule's words.
pub fn volume_row(
    b: &Block,
    dimension: Dimension,
    demand_m: f64,
    of_run: fn(&RunRow) -> f64,
) -> (Gap, Option<f64>, f64, f64) {
    let goal_gap = b.demands.goal_gap_s_per_km;
    let (volume, recent) = b.sums(of_run);
    let g = Gap::by_ratio(
        dimension,
        demand_m / 1000.0,
        goal_gap.map(|_| volume / 1000.0),
        goal_gap.map(|_| recent / 1000.0),
        b.rules,
    );
    let g = match goal_gap {
        Some(_) => g,
        None => Gap {
            verdict: Verdict::Unknown,
            detail: "no goal time: goal pace unknown".into(),
            advice: "Set a goal time to measure work at goal pace.".into(),
            ..g
        },
    };
    (g, goal_gap, volume, recent)
}

pub fn volume(b: &Block) -> Gap {
    let (t, u) = (b.rules, b.units);
    let demand = t.goal_pace_volume_share * b.demands.distance_m;
    let (g, goal_gap, volume, recent) =
        volume_row(b, Dimension::GoalPaceVolume, demand, |r| r.goal_pace_m);
    let Some(gap) = goal_gap else { return g };
    Gap {
        detail: format!(
            "{} at goal pace ({} grade-adjusted) in the block, {} of it in the last {} weeks",
            u.distance(volume),
            u.pace(gap),
            u.distance(recent),
            t.recent_weeks
        ),
        advice: if g.verdict == Verdict::Ok {
            "Enough goal-pace running; keep it in the last weeks.".into()
        } else {
            format!(
                "Add weekly runs with {} at {} (grade-adjusted) until the block holds {}.",
                u.range(8_000.0, 15_000.0),
                u.pace(gap),
                u.distance(demand)
            )
        },
        ..g
    }
}

pub fn longest(b: &Block) -> Gap {
    let (t, u) = (b.rules, b.units);
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
                longest
                    .map(|m| u.distance(m))
                    .unwrap_or_else(|| "none".into()),
                u.distance(demand)
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
                u.distance(demand)
            )
        },
        best_run: goal_gap.and(b.best_run(|r| r.longest_goal_pace_m)),
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
