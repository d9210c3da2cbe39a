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
    }
}
