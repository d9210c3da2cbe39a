//! The CSV tables (`activities.csv`, `weekly.csv`, `gaps.csv`) and `summary.json`.

use crate::calendar::format_day;
use crate::calendar::format_ms;
use crate::gaps::{Analysis, Gap};
use crate::history::{RunRow, Week};
use anyhow::Result;
use serde::Serialize;
use std::path::Path;

fn round(v: f64, digits: i32) -> f64 {
    crate::units::tidy(v, digits)
}

fn opt(v: Option<f64>, digits: i32) -> String {
    v.map(|x| round(x, digits).to_string()).unwrap_or_default()
}

/// `activities.csv`: one row per activity, sorted by start.
pub fn write_activities(path: &Path, rows: &[RunRow]) -> Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record([
        "date",
        "start_utc",
        "file",
        "sport",
        "counts_as_run",
        "distance_km",
        "distance_source",
        "moving_time_s",
        "pace_s_per_km",
        "gap_s_per_km",
        "ascent_m",
        "descent_m",
        "device_ascent_m",
        "device_descent_m",
        "biggest_climb_m",
        "biggest_descent_m",
        "downhill_km",
        "goal_pace_km",
        "longest_goal_pace_km",
        "fade_pct",
        "mean_temp_c",
        "max_temp_c",
        "heat_minutes",
        "long_run",
        "best_5k_s",
        "best_10k_s",
        "best_half_s",
        "mean_hr_bpm",
    ])?;
    let mut sorted: Vec<&RunRow> = rows.iter().collect();
    sorted.sort_by(|a, b| (a.start_ms, &a.file).cmp(&(b.start_ms, &b.file)));
    for r in sorted {
        let s = &r.stats;
        let effort = |d: f64| {
            opt(
                s.best_efforts
                    .iter()
                    .find(|e| (e.distance_m - d).abs() < 1.0)
                    .map(|e| e.time_s),
                0,
            )
        };
        w.write_record([
            format_day(r.day),
            format_ms(r.start_ms, None),
            r.file.clone(),
            r.sport.name().to_string(),
            r.is_run.to_string(),
            round(r.distance_m / 1000.0, 3).to_string(),
            format!("{:?}", s.distance_source).to_lowercase(),
            round(r.moving_s, 0).to_string(),
            opt(s.pace_s_per_km, 1),
            opt(s.gap_s_per_km, 1),
            round(r.ascent_m, 1).to_string(),
            round(r.descent_m, 1).to_string(),
            opt(s.device_ascent_m, 0),
            opt(s.device_descent_m, 0),
            round(r.biggest_climb_m, 1).to_string(),
            round(r.biggest_descent_m, 1).to_string(),
            round(r.downhill_m / 1000.0, 3).to_string(),
            round(r.goal_pace_m / 1000.0, 3).to_string(),
            round(r.longest_goal_pace_m / 1000.0, 3).to_string(),
            opt(r.fade_pct, 1),
            opt(r.mean_temp_c, 1),
            opt(r.max_temp_c, 1),
            round(r.heat_minutes, 1).to_string(),
            r.is_long.to_string(),
            effort(5000.0),
            effort(10_000.0),
            effort(21_097.5),
            opt(s.heart_rate.as_ref().map(|h| h.mean_bpm), 0),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// `weekly.csv`: one row per week, weeks without runs included.
pub fn write_weekly(path: &Path, weeks: &[Week]) -> Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record([
        "week_start",
        "runs",
        "distance_km",
        "moving_time_h",
        "ascent_m",
        "descent_m",
        "long_runs",
        "longest_km",
        "goal_pace_km",
        "longest_goal_pace_km",
        "heat_minutes",
        "acwr",
    ])?;
    for k in weeks {
        w.write_record([
            k.week_start.clone(),
            k.runs.to_string(),
            round(k.distance_m / 1000.0, 2).to_string(),
            round(k.moving_s / 3600.0, 2).to_string(),
            round(k.ascent_m, 0).to_string(),
            round(k.descent_m, 0).to_string(),
            k.long_runs.to_string(),
            round(k.longest_m / 1000.0, 2).to_string(),
            round(k.goal_pace_m / 1000.0, 2).to_string(),
            round(k.longest_goal_pace_m / 1000.0, 2).to_string(),
            round(k.heat_minutes, 0).to_string(),
            opt(k.acwr, 2),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// `gaps.csv`: one row per dimension.
pub fn write_gaps(path: &Path, gaps: &[Gap]) -> Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record([
        "dimension",
        "title",
        "demand",
        "best",
        "recent",
        "unit",
        "ratio",
        "verdict",
        "detail",
        "advice",
    ])?;
    for g in gaps {
        w.write_record([
            g.dimension.key().to_string(),
            g.title.to_string(),
            round(g.demand, 2).to_string(),
            opt(g.best, 2),
            opt(g.recent, 2),
            g.unit.key().to_string(),
            opt(g.ratio, 3),
            g.verdict.name().to_string(),
            g.detail.clone(),
            g.advice.clone(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// `summary.json`: everything in one document (compact: it holds every activity).
pub fn write_summary<T: Serialize>(path: &Path, summary: &T) -> Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    serde_json::to_writer(&mut f, summary)?;
    std::io::Write::flush(&mut f)?;
    Ok(())
}

/// The block as dates, for printing.
pub fn block_text(a: &Analysis) -> String {
    format!(
        "{} to {}",
        format_day(a.block_start_day),
        format_day(a.race_day - 1)
    )
}
