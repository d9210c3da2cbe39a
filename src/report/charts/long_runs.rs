//! Long runs: every run of at least half the long-run length by date and distance, against
//! the race distance and the long-run threshold; stretches without a long run longer than
//! the allowed interval are bracketed along the bottom.

use super::{err, font, DrawResult, MISSING, MUTED, SHORT, TRAINING};
use crate::units::Units;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What the long-run chart needs.
pub struct LongRunData<'a> {
    /// (day, distance m) of every run.
    /// (day, distance m, long: by distance, or off road by time as well) of every run.
    pub runs: &'a [(i64, f64, bool)],
    pub block_start_day: i64,
    pub race_day: i64,
    pub race_distance_m: f64,
    pub long_run_m: f64,
    pub max_interval_days: i64,
    pub units: Units,
}

/// "2026-09-27: 32.00 km in 3:09:11 (2026-09-27-long-run.fit)".
fn run_text(r: &crate::history::RunRow, u: Units) -> String {
    format!(
        "{}: {} in {} ({})",
        crate::calendar::format_day(r.day),
        u.distance(r.distance_m),
        crate::units::hms(r.moving_s),
        crate::history::file_name(&r.file)
    )
}

/// The hover text of each run drawn, in the order `draw` draws them: the shorter runs,
/// then the long ones.
pub fn tooltips(c: &super::Inputs, race: &super::RaceInputs) -> super::tooltips::Tooltips {
    let mut t = super::tooltips::Tooltips::default();
    let a = race.analysis;
    let runs = c.block_runs();
    let texts = |long: bool| -> Vec<String> {
        runs.iter()
            .filter(|r| shown(r.distance_m, r.is_long, a.long_run_m) && r.is_long == long)
            .map(|r| run_text(r, c.units))
            .collect()
    };
    t.add(MUTED, texts(false));
    t.add(TRAINING, texts(true));
    t
}

/// Whether a run is drawn: half the long-run length or more, or long by time.
fn shown(distance_m: f64, long: bool, long_run_m: f64) -> bool {
    long || distance_m >= 0.5 * long_run_m
}

/// The block's runs against the long-run length.
pub fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &super::Inputs,
    race: &super::RaceInputs,
    title: &str,
) -> DrawResult {
    let (a, d) = (race.analysis, race.demands);
    let runs: Vec<(i64, f64, bool)> = c
        .block_runs()
        .iter()
        .map(|r| (r.day, r.distance_m, r.is_long))
        .collect();
    if runs.is_empty() {
        return super::no_data(root, title, "no runs in the training block");
    }
    let data = LongRunData {
        runs: &runs,
        block_start_day: a.block_start_day,
        race_day: a.race_day,
        race_distance_m: d.distance_m,
        long_run_m: a.long_run_m,
        max_interval_days: c.thresholds.max_long_run_interval_days,
        units: c.units,
    };
    draw(root, &data, title)
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    d: &LongRunData,
    title: &str,
) -> DrawResult {
    let (x0, x1) = (d.block_start_day as f64 - 1.0, d.race_day as f64 + 1.0);
    let u = d.units;
    let y = |m: f64| u.distance_value(m);
    let y_max = y(d
        .race_distance_m
        .max(d.runs.iter().map(|r| r.1).fold(0.0, f64::max)))
        * 1.4;
    let axis = format!("run distance ({})", u.distance_unit());
    let mut chart = super::date_chart(root, title, x0..x1, 0.0..y_max, &axis)?;
    // Long stretches without a long run, shaded.
    let mut marks = vec![d.block_start_day];
    let mut long_days: Vec<i64> = d.runs.iter().filter(|r| r.2).map(|r| r.0).collect();
    long_days.sort_unstable();
    marks.extend(long_days);
    marks.push(d.race_day);
    for w in marks.windows(2) {
        let gap = w[1] - w[0];
        if gap > d.max_interval_days {
            // A bracket along the bottom, not a wash over the whole plot: the runs stay
            // readable and the stretch is marked where the dates are.
            let (lo, hi) = (w[0] as f64 + 0.5, w[1] as f64 - 0.5);
            let band = y_max * 0.035;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(lo, 0.0), (hi, band)],
                    MISSING.mix(0.35).filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{gap} days without a long run"),
                    (lo + 1.0, band * 1.6),
                    font(13.0)
                        .color(&MISSING)
                        .pos(Pos::new(HPos::Left, VPos::Bottom)),
                )))
                .map_err(err)?;
        }
    }
    let hline = |y: f64| [(x0, y), (x1, y)];
    chart
        .draw_series(DashedLineSeries::new(
            hline(y(d.race_distance_m)),
            8,
            5,
            MISSING.stroke_width(2),
        ))
        .map_err(err)?
        .label(format!(
            "race distance {}",
            u.distance_dp(d.race_distance_m, 1)
        ))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], MISSING.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            hline(y(d.long_run_m)),
            SHORT.stroke_width(2),
        ))
        .map_err(err)?
        .label(format!("long run {}", u.distance_dp(d.long_run_m, 1)))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], SHORT.stroke_width(2)));
    let drawn: Vec<&(i64, f64, bool)> = d
        .runs
        .iter()
        .filter(|r| shown(r.1, r.2, d.long_run_m))
        .collect();
    chart
        .draw_series(
            drawn
                .iter()
                .filter(|r| !r.2)
                .map(|r| Circle::new((r.0 as f64, y(r.1)), 5, MUTED.filled())),
        )
        .map_err(err)?
        .label("runs over half the long-run length")
        .legend(|(x, y)| Circle::new((x + 9, y), 5, MUTED.filled()));
    chart
        .draw_series(
            drawn
                .iter()
                .filter(|r| r.2)
                .map(|r| Circle::new((r.0 as f64, y(r.1)), 8, TRAINING.filled())),
        )
        .map_err(err)?
        .label("long runs")
        .legend(|(x, y)| Circle::new((x + 9, y), 7, TRAINING.filled()));
    super::legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}
