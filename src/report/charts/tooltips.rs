//! Hover text for the marks of an SVG chart: plotters draws no `<title>`, so each chart
//! names its marks by fill colour and opacity, in the order it draws them, and the k-th
//! circle, bar or area of that fill gets the k-th text as its `<title>` (browsers show it
//! on hover). A band or swatch of the same colour at another opacity is not taken for one.

use plotters::style::RGBColor;

/// The hover texts of a chart's marks: per fill colour, in drawing order.
#[derive(Debug, Default)]
pub struct Tooltips(Vec<(RGBColor, f64, Vec<String>)>);

impl Tooltips {
    /// Texts for the opaque marks filled with `colour`, in the order they are drawn.
    pub fn add(&mut self, colour: RGBColor, texts: Vec<String>) {
        self.add_faded(colour, 1.0, texts);
    }

    /// Texts for the marks filled with `colour` at `opacity` (a shaded area).
    pub fn add_faded(&mut self, colour: RGBColor, opacity: f64, texts: Vec<String>) {
        self.0.push((colour, opacity, texts));
    }
}

/// The fill and opacity attributes plotters writes for a colour.
fn key(c: RGBColor, opacity: f64) -> (String, String) {
    (
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2),
        format!("{opacity}"),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `svg` with a `<title>` inside each mark the tooltips name; marks beyond a colour's texts
/// (its legend swatch) are left as they are.
pub fn apply(svg: &str, tips: &Tooltips) -> String {
    let fills: Vec<((String, String), &Vec<String>)> =
        tips.0.iter().map(|(c, o, t)| (key(*c, *o), t)).collect();
    let mut used = vec![0usize; fills.len()];
    let mut out = String::with_capacity(svg.len() + 64 * used.len());
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let Some(end) = rest.find('>') else { break };
        let tag = &rest[..=end];
        rest = &rest[end + 1..];
        let name = tag[1..].split([' ', '/', '>']).next().unwrap_or_default();
        let attr = |a: &str| {
            tag.split(&format!(" {a}=\""))
                .nth(1)
                .and_then(|v| v.split('"').next())
        };
        let which = match (name, attr("fill"), attr("opacity"), tag.ends_with("/>")) {
            ("circle" | "rect" | "polygon", Some(f), Some(o), true) => {
                fills.iter().position(|((h, op), _)| h == f && op == o)
            }
            _ => None,
        };
        match which.and_then(|i| fills[i].1.get(used[i]).map(|t| (i, t))) {
            Some((i, text)) => {
                used[i] += 1;
                out.push_str(&tag[..tag.len() - 2]);
                out.push_str(&format!("><title>{}</title></{name}>", escape(text)));
            }
            None => out.push_str(tag),
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_get_their_titles_in_order_and_the_legend_none() {
        let blue = RGBColor(70, 110, 190);
        let svg = "<svg><circle cx=\"1\" opacity=\"1\" fill=\"#466EBE\"/><rect opacity=\"1\" fill=\"#FFFFFF\"/>\
<rect opacity=\"0.18\" fill=\"#466EBE\"/>\
<circle cx=\"2\" opacity=\"1\" fill=\"#466EBE\"/><circle cx=\"9\" opacity=\"1\" fill=\"#466EBE\"/></svg>";
        let mut t = Tooltips::default();
        t.add(blue, vec!["2026-09-27: 32 km".into(), "a <b> & c".into()]);
        assert_eq!(
            apply(svg, &t),
            "<svg><circle cx=\"1\" opacity=\"1\" fill=\"#466EBE\"><title>2026-09-27: 32 km</title></circle>\
<rect opacity=\"1\" fill=\"#FFFFFF\"/><rect opacity=\"0.18\" fill=\"#466EBE\"/>\
<circle cx=\"2\" opacity=\"1\" fill=\"#466EBE\"><title>a &lt;b&gt; &amp; c</title></circle>\
<circle cx=\"9\" opacity=\"1\" fill=\"#466EBE\"/></svg>"
        );
        assert_eq!(apply(svg, &Tooltips::default()), svg);
    }
}
