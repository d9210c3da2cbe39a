//! `index.html`: the summary, the gaps table with advice, the charts (SVG inline), the race
//! demands and the files that were not used. Self-contained: no external fonts, scripts or
//! styles, so it opens offline.

use super::charts::severity_colour;
use super::ChartFile;
use crate::calendar::format_day;
use crate::gaps::{table_order, Analysis, Dimension, Gap, Verdict, FIX_FIRST_MAX};
use crate::periods::HistorySummary;
use crate::race::{RaceDemands, RaceSpec};
use crate::track::pace::effort_name;
use crate::units::{hms, Units};
use std::fmt::Write as _;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:2em auto;max-width:1100px;color:#28282f;padding:0 1em}\
h1{margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;width:100%;font-size:14px}th,td{padding:.35em .5em;border-bottom:1px solid #eee;text-align:left;vertical-align:top}\
td.num{text-align:right;white-space:nowrap}.sev{font-weight:bold;color:#fff;border-radius:3px;padding:.1em .4em}\
figure{margin:1em 0}figure svg,figure img{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:13px;color:#555}\
.summary{font-size:15px;line-height:1.5}.advice{color:#444;font-size:13px}\
tr.unjudged td{color:#8a8f99}.fix ol{padding-left:1.4em}.fix li{margin:.5em 0;line-height:1.45}.warning{background:#fff4e0;border-left:4px solid #e69114;padding:.4em .7em}\
code{overflow-wrap:anywhere}td{overflow-wrap:break-word}table.course th{text-align:right}.wide{overflow-x:auto}.fix a,table.gaps a{color:inherit;text-decoration-color:#b8bcc6}\
@media (max-width:640px){body{margin:1em auto;padding:0 .6em}h1{font-size:1.5em}\
table.gaps,table.gaps tbody,table.gaps tr,table.gaps td{display:block;width:auto}table.gaps tr.head{display:none}\
table.gaps tr{border:1px solid #ddd;border-radius:6px;margin:.6em 0;padding:.3em .2em}table.gaps td{border:none;padding:.15em .4em;text-align:left}\
table.gaps td.num{display:inline-block;white-space:normal}table.gaps td.num::before{content:attr(data-label) \": \";color:#777}\
table.gaps td.name{font-weight:bold}}\
@media print{body{max-width:none;margin:0;padding:0;font-size:11pt}figure,tr,li{break-inside:avoid}h2{break-after:avoid}\
.sev{border:1px solid #000;print-color-adjust:exact;-webkit-print-color-adjust:exact}}";

/// The chart that shows a dimension, for the link from its row.
pub fn chart_of(d: Dimension) -> &'static str {
    match d {
        Dimension::Distance
        | Dimension::LongRunFrequency
        | Dimension::TimeOnFeet
        | Dimension::BackToBack => "long_runs",
        Dimension::ClimbingBiggest
        | Dimension::DescendingBiggest
        | Dimension::SessionClimbing
        | Dimension::SessionDescending
        | Dimension::LongRunClimbing => "profile",
        Dimension::ClimbingWeekly | Dimension::DescendingWeekly | Dimension::Load => "weekly",
        Dimension::GoalPaceVolume | Dimension::GoalPaceLongest | Dimension::GoalPaceOrFaster => {
            "pace"
        }
        Dimension::Heat => "heat",
        Dimension::GoalRealism | Dimension::LateFade => "scorecard",
    }
}

/// A dimension's title, linked to the chart that shows it when the page has that chart.
fn linked_title(g: &Gap, charts: &[ChartFile]) -> String {
    let chart = chart_of(g.dimension);
    if charts.iter().any(|c| c.name == chart) {
        format!("<a href=\"#chart-{chart}\">{}</a>", escape(g.title))
    } else {
        escape(g.title)
    }
}

/// A verdict as a coloured badge.
fn badge(v: Verdict) -> String {
    let c = severity_colour(v);
    format!(
        "<span class=sev style=\"background:rgb({},{},{})\">{}</span>",
        c.0,
        c.1,
        c.2,
        v.name()
    )
}

fn gap_row(g: &Gap, u: Units, charts: &[ChartFile]) -> String {
    let class = if g.verdict.judged() {
        ""
    } else {
        " class=unjudged"
    };
    let demand = if g.verdict == Verdict::NotForThisRace
        || (g.verdict == Verdict::Unknown && g.demand == 0.0)
    {
        "-".into()
    } else {
        g.format(g.demand, u)
    };
    format!(
        "<tr{class}><td class=name>{}</td><td class=num data-label=\"race needs\">{}</td><td class=num data-label=\"best\">{}</td><td class=num data-label=\"recent\">{}</td><td>{}</td><td>{}<div class=advice>{}</div></td></tr>\n",
        linked_title(g, charts),
        escape(&demand),
        escape(&g.best.map(|b| g.format(b, u)).unwrap_or_else(|| "-".into())),
        escape(&g.recent.map(|b| g.format(b, u)).unwrap_or_else(|| "-".into())),
        badge(g.verdict),
        escape(&g.detail),
        escape(&g.advice)
    )
}

/// "Fix these first": the shortfalls ranked for this kind of race, each with its action,
/// its numbers and the run to build on.
fn fix_first_block(a: &Analysis, charts: &[ChartFile]) -> String {
    let first = a.fix_first_rows();
    let mut h = String::from("<section class=fix>\n<h2>Fix these first</h2>\n");
    if first.is_empty() {
        h.push_str("<p>Nothing the data can judge falls short of this race.</p>\n</section>\n");
        return h;
    }
    h.push_str("<ol>\n");
    for (i, g) in first.iter().enumerate() {
        if i == FIX_FIRST_MAX {
            let _ = writeln!(
                h,
                "</ol>\n<details><summary>{} more that fall short</summary>\n<ol start={}>",
                first.len() - FIX_FIRST_MAX,
                FIX_FIRST_MAX + 1
            );
        }
        let run = g
            .best_run
            .as_ref()
            .map(|r| {
                format!(
                    " Build on your run of {} (<code>{}</code>).",
                    escape(&r.date),
                    escape(&r.file)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<li><b>{}</b> {} {}<div class=advice>{}.{run}</div></li>",
            linked_title(g, charts),
            badge(g.verdict),
            escape(&g.advice),
            escape(&g.detail)
        );
    }
    if first.len() > FIX_FIRST_MAX {
        h.push_str("</ol>\n</details>\n</section>\n");
    } else {
        h.push_str("</ol>\n</section>\n");
    }
    h
}

/// Target paces of each stretch of the course from the runner's own pace by grade,
/// folded away.
fn targets_table(a: &Analysis, u: Units) -> String {
    if a.targets.is_empty() {
        return String::new();
    }
    let mut h = format!(
        "<details><summary>Target pace along the course, from your own pace on each grade</summary>\n<div class=wide><table>\n<tr><th>{}</th><th>grade</th><th>target pace</th></tr>\n",
        u.distance_unit()
    );
    for s in &a.targets {
        let _ = writeln!(
            h,
            "<tr><td>{:.1}-{:.1}</td><td class=num>{:+.1} %</td><td class=num>{}</td></tr>",
            u.distance_value(s.start_m),
            u.distance_value(s.end_m),
            crate::units::tidy(s.grade * 100.0, 1),
            escape(
                &s.target_pace_s_per_km
                    .map(|p| u.pace(p))
                    .unwrap_or_default()
            )
        );
    }
    h.push_str("</table></div></details>\n");
    h
}

/// What the page shows.
pub struct Page<'a> {
    pub spec: Option<&'a RaceSpec>,
    pub demands: Option<&'a RaceDemands>,
    pub analysis: Option<&'a Analysis>,
    pub charts: &'a [ChartFile],
    pub activities: usize,
    pub runs_in_block: usize,
    /// (path, reason) of every file that was not used.
    pub skipped: &'a [(String, String)],
    pub units: Units,
    /// Without a race: the history by year and month, longest runs and best efforts.
    pub history: Option<&'a HistorySummary>,
    /// With a race: the coach's sections (plan, past races, builds, own ground, terrain,
    /// downhill, heat).
    pub coach: &'a [super::coach_text::Section],
}

/// The history without a race: tables by year and by month, the longest runs, each year's
/// best efforts.
fn history_tables(h: &HistorySummary, u: Units) -> String {
    let mut s = String::new();
    for (title, key, periods) in [
        ("By year", "year", &h.years),
        ("The last 12 months", "month", &h.months),
    ] {
        let _ = writeln!(
            s,
            "<h2>{title}</h2>\n<div class=wide><table>\n<tr><th>{key}</th><th>runs</th><th>distance</th><th>time</th><th>climbing</th><th>longest</th><th>long runs</th></tr>"
        );
        for p in periods.iter() {
            let cells = super::text::period_cells(p, u);
            let _ = write!(s, "<tr><td>{}</td>", escape(&cells[0]));
            for c in &cells[1..] {
                let _ = write!(s, "<td class=num>{}</td>", escape(c));
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</table></div>\n");
    }
    if !h.longest.is_empty() {
        s.push_str("<h2>Longest runs</h2>\n<div class=wide><table>\n<tr><th>date</th><th>distance</th><th>time</th><th>file</th></tr>\n");
        for (date, m, secs, file) in &h.longest {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td class=num>{}</td><td class=num>{}</td><td><code>{}</code></td></tr>",
                escape(date),
                u.distance(*m),
                hms(*secs),
                escape(file)
            );
        }
        s.push_str("</table></div>\n");
    }
    let distances = h.effort_distances();
    if !distances.is_empty() {
        s.push_str("<h2>Best efforts by year</h2>\n<div class=wide><table>\n<tr><th>year</th>");
        for d in &distances {
            let _ = write!(s, "<th>{}</th>", escape(&effort_name(*d)));
        }
        s.push_str("</tr>\n");
        for y in &h.years {
            let _ = write!(s, "<tr><td>{}</td>", escape(&y.label));
            for d in &distances {
                let cell = h
                    .best_of(&y.label, *d)
                    .map(|b| {
                        format!(
                            "<span title=\"{}\">{}</span>",
                            escape(&b.date),
                            hms(b.time_s)
                        )
                    })
                    .unwrap_or_else(|| "-".into());
                let _ = write!(s, "<td class=num>{cell}</td>");
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</table></div>\n");
    }
    s
}

/// The coach's sections (the plan first), each a heading, its lines and its table.
fn coach_sections(sections: &[super::coach_text::Section]) -> String {
    let mut h = String::new();
    for sec in sections {
        let _ = writeln!(h, "<h2 id=\"{}\">{}</h2>", sec.key, escape(&sec.title));
        let mut list = false;
        for l in &sec.lines {
            match l.strip_prefix("  - ") {
                Some(item) => {
                    if !list {
                        h.push_str("<ul>\n");
                        list = true;
                    }
                    let _ = writeln!(h, "<li>{}</li>", escape(item));
                }
                None => {
                    if list {
                        h.push_str("</ul>\n");
                        list = false;
                    }
                    let _ = writeln!(h, "<p>{}</p>", escape(l));
                }
            }
        }
        if list {
            h.push_str("</ul>\n");
        }
        if let Some(t) = &sec.table {
            h.push_str("<div class=wide><table class=coach>\n<tr>");
            for c in &t.head {
                let _ = write!(h, "<th>{}</th>", escape(c));
            }
            h.push_str("</tr>\n");
            for r in &t.rows {
                h.push_str("<tr>");
                for c in r {
                    let _ = write!(h, "<td>{}</td>", escape(c));
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</table></div>\n");
        }
    }
    h
}

pub fn render(p: &Page) -> String {
    let (mut h, u) = (String::new(), p.units);
    let title = p
        .demands
        .map(|d| format!("{} — racegap", d.name))
        .unwrap_or_else(|| "Training history — racegap".into());
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    match (p.spec, p.demands, p.analysis) {
        (Some(s), Some(d), Some(a)) => {
            let _ = write!(h, "<h1>{}</h1>\n<p class=summary>", escape(&d.name));
            let climbing = escape(&super::text::climbing(d, u));
            let _ = write!(
                h,
                "{} &middot; {} &middot; {climbing}",
                format_day(s.date_day),
                escape(&u.distance(d.distance_m)),
            );
            if let Some(g) = s.goal_time_s {
                let _ = write!(
                    h,
                    " &middot; goal {} ({} grade-adjusted)",
                    hms(g),
                    escape(&u.pace(d.goal_gap_s_per_km.unwrap_or(0.0)))
                );
            }
            if let Some(t) = s.expected_temperature_c {
                let _ = write!(h, " &middot; {} expected", u.temperature(t));
            }
            let short = a.gaps.iter().filter(|g| g.verdict.falls_short()).count();
            let judged = a.gaps.iter().filter(|g| g.verdict.judged()).count();
            let _ = writeln!(
                h,
                "<br>Race profile: <b>{}</b> ({}). Training block {} to {}: {} runs of {} activities read. <b>{} of {} judged dimensions fall short.</b></p>",
                escape(&a.plan.profile.to_string()),
                escape(&a.plan.profile.source),
                format_day(a.block_start_day),
                format_day(a.race_day - 1),
                p.runs_in_block,
                p.activities,
                short,
                judged
            );
            for w in &a.warnings {
                let _ = writeln!(h, "<p class=warning>Warning: {}</p>", escape(w));
            }
            h.push_str(&fix_first_block(a, p.charts));
            h.push_str("<h2>Specificity gaps</h2>\n<table class=gaps>\n<tr class=head><th>dimension</th><th>race needs</th><th>best</th><th>recent</th><th>status</th><th>what it means</th></tr>\n");
            for g in table_order(&a.gaps) {
                h.push_str(&gap_row(g, u, p.charts));
            }
            h.push_str("</table>\n");
            h.push_str(&targets_table(a, u));
            h.push_str(&coach_sections(p.coach));
        }
        _ => {
            let _ = write!(
                h,
                "<h1>Training history</h1>\n<p class=summary>{} activities read. Give a race (<code>--race race.toml</code>) to see where training falls short.</p>\n",
                p.activities
            );
            if let Some(history) = p.history {
                h.push_str(&history_tables(history, u));
            }
        }
    }
    h.push_str("<h2>Charts</h2>\n");
    for c in p.charts {
        let _ = writeln!(h, "<figure id=\"chart-{}\">", c.name);
        match &c.svg {
            Some(svg) => h.push_str(svg),
            None => {
                let _ = write!(
                    h,
                    "<img src=\"{}\" alt=\"{}\">",
                    escape(&c.png_name()),
                    escape(&c.title)
                );
            }
        }
        let _ = write!(
            h,
            "\n<figcaption>{}</figcaption>\n</figure>\n",
            escape(&c.caption)
        );
    }
    if let Some(d) = p.demands {
        h.push_str("<h2>The race</h2>\n");
        let du = u.distance_unit();
        for (word, list) in [("climb", &d.climbs), ("descent", &d.descents)] {
            let big: Vec<_> = list.iter().filter(|c| c.gain_m >= 20.0).collect();
            if big.is_empty() {
                continue;
            }
            let _ = writeln!(h, "<div class=wide><table class=course>\n<tr><th>{word} from {du}</th><th>to {du}</th><th>height</th><th>length</th><th>grade</th><th>steepest</th></tr>");
            for c in big {
                let _ = writeln!(
                    h,
                    "<tr><td class=num>{:.1}</td><td class=num>{:.1}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{:.1} %</td><td class=num>{:.1} %</td></tr>",
                    u.distance_value(c.start_m),
                    u.distance_value(c.end_m),
                    u.height(c.gain_m),
                    escape(&u.distance(c.length_m)),
                    c.mean_grade * 100.0,
                    c.max_grade * 100.0
                );
            }
            h.push_str("</table></div>\n");
        }
        if !d.aid_stations.is_empty() {
            h.push_str("<p>Aid stations: ");
            let list: Vec<String> = d
                .aid_stations
                .iter()
                .map(|a| format!("{} at {}", escape(&a.name), u.at(a.at_m)))
                .collect();
            h.push_str(&list.join(", "));
            h.push_str("</p>\n");
        }
    }
    h.push_str("<h2>Files not used</h2>\n");
    if p.skipped.is_empty() {
        h.push_str("<p>None: every activity file was read.</p>\n");
    } else {
        h.push_str("<div class=wide><table>\n<tr><th>file</th><th>reason</th></tr>\n");
        for (path, why) in p.skipped {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td></tr>",
                escape(path),
                escape(why)
            );
        }
        h.push_str("</table></div>\n");
    }
    let _ = write!(
        h,
        "<p class=advice>Made by racegap {}.</p>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn a_page_without_a_race_lists_skipped_files() {
        let skipped = vec![(
            "runs/<bad>.fit".to_string(),
            "FIT error at byte 0".to_string(),
        )];
        let page = render(&Page {
            spec: None,
            demands: None,
            analysis: None,
            charts: &[],
            activities: 3,
            runs_in_block: 0,
            skipped: &skipped,
            units: Units::Metric,
            history: None,
            coach: &[],
        });
        assert!(page.contains("3 activities read"));
        assert!(page.contains("runs/&lt;bad&gt;.fit"));
        assert!(!page.contains("http://") && !page.contains("https://"));
    }
}
