//! The report's charts, each one drawing function generic over the plotters backend, so
//! PNG and SVG share one piece of code. Text uses DejaVu Sans embedded in the binary: no
//! system font is ever looked up.

pub mod builds;
pub mod heat;
pub mod heat_state;
pub mod long_runs;
pub mod pace;
pub mod profile;
pub mod scorecard;
pub mod style;
pub mod terrain;
pub mod tooltips;
pub mod weekly;

use crate::gaps::{Analysis, Thresholds};
use crate::history::{RunRow, Week};
use crate::race::{RaceDemands, RaceSpec};
use crate::units::Units;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

pub use style::{
    category_label, date_chart, date_label, font, legend, month_label, no_data, register_fonts,
    severity_colour, short_date, week_label, FONT, GRID, HEIGHT, INK, MISSING, MUTED, OK, SHORT,
    TRAINING, WIDTH,
};

/// Errors of any backend, as text.
pub type DrawResult = Result<(), String>;

/// Everything the charts are drawn from.
pub struct Inputs<'a> {
    pub spec: Option<&'a RaceSpec>,
    pub demands: Option<&'a RaceDemands>,
    pub analysis: Option<&'a Analysis>,
    pub weeks: &'a [Week],
    pub rows: &'a [RunRow],
    pub thresholds: &'a Thresholds,
    pub units: Units,
    /// With a race: what the coach found (past builds, terrain, heat state, the plan).
    pub coach: Option<&'a crate::coach::Coach>,
}

/// A race's inputs, for the charts that need one.
pub struct RaceInputs<'a> {
    pub spec: &'a RaceSpec,
    pub demands: &'a RaceDemands,
    pub analysis: &'a Analysis,
}

impl<'a> Inputs<'a> {
    /// The race, its demands and its analysis, when there is a race.
    pub fn race(&self) -> Option<RaceInputs<'a>> {
        Some(RaceInputs {
            spec: self.spec?,
            demands: self.demands?,
            analysis: self.analysis?,
        })
    }

    /// The runs inside the block (every run without a race).
    pub fn block_runs(&self) -> Vec<&'a RunRow> {
        self.rows
            .iter()
            .filter(|r| r.is_run)
            .filter(|r| match self.analysis {
                Some(a) => r.day >= a.block_start_day && r.day < a.race_day,
                None => true,
            })
            .collect()
    }
}

/// One chart of the report: its file stem, title and caption, whether a report without a
/// race has it, and how it is drawn as PNG and as SVG (both from its module's one generic
/// `render`).
pub struct Chart {
    pub name: &'static str,
    pub title: fn(&Inputs) -> String,
    pub caption: &'static str,
    pub needs_race: bool,
    pub png: fn(&Path, &Inputs, &str) -> DrawResult,
    pub svg: fn(&Inputs, &str) -> Result<String, String>,
    /// The hover text of its marks (runs, weeks, climbs) in the SVG.
    pub tooltips: fn(&Inputs) -> tooltips::Tooltips,
}

/// A registry entry drawn by `$module::render`. A chart of the race (`race`) is given the
/// race's inputs: whether there is a race is asked here, once for all of them.
macro_rules! chart {
    ($name:literal, $module:ident, race, $title:expr, $caption:literal) => {
        Chart {
            name: $name,
            title: $title,
            caption: $caption,
            needs_race: true,
            png: |path, c, title| {
                png(path, |r| {
                    with_race(r, c, title, |race| $module::render(r, c, race, title))
                })
            },
            svg: |c, title| {
                svg(|r| with_race(r, c, title, |race| $module::render(r, c, race, title)))
            },
            tooltips: |c| {
                c.race()
                    .map(|race| $module::tooltips(c, &race))
                    .unwrap_or_default()
            },
        }
    };
    ($name:literal, $module:ident, any, $title:expr, $caption:literal) => {
        Chart {
            name: $name,
            title: $title,
            caption: $caption,
            needs_race: false,
            png: |path, c, title| png(path, |r| $module::render(r, c, title)),
            svg: |c, title| svg(|r| $module::render(r, c, title)),
            tooltips: $module::tooltips,
        }
    };
}

/// Draws a chart of the race with `draw`, or says there is no race.
fn with_race<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Inputs,
    title: &str,
    draw: impl FnOnce(&RaceInputs) -> DrawResult,
) -> DrawResult {
    match c.race() {
        Some(race) => draw(&race),
        None => no_data(root, title, "no race"),
    }
}

/// Every chart of the report, in the order the page shows them.
pub const CHARTS: [Chart; 9] = [
    chart!(
        "scorecard",
        scorecard,
        race,
        |_| "Specificity scorecard".into(),
        "Share of each race demand the training block meets; green ok, orange short, red missing; a bar cut at 150 % is marked."
    ),
    chart!(
        "weekly",
        weekly,
        any,
        weekly::title,
        "Distance and climbing per week (per month over more than 60 weeks); with a race, darker where a long run was."
    ),
    chart!(
        "long_runs",
        long_runs,
        race,
        |_| "Long runs".into(),
        "Runs over half the long-run length; shaded: stretches without a long run longer than allowed."
    ),
    chart!(
        "profile",
        profile,
        race,
        |c| format!(
            "{}: course profile against your biggest climb and descent",
            c.demands.map(|d| d.name.as_str()).unwrap_or("race")
        ),
        "The course (climbs shaded, final third marked) with the training's biggest climb and descent drawn from the same start."
    ),
    chart!(
        "pace",
        pace,
        race,
        |_| "Pace: where your kilometres were run".into(),
        "Kilometre splits by grade-adjusted pace with the goal-pace band; below, the longest goal-pace stretch of each week."
    ),
    chart!(
        "heat",
        heat,
        race,
        |_| "Heat: your runs against race-day temperature".into(),
        "Mean temperature of each run (line to its maximum) against the race's expected temperature; red: heat sessions of the last weeks."
    ),
    chart!(
        "heat_state",
        heat_state,
        race,
        |_| "Heat acclimation over the block".into(),
        "Acclimation gained by each heat session (red dots) and lost at 2.5 % a day without one (Daanen et al. 2018); grey: from today with no more heat; green: what 10 daily sessions before the race reach."
    ),
    chart!(
        "terrain",
        terrain,
        race,
        terrain::title,
        "Share of the course's distance in each grade band against the block's training; the match is the overlap of the two."
    ),
    chart!(
        "builds",
        builds,
        race,
        |_| "Builds: now against the weeks before your past races of this kind".into(),
        "The same weeks before each past race of the target's kind, beside the current block: distance and climbing a week, longest run, long runs."
    ),
];

/// The file stems of every chart.
pub fn names() -> impl Iterator<Item = &'static str> {
    CHARTS.iter().map(|c| c.name)
}

/// Turns a plotters error into text.
pub fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Draws with `draw` into a PNG file.
pub fn png(
    path: &Path,
    draw: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> DrawResult,
) -> DrawResult {
    register_fonts();
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        draw(&root)?;
        root.present().map_err(err)?;
    }
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    encode_png(std::io::BufWriter::new(file), &rgb).map_err(|e| e.to_string())
}

/// Writes an RGB image of the chart size as PNG. Charts are flat colour: the fast deflate
/// and the "Sub" filter keep them small (the adaptive filter and default compression cost
/// five times as long for a few percent).
fn encode_png(w: impl std::io::Write, rgb: &[u8]) -> Result<(), png::EncodingError> {
    let mut enc = png::Encoder::new(w, WIDTH, HEIGHT);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc.set_filter(png::FilterType::Sub);
    enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    let mut writer = enc.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()
}

/// Draws with `draw` into an SVG document.
pub fn svg(draw: impl Fn(&DrawingArea<SVGBackend, Shift>) -> DrawResult) -> Result<String, String> {
    register_fonts();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        draw(&root)?;
        root.present().map_err(err)?;
    }
    Ok(out)
}
