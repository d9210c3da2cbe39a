//! Plain data shared by every stage: activities, samples, sports, formats; units in field names.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The file formats racegap reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Gpx,
    Tcx,
    Fit,
    /// A workout of Apple Health's `export.xml` (with its route's GPX, when it has one).
    AppleHealth,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Gpx => "GPX",
            Format::Tcx => "TCX",
            Format::Fit => "FIT",
            Format::AppleHealth => "Apple Health",
        }
    }
}

/// What the athlete was doing, normalised across the formats' vocabularies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sport {
    Running,
    Walking,
    Hiking,
    Cycling,
    Swimming,
    Skiing,
    Other,
    Unknown,
}

impl Sport {
    /// Maps the many spellings used by FIT (`running`), TCX (`Running`, `Biking`),
    /// GPX `<type>` (Garmin `running`, Strava numeric codes such as `9`) and the
    /// Strava `activities.csv` "Activity Type" column (`Run`, `Trail Run`, `Ride`).
    pub fn parse(raw: &str) -> Sport {
        let s = raw.trim().to_lowercase();
        let s = s.replace(['_', '-'], " ");
        // Activity types as Strava and Garmin write them in other languages.
        const RUN: &[&str] = &[
            "lauf",
            "course à pied",
            "carrera",
            "corsa",
            "hardloopsessie",
            "hardlopen",
            "löpning",
            "juoksu",
            "corrida",
        ];
        const RIDE: &[&str] = &[
            "radfahrt",
            "vélo",
            "sortie à vélo",
            "ciclismo",
            "fietsrit",
            "pedalada",
            "cykeltur",
        ];
        const WALK: &[&str] = &[
            "spaziergang",
            "marche",
            "caminata",
            "camminata",
            "wandeling",
            "caminhada",
        ];
        const HIKE: &[&str] = &[
            "wanderung",
            "randonnée",
            "senderismo",
            "escursionismo",
            "wandeltocht",
        ];
        if RUN.iter().any(|w| s.contains(w)) {
            return Sport::Running;
        }
        if RIDE.iter().any(|w| s.contains(w)) {
            return Sport::Cycling;
        }
        if HIKE.iter().any(|w| s.contains(w)) {
            return Sport::Hiking;
        }
        if WALK.iter().any(|w| s.contains(w)) {
            return Sport::Walking;
        }
        match s.as_str() {
            "" => Sport::Unknown,
            // Strava's numeric activity types found in GPX exports.
            "9" => Sport::Running,
            "1" => Sport::Cycling,
            "10" => Sport::Walking,
            "4" => Sport::Hiking,
            "16" => Sport::Swimming,
            _ if s.contains("run") || s == "jog" || s.contains("treadmill") => Sport::Running,
            _ if s.contains("walk") => Sport::Walking,
            _ if s.contains("hik") => Sport::Hiking,
            _ if s.contains("bik")
                || s.contains("cycl")
                || s.contains("ride")
                || s.contains("bicycl") =>
            {
                Sport::Cycling
            }
            _ if s.contains("swim") => Sport::Swimming,
            _ if s.contains("ski") => Sport::Skiing,
            "generic" | "other" | "all" => Sport::Other,
            _ => Sport::Other,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Sport::Running => "running",
            Sport::Walking => "walking",
            Sport::Hiking => "hiking",
            Sport::Cycling => "cycling",
            Sport::Swimming => "swimming",
            Sport::Skiing => "skiing",
            Sport::Other => "other",
            Sport::Unknown => "unknown",
        }
    }

    /// Sports whose time on feet counts as running-specific training.
    pub fn is_on_foot(self) -> bool {
        matches!(self, Sport::Running | Sport::Walking | Sport::Hiking)
    }
}

/// Where the elevation channel comes from; it decides how much smoothing it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElevationSource {
    /// A pressure altimeter (watch or bike computer with a barometer).
    Barometric,
    /// Satellite-derived altitude: noisy, needs heavier smoothing.
    Gps,
    /// Elevation added after the fact from a terrain model (planned routes, courses).
    Model,
    /// No elevation in the file.
    None,
}

impl ElevationSource {
    pub fn name(self) -> &'static str {
        match self {
            ElevationSource::Barometric => "barometric",
            ElevationSource::Gps => "GPS",
            ElevationSource::Model => "terrain model",
            ElevationSource::None => "none",
        }
    }
}

/// One fix of the recording. Every channel is optional: files carry different subsets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// UTC time, milliseconds since the Unix epoch.
    pub time_ms: Option<i64>,
    pub lat_deg: Option<f64>,
    pub lon_deg: Option<f64>,
    pub elevation_m: Option<f64>,
    pub heart_rate_bpm: Option<f64>,
    pub temperature_c: Option<f64>,
    /// Cadence as the device records it (per foot for running, crank rpm for cycling).
    pub cadence_rpm: Option<f64>,
    pub power_w: Option<f64>,
    /// The device's own cumulative distance, where it records one.
    pub device_distance_m: Option<f64>,
    /// The device's own instantaneous speed, where it records one.
    pub device_speed_mps: Option<f64>,
}

impl Sample {
    pub fn has_position(&self) -> bool {
        self.lat_deg.is_some() && self.lon_deg.is_some()
    }
}

/// A named point of a course or activity file (aid stations, summits, checkpoints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waypoint {
    pub name: Option<String>,
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub elevation_m: Option<f64>,
}

/// Totals the recording device computed itself (FIT session, TCX laps); the reference
/// our own numbers are checked against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceTotals {
    pub distance_m: Option<f64>,
    pub ascent_m: Option<f64>,
    pub descent_m: Option<f64>,
    /// Timer time: time with the clock running, pauses excluded.
    pub timer_time_s: Option<f64>,
    pub elapsed_time_s: Option<f64>,
}

/// Which channels an activity carries (at least one sample has a value).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channels {
    pub time: bool,
    pub position: bool,
    pub elevation: bool,
    pub heart_rate: bool,
    pub temperature: bool,
    pub cadence: bool,
    pub power: bool,
    pub device_distance: bool,
}

impl Channels {
    pub fn of(samples: &[Sample]) -> Channels {
        let mut c = Channels::default();
        for s in samples {
            c.time |= s.time_ms.is_some();
            c.position |= s.has_position();
            c.elevation |= s.elevation_m.is_some();
            c.heart_rate |= s.heart_rate_bpm.is_some();
            c.temperature |= s.temperature_c.is_some();
            c.cadence |= s.cadence_rpm.is_some();
            c.power |= s.power_w.is_some();
            c.device_distance |= s.device_distance_m.is_some();
        }
        c
    }

    /// How many channels are present; used to prefer the richer copy of a duplicate.
    pub fn count(&self) -> usize {
        [
            self.time,
            self.position,
            self.elevation,
            self.heart_rate,
            self.temperature,
            self.cadence,
            self.power,
            self.device_distance,
        ]
        .iter()
        .filter(|b| **b)
        .count()
    }

    /// Names of the channels present, in a fixed order.
    pub fn names(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        for (on, name) in [
            (self.time, "time"),
            (self.position, "position"),
            (self.elevation, "elevation"),
            (self.heart_rate, "heart_rate"),
            (self.temperature, "temperature"),
            (self.cadence, "cadence"),
            (self.power, "power"),
            (self.device_distance, "device_distance"),
        ] {
            if on {
                v.push(name);
            }
        }
        v
    }
}

/// One recorded (or planned) activity, whatever format it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub source: PathBuf,
    pub format: Format,
    /// The file was gzip-compressed on disk.
    pub gzipped: bool,
    /// For files holding several activities (multisport FIT sessions, multi-activity TCX):
    /// which one this is, from 1, and how many the file holds.
    pub part: Option<(usize, usize)>,
    pub name: Option<String>,
    pub sport: Sport,
    /// The sport as the file (or `activities.csv`) spelled it.
    pub sport_raw: Option<String>,
    /// Device or program that wrote the file (FIT manufacturer/product, GPX creator, TCX Creator).
    pub device: Option<String>,
    /// Offset of the athlete's local time from UTC at the start, where the file says.
    pub utc_offset_s: Option<i32>,
    pub elevation_source: ElevationSource,
    pub samples: Vec<Sample>,
    pub waypoints: Vec<Waypoint>,
    pub device_totals: DeviceTotals,
    /// Things found wrong that did not stop the read (truncation, bad CRC, dropped points).
    pub warnings: Vec<String>,
}

impl Activity {
    pub fn new(source: PathBuf, format: Format) -> Activity {
        Activity {
            source,
            format,
            gzipped: false,
            part: None,
            name: None,
            sport: Sport::Unknown,
            sport_raw: None,
            device: None,
            utc_offset_s: None,
            elevation_source: ElevationSource::None,
            samples: Vec::new(),
            waypoints: Vec::new(),
            device_totals: DeviceTotals::default(),
            warnings: Vec::new(),
        }
    }

    /// The source path, with the part number for multi-activity files.
    pub fn label(&self) -> String {
        match self.part {
            Some((i, n)) => format!("{} [part {i}/{n}]", self.source.display()),
            None => self.source.display().to_string(),
        }
    }

    pub fn channels(&self) -> Channels {
        Channels::of(&self.samples)
    }

    /// First and last timestamps of the recording.
    pub fn time_span_ms(&self) -> Option<(i64, i64)> {
        let first = self.samples.iter().find_map(|s| s.time_ms)?;
        let last = self.samples.iter().rev().find_map(|s| s.time_ms)?;
        Some((first, last))
    }

    pub fn start_ms(&self) -> Option<i64> {
        self.time_span_ms().map(|(a, _)| a)
    }

    /// Elapsed time from the first to the last timestamp.
    /// From the earliest to the latest timestamp (a clock that jumped back cannot make it
    /// negative).
    pub fn elapsed_s(&self) -> Option<f64> {
        let times = self.samples.iter().filter_map(|s| s.time_ms);
        let (lo, hi) = times.fold((i64::MAX, i64::MIN), |(lo, hi), t| (lo.min(t), hi.max(t)));
        (lo <= hi).then(|| (hi - lo) as f64 / 1000.0)
    }

    /// A file with points but no timestamps is a planned route or course, not a recording.
    pub fn is_route(&self) -> bool {
        !self.samples.is_empty() && self.samples.iter().all(|s| s.time_ms.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sport_spellings_map_to_one_vocabulary() {
        for (raw, want) in [
            ("running", Sport::Running),
            ("Running", Sport::Running),
            ("Trail Run", Sport::Running),
            ("trail_running", Sport::Running),
            ("9", Sport::Running),
            ("Biking", Sport::Cycling),
            ("Ride", Sport::Cycling),
            ("cycling", Sport::Cycling),
            ("Walk", Sport::Walking),
            ("Hike", Sport::Hiking),
            ("swimming", Sport::Swimming),
            ("cross_country_skiing", Sport::Skiing),
            ("Other", Sport::Other),
            ("", Sport::Unknown),
        ] {
            assert_eq!(Sport::parse(raw), want, "{raw}");
        }
    }

    #[test]
    fn channels_count_what_any_sample_has() {
        let s = [
            Sample {
                time_ms: Some(0),
                heart_rate_bpm: Some(120.0),
                ..Sample::default()
            },
            Sample {
                lat_deg: Some(1.0),
                lon_deg: Some(2.0),
                ..Sample::default()
            },
        ];
        let c = Channels::of(&s);
        assert_eq!(c.names(), vec!["time", "position", "heart_rate"]);
        assert_eq!(c.count(), 3);
    }

    #[test]
    fn route_is_points_without_times() {
        let mut a = Activity::new("x.gpx".into(), Format::Gpx);
        assert!(!a.is_route());
        a.samples.push(Sample {
            lat_deg: Some(1.0),
            lon_deg: Some(1.0),
            ..Sample::default()
        });
        assert!(a.is_route());
        a.samples[0].time_ms = Some(5);
        assert!(!a.is_route());
        assert_eq!(a.elapsed_s(), Some(0.0));
    }
}
