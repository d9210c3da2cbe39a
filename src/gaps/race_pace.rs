//! Race pace and faster: the running at or faster than goal pace that 5 and 10 km races
//! are built on (intervals and repetitions, not only steady goal-pace runs).

use super::context::Block;
use super::verdict::{Dimension, Unit, Verdict};
use super::Gap;
use crate::units::{km, pace};

pub fn judge(b: &Block) -> Gap {
    let t = b.rules;
    let goal_gap = b.demands.goal_gap_s_per_km;
    let weeks = f64::from(b.spec.block_weeks);
    let demand = t.race_pace_share_per_week * b.demands.race_distance_m * weeks;
    let (volume, recent) = b.sums(|r| r.at_or_faster_goal_m);
    let ratio = goal_gap.map(|_| volume / demand);
    Gap {
        dimension: Dimension::GoalPaceOrFaster,
        title: Dimension::GoalPaceOrFaster.title(),
        demand: demand / 1000.0,
        best: goal_gap.map(|_| volume / 1000.0),
        recent: goal_gap.map(|_| recent / 1000.0),
        unit: Unit::Km,
        ratio,
        verdict: ratio.map(|r| t.by_ratio(r)).unwrap_or(Verdict::Unknown),
        detail: match goal_gap {
            Some(g) => format!(
                "{} at {} or faster (grade-adjusted) in the block, {} of it in the last {} weeks; a session a week with {} of it makes {}",
                km(volume),
                pace(g),
                km(recent),
                t.recent_weeks,
                km(t.race_pace_share_per_week * b.demands.race_distance_m),
                km(demand)
            ),
            None => "no goal time: race pace unknown".into(),
        },
        advice: match (goal_gap, ratio) {
            (None, _) => "Set a goal time to measure race-pace work.".into(),
            (Some(_), Some(r)) if r >= t.ok_ratio => {
                "Enough running at race pace and faster; keep a session a week.".into()
            }
            (Some(g), _) => format!(
                "Add a weekly session of intervals at {} or faster totalling {}.",
                pace(g),
                km(t.race_pace_share_per_week * b.demands.race_distance_m)
            ),
        },
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
