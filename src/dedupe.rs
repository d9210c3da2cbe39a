//! Finds the same activity exported twice (a FIT from the watch and a GPX from Strava, say)
//! and keeps the richer copy, so volume is never counted twice.

use crate::model::{Activity, Format};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Two recordings whose starts differ by at most this are candidates for being one activity.
pub const SAME_START_S: f64 = 60.0;
/// ... if their durations also agree within this share (or `SAME_START_S`, if larger).
pub const SAME_DURATION_SHARE: f64 = 0.05;

/// One dropped copy and the copy kept in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub kept: PathBuf,
    pub dropped: PathBuf,
}

/// What duplicate detection needs to know of an activity: small enough to keep for every
/// activity of a long history after its samples are gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Light {
    pub source: PathBuf,
    pub label: String,
    pub format: Format,
    pub span_ms: Option<(i64, i64)>,
    pub channels: usize,
    pub samples: usize,
}

impl Light {
    pub fn of(a: &Activity) -> Light {
        Light {
            source: a.source.clone(),
            label: a.label(),
            format: a.format,
            span_ms: a.time_span_ms(),
            channels: a.channels().count(),
            samples: a.samples.len(),
        }
    }
}

/// How much a copy carries: channels first, then samples, then the format's fidelity
/// (FIT keeps device totals and barometric flags that GPX and TCX lose).
fn richness(a: &Light) -> (usize, usize, u8) {
    let format_rank = match a.format {
        Format::Fit => 2,
        Format::Tcx => 1,
        Format::Gpx => 0,
    };
    (a.channels, a.samples, format_rank)
}

fn same_activity(a: &Light, b: &Light) -> bool {
    match (a.span_ms, b.span_ms) {
        (Some((sa, ea)), Some((sb, eb))) => {
            let start_gap = (sa - sb).abs() as f64 / 1000.0;
            let (da, db) = ((ea - sa) as f64 / 1000.0, (eb - sb) as f64 / 1000.0);
            let tol = (da.max(db) * SAME_DURATION_SHARE).max(SAME_START_S);
            start_gap <= SAME_START_S && (da - db).abs() <= tol
        }
        _ => false,
    }
}

/// Removes duplicates, keeping the richest copy of each; the input order of the kept
/// activities is preserved. Returns what was dropped in favour of what.
pub fn dedupe(acts: Vec<Activity>) -> (Vec<Activity>, Vec<Duplicate>) {
    let keys: Vec<Light> = acts.iter().map(Light::of).collect();
    let (keep, dups) = duplicates(&keys);
    let kept = acts
        .into_iter()
        .zip(keep)
        .filter_map(|(a, k)| k.then_some(a))
        .collect();
    (kept, dups)
}

/// Which activities to keep (`true`) and what was dropped in favour of what.
pub fn duplicates(acts: &[Light]) -> (Vec<bool>, Vec<Duplicate>) {
    let n = acts.len();
    // Indices of timed activities sorted by start; a window over them finds candidates.
    let mut order: Vec<(i64, usize)> = acts
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.span_ms.map(|(s, _)| (s, i)))
        .collect();
    order.sort_unstable();
    let mut dropped_by: Vec<Option<usize>> = vec![None; n];
    for w in 0..order.len() {
        let (start_i, i) = order[w];
        if dropped_by[i].is_some() {
            continue;
        }
        for &(start_j, j) in &order[w + 1..] {
            if (start_j - start_i) as f64 / 1000.0 > SAME_START_S {
                break;
            }
            if dropped_by[j].is_some() || !same_activity(&acts[i], &acts[j]) {
                continue;
            }
            // Keep the richer; on a tie keep the earlier path for determinism.
            let (ri, rj) = (richness(&acts[i]), richness(&acts[j]));
            let keep_i = ri > rj || (ri == rj && acts[i].source <= acts[j].source);
            if keep_i {
                dropped_by[j] = Some(i);
            } else {
                dropped_by[i] = Some(j);
                break;
            }
        }
    }
    // Resolve chains (a dropped for b, b dropped for c) to the final survivor.
    let survivor = |mut k: usize| {
        while let Some(next) = dropped_by[k] {
            k = next;
        }
        k
    };
    let dups: Vec<Duplicate> = (0..n)
        .filter(|&i| dropped_by[i].is_some())
        .map(|i| Duplicate {
            kept: acts[survivor(i)].source.clone(),
            dropped: acts[i].source.clone(),
        })
        .collect();
    (dropped_by.iter().map(Option::is_none).collect(), dups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sample;
    use std::path::Path;

    fn act(path: &str, format: Format, start_s: i64, dur_s: i64, hr: bool) -> Activity {
        let mut a = Activity::new(path.into(), format);
        for t in [start_s, start_s + dur_s] {
            a.samples.push(Sample {
                time_ms: Some(t * 1000),
                lat_deg: Some(1.0),
                lon_deg: Some(1.0),
                heart_rate_bpm: hr.then_some(120.0),
                ..Sample::default()
            });
        }
        a
    }

    #[test]
    fn keeps_the_richer_copy_of_one_run() {
        let acts = vec![
            act("a.gpx", Format::Gpx, 1000, 3600, false),
            act("b.fit", Format::Fit, 1002, 3590, true),
            act("c.gpx", Format::Gpx, 90_000, 3600, false),
        ];
        let (kept, dups) = dedupe(acts);
        let paths: Vec<_> = kept.iter().map(|a| a.source.to_str().unwrap()).collect();
        assert_eq!(paths, vec!["b.fit", "c.gpx"]);
        assert_eq!(
            dups,
            vec![Duplicate {
                kept: "b.fit".into(),
                dropped: "a.gpx".into()
            }]
        );
    }

    #[test]
    fn same_start_but_different_length_is_two_activities() {
        let acts = vec![
            act("a.fit", Format::Fit, 0, 600, true),
            act("b.fit", Format::Fit, 10, 3600, true),
        ];
        let (kept, dups) = dedupe(acts);
        assert_eq!(kept.len(), 2);
        assert!(dups.is_empty());
    }

    #[test]
    fn three_copies_leave_one() {
        let acts = vec![
            act("a.gpx", Format::Gpx, 0, 3600, false),
            act("b.tcx", Format::Tcx, 5, 3600, false),
            act("c.fit", Format::Fit, 10, 3600, false),
        ];
        let (kept, dups) = dedupe(acts);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].source, PathBuf::from("c.fit"));
        assert!(dups.iter().all(|d| d.kept == Path::new("c.fit")));
        assert_eq!(dups.len(), 2);
    }
}
