//! The report folder: charts decoded and checked as real images, SVGs parsed as XML with
//! their labels, byte-identical output for identical input, and `index.html` rendered by a
//! real headless Chromium without console errors.

mod common;

use assert_cmd::Command;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const CHARTS: [&str; 6] = [
    "scorecard",
    "weekly",
    "long_runs",
    "profile",
    "pace",
    "heat",
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

#[test]
fn index_html_renders_in_headless_chromium_without_console_errors() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED index_html_renders_in_headless_chromium: no chromium (install Debian's `chromium`; .ci/run does)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    report(&out, "png,svg");
    let shot = dir.path().join("shot.png");
    let profile = dir.path().join("profile");
    let url = format!("file://{}", out.join("index.html").display());
    let run = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,2400",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "chromium failed: {log}");
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert!(!log.contains("Failed to load resource"), "{log}");
    let img = image::open(&shot).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (1200, 2400));
    let colours: HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(
        colours.len() > 50,
        "screenshot looks blank: {} colours",
        colours.len()
    );
    // The red of a missing gap appears on the page.
    assert!(
        img.pixels().any(|p| p.0 == [200, 40, 40]),
        "no 'missing' badge rendered"
    );
}
