//! Builds: the current block beside the builds before each past race of the same kind, on
//! four measures; a build whose race faded in red, one whose race held in green.

use super::{err, font, DrawResult, GRID, MISSING, MUTED, OK, TRAINING};
use crate::coach::{Build, Coach};
use crate::units::Units;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The colour of a build: now, a race that faded, one that held, one not known.
fn colour(k: &Coach, b: &Build) -> RGBColor {
    match b.race.map(|i| k.past_races[i].faded) {
        None => TRAINING,
        Some(Some(true)) => MISSING,
        Some(Some(false)) => OK,
        Some(None) => MUTED,
    }
}

/// A measure of a build, in the units shown.
type Measure = fn(&Build, Units) -> f64;

/// The four measures: title and value in the units shown.
fn measures(u: Units) -> [(String, Measure); 4] {
    [
        (format!("distance a week, {}", u.distance_unit()), |b, u| {
            u.distance_value(b.km_per_week * 1000.0)
        }),
        (format!("longest run, {}", u.distance_unit()), |b, u| {
            u.distance_value(b.longest_run_m)
        }),
        ("long runs".to_string(), |b, _| f64::from(b.long_runs)),
        (format!("climbing a week, {}", u.height_unit()), |b, u| {
            u.height_value(b.climb_m_per_week)
        }),
    ]
}

/// "now" or the race's month and year, "Oct 25" (the bars' labels: five fit a panel).
fn short_label(b: &Build) -> String {
    match b.race {
        None => "now".into(),
        Some(_) => {
            let (y, m, _) = crate::calendar::civil_from_days(b.end_day);
            format!(
                "{} {:02}",
                super::style::MONTHS[(m - 1) as usize],
                y.rem_euclid(100)
            )
        }
    }
}

/// The hover text of each bar, panel by panel, in drawing order per colour.
pub fn tooltips(c: &super::Inputs, _race: &super::RaceInputs) -> super::tooltips::Tooltips {
    let mut t = super::tooltips::Tooltips::default();
    let Some(k) = c.coach else { return t };
    let u = c.units;
    for colour_of in [TRAINING, MISSING, OK, MUTED] {
        let mut texts = Vec::new();
        for (name, f) in measures(u) {
            for b in shown(k).iter().filter(|b| colour(k, b) == colour_of) {
                texts.push(format!("{}: {name} {:.1}", b.label, f(b, u)));
            }
        }
        t.add(colour_of, texts);
    }
    t
}

/// The builds drawn: now and the four latest before it.
fn shown(k: &Coach) -> Vec<&Build> {
    k.builds.iter().take(5).collect()
}

pub fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &super::Inputs,
    _race: &super::RaceInputs,
    title: &str,
) -> DrawResult {
    let Some(k) = c.coach else {
        return super::no_data(root, title, "no race");
    };
    draw(root, k, c.units, title)
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    k: &Coach,
    u: Units,
    title: &str,
) -> DrawResult {
    let builds = shown(k);
    let area = root.titled(title, font(24.0)).map_err(err)?;
    let note = if builds.len() == 1 {
        "no past race of this kind found: the current block alone"
    } else {
        "blue: now; green: the race held; red: the race faded (last quarter 7.3 % or more slower)"
    };
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(
        note,
        (w as i32 / 2, h as i32 - 14),
        font(13.0)
            .color(&MUTED)
            .pos(Pos::new(HPos::Center, VPos::Center)),
    ))
    .map_err(err)?;
    let body = area.margin(4, 30, 8, 8);
    let panels = body.split_evenly((1, 4));
    for ((name, f), panel) in measures(u).into_iter().zip(panels.iter()) {
        let top = builds.iter().map(|b| f(b, u)).fold(0.0, f64::max).max(1.0) * 1.2;
        let n = builds.len();
        let mut chart = ChartBuilder::on(panel)
            .caption(&name, font(15.0))
            .margin(8)
            .x_label_area_size(30)
            .y_label_area_size(44)
            .build_cartesian_2d(0.0..n as f64, 0.0..top)
            .map_err(err)?;
        let labels: Vec<String> = builds.iter().map(|b| short_label(b)).collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_labels(n * 2 + 1)
            .x_label_formatter(&|x| super::category_label(&labels, *x))
            .x_label_style(font(10.0))
            .y_label_style(font(11.0))
            .y_labels(if top < 8.0 {
                top.floor() as usize + 1
            } else {
                8
            })
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(builds.iter().enumerate().map(|(i, b)| {
                Rectangle::new(
                    [(i as f64 + 0.15, 0.0), (i as f64 + 0.85, f(b, u))],
                    colour(k, b).filled(),
                )
            }))
            .map_err(err)?;
    }
    Ok(())
}
