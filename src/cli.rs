//! Command-line interface (clap derive): the raw user input, nothing checked beyond syntax.

use crate::track::course::ElevationUnit;
use crate::track::gap::GapModel;
use crate::units::Units;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "racegap",
    version,
    about = "Where does your training fall short of your race?",
    long_about = "racegap reads a folder of watch exports (GPX, TCX, FIT, gzipped or not; a Strava \
bulk export or a Garmin folder) and measures how specifically the training prepares you for \
a target race.\n\nExit status: 0 all files read, 1 some files were skipped (each is listed \
with its reason), 2 nothing usable or a fatal error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read activity folders and report the training history.
    Analyze(Box<AnalyzeArgs>),
    /// Read a race course (GPX) and report what it contains.
    Course(CourseArgs),
    /// Show what racegap reads from each file: format, device, sport, channels, problems.
    Inspect(InspectArgs),
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Folders (searched recursively) or files of activities.
    #[arg(required = true, value_name = "DIR")]
    pub inputs: Vec<PathBuf>,
    /// The race file (TOML: name, course, goal_time, date, start_time,
    /// expected_temperature_c, humidity_pct, block_weeks, temperature_offset_c, max_hr_bpm).
    #[arg(long, value_name = "race.toml")]
    pub race: Option<PathBuf>,
    #[command(flatten)]
    pub race_flags: RaceFlags,
    /// Where to write the report: charts, index.html, CSV and JSON tables.
    #[arg(long, value_name = "DIR", default_value = "racegap-report")]
    pub out: PathBuf,
    /// Chart formats to write.
    #[arg(
        long,
        value_name = "FORMATS",
        value_delimiter = ',',
        default_value = "png,svg"
    )]
    pub format: Vec<ChartFormat>,
    /// Print the result as JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Never draw a progress bar (it is only drawn on a terminal anyway).
    #[arg(long)]
    pub no_progress: bool,
    /// Read every file again, ignoring and not writing the cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Where the cache of per-file results lives (default `$XDG_CACHE_HOME/racegap`, else
    /// `~/.cache/racegap`).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// The day the plan to race day starts after; activities after it are left out, as if
    /// it were that day (default: the day of the last activity).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Past races to compare builds with (TOML: `[[race]]` tables of date, name,
    /// distance_km, result).
    #[arg(long, value_name = "races.toml")]
    pub races: Option<PathBuf>,
}

/// An image format for the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartFormat {
    Png,
    Svg,
}

/// Race settings on the command line; each overrides the race file's.
#[derive(Debug, Args, Clone, Default)]
pub struct RaceFlags {
    /// The race course (GPX; TCX and FIT also work).
    #[arg(long, value_name = "COURSE")]
    pub course: Option<PathBuf>,
    /// A separate file of waypoints (aid stations, summits with heights).
    #[arg(long, value_name = "GPX")]
    pub waypoints: Option<PathBuf>,
    /// Goal finishing time (`3:30:00` or `3h30`).
    #[arg(long, value_name = "H:MM:SS")]
    pub goal: Option<String>,
    /// Race day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Start time of day.
    #[arg(long, value_name = "HH:MM")]
    pub start_time: Option<String>,
    /// Expected air temperature at the race: `22C` or `72F`; a bare number is °C, or °F with
    /// `--units imperial`.
    #[arg(long, value_name = "C", allow_hyphen_values = true)]
    pub temperature: Option<String>,
    /// Expected relative humidity at the race, percent.
    #[arg(long, value_name = "PCT")]
    pub humidity: Option<f64>,
    /// The race's name.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Weeks of training before the race that make the block (default 16).
    #[arg(long, value_name = "N")]
    pub block_weeks: Option<u32>,
    /// Added to every training temperature reading, °C (e.g. -3 for a wrist sensor).
    #[arg(long, value_name = "C", allow_hyphen_values = true)]
    pub temperature_offset: Option<f64>,
    /// Maximum heart rate, for time in heart-rate zones.
    #[arg(long, value_name = "BPM")]
    pub max_hr: Option<f64>,
    /// Unit of the course file's elevations: m, ft, or auto (feet when the values rise
    /// beyond the highest ground on Earth).
    #[arg(long, value_name = "UNIT")]
    pub elevation_unit: Option<ElevationUnit>,
    /// The race's official distance, km (default: the standard distance the course
    /// measures within 2 % of, else the course's length).
    #[arg(long, value_name = "KM")]
    pub distance_km: Option<f64>,
    /// Grade-adjusted pace model: strava (Strava's 2017 empirical model) or minetti
    /// (Minetti 2002 metabolic cost, far more generous downhill).
    #[arg(long, value_name = "MODEL")]
    pub gap_model: Option<GapModel>,
    /// The race's kind: terrain (road, hilly-road, trail, mountain) and distance class
    /// (5k, 10k, half, marathon, ultra), e.g. mountain-ultra; default: from the course.
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Units of what is printed and drawn: metric (km, m, °C) or imperial (mi, ft, °F);
    /// CSV and JSON numbers stay SI. Default: the race file's `units`, else metric.
    #[arg(long, value_name = "UNITS")]
    pub units: Option<Units>,
}

impl RaceFlags {
    pub fn any_race_setting(&self) -> bool {
        self.course.is_some() || self.goal.is_some() || self.date.is_some()
    }
}

#[derive(Debug, Args)]
pub struct CourseArgs {
    /// The race course: a GPX track or route (TCX and FIT courses also work).
    #[arg(value_name = "COURSE")]
    pub course: PathBuf,
    /// Goal finishing time, for target paces.
    #[arg(long, value_name = "H:MM:SS")]
    pub goal: Option<String>,
    /// A separate file of waypoints (aid stations), as organisers often publish them.
    #[arg(long, value_name = "GPX")]
    pub waypoints: Option<PathBuf>,
    /// Unit of the course file's elevations: m, ft, or auto (feet when the values rise
    /// beyond the highest ground on Earth).
    #[arg(long, value_name = "UNIT", default_value = "auto")]
    pub elevation_unit: ElevationUnit,
    /// The race's official distance, km (default: the standard distance the course
    /// measures within 2 % of, else the course's length).
    #[arg(long, value_name = "KM")]
    pub distance_km: Option<f64>,
    /// Grade-adjusted pace model: strava (Strava's 2017 empirical model) or minetti
    /// (Minetti 2002 metabolic cost, far more generous downhill).
    #[arg(long, value_name = "MODEL", default_value = "strava")]
    pub gap_model: GapModel,
    /// Units of what is printed: metric (km, m) or imperial (mi, ft); JSON stays SI.
    #[arg(long, value_name = "UNITS", default_value = "metric")]
    pub units: Units,
    /// Print the result as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files or folders to inspect.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Units of what is printed: metric (km, m, °C) or imperial (mi, ft, °F); JSON stays SI.
    #[arg(long, value_name = "UNITS", default_value = "metric")]
    pub units: Units,
    /// Print the result as JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub metrics: MetricsArgs,
}

/// Options of the per-run metrics.
#[derive(Debug, Args, Clone, Default)]
pub struct MetricsArgs {
    /// Goal pace (M:SS per km, or per mile with `--units imperial`; `8:00/mi` and
    /// `4:58/km` say it outright), judged in grade-adjusted terms.
    #[arg(long, value_name = "M:SS")]
    pub goal_pace: Option<String>,
    /// How close to goal pace counts as at goal pace, percent.
    #[arg(long, value_name = "PCT", default_value_t = 3.0)]
    pub goal_tolerance: f64,
    /// Maximum heart rate, for time in heart-rate zones.
    #[arg(long, value_name = "BPM")]
    pub max_hr: Option<f64>,
    /// Added to every temperature reading, °C (e.g. -3 for a wrist sensor that reads warm).
    #[arg(
        long,
        value_name = "C",
        default_value_t = 0.0,
        allow_hyphen_values = true
    )]
    pub temperature_offset: f64,
    /// Grade-adjusted pace model: strava (Strava's 2017 empirical model) or minetti
    /// (Minetti 2002 metabolic cost).
    #[arg(long, value_name = "MODEL", default_value = "strava")]
    pub gap_model: GapModel,
}
