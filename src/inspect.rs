//! `racegap inspect`: what was read from each file, as text or JSON.

use crate::error::ReadError;
use crate::ingest::time::format_ms;
use crate::model::{Activity, Channels, DeviceTotals};
use crate::units::{hms, km};
use serde::Serialize;
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
    pub error: Option<ErrorSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorSummary {
    pub kind: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivitySummary {
    pub format: &'static str,
    pub gzipped: bool,
    pub device: Option<String>,
    pub sport: &'static str,
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
    pub elevation_source: &'static str,
    pub device_totals: DeviceTotals,
    pub waypoints: usize,
    pub warnings: Vec<String>,
}

impl ActivitySummary {
    pub fn of(a: &Activity) -> ActivitySummary {
        let start = a.start_ms();
        ActivitySummary {
            format: a.format.name(),
            gzipped: a.gzipped,
            device: a.device.clone(),
            sport: a.sport.name(),
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
            elevation_source: a.elevation_source.name(),
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
    /// One report per activity the file holds, or one error report.
    pub fn from_result(path: &Path, result: &Result<Vec<Activity>, ReadError>) -> Vec<FileReport> {
        match result {
            Ok(acts) => acts
                .iter()
                .map(|a| FileReport {
                    path: a.label(),
                    ok: true,
                    activity: Some(ActivitySummary::of(a)),
                    error: None,
                })
                .collect(),
            Err(e) => vec![FileReport {
                path: path.display().to_string(),
                ok: false,
                activity: None,
                error: Some(ErrorSummary {
                    kind: e.kind(),
                    message: e.to_string(),
                }),
            }],
        }
    }

    /// The multi-line text block printed for this file.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.path);
        let row = |out: &mut String, k: &str, v: &str| {
            let _ = writeln!(out, "  {k:<14}{v}");
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
            Some(raw) if !raw.eq_ignore_ascii_case(a.sport) => format!("{} ({raw})", a.sport),
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
            totals.push(format!("distance {}", km(d)));
        }
        if let Some(v) = t.ascent_m {
            totals.push(format!("ascent {v:.0} m"));
        }
        if let Some(v) = t.descent_m {
            totals.push(format!("descent {v:.0} m"));
        }
        if !totals.is_empty() {
            row(&mut out, "device totals", &totals.join(", "));
        }
        if a.waypoints > 0 {
            row(&mut out, "waypoints", &a.waypoints.to_string());
        }
        if a.warnings.is_empty() {
            row(&mut out, "problems", "none");
        } else {
            for (i, w) in a.warnings.iter().enumerate() {
                row(&mut out, if i == 0 { "problems" } else { "" }, w);
            }
        }
        out
    }
}
