//! Moving time and pauses. A step counts as moving when the recording did not stop (a gap
//! longer than `MAX_GAP_S` is an auto-pause or lost signal) and the speed over a ±5 s window
//! is at least `MIN_SPEED_MPS`; slow stretches shorter than `MIN_PAUSE_S` still count as
//! moving (turning, a stumble), longer ones are pauses (speed under 0.5 m/s for over 10 s).

/// Slower than this is standing still.
pub const MIN_SPEED_MPS: f64 = 0.5;
/// A slow stretch must last this long to count as a pause.
pub const MIN_PAUSE_S: f64 = 10.0;
/// A step longer than this is a gap in the recording, never moving time.
pub const MAX_GAP_S: f64 = 30.0;
/// Over a GPS gap, a displacement at this speed or more was made moving (a brisk walk):
/// a watch that auto-pauses stands still, and resumes when its wearer moves.
pub const GPS_GAP_MOVING_MPS: f64 = 1.0;
/// Half-width of the window the speed is measured over.
const WINDOW_HALF_S: f64 = 5.0;

/// Moving time and the pauses found.
#[derive(Debug, Clone, PartialEq)]
pub struct Moving {
    /// Per step (i-1 → i; index 0 unused): did it count as moving?
    pub moving: Vec<bool>,
    /// Per step: a gap in the recording (a device pause or lost signal). Best efforts never
    /// span one.
    pub gaps: Vec<bool>,
    pub moving_s: f64,
    pub paused_s: f64,
    pub pauses: usize,
}

/// `t` in seconds (strictly increasing), `d` cumulative metres (empty: no distance known, so
/// only gaps are removed). A long step over which the distance advanced at least at
/// `gap_moving_mps` is sparse sampling or lost signal while moving, not a pause: a
/// treadmill run recorded once a minute (the device's own distance stream stands still
/// while it is paused), or a run through a tunnel. `None`: every long step is a gap.
pub fn moving(t: &[f64], d: &[f64], gap_moving_mps: Option<f64>) -> Moving {
    let n = t.len();
    let mut slow = vec![false; n];
    let mut gap = vec![false; n];
    let (mut lo, mut hi) = (0usize, 0usize);
    for i in 1..n {
        let dt = t[i] - t[i - 1];
        let advanced = gap_moving_mps.is_some_and(|v| d.len() == n && (d[i] - d[i - 1]) / dt >= v);
        gap[i] = dt > MAX_GAP_S && !advanced;
        if d.len() == n {
            while t[lo] < t[i] - WINDOW_HALF_S && lo < i - 1 {
                lo += 1;
            }
            hi = hi.max(i);
            while hi + 1 < n && t[hi + 1] <= t[i] + WINDOW_HALF_S {
                hi += 1;
            }
            let span = t[hi] - t[lo];
            let v = if span > 0.0 {
                (d[hi] - d[lo]) / span
            } else {
                0.0
            };
            slow[i] = v < MIN_SPEED_MPS;
        }
    }
    let mut out = Moving {
        gaps: gap.clone(),
        moving: vec![false; n],
        moving_s: 0.0,
        paused_s: 0.0,
        pauses: 0,
    };
    let mut i = 1;
    while i < n {
        if gap[i] {
            out.paused_s += t[i] - t[i - 1];
            out.pauses += 1;
            i += 1;
            continue;
        }
        if !slow[i] {
            out.moving[i] = true;
            out.moving_s += t[i] - t[i - 1];
            i += 1;
            continue;
        }
        // A run of slow steps (not crossing a gap).
        let start = i;
        while i < n && slow[i] && !gap[i] {
            i += 1;
        }
        let dur = t[i - 1] - t[start - 1];
        if dur >= MIN_PAUSE_S {
            out.paused_s += dur;
            out.pauses += 1;
        } else {
            for k in start..i {
                out.moving[k] = true;
            }
            out.moving_s += dur;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_at_lights_and_an_auto_pause_gap_are_excluded() {
        // 100 s running at 3 m/s, 30 s standing, 100 s running, a 120 s gap, 50 s running.
        let mut t = Vec::new();
        let mut d = Vec::new();
        let mut x = 0.0;
        for s in 0..=280 {
            let s = s as f64;
            if s > 0.0 && !(100.0..130.0).contains(&(s - 1.0)) {
                x += 3.0;
            }
            t.push(s);
            d.push(x);
        }
        t.push(280.0 + 120.0);
        d.push(x);
        for k in 1..=50 {
            x += 3.0;
            t.push(400.0 + k as f64);
            d.push(x);
        }
        let m = moving(&t, &d, None);
        assert_eq!(m.pauses, 2, "{m:?}");
        // Moving: 100 + 150 + 50 s, less what the ±5 s window blurs at the stop's edges.
        assert!((m.moving_s - 300.0).abs() <= 10.0, "{}", m.moving_s);
        assert!((m.paused_s - 150.0).abs() <= 10.0, "{}", m.paused_s);
    }

    #[test]
    fn a_short_slow_moment_is_still_moving() {
        let t: Vec<f64> = (0..60).map(|s| s as f64).collect();
        let mut d = Vec::new();
        let mut x = 0.0;
        for s in 0..60 {
            if !(30..34).contains(&s) {
                x += 3.0;
            }
            d.push(x);
        }
        let m = moving(&t, &d, None);
        assert_eq!(m.pauses, 0);
        assert_eq!(m.moving_s, 59.0);
    }

    #[test]
    fn a_device_stream_sampled_once_a_minute_is_moving_throughout() {
        // 28 minutes on a treadmill at 3.33 m/s, one sample a minute.
        let t: Vec<f64> = (0..=28).map(|m| m as f64 * 60.0).collect();
        let d: Vec<f64> = t.iter().map(|s| s * 3.333).collect();
        let m = moving(&t, &d, Some(MIN_SPEED_MPS));
        assert_eq!(m.moving_s, 1680.0);
        assert!(m.gaps.iter().all(|g| !g));
        // The same from GPS, where a long step may hide a pause: gaps as before.
        assert_eq!(moving(&t, &d, None).moving_s, 0.0);
    }

    #[test]
    fn without_distance_only_gaps_are_removed() {
        let t = [0.0, 1.0, 2.0, 100.0, 101.0];
        let m = moving(&t, &[], None);
        assert_eq!(m.moving_s, 3.0);
        assert_eq!(m.pauses, 1);
        assert_eq!(moving(&[], &[], None).moving_s, 0.0);
    }
}
