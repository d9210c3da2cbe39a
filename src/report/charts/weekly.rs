//! Weekly volume: distance bars per week across the block (weeks with a long run in a
//! stronger colour), weekly climbing as a line on its own axis, race week marked.

use super::{err, font, DrawResult, GRID, MISSING, TRAINING};
use crate::history::Week;
use crate::units::Units;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const LONG_WEEK: RGBColor = RGBColor(30, 60, 140);
const CLIMB: RGBColor = RGBColor(200, 120, 30);

/// The weekly volume of the report's history, race week marked.
pub fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &super::Inputs,
    title: &str,
) -> DrawResult {
    if c.weeks.is_empty() {
        return super::no_data(root, title, "no week of training to show");
    }
    let race_week = c.spec.map(|s| crate::calendar::week_of(s.date_day));
    draw(root, c.weeks, race_week, title, c.units)
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    weeks: &[Week],
    race_week: Option<i64>,
    title: &str,
    u: Units,
) -> DrawResult {
    let n = weeks.len().max(1) as u32;
    let (dist, height) = (|m| u.distance_value(m), |m| u.height_value(m));
    let max_km = weeks
        .iter()
        .map(|w| dist(w.distance_m))
        .fold(dist(10_000.0), f64::max)
        * 1.15;
    let max_climb = weeks
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
    let every = (n as usize / 9).max(1);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(n as usize)
        .x_label_formatter(&|x| super::week_label(weeks, every, x))
        .x_label_style(font(13.0))
        .y_desc(format!("distance per week ({})", u.distance_unit()))
        .y_label_style(font(13.0))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .axis_desc_style(font(14.0))
        .draw()
        .map_err(err)?;
    chart
        .configure_secondary_axes()
        .y_desc(format!("climbing per week ({})", u.height_unit()))
        .label_style(font(13.0).color(&CLIMB))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .axis_desc_style(font(14.0).color(&CLIMB))
        .draw()
        .map_err(err)?;
    for (i, w) in weeks.iter().enumerate() {
        let colour = if w.long_runs > 0 { LONG_WEEK } else { TRAINING };
        let mut bar = Rectangle::new(
            [
                (SegmentValue::Exact(i as u32), 0.0),
                (SegmentValue::Exact(i as u32 + 1), dist(w.distance_m)),
            ],
            colour.filled(),
        );
        bar.set_margin(0, 0, 3, 3);
        chart.draw_series(std::iter::once(bar)).map_err(err)?;
        if Some(w.week) == race_week {
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
                weeks
                    .iter()
                    .enumerate()
                    .map(|(i, w)| (i as f64 + 0.5, height(w.ascent_m))),
                CLIMB.stroke_width(3),
            )
            .point_size(3),
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
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(SegmentValue::Exact(0), 0.0), (SegmentValue::Exact(0), 0.0)],
            LONG_WEEK.filled(),
        )))
        .map_err(err)?
        .label("week with a long run")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], LONG_WEEK.filled()));
    super::legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}
