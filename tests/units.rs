//! `--units imperial` (and `units` in race.toml) end to end: every text people read is in
//! miles, feet, min/mi and °F, the numbers of the CSV and JSON tables stay SI and do not
//! change, and the figures convert by the international mile and foot (1959: 1 mi =
//! 1,609.344 m, 1 ft = 0.3048 m).

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn racegap() -> Command {
    Command::cargo_bin("racegap").unwrap()
}

/// The sample analysed into `out` with `extra` arguments: its stdout.
fn analyze(out: &Path, race: &Path, extra: &[&str]) -> String {
    let o = racegap()
        .args(["analyze", "--no-cache", "--format", "svg"])
        .arg(common::sample_data().join("activities"))
        .arg("--race")
        .arg(race)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// The gaps table's rows: (title, race needs) as printed.
fn needs(text: &str) -> Vec<(String, String)> {
    text.lines()
        .skip_while(|l| !l.starts_with("dimension "))
        .skip(1)
        .take_while(|l| !l.is_empty() && !l.starts_with("Not for this race"))
        .map(|l| (l[..26].trim().to_string(), l[26..37].trim().to_string()))
        .collect()
}

fn number(text: &str) -> f64 {
    text.split_whitespace().next().unwrap().parse().unwrap()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn imperial_text_charts_and_page_with_the_same_si_tables() {
    let dir = tempfile::tempdir().unwrap();
    let race = common::sample_data().join("race/race.toml");
    let (m, i) = (dir.path().join("metric"), dir.path().join("imperial"));
    let metric = analyze(&m, &race, &[]);
    let imperial = analyze(&i, &race, &["--units", "imperial"]);

    // The header: the sample course measures 42.17 km (26.20 mi), climbs 628 m (2,059 ft),
    // and the race is expected at 22 °C (71.6 °F).
    assert!(
        metric.contains(": 42.17 km, +628 m / -634 m, goal 3:30:00, 22 °C expected"),
        "{metric}"
    );
    assert!(
        imperial.contains(": 26.20 mi, +2059 ft / -2079 ft, goal 3:30:00, 72 °F expected"),
        "{imperial}"
    );

    // Every row's demand, converted: same rows, in the other unit.
    let (nm, ni) = (needs(&metric), needs(&imperial));
    assert_eq!(nm.len(), ni.len());
    assert!(nm.len() >= 10, "{metric}");
    let mut converted = 0;
    for ((title, a), (title_i, b)) in nm.iter().zip(&ni) {
        assert_eq!(title, title_i);
        let factor = match (a.rsplit(' ').next(), b.rsplit(' ').next()) {
            (Some("km"), Some("mi")) => 1000.0 / 1609.344,
            (Some("m"), Some("ft")) => 1.0 / 0.3048,
            _ => {
                // Times, counts, ratios and percentages do not change.
                assert_eq!(a, b, "{title}");
                continue;
            }
        };
        let (va, vb) = (number(a), number(b));
        // Both are rounded for print: to 0.1 km or mi, 1 m or ft.
        let tolerance = if factor < 1.0 { 0.1 } else { 3.5 };
        assert!(
            (va * factor - vb).abs() <= tolerance,
            "{title}: {a} is not {b}"
        );
        converted += 1;
    }
    assert!(converted >= 6, "{converted} rows converted");

    // No metric unit is left in the table or the sentences under it (the ITRA "km-effort"
    // is a name, and aid stations keep the names they were given).
    let body: String = imperial
        .lines()
        .skip_while(|l| !l.starts_with("Fix these first:"))
        .collect::<Vec<_>>()
        .join("\n");
    for metric_unit in [" km", " m ", " m;", " m.", " m)", "°C", "/km", "m/km"] {
        assert!(!body.contains(metric_unit), "{metric_unit:?} in:\n{body}");
    }
    assert!(body.contains(" ft") && body.contains(" mi") && body.contains("°F"));

    // The tables are SI and identical; summary.json says which units its words are in.
    for table in ["activities.csv", "weekly.csv"] {
        assert_eq!(read(&m.join(table)), read(&i.join(table)), "{table}");
    }
    let json = |dir: &Path| -> serde_json::Value {
        serde_json::from_str(&read(&dir.join("summary.json"))).unwrap()
    };
    let (jm, ji) = (json(&m), json(&i));
    assert_eq!(jm["units"], "metric");
    assert_eq!(ji["units"], "imperial");
    assert_eq!(jm["weeks"], ji["weeks"]);
    assert_eq!(jm["activities"], ji["activities"]);
    for (a, b) in jm["analysis"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .zip(ji["analysis"]["gaps"].as_array().unwrap())
    {
        for key in [
            "dimension",
            "demand",
            "best",
            "recent",
            "unit",
            "ratio",
            "verdict",
        ] {
            assert_eq!(a[key], b[key], "{key} of {}", a["dimension"]);
        }
    }

    // The charts' axes and the page.
    let svg = |name: &str| read(&i.join(format!("{name}.svg")));
    assert!(svg("weekly").contains("distance per week (mi)"));
    assert!(svg("weekly").contains("climbing per week (ft)"));
    assert!(svg("profile").contains("elevation (ft)"));
    assert!(svg("profile").contains("distance (mi)"));
    assert!(svg("long_runs").contains("run distance (mi)"));
    assert!(svg("pace").contains("/mi"));
    assert!(svg("heat").contains("(°F)"));
    assert!(svg("heat").contains("race 72 °F"));
    for name in [
        "weekly",
        "profile",
        "long_runs",
        "pace",
        "heat",
        "scorecard",
    ] {
        let s = svg(name);
        assert!(
            !s.contains("(km)") && !s.contains("(m)") && !s.contains("°C"),
            "{name}"
        );
    }
    let page = read(&i.join("index.html"));
    assert!(page.contains("26.20 mi"), "the page's header");
    assert!(page.contains("+2059 ft"));
    assert!(page.contains("72 °F expected"));
    assert!(page.contains("<th>climb from mi</th>"));
}

#[test]
fn the_race_file_sets_the_units_and_the_flag_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample_data();
    let race = dir.path().join("race.toml");
    let text = read(&sample.join("race/race.toml")).replace(
        "course = \"course.gpx\"",
        &format!(
            "course = {:?}\nunits = \"imperial\"",
            sample.join("race/course.gpx")
        ),
    );
    std::fs::write(&race, text).unwrap();
    let from_file = analyze(&dir.path().join("a"), &race, &[]);
    assert!(from_file.contains(": 26.20 mi, +2059 ft"), "{from_file}");
    let overridden = analyze(&dir.path().join("b"), &race, &["--units", "metric"]);
    assert!(overridden.contains(": 42.17 km, +628 m"), "{overridden}");

    // A unit that is not one is refused, naming the file and the two that are.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, read(&race).replace("\"imperial\"", "\"furlongs\"")).unwrap();
    racegap()
        .args(["analyze", "--no-cache"])
        .arg(sample.join("activities"))
        .arg("--race")
        .arg(&bad)
        .arg("--out")
        .arg(dir.path().join("c"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml"))
        .stderr(predicate::str::contains("furlongs"))
        .stderr(predicate::str::contains("imperial"));
    racegap()
        .args(["analyze", "--units", "furlongs"])
        .arg(sample.join("activities"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("metric, imperial"));
}

#[test]
fn the_history_course_and_inspect_speak_imperial_too() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample_data();
    // Without a race: the history by year in miles and feet.
    let o = racegap()
        .args([
            "analyze",
            "--no-cache",
            "--format",
            "svg",
            "--units",
            "imperial",
        ])
        .arg(sample.join("activities"))
        .arg("--out")
        .arg(dir.path().join("history"))
        .output()
        .unwrap();
    let text = String::from_utf8(common::succeeded(o)).unwrap();
    let year = text
        .lines()
        .find(|l| l.starts_with("2026 "))
        .unwrap_or_else(|| panic!("{text}"));
    let header = text.lines().find(|l| l.starts_with("year ")).unwrap();
    assert!(year.contains(" mi ") && year.contains(" ft "), "{year}");
    assert_eq!(
        header.len(),
        year.len(),
        "columns line up:\n{header}\n{year}"
    );

    // The course: climbs of 66 ft (20 m) or more, paces per mile. The goal of 3:30:00 over
    // the sample's 42.195 km is 4:59 /km flat, 8:01 /mi.
    let o = racegap()
        .arg("course")
        .arg(sample.join("race/course.gpx"))
        .args(["--goal", "3:30:00", "--units", "imperial"])
        .output()
        .unwrap();
    let course = String::from_utf8(common::succeeded(o)).unwrap();
    for want in [
        "  distance        26.20 mi",
        "(a marathon of 26.219 mi; the course file measures 26.20 mi)",
        "3:30:00 = 8:01 /mi flat pace",
        "Climbs of 66 ft or more:",
        "  from mi   to mi",
        "  mi   3.1  Aid 1 (5 km)             3.11 mi from the previous",
    ] {
        assert!(course.contains(want), "{want:?} not in:\n{course}");
    }
    // Only the aid stations' own names speak of km.
    for line in course.lines().filter(|l| !l.contains("Aid ")) {
        assert!(!line.contains(" km") && !line.contains(" m "), "{line}");
    }

    // inspect, with a goal pace given per mile: 8:00 /mi is 4:58.3 /km.
    let run = sample.join("activities/2026-07-23-goal-pace.fit");
    let text = |units: &str, pace: &str| {
        let o = racegap()
            .arg("inspect")
            .arg(&run)
            .args(["--units", units, "--goal-pace", pace])
            .output()
            .unwrap();
        String::from_utf8(common::succeeded(o)).unwrap()
    };
    let imperial = text("imperial", "8:00");
    assert!(
        imperial.contains("goal pace       8:00 /mi ±3 %"),
        "{imperial}"
    );
    assert!(
        imperial.contains("distance        ") && imperial.contains(" mi ("),
        "{imperial}"
    );
    let metric = text("metric", "8:00/mi");
    assert!(metric.contains("goal pace       4:58 /km ±3 %"), "{metric}");
    // The same goal pace finds the same running, whatever the units it is written in.
    let goal_line = |t: &str| {
        t.lines()
            .find(|l| l.trim_start().starts_with("goal pace"))
            .map(|l| l.split(": ").nth(1).unwrap_or("").to_string())
            .unwrap()
    };
    let (gi, gm) = (goal_line(&imperial), goal_line(&metric));
    let in_km = |s: &str| number(s.split(" in all").next().unwrap());
    assert!(
        (in_km(&gi) * 1.609344 - in_km(&gm)).abs() < 0.01,
        "{gi} against {gm}"
    );
}
