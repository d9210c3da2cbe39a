//! Back-to-back long days: pairs of consecutive days of long running, the ultra runner's
//! way to train tired legs without one ruinous run.

use super::context::Block;
use super::verdict::{Dimension, Unit};
use super::Gap;
use crate::calendar::format_day;
use crate::units::hms;
use std::collections::BTreeMap;

/// The first days of back-to-back pairs: day one moving at least `min_s`, the next day at
/// least `second_share` of it. `days` holds (day, moving seconds) per run.
pub fn pairs(days: &[(i64, f64)], min_s: f64, second_share: f64) -> Vec<i64> {
    let mut per_day: BTreeMap<i64, f64> = BTreeMap::new();
    for &(d, s) in days {
        *per_day.entry(d).or_default() += s;
    }
    let mut out = Vec::new();
    let mut skip_until = i64::MIN;
    for (&d, &s) in &per_day {
        if d <= skip_until || s < min_s {
            continue;
        }
        if per_day
            .get(&(d + 1))
            .is_some_and(|&n| n >= second_share * s)
        {
            out.push(d);
            // A pair's second day does not start another pair.
            skip_until = d + 1;
        }
    }
    out
}

pub fn judge(b: &Block) -> Gap {
    let t = b.rules;
    let days: Vec<(i64, f64)> = b.runs.iter().map(|r| (r.day, r.moving_s)).collect();
    let found = pairs(&days, t.back_to_back_min_s, t.back_to_back_second_share);
    let recent_from = b.recent.iter().map(|r| r.day).min().unwrap_or(b.race_day);
    let count = found.len() as u32;
    let ratio = f64::from(count) / f64::from(t.back_to_backs_needed);
    Gap {
        dimension: Dimension::BackToBack,
        title: Dimension::BackToBack.title(),
        demand: f64::from(t.back_to_backs_needed),
        best: Some(f64::from(count)),
        recent: Some(found.iter().filter(|d| **d >= recent_from).count() as f64),
        unit: Unit::Runs,
        ratio: Some(ratio),
        verdict: t.by_ratio(ratio),
        detail: format!(
            "{count} weekend(s) of two long days in a row (a day of {}+ moving, the next at least {:.0} % of it){}",
            hms(t.back_to_back_min_s),
            t.back_to_back_second_share * 100.0,
            match found.last() {
                Some(d) => format!("; the last on {}", format_day(*d)),
                None => String::new(),
            }
        ),
        advice: if ratio >= t.ok_ratio {
            "You have trained on tired legs; keep one back-to-back in the last month.".into()
        } else {
            format!(
                "Run {} back-to-back weekends: a long run of {}+ and, the next day, {:.0} % of it.",
                t.back_to_backs_needed,
                hms(t.back_to_back_min_s),
                t.back_to_back_second_share * 100.0
            )
        },
        best_run: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_need_two_long_days_in_a_row() {
        let h = 3600.0;
        // Sat 3 h + Sun 2 h: a pair. Sat 3 h + Sun 1 h: not (under 60 %). Two runs on one
        // day add up. A 3-day run of long days makes one pair, not two.
        let days = [
            (5, 3.0 * h),
            (6, 2.0 * h),
            (12, 3.0 * h),
            (13, 1.0 * h),
            (19, 1.5 * h),
            (19, 1.0 * h),
            (20, 1.6 * h),
            (26, 2.5 * h),
            (27, 2.5 * h),
            (28, 2.5 * h),
        ];
        assert_eq!(pairs(&days, 2.0 * h, 0.6), vec![5, 19, 26]);
        assert!(pairs(&days, 4.0 * h, 0.6).is_empty());
    }
}
