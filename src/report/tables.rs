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
        // A row not judged has no demand to show unless the rule worked one out.
        let demand = if !g.verdict.judged() && g.demand == 0.0 {
            String::new()
        } else {
            round(g.demand, 2).to_string()
        };
        w.write_record([
            g.dimension.key().to_string(),
            g.title.to_string(),
            demand,
            opt(g.best, 2),
            opt(g.recent, 2),
            g.unit.key().to_string(),
            opt(g.ratio, 3),
            g.verdict.key().to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::{Dimension, Thresholds, Verdict};

    fn read(path: &Path) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(path)
            .unwrap()
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn weekly_rows_are_rounded_in_their_units_and_empty_weeks_kept() {
        let dir = tempfile::tempdir().unwrap();
        let week = |start: &str, runs, km: f64, acwr| Week {
            week_start: start.into(),
            week: 0,
            runs,
            distance_m: km * 1000.0,
            moving_s: 5_430.0,
            ascent_m: 412.6,
            descent_m: 399.4,
            long_runs: 1,
            longest_m: 21_097.5,
            goal_pace_m: 8_004.9,
            longest_goal_pace_m: 5_000.0,
            heat_minutes: 12.5,
            acwr,
        };
        let weeks = [
            week("2026-07-20", 4, 42.195, Some(1.234)),
            week("2026-07-27", 0, 0.0, None),
        ];
        let p = dir.path().join("weekly.csv");
        write_weekly(&p, &weeks).unwrap();
        let rows = read(&p);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0][2], "distance_km");
        assert_eq!(
            rows[1],
            [
                "2026-07-20",
                "4",
                "42.2",
                "1.51",
                "413",
                "399",
                "1",
                "21.1",
                "8",
                "5",
                "13",
                "1.23"
            ]
        );
        assert_eq!(&rows[2][..3], ["2026-07-27", "0", "0"]);
        assert_eq!(rows[2][11], "", "no ratio without runs");
    }

    #[test]
    fn gap_rows_leave_an_unjudged_demand_empty() {
        let t = Thresholds::default();
        let mut judged = Gap::by_ratio(Dimension::ClimbingBiggest, 330.4, Some(120.0), None, &t);
        judged.detail = "biggest climb 120 m".into();
        let mut not_for = Gap::by_ratio(Dimension::BackToBack, 0.0, None, None, &t);
        not_for.verdict = Verdict::NotForThisRace;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("gaps.csv");
        write_gaps(&p, &[judged, not_for]).unwrap();
        let rows = read(&p);
        assert_eq!(rows[0][2], "demand");
        // 120 / 330.4 = 0.3632: below 60 %, missing.
        assert_eq!(
            &rows[1][..9],
            [
                "climbing_biggest",
                Dimension::ClimbingBiggest.title(),
                "330.4",
                "120",
                "",
                "m",
                "0.363",
                "missing",
                "biggest climb 120 m"
            ]
        );
        assert_eq!(rows[2][2], "", "{:?}", rows[2]);
        assert_eq!(rows[2][7], "not-for-this-race");
    }
}
