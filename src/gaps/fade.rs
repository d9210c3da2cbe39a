//! Late fade: how much the last quarter of the block's long runs slows against their first
//! half, grade-adjusted.

use super::context::Block;
use super::verdict::{Dimension, Unit, Verdict};
use super::Gap;

/// Mean of up to three values.
fn mean3<'a>(v: impl Iterator<Item = &'a (i64, f64)>) -> Option<f64> {
    let v: Vec<f64> = v.take(3).map(|f| f.1).collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

pub fn judge(b: &Block) -> Gap {
    let t = b.rules;
    let mut fades: Vec<(i64, f64)> = b
        .runs
        .iter()
        .filter(|r| r.distance_m >= t.fade_run_share * b.long_run_m)
        .filter_map(|r| r.fade_pct.map(|f| (r.day, f)))
        .collect();
    fades.sort_by_key(|f| f.0);
    let recent_fade = mean3(fades.iter().rev());
    let early_fade = mean3(fades.iter());
    Gap {
        dimension: Dimension::LateFade,
        title: Dimension::LateFade.title(),
        demand: t.fade_ok_pct,
        best: fades.iter().map(|f| f.1).reduce(f64::min),
        recent: recent_fade,
        unit: Unit::Percent,
        // A cost judged against a ceiling: no share of a demand to show.
        ratio: None,
        verdict: match recent_fade {
            None => Verdict::Unknown,
            Some(f) if f <= t.fade_ok_pct => Verdict::Ok,
            Some(f) if f <= t.fade_short_pct => Verdict::Short,
            Some(_) => Verdict::Missing,
        },
        detail: match (recent_fade, early_fade) {
            (Some(r), Some(e)) => format!(
                "last quarter {r:+.1} % slower than the first half (grade-adjusted) over your last long runs, {e:+.1} % at the start of the block"
            ),
            _ => "no long runs with a timed track to measure fade on".into(),
        },
        advice: match recent_fade {
            None => "Run long runs with a GPS watch: their last quarter shows whether you fade.".into(),
            Some(f) if f <= t.fade_ok_pct => "You hold pace to the end of long runs.".into(),
            // Off road and in ultras there is no goal pace to hold: effort is what to rehearse.
            _ if b.plan.profile.terrain.off_road()
                || b.plan.profile.distance == super::DistanceClass::Ultra =>
            {
                "Finish long runs strong: the last 30-60 minutes at race effort on ground like the course's, and practise race fuelling on them.".into()
            }
            _ => "Finish long runs with the last 20-30 minutes at goal pace, and practise race fuelling on them.".into(),
        },
        best_run: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::{course, run, Fixture};

    fn fading(pct: Option<f64>) -> Gap {
        let mut r = run(-20, 30.0, 2.5);
        r.fade_pct = pct;
        let f = Fixture::new(&course(42.2, None), None, vec![r]);
        judge(&f.block())
    }

    #[test]
    fn fade_within_three_percent_is_ok_to_eight_short() {
        assert_eq!(fading(Some(3.0)).verdict, Verdict::Ok);
        assert_eq!(fading(Some(8.0)).verdict, Verdict::Short);
        assert_eq!(fading(Some(8.1)).verdict, Verdict::Missing);
        // No long run with a timed track: unknown, not missing.
        assert_eq!(fading(None).verdict, Verdict::Unknown);
    }
}
