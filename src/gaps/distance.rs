//! Longest run: the block's longest run against the race's long-run length.

use super::context::Block;
use super::verdict::{Dimension, Unit};
use super::Gap;
use crate::units::km;

pub fn judge(b: &Block) -> Gap {
    let t = b.rules;
    let best = b.best(|r| r.distance_m);
    let ratio = best.map(|v| v / b.long_run_m);
    Gap {
        dimension: Dimension::Distance,
        title: Dimension::Distance.title(),
        demand: b.long_run_m / 1000.0,
        best: best.map(|v| v / 1000.0),
        recent: b.recent_best(|r| r.distance_m).map(|v| v / 1000.0),
        unit: Unit::Km,
        ratio,
        verdict: t.by_ratio(ratio.unwrap_or(0.0)),
        detail: format!(
            "longest run {} against a long-run length of {} ({:.0} % of the race's {})",
            best.map(km).unwrap_or_else(|| "none".into()),
            km(b.long_run_m),
            t.long_run_share * 100.0,
            km(b.demands.distance_m)
        ),
        advice: if ratio.unwrap_or(0.0) >= t.ok_ratio {
            "Your longest run covers the race's long-run length; keep one more before the taper."
                .into()
        } else {
            format!(
                "Build your long run to at least {} before the taper, adding 2-3 km a week.",
                km(b.long_run_m)
            )
        },
    }
}
