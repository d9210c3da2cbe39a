//! Everything racegap writes: the terminal gaps table, the CSV and JSON tables, the charts
//! and the page; `output` owns where the report folder goes and how it replaces the last.

pub mod charts;
pub mod coach_text;
pub mod html;
pub mod output;
pub mod summary;
pub mod tables;
pub mod terminal;
pub mod text;

use crate::history::RunRow;
use anyhow::{Context, Result};
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

pub use charts::Inputs as ChartInputs;

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
            coach: s.coach,
        };
        let file = |name: &str| dir.join(name);
        let sections = coach_sections(s);
        // The charts and page on one thread, the tables on another: a long history's
        // summary.json is as much work as the charts.
        let (page, tables) = rayon::join(
            || -> Result<()> {
                let charts = write_charts(dir, &inputs, formats)?;
                let page = html::render(&html::Page {
                    history: s.history.as_ref(),
                    spec: s.race,
                    demands: s.demands,
                    analysis: s.analysis,
                    charts: &charts,
                    activities: rows.len(),
                    runs_in_block: inputs.block_runs().len(),
                    skipped: &s.skipped(),
                    units: s.units,
                    coach: &sections,
                });
                std::fs::write(file("index.html"), page)
                    .context("cannot write index.html of the report")
            },
            || -> Result<()> {
                tables::write_activities(&file("activities.csv"), rows)
                    .context("cannot write activities.csv of the report")?;
                tables::write_weekly(&file("weekly.csv"), s.weeks)
                    .context("cannot write weekly.csv of the report")?;
                if let Some(a) = s.analysis {
                    tables::write_gaps(&file("gaps.csv"), &a.gaps)
                        .context("cannot write gaps.csv of the report")?;
                }
                if let (Some(c), Some(d)) = (s.coach, s.demands) {
                    let title = format!(
                        "{} on {}: plan to race day",
                        d.name,
                        crate::calendar::format_day(c.plan.race_day)
                    );
                    std::fs::write(file("plan.md"), coach_text::markdown(&title, &sections))
                        .context("cannot write plan.md of the report")?;
                    coach_text::write_plan_csv(&file("plan.csv"), c)
                        .context("cannot write plan.csv of the report")?;
                }
                tables::write_summary(&file("summary.json"), s)
                    .context("cannot write summary.json of the report")
            },
        );
        page.and(tables)
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
                &a.fix_first_rows(),
                terminal::colour_wanted(),
                s.units,
            ));
            out.push_str(&crate::error::shown_lines(&coach_text::terminal(
                &coach_sections(s),
            )));
        }
        _ => {
            if let Some(h) = &s.history {
                out.push_str(&text::history_text(h, s.units));
            }
        }
    }
    out
}

/// The coach's sections of a report with a race (none without).
fn coach_sections(s: &summary::Summary) -> Vec<coach_text::Section> {
    match s.coach {
        Some(c) => coach_text::sections(c, s.demands.and_then(|d| d.goal_time_s), s.units),
        None => Vec::new(),
    }
}

/// Draws every chart of the registry that applies into `dir`, in the wanted formats.
pub fn write_charts(dir: &Path, c: &ChartInputs, formats: Formats) -> Result<Vec<ChartFile>> {
    let mut out = Vec::new();
    let has_race = c.race().is_some();
    for chart in charts::CHARTS
        .iter()
        .filter(|ch| has_race || !ch.needs_race)
    {
        let (name, title) = (chart.name, (chart.title)(c));
        if formats.png {
            (chart.png)(&dir.join(format!("{name}.png")), c, &title)
                .map_err(|e| anyhow::anyhow!("chart {name}.png: {e}"))?;
        }
        let svg = if formats.svg {
            let s = (chart.svg)(c, &title).map_err(|e| anyhow::anyhow!("chart {name}.svg: {e}"))?;
            let s = charts::tooltips::apply(&s, &(chart.tooltips)(c));
            std::fs::write(dir.join(format!("{name}.svg")), &s)
                .with_context(|| format!("cannot write chart {name}.svg of the report"))?;
            Some(s)
        } else {
            None
        };
        out.push(ChartFile {
            name,
            title,
            caption: chart.caption.to_string(),
            svg,
        });
    }
    Ok(out)
}
