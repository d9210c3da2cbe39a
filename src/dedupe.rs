//! Finds the same activity exported twice (a FIT from the watch and a GPX from Strava, say)
//! and keeps the richer copy, so volume is never counted twice. Two copies are one
//! activity when they start within a minute and last as long, or when their time ranges
//! overlap for most of the shorter one, their sports agree and their positions agree where
//! both have them: a watch's FIT and the Garmin Connect GPX of it, which starts at the
//! first GPS fix 3-30 minutes later, are one run.

use crate::model::{Activity, Format, Sport};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Two recordings whose starts differ by at most this are candidates for being one activity.
pub const SAME_START_S: f64 = 60.0;
/// ... if their durations also agree within this share (or `SAME_START_S`, if larger).
pub const SAME_DURATION_SHARE: f64 = 0.05;
/// Copies whose time ranges overlap for at least this share of the shorter one are one
/// activity if their positions agree ...
pub const OVERLAP_SHARE: f64 = 0.8;
/// ... at this share of the moments both have a position, within `SAME_PLACE_M`.
pub const AGREE_SHARE: f64 = 0.8;
pub const SAME_PLACE_M: f64 = 250.0;
/// Without positions to compare (an indoor copy), the overlap must be nearly whole.
pub const BLIND_OVERLAP_SHARE: f64 = 0.95;
/// Positions kept per activity to compare copies.
pub const TRACK_POINTS: usize = 24;
/// Two positions are "the same moment" within this many seconds.
const SAME_MOMENT_MS: i64 = 60_000;

/// One dropped copy and the copy kept in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub kept: PathBuf,
    pub dropped: PathBuf,
    /// Why the two are one activity.
    pub reason: String,
}

/// What duplicate detection needs to know of an activity: small enough to keep for every
/// activity of a long history after its samples are gone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Light {
    /// Kept as the path's bytes, so a name that is not UTF-8 can be cached too.
    #[serde(with = "crate::cache::path_bytes")]
    pub source: PathBuf,
    pub label: String,
    pub format: Format,
    pub span_ms: Option<(i64, i64)>,
    pub channels: usize,
    pub samples: usize,
    pub sport: Sport,
    /// Up to `TRACK_POINTS` timed positions, evenly spread: (time ms, lat, lon).
    pub track: Vec<(i64, f32, f32)>,
}

impl Light {
    pub fn of(a: &Activity) -> Light {
        let timed: Vec<(i64, f64, f64)> = a
            .samples
            .iter()
            .filter_map(|s| Some((s.time_ms?, s.lat_deg?, s.lon_deg?)))
            .collect();
        let step = timed.len().div_ceil(TRACK_POINTS).max(1);
        Light {
            source: a.source.clone(),
            label: a.label(),
            format: a.format,
            span_ms: a.time_span_ms(),
            channels: a.channels().count(),
            samples: a.samples.len(),
            sport: a.sport,
            track: timed
                .iter()
                .step_by(step)
                .map(|&(t, la, lo)| (t, la as f32, lo as f32))
                .collect(),
        }
    }
}

/// Sports that can be the same activity: equal, or one of them not known.
fn sports_agree(a: Sport, b: Sport) -> bool {
    a == b
        || matches!(a, Sport::Unknown | Sport::Other)
        || matches!(b, Sport::Unknown | Sport::Other)
}

/// Of the moments both copies have a position (within a minute), the share where they are
/// within `SAME_PLACE_M`; `None` when there is no such moment.
fn places_agree(a: &Light, b: &Light) -> Option<f64> {
    let mut compared = 0;
    let mut agree = 0;
    for &(t, la, lo) in &a.track {
        // Nearest moment of `b` (its track is in time order).
        let k = b.track.partition_point(|p| p.0 < t);
        let near = [k.checked_sub(1), Some(k)]
            .into_iter()
            .flatten()
            .filter_map(|i| b.track.get(i))
            .min_by_key(|p| (p.0 - t).abs());
        let Some(&(tb, lb, ob)) = near else { continue };
        if (tb - t).abs() > SAME_MOMENT_MS {
            continue;
        }
        compared += 1;
        let d = crate::track::distance::step_m(
            f64::from(la),
            f64::from(lo),
            f64::from(lb),
            f64::from(ob),
        );
        if d <= SAME_PLACE_M {
            agree += 1;
        }
    }
    (compared > 0).then(|| agree as f64 / compared as f64)
}

/// How much a copy carries: channels first, then samples, then time covered (a partial
/// copy covers less), then the format's fidelity (FIT keeps device totals and barometric
/// flags that GPX and TCX lose).
fn richness(a: &Light) -> (usize, usize, i64, u8) {
    let format_rank = match a.format {
        Format::Fit => 2,
        Format::Tcx | Format::AppleHealth => 1,
        Format::Gpx => 0,
    };
    let span = a.span_ms.map(|(s, e)| e - s).unwrap_or(0);
    (a.channels, a.samples, span, format_rank)
}

/// Why `a` and `b` are one activity, or `None` if they are two.
fn same_activity(a: &Light, b: &Light) -> Option<String> {
    // Parts of one file (multisport sessions, chained recordings) are never copies of
    // each other.
    if a.source == b.source {
        return None;
    }
    let ((sa, ea), (sb, eb)) = (a.span_ms?, b.span_ms?);
    let start_gap = (sa - sb).abs() as f64 / 1000.0;
    let (da, db) = ((ea - sa) as f64 / 1000.0, (eb - sb) as f64 / 1000.0);
    let tol = (da.max(db) * SAME_DURATION_SHARE).max(SAME_START_S);
    if start_gap <= SAME_START_S && (da - db).abs() <= tol {
        return Some("same start and duration".into());
    }
    let overlap = (ea.min(eb) - sa.max(sb)) as f64 / 1000.0;
    let shorter = da.min(db);
    if shorter <= 0.0 || overlap < OVERLAP_SHARE * shorter || !sports_agree(a.sport, b.sport) {
        return None;
    }
    let share = overlap / shorter;
    let how = match places_agree(a, b).zip(places_agree(b, a)) {
        Some((x, y)) if x.min(y) >= AGREE_SHARE => "the same places",
        Some(_) => return None,
        None if share >= BLIND_OVERLAP_SHARE => "no positions to compare",
        None => return None,
    };
    Some(format!(
        "overlapping times ({:.0} % of the shorter, starts {} apart), {how}",
        share * 100.0,
        crate::units::hms(start_gap)
    ))
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
    let mut why: Vec<String> = vec![String::new(); n];
    for w in 0..order.len() {
        let (start_i, i) = order[w];
        if dropped_by[i].is_some() {
            continue;
        }
        let end_i = acts[i].span_ms.map(|(_, e)| e).unwrap_or(start_i);
        for &(start_j, j) in &order[w + 1..] {
            // Later starts cannot overlap this one, nor share its start.
            if start_j > end_i && (start_j - start_i) as f64 / 1000.0 > SAME_START_S {
                break;
            }
            if dropped_by[j].is_some() {
                continue;
            }
            let Some(reason) = same_activity(&acts[i], &acts[j]) else {
                continue;
            };
            // Keep the richer; on a tie keep the earlier path for determinism.
            let (ri, rj) = (richness(&acts[i]), richness(&acts[j]));
            let keep_i = ri > rj || (ri == rj && acts[i].source <= acts[j].source);
            if keep_i {
                dropped_by[j] = Some(i);
                why[j] = reason;
            } else {
                dropped_by[i] = Some(j);
                why[i] = reason;
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
            reason: why[i].clone(),
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
                dropped: "a.gpx".into(),
                reason: "same start and duration".into(),
            }]
        );
    }

    #[test]
    fn same_start_but_different_length_is_two_activities_unless_one_holds_the_other() {
        // Elsewhere: two activities.
        let mut elsewhere = act("b.fit", Format::Fit, 10, 3600, true);
        for s in &mut elsewhere.samples {
            s.lat_deg = Some(2.0);
        }
        let acts = vec![act("a.fit", Format::Fit, 0, 600, true), elsewhere];
        let (kept, dups) = dedupe(acts);
        assert_eq!(kept.len(), 2);
        assert!(dups.is_empty());
        // At the same places, the short one lies inside the long one: a partial copy.
        let acts = vec![
            act("a.fit", Format::Fit, 0, 600, true),
            act("b.fit", Format::Fit, 10, 3600, true),
        ];
        let (kept, dups) = dedupe(acts);
        assert_eq!(kept.len(), 1);
        assert_eq!(dups[0].dropped, PathBuf::from("a.fit"));
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

    /// A run along a line north from `lat0`, a point every 10 s from `start_s` to `end_s`
    /// of the run's clock, which began at 0.
    fn along(path: &str, format: Format, lat0: f64, start_s: i64, end_s: i64) -> Activity {
        let mut a = Activity::new(path.into(), format);
        a.sport = Sport::Running;
        for t in (start_s..=end_s).step_by(10) {
            a.samples.push(Sample {
                time_ms: Some(1_790_000_000_000 + t * 1000),
                lat_deg: Some(lat0 + t as f64 * 3.0 / 111_000.0),
                lon_deg: Some(6.0),
                ..Sample::default()
            });
        }
        a
    }

    #[test]
    fn a_copy_starting_twelve_minutes_later_at_the_same_places_is_one_run() {
        let watch = along("watch.fit", Format::Fit, 45.0, 0, 3600);
        let connect = along("connect.gpx", Format::Gpx, 45.0, 720, 3600);
        let (kept, dups) = dedupe(vec![connect, watch]);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].source, PathBuf::from("watch.fit"));
        assert_eq!(dups[0].dropped, PathBuf::from("connect.gpx"));
        assert!(
            dups[0].reason.contains(
                "overlapping times (100 % of the shorter, starts 12:00 apart), the same places"
            ),
            "{}",
            dups[0].reason
        );
    }

    #[test]
    fn overlapping_runs_in_other_places_or_sports_are_two() {
        // A friend's run at the same hour, 20 km away.
        let mine = along("mine.fit", Format::Fit, 45.0, 0, 3600);
        let theirs = along("theirs.fit", Format::Fit, 45.2, 300, 3600);
        assert_eq!(dedupe(vec![mine.clone(), theirs]).0.len(), 2);
        // The same places but a ride.
        let mut ride = along("ride.fit", Format::Fit, 45.0, 600, 3600);
        ride.sport = Sport::Cycling;
        assert_eq!(dedupe(vec![mine.clone(), ride]).0.len(), 2);
        // Overlapping only half of the shorter one.
        let later = along("later.fit", Format::Fit, 45.0, 1800, 5400);
        assert_eq!(dedupe(vec![mine, later]).0.len(), 2);
    }

    #[test]
    fn without_positions_only_a_near_whole_overlap_is_one() {
        let strip = |mut a: Activity| {
            for s in &mut a.samples {
                s.lat_deg = None;
                s.lon_deg = None;
            }
            a
        };
        let watch = strip(along("watch.fit", Format::Fit, 45.0, 0, 3600));
        let near = strip(along("copy.tcx", Format::Tcx, 45.0, 120, 3600));
        assert_eq!(dedupe(vec![watch.clone(), near]).0.len(), 1);
        let part = strip(along("part.tcx", Format::Tcx, 45.0, 0, 3000));
        let other = strip(along("other.tcx", Format::Tcx, 45.0, 400, 3600));
        assert_eq!(dedupe(vec![part, other]).0.len(), 2);
    }
}
