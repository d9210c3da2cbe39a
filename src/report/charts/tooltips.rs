//! Hover text for the marks of an SVG chart: plotters draws no `<title>`, so each chart
//! names its marks by fill colour, in the order it draws them, and the k-th circle, bar or
//! area of that colour gets the k-th text as its `<title>` (browsers show it on hover).

use plotters::style::RGBColor;

/// The hover texts of a chart's marks: per fill colour, in drawing order.
#[derive(Debug, Default)]
pub struct Tooltips(Vec<(RGBColor, Vec<String>)>);

impl Tooltips {
    /// Texts for the marks filled with `colour`, in the order they are drawn.
    pub fn add(&mut self, colour: RGBColor, texts: Vec<String>) {
        self.0.push((colour, texts));
    }
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `svg` with a `<title>` inside each mark the tooltips name; marks beyond a colour's texts
/// (its legend swatch) are left as they are.
pub fn apply(svg: &str, tips: &Tooltips) -> String {
    let fills: Vec<(String, &Vec<String>)> = tips.0.iter().map(|(c, t)| (hex(*c), t)).collect();
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
        let fill = tag
            .split("fill=\"")
            .nth(1)
            .and_then(|v| v.split('"').next());
        let which = match (name, fill, tag.ends_with("/>")) {
            ("circle" | "rect" | "polygon", Some(f), true) => {
                fills.iter().position(|(h, _)| h == f)
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
        let svg = "<svg><circle cx=\"1\" fill=\"#466EBE\"/><rect fill=\"#FFFFFF\"/>\
<circle cx=\"2\" fill=\"#466EBE\"/><circle cx=\"9\" fill=\"#466EBE\"/></svg>";
        let mut t = Tooltips::default();
        t.add(blue, vec!["2026-09-27: 32 km".into(), "a <b> & c".into()]);
        assert_eq!(
            apply(svg, &t),
            "<svg><circle cx=\"1\" fill=\"#466EBE\"><title>2026-09-27: 32 km</title></circle>\
<rect fill=\"#FFFFFF\"/><circle cx=\"2\" fill=\"#466EBE\"><title>a &lt;b&gt; &amp; c</title></circle>\
<circle cx=\"9\" fill=\"#466EBE\"/></svg>"
        );
        assert_eq!(apply(svg, &Tooltips::default()), svg);
    }
}
