//! Time on feet: the block's longest run in moving time against a share of the race's
//! expected duration.

use super::context::Block;
use super::verdict::{Dimension, Unit, Verdict};
use super::Gap;
use crate::units::hms;

pub fn judge(b: &Block) -> Gap {
    let t = b.rules;
    let (share, cap) = b
        .plan
        .time_on_feet
        .unwrap_or((t.time_on_feet_share, t.time_on_feet_cap_s));
    let demand = b.expected_s.map(|e| (share * e).min(cap));
    let best = b.best(|r| r.moving_s);
    let ratio = match (best, demand) {
        (Some(v), Some(d)) if d > 0.0 => Some(v / d),
        _ => None,
    };
    Gap {
        dimension: Dimension::TimeOnFeet,
        title: Dimension::TimeOnFeet.title(),
        demand: demand.unwrap_or(0.0) / 3600.0,
        best: best.map(|v| v / 3600.0),
        recent: b.recent_best(|r| r.moving_s).map(|v| v / 3600.0),
        unit: Unit::Hours,
        ratio,
        verdict: match (best, demand) {
            (_, None) => Verdict::Unknown,
            (None, _) => Verdict::Missing,
            _ => t.by_ratio(ratio.unwrap_or(0.0)),
        },
        detail: match (best, b.expected_s, demand) {
            (Some(v), Some(e), Some(d)) => format!(
                "longest run {} moving; the race should take about {}, so {} on your feet is the target",
                hms(v), hms(e), hms(d)
            ),
            (None, _, _) => "no runs in the block".into(),
            _ => "no goal time and no prediction: expected race duration unknown".into(),
        },
        advice: if demand.is_none() {
            "Set a goal time (or race a 5 km or longer in the block) to size the long run in time."
                .into()
        } else if ratio.unwrap_or(0.0) >= t.ok_ratio {
            "Your longest run is long enough in time; practise fuelling on it.".into()
        } else {
            format!(
                "Extend your long run to {} of running (slow is fine: time is the stimulus).",
                demand.map(hms).unwrap_or_else(|| "race duration".into())
            )
        },
        best_run: b.best_run(|r| r.moving_s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::{course, run, Fixture};

    #[test]
    fn time_on_feet_against_three_quarters_of_the_goal() {
        // 3:30:00 goal: 75 % is 2:37:30 (under the 3.5 h cap).
        let f = Fixture::new(
            &course(42.2, None),
            Some("3:30:00"),
            vec![run(-30, 30.0, 2.7)],
        );
        let g = judge(&f.block());
        assert!((g.demand - 2.625).abs() < 1e-9, "{}", g.demand);
        assert_eq!(g.verdict, Verdict::Ok);
        let f = Fixture::new(
            &course(42.2, None),
            Some("5:30:00"),
            vec![run(-30, 30.0, 2.7)],
        );
        // 75 % of 5:30 is 4:07:30, over the cap: 3:30:00.
        assert!((judge(&f.block()).demand - 3.5).abs() < 1e-9);
        // No goal and nothing to predict from: the race's duration is unknown.
        let f = Fixture::new(&course(42.2, None), None, vec![run(-30, 30.0, 2.7)]);
        assert_eq!(judge(&f.block()).verdict, Verdict::Unknown);
        let f = Fixture::new(&course(42.2, None), Some("3:30:00"), vec![]);
        assert_eq!(judge(&f.block()).verdict, Verdict::Missing);
    }
}
