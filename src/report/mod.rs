//! Everything racegap writes: the terminal gaps table, the CSV and JSON tables, the charts
//! and the page; `output` owns where the report folder goes and how it replaces the last.

pub mod charts;
pub mod html;
pub mod output;
pub mod summary;
pub mod tables;
pub mod terminal;
pub mod text;

use crate::calendar::week_of;
use crate::gaps::{Analysis, Thresholds};
use crate::history::{RunRow, Week};
use crate::race::{RaceDemands, RaceSpec};
use anyhow::{Context, Result};
use charts::heat::HeatData;
use charts::long_runs::LongRunData;
use charts::pace::PaceData;
use charts::profile::ProfileData;
use std::path::Path;

/// Which image formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub png: bool,
    pub svg: bool,
}

/// One chart as written.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartFile {
    /// File stem (`scorecard`, `weekly`, ...).
    pub name: &'static str,
    pub title: String,
    pub caption: String,
    /// The SVG document, when SVG was written.
    pub svg: Option<String>,
}

impl ChartFile {
    pub fn png_name(&self) -> String {
        format!("{}.png", self.name)
    }
}

/// Everything the charts are drawn from.
pub struct ChartInputs<'a> {
    pub spec: Option<&'a RaceSpec>,
    pub demands: Option<&'a RaceDemands>,
    pub analysis: Option<&'a Analysis>,
    pub weeks: &'a [Week],
    pub rows: &'a [RunRow],
    pub thresholds: &'a Thresholds,
    pub units: crate::units::Units,
}

/// Writes the whole report into `out` (replacing only a report racegap made, never a path
/// in `protected`): charts, `index.html`, the CSV tables and `summary.json`.
pub fn publish(
    out: &Path,
    protected: &[std::path::PathBuf],
    formats: Formats,
    s: &summary::Summary,
    rows: &[RunRow],
) -> Result<()> {
    output::write_report(out, protected, |dir| {
        let inputs = ChartInputs {
            spec: s.race,
            demands: s.demands,
            analysis: s.analysis,
            weeks: s.weeks,
            rows,
            thresholds: s.thresholds,
            units: s.units,
        };
        let charts = write_charts(dir, &inputs, formats)?;
        let page = html::render(&html::Page {
            spec: s.race,
            demands: s.demands,
            analysis: s.analysis,
            charts: &charts,
            activities: rows.len(),
            runs_in_block: block_runs(&inputs).len(),
            skipped: &s.skipped(),
            units: s.units,
        });
        let file = |name: &str| dir.join(name);
        std::fs::write(file("index.html"), page)
            .context("cannot write index.html of the report")?;
        tables::write_activities(&file("activities.csv"), rows)
            .context("cannot write activities.csv of the report")?;
        tables::write_weekly(&file("weekly.csv"), s.weeks)
            .context("cannot write weekly.csv of the report")?;
        if let Some(a) = s.analysis {
            tables::write_gaps(&file("gaps.csv"), &a.gaps)
                .context("cannot write gaps.csv of the report")?;
        }
        tables::write_summary(&file("summary.json"), s)
            .context("cannot write summary.json of the report")
    })
    .with_context(|| format!("report not written to {}", out.display()))
}

/// What `analyze` prints: what was read, then the race's gaps or the weekly history.
pub fn terminal_text<T>(
    s: &summary::Summary,
    batch: &crate::batch::Batch<T>,
    rows: usize,
) -> String {
    let mut out = text::inputs_line(batch, rows);
    match (s.race, s.demands, s.analysis) {
        (Some(spec), Some(d), Some(a)) => {
            out.push_str(&text::race_header(spec, d, a, s.units));
            out.push_str(&terminal::gaps_table(
                &a.gaps,
                &a.plan.profile,
                terminal::colour_wanted(),
                s.units,
            ));
        }
        _ => out.push_str(&text::weekly_text(s.weeks, s.units)),
    }
    out
}

/// Runs inside the block (all runs without a race).
pub fn block_runs<'a>(c: &ChartInputs<'a>) -> Vec<&'a RunRow> {
    c.rows
        .iter()
        .filter(|r| r.is_run)
        .filter(|r| match c.analysis {
            Some(a) => r.day >= a.block_start_day && r.day < a.race_day,
            None => true,
        })
        .collect()
}

/// The profile of a run between two distances (a climb or descent inside it).
fn segment_profile(row: &RunRow, start_m: f64, end_m: f64) -> Vec<(f64, f64)> {
    row.stats
        .profile
        .iter()
        .copied()
        .filter(|(d, _)| *d >= start_m - 1.0 && *d <= end_m + 1.0)
        .collect()
}

/// Draws every chart into `dir` in the wanted formats.
pub fn write_charts(dir: &Path, c: &ChartInputs, formats: Formats) -> Result<Vec<ChartFile>> {
    let mut out = Vec::new();
    let mut emit = |name: &'static str,
                    title: String,
                    caption: String,
                    draw_png: &dyn Fn(&Path) -> charts::DrawResult,
                    draw_svg: &dyn Fn() -> Result<String, String>|
     -> Result<()> {
        // A chart not in the list would make the next run refuse this folder as holding
        // files racegap did not write.
        debug_assert!(
            output::CHARTS.contains(&name),
            "{name} is not in output::CHARTS"
        );
        if formats.png {
            draw_png(&dir.join(format!("{name}.png")))
                .map_err(|e| anyhow::anyhow!("chart {name}.png: {e}"))?;
        }
        let svg = if formats.svg {
            let s = draw_svg().map_err(|e| anyhow::anyhow!("chart {name}.svg: {e}"))?;
            std::fs::write(dir.join(format!("{name}.svg")), &s)
                .with_context(|| format!("cannot write chart {name}.svg of the report"))?;
            Some(s)
        } else {
            None
        };
        out.push(ChartFile {
            name,
            title,
            caption,
            svg,
        });
        Ok(())
    };
    let block = block_runs(c);
    let race_week = c.spec.map(|s| week_of(s.date_day));

    if let Some(a) = c.analysis {
        let title = "Specificity scorecard".to_string();
        emit(
            "scorecard",
            title.clone(),
            "Share of each race demand the training block meets; green ok, orange short, red missing.".into(),
            &|p| charts::png(p, |r| charts::scorecard::draw(r, &a.gaps, &title, c.units)),
            &|| charts::svg(|r| charts::scorecard::draw(r, &a.gaps, &title, c.units)),
        )?;
    }
    let title = "Weekly volume".to_string();
    emit(
        "weekly",
        title.clone(),
        "Distance per week (darker: weeks with a long run) and climbing per week.".into(),
        &|p| {
            charts::png(p, |r| {
                charts::weekly::draw(r, c.weeks, race_week, &title, c.units)
            })
        },
        &|| charts::svg(|r| charts::weekly::draw(r, c.weeks, race_week, &title, c.units)),
    )?;
    let (Some(a), Some(d), Some(s)) = (c.analysis, c.demands, c.spec) else {
        return Ok(out);
    };

    let runs: Vec<(i64, f64)> = block.iter().map(|r| (r.day, r.distance_m)).collect();
    let lr = LongRunData {
        runs: &runs,
        block_start_day: a.block_start_day,
        race_day: a.race_day,
        race_distance_m: d.distance_m,
        long_run_m: a.long_run_m,
        max_interval_days: c.thresholds.max_long_run_interval_days,
        units: c.units,
    };
    let title = "Long runs".to_string();
    emit(
        "long_runs",
        title.clone(),
        "Runs over half the long-run length; shaded: stretches without a long run longer than allowed.".into(),
        &|p| charts::png(p, |r| charts::long_runs::draw(r, &lr, &title)),
        &|| charts::svg(|r| charts::long_runs::draw(r, &lr, &title)),
    )?;

    let biggest = |key: fn(&RunRow) -> f64| {
        block
            .iter()
            .copied()
            .filter(|r| key(r) > 0.0)
            .max_by(|x, y| key(x).total_cmp(&key(y)))
    };
    let training_climb = biggest(|r| r.biggest_climb_m).and_then(|r| {
        r.stats
            .biggest_climb()
            .map(|cl| segment_profile(r, cl.start_m, cl.end_m))
    });
    let training_descent = biggest(|r| r.biggest_descent_m).and_then(|r| {
        r.stats
            .biggest_descent()
            .map(|cl| segment_profile(r, cl.start_m, cl.end_m))
    });
    let pd = ProfileData {
        course: &d.profile,
        climbs: &d.climbs,
        distance_m: d.distance_m,
        course_climb: d.biggest_climb(),
        course_descent: d.biggest_descent(),
        training_climb,
        training_descent,
        units: c.units,
    };
    let title = format!(
        "{}: course profile against your biggest climb and descent",
        d.name
    );
    emit(
        "profile",
        title.clone(),
        "The course (climbs shaded, final third marked) with the training's biggest climb and descent drawn from the same start.".into(),
        &|p| charts::png(p, |r| charts::profile::draw(r, &pd, &title)),
        &|| charts::svg(|r| charts::profile::draw(r, &pd, &title)),
    )?;

    let splits: Vec<f64> = block
        .iter()
        .flat_map(|r| r.stats.gap_splits_s_per_km.iter().copied())
        .collect();
    let block_weeks: Vec<Week> = c
        .weeks
        .iter()
        .filter(|w| w.week >= week_of(a.block_start_day))
        .cloned()
        .collect();
    let pa = PaceData {
        splits: &splits,
        goal_gap_s_per_km: d.goal_gap_s_per_km,
        tolerance: crate::track::DEFAULT_GOAL_TOLERANCE,
        weeks: &block_weeks,
        segment_demand_m: c.thresholds.goal_pace_segment_share * d.distance_m,
        units: c.units,
    };
    let title = "Pace: where your kilometres were run".to_string();
    emit(
        "pace",
        title.clone(),
        "Kilometre splits by grade-adjusted pace with the goal-pace band; below, the longest goal-pace stretch of each week.".into(),
        &|p| charts::png(p, |r| charts::pace::draw(r, &pa, &title)),
        &|| charts::svg(|r| charts::pace::draw(r, &pa, &title)),
    )?;

    let t = c.thresholds;
    let heat_runs: Vec<(i64, f64, f64, bool)> = block
        .iter()
        .filter_map(|r| {
            let (mean, max) = (r.mean_temp_c?, r.max_temp_c?);
            let session = r.day >= a.race_day - t.heat_window_days
                && r.moving_s >= t.heat_session_min_s
                && r.heat_minutes >= t.heat_session_min_minutes;
            Some((r.day, mean, max, session))
        })
        .collect();
    let hd = HeatData {
        runs: &heat_runs,
        block_start_day: a.block_start_day,
        race_day: a.race_day,
        race_temperature_c: s.expected_temperature_c,
        threshold_c: a.heat_threshold_c,
        window_days: t.heat_window_days,
        units: c.units,
    };
    let title = "Heat: your runs against race-day temperature".to_string();
    emit(
        "heat",
        title.clone(),
        "Mean temperature of each run (line to its maximum) against the race's expected temperature; red: heat sessions of the last weeks.".into(),
        &|p| charts::png(p, |r| charts::heat::draw(r, &hd, &title)),
        &|| charts::svg(|r| charts::heat::draw(r, &hd, &title)),
    )?;
    Ok(out)
}
