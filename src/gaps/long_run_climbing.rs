//! Climbing in long runs: the climbing per km of the block's long runs against the
//! course's, for trail and mountain races (long runs on the race's kind of ground).

use super::climbs::without_elevation;
use super::context::Block;
use super::verdict::{Dimension, Verdict};
use super::Gap;
use crate::history::RunRow;

/// A run's climbing per km.
pub fn per_km(r: &RunRow) -> f64 {
    if r.distance_m > 0.0 {
        r.ascent_m / (r.distance_m / 1000.0)
    } else {
        0.0
    }
}

pub fn judge(b: &Block) -> Gap {
    let (t, u) = (b.rules, b.units);
    let long = |r: &&&RunRow| b.is_long(r);
    let best = b
        .runs
        .iter()
        .filter(long)
        .map(|r| per_km(r))
        .reduce(f64::max);
    let recent = b
        .recent
        .iter()
        .filter(long)
        .map(|r| per_km(r))
        .reduce(f64::max);
    let course = b.plan.profile.climb_m_per_km;
    let demand = course * t.climb_share;
    let g = Gap::by_ratio(Dimension::LongRunClimbing, demand, best, recent, t);
    let mut g = Gap {
        detail: format!(
            "your hilliest long run climbed {}; the course climbs {}",
            best.map(|v| u.climb_rate(v))
                .unwrap_or_else(|| "- (no long runs)".into()),
            u.climb_rate(course)
        ),
        advice: if g.verdict == Verdict::Ok {
            "Your long runs climb like the course.".into()
        } else {
            format!(
                "Take long runs onto hills: at least {} of climbing, on ground like the race's.",
                u.climb_rate(demand)
            )
        },
        ..g
    };
    without_elevation(b, &mut g);
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::{course, run, Fixture};

    #[test]
    fn long_runs_climb_like_the_course() {
        // 20 km with a 1,000 m climb: 50 m per km, a mountain course; 80 % is 40 m/km.
        let with = |ascent: f64| {
            let mut r = run(-20, 20.0, 3.0);
            r.ascent_m = ascent;
            let f = Fixture::new(&course(20.0, Some(1_000.0)), Some("4:00:00"), vec![r]);
            assert!(f.plan.profile.terrain.off_road(), "{:?}", f.plan.profile);
            judge(&f.block())
        };
        let g = with(820.0);
        assert!((g.demand - 40.0).abs() < 1.0, "{}", g.demand);
        assert_eq!(g.verdict, Verdict::Ok);
        assert_eq!(with(500.0).verdict, Verdict::Short);
        assert_eq!(with(100.0).verdict, Verdict::Missing);
    }
}
