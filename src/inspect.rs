//! `racegap inspect`: what was read from each file, as text or JSON.

use crate::calendar::format_ms;
use crate::error::ReadError;
use crate::model::{Activity, Channels, DeviceTotals};
use crate::track::pace::effort_name;
use crate::track::{compute, ActivityStats, MetricsConfig};
use crate::units::{hms, Units};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::Path;

/// The inspection of one file: either what was read, or why nothing could be.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<ActivitySummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<ActivityStats>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorSummary {
    pub kind: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActivitySummary {
    pub format: String,
    pub gzipped: bool,
    pub device: Option<String>,
    pub sport: String,
    pub sport_raw: Option<String>,
    pub name: Option<String>,
    pub start_utc: Option<String>,
    pub utc_offset_s: Option<i32>,
    pub start_local: Option<String>,
    pub elapsed_s: Option<f64>,
    pub samples: usize,
    pub median_interval_s: Option<f64>,
    pub is_route: bool,
    pub channels: Channels,
    pub elevation_source: String,
    pub device_totals: DeviceTotals,
    pub waypoints: usize,
    pub warnings: Vec<String>,
}

impl ActivitySummary {
    pub fn of(a: &Activity) -> ActivitySummary {
        let start = a.start_ms();
        ActivitySummary {
            format: a.format.name().to_string(),
            gzipped: a.gzipped,
            device: a.device.clone(),
            sport: a.sport.name().to_string(),
            sport_raw: a.sport_raw.clone(),
            name: a.name.clone(),
            start_utc: start.map(|s| format_ms(s, None)),
            utc_offset_s: a.utc_offset_s,
            start_local: start.and_then(|s| a.utc_offset_s.map(|o| format_ms(s, Some(o)))),
            elapsed_s: a.elapsed_s(),
            samples: a.samples.len(),
            median_interval_s: median_interval_s(a),
            is_route: a.is_route(),
            channels: a.channels(),
            elevation_source: a.elevation_source.name().to_string(),
            device_totals: a.device_totals,
            waypoints: a.waypoints.len(),
            warnings: a.warnings.clone(),
        }
    }
}

/// Median spacing of consecutive timestamps: 1 s for "every second" recording, larger
/// and irregular for "smart" recording.
pub fn median_interval_s(a: &Activity) -> Option<f64> {
    let times: Vec<i64> = a.samples.iter().filter_map(|s| s.time_ms).collect();
    let mut d: Vec<i64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    if d.is_empty() {
        return None;
    }
    let mid = d.len() / 2;
    let (_, m, _) = d.select_nth_unstable(mid);
    Some(*m as f64 / 1000.0)
}

impl FileReport {
    /// One report per activity the file holds (with its metrics when `cfg` is given), or
    /// one error report.
    pub fn from_result(
        path: &Path,
        result: &Result<Vec<Activity>, ReadError>,
        cfg: Option<&MetricsConfig>,
    ) -> Vec<FileReport> {
        match result {
            Ok(acts) => acts
                .iter()
                .map(|a| FileReport {
                    path: a.label(),
                    ok: true,
                    activity: Some(ActivitySummary::of(a)),
                    metrics: cfg.map(|c| compute(a, c)),
                    error: None,
                })
                .collect(),
            Err(e) => vec![FileReport {
                path: path.display().to_string(),
                ok: false,
                activity: None,
                metrics: None,
                error: Some(ErrorSummary {
                    kind: e.kind(),
                    message: e.to_string(),
                }),
            }],
        }
    }

    /// The multi-line text block printed for this file, in `units`.
    pub fn to_text(&self, units: Units) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.path);
        let row = |out: &mut String, k: &str, v: &str| {
            let _ = writeln!(out, "  {k:<16}{v}");
        };
        if let Some(e) = &self.error {
            row(&mut out, "error", &e.message);
            return out;
        }
        let Some(a) = &self.activity else {
            return out;
        };
        let gz = if a.gzipped { " (gzipped)" } else { "" };
        row(&mut out, "format", &format!("{}{gz}", a.format));
        row(&mut out, "device", a.device.as_deref().unwrap_or("unknown"));
        let sport = match &a.sport_raw {
            Some(raw) if !raw.eq_ignore_ascii_case(&a.sport) => format!("{} ({raw})", a.sport),
            _ => a.sport.to_string(),
        };
        row(&mut out, "sport", &sport);
        if let Some(n) = &a.name {
            row(&mut out, "name", n);
        }
        match (&a.start_utc, &a.start_local) {
            (Some(u), Some(l)) => row(&mut out, "start", &format!("{u} (local {l})")),
            (Some(u), None) => row(&mut out, "start", &format!("{u} (local offset unknown)")),
            _ => row(
                &mut out,
                "start",
                "no timestamps (a planned route or course)",
            ),
        }
        if let Some(e) = a.elapsed_s {
            let timer = a
                .device_totals
                .timer_time_s
                .map(|t| format!(", device timer {}", hms(t)))
                .unwrap_or_default();
            row(&mut out, "duration", &format!("{} elapsed{timer}", hms(e)));
        }
        let interval = a
            .median_interval_s
            .map(|i| format!(" (median interval {i} s)"))
            .unwrap_or_default();
        row(&mut out, "samples", &format!("{}{interval}", a.samples));
        let mut ch: Vec<String> = Vec::new();
        for name in a.channels.names() {
            if name == "elevation" {
                ch.push(format!("elevation ({})", a.elevation_source));
            } else {
                ch.push(name.replace('_', " "));
            }
        }
        row(&mut out, "channels", &ch.join(", "));
        let t = &a.device_totals;
        let mut totals = Vec::new();
        if let Some(d) = t.distance_m {
            totals.push(format!("distance {}", units.distance(d)));
        }
        if let Some(v) = t.ascent_m {
            totals.push(format!("ascent {}", units.height(v)));
        }
        if let Some(v) = t.descent_m {
            totals.push(format!("descent {}", units.height(v)));
        }
        if !totals.is_empty() {
            row(&mut out, "device totals", &totals.join(", "));
        }
        if a.waypoints > 0 {
            row(&mut out, "waypoints", &a.waypoints.to_string());
        }
        let mut problems: Vec<&str> = a.warnings.iter().map(String::as_str).collect();
        if let Some(m) = &self.metrics {
            metrics_text(m, units, &mut |k, v| row(&mut out, k, v));
            problems.extend(m.problems.iter().map(String::as_str));
        }
        if problems.is_empty() {
            row(&mut out, "problems", "none");
        } else {
            for (i, w) in problems.iter().enumerate() {
                row(&mut out, if i == 0 { "problems" } else { "" }, w);
            }
        }
        out
    }
}

/// The metrics block of `inspect`, one (label, value) row at a time.
fn metrics_text(m: &ActivityStats, u: Units, row: &mut dyn FnMut(&str, &str)) {
    let src = match m.distance_source {
        crate::track::DistanceSource::Device => "device",
        crate::track::DistanceSource::Gps => "GPS",
        crate::track::DistanceSource::None => "none",
    };
    let gps = match (m.distance_source, m.gps_distance_m) {
        (crate::track::DistanceSource::Device, Some(g)) => format!("; GPS {}", u.distance(g)),
        _ => String::new(),
    };
    row(
        "distance",
        &format!("{} ({src}{gps})", u.distance(m.distance_m)),
    );
    let pauses = if m.pauses > 0 {
        format!(" ({} pause(s), {})", m.pauses, hms(m.paused_s))
    } else {
        String::new()
    };
    row("moving time", &format!("{}{pauses}", hms(m.moving_s)));
    if let Some(p) = m.pace_s_per_km {
        let gap = m
            .gap_s_per_km
            .map(|g| format!(", grade-adjusted {}", u.pace(g)))
            .unwrap_or_default();
        row("pace", &format!("{}{gap}", u.pace(p)));
    }
    if let (Some(up), Some(down)) = (m.ascent_m, m.descent_m) {
        let dev = match (m.device_ascent_m, m.device_descent_m) {
            (Some(a), Some(d)) => format!(" (device +{} / -{})", u.height(a), u.height(d)),
            _ => String::new(),
        };
        let range = match (m.min_elevation_m, m.max_elevation_m) {
            // "from .. to": a range of negative heights reads "-34 to -15 m", not "-34--15 m".
            (Some(lo), Some(hi)) => format!(
                ", {:.0} to {}",
                crate::units::tidy(u.height_value(lo), 0),
                u.height(hi)
            ),
            _ => String::new(),
        };
        row(
            "elevation",
            &format!("+{} / -{}{dev}{range}", u.height(up), u.height(down)),
        );
    }
    for (label, c) in [
        ("biggest climb", m.biggest_climb()),
        ("biggest descent", m.biggest_descent()),
    ] {
        if let Some(c) = c {
            row(
                label,
                &format!(
                    "{} over {} ({:.1} %, steepest {:.1} %) from {}",
                    u.height(c.gain_m),
                    u.distance(c.length_m),
                    c.mean_grade * 100.0,
                    c.max_grade * 100.0,
                    u.at(c.start_m)
                ),
            );
        }
    }
    if m.downhill_distance_m > 0.0 {
        row(
            "downhill",
            &format!("{} steeper than -5 %", u.distance(m.downhill_distance_m)),
        );
    }
    if let Some(g) = m.goal_pace.as_ref().filter(|g| g.distance_m == 0.0) {
        row(
            "goal pace",
            &format!(
                "{} ±{:.0} %: none",
                u.pace(g.goal_pace_s_per_km),
                g.tolerance * 100.0
            ),
        );
    }
    if let Some(g) = m.goal_pace.as_ref().filter(|g| g.distance_m > 0.0) {
        row(
            "goal pace",
            &format!(
                "{} ±{:.0} %: {} in all, longest {} ({}) from {}",
                u.pace(g.goal_pace_s_per_km),
                g.tolerance * 100.0,
                u.distance(g.distance_m),
                u.distance(g.longest_m),
                hms(g.longest_s),
                u.at(g.longest_start_m)
            ),
        );
    }
    if let Some(f) = m.fade_pct {
        row(
            "fade",
            &format!("{f:+.1} % (grade-adjusted pace, last quarter vs first half)"),
        );
    }
    if !m.best_efforts.is_empty() {
        let list: Vec<String> = m
            .best_efforts
            .iter()
            .map(|b| format!("{} {}", effort_name(b.distance_m), hms(b.time_s)))
            .collect();
        row("best efforts", &list.join(", "));
    }
    if let Some(h) = &m.heat {
        let bands: Vec<String> = h
            .minutes_at_or_above
            .iter()
            .map(|(b, mins)| format!("{mins:.0} min ≥ {}", u.temperature(*b)))
            .collect();
        row(
            "temperature",
            &format!(
                "mean {}, max {}{}; {}",
                u.temperature_dp(h.mean_c, 1),
                u.temperature(h.max_c),
                match h.settled_max_c {
                    // The first minutes' warmth is the watch's: say what the air gave.
                    Some(m) if h.max_c - m >= 2.0 => {
                        format!(" ({} once the sensor settled)", u.temperature(m))
                    }
                    _ => String::new(),
                },
                bands.join(", ")
            ),
        );
    }
    if let Some(h) = &m.heart_rate {
        let zones = h
            .zone_minutes
            .map(|z| {
                let v: Vec<String> = z
                    .iter()
                    .enumerate()
                    .map(|(i, m)| format!("Z{} {m:.0}", i + 1))
                    .collect();
                format!("; minutes in zones: {}", v.join(", "))
            })
            .unwrap_or_default();
        row(
            "heart rate",
            &format!("mean {:.0}, max {:.0} bpm{zones}", h.mean_bpm, h.max_bpm),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, Sample};

    fn timed(ms: &[i64]) -> Activity {
        let mut a = Activity::new("t.fit".into(), Format::Fit);
        a.samples = ms
            .iter()
            .map(|&t| Sample {
                time_ms: Some(t),
                ..Sample::default()
            })
            .collect();
        a
    }

    #[test]
    fn the_median_interval_of_smart_and_one_second_recording() {
        assert_eq!(median_interval_s(&timed(&[0, 1000, 2000, 3000])), Some(1.0));
        // Smart recording: 1 s while things change, 5-7 s otherwise.
        let smart = timed(&[0, 1000, 6000, 11_000, 18_000, 23_000]);
        assert_eq!(median_interval_s(&smart), Some(5.0));
        assert_eq!(median_interval_s(&timed(&[0])), None);
    }

    #[test]
    fn a_refused_file_is_one_report_with_its_error_kind() {
        let r: Result<Vec<Activity>, ReadError> = Err(ReadError::Empty);
        let reports = FileReport::from_result(Path::new("e.gpx"), &r, None);
        assert_eq!(reports.len(), 1);
        assert!(!reports[0].ok);
        let e = reports[0].error.as_ref().unwrap();
        assert_eq!((e.kind, e.message.as_str()), ("empty", "file is empty"));
    }
}
