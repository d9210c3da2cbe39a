//! Training volume: distance bars per week across the block (weeks with a long run in a
//! stronger colour), climbing as a line on its own axis, race week marked; over a history
//! longer than `MONTHLY_FROM_WEEKS`, per month instead, so a bar stays wide enough to see.

use super::{err, font, DrawResult, GRID, MISSING, TRAINING};
use crate::history::Week;
use crate::units::Units;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const LONG_WEEK: RGBColor = RGBColor(30, 60, 140);
const CLIMB: RGBColor = RGBColor(200, 120, 30);

/// From this many weeks on, the chart shows months.
pub const MONTHLY_FROM_WEEKS: usize = 60;

/// One bar: a week or a month.
pub struct Bar {
    /// The axis label, shown on every few bars.
    pub label: String,
    pub runs: usize,
    pub distance_m: f64,
    pub ascent_m: f64,
    pub long: bool,
    pub race: bool,
}

/// Whether the report's history is drawn by month.
pub fn monthly(c: &super::Inputs) -> bool {
    c.weeks.len() >= MONTHLY_FROM_WEEKS
}

/// The chart's title for these inputs.
pub fn title(c: &super::Inputs) -> String {
    if monthly(c) {
        "Monthly volume".into()
    } else {
        "Weekly volume".into()
    }
}

/// The weeks of the report, each labelled with its Monday (with the year when the weeks
/// cross one).
fn week_bars(weeks: &[Week], race_week: Option<i64>) -> Vec<Bar> {
    // Without a race "long" is a fixed 13 km that says little: no week is marked.
    let marked = race_week.is_some();
    weeks
        .iter()
        .enumerate()
        .map(|(i, w)| Bar {
            label: super::week_label(weeks, 1, &SegmentValue::CenterOf(i as u32)),
            runs: w.runs as usize,
            distance_m: w.distance_m,
            ascent_m: w.ascent_m,
            long: marked && w.long_runs > 0,
            race: Some(w.week) == race_week,
        })
        .collect()
}

/// Every month from the first run's to the last's, labelled "Jan 2024".
fn month_bars(c: &super::Inputs) -> Vec<Bar> {
    let marked = c.race().is_some();
    crate::periods::months(c.rows)
        .into_iter()
        .map(|p| Bar {
            label: super::month_label(&p.label),
            runs: p.runs,
            distance_m: p.distance_m,
            ascent_m: p.ascent_m,
            long: marked && p.long_runs > 0,
            race: false,
        })
        .collect()
}

/// The report's bars and what each is ("week" or "month").
fn bars(c: &super::Inputs) -> (Vec<Bar>, &'static str) {
    if monthly(c) {
        (month_bars(c), "month")
    } else {
        let race_week = c.spec.map(|s| crate::calendar::week_of(s.date_day));
        (week_bars(c.weeks, race_week), "week")
    }
}

/// The hover text of each bar, in drawing order, by its colour: "week of 20 Jul: 4 runs,
/// 57.6 km, 301 m of climbing".
pub fn tooltips(c: &super::Inputs) -> super::tooltips::Tooltips {
    let mut t = super::tooltips::Tooltips::default();
    if c.weeks.is_empty() {
        return t;
    }
    let u = c.units;
    let (bars, per) = bars(c);
    let of = |long: bool| {
        bars.iter()
            .filter(|b| b.long == long)
            .map(|b| {
                format!(
                    "{per} of {}: {} run(s), {}, {} of climbing",
                    b.label,
                    b.runs,
                    u.distance_dp(b.distance_m, 1),
                    u.height(b.ascent_m)
                )
            })
            .collect()
    };
    t.add(TRAINING, of(false));
    t.add(LONG_WEEK, of(true));
    t
}

/// The volume of the report's history, by week or by month.
pub fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &super::Inputs,
    title: &str,
) -> DrawResult {
    if c.weeks.is_empty() {
        return super::no_data(root, title, "no week of training to show");
    }
    let (bars, per) = bars(c);
    draw(root, &bars, per, title, c.units)
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    bars: &[Bar],
    per: &str,
    title: &str,
    u: Units,
) -> DrawResult {
    let n = bars.len().max(1) as u32;
    let (dist, height) = (|m| u.distance_value(m), |m| u.height_value(m));
    let max_km = bars
        .iter()
        .map(|w| dist(w.distance_m))
        .fold(dist(10_000.0), f64::max)
        * 1.15;
    let max_climb = bars
        .iter()
        .map(|w| height(w.ascent_m))
        .fold(height(100.0), f64::max)
        * 1.15;
    let mut chart = ChartBuilder::on(root)
        .caption(title, font(24.0))
        .margin(16)
        .x_label_area_size(46)
        .y_label_area_size(60)
        .right_y_label_area_size(64)
        .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..max_km)
        .map_err(err)?
        .set_secondary_coord(0.0..n as f64, 0.0..max_climb);
    // At most 8 labels, whatever the number of bars.
    let every = (n as usize).div_ceil(8).max(1);
    let label = |x: &SegmentValue<u32>| match x {
        SegmentValue::CenterOf(i) if (*i as usize).is_multiple_of(every) => bars
            .get(*i as usize)
            .map(|b| b.label.clone())
            .unwrap_or_default(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(n as usize)
        .x_label_formatter(&label)
        .x_label_style(font(13.0))
        .y_desc(format!("distance per {per} ({})", u.distance_unit()))
        .y_label_style(font(13.0))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .axis_desc_style(font(14.0))
        .draw()
        .map_err(err)?;
    chart
        .configure_secondary_axes()
        .y_desc(format!("climbing per {per} ({})", u.height_unit()))
        .label_style(font(13.0).color(&CLIMB))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .axis_desc_style(font(14.0).color(&CLIMB))
        .draw()
        .map_err(err)?;
    for (i, w) in bars.iter().enumerate() {
        let colour = if w.long { LONG_WEEK } else { TRAINING };
        let mut bar = Rectangle::new(
            [
                (SegmentValue::Exact(i as u32), 0.0),
                (SegmentValue::Exact(i as u32 + 1), dist(w.distance_m)),
            ],
            colour.filled(),
        );
        // A gap between bars only where bars are wide enough to spare it.
        let gap = if n > 120 {
            0
        } else if n > 40 {
            1
        } else {
            3
        };
        bar.set_margin(0, 0, gap, gap);
        chart.draw_series(std::iter::once(bar)).map_err(err)?;
        if w.race {
            chart
                // Right-aligned on the week's right edge: inside the plot, clear of the
                // climbing axis' labels.
                .draw_series(std::iter::once(Text::new(
                    "race week",
                    (SegmentValue::Exact(i as u32 + 1), max_km * 0.93),
                    font(14.0)
                        .color(&MISSING)
                        .pos(Pos::new(HPos::Right, VPos::Top)),
                )))
                .map_err(err)?;
        }
    }
    chart
        .draw_secondary_series(
            LineSeries::new(
                bars.iter()
                    .enumerate()
                    .map(|(i, w)| (i as f64 + 0.5, height(w.ascent_m))),
                CLIMB.stroke_width(if n > 40 { 2 } else { 3 }),
            )
            .point_size(if n > 40 { 0 } else { 3 }),
        )
        .map_err(err)?
        .label(format!("climbing ({})", u.height_unit()))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], CLIMB.stroke_width(3)));
    // Legend entries for the bars.
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(SegmentValue::Exact(0), 0.0), (SegmentValue::Exact(0), 0.0)],
            TRAINING.filled(),
        )))
        .map_err(err)?
        .label("distance")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], TRAINING.filled()));
    if bars.iter().any(|b| b.long) {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(SegmentValue::Exact(0), 0.0), (SegmentValue::Exact(0), 0.0)],
                LONG_WEEK.filled(),
            )))
            .map_err(err)?
            .label(format!("{per} with a long run"))
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], LONG_WEEK.filled()));
    }
    super::legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}
