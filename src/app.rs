//! The commands: turns parsed CLI input into work and an exit status.

use crate::batch::{ingest_all, Batch, BatchOptions};
use crate::calendar::{format_day, week_of};
use crate::cli::{AnalyzeArgs, Cli, Command, CourseArgs, InspectArgs};
use crate::config::{metrics_config, AnalyzeConfig};
use crate::dedupe::Light;
use crate::discover::discover;
use crate::error::{shown, shown_lines, ReadError};
use crate::gaps::{self, Analysis, Thresholds};
use crate::history::{weekly, RunRow, Week};
use crate::ingest::read_path;
use crate::inspect::{ActivitySummary, FileReport};
use crate::race::{course_demands, RaceDemands, RaceError, RaceSpec};
use crate::report::{self, tables, terminal};
use crate::track::{compute, ActivityStats};
use crate::units::{hms, km, pace, parse_duration};
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Deserialize;
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
            write!(out, "{}", shown_lines(&r.to_text()))?;
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
    reason: String,
}

/// Files that were not used, in every output.
#[derive(Serialize)]
struct InputsSummary {
    activities: usize,
    skipped: Vec<SkippedRow>,
    routes: Vec<String>,
    ignored: Vec<String>,
    duplicates: Vec<DuplicateRow>,
    metadata_problems: Vec<SkippedRow>,
}

impl InputsSummary {
    fn of<T>(batch: &Batch<T>, activities: usize) -> InputsSummary {
        InputsSummary {
            activities,
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
                    reason: d.reason.clone(),
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
        }
    }
}

/// How this run got its results: printed with `--json`, left out of `summary.json`, which
/// is the same whether the cache was used or not.
#[derive(Serialize)]
struct RunStats {
    /// Files whose contents were read in this run (0 on a re-run of an unchanged folder).
    files_read: usize,
    /// Files whose outcome came from the cache.
    cache_hits: usize,
}

/// `summary.json` and the `--json` output of `analyze`.
#[derive(Serialize)]
struct Summary<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    run: Option<RunStats>,
    racegap_version: &'static str,
    race: Option<&'a RaceSpec>,
    demands: Option<&'a RaceDemands>,
    analysis: Option<&'a Analysis>,
    thresholds: &'a Thresholds,
    inputs: InputsSummary,
    weeks: &'a [Week],
    activities: Vec<ActivityRow<'a>>,
}

#[derive(Serialize)]
struct ActivityRow<'a> {
    path: &'a str,
    #[serde(flatten)]
    summary: &'a ActivitySummary,
    /// The metrics, without the elevation profile and kilometre splits (the charts show
    /// them).
    metrics: ActivityStats,
    counts_as_run: bool,
    long_run: bool,
}

/// What `analyze` keeps of each activity once its samples are gone (and caches).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Processed {
    pub summary: ActivitySummary,
    pub row: RunRow,
}

fn analyze(args: AnalyzeArgs) -> Result<u8> {
    let cfg = AnalyzeConfig::resolve(args)?;
    let spec = cfg.race.as_ref().map(|r| &r.spec);
    let demands = cfg.race.as_ref().map(|r| &r.demands);
    for n in demands.iter().flat_map(|d| &d.notes) {
        eprintln!("racegap: course: {}", shown(n));
    }
    let thresholds = &cfg.thresholds;
    let (metrics, heat_threshold, long_run_m) =
        (&cfg.metrics, cfg.heat_threshold_c, cfg.long_run_m);
    let opts = BatchOptions {
        progress: cfg.progress,
        cache_dir: cfg.cache_dir.clone(),
        cache_tag: cfg.cache_tag(),
    };
    let mut batch = ingest_all(&cfg.inputs, &opts, |a| Processed {
        summary: ActivitySummary::of(a),
        row: RunRow::new(a, compute(a, metrics), heat_threshold, long_run_m),
    });
    for s in &batch.skipped {
        eprintln!(
            "racegap: skipped {}: {}",
            shown(&s.path.display().to_string()),
            shown(&s.error.to_string())
        );
    }
    for (p, why) in &batch.metadata_problems {
        eprintln!(
            "racegap: {}: metadata not used: {}",
            shown(&p.display().to_string()),
            shown(why)
        );
    }
    if let Some(note) = &batch.cache_note {
        eprintln!("racegap: cache: {}", shown(note));
    }
    let first_start = batch
        .items
        .iter()
        .filter_map(|(l, _)| l.span_ms.map(|s| s.0))
        .min();
    if let Some(s) = &spec {
        s.check_against_history(first_start)?;
    }
    // Split the results once: the rows feed the tables and charts, the heads the summary.
    let (heads, rows): (Vec<(Light, ActivitySummary)>, Vec<RunRow>) =
        std::mem::take(&mut batch.items)
            .into_iter()
            .map(|(l, p)| ((l, p.summary), p.row))
            .unzip();

    // The calendar: the block with a race, else the weeks of the runs whose dates can be
    // trusted (none: no weeks, not a week of 1970).
    let span = match &spec {
        Some(s) => Some((week_of(s.block_start_day()), week_of(s.date_day))),
        None => {
            let today = crate::calendar::today_day();
            let days: Vec<i64> = rows
                .iter()
                .filter(|r| r.is_run && crate::calendar::date_trusted(r.day, today))
                .map(|r| r.day)
                .collect();
            days.iter()
                .min()
                .zip(days.iter().max())
                .map(|(lo, hi)| (week_of(*lo), week_of(*hi)))
        }
    };
    let weeks = match span {
        Some((first_week, last_week)) if rows.iter().any(|r| r.is_run) => {
            weekly(&rows, first_week, last_week).context("weekly aggregation")?
        }
        _ => Vec::new(),
    };
    let analysis = cfg.race.as_ref().map(|r| {
        let today = crate::calendar::today_day();
        gaps::judge(
            &r.spec, &r.demands, &r.plan, &rows, &weeks, thresholds, today,
        )
    });

    let mut summary = Summary {
        run: None,
        racegap_version: env!("CARGO_PKG_VERSION"),
        race: spec,
        demands,
        analysis: analysis.as_ref(),
        thresholds,
        inputs: InputsSummary::of(&batch, rows.len()),
        weeks: &weeks,
        activities: heads
            .iter()
            .zip(&rows)
            .map(|((l, summary), row)| ActivityRow {
                path: &l.label,
                summary,
                metrics: ActivityStats {
                    profile: Vec::new(),
                    gap_splits_s_per_km: Vec::new(),
                    ..row.stats.clone()
                },
                counts_as_run: row.is_run,
                long_run: row.is_long,
            })
            .collect(),
    };
    let formats = cfg.formats;
    let skipped: Vec<(String, String)> = summary
        .inputs
        .skipped
        .iter()
        .map(|s| (s.path.clone(), s.reason.clone()))
        .chain(
            summary
                .inputs
                .metadata_problems
                .iter()
                .map(|s| (s.path.clone(), s.reason.clone())),
        )
        .collect();
    // Nothing usable: the previous report, if any, stays as it was.
    let written = if rows.is_empty() {
        let kept = if cfg.out.exists() {
            format!("; {} left as it was", shown(&cfg.out.display().to_string()))
        } else {
            String::new()
        };
        eprintln!("racegap: no activity could be used; no report written{kept}");
        false
    } else {
        let protected = cfg.protected();
        report::output::write_report(&cfg.out, &protected, |dir| {
            let inputs = report::ChartInputs {
                spec,
                demands,
                analysis: analysis.as_ref(),
                weeks: &weeks,
                rows: &rows,
                thresholds,
            };
            let charts = report::write_charts(dir, &inputs, formats)?;
            let page = report::html::render(&report::html::Page {
                spec,
                demands,
                analysis: analysis.as_ref(),
                charts: &charts,
                activities: rows.len(),
                runs_in_block: report::block_runs(&inputs).len(),
                skipped: &skipped,
            });
            let file = |name: &str| dir.join(name);
            std::fs::write(file("index.html"), page)
                .context("cannot write index.html of the report")?;
            tables::write_activities(&file("activities.csv"), &rows)
                .context("cannot write activities.csv of the report")?;
            tables::write_weekly(&file("weekly.csv"), &weeks)
                .context("cannot write weekly.csv of the report")?;
            if let Some(a) = &analysis {
                tables::write_gaps(&file("gaps.csv"), &a.gaps)
                    .context("cannot write gaps.csv of the report")?;
            }
            tables::write_summary(&file("summary.json"), &summary)
                .context("cannot write summary.json of the report")
        })
        .with_context(|| format!("report not written to {}", cfg.out.display()))?;
        true
    };

    let mut out = std::io::stdout().lock();
    if cfg.json {
        summary.run = Some(RunStats {
            files_read: batch.files_read,
            cache_hits: batch.cache_hits,
        });
        serde_json::to_writer_pretty(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", inputs_line(&batch, rows.len()))?;
        match (&spec, &demands, &analysis) {
            (Some(s), Some(d), Some(a)) => {
                write!(out, "{}", race_header(s, d, a))?;
                write!(
                    out,
                    "{}",
                    terminal::gaps_table(&a.gaps, terminal::colour_wanted())
                )?;
            }
            _ => write!(out, "{}", weekly_text(&weeks))?,
        }
        if written {
            writeln!(
                out,
                "\nReport written to {}",
                shown(&cfg.out.display().to_string())
            )?;
        }
    }
    Ok(status(rows.len(), batch.skipped.len()))
}

fn paths(v: &[PathBuf]) -> Vec<String> {
    v.iter().map(|p| p.display().to_string()).collect()
}

/// One line on what was read, and what was not.
fn inputs_line<T>(batch: &Batch<T>, activities: usize) -> String {
    let mut s = format!(
        "{} activities read, {} skipped, {} duplicates merged, {} routes without times, {} other files ignored\n",
        activities,
        batch.skipped.len(),
        batch.duplicates.len(),
        batch.routes.len(),
        batch.ignored.len()
    );
    if batch.strava_entries > 0 {
        s.push_str(&format!(
            "Strava export metadata found for {} files\n",
            batch.strava_entries
        ));
    }
    s
}

fn race_header(s: &RaceSpec, d: &RaceDemands, a: &Analysis) -> String {
    let goal = s
        .goal_time_s
        .map(|g| format!(", goal {}", hms(g)))
        .unwrap_or_default();
    let temp = s
        .expected_temperature_c
        .map(|t| format!(", {t:.0} °C expected"))
        .unwrap_or_default();
    let mut out = format!(
        "\n{} on {}: {}, +{:.0} / -{:.0} m{goal}{temp}\nRace profile: {} ({}); long runs of {}{} ({})\nTraining block: {} ({} weeks and race week)\n",
        shown(&d.name),
        format_day(s.date_day),
        km(d.distance_m),
        d.ascent_m,
        d.descent_m,
        a.plan.profile,
        a.plan.profile.source,
        km(a.plan.long_run_m),
        a.long_run_s
            .map(|s| format!(" or {}", hms(s)))
            .unwrap_or_default(),
        a.plan.long_run_rule,
        tables::block_text(a),
        s.block_weeks
    );
    for w in &a.warnings {
        out.push_str(&format!("Warning: {}\n", shown(w)));
    }
    out.push('\n');
    out
}

/// Without a race: the weekly history.
fn weekly_text(weeks: &[Week]) -> String {
    let mut s = format!(
        "\n{:<10} {:>5} {:>9} {:>8} {:>7} {:>5}\n",
        "week", "runs", "distance", "time", "climb", "long"
    );
    for w in weeks {
        s.push_str(&format!(
            "{:<10} {:>5} {:>9} {:>8} {:>5.0} m {:>5}\n",
            w.week_start,
            w.runs,
            km(w.distance_m),
            hms(w.moving_s),
            w.ascent_m,
            w.long_runs
        ));
    }
    s
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
        },
    )?;
    if let (Some(g), Some(text)) = (goal, &args.goal) {
        crate::race::check_goal(g, text, &d)?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &d)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", shown_lines(&course_text(&d)))?;
    }
    Ok(EXIT_OK)
}

/// The course's demands in words and tables.
pub fn course_text(d: &RaceDemands) -> String {
    let mut s = String::new();
    s.push_str(&format!("{}\n", d.name));
    s.push_str(&format!("  distance        {}\n", km(d.distance_m)));
    if (d.race_distance_m - d.distance_m).abs() > 1.0 {
        s.push_str(&format!(
            "  race distance   {} ({})\n",
            km(d.race_distance_m),
            d.race_distance_source
        ));
    }
    for n in &d.notes {
        s.push_str(&format!("  note            {n}\n"));
    }
    if d.has_elevation {
        s.push_str(&format!(
            "  climbing        +{:.0} m / -{:.0} m{}\n",
            d.ascent_m,
            d.descent_m,
            match (d.min_elevation_m, d.max_elevation_m) {
                (Some(lo), Some(hi)) => format!(", between {lo:.0} and {hi:.0} m"),
                _ => String::new(),
            }
        ));
        if let (Some(up), Some(down)) = (d.raw_ascent_m, d.raw_descent_m) {
            s.push_str(&format!(
                "                  (the file's raw sum: +{up:.0} m / -{down:.0} m; elevation noise {:.1} m{})\n",
                d.elevation_noise_sd_m,
                if d.elevation_in_feet { ", read as feet" } else { "" }
            ));
        }
        s.push_str(&format!(
            "  final third     {:.0} % of the climbing comes after km {:.1}\n",
            d.final_third_climb_share * 100.0,
            d.distance_m * 2.0 / 3.0 / 1000.0
        ));
    } else {
        s.push_str("  climbing        unknown: the course file has no elevation\n");
        if let (Some(up), Some(rise)) = (d.waypoint_climb_m, d.waypoint_biggest_rise_m) {
            s.push_str(&format!(
                "                  (its waypoints' heights climb at least {up:.0} m, the biggest rise {rise:.0} m)\n"
            ));
        }
    }
    if let Some(g) = d.goal_time_s {
        s.push_str(&format!(
            "  goal            {} = {} flat pace, {} grade-adjusted\n",
            hms(g),
            pace(d.flat_pace_s_per_km.unwrap_or(0.0)),
            pace(d.goal_gap_s_per_km.unwrap_or(0.0))
        ));
    }
    for (title, list) in [("Climbs", &d.climbs), ("Descents", &d.descents)] {
        let mut big: Vec<&crate::track::climbs::Climb> =
            list.iter().filter(|c| c.gain_m >= 20.0).collect();
        if big.is_empty() {
            continue;
        }
        big.sort_by(|a, b| a.start_m.total_cmp(&b.start_m));
        s.push_str(&format!("\n{title} of 20 m or more:\n"));
        s.push_str("  from km   to km   height   length   grade   steepest\n");
        for c in big {
            s.push_str(&format!(
                "  {:>7.1} {:>7.1} {:>6.0} m {:>7} {:>6.1} % {:>7.1} %\n",
                c.start_m / 1000.0,
                c.end_m / 1000.0,
                c.gain_m,
                km(c.length_m),
                c.mean_grade * 100.0,
                c.max_grade * 100.0
            ));
        }
    }
    if d.goal_time_s.is_some() && d.segments.is_empty() {
        s.push_str(&format!(
            "\nTarget pace: an even {} (no elevation to adjust for)\n",
            pace(d.flat_pace_s_per_km.unwrap_or(0.0))
        ));
    }
    if d.goal_time_s.is_some() && !d.segments.is_empty() {
        s.push_str("\nTarget pace per km (even effort for the goal; grade, then pace):\n");
        for seg in &d.segments {
            s.push_str(&format!(
                "  km {:>4.1}-{:<5.1} {:>+6.1} %  {}\n",
                seg.start_m / 1000.0,
                seg.end_m / 1000.0,
                seg.grade * 100.0,
                seg.target_pace_s_per_km.map(pace).unwrap_or_default()
            ));
        }
    }
    if !d.aid_stations.is_empty() {
        s.push_str("\nAid stations:\n");
        for a in &d.aid_stations {
            s.push_str(&format!(
                "  km {:>5.1}  {:<24} {} from the previous\n",
                a.at_m / 1000.0,
                a.name,
                km(a.from_previous_m)
            ));
        }
    }
    if d.off_course_waypoints > 0 {
        s.push_str(&format!(
            "  ({} waypoint(s) more than {:.0} m off the course not listed)\n",
            d.off_course_waypoints,
            crate::race::AID_STATION_MAX_OFF_COURSE_M
        ));
    }
    s
}
