//! Heat state: heat acclimation day by day over the block, gained by sessions in the heat
//! and lost without them, to race morning; after today, what is left with no more heat.

use super::{date_chart, err, legend, DrawResult, MISSING, MUTED, OK};
use crate::coach::HeatState;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The hover text of each session day drawn.
pub fn tooltips(c: &super::Inputs, _race: &super::RaceInputs) -> super::tooltips::Tooltips {
    let mut t = super::tooltips::Tooltips::default();
    if let Some(h) = c.coach.and_then(|k| k.heat.as_ref()) {
        t.add(
            MISSING,
            h.days
                .iter()
                .filter(|d| d.session)
                .map(|d| {
                    format!(
                        "{}: heat session, acclimation {:.0} %",
                        crate::calendar::format_day(d.day),
                        d.state * 100.0
                    )
                })
                .collect(),
        );
    }
    t
}

pub fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &super::Inputs,
    race: &super::RaceInputs,
    title: &str,
) -> DrawResult {
    if race.spec.expected_temperature_c.is_none() {
        return super::no_data(root, title, "no race temperature given (--temperature)");
    }
    match c.coach.and_then(|k| k.heat.as_ref()) {
        Some(h) if !h.days.is_empty() => draw(root, h, race.analysis.race_day, title),
        _ => super::no_data(
            root,
            title,
            "the race is not expected to be hot, or no run recorded a temperature",
        ),
    }
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    h: &HeatState,
    race_day: i64,
    title: &str,
) -> DrawResult {
    let first = h.days.first().map_or(race_day - 1, |d| d.day) as f64;
    let mut chart = date_chart(
        root,
        title,
        first - 1.0..race_day as f64 + 1.0,
        0.0..100.0,
        "heat acclimation, %",
    )?;
    let point = |d: &crate::coach::heat_state::Day| (d.day as f64 + 1.0, d.state * 100.0);
    chart
        .draw_series(LineSeries::new(
            [
                (
                    race_day as f64 - h.protocol_sessions as f64,
                    h.protocol * 100.0,
                ),
                (race_day as f64, h.protocol * 100.0),
            ],
            OK.stroke_width(2),
        ))
        .map_err(err)?
        .label(format!(
            "{} daily sessions before the race reach {:.0} %",
            h.protocol_sessions,
            h.protocol * 100.0
        ))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], OK.stroke_width(2)));
    // The state shaded below its line: how much of the block the runner was acclimatised.
    chart
        .draw_series(AreaSeries::new(
            h.days.iter().map(point),
            0.0,
            MISSING.mix(0.12),
        ))
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(
            h.days.iter().filter(|d| !d.projected).map(point),
            MISSING.stroke_width(2),
        ))
        .map_err(err)?
        .label("acclimation from your runs")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], MISSING.stroke_width(2)));
    let projected: Vec<(f64, f64)> = h
        .days
        .windows(2)
        .filter(|w| w[1].projected)
        .flat_map(|w| [point(&w[0]), point(&w[1])])
        .collect();
    if !projected.is_empty() {
        chart
            .draw_series(LineSeries::new(projected, MUTED.stroke_width(2)))
            .map_err(err)?
            .label("from today, with no more heat")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], MUTED.stroke_width(2)));
    }
    chart
        .draw_series(
            h.days
                .iter()
                .filter(|d| d.session)
                .map(|d| Circle::new(point(d), 4, MISSING.filled())),
        )
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            [(race_day as f64, 0.0), (race_day as f64, 100.0)],
            BLACK.stroke_width(1),
        )))
        .map_err(err)?;
    legend(&mut chart, SeriesLabelPosition::UpperLeft)
}
