//! Specificity scorecard: one horizontal bar per gap dimension, the share of the race's
//! demand met, coloured by severity, labelled with the demand and the training's value.

use super::{err, font, severity_colour, DrawResult, GRID, INK, MUTED};
use crate::gaps::{Dimension, Gap, Verdict};
use crate::units::Units;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Bars stop at this share (a run of 250 % of the demand is drawn as 150 %).
const CAP: f64 = 1.5;

/// The share of the demand met, 0..=CAP. For risks (load) and costs (fade), less is
/// better, so the share is demand / value.
pub fn met_share(g: &Gap) -> f64 {
    let share = raw_share(g);
    if share.is_finite() {
        share.clamp(0.0, CAP)
    } else {
        0.0
    }
}

/// The share of the demand met, uncapped.
fn raw_share(g: &Gap) -> f64 {
    match g.dimension {
        d if d.lower_is_better() => match (g.best, g.recent) {
            (_, Some(v)) | (Some(v), None) if v > 0.0 => g.demand / v,
            _ => 1.0,
        },
        _ => g.ratio.unwrap_or(0.0),
    }
}

fn label(g: &Gap, u: Units) -> String {
    let v = |x: f64| g.format(x, u);
    // The value the severity was judged on.
    let value = match g.dimension {
        d if d.lower_is_better() || d == Dimension::Heat => g.recent.or(g.best),
        _ => g.best,
    };
    let value = value.map(v).unwrap_or_else(|| "none".into());
    match g.dimension {
        // Two times, not a share of one: the prediction against the goal.
        Dimension::GoalRealism => format!("predicted {value} for a goal of {}", v(g.demand)),
        _ => format!("{value} of {}", v(g.demand)),
    }
}

/// The first clause of a reason, at most 70 characters: the chart's row has no room for
/// more (the page and the terminal give it whole).
fn short_reason(detail: &str) -> String {
    let first = detail.split([':', ';']).next().unwrap_or(detail).trim();
    if first.chars().count() <= 70 {
        first.to_string()
    } else {
        let cut: String = first.chars().take(69).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The hover text of each bar: its row's numbers in words.
pub fn tooltips(_: &super::Inputs, race: &super::RaceInputs) -> super::tooltips::Tooltips {
    let mut t = super::tooltips::Tooltips::default();
    let a = race.analysis;
    let judged: Vec<&Gap> = a.gaps.iter().filter(|g| g.verdict.judged()).collect();
    for v in [Verdict::Ok, Verdict::Short, Verdict::Missing] {
        let texts = judged
            .iter()
            .filter(|g| severity_colour(g.verdict) == severity_colour(v))
            .map(|g| format!("{}: {}", g.title, g.detail))
            .collect();
        t.add(severity_colour(v), texts);
    }
    t
}

/// The scorecard of the report's analysis.
pub fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &super::Inputs,
    race: &super::RaceInputs,
    title: &str,
) -> DrawResult {
    let a = race.analysis;
    if a.gaps.iter().any(|g| g.verdict.judged()) {
        draw(root, &a.gaps, title, c.units)
    } else {
        super::no_data(root, title, "no dimension of the race could be judged")
    }
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    all: &[Gap],
    title: &str,
    u: Units,
) -> DrawResult {
    // Rows that are not for this race are left out; unknown ones are drawn without a bar.
    let gaps: Vec<&Gap> = all
        .iter()
        .filter(|g| g.verdict != Verdict::NotForThisRace)
        .collect();
    let n = gaps.len().max(1) as u32;
    // Row 0 at the top: the y axis runs from the last gap up to the first.
    let row = |i: usize| n - 1 - i as u32;
    let mut chart = ChartBuilder::on(root)
        .caption(title, font(24.0))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(220)
        .build_cartesian_2d(0.0..CAP, (0..n - 1).into_segmented())
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(7)
        .x_label_formatter(&|v| format!("{:.0} %", v * 100.0))
        .x_label_style(font(14.0))
        .y_labels(n as usize)
        .y_label_style(font(15.0))
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(r) if *r < n => gaps
                .get((n - 1 - *r) as usize)
                .map(|g| g.title.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        })
        .x_desc("share of the race's demand met")
        .axis_desc_style(font(14.0))
        .draw()
        .map_err(err)?;
    for (i, g) in gaps.iter().enumerate() {
        let r = row(i);
        if !g.verdict.judged() {
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("unknown: {}", short_reason(&g.detail)),
                    (0.015, SegmentValue::CenterOf(r)),
                    font(14.0)
                        .color(&MUTED)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                )))
                .map_err(err)?;
            continue;
        }
        let share = met_share(g);
        let colour = severity_colour(g.verdict);
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(r)),
                (share.max(0.004), SegmentValue::Exact(r + 1)),
            ],
            colour.filled(),
        );
        bar.set_margin(5, 5, 0, 0);
        chart.draw_series(std::iter::once(bar)).map_err(err)?;
        // A bar cut at the cap says how far it goes.
        let raw = raw_share(g);
        if raw.is_finite() && raw > CAP {
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{:.0} % »", raw * 100.0),
                    (CAP - 0.01, SegmentValue::CenterOf(r)),
                    font(14.0)
                        .color(&WHITE)
                        .pos(Pos::new(HPos::Right, VPos::Center)),
                )))
                .map_err(err)?;
        }
        let text = format!("{}  ({})", label(g, u), g.verdict.name());
        // White inside the bar only where the label fits in it (DejaVu Sans averages 0.6 em
        // a character); else ink beside it.
        let plot_px = f64::from(root.dim_in_pixel().0) - 220.0 - 32.0;
        let label_px = 0.6 * 14.0 * text.chars().count() as f64;
        let inside = share > 0.9 && label_px + 16.0 < share / CAP * plot_px;
        let x = if inside { 0.015 } else { share + 0.015 };
        let style = if inside {
            font(14.0).color(&WHITE)
        } else {
            font(14.0).color(&INK)
        };
        chart
            .draw_series(std::iter::once(Text::new(
                text,
                (x, SegmentValue::CenterOf(r)),
                style.pos(Pos::new(HPos::Left, VPos::Center)),
            )))
            .map_err(err)?;
    }
    // The 100 % line: the demand.
    chart
        .draw_series(LineSeries::new(
            [(1.0, SegmentValue::Exact(0)), (1.0, SegmentValue::Exact(n))],
            MUTED.stroke_width(2),
        ))
        .map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_goal_row_reads_as_two_times() {
        let g = Gap {
            dimension: Dimension::GoalRealism,
            title: "Goal realism",
            demand: 3.5,
            best: Some(3.0 + 45.0 / 60.0 + 31.0 / 3600.0),
            recent: None,
            unit: crate::gaps::Unit::Hours,
            ratio: Some(0.93),
            verdict: Verdict::Missing,
            detail: String::new(),
            advice: String::new(),
            best_run: None,
        };
        assert_eq!(
            label(&g, Units::Metric),
            "predicted 3:45:31 for a goal of 3:30:00"
        );
        let climb = Gap {
            dimension: Dimension::ClimbingBiggest,
            unit: crate::gaps::Unit::Metres,
            demand: 273.0,
            best: Some(125.0),
            ..g
        };
        assert_eq!(label(&climb, Units::Metric), "125 m of 273 m");
    }
    use crate::gaps::Thresholds;

    /// Leftmost and rightmost x of pixels of exactly `colour`.
    fn extent(buf: &[u8], width: usize, colour: RGBColor) -> Option<(usize, usize)> {
        let xs: Vec<usize> = buf
            .chunks_exact(3)
            .enumerate()
            .filter(|(_, p)| p == &[colour.0, colour.1, colour.2])
            .map(|(i, _)| i % width)
            .collect();
        Some((*xs.iter().min()?, *xs.iter().max()?))
    }

    /// Bars are as long as the share they show: drawn into a real bitmap and measured in
    /// pixels, a half-met demand is half the length of a met one, and 250 % is cut at
    /// 150 %.
    #[test]
    fn bar_lengths_in_pixels_are_the_shares() {
        super::super::register_fonts();
        let t = Thresholds::default();
        let gap = |d, best| Gap::by_ratio(d, 100.0, Some(best), None, &t);
        let gaps = [
            gap(Dimension::Distance, 100.0),
            gap(Dimension::ClimbingBiggest, 50.0),
            gap(Dimension::ClimbingWeekly, 250.0),
        ];
        assert_eq!(
            gaps.iter().map(|g| g.verdict).collect::<Vec<_>>(),
            [Verdict::Ok, Verdict::Missing, Verdict::Ok]
        );
        let draw_one = |gs: &[Gap]| {
            let (w, h) = (1000usize, 560usize);
            let mut buf = vec![0u8; w * h * 3];
            {
                let root =
                    BitMapBackend::with_buffer(&mut buf, (w as u32, h as u32)).into_drawing_area();
                root.fill(&WHITE).unwrap();
                draw(&root, gs, "t", Units::Metric).unwrap();
                root.present().unwrap();
            }
            buf
        };
        let all = draw_one(&gaps);
        let ok = super::super::OK;
        let (left, met) = extent(&draw_one(&gaps[..1]), 1000, ok).unwrap();
        let (l2, half) = extent(&all, 1000, super::super::MISSING).unwrap();
        let (l3, capped) = extent(&draw_one(&gaps[2..]), 1000, ok).unwrap();
        assert_eq!((l2, l3), (left, left), "every bar starts at 0 %");
        let len = |right: usize| (right - left + 1) as f64;
        assert!(
            (len(half) / len(met) - 0.5).abs() < 0.01,
            "{} / {}",
            len(half),
            len(met)
        );
        assert!(
            (len(capped) / len(met) - 1.5).abs() < 0.01,
            "{} / {}",
            len(capped),
            len(met)
        );
    }

    #[test]
    fn unknown_reasons_are_cut_to_their_first_clause() {
        assert_eq!(
            short_reason("no race temperature given: heat preparation not judged"),
            "no race temperature given"
        );
        let long = "x".repeat(100);
        assert_eq!(short_reason(&long).chars().count(), 70);
    }
}
