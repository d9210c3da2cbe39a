//! Load spikes: weeks whose 7-day distance jumps over the 28-day average (the
//! acute:chronic ratio).

use super::context::Block;
use super::verdict::{Dimension, Unit, Verdict};
use super::Gap;
use crate::calendar::week_of;
use crate::history::{acwr_spikes, daily_distance};

/// The verdict for this many weeks with a spike.
pub fn verdict(spike_weeks: usize) -> Verdict {
    match spike_weeks {
        0 => Verdict::Ok,
        1 | 2 => Verdict::Short,
        _ => Verdict::Missing,
    }
}

pub fn judge(b: &Block) -> Gap {
    let t = b.rules;
    let daily = daily_distance(b.rows);
    let spikes = acwr_spikes(&daily, b.start_day, b.race_day);
    let spike_weeks: std::collections::BTreeSet<i64> =
        spikes.iter().map(|(d, _)| week_of(*d)).collect();
    let worst = spikes.iter().map(|(_, r)| *r).reduce(f64::max);
    Gap {
        dimension: Dimension::Load,
        title: Dimension::Load.title(),
        demand: t.acwr_spike,
        best: worst,
        recent: None,
        unit: Unit::Ratio,
        ratio: worst.map(|w| w / t.acwr_spike),
        verdict: if b.runs.is_empty() {
            Verdict::Unknown
        } else {
            verdict(spike_weeks.len())
        },
        detail: if b.runs.is_empty() {
            "no runs in the block: no load to judge".into()
        } else if spike_weeks.is_empty() {
            format!(
                "the 7-day load never exceeded {:.1}× the 28-day average",
                t.acwr_spike
            )
        } else {
            format!(
                "the 7-day load exceeded {:.1}× the 28-day average in {} week(s) (worst {:.2}×)",
                t.acwr_spike,
                spike_weeks.len(),
                worst.unwrap_or(0.0)
            )
        },
        advice: if b.runs.is_empty() {
            "Build up gradually: no more than half again the usual weekly load.".into()
        } else if spike_weeks.is_empty() {
            "Your load builds steadily.".into()
        } else {
            "Raise weekly volume more gradually: jumps of over half again the usual load precede injuries.".into()
        },
    }
}
