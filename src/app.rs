//! The commands: turns parsed CLI input into work and an exit status.

use crate::batch::{ingest_all, Batch, BatchOptions};
use crate::cli::{AnalyzeArgs, Cli, Command, CourseArgs, InspectArgs, MetricsArgs};
use crate::discover::discover;
use crate::error::ReadError;
use crate::ingest::read_path;
use crate::ingest::time::format_ms;
use crate::inspect::{ActivitySummary, FileReport};
use crate::model::Activity;
use crate::track::MetricsConfig;
use crate::units::{hms, parse_hms};
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
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
        Command::Analyze(a) => analyze(a),
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

/// The per-run metrics configuration from the command line.
pub fn metrics_config(m: &MetricsArgs) -> Result<MetricsConfig> {
    let goal_pace_s_per_km = match &m.goal_pace {
        Some(text) => Some(
            parse_hms(text)
                .filter(|p| *p > 0.0)
                .with_context(|| format!("--goal-pace {text:?} is not a pace like 4:58"))?,
        ),
        None => None,
    };
    anyhow::ensure!(
        (0.0..=50.0).contains(&m.goal_tolerance),
        "--goal-tolerance must be between 0 and 50 percent"
    );
    Ok(MetricsConfig {
        goal_pace_s_per_km,
        goal_tolerance: m.goal_tolerance / 100.0,
        max_hr_bpm: m.max_hr,
        temperature_offset_c: m.temperature_offset,
        ..MetricsConfig::default()
    })
}

fn inspect(args: InspectArgs) -> Result<u8> {
    let cfg = metrics_config(&args.metrics)?;
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
            write!(out, "{}", r.to_text())?;
        }
    }
    let failed = reports.iter().filter(|r| !r.ok).count();
    for r in reports.iter().filter(|r| !r.ok) {
        if let Some(e) = &r.error {
            eprintln!("racegap: {}: {}", r.path, e.message);
        }
    }
    Ok(status(reports.len() - failed, failed))
}

#[derive(Serialize)]
struct AnalyzeJson {
    activities: Vec<ActivityRow>,
    skipped: Vec<SkippedRow>,
    routes: Vec<String>,
    ignored: Vec<String>,
    duplicates: Vec<DuplicateRow>,
    metadata_problems: Vec<SkippedRow>,
}

#[derive(Serialize)]
struct ActivityRow {
    path: String,
    #[serde(flatten)]
    summary: ActivitySummary,
}

#[derive(Serialize)]
struct SkippedRow {
    path: String,
    kind: &'static str,
    reason: String,
}

#[derive(Serialize)]
struct DuplicateRow {
    kept: String,
    dropped: String,
}

fn analyze(args: AnalyzeArgs) -> Result<u8> {
    for input in &args.inputs {
        if !input.exists() {
            anyhow::bail!("{}: no such file or folder", input.display());
        }
    }
    let batch = ingest_all(
        &args.inputs,
        BatchOptions {
            progress: !args.no_progress,
        },
    );
    for s in &batch.skipped {
        eprintln!("racegap: skipped {}: {}", s.path.display(), s.error);
    }
    for (p, why) in &batch.metadata_problems {
        eprintln!("racegap: {}: metadata not used: {why}", p.display());
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let doc = AnalyzeJson {
            activities: batch
                .activities
                .iter()
                .map(|a| ActivityRow {
                    path: a.label(),
                    summary: ActivitySummary::of(a),
                })
                .collect(),
            skipped: batch
                .skipped
                .iter()
                .map(|s| SkippedRow {
                    path: s.path.display().to_string(),
                    kind: s.error.kind(),
                    reason: s.error.to_string(),
                })
                .collect(),
            routes: paths(&batch.routes),
            ignored: paths(&batch.ignored),
            duplicates: batch
                .duplicates
                .iter()
                .map(|d| DuplicateRow {
                    kept: d.kept.display().to_string(),
                    dropped: d.dropped.display().to_string(),
                })
                .collect(),
            metadata_problems: batch
                .metadata_problems
                .iter()
                .map(|(p, why)| SkippedRow {
                    path: p.display().to_string(),
                    kind: "metadata",
                    reason: why.clone(),
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", history_text(&batch))?;
    }
    Ok(status(batch.activities.len(), batch.skipped.len()))
}

fn paths(v: &[PathBuf]) -> Vec<String> {
    v.iter().map(|p| p.display().to_string()).collect()
}

/// The text summary of an ingest: one line per activity, then what was left out.
pub fn history_text(batch: &Batch) -> String {
    let mut acts: Vec<&Activity> = batch.activities.iter().collect();
    acts.sort_by_key(|a| (a.start_ms(), a.source.clone()));
    let mut s = String::new();
    s.push_str(&format!(
        "{} activities read, {} skipped, {} duplicates merged, {} routes without times, {} other files ignored\n",
        batch.activities.len(),
        batch.skipped.len(),
        batch.duplicates.len(),
        batch.routes.len(),
        batch.ignored.len()
    ));
    if batch.strava_entries > 0 {
        s.push_str(&format!(
            "Strava export metadata found for {} files\n",
            batch.strava_entries
        ));
    }
    if !acts.is_empty() {
        s.push_str(&format!(
            "\n{:<20} {:<9} {:>9} {:>7}  {}\n",
            "start (UTC)", "sport", "duration", "samples", "file"
        ));
    }
    for a in acts {
        s.push_str(&format!(
            "{:<20} {:<9} {:>9} {:>7}  {}\n",
            a.start_ms()
                .map(|t| format_ms(t, None))
                .unwrap_or_else(|| "-".into()),
            a.sport.name(),
            a.elapsed_s().map(hms).unwrap_or_else(|| "-".into()),
            a.samples.len(),
            a.label()
        ));
    }
    if !batch.skipped.is_empty() {
        s.push_str("\nSkipped:\n");
        for k in &batch.skipped {
            s.push_str(&format!("  {}: {}\n", k.path.display(), k.error));
        }
    }
    if !batch.duplicates.is_empty() {
        s.push_str("\nDuplicates (the richer copy is kept):\n");
        for d in &batch.duplicates {
            s.push_str(&format!(
                "  {} = {}\n",
                d.dropped.display(),
                d.kept.display()
            ));
        }
    }
    s
}

fn course(args: CourseArgs) -> Result<u8> {
    let mut acts = read_path(&args.course)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot read course {}", args.course.display()))?;
    // A course is one route; a multi-part file contributes its first part.
    let act = acts.remove(0);
    let report = FileReport::from_result(
        &args.course,
        &Ok(vec![act.clone()]),
        Some(&MetricsConfig::default()),
    )
    .remove(0);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", report.to_text())?;
        for w in &act.waypoints {
            writeln!(
                out,
                "  waypoint        {} ({:.5}, {:.5}{})",
                w.name.as_deref().unwrap_or("(unnamed)"),
                w.lat_deg,
                w.lon_deg,
                w.elevation_m
                    .map(|e| format!(", {e:.0} m"))
                    .unwrap_or_default()
            )?;
        }
    }
    Ok(if act.samples.is_empty() {
        EXIT_FATAL
    } else {
        EXIT_OK
    })
}
