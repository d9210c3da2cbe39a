//! Repairs a recording's clock before anything is measured against it. One bad timestamp
//! must not cost the rest of the recording: a single time far ahead of its neighbours (a
//! glitch) is dropped, a single time behind them is dropped, and a clock that jumps back
//! and carries on from there (a reset) has the rest of its times shifted to follow on, so
//! every sample after it is kept. What was done is said in the activity's problems.

use crate::model::Activity;

/// A step forward longer than this that the next sample undoes is a glitch, not a pause.
pub const GLITCH_AHEAD_MS: i64 = 3_600_000;

/// What `repair` did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Repair {
    /// Samples dropped: a time far ahead, or behind, of both neighbours.
    pub glitches: usize,
    /// Times equal to the one before (left as they are: the timeline drops them).
    pub duplicates: usize,
    /// Clock resets: where the clock jumped back and carried on, and by how much (ms).
    pub resets: Vec<(usize, i64)>,
}

impl Repair {
    pub fn notes(&self) -> Vec<String> {
        let mut n = Vec::new();
        if self.glitches > 0 {
            n.push(format!(
                "{} timestamp(s) out of line with both neighbours (clock glitch) dropped; the rest kept",
                self.glitches
            ));
        }
        if let Some(&(at, back)) = self.resets.first() {
            n.push(format!(
                "the clock jumped back {} at point {}{}: later times shifted to follow on",
                crate::units::hms(back as f64 / 1000.0),
                at + 1,
                if self.resets.len() > 1 {
                    format!(" ({} times in all)", self.resets.len())
                } else {
                    String::new()
                }
            ));
        }
        n
    }
}

/// The next timed sample after `i`, as raw time.
fn next_time(act: &Activity, i: usize) -> Option<i64> {
    act.samples[i + 1..].iter().find_map(|s| s.time_ms)
}

/// Returns the activity with its clock repaired (a copy, only when something changed) and
/// what was done. Samples that must go lose their time (they stay, untimed, and the
/// timeline leaves them out).
pub fn repair(act: &Activity) -> (Option<Activity>, Repair) {
    let mut r = Repair::default();
    if act.is_route() {
        return (None, r);
    }
    let mut times: Vec<Option<i64>> = act.samples.iter().map(|s| s.time_ms).collect();
    let mut offset = 0i64;
    let mut last: Option<i64> = None;
    let mut step = 1000i64;
    for (i, slot) in times.iter_mut().enumerate() {
        let Some(raw) = *slot else { continue };
        let t = raw.saturating_add(offset);
        let next = next_time(act, i).map(|n| n.saturating_add(offset));
        let Some(l) = last else {
            *slot = Some(t);
            last = Some(t);
            continue;
        };
        if t > l {
            let undone = next.is_some_and(|n| n < t && n > l);
            if t - l > GLITCH_AHEAD_MS && undone {
                *slot = None;
                r.glitches += 1;
                continue;
            }
            step = (t - l).clamp(1, 60_000);
            *slot = Some(t);
            last = Some(t);
        } else if t == l {
            // Left for the timeline, which drops and counts repeated times.
            *slot = Some(t);
            r.duplicates += 1;
        } else if next.is_some_and(|n| n > l) || next.is_none() {
            // Behind, and the next one is back in line: a single bad time.
            *slot = None;
            r.glitches += 1;
        } else {
            // Behind, and the recording carries on from there: the clock was reset.
            let back = l - t;
            offset = offset.saturating_add(back + step);
            r.resets.push((i, back));
            let shifted = raw.saturating_add(offset);
            *slot = Some(shifted);
            last = Some(shifted);
        }
    }
    if r.glitches == 0 && r.resets.is_empty() {
        return (None, r);
    }
    let mut fixed = act.clone();
    for (s, t) in fixed.samples.iter_mut().zip(times) {
        s.time_ms = t;
    }
    (Some(fixed), r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, Sample};

    fn timed(times: &[i64]) -> Activity {
        let mut a = Activity::new("r.fit".into(), Format::Fit);
        a.samples = times
            .iter()
            .enumerate()
            .map(|(i, &t)| Sample {
                time_ms: Some(t),
                lat_deg: Some(45.0 + i as f64 * 1e-4),
                lon_deg: Some(6.0),
                ..Sample::default()
            })
            .collect();
        a
    }

    fn times(a: &Activity) -> Vec<Option<i64>> {
        a.samples.iter().map(|s| s.time_ms).collect()
    }

    #[test]
    fn a_time_far_ahead_is_dropped_and_the_rest_kept() {
        let a = timed(&[0, 1000, 68_342_400_000, 3000, 4000]);
        let (fixed, r) = repair(&a);
        assert_eq!(r.glitches, 1);
        assert_eq!(
            times(&fixed.unwrap()),
            [Some(0), Some(1000), None, Some(3000), Some(4000)]
        );
    }

    #[test]
    fn a_clock_reset_shifts_what_follows() {
        // Back one hour at the fourth point, carrying on from there.
        let a = timed(&[
            7_200_000, 7_201_000, 7_202_000, 3_603_000, 3_604_000, 3_605_000,
        ]);
        let (fixed, r) = repair(&a);
        assert_eq!(r.resets, vec![(3, 3_599_000)]);
        assert_eq!(
            times(&fixed.unwrap()),
            [
                Some(7_200_000),
                Some(7_201_000),
                Some(7_202_000),
                Some(7_203_000),
                Some(7_204_000),
                Some(7_205_000)
            ]
        );
        assert!(r.notes()[0].contains("jumped back 59:59 at point 4"));
    }

    #[test]
    fn a_single_time_behind_is_dropped_and_a_clean_clock_is_left_alone() {
        let (fixed, r) = repair(&timed(&[0, 1000, 2000, 500, 4000]));
        assert_eq!(r.glitches, 1);
        assert_eq!(times(&fixed.unwrap())[3], None);
        let (none, r) = repair(&timed(&[0, 1000, 1000, 2000]));
        assert!(none.is_none());
        assert_eq!(r.duplicates, 1);
    }
}
