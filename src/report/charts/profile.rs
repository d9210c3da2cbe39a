//! The course profile with its climbs shaded and its final third marked, and the biggest
//! climb and descent the training has done drawn over the course's own, from the same
//! starting height, for comparison.

use super::{err, font, DrawResult, GRID, INK, MISSING, SHORT, TRAINING};
use crate::history::RunRow;
use crate::track::climbs::Climb;
use crate::units::Units;
use plotters::coord::Shift;
use plotters::prelude::*;

const COURSE: RGBColor = RGBColor(110, 120, 135);
/// The course's descents, shaded apart from its climbs.
const DESCENT: RGBColor = RGBColor(90, 140, 200);

/// What the profile chart needs.
pub struct ProfileData<'a> {
    /// (distance m, elevation m) of the course.
    pub course: &'a [(f64, f64)],
    pub climbs: &'a [Climb],
    pub descents: &'a [Climb],
    pub distance_m: f64,
    /// The course's biggest climb and descent.
    pub course_climb: Option<Climb>,
    pub course_descent: Option<Climb>,
    /// The training's biggest climb and descent, as profiles from their own start.
    pub training_climb: Option<Vec<(f64, f64)>>,
    pub training_descent: Option<Vec<(f64, f64)>>,
    pub units: Units,
}

/// The hover text of each shaded climb and descent of the course, in drawing order.
pub fn tooltips(c: &super::Inputs, race: &super::RaceInputs) -> super::tooltips::Tooltips {
    let mut t = super::tooltips::Tooltips::default();
    let d = race.demands;
    if d.profile.is_empty() {
        return t;
    }
    let u = c.units;
    for (list, colour, word) in [
        (&d.climbs, SHORT, "climb"),
        (&d.descents, DESCENT, "descent"),
    ] {
        let texts = list
            .iter()
            .filter(|cl| cl.gain_m >= 20.0)
            .map(|cl| {
                format!(
                    "{word} from {} to {}: {} over {} at {:.1} % (steepest {:.1} %)",
                    u.at(cl.start_m),
                    u.at(cl.end_m),
                    u.height(cl.gain_m),
                    u.distance(cl.length_m),
                    cl.mean_grade * 100.0,
                    cl.max_grade * 100.0
                )
            })
            .collect();
        t.add_faded(colour, 0.45, texts);
    }
    t
}

/// The course against the block's biggest climb and descent.
pub fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &super::Inputs,
    race: &super::RaceInputs,
    title: &str,
) -> DrawResult {
    let d = race.demands;
    if d.profile.is_empty() {
        return super::no_data(root, title, "the course file has no elevation");
    }
    let block = c.block_runs();
    let biggest = |key: fn(&RunRow) -> f64| {
        block
            .iter()
            .copied()
            .filter(|r| key(r) > 0.0)
            .max_by(|x, y| key(x).total_cmp(&key(y)))
    };
    let training_climb = biggest(|r| r.biggest_climb_m).and_then(|r| {
        r.stats
            .biggest_climb()
            .map(|cl| segment_profile(r, cl.start_m, cl.end_m))
    });
    let training_descent = biggest(|r| r.biggest_descent_m).and_then(|r| {
        r.stats
            .biggest_descent()
            .map(|cl| segment_profile(r, cl.start_m, cl.end_m))
    });
    let data = ProfileData {
        course: &d.profile,
        climbs: &d.climbs,
        descents: &d.descents,
        distance_m: d.distance_m,
        course_climb: d.biggest_climb(),
        course_descent: d.biggest_descent(),
        training_climb,
        training_descent,
        units: c.units,
    };
    draw(root, &data, title)
}

/// The profile of a run between two distances (a climb or descent inside it).
fn segment_profile(row: &RunRow, start_m: f64, end_m: f64) -> Vec<(f64, f64)> {
    row.stats
        .profile
        .iter()
        .copied()
        .filter(|(d, _)| *d >= start_m - 1.0 && *d <= end_m + 1.0)
        .collect()
}

/// Places a training profile at the course segment's start (distance and height), in
/// metres.
fn overlay(p: &[(f64, f64)], at: &Climb) -> Vec<(f64, f64)> {
    let Some(&(d0, e0)) = p.first() else {
        return Vec::new();
    };
    p.iter()
        .map(|(d, e)| (at.start_m + d - d0, at.start_elevation_m + e - e0))
        .collect()
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    d: &ProfileData,
    title: &str,
) -> DrawResult {
    let u = d.units;
    // Every coordinate in the units shown: distance along, then height.
    let (dist, height) = (|m| u.distance_value(m), |m| u.height_value(m));
    let shown = |p: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        p.into_iter().map(|(x, e)| (dist(x), height(e))).collect()
    };
    // The height range holds the course and the training's climb and descent drawn over
    // it (a training climb bigger than the course's would otherwise be cut flat).
    let overlays: Vec<(f64, f64)> = [
        d.course_climb.zip(d.training_climb.as_ref()),
        d.course_descent.zip(d.training_descent.as_ref()),
    ]
    .into_iter()
    .flatten()
    .flat_map(|(at, p)| overlay(p, &at))
    .collect();
    let heights = || d.course.iter().chain(&overlays).map(|p| height(p.1));
    let lo = heights().fold(f64::INFINITY, f64::min);
    let hi = heights().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() {
        (lo, hi)
    } else {
        (0.0, 100.0)
    };
    let pad = ((hi - lo) * 0.15).max(height(20.0));
    let (y0, y1) = (lo - pad, hi + pad * 1.5);
    let x1 = dist(d.distance_m);
    let mut chart = ChartBuilder::on(root)
        .caption(title, font(24.0))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..x1, y0..y1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_desc(format!("distance ({})", u.distance_unit()))
        .y_desc(format!("elevation ({})", u.height_unit()))
        .x_label_style(font(13.0))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_style(font(13.0))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .axis_desc_style(font(14.0))
        .draw()
        .map_err(err)?;
    // Final third.
    let third = x1 * 2.0 / 3.0;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(third, y0), (x1, y1)],
            INK.mix(0.05).filled(),
        )))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Text::new(
            "final third",
            (third + x1 * 0.01, y1 - pad * 0.3),
            font(14.0),
        )))
        .map_err(err)?;
    let pts = shown(d.course.to_vec());
    chart
        .draw_series(
            AreaSeries::new(pts.iter().copied(), y0, COURSE.mix(0.25))
                .border_style(COURSE.stroke_width(2)),
        )
        .map_err(err)?
        .label("course")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], COURSE.mix(0.4).filled()));
    // Climbs and descents of the course of 20 m or more, shaded.
    for (list, colour, label) in [
        (d.climbs, SHORT, "climbs of the course"),
        (d.descents, DESCENT, "descents of the course"),
    ] {
        let mut first = true;
        for c in list.iter().filter(|c| c.gain_m >= 20.0) {
            let seg: Vec<(f64, f64)> = pts
                .iter()
                .copied()
                .filter(|(x, _)| *x >= dist(c.start_m) && *x <= dist(c.end_m))
                .collect();
            let drawn = chart
                .draw_series(AreaSeries::new(seg, y0, colour.mix(0.45)))
                .map_err(err)?;
            if std::mem::take(&mut first) {
                drawn.label(label).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.mix(0.45).filled())
                });
            }
        }
    }
    if let (Some(cc), Some(tc)) = (d.course_climb, d.training_climb.as_ref()) {
        chart
            .draw_series(LineSeries::new(
                shown(overlay(tc, &cc)),
                TRAINING.stroke_width(3),
            ))
            .map_err(err)?
            .label("your biggest training climb")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], TRAINING.stroke_width(3)));
        chart
            .draw_series(std::iter::once(Text::new(
                format!("course climb {}", u.height(cc.gain_m)),
                (dist(cc.start_m), height(cc.top_elevation_m) + pad * 0.35),
                font(14.0).color(&MISSING),
            )))
            .map_err(err)?;
    }
    if let (Some(cd), Some(td)) = (d.course_descent, d.training_descent.as_ref()) {
        chart
            .draw_series(LineSeries::new(
                shown(overlay(td, &cd)),
                MISSING.stroke_width(3),
            ))
            .map_err(err)?
            .label("your biggest training descent")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], MISSING.stroke_width(3)));
    }
    super::legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}
