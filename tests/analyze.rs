//! `racegap analyze` and `racegap course` end to end on the shipped sample: the report finds
//! exactly the shortfalls the sample was built with, writes its tables, and refuses a bad
//! race specification with a clear message.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::collections::HashMap;
use std::path::Path;

fn racegap() -> Command {
    Command::cargo_bin("racegap").unwrap()
}

fn analyze_sample(out: &Path) -> serde_json::Value {
    let sample = common::sample_data();
    racegap()
        .args(["analyze", "--no-cache"])
        .arg(sample.join("activities"))
        .arg("--race")
        .arg(sample.join("race/race.toml"))
        .arg("--out")
        .arg(out)
        .env_remove("NO_COLOR")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Sierra Hills Marathon on 2026-11-15",
        ))
        .stdout(predicate::str::contains("Fix these first:"))
        .stdout(predicate::str::contains("\u{1b}[").not());
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

/// Colour on a terminal (a pseudo-terminal here, so the check can fail both ways), none
/// with `NO_COLOR` set, none on a pipe (`analyze_sample`).
#[cfg(unix)]
#[test]
fn colour_on_a_terminal_unless_no_color_is_set() {
    let sample = common::sample_data();
    let dir = tempfile::tempdir().unwrap();
    let run = |no_color: bool, out: &str| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_racegap"));
        cmd.args(["analyze", "--no-cache"])
            .arg(sample.join("activities"))
            .arg("--race")
            .arg(sample.join("race/race.toml"))
            .arg("--out")
            .arg(dir.path().join(out))
            .stderr(std::process::Stdio::null());
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        common::run_on_terminal(cmd)
    };
    let (code, text) = run(false, "a");
    assert_eq!(code, Some(0));
    assert!(text.contains("Fix these first:"), "{text}");
    // "missing" in red, "ok" in green.
    assert!(text.contains("\u{1b}[31mmissing\u{1b}[0m"), "{text}");
    assert!(text.contains("\u{1b}[32mok\u{1b}[0m"), "{text}");
    let (code, text) = run(true, "b");
    assert_eq!(code, Some(0));
    assert!(text.contains("Fix these first:"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
}

#[test]
fn the_sample_report_finds_the_built_in_shortfalls_and_no_others() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let summary = analyze_sample(&out);
    let gaps: HashMap<String, String> = summary["analysis"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["dimension"].as_str().unwrap().to_string(),
                g["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Built in: one long run only, no climb or descent near the course's biggest, cool
    // recent weeks against a 22 °C race, and long runs that fade. The goal (3:30) is
    // within the runner's reach on a flat, cool course at sea level, but not in the race's
    // heat (WBGT 21 °C) at its altitude (743 m against the 52 m the runner trains at).
    // The synthetic runner paces hills by Minetti's energetics (a 5 % descent 16 % faster
    // than the flat, where Strava's heart-rate model allows 10 %): its goal-pace runs on
    // the rolling route break into stretches under the default model, so the longest one
    // falls short.
    // The course climbs 15 m per km with a 341 m climb: a hilly road marathon, whose rows
    // leave out the ultra, trail and short-race dimensions.
    let expected = [
        ("distance", "ok"),
        ("time_on_feet", "ok"),
        ("long_run_frequency", "short"),
        ("climbing_biggest", "missing"),
        ("descending_biggest", "missing"),
        ("climbing_weekly", "ok"),
        ("descending_weekly", "ok"),
        ("goal_pace_volume", "ok"),
        ("goal_pace_longest", "short"),
        ("goal_realism", "missing"),
        ("heat", "missing"),
        ("load", "ok"),
        ("late_fade", "short"),
        ("back_to_back", "not-for-this-race"),
        ("long_run_climbing", "not-for-this-race"),
        ("session_climbing", "not-for-this-race"),
        ("session_descending", "not-for-this-race"),
        ("goal_pace_or_faster", "not-for-this-race"),
    ];
    assert_eq!(
        summary["analysis"]["plan"]["profile"]["terrain"],
        "hilly-road"
    );
    assert_eq!(
        summary["analysis"]["plan"]["profile"]["distance"],
        "marathon"
    );
    assert_eq!(gaps.len(), expected.len(), "{gaps:?}");
    for (dim, sev) in expected {
        assert_eq!(gaps[dim], sev, "{dim}");
    }
    // What to fix first on a hilly road marathon: the goal the training does not support,
    // then the long run and the goal-pace stretch (weight 3 for this race), then the rest
    // (weight 2) missing before short, the smaller share met first.
    let first: Vec<&str> = summary["analysis"]["fix_first"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert_eq!(
        first,
        [
            "goal_realism",
            "long_run_frequency",
            "goal_pace_longest",
            "heat",
            "descending_biggest",
            "climbing_biggest",
            "late_fade"
        ]
    );
    // Each names the run to build on, a file of the sample.
    let row = |dim: &str| {
        summary["analysis"]["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["dimension"] == dim)
            .unwrap()
            .clone()
    };
    let climb = row("climbing_biggest");
    let file = climb["best_run"]["file"].as_str().unwrap();
    assert!(
        file.ends_with("2026-08-18-intervals.fit"),
        "the block's biggest climb (125 m) is on 2026-08-18: {climb}"
    );
    assert_eq!(climb["best_run"]["date"], "2026-08-18");
    assert_eq!(row("goal_realism")["best_run"], serde_json::Value::Null);
    // The prediction behind goal realism, recomputed by hand from its parts: Ely et al.
    // 2007's 4.5 % for WBGT 20-25 °C, and 10.8 % per 1,000 m (Lara et al. 2014) from the
    // course's to the training's altitude, neither below 300 m.
    let p = &summary["analysis"]["prediction"];
    let f = |k: &str| p[k].as_f64().unwrap();
    assert_eq!(
        f("race_distance_m"),
        42_195.0,
        "a marathon course is run over 42.195 km"
    );
    assert_eq!(f("heat_pct"), 4.5);
    let alt =
        10.8 * (f("race_altitude_m").max(300.0) - f("training_altitude_m").max(300.0)) / 1000.0;
    assert!((f("altitude_pct") - alt).abs() < 1e-9);
    assert!(
        (f("race_altitude_m") - 743.0).abs() < 10.0,
        "{}",
        f("race_altitude_m")
    );
    let expected_s = f("on_course_s") * 1.045 * (1.0 + alt / 100.0);
    assert!((f("predicted_s") - expected_s).abs() < 1.0);
    // The course demands behind them.
    let d = &summary["demands"];
    let biggest = d["climbs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["gain_m"].as_f64().unwrap())
        .fold(0.0, f64::max);
    // The generator's signature climb: 330 m from km 26.5 to 31.5, plus rolling.
    assert!((biggest - 330.0).abs() < 20.0, "{biggest}");
    assert!((d["distance_m"].as_f64().unwrap() - 42_195.0).abs() < 100.0);
    assert_eq!(d["aid_stations"].as_array().unwrap().len(), 10);
}

#[test]
fn the_report_tables_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    analyze_sample(&out);
    for f in ["gaps.csv", "activities.csv", "weekly.csv", "summary.json"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let gaps = csv::Reader::from_path(out.join("gaps.csv"))
        .unwrap()
        .records()
        .count();
    // Every dimension of the rulebook has its row, judged or not for this race.
    assert_eq!(gaps, 18);
    // 16 weeks in the block and race week, every one present: race week has no runs and
    // still has its row of zeros.
    let mut weekly = csv::Reader::from_path(out.join("weekly.csv")).unwrap();
    let weeks: Vec<csv::StringRecord> = weekly.records().map(|r| r.unwrap()).collect();
    assert_eq!(weeks.len(), 17);
    assert_eq!(&weeks[0][0], "2026-07-20");
    assert_eq!(&weeks[16][0], "2026-11-09");
    assert_eq!((&weeks[16][1], &weeks[16][2]), ("0", "0"));
    let weekly_km: f64 = weeks.iter().map(|w| w[2].parse::<f64>().unwrap()).sum();
    // 89 activities, each a row; the bike rides are not runs.
    let mut acts = csv::Reader::from_path(out.join("activities.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = acts.records().map(|r| r.unwrap()).collect();
    // The weekly table adds up to the activities table's runs of the block (two outputs
    // that must agree; the distances themselves are checked against references in
    // tests/corpus.rs and tests/metrics_corpus.rs).
    let runs_km: f64 = rows
        .iter()
        .filter(|r| &r[4] == "true" && &r[0] >= "2026-07-20" && &r[0] < "2026-11-15")
        .map(|r| r[5].parse::<f64>().unwrap())
        .sum();
    assert!(
        (weekly_km - runs_km).abs() < 0.1,
        "{weekly_km} vs {runs_km}"
    );
    assert!(runs_km > 500.0, "{runs_km}");
    assert_eq!(rows.len(), 89);
    assert_eq!(rows.iter().filter(|r| &r[3] == "cycling").count(), 2);
    assert!(rows
        .iter()
        .filter(|r| &r[3] == "cycling")
        .all(|r| &r[4] == "false"));
    assert_eq!(
        rows.iter().filter(|r| &r[23] == "true").count(),
        1,
        "one long run"
    );
}

#[test]
fn without_a_race_the_history_is_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let o = racegap()
        .args(["analyze", "--no-cache"])
        .arg(common::sample_data().join("activities"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let text = String::from_utf8(common::succeeded(o)).unwrap();
    // The year's line against the runs of activities.csv, summed here.
    let csv = std::fs::read_to_string(out.join("activities.csv")).unwrap();
    let mut rows = csv.lines();
    let head: Vec<&str> = rows.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let (date, run, km) = (col("date"), col("counts_as_run"), col("distance_km"));
    let (mut runs, mut total_km) = (0, 0.0);
    for line in rows {
        let f: Vec<&str> = line.split(',').collect();
        if f[date].starts_with("2026") && f[run] == "true" {
            runs += 1;
            total_km += f[km].parse::<f64>().unwrap();
        }
    }
    let year = text
        .lines()
        .find(|l| l.starts_with("2026 "))
        .unwrap_or_else(|| panic!("{text}"));
    let fields: Vec<&str> = year.split_whitespace().collect();
    assert_eq!(fields[1].parse::<usize>().unwrap(), runs, "{year}");
    let printed: f64 = fields[2].parse().unwrap();
    assert!(
        (printed - total_km).abs() < 0.1,
        "{year}: {total_km} km in activities.csv"
    );
    for part in [
        "By year:",
        "The last 12 months:",
        "Longest runs:",
        "Best efforts by year:",
    ] {
        assert!(text.contains(part), "{part} missing from:\n{text}");
    }
    // The sample's longest run is its 32 km of 2026-09-27.
    let longest = text
        .lines()
        .skip_while(|l| *l != "Longest runs:")
        .nth(1)
        .unwrap();
    assert!(longest.starts_with("  2026-09-27   32.00 km"), "{longest}");
    assert!(out.join("weekly.csv").is_file());
    assert!(out.join("activities.csv").is_file());
    assert!(!out.join("gaps.csv").exists());
}

#[test]
fn flags_override_the_race_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let sample = common::sample_data();
    let assert = racegap()
        .args(["analyze", "--no-cache"])
        .arg(sample.join("activities"))
        .args(["--race"])
        .arg(sample.join("race/race.toml"))
        .args(["--goal", "3:00:00", "--temperature", "8", "--json", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    let v: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(v["race"]["goal_time_s"], 10_800.0);
    let sev = |dim: &str| {
        v["analysis"]["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["dimension"] == dim)
            .unwrap()["verdict"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // A 3:00 goal is not supported by a 43-minute 10 km; a cool race needs no heat work.
    assert_eq!(sev("goal_realism"), "missing");
    assert_eq!(sev("heat"), "not-for-this-race");
}

#[test]
fn bad_race_specifications_are_refused_clearly() {
    let sample = common::sample_data();
    let acts = sample.join("activities");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    racegap()
        .args(["analyze", "--no-cache"])
        .arg(&acts)
        .args([
            "--course",
            "/no/such/course.gpx",
            "--date",
            "2026-11-15",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "course /no/such/course.gpx: cannot read file",
        ));
    racegap()
        .args(["analyze", "--no-cache"])
        .arg(&acts)
        .arg("--race")
        .arg(sample.join("race/race.toml"))
        .args(["--goal", "fast", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "goal time \"fast\" is not a time like 3:30:00",
        ));
    racegap()
        .args(["analyze", "--no-cache"])
        .arg(&acts)
        .arg("--race")
        .arg(sample.join("race/race.toml"))
        .args(["--date", "2025-05-01", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "race date 2025-05-01 is before the training history, which starts 2026-07-21",
        ));
    racegap()
        .args(["analyze", "--no-cache"])
        .arg(&acts)
        .args(["--date", "2026-11-15", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no course given"));
    let bad_toml = dir.path().join("race.toml");
    std::fs::write(&bad_toml, "goal_time = 3\n").unwrap();
    racegap()
        .args(["analyze", "--no-cache"])
        .arg(&acts)
        .arg("--race")
        .arg(&bad_toml)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("race file"))
        .stderr(predicate::str::contains("race.toml"));
    // Nothing was written by the refused runs.
    assert!(!out.exists());
}

#[test]
fn course_reports_demands_paces_and_aid_stations() {
    racegap()
        .arg("course")
        .arg(common::sample_data().join("race/course.gpx"))
        .args(["--goal", "3:30:00"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "goal            3:30:00 = 4:59 /km flat pace",
        ))
        .stdout(predicate::str::contains("Climbs of 20 m or more:"))
        .stdout(predicate::str::contains("Target pace along the course"))
        .stdout(predicate::str::contains("Aid 1 (5 km)"));
}

#[test]
fn a_block_without_runs_is_missing_or_unknown_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample_data();
    let out = racegap()
        .args(["analyze", "--no-cache"])
        .arg(sample.join("activities"))
        .arg("--race")
        .arg(sample.join("race/race.toml"))
        .args(["--date", "2030-06-01", "--out"])
        .arg(dir.path().join("r"))
        .env("NO_COLOR", "1")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Time on feet (missing): Extend your long run",
        ))
        .stdout(predicate::str::contains("   no runs in the block."))
        // An empty sum must not print as a negative zero.
        .stdout(predicate::str::contains("-0.0 km").not())
        .stdout(predicate::str::contains(" -0%").not())
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("Warning: no runs in the block (2030-02-04 to 2030-05-31)"),
        "{text}"
    );
    let count = |status: &str| {
        text.lines()
            .filter(|l| l.ends_with(&format!("  {status}")))
            .count()
    };
    // What the training lacks is missing: distance, time, long runs, climbs and descents,
    // weekly vertical, goal pace, heat sessions (no runs, so none in the heat). What an
    // empty block cannot show is unknown: a prediction, load spikes, fade.
    assert_eq!(count("missing"), 10, "{text}");
    assert_eq!(count("unknown"), 3, "{text}");
    assert_eq!(count("ok"), 0, "{text}");
}
