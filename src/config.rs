//! The one configuration stage: command-line flags and `race.toml` resolved once, checked,
//! into what the commands run on. Flags override the race file; nothing downstream reads
//! either again.

use crate::cli::{AnalyzeArgs, ChartFormat, MetricsArgs, RaceFlags};
use crate::gaps::profile::{self, parse_kind};
use crate::gaps::{Plan, Thresholds};
use crate::history::DEFAULT_LONG_RUN_M;
use crate::race::{
    self, in_range, limits, parse_temperature_c, CourseOptions, RaceDemands, RaceFile, RaceSpec,
};
use crate::report::Formats;
use crate::track::MetricsConfig;
use crate::units::{parse_pace, Units};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// A target race: what the user asked for and what its course demands.
#[derive(Debug, Clone)]
pub struct Race {
    pub spec: RaceSpec,
    pub demands: RaceDemands,
    /// The profile's numbers (long-run length, time on feet, weekly climbing).
    pub plan: Plan,
}

impl Race {
    /// The race file (with the flags laid over it) checked, its course and waypoints read,
    /// its profile found.
    pub fn resolve(f: RaceFile, thresholds: &Thresholds) -> Result<Race> {
        let spec = RaceSpec::from_file(f)?;
        let waypoints = match &spec.waypoints {
            Some(p) => race::read_waypoints(p)?,
            None => Vec::new(),
        };
        let declared = match &spec.kind {
            Some(k) => parse_kind(k)
                .with_context(|| format!("race kind {k:?} is not one of: {}", profile::KINDS))?,
            None => (None, None),
        };
        let course = race::read_course(&spec.course, &waypoints)?;
        let read = |opts| {
            race::checked_demands(
                &spec.course,
                &course,
                Some(&spec.name),
                spec.goal_time_s,
                opts,
            )
        };
        let mut demands = read(spec.course_options())?;
        profile::check_declared(declared.1, &demands).map_err(anyhow::Error::msg)?;
        let mut race_profile = profile::profile(&demands, declared, spec.units);
        // A trail or mountain course is as long as it measures: measure it again without
        // snapping it to a road race's standard distance.
        if race_profile.terrain.off_road()
            && spec.distance_km.is_none()
            && demands.race_distance_m != demands.distance_m
        {
            demands = read(CourseOptions {
                off_road: true,
                ..spec.course_options()
            })?;
            race_profile = profile::profile(&demands, declared, spec.units);
        }
        if let (Some(g), Some(text)) = (spec.goal_time_s, spec.goal_text.as_deref()) {
            race::check_goal(g, text, &demands, spec.units)?;
        }
        let plan = thresholds.plan(&race_profile, demands.race_distance_m, spec.units);
        Ok(Race {
            spec,
            demands,
            plan,
        })
    }
}

/// Everything `analyze` runs on.
#[derive(Debug)]
pub struct AnalyzeConfig {
    /// The inputs, each read once (a folder inside another given is dropped).
    pub inputs: Vec<PathBuf>,
    pub race_file: Option<PathBuf>,
    pub race: Option<Race>,
    pub out: PathBuf,
    pub formats: Formats,
    pub json: bool,
    pub progress: bool,
    /// `None`: no cache.
    pub cache_dir: Option<PathBuf>,
    pub metrics: MetricsConfig,
    pub thresholds: Thresholds,
    /// Temperature at and above which a run's minutes count as heat, °C.
    pub heat_threshold_c: Option<f64>,
    /// A run at least this long is a long run.
    pub long_run_m: f64,
    /// The units of what is printed and drawn: the flag, else the race file's, else metric.
    pub units: Units,
    /// `--today`: the day to plan from (days since 1970-01-01); activities after it are
    /// left out.
    pub today: Option<i64>,
    /// `--races`: the file and the past races it lists.
    pub races_file: Option<PathBuf>,
    pub listed_races: Vec<crate::coach::Listed>,
}

impl AnalyzeConfig {
    pub fn resolve(args: AnalyzeArgs) -> Result<AnalyzeConfig> {
        for input in &args.inputs {
            if !input.exists() {
                anyhow::bail!("{}: no such file or folder", input.display());
            }
        }
        let inputs = distinct_inputs(&args.inputs);
        if let (Some(dir), false) = (&args.cache_dir, args.no_cache) {
            check_cache_dir(dir, &inputs, &args.out)?;
        }
        let thresholds = Thresholds::default();
        let race = match race_file(args.race.as_deref(), &args.race_flags)? {
            Some(f) => Some(Race::resolve(f, &thresholds)?),
            None => None,
        };
        let spec = race.as_ref().map(|r| &r.spec);
        let heat_threshold_c = spec
            .and_then(|s| s.expected_temperature_c)
            .map(|c| thresholds.heat_threshold_c(c));
        // Without a race the flags alone set the sensor correction and maximum heart rate.
        let flags = &args.race_flags;
        let temperature_offset_c = match spec {
            Some(s) => s.temperature_offset_c,
            None => match flags.temperature_offset {
                Some(v) => in_range(
                    "--temperature-offset",
                    v,
                    limits::TEMPERATURE_OFFSET_C,
                    " °C",
                )?,
                None => 0.0,
            },
        };
        let max_hr_bpm = match spec {
            Some(s) => s.max_hr_bpm,
            None => flags
                .max_hr
                .map(|v| in_range("--max-hr", v, limits::MAX_HR_BPM, " bpm"))
                .transpose()?,
        };
        let mut metrics = MetricsConfig {
            goal_pace_s_per_km: race.as_ref().and_then(|r| r.demands.goal_gap_s_per_km),
            temperature_offset_c,
            max_hr_bpm,
            gap_model: spec
                .map(|s| s.gap_model)
                .or(flags.gap_model)
                .unwrap_or_default(),
            ..MetricsConfig::default()
        };
        metrics.heat_bands_c.extend(heat_threshold_c);
        let long_run_m = race
            .as_ref()
            .map(|r| r.plan.long_run_m)
            .unwrap_or(DEFAULT_LONG_RUN_M);
        let units = spec.map(|s| s.units).or(flags.units).unwrap_or_default();
        let today = args.today.as_deref().map(parse_today).transpose()?;
        let listed_races = match &args.races {
            Some(_) if race.is_none() => anyhow::bail!(
                "--races compares your past races with a target race: give one (--race or --course)"
            ),
            Some(p) => read_races(p)?,
            None => Vec::new(),
        };
        Ok(AnalyzeConfig {
            today,
            races_file: args.races,
            listed_races,
            units,
            inputs,
            race_file: args.race,
            race,
            formats: Formats {
                png: args.format.contains(&ChartFormat::Png),
                svg: args.format.contains(&ChartFormat::Svg),
            },
            json: args.json,
            progress: !args.no_progress,
            cache_dir: if args.no_cache {
                None
            } else {
                args.cache_dir.or_else(crate::cache::default_dir)
            },
            out: args.out,
            metrics,
            thresholds,
            heat_threshold_c,
            long_run_m,
        })
    }

    /// The paths the report must never touch: the inputs, the race file and the course.
    pub fn protected(&self) -> Vec<PathBuf> {
        let mut p = self.inputs.clone();
        p.extend(self.race_file.iter().cloned());
        p.extend(self.races_file.iter().cloned());
        p.extend(self.race.iter().map(|r| r.spec.course.clone()));
        p.extend(self.race.iter().filter_map(|r| r.spec.waypoints.clone()));
        p
    }

    /// The day the coach plans from: `--today`, else the day of the last activity in
    /// `rows` whose date can be trusted (a watch clock set to 2030 is not today) against
    /// `clock`, the calendar's today.
    pub fn plan_day(&self, rows: &[crate::history::RunRow], clock: i64) -> Option<i64> {
        self.today.or_else(|| {
            rows.iter()
                .map(|r| r.day)
                .filter(|d| crate::calendar::date_trusted(*d, clock))
                .max()
        })
    }

    /// Everything a cached per-file result depends on besides the file itself.
    pub fn cache_tag(&self) -> String {
        format!(
            "racegap {} | {:?} | heat {:?} | long {}",
            env!("CARGO_PKG_VERSION"),
            self.metrics,
            self.heat_threshold_c,
            self.long_run_m
        )
    }
}

/// The race file with the flags laid over it; `None` when neither describes a race.
fn race_file(path: Option<&Path>, f: &RaceFlags) -> Result<Option<RaceFile>> {
    if path.is_none() && !f.any_race_setting() {
        return Ok(None);
    }
    let file = match path {
        Some(p) => RaceFile::load(p)?,
        None => RaceFile::default(),
    };
    let flags = RaceFile {
        name: f.name.clone(),
        course: f.course.clone(),
        waypoints: f.waypoints.clone(),
        goal_time: f.goal.clone(),
        date: f.date.clone(),
        start_time: f.start_time.clone(),
        expected_temperature_c: f
            .temperature
            .as_deref()
            .map(|t| {
                parse_temperature_c(
                    "--temperature",
                    t,
                    f.units.or(file.units).unwrap_or_default(),
                )
            })
            .transpose()?,
        humidity_pct: f.humidity,
        block_weeks: f.block_weeks,
        temperature_offset_c: f.temperature_offset,
        max_hr_bpm: f.max_hr,
        elevation_unit: f.elevation_unit,
        distance_km: f.distance_km,
        gap_model: f.gap_model,
        kind: f.kind.clone(),
        units: f.units,
    };
    Ok(Some(file.overridden_by(flags)))
}

/// The per-run metrics configuration of `inspect`.
pub fn metrics_config(m: &MetricsArgs, units: Units) -> Result<MetricsConfig> {
    let goal_pace_s_per_km = match &m.goal_pace {
        Some(text) => Some(parse_pace(text, units).with_context(|| {
            format!("--goal-pace {text:?} is not a pace like 4:58, 4:58/km or 8:00/mi")
        })?),
        None => None,
    };
    anyhow::ensure!(
        (0.0..=50.0).contains(&m.goal_tolerance),
        "--goal-tolerance must be between 0 and 50 percent"
    );
    if let Some(p) = goal_pace_s_per_km {
        // 1:00 to 60:00 per km: from beyond any sprint to a slow walk uphill.
        in_range("--goal-pace (s/km)", p, (60.0, 3600.0), " s/km")?;
    }
    if let Some(h) = m.max_hr {
        in_range("--max-hr", h, limits::MAX_HR_BPM, " bpm")?;
    }
    in_range(
        "--temperature-offset",
        m.temperature_offset,
        limits::TEMPERATURE_OFFSET_C,
        " °C",
    )?;
    Ok(MetricsConfig {
        goal_pace_s_per_km,
        goal_tolerance: m.goal_tolerance / 100.0,
        max_hr_bpm: m.max_hr,
        temperature_offset_c: m.temperature_offset,
        gap_model: m.gap_model,
        ..MetricsConfig::default()
    })
}

/// The inputs without repeats: one folder given twice in two spellings, or a folder inside
/// another given, is read once (else every file in it would be its own duplicate).
fn distinct_inputs(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let resolved: Vec<PathBuf> = inputs
        .iter()
        .map(|p| crate::report::output::resolve(p).unwrap_or_else(|_| p.clone()))
        .collect();
    inputs
        .iter()
        .enumerate()
        .filter(|&(i, _)| {
            !resolved.iter().enumerate().any(|(j, other)| {
                j != i && resolved[i].starts_with(other) && (resolved[i] != *other || j < i)
            })
        })
        .map(|(_, p)| p.clone())
        .collect()
}

/// Refuses a cache folder in, or holding, an input, or inside the report (which is replaced
/// whole): racegap writes nothing among the runner's files.
fn check_cache_dir(dir: &Path, inputs: &[PathBuf], out: &Path) -> Result<()> {
    let cache = crate::report::output::resolve(dir)?;
    let out = crate::report::output::resolve(out)?;
    for input in inputs {
        let input = crate::report::output::resolve(input)?;
        if cache.starts_with(&input) || input.starts_with(&cache) {
            anyhow::bail!(
                "--cache-dir {}: inside or holding the input {}; choose a folder apart from your files",
                crate::error::shown(&dir.display().to_string()),
                crate::error::shown(&input.display().to_string())
            );
        }
    }
    if cache.starts_with(&out) {
        anyhow::bail!(
            "--cache-dir {}: inside the report folder, which each run replaces; choose another folder",
            crate::error::shown(&dir.display().to_string())
        );
    }
    Ok(())
}

/// `--today`: a date from 1990 to 2100.
fn parse_today(text: &str) -> Result<i64> {
    let day = crate::calendar::parse_date(text)
        .with_context(|| format!("--today {text:?} is not a date YYYY-MM-DD"))?;
    let (lo, hi) = (
        crate::calendar::days_from_civil(1990, 1, 1),
        crate::calendar::days_from_civil(2100, 12, 31),
    );
    anyhow::ensure!(
        (lo..=hi).contains(&day),
        "--today {text} is not between 1990 and 2100"
    );
    Ok(day)
}

/// Reads `--races`: a small TOML file of past races, checked.
fn read_races(path: &Path) -> Result<Vec<crate::coach::Listed>> {
    let text = crate::safe_read::read_text(path, crate::race::MAX_RACE_FILE_BYTES)
        .map_err(|e| anyhow::anyhow!("{}: cannot read the races file: {e}", path.display()))?;
    crate::coach::past_races::parse_races(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}
