//! Heat: the temperature of each run over the block against the race's expected
//! temperature, with the heat sessions of the last weeks highlighted.

use super::{err, font, DrawResult, MISSING, MUTED, SHORT, TRAINING};
use crate::history::RunRow;
use crate::units::Units;
use plotters::coord::Shift;
use plotters::prelude::*;

pub struct HeatData<'a> {
    /// (day, mean °C, max °C, counts as a heat session) per run with a sensor.
    pub runs: &'a [(i64, f64, f64, bool)],
    pub block_start_day: i64,
    pub race_day: i64,
    pub race_temperature_c: Option<f64>,
    pub threshold_c: Option<f64>,
    pub window_days: i64,
    pub units: Units,
}

/// The block's runs with a temperature, each with whether it counts as a heat session.
fn heat_runs<'a>(c: &super::Inputs<'a>, a: &crate::gaps::Analysis) -> Vec<(&'a RunRow, bool)> {
    let t = c.thresholds;
    // A cool race judges no heat preparation: no run is a heat session.
    let applies = a.applies(crate::gaps::Dimension::Heat);
    c.block_runs()
        .into_iter()
        .filter(|r| r.mean_temp_c.is_some() && r.max_temp_c.is_some())
        .map(|r| {
            let session = applies
                && r.day >= a.race_day - t.heat_window_days
                && r.moving_s >= t.heat_session_min_s
                && r.heat_minutes >= t.heat_session_min_minutes;
            (r, session)
        })
        .collect()
}

/// The hover text of each run drawn, in drawing order: the other runs, then the heat
/// sessions.
pub fn tooltips(c: &super::Inputs, race: &super::RaceInputs) -> super::tooltips::Tooltips {
    let mut t = super::tooltips::Tooltips::default();
    let (a, u) = (race.analysis, c.units);
    let runs = heat_runs(c, a);
    let of = |session: bool| {
        runs.iter()
            .filter(|r| r.1 == session)
            .map(|(r, _)| {
                format!(
                    "{}: mean {}, max {}, {:.0} min in the heat ({})",
                    crate::calendar::format_day(r.day),
                    u.temperature(r.mean_temp_c.unwrap_or(f64::NAN)),
                    u.temperature(r.max_temp_c.unwrap_or(f64::NAN)),
                    r.heat_minutes,
                    crate::history::file_name(&r.file)
                )
            })
            .collect()
    };
    t.add(TRAINING, of(false));
    t.add(MISSING, of(true));
    t
}

/// The block's runs' temperatures against the race's.
pub fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &super::Inputs,
    race: &super::RaceInputs,
    title: &str,
) -> DrawResult {
    if race.spec.expected_temperature_c.is_none() {
        return super::no_data(root, title, "no race temperature given (--temperature)");
    }
    let (a, t) = (race.analysis, c.thresholds);
    let runs: Vec<(i64, f64, f64, bool)> = heat_runs(c, a)
        .into_iter()
        .map(|(r, session)| {
            (
                r.day,
                r.mean_temp_c.unwrap_or_default(),
                r.max_temp_c.unwrap_or_default(),
                session,
            )
        })
        .collect();
    if runs.is_empty() {
        return super::no_data(
            root,
            title,
            "none of the block's runs recorded a temperature",
        );
    }
    let data = HeatData {
        runs: &runs,
        block_start_day: a.block_start_day,
        race_day: a.race_day,
        race_temperature_c: race.spec.expected_temperature_c,
        // A cool race has no heat sessions, and no threshold to show.
        threshold_c: a
            .heat_threshold_c
            .filter(|_| a.applies(crate::gaps::Dimension::Heat)),
        window_days: t.heat_window_days,
        units: c.units,
    };
    draw(root, &data, title)
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    d: &HeatData,
    title: &str,
) -> DrawResult {
    let (x0, x1) = (d.block_start_day as f64 - 1.0, d.race_day as f64 + 1.0);
    // Every temperature in the unit shown; a degree of margin is a degree Celsius's worth.
    let u = d.units;
    let temp = |c: f64| u.temperature_value(c);
    let degree = temp(1.0) - temp(0.0);
    let runs: Vec<(i64, f64, f64, bool)> = d
        .runs
        .iter()
        .map(|&(day, mean, max, session)| (day, temp(mean), temp(max), session))
        .collect();
    let race = d.race_temperature_c.map(temp);
    let lo = runs
        .iter()
        .map(|r| r.1)
        .fold(f64::INFINITY, f64::min)
        .min(race.unwrap_or(temp(10.0)))
        .min(d.threshold_c.map(temp).unwrap_or(f64::INFINITY));
    let hi = runs
        .iter()
        .map(|r| r.2)
        .fold(f64::NEG_INFINITY, f64::max)
        .max(race.unwrap_or(temp(20.0)));
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (temp(0.0), temp(30.0))
    };
    let (y0, y1) = ((lo - 3.0 * degree).floor(), (hi + 4.0 * degree).ceil());
    let axis = format!("temperature during the run ({})", u.temperature_unit());
    let mut chart = super::date_chart(root, title, x0..x1, y0..y1, &axis)?;
    let window = (d.race_day - d.window_days) as f64;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(window, y0), (x1, y1)],
            SHORT.mix(0.1).filled(),
        )))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Text::new(
            format!("last {} days", d.window_days),
            (window + 0.5, y1 - 0.8 * degree),
            font(13.0),
        )))
        .map_err(err)?;
    if let Some(c) = d.race_temperature_c {
        let t = temp(c);
        chart
            .draw_series(LineSeries::new([(x0, t), (x1, t)], MISSING.stroke_width(2)))
            .map_err(err)?
            .label(format!("race {}", u.temperature(c)))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], MISSING.stroke_width(2)));
    }
    if let Some(c) = d.threshold_c {
        let t = temp(c);
        chart
            .draw_series(DashedLineSeries::new(
                [(x0, t), (x1, t)],
                6,
                4,
                SHORT.stroke_width(2),
            ))
            .map_err(err)?
            .label(format!("heat-session threshold {}", u.temperature(c)))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], SHORT.stroke_width(2)));
    }
    chart
        .draw_series(runs.iter().map(|r| {
            PathElement::new(
                [(r.0 as f64, r.1), (r.0 as f64, r.2)],
                MUTED.stroke_width(1),
            )
        }))
        .map_err(err)?;
    chart
        .draw_series(
            runs.iter()
                .filter(|r| !r.3)
                .map(|r| Circle::new((r.0 as f64, r.1), 5, TRAINING.filled())),
        )
        .map_err(err)?
        .label("run: mean temperature (line to the maximum)")
        .legend(|(x, y)| Circle::new((x + 9, y), 5, TRAINING.filled()));
    // The heat sessions, in red, where there are any.
    if runs.iter().any(|r| r.3) {
        chart
            .draw_series(
                runs.iter()
                    .filter(|r| r.3)
                    .map(|r| Circle::new((r.0 as f64, r.1), 7, MISSING.filled())),
            )
            .map_err(err)?
            .label("heat session")
            .legend(|(x, y)| Circle::new((x + 9, y), 6, MISSING.filled()));
    }
    super::legend(&mut chart, SeriesLabelPosition::LowerLeft)?;
    Ok(())
}
