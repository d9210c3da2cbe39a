//! Pace: how much of the training ran at which grade-adjusted pace (kilometre splits), with
//! the goal-pace band, and below it the longest goal-pace stretch of each week.

use super::{err, font, DrawResult, GRID, OK, SHORT, TRAINING};
use crate::history::Week;
use crate::units::Units;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Width of a pace bin, s per km or mile.
const BIN_S: f64 = 10.0;
/// Most histogram bars: 20 minutes per km (or mile) of range at 10 s a bar.
const MAX_BINS: usize = 120;

pub struct PaceData<'a> {
    /// Grade-adjusted kilometre splits of every run in the block, s/km.
    pub splits: &'a [f64],
    pub goal_gap_s_per_km: Option<f64>,
    pub tolerance: f64,
    pub weeks: &'a [Week],
    /// Longest goal-pace stretch wanted, metres.
    pub segment_demand_m: f64,
    pub units: Units,
    /// Why there is no goal band, when there is none.
    pub no_goal: &'static str,
}

/// The hover text of each week's bar in the lower panel (the upper one's bars are bins of
/// many splits: no one run to name).
pub fn tooltips(c: &super::Inputs, race: &super::RaceInputs) -> super::tooltips::Tooltips {
    let mut t = super::tooltips::Tooltips::default();
    let a = race.analysis;
    if race.demands.goal_gap_s_per_km.is_none()
        || !a.applies(crate::gaps::Dimension::GoalPaceLongest)
    {
        return t;
    }
    let block_start = crate::calendar::week_of(a.block_start_day);
    let texts = c
        .weeks
        .iter()
        .filter(|w| w.week >= block_start)
        .map(|w| {
            format!(
                "week of {}: longest stretch at goal pace {}",
                w.week_start,
                c.units.distance(w.longest_goal_pace_m)
            )
        })
        .collect();
    t.add(OK, texts);
    t
}

/// The block's kilometre splits and goal-pace stretches.
pub fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &super::Inputs,
    race: &super::RaceInputs,
    title: &str,
) -> DrawResult {
    let (a, d) = (race.analysis, race.demands);
    let splits: Vec<f64> = c
        .block_runs()
        .iter()
        .flat_map(|r| r.stats.gap_splits_s_per_km.iter().copied())
        .collect();
    if splits.is_empty() {
        return super::no_data(
            root,
            title,
            "no timed kilometre splits in the training block",
        );
    }
    let block_start = crate::calendar::week_of(a.block_start_day);
    let weeks: Vec<Week> = c
        .weeks
        .iter()
        .filter(|w| w.week >= block_start)
        .cloned()
        .collect();
    // Off road, pace is set by the ground: no goal band, no goal-pace stretches.
    let goal_pace_applies = a.applies(crate::gaps::Dimension::GoalPaceLongest);
    let data = PaceData {
        splits: &splits,
        goal_gap_s_per_km: d.goal_gap_s_per_km.filter(|_| goal_pace_applies),
        tolerance: crate::track::DEFAULT_GOAL_TOLERANCE,
        weeks: &weeks,
        segment_demand_m: c.thresholds.goal_pace_segment_share * d.distance_m,
        units: c.units,
        no_goal: if goal_pace_applies {
            "No goal time: no goal pace, and no goal-pace stretches to show."
        } else {
            "No goal pace on this race: its pace is set by the ground, not by a goal."
        },
    };
    draw(root, &data, title)
}

/// An axis number with the decimals its range needs: ticks half a unit apart on a short
/// axis must not all read "0, 0, 1, 1".
fn axis_number(v: f64, range: f64) -> String {
    if range < 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
}

fn mmss(s: f64) -> String {
    let s = s.round() as i64;
    format!("{}:{:02}", s / 60, s % 60)
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    d: &PaceData,
    title: &str,
) -> DrawResult {
    let (top, bottom) = root.split_vertically((root.dim_in_pixel().1 as f64 * 0.62) as u32);
    let u = d.units;
    // Paces per km or mile; each split is a kilometre, drawn as its distance in the unit.
    let split_distance = u.distance_value(1000.0);
    let goal = d.goal_gap_s_per_km.map(|g| u.pace_value(g));
    // Histogram of splits between the 2nd and 98th percentile, widened to include the goal.
    let mut sorted: Vec<f64> = d
        .splits
        .iter()
        .map(|v| u.pace_value(*v))
        .filter(|v| v.is_finite())
        .collect();
    sorted.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        sorted
            .get(((sorted.len().max(1) - 1) as f64 * q) as usize)
            .copied()
    };
    let mut lo = pick(0.02).unwrap_or(u.pace_value(240.0));
    let mut hi = pick(0.98).unwrap_or(u.pace_value(420.0));
    if let Some(g) = goal.filter(|g| g.is_finite() && *g > 0.0) {
        lo = lo.min(g * 0.95);
        hi = hi.max(g * 1.05);
    }
    // Never more bars than a chart can show, whatever the goal or the splits say.
    hi = hi.min(lo + MAX_BINS as f64 * BIN_S);
    let lo = (lo / BIN_S).floor() * BIN_S;
    let hi = (hi / BIN_S).ceil() * BIN_S + BIN_S;
    let nbins = (((hi - lo) / BIN_S).max(1.0) as usize).min(MAX_BINS + 2);
    let mut counts = vec![0u32; nbins];
    // Splits beyond the drawn range count in its first and last bar (the fastest reps,
    // the slowest climbs), never dropped.
    for v in &sorted {
        let b = ((v - lo) / BIN_S).floor().clamp(0.0, (nbins - 1) as f64);
        counts[b as usize] += 1;
    }
    // Headroom for the legend above the tallest bar.
    let ymax = f64::from(counts.iter().copied().max().unwrap_or(1).max(1)) * split_distance * 1.45;
    let mut chart = ChartBuilder::on(&top)
        .caption(title, font(24.0))
        .margin(16)
        .x_label_area_size(34)
        .y_label_area_size(60)
        .build_cartesian_2d(lo..hi, 0.0..ymax)
        .map_err(err)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(10)
        .x_label_formatter(&|v| mmss(*v))
        .x_label_style(font(13.0))
        .y_desc(format!("{} run at this pace", u.distance_unit()))
        .y_label_style(font(13.0))
        .y_label_formatter(&|v| axis_number(*v, ymax))
        .axis_desc_style(font(14.0))
        .draw()
        .map_err(err)?;
    if let Some(g) = goal {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [
                    (g * (1.0 - d.tolerance), 0.0),
                    (g * (1.0 + d.tolerance), ymax),
                ],
                OK.mix(0.18).filled(),
            )))
            .map_err(err)?
            .label(format!(
                "goal pace {} /{} ±{:.0} % (grade-adjusted)",
                mmss(g),
                u.distance_unit(),
                d.tolerance * 100.0
            ))
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], OK.mix(0.4).filled()));
    }
    chart
        .draw_series(counts.iter().enumerate().map(|(i, c)| {
            let x = lo + i as f64 * BIN_S;
            let top = f64::from(*c) * split_distance;
            let mut r = Rectangle::new([(x, 0.0), (x + BIN_S, top)], TRAINING.filled());
            r.set_margin(0, 0, 1, 1);
            r
        }))
        .map_err(err)?
        .label(format!(
            "kilometre splits, grade-adjusted pace ({})",
            u.pace_unit()
        ))
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], TRAINING.filled()));
    super::legend(&mut chart, SeriesLabelPosition::UpperRight)?;

    // Longest goal-pace stretch per week, where a goal pace applies.
    let Some(_) = d.goal_gap_s_per_km else {
        let (w, h) = bottom.dim_in_pixel();
        bottom
            .draw(&Text::new(
                d.no_goal,
                (w as i32 / 2, h as i32 / 2),
                font(15.0)
                    .color(&super::MUTED)
                    .pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Center,
                    )),
            ))
            .map_err(err)?;
        return Ok(());
    };
    let n = d.weeks.len().max(1) as u32;
    let ymax2 = d
        .weeks
        .iter()
        .map(|w| u.distance_value(w.longest_goal_pace_m))
        .fold(u.distance_value(d.segment_demand_m), f64::max)
        * 1.2;
    let mut chart = ChartBuilder::on(&bottom)
        .margin(16)
        .x_label_area_size(30)
        .y_label_area_size(60)
        .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..ymax2.max(1.0))
        .map_err(err)?;
    // At most 6 labels: they carry the year when the weeks cross one.
    let every = (n as usize).div_ceil(6).max(1);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(n as usize)
        .x_label_formatter(&|x| super::week_label(d.weeks, every, x))
        .x_label_style(font(12.0))
        .y_desc(format!("longest at goal pace ({})", u.distance_unit()))
        .y_label_style(font(12.0))
        .y_label_formatter(&|v| axis_number(*v, ymax2))
        .axis_desc_style(font(13.0))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(d.weeks.iter().enumerate().map(|(i, w)| {
            let mut r = Rectangle::new(
                [
                    (SegmentValue::Exact(i as u32), 0.0),
                    (
                        SegmentValue::Exact(i as u32 + 1),
                        u.distance_value(w.longest_goal_pace_m),
                    ),
                ],
                OK.filled(),
            );
            r.set_margin(0, 0, 3, 3);
            r
        }))
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(
            [
                (SegmentValue::Exact(0), u.distance_value(d.segment_demand_m)),
                (SegmentValue::Exact(n), u.distance_value(d.segment_demand_m)),
            ],
            SHORT.stroke_width(2),
        ))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Text::new(
            format!("target {}", u.distance_dp(d.segment_demand_m, 1)),
            (SegmentValue::Exact(0), u.distance_value(d.segment_demand_m)),
            font(12.0)
                .color(&SHORT)
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Left,
                    plotters::style::text_anchor::VPos::Bottom,
                )),
        )))
        .map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_axis_has_distinct_labels() {
        let ticks = [0.0, 0.5, 1.0, 1.5, 2.0];
        let labels: Vec<String> = ticks.iter().map(|v| axis_number(*v, 3.0)).collect();
        let mut unique = labels.clone();
        unique.dedup();
        assert_eq!(labels, unique, "{labels:?}");
        assert_eq!(axis_number(20.0, 40.0), "20");
    }
}
