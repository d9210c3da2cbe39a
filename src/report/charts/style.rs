//! How every chart looks: size, colours, the embedded font, the legend, the "No data"
//! panel, the mesh of a date chart and the labels of date, week and month axes.

use super::{err, DrawResult};
use crate::gaps::Verdict;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::sync::Once;

/// Default chart size, pixels.
pub const WIDTH: u32 = 1000;
pub const HEIGHT: u32 = 560;
/// The font family every chart uses (registered from the embedded DejaVu Sans).
pub const FONT: &str = "sans-serif";

pub const INK: RGBColor = RGBColor(40, 40, 48);
pub const GRID: RGBColor = RGBColor(225, 225, 232);
pub const OK: RGBColor = RGBColor(46, 139, 87);
pub const SHORT: RGBColor = RGBColor(230, 145, 20);
pub const MISSING: RGBColor = RGBColor(200, 40, 40);
pub const TRAINING: RGBColor = RGBColor(70, 110, 190);
pub const MUTED: RGBColor = RGBColor(150, 160, 175);

/// The colour of a verdict (grey: not judged).
pub fn severity_colour(s: Verdict) -> RGBColor {
    match s {
        Verdict::Ok => OK,
        Verdict::Short => SHORT,
        Verdict::Missing => MISSING,
        Verdict::Unknown | Verdict::NotForThisRace => MUTED,
    }
}

static FONTS: Once = Once::new();

/// Registers the embedded fonts once per process.
pub fn register_fonts() {
    FONTS.call_once(|| {
        // The bytes are DejaVu Sans from the `dejavu` crate: valid TTF, so these cannot fail.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// A chart with nothing to draw: its title and, in the middle, why (never a blank frame).
pub fn no_data<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    why: &str,
) -> DrawResult {
    let area = root.titled(title, font(24.0)).map_err(err)?;
    let (w, h) = area.dim_in_pixel();
    area.draw(&Rectangle::new(
        [(40, 20), (w as i32 - 40, h as i32 - 40)],
        GRID.stroke_width(2),
    ))
    .map_err(err)?;
    let style = font(18.0)
        .color(&MUTED)
        .pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ));
    area.draw(&Text::new(
        format!("No data: {why}"),
        (w as i32 / 2, h as i32 / 2 - 10),
        style,
    ))
    .map_err(err)
}

/// Draws the legend of a chart's labelled series, in the style every chart shares.
pub fn legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> DrawResult
where
    DB: DrawingBackend + 'a,
    CT: plotters::coord::CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .label_font(font(13.0))
        .background_style(WHITE.mix(0.85))
        .border_style(MUTED)
        .draw()
        .map_err(err)
}

/// A font of `size` pixels in the chart family.
pub fn font(size: f64) -> TextStyle<'static> {
    (FONT, size).into_font().color(&INK)
}

/// A chart whose x axis is days (labelled as dates) and y axis a plain number, in the style
/// the long-run and heat charts share.
pub fn date_chart<'a, DB: DrawingBackend + 'a>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
    days: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    y_desc: &str,
) -> Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>, String> {
    let year = |d: f64| crate::calendar::civil_from_days(d.round() as i64).0;
    let crosses = year(days.start) != year(days.end);
    let mut chart = ChartBuilder::on(root)
        .caption(title, font(24.0))
        .margin(16)
        // Room for the last date's label, centred on its tick.
        .margin_right(44)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(days, y)
        .map_err(err)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(if crosses { 6 } else { 9 })
        .x_label_formatter(&|x| date_label(x.round() as i64, crosses))
        .x_label_style(font(13.0))
        .y_desc(y_desc)
        .y_label_style(font(13.0))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .axis_desc_style(font(14.0))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// The label of a week axis: the week's Monday on every `every`-th week (so labels never
/// crowd), with the year when the weeks cross one; nothing elsewhere.
pub fn week_label(weeks: &[crate::history::Week], every: usize, x: &SegmentValue<u32>) -> String {
    let year = |w: &crate::history::Week| w.week_start.get(..4).map(str::to_string);
    let crosses = weeks.first().and_then(year) != weeks.last().and_then(year);
    match x {
        SegmentValue::CenterOf(i) if (*i as usize).is_multiple_of(every.max(1)) => weeks
            .get(*i as usize)
            .map(|w| date_label(crate::calendar::week_start(w.week), crosses))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A date on an axis: `3 Jan`, or `3 Jan ’26` when the axis crosses a year.
pub fn date_label(day: i64, with_year: bool) -> String {
    let (y, _, _) = crate::calendar::civil_from_days(day);
    if with_year {
        format!("{} ’{:02}", short_date(day), y.rem_euclid(100))
    } else {
        short_date(day)
    }
}

/// "2024-03" as "Mar 2024".
pub fn month_label(year_month: &str) -> String {
    let m: usize = year_month
        .get(5..7)
        .and_then(|m| m.parse().ok())
        .unwrap_or(1);
    format!(
        "{} {}",
        MONTHS[m.clamp(1, 12) - 1],
        year_month.get(..4).unwrap_or("")
    )
}

pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since the epoch as `DD Mon`.
pub fn short_date(day: i64) -> String {
    let (_, m, d) = crate::calendar::civil_from_days(day);
    format!("{d} {}", MONTHS[(m - 1) as usize])
}

/// The label of a category axis drawn over `0..labels.len()`: category `k`'s label at its
/// middle (`k + 0.5`), nothing elsewhere (ask for `2 n + 1` labels to land on the middles).
pub fn category_label<S: AsRef<str>>(labels: &[S], x: f64) -> String {
    let k = (x - 0.5).round();
    if (x - 0.5 - k).abs() < 1e-6 && k >= 0.0 && (k as usize) < labels.len() {
        labels[k as usize].as_ref().to_string()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_is_labelled_at_its_middle_only() {
        let labels = ["a", "b", "c"];
        assert_eq!(category_label(&labels, 0.5), "a");
        assert_eq!(category_label(&labels, 2.5), "c");
        assert_eq!(category_label(&labels, 1.0), "");
        assert_eq!(category_label(&labels, 3.5), "");
        assert_eq!(category_label(&labels, -0.5), "");
    }
}
