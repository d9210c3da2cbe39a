//! The target race: its specification (from `race.toml` and flags) and what its course
//! demands — distance, climbing, the climbs and descents themselves, target paces per
//! segment for the goal, and the aid stations.

use crate::calendar::{format_day, parse_date};
use crate::error::ReadError;
use crate::ingest::read_path;
use crate::model::{Activity, Waypoint};
use crate::track::climbs::{self, Climb};
use crate::track::course::ElevationUnit;
use crate::track::distance::step_m;
use crate::track::gap::{self, GapModel};
use crate::units::{hms, parse_duration, parse_hms, Units};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Default training block: the 16 weeks before the race (a typical marathon plan).
pub const DEFAULT_BLOCK_WEEKS: u32 = 16;
/// Waypoints farther than this from the course are not aid stations on it.
pub const AID_STATION_MAX_OFF_COURSE_M: f64 = 300.0;
/// Length of the course segments that get their own target pace.
pub const SEGMENT_M: f64 = 1000.0;

/// What is wrong with a race specification.
#[derive(Debug, Error, PartialEq)]
pub enum RaceError {
    #[error("no course given: set `course` in the race file or pass --course")]
    MissingCourse,
    #[error("no race date given: set `date` in the race file or pass --date")]
    MissingDate,
    #[error("course {path}: {error}")]
    Course { path: String, error: ReadError },
    #[error("course {0}: has no track or route with a position (an indoor recording has none; a file of waypoints only is given with --waypoints beside the course)")]
    EmptyCourse(String),
    #[error("goal time {0:?} is not a time like 3:30:00 or 3h30")]
    BadGoalTime(String),
    #[error("goal time {text:?} ({shown}) is faster than the road world records allow on this course ({record} for {distance} with its climbing){hint}")]
    GoalTooFast {
        text: String,
        shown: String,
        distance: String,
        record: String,
        hint: String,
    },
    #[error("goal time {text:?} ({shown}) is slower than any race allows for {distance} (over {limit}){hint}")]
    GoalTooSlow {
        text: String,
        shown: String,
        distance: String,
        limit: String,
        hint: String,
    },
    #[error("{field} {text:?} is not a temperature like 22, 22C or 72F")]
    BadTemperature { field: &'static str, text: String },
    #[error("{field} = {value} °C is outside the sane range -30..=50 °C{hint}")]
    TemperatureOutOfRange {
        field: &'static str,
        value: String,
        hint: String,
    },
    #[error("race date {0:?} is not a date like 2026-11-15")]
    BadDate(String),
    #[error("start time {0:?} is not a time of day like 09:00")]
    BadStartTime(String),
    #[error("race file {path}: {message}")]
    File { path: String, message: String },
    #[error("{field} = {value} is outside the sane range {lo}..={hi}{unit}")]
    OutOfRange {
        field: &'static str,
        value: String,
        lo: f64,
        hi: f64,
        unit: &'static str,
    },
    #[error("course {path}: {length_m:.0} m long; a race course is between {min_m:.0} m and {max_km:.0} km")]
    CourseLength {
        path: String,
        length_m: f64,
        min_m: f64,
        max_km: f64,
    },
    #[error("waypoints {path}: {error}")]
    Waypoints { path: String, error: ReadError },
    #[error("the official distance {declared_km} km is {share:.0} % off the course file's {course_km:.2} km: is it the right course, or the right distance?")]
    DistanceMismatch {
        declared_km: f64,
        course_km: f64,
        share: f64,
    },
    #[error("race date {date} is before the training history, which starts {first}")]
    DateBeforeHistory { date: String, first: String },
}

/// `race.toml` as written by the user; every field optional, flags override.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RaceFile {
    pub name: Option<String>,
    pub course: Option<PathBuf>,
    /// A separate file of waypoints (aid stations, summits), as organisers publish them.
    pub waypoints: Option<PathBuf>,
    pub goal_time: Option<String>,
    pub date: Option<String>,
    pub start_time: Option<String>,
    pub expected_temperature_c: Option<f64>,
    pub humidity_pct: Option<f64>,
    pub block_weeks: Option<u32>,
    /// Added to training temperature readings (negative for a wrist sensor reading warm).
    pub temperature_offset_c: Option<f64>,
    pub max_hr_bpm: Option<f64>,
    /// `m`, `ft` or `auto`: the unit of the course file's elevations.
    pub elevation_unit: Option<ElevationUnit>,
    /// The race's official distance, when the course file measures otherwise.
    pub distance_km: Option<f64>,
    /// `strava` (default) or `minetti`: the grade-adjusted pace model.
    pub gap_model: Option<GapModel>,
    /// The race's kind (`mountain-ultra`, `road-marathon`, `trail`, `10k`...), else inferred
    /// from the course.
    pub kind: Option<String>,
    /// `metric` (default) or `imperial`: the units of what racegap prints and draws.
    pub units: Option<Units>,
}

/// A race file is a few lines of TOML; anything larger is not one.
pub const MAX_RACE_FILE_BYTES: u64 = 1 << 20;

/// Sane ranges of the race settings: each bounds the work a value can cause (weeks drawn,
/// bars in a chart) and refuses a typo before it becomes a verdict.
pub mod limits {
    /// One minute to 30 days: from the shortest race to the longest multi-day event.
    pub const GOAL_S: (f64, f64) = (60.0, 30.0 * 86_400.0);
    /// Two years of build-up at most.
    pub const BLOCK_WEEKS: (f64, f64) = (1.0, 104.0);
    /// Race-day air temperature, °C.
    pub const TEMPERATURE_C: (f64, f64) = (-30.0, 50.0);
    pub const HUMIDITY_PCT: (f64, f64) = (0.0, 100.0);
    /// Correction added to a sensor's readings, °C.
    pub const TEMPERATURE_OFFSET_C: (f64, f64) = (-20.0, 20.0);
    /// Maximum heart rates of adults lie within about 140-220 bpm.
    pub const MAX_HR_BPM: (f64, f64) = (100.0, 250.0);
    /// Race dates (years).
    pub const YEAR: (f64, f64) = (1990.0, 2100.0);
    /// A course shorter than this is a point, not a course.
    pub const COURSE_MIN_M: f64 = 200.0;
    /// A course longer than this is no foot race.
    pub const COURSE_MAX_M: f64 = 5_000_000.0;
}

/// Standard race distances, metres, with their names: a course measuring within
/// `SNAP_SHARE` of one is taken to be that race (a recorded or drawn course is never exact).
pub const STANDARD_DISTANCES: [(f64, &str); 11] = [
    (5_000.0, "5 km"),
    (10_000.0, "10 km"),
    (15_000.0, "15 km"),
    (16_093.44, "10 miles"),
    (21_097.5, "half marathon"),
    (30_000.0, "30 km"),
    (42_195.0, "marathon"),
    (50_000.0, "50 km"),
    (80_467.2, "50 miles"),
    (100_000.0, "100 km"),
    (160_934.4, "100 miles"),
];
pub const SNAP_SHARE: f64 = 0.02;

/// The race's official distance and where it comes from: declared (`distance_km`), else
/// the standard distance the course measures within 2 % of, else the course's length.
pub fn race_distance(course_m: f64, declared_km: Option<f64>, u: Units) -> (f64, String) {
    if let Some(km) = declared_km {
        return (km * 1000.0, format!("{km} km as declared"));
    }
    match STANDARD_DISTANCES
        .iter()
        .find(|(d, _)| (course_m - d).abs() <= SNAP_SHARE * d)
    {
        Some(&(d, name)) => (
            d,
            format!(
                "a {name} of {}; the course file measures {}",
                u.distance_dp(d, 3),
                u.distance(course_m)
            ),
        ),
        None => (course_m, "the course file's length".into()),
    }
}

/// A declared race distance, km, within the course length limits.
pub fn distance_km_in_range(field: &'static str, km: f64) -> Result<f64, RaceError> {
    in_range(
        field,
        km,
        (limits::COURSE_MIN_M / 1000.0, limits::COURSE_MAX_M / 1000.0),
        " km",
    )
}

/// `value` if it is a number within `range`, else the error naming `field`.
pub fn in_range(
    field: &'static str,
    value: f64,
    range: (f64, f64),
    unit: &'static str,
) -> Result<f64, RaceError> {
    if value.is_finite() && value >= range.0 && value <= range.1 {
        Ok(value)
    } else {
        Err(RaceError::OutOfRange {
            field,
            // 1e308 is shown as such, not as 309 digits.
            value: if value.is_finite() && value.abs() < 1e9 {
                value.to_string()
            } else {
                format!("{value:e}")
            },
            lo: range.0,
            hi: range.1,
            unit,
        })
    }
}

/// A race-day temperature written `22`, `22C`, `22°C`, `72F` or `72°F`, as °C within the
/// sane range.
/// A temperature as written on the command line: `22`, `22C`, `72F`, `72 °F`; a bare
/// number is in the units the user reads (°F with `--units imperial`).
pub fn parse_temperature_c(
    field: &'static str,
    text: &str,
    units: Units,
) -> Result<f64, RaceError> {
    let t = text.trim();
    let bad = || RaceError::BadTemperature {
        field,
        text: text.to_string(),
    };
    let (number, fahrenheit) = match t.char_indices().last() {
        Some((i, 'F' | 'f')) => (&t[..i], true),
        Some((i, 'C' | 'c')) => (&t[..i], false),
        _ => (t, units == Units::Imperial),
    };
    let number = number.trim().trim_end_matches('°').trim();
    let v: f64 = number.parse().map_err(|_| bad())?;
    if !v.is_finite() {
        return Err(bad());
    }
    let c = if fahrenheit {
        (v - 32.0) * 5.0 / 9.0
    } else {
        v
    };
    temperature_in_range(field, c)
}

/// A temperature in °C within `limits::TEMPERATURE_C`; out of it, a hint when the number
/// reads as °F.
pub fn temperature_in_range(field: &'static str, c: f64) -> Result<f64, RaceError> {
    in_range(field, c, limits::TEMPERATURE_C, " °C").map_err(|_| {
        let as_c = (c - 32.0) * 5.0 / 9.0;
        let hint = if c.is_finite()
            && (limits::TEMPERATURE_C.0..=limits::TEMPERATURE_C.1).contains(&as_c)
        {
            format!("; °F? use {as_c:.0} (°C), or {c}F on the command line")
        } else {
            String::new()
        };
        RaceError::TemperatureOutOfRange {
            field,
            value: if c.is_finite() && c.abs() < 1e9 {
                c.to_string()
            } else {
                format!("{c:e}")
            },
            hint,
        }
    })
}

/// Men's road world records (World Athletics), metres and seconds: a goal faster than the
/// record for its distance is a typo, not an ambition. 5 km 12:49 (Aregawi 2021), 10 km
/// 26:24 (Kipruto 2020), half marathon 56:41 (Kiplimo 2025), marathon 2:00:35 (Kiptum
/// 2023), 50 km 2:38:43 (Albertson 2022), 100 km 6:05:35 (Sorokin 2023).
pub const ROAD_RECORDS: [(f64, f64); 6] = [
    (5_000.0, 769.0),
    (10_000.0, 1_584.0),
    (21_097.5, 3_401.0),
    (42_195.0, 7_235.0),
    (50_000.0, 9_523.0),
    (100_000.0, 21_935.0),
];

/// The record-level time over `distance_m` of flat road: log-log interpolation between
/// the records around it, Riegel (1.06) beyond them.
pub fn record_time_s(distance_m: f64) -> f64 {
    let first = ROAD_RECORDS[0];
    let last = ROAD_RECORDS[ROAD_RECORDS.len() - 1];
    if distance_m <= first.0 {
        return crate::predict::riegel(first.1, first.0, distance_m);
    }
    if distance_m >= last.0 {
        return crate::predict::riegel(last.1, last.0, distance_m);
    }
    let k = ROAD_RECORDS
        .windows(2)
        .position(|w| distance_m <= w[1].0)
        .unwrap_or(ROAD_RECORDS.len() - 2);
    let (a, b) = (ROAD_RECORDS[k], ROAD_RECORDS[k + 1]);
    let x = (distance_m.ln() - a.0.ln()) / (b.0.ln() - a.0.ln());
    (a.1.ln() + x * (b.1.ln() - a.1.ln())).exp()
}

/// The slowest goal any race allows: 2.5 km/h over the course's ITRA km-effort (distance
/// km + ascent m / 100; ITRA, "Our measuring tools"), below the pace of the most generous
/// cut-offs (Hardrock: 48 h for 161 km and 10,000 m of climbing, 3.3 km-effort/h).
pub const SLOWEST_KM_EFFORT_PER_H: f64 = 2.5;

/// ITRA km-effort of a course: its official distance in km plus its climbing / 100 m,
/// the climbing scaled to the official distance.
pub fn km_effort(d: &RaceDemands) -> f64 {
    let scale = d.official_scale();
    d.race_distance_m / 1000.0 + d.climbing_m() * scale / 100.0
}

/// Refuses a goal faster than the road record over the course's flat-equivalent distance,
/// or slower than `SLOWEST_KM_EFFORT_PER_H`; the hint reads a short `H:MM` as hours.
pub fn check_goal(goal_s: f64, text: &str, d: &RaceDemands, u: Units) -> Result<(), RaceError> {
    let scale = d.official_scale();
    let flat_m = d.flat_equivalent_m * scale;
    let record = record_time_s(flat_m);
    let distance = u.distance_dp(d.race_distance_m, 1);
    let plausible = |s: f64| s >= record && s <= 3600.0 * km_effort(d) / SLOWEST_KM_EFFORT_PER_H;
    // "3:30" read as 3 min 30 s: did the user mean hours and minutes?
    let hint = {
        let parts: Vec<&str> = text.trim().split(':').collect();
        let as_hours = match parts.as_slice() {
            [h, m] => parse_hms(&format!("{h}:{m}:00")),
            [h] => h.parse::<f64>().ok().map(|h| h * 3600.0),
            _ => None,
        };
        match as_hours.filter(|s| *s != goal_s && plausible(*s)) {
            Some(s) => format!("; did you mean {}?", hms(s)),
            None => String::new(),
        }
    };
    if goal_s < record {
        return Err(RaceError::GoalTooFast {
            text: text.to_string(),
            shown: hms(goal_s),
            distance,
            record: hms(record),
            hint,
        });
    }
    let slowest = 3600.0 * km_effort(d) / SLOWEST_KM_EFFORT_PER_H;
    if goal_s > slowest {
        return Err(RaceError::GoalTooSlow {
            text: text.to_string(),
            shown: hms(goal_s),
            distance,
            limit: hms(slowest),
            hint,
        });
    }
    Ok(())
}

impl RaceFile {
    /// Reads a race file; a relative `course` is taken relative to the file's folder.
    pub fn load(path: &Path) -> Result<RaceFile, RaceError> {
        let err = |message: String| RaceError::File {
            path: path.display().to_string(),
            message,
        };
        let text = crate::safe_read::read_text(path, MAX_RACE_FILE_BYTES).map_err(err)?;
        let mut f: RaceFile = toml::from_str(&text).map_err(|e| err(e.to_string()))?;
        let dir = path.parent().unwrap_or(Path::new(""));
        for p in [&mut f.course, &mut f.waypoints].into_iter().flatten() {
            if p.is_relative() {
                *p = dir.join(&*p);
            }
        }
        Ok(f)
    }

    /// Fields set in `over` replace those here.
    pub fn overridden_by(self, over: RaceFile) -> RaceFile {
        RaceFile {
            name: over.name.or(self.name),
            course: over.course.or(self.course),
            waypoints: over.waypoints.or(self.waypoints),
            goal_time: over.goal_time.or(self.goal_time),
            date: over.date.or(self.date),
            start_time: over.start_time.or(self.start_time),
            expected_temperature_c: over.expected_temperature_c.or(self.expected_temperature_c),
            humidity_pct: over.humidity_pct.or(self.humidity_pct),
            block_weeks: over.block_weeks.or(self.block_weeks),
            temperature_offset_c: over.temperature_offset_c.or(self.temperature_offset_c),
            max_hr_bpm: over.max_hr_bpm.or(self.max_hr_bpm),
            elevation_unit: over.elevation_unit.or(self.elevation_unit),
            distance_km: over.distance_km.or(self.distance_km),
            gap_model: over.gap_model.or(self.gap_model),
            kind: over.kind.or(self.kind),
            units: over.units.or(self.units),
        }
    }
}

/// A checked race specification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RaceSpec {
    pub name: String,
    pub course: PathBuf,
    pub waypoints: Option<PathBuf>,
    pub goal_time_s: Option<f64>,
    /// The goal as written, for hints when it is refused.
    #[serde(skip)]
    pub goal_text: Option<String>,
    /// Race day, days since 1970-01-01.
    pub date_day: i64,
    pub start_hour: Option<f64>,
    pub expected_temperature_c: Option<f64>,
    pub humidity_pct: Option<f64>,
    pub block_weeks: u32,
    pub temperature_offset_c: f64,
    pub max_hr_bpm: Option<f64>,
    /// Unit of the course file's elevations.
    pub elevation_unit: ElevationUnit,
    /// The official distance from the race file or flags, km.
    pub distance_km: Option<f64>,
    pub gap_model: GapModel,
    /// The declared kind, as written (checked by the configuration stage).
    pub kind: Option<String>,
    /// The units of what is printed and drawn (numbers in CSV and JSON stay SI).
    pub units: Units,
}

impl RaceSpec {
    /// How the course is to be read and measured.
    pub fn course_options(&self) -> CourseOptions {
        CourseOptions {
            elevation_unit: self.elevation_unit,
            distance_km: self.distance_km,
            gap_model: self.gap_model,
            off_road: false,
            units: self.units,
        }
    }

    pub fn from_file(f: RaceFile) -> Result<RaceSpec, RaceError> {
        let course = f.course.ok_or(RaceError::MissingCourse)?;
        let date_text = f.date.ok_or(RaceError::MissingDate)?;
        let date_day = parse_date(&date_text).ok_or(RaceError::BadDate(date_text.clone()))?;
        let year = date_text
            .trim()
            .split('-')
            .next()
            .unwrap_or("")
            .parse::<f64>();
        in_range("date (year)", year.unwrap_or(f64::NAN), limits::YEAR, "")?;
        let goal_time_s = match &f.goal_time {
            Some(g) => {
                let s = parse_duration(g)
                    .filter(|s| *s > 0.0)
                    .ok_or(RaceError::BadGoalTime(g.clone()))?;
                Some(in_range("goal_time (seconds)", s, limits::GOAL_S, " s")?)
            }
            None => None,
        };
        let opt = |field, v: Option<f64>, range, unit| {
            v.map(|x| in_range(field, x, range, unit)).transpose()
        };
        let expected_temperature_c = f
            .expected_temperature_c
            .map(|c| temperature_in_range("expected_temperature_c", c))
            .transpose()?;
        let humidity_pct = opt("humidity_pct", f.humidity_pct, limits::HUMIDITY_PCT, " %")?;
        let temperature_offset_c = opt(
            "temperature_offset_c",
            f.temperature_offset_c,
            limits::TEMPERATURE_OFFSET_C,
            " °C",
        )?;
        let max_hr_bpm = opt("max_hr_bpm", f.max_hr_bpm, limits::MAX_HR_BPM, " bpm")?;
        let distance_km = f
            .distance_km
            .map(|km| distance_km_in_range("distance_km", km))
            .transpose()?;
        let block_weeks = match f.block_weeks {
            Some(w) => in_range("block_weeks", f64::from(w), limits::BLOCK_WEEKS, "")? as u32,
            None => DEFAULT_BLOCK_WEEKS,
        };
        let start_hour = match f.start_time {
            Some(s) => Some(
                parse_hms(&s)
                    .filter(|h| s.contains(':') && *h < 24.0 * 60.0)
                    .map(|minutes| minutes / 60.0)
                    .ok_or(RaceError::BadStartTime(s))?,
            ),
            None => None,
        };
        let name = f.name.unwrap_or_else(|| {
            course
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_else(|| "race".into())
        });
        Ok(RaceSpec {
            name,
            course,
            waypoints: f.waypoints,
            goal_time_s,
            goal_text: f.goal_time,
            date_day,
            start_hour,
            expected_temperature_c,
            humidity_pct,
            block_weeks,
            temperature_offset_c: temperature_offset_c.unwrap_or(0.0),
            max_hr_bpm,
            elevation_unit: f.elevation_unit.unwrap_or_default(),
            distance_km,
            gap_model: f.gap_model.unwrap_or_default(),
            kind: f.kind,
            units: f.units.unwrap_or_default(),
        })
    }

    /// First day of the training block: the Monday `block_weeks` weeks before the Monday
    /// of race week. The block runs from there to the day before the race, so it holds
    /// `block_weeks` full weeks plus race week up to the race.
    pub fn block_start_day(&self) -> i64 {
        let race_monday = (self.date_day + 3).div_euclid(7) * 7 - 3;
        race_monday - 7 * i64::from(self.block_weeks)
    }

    /// Refuses a race dated before the first activity of the history.
    pub fn check_against_history(&self, first_activity_ms: Option<i64>) -> Result<(), RaceError> {
        if let Some(first) = first_activity_ms {
            let first_day = first.div_euclid(86_400_000);
            if self.date_day < first_day {
                return Err(RaceError::DateBeforeHistory {
                    date: format_day(self.date_day),
                    first: format_day(first_day),
                });
            }
        }
        Ok(())
    }
}

/// One stretch of the course with its own target pace.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Segment {
    pub start_m: f64,
    pub end_m: f64,
    pub gain_m: f64,
    pub loss_m: f64,
    pub grade: f64,
    /// Pace that keeps the goal's grade-adjusted pace on this segment.
    pub target_pace_s_per_km: Option<f64>,
}

/// An aid station (a waypoint on the course), with where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AidStation {
    pub name: String,
    pub at_m: f64,
    pub from_previous_m: f64,
    /// The waypoint's height, when the file gives one.
    pub elevation_m: Option<f64>,
}

/// What the course demands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RaceDemands {
    pub name: String,
    pub distance_m: f64,
    /// The race's official distance (`race_distance`), used for predictions and the flat
    /// goal pace; the demands of the course follow its measured `distance_m`.
    pub race_distance_m: f64,
    pub race_distance_source: String,
    /// Denoised climbing (`track::course`).
    pub ascent_m: f64,
    pub descent_m: f64,
    /// The plain sum of the file's rises and falls, shown beside the denoised figures.
    pub raw_ascent_m: Option<f64>,
    pub raw_descent_m: Option<f64>,
    /// Point-to-point elevation noise measured in the file, metres.
    pub elevation_noise_sd_m: f64,
    /// The file's elevations were read as feet.
    pub elevation_in_feet: bool,
    /// What was noticed in the course file and done about it.
    pub notes: Vec<String>,
    pub min_elevation_m: Option<f64>,
    pub max_elevation_m: Option<f64>,
    /// False when the course file carries no elevation: climbing cannot be compared.
    pub has_elevation: bool,
    pub climbs: Vec<Climb>,
    pub descents: Vec<Climb>,
    /// Share of the course's climbing that comes in its final third.
    pub final_third_climb_share: f64,
    pub flat_equivalent_m: f64,
    /// The grade-adjustment model of `flat_equivalent_m` and the target paces.
    pub gap_model: GapModel,
    pub goal_time_s: Option<f64>,
    /// Goal time over distance.
    pub flat_pace_s_per_km: Option<f64>,
    /// The grade-adjusted pace that, held all the way, gives the goal time.
    pub goal_gap_s_per_km: Option<f64>,
    pub segments: Vec<Segment>,
    pub aid_stations: Vec<AidStation>,
    /// Waypoints not on the course (farther than `AID_STATION_MAX_OFF_COURSE_M`).
    pub off_course_waypoints: usize,
    /// Without elevation in the track: the rises from one waypoint with a height (a summit,
    /// a checkpoint) to the next along the course, a lower bound of its climbing (the
    /// valleys between are deeper than the waypoints show).
    pub waypoint_climb_m: Option<f64>,
    /// The biggest of those rises.
    pub waypoint_biggest_rise_m: Option<f64>,
    pub profile: Vec<(f64, f64)>,
}

/// Official distance over the course file's length: what the file's distances and
/// climbing are scaled by to stand for the race (1 for an empty course).
pub fn official_scale(race_distance_m: f64, course_m: f64) -> f64 {
    if course_m > 0.0 {
        race_distance_m / course_m
    } else {
        1.0
    }
}

impl RaceDemands {
    /// Official distance over the course file's length (`official_scale`).
    pub fn official_scale(&self) -> f64 {
        official_scale(self.race_distance_m, self.distance_m)
    }

    /// The course's climbing: measured, else the waypoints' lower bound, else 0.
    pub fn climbing_m(&self) -> f64 {
        if self.has_elevation {
            self.ascent_m
        } else {
            self.waypoint_climb_m.unwrap_or(0.0)
        }
    }

    pub fn biggest_climb(&self) -> Option<Climb> {
        climbs::biggest(&self.climbs)
    }
    pub fn biggest_descent(&self) -> Option<Climb> {
        climbs::biggest(&self.descents)
    }
    /// Expected duration: the goal, or else the given prediction.
    pub fn expected_duration_s(&self, predicted: Option<f64>) -> Option<f64> {
        self.goal_time_s.or(predicted)
    }
}

/// The waypoints of a separate file (aid stations, summits).
pub fn read_waypoints(path: &Path) -> Result<Vec<Waypoint>, RaceError> {
    Ok(read_path(path)
        .map_err(|error| RaceError::Waypoints {
            path: path.display().to_string(),
            error,
        })?
        .into_iter()
        .flat_map(|a| a.waypoints)
        .collect())
}

/// Reads a course file and computes its demands. Waypoints may also come from a separate
/// file (`extra_waypoints`), as many race organisers publish them apart.
pub fn course_demands(
    path: &Path,
    name: Option<&str>,
    goal_time_s: Option<f64>,
    extra_waypoints: &[Waypoint],
    opts: CourseOptions,
) -> Result<RaceDemands, RaceError> {
    let course = read_course(path, extra_waypoints)?;
    checked_demands(path, &course, name, goal_time_s, opts)
}

/// Reads a course file with the extra waypoints, each waypoint once; refuses a file
/// without a positioned track or route.
pub fn read_course(path: &Path, extra_waypoints: &[Waypoint]) -> Result<Activity, RaceError> {
    let mut acts = read_path(path).map_err(|error| RaceError::Course {
        path: path.display().to_string(),
        error,
    })?;
    let mut course = acts.remove(0);
    course.waypoints = distinct_waypoints(std::mem::take(&mut course.waypoints), extra_waypoints);
    if !course.samples.iter().any(|s| s.has_position()) {
        return Err(RaceError::EmptyCourse(path.display().to_string()));
    }
    Ok(course)
}

/// The demands of a course read from `path`, refused when its length is no race's or
/// the declared official distance contradicts it.
pub fn checked_demands(
    path: &Path,
    course: &Activity,
    name: Option<&str>,
    goal_time_s: Option<f64>,
    opts: CourseOptions,
) -> Result<RaceDemands, RaceError> {
    let d = demands_with(course, name, goal_time_s, opts);
    if !(limits::COURSE_MIN_M..=limits::COURSE_MAX_M).contains(&d.distance_m) {
        return Err(RaceError::CourseLength {
            path: path.display().to_string(),
            length_m: d.distance_m,
            min_m: limits::COURSE_MIN_M,
            max_km: limits::COURSE_MAX_M / 1000.0,
        });
    }
    if let Some(km) = opts.distance_km {
        let share = (km * 1000.0 / d.distance_m - 1.0).abs();
        if share > MAX_DECLARED_MISMATCH {
            return Err(RaceError::DistanceMismatch {
                declared_km: km,
                course_km: d.distance_m / 1000.0,
                share: share * 100.0,
            });
        }
    }
    Ok(d)
}

/// A declared official distance may differ from the course file's length by this share
/// (a drawn course cuts corners, a recording wanders); beyond it one of them is wrong.
pub const MAX_DECLARED_MISMATCH: f64 = 0.2;

/// The course file's waypoints with those of a separate waypoints file laid over them: the
/// two often list the same points, and a point of the second file with the same name within
/// 50 m of one of the first (without names, within 5 m) is that one (its height kept when
/// the first has none). Within one file every waypoint stays: a loop's start and finish
/// are two passes of one place, often listed under one name.
pub fn distinct_waypoints(course: Vec<Waypoint>, extra: &[Waypoint]) -> Vec<Waypoint> {
    let mut out = course;
    let mut matched = vec![false; out.len()];
    for w in extra {
        let same = out.iter().zip(&matched).position(|(o, used)| {
            let d = step_m(o.lat_deg, o.lon_deg, w.lat_deg, w.lon_deg);
            !used && o.name == w.name && d <= if w.name.is_some() { 50.0 } else { 5.0 }
        });
        match same {
            Some(i) => {
                matched[i] = true;
                if out[i].elevation_m.is_none() {
                    out[i].elevation_m = w.elevation_m;
                }
            }
            None => {
                out.push(w.clone());
                matched.push(true);
            }
        }
    }
    out
}

/// The demands of a course already read: measured as geometry (`track::course`), so its
/// timestamps, pauses and gaps change nothing.
pub fn demands_of(
    course: &Activity,
    name: Option<&str>,
    goal_time_s: Option<f64>,
    unit: ElevationUnit,
) -> RaceDemands {
    let opts = CourseOptions {
        elevation_unit: unit,
        ..CourseOptions::default()
    };
    demands_with(course, name, goal_time_s, opts)
}

/// How a course is read and measured.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CourseOptions {
    /// Unit of the file's elevations.
    pub elevation_unit: ElevationUnit,
    /// The race's official distance, when declared.
    pub distance_km: Option<f64>,
    /// The grade adjustment of flat-equivalent distance and target paces.
    pub gap_model: GapModel,
    /// A trail or mountain course: its length is its distance, never snapped to a road
    /// race's standard distance.
    pub off_road: bool,
    /// The units of the demands' words (the numbers stay SI).
    pub units: Units,
}

/// As `demands_of`, with the official distance and the grade-adjustment model given.
pub fn demands_with(
    course: &Activity,
    name: Option<&str>,
    goal_time_s: Option<f64>,
    opts: CourseOptions,
) -> RaceDemands {
    let (unit, declared_km) = (opts.elevation_unit, opts.distance_km);
    let c = crate::track::course::measure(course, unit);
    let distance_m = c.distance_m;
    let (profile, climbs, descents, min_e, max_e) = match &c.elevation_m {
        Some(e) => (
            crate::track::downsample(&c.grid_m, e, crate::track::PROFILE_STEP_M),
            climbs::climbs(&c.grid_m, e),
            climbs::descents(&c.grid_m, e),
            e.iter().copied().reduce(f64::min),
            e.iter().copied().reduce(f64::max),
        ),
        None => (Vec::new(), Vec::new(), Vec::new(), None, None),
    };
    let (total_rise, late_rise) = rises(&profile, distance_m * 2.0 / 3.0);
    let flat_equivalent_m = gap::flat_equivalent_cum(opts.gap_model, &c.grid_m, &c.grades)
        .last()
        .copied()
        .filter(|f| *f > 0.0)
        .unwrap_or(distance_m);
    // The goal is run over the official distance: the course file's hills, scaled to it.
    let (race_distance_m, race_distance_source) = if opts.off_road && declared_km.is_none() {
        (
            distance_m,
            "the course file's length (off road: no standard distance)".into(),
        )
    } else {
        race_distance(distance_m, declared_km, opts.units)
    };
    let scale = official_scale(race_distance_m, distance_m);
    let goal_gap = goal_time_s.map(|g| g / (flat_equivalent_m * scale) * 1000.0);
    RaceDemands {
        race_distance_m,
        race_distance_source,
        name: name
            .map(str::to_string)
            .or(course.name.clone())
            .unwrap_or_else(|| "race".into()),
        distance_m,
        ascent_m: c.ascent_m.unwrap_or(0.0),
        descent_m: c.descent_m.unwrap_or(0.0),
        raw_ascent_m: c.raw_ascent_m,
        raw_descent_m: c.raw_descent_m,
        elevation_noise_sd_m: c.noise_sd_m,
        elevation_in_feet: c.feet,
        notes: c.notes.clone(),
        min_elevation_m: min_e,
        max_elevation_m: max_e,
        has_elevation: c.ascent_m.is_some(),
        climbs,
        descents,
        final_third_climb_share: if total_rise > 0.0 {
            late_rise / total_rise
        } else {
            0.0
        },
        flat_equivalent_m,
        gap_model: opts.gap_model,
        goal_time_s,
        flat_pace_s_per_km: goal_time_s.map(|g| g / race_distance_m * 1000.0),
        goal_gap_s_per_km: goal_gap,
        // Per km of the file: the targets add up to the goal over the course as drawn.
        segments: segments(
            &profile,
            distance_m,
            goal_time_s.map(|g| g / flat_equivalent_m * 1000.0),
            opts.gap_model,
        ),
        aid_stations: Vec::new(),
        off_course_waypoints: 0,
        waypoint_climb_m: None,
        waypoint_biggest_rise_m: None,
        profile,
    }
    .with_aid_stations(course, &c.point_distance_m)
}

impl RaceDemands {
    fn with_aid_stations(mut self, course: &Activity, point_distance_m: &[f64]) -> RaceDemands {
        let (stations, off) = aid_stations(course, point_distance_m);
        if !self.has_elevation {
            let heights: Vec<f64> = stations.iter().filter_map(|s| s.elevation_m).collect();
            if heights.len() >= 2 {
                let rises: Vec<f64> = heights.windows(2).map(|w| (w[1] - w[0]).max(0.0)).collect();
                self.waypoint_climb_m = Some(rises.iter().sum());
                self.waypoint_biggest_rise_m = rises.iter().copied().reduce(f64::max);
            }
        }
        if off > 0 && stations.is_empty() {
            self.notes.push(format!(
                "none of the {off} waypoint(s) is within {AID_STATION_MAX_OFF_COURSE_M:.0} m of the course: are they for another course?"
            ));
        }
        self.aid_stations = stations;
        self.off_course_waypoints = off;
        self
    }
}

/// Sum of rises along the profile, and the part of it past `from_m`.
fn rises(profile: &[(f64, f64)], from_m: f64) -> (f64, f64) {
    let (mut all, mut late) = (0.0, 0.0);
    for w in profile.windows(2) {
        let up = (w[1].1 - w[0].1).max(0.0);
        all += up;
        if w[1].0 > from_m {
            late += up;
        }
    }
    (all, late)
}

/// The pieces of a (distance, elevation) profile between `a` and `b` metres: each step's
/// length inside the range, its grade, and the rise (or fall) inside the range.
pub fn pieces(
    profile: &[(f64, f64)],
    a: f64,
    b: f64,
) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
    profile.windows(2).filter_map(move |w| {
        let (x0, x1) = (w[0].0.max(a), w[1].0.min(b));
        let (dx, de) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
        (x1 > x0 && dx > 0.0).then(|| (x1 - x0, de / dx, de * ((x1 - x0) / dx)))
    })
}

/// Kilometre segments with their gain, loss, grade and the target pace that holds the
/// goal's grade-adjusted pace: `goal GAP / (C(grade)/C(0))`.
fn segments(
    profile: &[(f64, f64)],
    distance_m: f64,
    goal_gap: Option<f64>,
    model: GapModel,
) -> Vec<Segment> {
    if profile.len() < 2 || distance_m <= 0.0 {
        return Vec::new();
    }
    // A last piece under a tenth of a segment joins the one before it.
    let n = ((distance_m - 0.1 * SEGMENT_M) / SEGMENT_M).ceil().max(1.0) as usize;
    (0..n)
        .map(|k| {
            let a = k as f64 * SEGMENT_M;
            let b = if k + 1 == n {
                distance_m
            } else {
                a + SEGMENT_M
            };
            let (mut gain, mut loss, mut flat_eq) = (0.0, 0.0, 0.0);
            for (len, g, de) in pieces(profile, a, b) {
                if de > 0.0 {
                    gain += de;
                } else {
                    loss -= de;
                }
                flat_eq += len * model.factor(g);
            }
            let len = b - a;
            Segment {
                start_m: a,
                end_m: b,
                gain_m: gain,
                loss_m: loss,
                grade: if len > 0.0 { (gain - loss) / len } else { 0.0 },
                target_pace_s_per_km: goal_gap.filter(|_| len > 0.0).map(|g| g * flat_eq / len),
            }
        })
        .collect()
}

/// Waypoints placed on the course. A course can pass a point more than once (a loop's
/// start and finish, an out-and-back): each pass within `AID_STATION_MAX_OFF_COURSE_M` is a
/// candidate, and waypoints taken in file order get the first pass at or after the previous
/// one's (files list aid stations in course order); the nearest pass where none follows.
/// `cum` is the distance at each positioned point of the course, as `track::course`
/// measured it.
fn aid_stations(course: &Activity, cum: &[f64]) -> (Vec<AidStation>, usize) {
    let pts: Vec<(f64, f64)> = course
        .samples
        .iter()
        .filter_map(|s| Some((s.lat_deg?, s.lon_deg?)))
        .collect();
    let mut placed: Vec<(f64, String, Option<f64>)> = Vec::new();
    let mut off = 0;
    let mut last_at = 0.0;
    for w in &course.waypoints {
        let dist: Vec<f64> = pts
            .iter()
            .map(|p| step_m(p.0, p.1, w.lat_deg, w.lon_deg))
            .collect();
        // Passes: runs of consecutive points within reach; each pass's closest point.
        let mut passes: Vec<(usize, f64)> = Vec::new();
        let mut i = 0;
        while i < dist.len() {
            if dist[i] > AID_STATION_MAX_OFF_COURSE_M {
                i += 1;
                continue;
            }
            let mut best = i;
            while i < dist.len() && dist[i] <= AID_STATION_MAX_OFF_COURSE_M {
                if dist[i] < dist[best] {
                    best = i;
                }
                i += 1;
            }
            passes.push((best, dist[best]));
        }
        let chosen = passes
            .iter()
            .find(|(k, _)| cum[*k] >= last_at)
            .or_else(|| passes.iter().min_by(|a, b| a.1.total_cmp(&b.1)));
        match chosen {
            Some(&(k, _)) => {
                last_at = cum[k];
                placed.push((
                    cum[k],
                    w.name
                        .clone()
                        .unwrap_or_else(|| format!("waypoint at km {:.1}", cum[k] / 1000.0)),
                    w.elevation_m,
                ));
            }
            None => off += 1,
        }
    }
    placed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut prev = 0.0;
    let stations = placed
        .into_iter()
        .map(|(at, name, elevation_m)| {
            let s = AidStation {
                name,
                at_m: at,
                from_previous_m: at - prev,
                elevation_m,
            };
            prev = at;
            s
        })
        .collect();
    (stations, off)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_course_near_a_standard_distance_is_that_race() {
        let (d, why) = race_distance(42_330.0, None, Units::Metric);
        assert_eq!(d, 42_195.0);
        assert!(
            why.contains("marathon") && why.contains("42.33 km"),
            "{why}"
        );
        let race_distance = |m, declared| super::race_distance(m, declared, Units::Metric);
        let (_, why) = super::race_distance(42_330.0, None, Units::Imperial);
        assert_eq!(
            why,
            "a marathon of 26.219 mi; the course file measures 26.30 mi"
        );
        assert_eq!(race_distance(21_120.0, None).0, 21_097.5);
        assert_eq!(race_distance(160_000.0, None).0, 160_934.4);
        // 3 % off any standard distance: the course's own length.
        assert_eq!(race_distance(33_000.0, None).0, 33_000.0);
        assert_eq!(race_distance(43_100.0, None).0, 43_100.0);
        // Declared wins.
        assert_eq!(race_distance(42_330.0, Some(42.0)).0, 42_000.0);
    }

    use super::*;
    use crate::calendar::days_from_civil;
    use crate::model::{ElevationSource, Format, Sample};

    const M_PER_DEG_LAT: f64 = 110_574.0;

    fn course(ele: impl Fn(f64) -> f64, len_m: f64) -> Activity {
        let mut a = Activity::new("c.gpx".into(), Format::Gpx);
        a.elevation_source = ElevationSource::Model;
        for i in 0..=(len_m / 20.0) as usize {
            let x = i as f64 * 20.0;
            a.samples.push(Sample {
                lat_deg: Some(x / M_PER_DEG_LAT),
                lon_deg: Some(0.0),
                elevation_m: Some(ele(x)),
                ..Sample::default()
            });
        }
        a
    }

    #[test]
    fn demands_of_a_course_with_two_known_climbs() {
        // 12 km: flat 2 km, +200 m over 2 km, -200 m over 2 km, flat 2 km, +200 m over
        // 2 km (the final third), flat 2 km.
        let ele = |x: f64| match x {
            x if x < 2000.0 => 0.0,
            x if x < 4000.0 => (x - 2000.0) * 0.1,
            x if x < 6000.0 => 200.0 - (x - 4000.0) * 0.1,
            x if x < 8000.0 => 0.0,
            x if x < 10_000.0 => (x - 8000.0) * 0.1,
            _ => 200.0,
        };
        let mut c = course(ele, 12_000.0);
        c.waypoints.push(Waypoint {
            name: Some("Aid 1".into()),
            lat_deg: 6000.0 / M_PER_DEG_LAT,
            lon_deg: 0.0001,
            elevation_m: None,
        });
        c.waypoints.push(Waypoint {
            name: Some("Far away".into()),
            lat_deg: 1.0,
            lon_deg: 1.0,
            elevation_m: None,
        });
        let d = demands_of(&c, Some("Test"), Some(3600.0), ElevationUnit::Auto);
        assert!((d.distance_m - 12_000.0).abs() < 15.0, "{}", d.distance_m);
        assert_eq!(d.climbs.len(), 2, "{:?}", d.climbs);
        for (c, start) in d.climbs.iter().zip([2000.0, 8000.0]) {
            assert!((c.gain_m - 200.0).abs() < 5.0, "{c:?}");
            assert!((c.length_m - 2000.0).abs() < 100.0, "{c:?}");
            assert!((c.start_m - start).abs() < 60.0, "{c:?}");
            assert!((c.mean_grade - 0.1).abs() < 0.01, "{c:?}");
        }
        assert_eq!(d.descents.len(), 1);
        assert!((d.ascent_m - 400.0).abs() < 10.0);
        assert!((d.descent_m - 200.0).abs() < 10.0);
        assert!(
            (d.final_third_climb_share - 0.5).abs() < 0.02,
            "{}",
            d.final_third_climb_share
        );
        assert!((d.max_elevation_m.unwrap() - 200.0).abs() < 3.0);
        assert_eq!(d.aid_stations.len(), 1);
        assert!((d.aid_stations[0].at_m - 6000.0).abs() < 25.0);
        assert_eq!(d.off_course_waypoints, 1);
        // Target paces: slower on the climbs, faster down, and they add up to the goal.
        assert_eq!(d.segments.len(), 12);
        let total: f64 = d
            .segments
            .iter()
            .map(|s| s.target_pace_s_per_km.unwrap() * (s.end_m - s.start_m) / 1000.0)
            .sum();
        assert!((total - 3600.0).abs() < 15.0, "{total}");
        let up = d.segments[2].target_pace_s_per_km.unwrap();
        let flat = d.segments[0].target_pace_s_per_km.unwrap();
        let down = d.segments[4].target_pace_s_per_km.unwrap();
        // Strava's factors at ±10 %: 1.459 up, 0.876 down (gap::STRAVA_FACTORS).
        assert!((up / flat - 1.459).abs() < 0.03, "{up} {flat}");
        assert!((down / flat - 0.876).abs() < 0.03, "{down} {flat}");
    }

    #[test]
    fn goals_and_temperatures_are_checked_with_hints() {
        // Record-level times at the standard distances are the records themselves.
        assert!((record_time_s(42_195.0) - 7_235.0).abs() < 1e-6);
        assert!((record_time_s(10_000.0) - 1_584.0).abs() < 1e-6);
        // Between records: log-log interpolation, monotone.
        let r30 = record_time_s(30_000.0);
        assert!(r30 > 3_401.0 && r30 < 7_235.0, "{r30}");
        let flat = course(|_| 0.0, 42_195.0);
        let d = demands_of(&flat, None, None, ElevationUnit::Auto);
        let check_goal = |g, text, d| super::check_goal(g, text, d, Units::Metric);
        assert!(check_goal(12_600.0, "3:30:00", &d).is_ok());
        let e = super::check_goal(210.0, "3:30", &d, Units::Imperial).unwrap_err();
        assert!(
            e.to_string().contains("for 26.2 mi with its climbing"),
            "{e}"
        );
        let e = check_goal(210.0, "3:30", &d).unwrap_err().to_string();
        assert!(e.contains("did you mean 3:30:00?"), "{e}");
        let e = check_goal(1_800.0, "0:30:00", &d).unwrap_err().to_string();
        assert!(
            e.contains("world records") && !e.contains("did you mean"),
            "{e}"
        );
        assert!(matches!(
            check_goal(30.0 * 3600.0, "30:00:00", &d),
            Err(RaceError::GoalTooSlow { .. })
        ));
        let parse_temperature_c = |f, t| super::parse_temperature_c(f, t, Units::Metric);
        assert!((parse_temperature_c("t", "72F").unwrap() - 22.22).abs() < 0.01);
        assert_eq!(parse_temperature_c("t", "22").unwrap(), 22.0);
        assert_eq!(parse_temperature_c("t", "-5°C").unwrap(), -5.0);
        // Read in imperial units, a bare number is °F; a unit written wins.
        let imperial = |t| super::parse_temperature_c("t", t, Units::Imperial).unwrap();
        assert!((imperial("45") - 7.22).abs() < 0.01);
        assert_eq!(imperial("22C"), 22.0);
        let e = parse_temperature_c("t", "72").unwrap_err().to_string();
        assert!(e.contains("°F? use 22"), "{e}");
        assert!(matches!(
            parse_temperature_c("t", "warm"),
            Err(RaceError::BadTemperature { .. })
        ));
        assert!(parse_temperature_c("t", "inf").is_err());
    }

    /// The 300 m rule: a waypoint 250 m (or 299 m) beside the course is an aid station at
    /// the point abreast of it; one 301 m beside it is off the course. Distances are worked out here
    /// from the geometry (a 10 km line due north along the equator's meridian, 110,574 m a
    /// degree of latitude there; 111,320 m a degree of longitude at the equator).
    #[test]
    fn waypoints_within_300_m_of_the_course_are_aid_stations() {
        let lat_m = 1.0 / 110_574.0;
        let lon_m = 1.0 / 111_320.0;
        let mut course = Activity::new("line.gpx".into(), Format::Gpx);
        let cum: Vec<f64> = (0..=1000).map(|i| i as f64 * 10.0).collect();
        for d in &cum {
            course.samples.push(Sample {
                lat_deg: Some(d * lat_m),
                lon_deg: Some(0.0),
                ..Sample::default()
            });
        }
        let w = |name: &str, at_m: f64, east_m: f64| Waypoint {
            name: Some(name.into()),
            lat_deg: at_m * lat_m,
            lon_deg: east_m * lon_m,
            elevation_m: None,
        };
        course.waypoints = vec![
            w("Beside at km 3", 3_000.0, 250.0),
            w("Just too far at km 6", 6_000.0, 301.0),
            w("On it at km 8", 8_000.0, 0.0),
            w("Just inside at km 9", 9_004.0, -299.0),
        ];
        let (stations, off) = aid_stations(&course, &cum);
        assert_eq!(off, 1, "{stations:?}");
        let got: Vec<(&str, f64, f64)> = stations
            .iter()
            .map(|s| (s.name.as_str(), s.at_m, s.from_previous_m))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Beside at km 3", 3_000.0, 3_000.0),
                ("On it at km 8", 8_000.0, 5_000.0),
                ("Just inside at km 9", 9_000.0, 1_000.0),
            ]
        );
    }

    #[test]
    fn waypoints_listed_twice_are_one_and_a_loops_start_and_finish_two() {
        let w = |name: Option<&str>, lat: f64, ele: Option<f64>| Waypoint {
            name: name.map(str::to_string),
            lat_deg: lat,
            lon_deg: 0.0,
            elevation_m: ele,
        };
        let m = 1.0 / 110_574.0;
        // The course file: a loop from the Moot Hall and back, listed under one name.
        let course = vec![
            w(Some("Moot Hall"), 1.0, None),
            w(Some("Skiddaw"), 0.0, None),
            w(None, 2.0, None),
            w(Some("Moot Hall"), 1.0, None),
        ];
        // The waypoints file: the same points, 30 m off and with heights, and one more.
        let extra = vec![
            w(Some("Moot Hall"), 1.0 + 10.0 * m, Some(80.0)),
            w(Some("Skiddaw"), 30.0 * m, Some(931.0)),
            w(Some("Skiddaw"), 80.0 * m, None),
            w(None, 2.0 + 3.0 * m, None),
            w(Some("Moot Hall"), 1.0 + 10.0 * m, Some(80.0)),
        ];
        let d = distinct_waypoints(course, &extra);
        let names: Vec<Option<&str>> = d.iter().map(|w| w.name.as_deref()).collect();
        assert_eq!(
            names,
            vec![
                Some("Moot Hall"),
                Some("Skiddaw"),
                None,
                Some("Moot Hall"),
                // 80 m from the course file's Skiddaw: another point.
                Some("Skiddaw"),
            ]
        );
        assert_eq!(d[0].elevation_m, Some(80.0));
        assert_eq!(d[1].elevation_m, Some(931.0));
        assert_eq!(d[3].elevation_m, Some(80.0), "the finish is matched too");
    }

    #[test]
    fn race_file_checks() {
        let ok = RaceFile {
            course: Some("c.gpx".into()),
            date: Some("2026-11-15".into()),
            goal_time: Some("3:30:00".into()),
            start_time: Some("09:30".into()),
            ..RaceFile::default()
        };
        let spec = RaceSpec::from_file(ok.clone()).unwrap();
        assert_eq!(spec.goal_time_s, Some(12_600.0));
        // Race on Sunday 2026-11-15: race week starts Monday 11-09, the block 16 weeks before.
        assert_eq!(format_day(spec.block_start_day()), "2026-07-20");
        assert_eq!(spec.start_hour, Some(9.5));
        assert_eq!(format_day(spec.date_day), "2026-11-15");
        assert_eq!(spec.block_weeks, DEFAULT_BLOCK_WEEKS);
        assert_eq!(
            RaceSpec::from_file(RaceFile {
                course: None,
                ..ok.clone()
            }),
            Err(RaceError::MissingCourse)
        );
        assert_eq!(
            RaceSpec::from_file(RaceFile {
                goal_time: Some("fast".into()),
                ..ok.clone()
            }),
            Err(RaceError::BadGoalTime("fast".into()))
        );
        assert_eq!(
            RaceSpec::from_file(RaceFile {
                date: Some("2026-02-30".into()),
                ..ok.clone()
            }),
            Err(RaceError::BadDate("2026-02-30".into()))
        );
        let early = spec.check_against_history(Some(days_from_civil(2027, 1, 1) * 86_400_000));
        assert!(matches!(early, Err(RaceError::DateBeforeHistory { .. })));
        assert!(spec.check_against_history(Some(0)).is_ok());
        let flags = RaceFile {
            goal_time: Some("3:15:00".into()),
            ..RaceFile::default()
        };
        let merged = RaceSpec::from_file(ok.overridden_by(flags)).unwrap();
        assert_eq!(merged.goal_time_s, Some(11_700.0));
    }
}
