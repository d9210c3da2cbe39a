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
        // A risk judged against a ceiling: no share of a demand to show.
        ratio: None,
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
        best_run: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::{course, run, Fixture};

    #[test]
    fn spikes_by_week_and_unknown_without_runs() {
        assert_eq!(verdict(0), Verdict::Ok);
        assert_eq!(verdict(2), Verdict::Short);
        assert_eq!(verdict(3), Verdict::Missing);
        let f = Fixture::new(&course(42.2, None), None, vec![]);
        assert_eq!(judge(&f.block()).verdict, Verdict::Unknown);
        // 10 km every other day for the block, then 90 km in one week: one spike week.
        let mut rows: Vec<_> = (10..118).step_by(2).map(|d| run(-d, 10.0, 1.0)).collect();
        rows.extend((1..=6).map(|d| run(-d, 15.0, 1.3)));
        let f = Fixture::new(&course(42.2, None), None, rows);
        let g = judge(&f.block());
        assert_eq!(g.verdict, Verdict::Short, "{g:?}");
    }
}
