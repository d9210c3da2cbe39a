//! Terrain: the course's distance per grade band against the training block's, as shares
//! side by side, with the match score in the title.

use super::{err, font, legend, DrawResult, GRID, INK, TRAINING};
use crate::coach::TerrainMatch;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The chart's title: the match score when known.
pub fn title(c: &super::Inputs) -> String {
    match c.coach.and_then(|k| k.terrain.score_pct) {
        Some(s) => format!("Terrain: the course's grades against your training ({s:.0} % match)"),
        None => "Terrain: the course's grades against your training".into(),
    }
}

/// The hover text of each bar: course bars, then training bars.
pub fn tooltips(c: &super::Inputs, _race: &super::RaceInputs) -> super::tooltips::Tooltips {
    let mut t = super::tooltips::Tooltips::default();
    let u = c.units;
    let Some(m) = c.coach.map(|k| &k.terrain) else {
        return t;
    };
    t.add(
        INK,
        m.bands
            .iter()
            .map(|b| {
                format!(
                    "course, {}: {} ({:.0} %)",
                    b.band,
                    u.distance(b.course_km * 1000.0),
                    b.course_share * 100.0
                )
            })
            .collect(),
    );
    t.add(
        TRAINING,
        m.bands
            .iter()
            .map(|b| {
                format!(
                    "training, {}: {} a week ({:.0} %)",
                    b.band,
                    u.distance(b.training_km_per_week * 1000.0),
                    b.training_share * 100.0
                )
            })
            .collect(),
    );
    t
}

pub fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &super::Inputs,
    _race: &super::RaceInputs,
    title: &str,
) -> DrawResult {
    let Some(m) = c.coach.map(|k| &k.terrain) else {
        return super::no_data(root, title, "no race");
    };
    if m.score_pct.is_none() {
        return super::no_data(
            root,
            title,
            "no elevation recorded in the block's runs or on the course",
        );
    }
    draw(root, m, title)
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &TerrainMatch,
    title: &str,
) -> DrawResult {
    let n = m.bands.len();
    let top = m
        .bands
        .iter()
        .map(|b| b.course_share.max(b.training_share))
        .fold(0.0, f64::max)
        * 100.0;
    let labels: Vec<&str> = m.bands.iter().map(|b| b.band).collect();
    let mut chart = ChartBuilder::on(root)
        .caption(title, font(24.0))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..n as f64, 0.0..(top * 1.15).max(10.0))
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(n * 2 + 1)
        .x_label_formatter(&|x| super::category_label(&labels, *x))
        .x_desc("grade")
        .y_desc("share of distance, %")
        .x_label_style(font(13.0))
        .y_label_style(font(13.0))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .axis_desc_style(font(14.0))
        .draw()
        .map_err(err)?;
    let bar = |k: usize, offset: f64, v: f64, colour: RGBColor| {
        let x0 = k as f64 + offset;
        Rectangle::new([(x0, 0.0), (x0 + 0.36, v * 100.0)], colour.filled())
    };
    chart
        .draw_series(
            m.bands
                .iter()
                .enumerate()
                .map(|(k, b)| bar(k, 0.12, b.course_share, INK)),
        )
        .map_err(err)?
        .label("course")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], INK.filled()));
    chart
        .draw_series(
            m.bands
                .iter()
                .enumerate()
                .map(|(k, b)| bar(k, 0.52, b.training_share, TRAINING)),
        )
        .map_err(err)?
        .label("training block")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], TRAINING.filled()));
    legend(&mut chart, SeriesLabelPosition::UpperRight)
}
