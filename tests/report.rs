//! The report folder: charts decoded and checked as real images, SVGs parsed as XML with
//! their labels, byte-identical output for identical input, and `index.html` rendered by a
//! real headless Chromium at a phone's and a laptop's width without console errors.

mod common;

use assert_cmd::Command;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const CHARTS: [&str; 9] = [
    "scorecard",
    "weekly",
    "long_runs",
    "profile",
    "pace",
    "heat",
    "heat_state",
    "terrain",
    "builds",
];

fn report(out: &Path, formats: &str) {
    let sample = common::sample_data();
    Command::cargo_bin("racegap")
        .unwrap()
        .args(["analyze", "--no-cache"])
        .arg(sample.join("activities"))
        .arg("--race")
        .arg(sample.join("race/race.toml"))
        .arg("--out")
        .arg(out)
        .args(["--format", formats])
        .assert()
        .code(0);
}

/// `racegap analyze --no-cache --format svg ACTS EXTRA... --out OUT`, which must succeed:
/// its stdout.
fn analyze_svg(acts: &Path, extra: &[&str], out: &Path) -> String {
    let o = Command::cargo_bin("racegap")
        .unwrap()
        .args(["analyze", "--no-cache", "--format", "svg"])
        .arg(acts)
        .args(extra)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    String::from_utf8(common::succeeded(o)).unwrap()
}

#[test]
fn every_png_is_a_real_chart() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    report(&out, "png,svg");
    for name in CHARTS {
        let img = image::open(out.join(format!("{name}.png")))
            .unwrap_or_else(|e| panic!("{name}.png: {e}"))
            .to_rgb8();
        assert_eq!(img.dimensions(), (1000, 560), "{name}");
        let colours: HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
        assert!(
            colours.len() >= 20,
            "{name}: only {} colours",
            colours.len()
        );
        let inked = img.pixels().filter(|p| p.0 != [255, 255, 255]).count();
        let share = inked as f64 / (1000.0 * 560.0);
        assert!(share > 0.05, "{name}: {share:.3} of the pixels drawn");
        // The caption (embedded DejaVu Sans, no system font) is drawn at the top.
        let caption_ink = (8..40)
            .flat_map(|y| (200..800).map(move |x| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y).0.iter().all(|c| *c < 120))
            .count();
        assert!(
            caption_ink > 100,
            "{name}: no caption text ({caption_ink} dark pixels)"
        );
    }
}

/// Reads a whole document with quick-xml, returning the text of every text node.
fn xml_texts(doc: &str) -> Vec<String> {
    let mut r = quick_xml::Reader::from_str(doc);
    let mut texts = Vec::new();
    let mut root = None;
    loop {
        match r
            .read_event()
            .unwrap_or_else(|e| panic!("not XML at {}: {e}", r.buffer_position()))
        {
            quick_xml::events::Event::Start(e) if root.is_none() => {
                root = Some(String::from_utf8_lossy(e.name().as_ref()).to_string())
            }
            quick_xml::events::Event::Text(t) => {
                texts.push(t.unescape().unwrap().trim().to_string())
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(root.as_deref(), Some("svg"));
    texts
}

#[test]
fn svgs_are_xml_with_their_labels() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    report(&out, "svg");
    let texts =
        |name: &str| xml_texts(&std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap());
    let score = texts("scorecard");
    for title in [
        "Longest run",
        "Time on feet",
        "Long runs",
        "Biggest climb",
        "Biggest descent",
        "Weekly climbing",
        "Running at goal pace",
        "Goal realism",
        "Heat acclimation",
        "Load spikes",
        "Late fade in long runs",
    ] {
        assert!(
            score.iter().any(|t| t == title),
            "scorecard lacks {title:?}"
        );
    }
    assert!(score
        .iter()
        .any(|t| t.contains("1 of 3") && t.contains("short")));
    assert!(texts("pace")
        .iter()
        .any(|t| t.contains("goal pace 4:50 /km")));
    assert!(texts("profile")
        .iter()
        .any(|t| t.contains("course climb 341 m")));
    assert!(texts("heat").iter().any(|t| t.contains("race 22")));
    assert!(texts("long_runs")
        .iter()
        .any(|t| t.contains("days without a long run")));
    // PNG-less run: no PNG written.
    assert!(!out.join("scorecard.png").exists());
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<svg"));
}

#[test]
fn identical_input_gives_byte_identical_charts_and_page() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    report(&a, "png,svg");
    report(&b, "png,svg");
    for name in CHARTS {
        for ext in ["svg", "png"] {
            let f = format!("{name}.{ext}");
            assert!(
                std::fs::read(a.join(&f)).unwrap() == std::fs::read(b.join(&f)).unwrap(),
                "{f} differs"
            );
        }
    }
    assert_eq!(
        std::fs::read_to_string(a.join("index.html")).unwrap(),
        std::fs::read_to_string(b.join("index.html")).unwrap()
    );
}

#[test]
fn png_only_links_images_and_the_page_needs_nothing_from_outside() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    report(&out, "png");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<img src=\"scorecard.png\""));
    assert!(!out.join("scorecard.svg").exists());
    for bad in ["src=\"http", "href=\"http", "url(", "<script", "<link"] {
        assert!(!html.contains(bad), "index.html contains {bad:?}");
    }
}

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var("CHROMIUM").ok(),
        Some("/usr/bin/chromium".into()),
        Some("/usr/bin/chromium-browser".into()),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// The page as a phone (390 px) and a laptop (1200 px) show it: no horizontal scroll (the
/// document is no wider than its viewport), "Fix these first" above the fold, no console
/// errors. The viewport is an iframe of that width in a page the test writes beside the
/// report (with the file access a measuring script needs); the report itself stays
/// without a script. Screenshots are kept in the target folder to be looked at.
#[test]
fn the_page_fits_a_phone_and_a_laptop_with_fix_these_first_above_the_fold() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED the_page_fits_a_phone_and_a_laptop: no chromium (install Debian's `chromium`; .ci/run does)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    report(&out, "png,svg");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (width, fold) in [(390, 844), (1200, 900)] {
        let page = out.join(format!("measure-{width}.html"));
        std::fs::write(
            &page,
            format!(
                "<!doctype html><html><body style=\"margin:0\"><iframe id=f src=\"index.html\" width={width} height={fold} style=\"border:0\"></iframe>\
<script>document.getElementById('f').addEventListener('load',()=>{{const d=document.getElementById('f').contentDocument;const fx=d.querySelector('.fix');\
document.body.setAttribute('data-m',[d.documentElement.scrollWidth,d.documentElement.clientWidth,fx?fx.getBoundingClientRect().top:-1,d.querySelectorAll('#plan + p, #plan ~ div table.coach tr').length].join(' '))}})</script></body></html>"
            ),
        )
        .unwrap();
        let url = format!("file://{}", page.display());
        let chrome = |extra: &[String]| {
            let o = std::process::Command::new(&browser)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--allow-file-access-from-files",
                    "--enable-logging=stderr",
                    "--v=0",
                    "--virtual-time-budget=3000",
                    "--window-size=1300,1000",
                ])
                .arg(format!(
                    "--user-data-dir={}",
                    dir.path()
                        .join(format!("profile-{width}-{}", extra.len()))
                        .display()
                ))
                .args(extra)
                .arg(&url)
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "chromium failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            o
        };
        let o = chrome(&["--dump-dom".to_string()]);
        let log = String::from_utf8_lossy(&o.stderr);
        let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
        assert!(console.is_empty(), "{width} px, console: {console:#?}");
        assert!(
            !log.contains("Failed to load resource"),
            "{width} px: {log}"
        );
        let dom = String::from_utf8_lossy(&o.stdout);
        let m: Vec<f64> = dom
            .split("data-m=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_else(|| panic!("{width} px: nothing measured"))
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        let (scroll, client, fix_top) = (m[0], m[1], m[2]);
        // The plan to race day is on the page: its heading, a line, and its table's rows.
        assert!(m[3] >= 2.0, "{width} px: no plan on the page ({})", m[3]);
        assert!(
            client > 0.8 * width as f64 - 40.0,
            "{width} px: viewport {client}"
        );
        assert!(
            scroll <= client,
            "{width} px: the page scrolls sideways ({scroll} > {client})"
        );
        assert!(
            fix_top >= 0.0 && fix_top < 0.6 * fold as f64,
            "{width} px: 'Fix these first' at {fix_top}, fold at {fold}"
        );
        let shot = shots.join(format!("page-{width}.png"));
        chrome(&[format!("--screenshot={}", shot.display())]);
        let img = image::open(&shot).unwrap().to_rgb8();
        let colours: HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
        assert!(colours.len() > 50, "{width} px screenshot looks blank");
        // The red of a missing gap is rendered.
        assert!(
            img.pixels().any(|p| p.0 == [200, 40, 40]),
            "{width} px: no 'missing' badge rendered"
        );
    }
}

/// A chart with nothing to show says so: a history without temperatures gives a heat
/// chart with a "No data" note, not an empty frame.
#[test]
fn a_chart_without_data_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample_data();
    // The sample's GPX runs with their temperature readings taken out.
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    for f in common::files(&sample.join("activities"), &["gpx"]) {
        let text = std::fs::read_to_string(&f).unwrap();
        let cool: String = text
            .lines()
            .map(|l| match (l.find("<ns3:atemp>"), l.find("</ns3:atemp>")) {
                (Some(a), Some(b)) => format!("{}{}\n", &l[..a], &l[b + "</ns3:atemp>".len()..]),
                _ => format!("{l}\n"),
            })
            .collect();
        assert!(!cool.contains("atemp"), "{}", f.display());
        std::fs::write(acts.join(f.file_name().unwrap()), cool).unwrap();
    }
    let out = dir.path().join("r");
    let race = sample.join("race/race.toml");
    analyze_svg(&acts, &["--race", race.to_str().unwrap()], &out);
    let heat = std::fs::read_to_string(out.join("heat.svg")).unwrap();
    assert!(
        heat.contains("No data: none of the block") && heat.contains("recorded a temperature"),
        "heat.svg has no 'no data' note"
    );
    // No run markers were drawn.
    assert!(
        !heat.contains("<circle"),
        "heat.svg draws runs it does not have"
    );
    // The other charts have their data.
    for name in ["weekly", "long_runs", "pace", "profile"] {
        let s = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        assert!(!s.contains("No data:"), "{name}.svg");
    }
}

/// The text boxes of an SVG written by plotters: (left, top, right, bottom, text), each
/// wide as DejaVu Sans' average glyph (0.6 em) times its characters.
fn text_boxes(svg: &str) -> Vec<(f64, f64, f64, f64, String)> {
    let mut out = Vec::new();
    for chunk in svg.split("<text ").skip(1) {
        let (attrs, rest) = chunk.split_once('>').unwrap();
        let text = rest.split("</text>").next().unwrap().trim();
        if text.is_empty() {
            continue;
        }
        let attr = |name: &str| {
            attrs
                .split(&format!("{name}=\""))
                .nth(1)
                .and_then(|v| v.split('"').next())
                .map(str::to_string)
        };
        let num = |name: &str| attr(name).and_then(|v| v.parse::<f64>().ok());
        let (x, y) = (num("x").unwrap(), num("y").unwrap());
        let size = num("font-size").unwrap_or(12.0);
        let chars = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        let (mut w, mut h) = (0.6 * size * chars.chars().count() as f64, size);
        let left = match attr("text-anchor").as_deref() {
            Some("middle") => x - w / 2.0,
            Some("end") => x - w,
            _ => x,
        };
        let top = match attr("dy").as_deref() {
            Some("0.76em") => y,
            Some("0.5ex") => y - size / 2.0,
            _ => y - 0.8 * size,
        };
        if attr("transform").is_some_and(|t| t.contains("rotate")) {
            std::mem::swap(&mut w, &mut h);
        }
        out.push((left, top, left + w, top + h, chars));
    }
    out
}

/// The pairs of labels of an SVG whose boxes overlap or come within 2 px.
fn overlaps(svg: &str) -> Vec<String> {
    let b = text_boxes(svg);
    let mut found = Vec::new();
    for i in 0..b.len() {
        for j in i + 1..b.len() {
            let (p, q) = (&b[i], &b[j]);
            let (ox, oy) = (p.2.min(q.2) - p.0.max(q.0), p.3.min(q.3) - p.1.max(q.1));
            // Closer than 2 px reads as one word ("race week2500").
            if ox > -2.0 && oy > 0.5 {
                found.push(format!("{:?} and {:?}", p.4, q.4));
            }
        }
    }
    found
}

/// No two labels of a chart overlap, in either unit system; the check itself finds an
/// overlap it is shown.
#[test]
fn chart_labels_do_not_overlap() {
    let two = "<text x=\"10\" y=\"10\" dy=\"0.76em\" font-size=\"12\">\nrace week\n</text>\
<text x=\"60\" y=\"12\" dy=\"0.76em\" font-size=\"12\">\n2500\n</text>";
    assert_eq!(overlaps(two).len(), 1, "the check finds a known overlap");
    let dir = tempfile::tempdir().unwrap();
    for units in ["metric", "imperial"] {
        let out = dir.path().join(units);
        let sample = common::sample_data();
        let race = sample.join("race/race.toml");
        analyze_svg(
            &sample.join("activities"),
            &["--units", units, "--race", race.to_str().unwrap()],
            &out,
        );
        for name in CHARTS {
            let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
            assert!(text_boxes(&svg).len() >= 5, "{name}.svg: labels not found");
            let found = overlaps(&svg);
            assert!(found.is_empty(), "{units} {name}.svg: {found:#?}");
        }
    }
}

/// A history of more than a year is drawn by month, labelled with the years; the terminal
/// and the page sum it up by year, month, longest runs and best efforts.
#[test]
fn a_multi_year_history_is_drawn_by_month_with_years() {
    use common::history::{day, write_gpx, Run, FLAT};
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    // Two runs a month from March 2024 to August 2026: 30 months; a 30 km run each June.
    let mut runs = 0;
    for i in 0..30i64 {
        let (y, m) = (2024 + (i + 2) / 12, (i + 2) % 12 + 1);
        for (d, km) in [(5, 8.0), (20, if m == 6 { 30.0 } else { 12.0 })] {
            let run = Run {
                day: day(y, m, d),
                km,
                pace_s_per_km: 330.0,
                ground: FLAT,
                stretch: None,
            };
            write_gpx(&acts, &format!("run-{y}-{m:02}-{d:02}"), &run);
            runs += 1;
        }
    }
    let out = dir.path().join("r");
    let text = analyze_svg(&acts, &[], &out);
    // By year: 20 runs in 2024 (March to December), 24 in 2025, 16 in 2026.
    let year_runs = |y: &str| -> usize {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{y} ")))
            .unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    assert_eq!(
        (year_runs("2024"), year_runs("2025"), year_runs("2026")),
        (20, 24, 16)
    );
    assert_eq!(20 + 24 + 16, runs);
    let longest = text
        .lines()
        .skip_while(|l| *l != "Longest runs:")
        .nth(1)
        .unwrap();
    // The first June's 30 km (GPS points 5 s apart measure it within 0.1 km).
    let km: f64 = longest.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert!(
        longest.starts_with("  2024-06-20 ") && (km - 30.0).abs() < 0.1,
        "{longest}"
    );
    let svg = std::fs::read_to_string(out.join("weekly.svg")).unwrap();
    assert!(
        svg.contains("Monthly volume"),
        "a 30-month history is drawn by month"
    );
    assert!(svg.contains("distance per month"));
    // One bar per month, labelled with month and year.
    let labels: Vec<String> = text_boxes(&svg)
        .into_iter()
        .map(|b| b.4)
        .filter(|t| {
            t.len() == 8 && t.ends_with("2024") || t.ends_with("2025") || t.ends_with("2026")
        })
        .collect();
    assert!(labels.contains(&"Mar 2024".to_string()), "{labels:?}");
    assert!(labels.len() >= 4 && labels.len() <= 8, "{labels:?}");
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    for part in [
        "<h2>By year</h2>",
        "<h2>The last 12 months</h2>",
        "<h2>Longest runs</h2>",
    ] {
        assert!(page.contains(part), "{part}");
    }
    // The last 12 months: September 2025 to August 2026.
    assert!(page.contains("<tr><td>2025-09</td>") && page.contains("<tr><td>2026-08</td>"));
    assert!(!page.contains("<tr><td>2025-08</td>"));
}

/// Hover text on the marks: every run of the long-run chart names its date, distance and
/// file (and sits on the right mark: long runs on the big dots), every week bar and every
/// shaded climb and descent has one; a bin of many splits has none.
#[test]
fn runs_weeks_and_climbs_say_what_they_are_on_hover() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    report(&out, "svg");
    let svg = |name: &str| std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
    let titled = |s: &str| -> Vec<(String, String)> {
        s.split("<title>")
            .skip(1)
            .map(|rest| rest.split("</title>").next().unwrap().to_string())
            .zip(
                s.split("<title>")
                    .map(|before| before.rsplit('<').next().unwrap_or("").to_string()),
            )
            .collect()
    };
    let long = svg("long_runs");
    let marks = titled(&long);
    let (text, mark) = marks
        .iter()
        .find(|(t, _)| t.starts_with("2026-09-27: 32.00 km in 3:09:11 (2026-09-27-long-run.fit)"))
        .unwrap_or_else(|| panic!("{marks:#?}"));
    assert!(
        mark.starts_with("circle") && mark.contains("r=\"8\""),
        "{text} on {mark}"
    );
    for (t, m) in &marks {
        let km: f64 = t
            .split(": ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let big = m.contains("r=\"8\"");
        assert_eq!(big, km >= 31.65, "{t} on {m}");
    }
    // One title per week of weekly.csv.
    let weeks = std::fs::read_to_string(out.join("weekly.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(titled(&svg("weekly")).len(), weeks);
    assert!(svg("weekly")
        .contains("<title>week of 20 Jul: 5 run(s), 58.1 km, 332 m of climbing</title>"));
    // The course's 8 climbs and 7 descents of 20 m or more (`racegap course` lists them).
    let marks = titled(&svg("profile"));
    let climbs: Vec<_> = marks
        .iter()
        .filter(|(t, _)| t.starts_with("climb from"))
        .collect();
    let descents = marks
        .iter()
        .filter(|(t, _)| t.starts_with("descent from"))
        .count();
    assert_eq!((climbs.len(), descents), (8, 7), "{marks:#?}");
    assert!(climbs
        .iter()
        .any(|(t, _)| t.starts_with("climb from km 26.7 to km 31.8: 341 m")));
    // The pace chart: its bins of many splits name no run; each week's goal-pace bar does.
    let pace = titled(&svg("pace"));
    assert_eq!(pace.len(), weeks, "{pace:#?}");
    assert!(pace
        .iter()
        .all(|(t, m)| t.starts_with("week of 2026-") && m.starts_with("rect")));
}

/// Each gap row links to the chart that shows it, and every link lands on a chart.
#[test]
fn gap_rows_link_to_their_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    report(&out, "svg");
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    let links: Vec<&str> = page
        .split("href=\"#")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    // 7 in "Fix these first", 13 judged rows and the not-for-this-race ones in the table.
    assert!(links.len() >= 20, "{links:?}");
    for l in &links {
        assert!(page.contains(&format!("id=\"{l}\"")), "#{l} goes nowhere");
    }
    assert!(page.contains("<a href=\"#chart-profile\">Biggest climb</a>"));
    assert!(page.contains("<a href=\"#chart-heat\">Heat acclimation</a>"));
}

/// The heat chart follows the heat row: a cool race marks no heat sessions and draws no
/// threshold; a race without a temperature has no heat chart to draw and says so.
#[test]
fn the_heat_chart_follows_the_race_temperature() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample_data();
    let run = |out: &str, extra: &[&str]| -> String {
        analyze_svg(&sample.join("activities"), extra, &dir.path().join(out));
        std::fs::read_to_string(dir.path().join(out).join("heat.svg")).unwrap()
    };
    let race = sample.join("race/race.toml");
    let hot = run("hot", &["--race", race.to_str().unwrap()]);
    assert!(hot.contains("heat-session threshold 19 °C"));
    let cool = run(
        "cool",
        &["--race", race.to_str().unwrap(), "--temperature", "8"],
    );
    assert!(
        !cool.contains("heat session") && !cool.contains("threshold"),
        "a cool race"
    );
    assert!(cool.contains("race 8 °C"));
    let course = sample.join("race/course.gpx");
    let none = run(
        "none",
        &[
            "--course",
            course.to_str().unwrap(),
            "--date",
            "2026-11-15",
            "--goal",
            "3:30:00",
        ],
    );
    assert!(
        none.contains("No data: no race temperature given"),
        "no temperature"
    );
}
