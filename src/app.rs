//! The commands: turns parsed CLI input into work and an exit status.

use crate::batch::{ingest_all, Batch, BatchOptions};
use crate::cli::{AnalyzeArgs, Cli, Command, CourseArgs, InspectArgs};
use crate::coach;
use crate::config::{metrics_config, AnalyzeConfig};
use crate::discover::discover;
use crate::error::{shown, shown_lines, ReadError};
use crate::gaps;
use crate::history::{self, RunRow};
use crate::ingest::read_path;
use crate::inspect::{ActivitySummary, FileReport};
use crate::race::{course_demands, RaceError};
use crate::report::{self, summary::RunStats, summary::Summary};
use crate::track::compute;
use crate::units::parse_duration;
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::PathBuf;

/// Exit status: every input was used.
pub const EXIT_OK: u8 = 0;
/// Exit status: some files were skipped (each is listed with its reason).
pub const EXIT_SKIPPED: u8 = 1;
/// Exit status: nothing usable, or a fatal error.
pub const EXIT_FATAL: u8 = 2;

pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Inspect(a) => inspect(a),
        Command::Analyze(a) => analyze(*a),
        Command::Course(a) => course(a),
    }
}

fn status(used: usize, skipped: usize) -> u8 {
    if used == 0 {
        EXIT_FATAL
    } else if skipped > 0 {
        EXIT_SKIPPED
    } else {
        EXIT_OK
    }
}

fn inspect(args: InspectArgs) -> Result<u8> {
    let cfg = metrics_config(&args.metrics, args.units)?;
    crate::ingest::zone::prepare();
    // Folders are expanded to the activity files inside them; files are taken as given.
    let mut paths: Vec<(PathBuf, Option<ReadError>)> = Vec::new();
    for input in &args.files {
        if input.is_dir() {
            let found = discover(std::slice::from_ref(input));
            paths.extend(found.candidates.into_iter().map(|c| (c.path, None)));
            paths.extend(found.errors.into_iter().map(|(p, e)| (p, Some(e))));
        } else {
            paths.push((input.clone(), None));
        }
    }
    let reports: Vec<FileReport> = paths
        .par_iter()
        .map(|(p, err)| {
            let r = match err {
                Some(e) => Err(e.clone()),
                None => read_path(p),
            };
            FileReport::from_result(p, &r, Some(&cfg))
        })
        .flatten_iter()
        .collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &reports)?;
        writeln!(out)?;
    } else {
        for (i, r) in reports.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            write!(out, "{}", shown_lines(&r.to_text(args.units)))?;
        }
    }
    let failed = reports.iter().filter(|r| !r.ok).count();
    for r in reports.iter().filter(|r| !r.ok) {
        if let Some(e) = &r.error {
            eprintln!("racegap: {}: {}", shown(&r.path), shown(&e.message));
        }
    }
    Ok(status(reports.len() - failed, failed))
}

/// What `analyze` keeps of each activity once its samples are gone (and caches).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Processed {
    pub summary: ActivitySummary,
    pub row: RunRow,
}

fn analyze(args: AnalyzeArgs) -> Result<u8> {
    let cfg = AnalyzeConfig::resolve(args)?;
    let race = cfg.race.as_ref();
    for n in race.iter().flat_map(|r| &r.demands.notes) {
        eprintln!("racegap: course: {}", shown(n));
    }
    let mut batch = ingest(&cfg);
    let first_start = batch
        .items
        .iter()
        .filter_map(|(l, _)| l.span_ms.map(|s| s.0))
        .min();
    if let Some(r) = race {
        r.spec.check_against_history(first_start)?;
    }
    // Split the results once: the rows feed the tables and charts, the heads the summary.
    let (heads, mut rows) = as_of_today(&cfg, std::mem::take(&mut batch.items))?;
    let mut weeks =
        history::weeks_of(&rows, race.map(|r| &r.spec)).context("weekly aggregation")?;
    let today = cfg.today.unwrap_or_else(crate::calendar::today_day);
    let analysis = race.map(|r| {
        gaps::judge(
            &r.spec,
            &r.demands,
            &r.plan,
            &rows,
            &weeks,
            &cfg.thresholds,
            today,
        )
    });
    // Off road, long runs by time too: the tables and charts then count what the rows did.
    if let Some(s) = analysis.as_ref().and_then(|a| a.long_run_s) {
        history::mark_long_by_time(&mut rows, s);
        weeks = history::weeks_of(&rows, race.map(|r| &r.spec)).context("weekly aggregation")?;
    }
    let coach = race.zip(analysis.as_ref()).map(|(r, a)| {
        coach::coach(&coach::Inputs {
            spec: &r.spec,
            demands: &r.demands,
            analysis: a,
            rows: &rows,
            listed: &cfg.listed_races,
            thresholds: &cfg.thresholds,
            today: cfg
                .plan_day(&rows, crate::calendar::today_day())
                .unwrap_or(today),
            units: cfg.units,
        })
    });
    let mut summary = Summary::new(
        race.map(|r| &r.spec),
        race.map(|r| &r.demands),
        analysis.as_ref(),
        &cfg.thresholds,
        &batch,
        &heads,
        &rows,
        &weeks,
        cfg.units,
    );
    summary.coach = coach.as_ref();
    // Nothing usable: the previous report, if any, stays as it was.
    let written = !rows.is_empty();
    if written {
        report::publish(&cfg.out, &cfg.protected(), cfg.formats, &summary, &rows)?;
    } else {
        let kept = if cfg.out.exists() {
            format!("; {} left as it was", shown(&cfg.out.display().to_string()))
        } else {
            String::new()
        };
        eprintln!("racegap: no activity could be used; no report written{kept}");
    }
    let mut out = std::io::stdout().lock();
    if cfg.json {
        summary.run = Some(RunStats {
            files_read: batch.files_read,
            cache_hits: batch.cache_hits,
        });
        serde_json::to_writer_pretty(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        write!(
            out,
            "{}",
            report::terminal_text(&summary, &batch, rows.len())
        )?;
        if written {
            let shown_out = shown(&cfg.out.display().to_string());
            writeln!(out, "\nReport written to {shown_out}")?;
        }
    }
    Ok(status(rows.len(), batch.skipped.len()))
}

/// An activity's label and summary, beside its row.
type Head = (String, ActivitySummary);

/// The activities as of `--today` (those after it left out), split into the summaries'
/// heads and the rows; an error when `--today` leaves none.
fn as_of_today(
    cfg: &AnalyzeConfig,
    items: Vec<(crate::dedupe::Light, Processed)>,
) -> Result<(Vec<Head>, Vec<RunRow>)> {
    let first_day = items.iter().map(|(_, p)| p.row.day).min();
    let (heads, rows): (Vec<_>, Vec<_>) = items
        .into_iter()
        .map(|(l, p)| ((l.label, p.summary), p.row))
        .filter(|(_, row)| cfg.today.is_none_or(|t| row.day <= t))
        .unzip();
    if let (Some(t), Some(first), true) = (cfg.today, first_day, rows.is_empty()) {
        anyhow::bail!(
            "--today {} is before the first activity ({}): nothing to judge or plan from",
            crate::calendar::format_day(t),
            crate::calendar::format_day(first)
        );
    }
    Ok((heads, rows))
}

/// Reads every input (through the cache), each activity measured as it is read; the
/// files skipped and the metadata not used are named on stderr.
fn ingest(cfg: &AnalyzeConfig) -> Batch<Processed> {
    let opts = BatchOptions {
        progress: cfg.progress,
        cache_dir: cfg.cache_dir.clone(),
        cache_tag: cfg.cache_tag(),
    };
    let batch = ingest_all(&cfg.inputs, &opts, |a| Processed {
        summary: ActivitySummary::of(a),
        row: RunRow::new(
            a,
            compute(a, &cfg.metrics),
            cfg.heat_threshold_c,
            cfg.long_run_m,
        ),
    });
    for s in &batch.skipped {
        let path = shown(&s.path.display().to_string());
        eprintln!("racegap: skipped {path}: {}", shown(&s.error.to_string()));
    }
    for (p, why) in &batch.metadata_problems {
        let path = shown(&p.display().to_string());
        eprintln!("racegap: {path}: metadata not used: {}", shown(why));
    }
    if let Some(note) = &batch.cache_note {
        eprintln!("racegap: cache: {}", shown(note));
    }
    batch
}

fn course(args: CourseArgs) -> Result<u8> {
    let goal = match &args.goal {
        Some(g) => Some(crate::race::in_range(
            "--goal (seconds)",
            parse_duration(g)
                .filter(|v| *v > 0.0)
                .ok_or_else(|| RaceError::BadGoalTime(g.clone()))?,
            crate::race::limits::GOAL_S,
            " s",
        )?),
        None => None,
    };
    let extra = match &args.waypoints {
        Some(p) => crate::race::read_waypoints(p)?,
        None => Vec::new(),
    };
    if let Some(km) = args.distance_km {
        crate::race::distance_km_in_range("--distance-km", km)?;
    }
    let d = course_demands(
        &args.course,
        None,
        goal,
        &extra,
        crate::race::CourseOptions {
            elevation_unit: args.elevation_unit,
            distance_km: args.distance_km,
            gap_model: args.gap_model,
            off_road: false,
            units: args.units,
        },
    )?;
    if let (Some(g), Some(text)) = (goal, &args.goal) {
        crate::race::check_goal(g, text, &d, args.units)?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &d)?;
        writeln!(out)?;
    } else {
        write!(
            out,
            "{}",
            shown_lines(&report::text::course_text(&d, args.units))
        )?;
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's exit statuses: 0 all read, 1 some skipped, 2 nothing usable.
    #[test]
    fn the_exit_status_tells_whether_files_were_skipped() {
        assert_eq!(status(5, 0), EXIT_OK);
        assert_eq!(status(5, 1), EXIT_SKIPPED);
        assert_eq!(status(0, 0), EXIT_FATAL);
        assert_eq!(status(0, 3), EXIT_FATAL);
        assert_eq!((EXIT_OK, EXIT_SKIPPED, EXIT_FATAL), (0, 1, 2));
    }
}
