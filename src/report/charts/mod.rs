//! The report's charts, each one drawing function generic over the plotters backend, so
//! PNG and SVG share one piece of code. Text uses DejaVu Sans embedded in the binary: no
//! system font is ever looked up.

pub mod heat;
pub mod long_runs;
pub mod pace;
pub mod profile;
pub mod scorecard;
pub mod tooltips;
pub mod weekly;

use crate::gaps::{Analysis, Thresholds, Verdict};
use crate::history::{RunRow, Week};
use crate::race::{RaceDemands, RaceSpec};
use crate::units::Units;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;
use std::sync::Once;

/// Default chart size, pixels.
pub const WIDTH: u32 = 1000;
pub const HEIGHT: u32 = 560;
/// The font family every chart uses (registered from the embedded DejaVu Sans).
pub const FONT: &str = "sans-serif";

pub const INK: RGBColor = RGBColor(40, 40, 48);
pub const GRID: RGBColor = RGBColor(225, 225, 232);
pub const OK: RGBColor = RGBColor(46, 139, 87);
pub const SHORT: RGBColor = RGBColor(230, 145, 20);
pub const MISSING: RGBColor = RGBColor(200, 40, 40);
pub const TRAINING: RGBColor = RGBColor(70, 110, 190);
pub const MUTED: RGBColor = RGBColor(150, 160, 175);

/// The colour of a verdict (grey: not judged).
pub fn severity_colour(s: Verdict) -> RGBColor {
    match s {
        Verdict::Ok => OK,
        Verdict::Short => SHORT,
        Verdict::Missing => MISSING,
        Verdict::Unknown | Verdict::NotForThisRace => MUTED,
    }
}

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

/// A registry entry drawn by `$module::render`.
macro_rules! chart {
    ($name:literal, $module:ident, $needs_race:expr, $title:expr, $caption:literal) => {
        Chart {
            name: $name,
            title: $title,
            caption: $caption,
            needs_race: $needs_race,
            png: |path, c, title| png(path, |r| $module::render(r, c, title)),
            svg: |c, title| svg(|r| $module::render(r, c, title)),
            tooltips: $module::tooltips,
        }
    };
}

/// Every chart of the report, in the order the page shows them.
pub const CHARTS: [Chart; 6] = [
    chart!(
        "scorecard",
        scorecard,
        true,
        |_| "Specificity scorecard".into(),
        "Share of each race demand the training block meets; green ok, orange short, red missing; a bar cut at 150 % is marked."
    ),
    chart!(
        "weekly",
        weekly,
        false,
        weekly::title,
        "Distance per week (darker: weeks with a long run) and climbing per week; over more than a year, per month."
    ),
    chart!(
        "long_runs",
        long_runs,
        true,
        |_| "Long runs".into(),
        "Runs over half the long-run length; shaded: stretches without a long run longer than allowed."
    ),
    chart!(
        "profile",
        profile,
        true,
        |c| format!(
            "{}: course profile against your biggest climb and descent",
            c.demands.map(|d| d.name.as_str()).unwrap_or("race")
        ),
        "The course (climbs shaded, final third marked) with the training's biggest climb and descent drawn from the same start."
    ),
    chart!(
        "pace",
        pace,
        true,
        |_| "Pace: where your kilometres were run".into(),
        "Kilometre splits by grade-adjusted pace with the goal-pace band; below, the longest goal-pace stretch of each week."
    ),
    chart!(
        "heat",
        heat,
        true,
        |_| "Heat: your runs against race-day temperature".into(),
        "Mean temperature of each run (line to its maximum) against the race's expected temperature; red: heat sessions of the last weeks."
    ),
];

/// The file stems of every chart.
pub fn names() -> impl Iterator<Item = &'static str> {
    CHARTS.iter().map(|c| c.name)
}

/// A chart with nothing to draw: its title and, in the middle, why (never a blank frame).
pub fn no_data<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    why: &str,
) -> DrawResult {
    let area = root.titled(title, font(24.0)).map_err(err)?;
    let (w, h) = area.dim_in_pixel();
    area.draw(&Rectangle::new(
        [(40, 20), (w as i32 - 40, h as i32 - 40)],
        GRID.stroke_width(2),
    ))
    .map_err(err)?;
    let style = font(18.0)
        .color(&MUTED)
        .pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ));
    area.draw(&Text::new(
        format!("No data: {why}"),
        (w as i32 / 2, h as i32 / 2 - 10),
        style,
    ))
    .map_err(err)
}

/// Turns a plotters error into text.
pub fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

static FONTS: Once = Once::new();

/// Registers the embedded fonts once per process.
pub fn register_fonts() {
    FONTS.call_once(|| {
        // The bytes are DejaVu Sans from the `dejavu` crate: valid TTF, so these cannot fail.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// Draws with `draw` into a PNG file.
pub fn png(
    path: &Path,
    draw: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> DrawResult,
) -> DrawResult {
    register_fonts();
    let root = BitMapBackend::new(path, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    draw(&root)?;
    root.present().map_err(err)
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

/// Draws the legend of a chart's labelled series, in the style every chart shares.
pub fn legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> DrawResult
where
    DB: DrawingBackend + 'a,
    CT: plotters::coord::CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .label_font(font(13.0))
        .background_style(WHITE.mix(0.85))
        .border_style(MUTED)
        .draw()
        .map_err(err)
}

/// A font of `size` pixels in the chart family.
pub fn font(size: f64) -> TextStyle<'static> {
    (FONT, size).into_font().color(&INK)
}

/// A chart whose x axis is days (labelled as dates) and y axis a plain number, in the style
/// the long-run and heat charts share.
pub fn date_chart<'a, DB: DrawingBackend + 'a>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
    days: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    y_desc: &str,
) -> Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>, String> {
    let year = |d: f64| crate::calendar::civil_from_days(d.round() as i64).0;
    let crosses = year(days.start) != year(days.end);
    let mut chart = ChartBuilder::on(root)
        .caption(title, font(24.0))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(days, y)
        .map_err(err)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(9)
        .x_label_formatter(&|x| date_label(x.round() as i64, crosses))
        .x_label_style(font(13.0))
        .y_desc(y_desc)
        .y_label_style(font(13.0))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .axis_desc_style(font(14.0))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// The label of a week axis: the week's Monday on every `every`-th week (so labels never
/// crowd), with the year when the weeks cross one; nothing elsewhere.
pub fn week_label(weeks: &[crate::history::Week], every: usize, x: &SegmentValue<u32>) -> String {
    let year = |w: &crate::history::Week| w.week_start.get(..4).map(str::to_string);
    let crosses = weeks.first().and_then(year) != weeks.last().and_then(year);
    match x {
        SegmentValue::CenterOf(i) if (*i as usize).is_multiple_of(every.max(1)) => weeks
            .get(*i as usize)
            .map(|w| date_label(crate::calendar::week_start(w.week), crosses))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A date on an axis: `3 Jan`, or `3 Jan ’26` when the axis crosses a year.
pub fn date_label(day: i64, with_year: bool) -> String {
    let (y, _, _) = crate::calendar::civil_from_days(day);
    if with_year {
        format!("{} ’{:02}", short_date(day), y.rem_euclid(100))
    } else {
        short_date(day)
    }
}

/// "2024-03" as "Mar 2024".
pub fn month_label(year_month: &str) -> String {
    let m: usize = year_month
        .get(5..7)
        .and_then(|m| m.parse().ok())
        .unwrap_or(1);
    format!(
        "{} {}",
        MONTHS[m.clamp(1, 12) - 1],
        year_month.get(..4).unwrap_or("")
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since the epoch as `DD Mon`.
pub fn short_date(day: i64) -> String {
    let (_, m, d) = crate::calendar::civil_from_days(day);
    format!("{d} {}", MONTHS[(m - 1) as usize])
}
