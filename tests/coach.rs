//! The runner's own history as the coach, end to end on generated histories: past races
//! found with their results and fade, the builds before them compared, and the plan to
//! race day (its load rules, its taper, and a goal the weeks left cannot support).

mod common;

use common::history::{self, date, day, weeks, Run, FLAT};
use serde_json::Value;
use std::path::Path;

fn analyze(dir: &Path, acts: &Path, args: &[&str]) -> (Option<i32>, Value, String) {
    let out = dir.join("report");
    let mut all = vec![acts.to_str().unwrap(), "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    common::analyze_json(dir, all)
}

/// A flat road marathon course (a generated run, timestamps and all).
fn flat_marathon(dir: &Path, race: i64) -> std::path::PathBuf {
    let courses = dir.join("course");
    std::fs::create_dir_all(&courses).unwrap();
    let run = Run {
        day: race,
        km: 42.195,
        pace_s_per_km: 300.0,
        ground: FLAT,
        stretch: None,
    };
    history::write_gpx(&courses, "flat-marathon", &run);
    courses.join("flat-marathon.gpx")
}

/// A marathon raced on `day` at 300 s/km, its last `slow_km` at `slow_pace`.
fn marathon(
    dir: &Path,
    file: &str,
    name: &str,
    day: i64,
    slow_from_km: f64,
    slow_pace: f64,
) -> f64 {
    let run = Run {
        day,
        km: 42.195,
        pace_s_per_km: 300.0,
        ground: FLAT,
        stretch: Some((slow_from_km, 43.0, slow_pace)),
    };
    history::write_named_gpx(dir, file, Some(name), &run)
}

/// The flags of a race on `course` on `day`, then `extra`.
fn race_args<'a>(course: &'a Path, day: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--course", course.to_str().unwrap(), "--date", day];
    v.extend_from_slice(extra);
    v
}

fn race_named<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["coach"]["past_races"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} not found in {}", v["coach"]["past_races"]))
}

#[test]
fn two_past_marathons_one_held_one_faded_and_their_builds_compared() {
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let (held, faded, target) = (day(2025, 10, 12), day(2026, 4, 19), day(2026, 11, 15));
    // Well prepared: 18 weeks of a road runner's build (long runs to 33 km), then an even
    // race.
    history::road_runner(&acts, held, 285.0);
    let held_s = marathon(&acts, "lakeside", "Lakeside Marathon", held, 43.0, 300.0);
    // Under-prepared: two 8 km runs and a long run of 14 to 18 km a week; the race goes
    // out at the same pace and slows by 15 % from km 31.6.
    weeks(&acts, faded, "thin", |w| {
        let long = (14.0 + (18 - w) as f64 * 0.25).min(18.0);
        vec![
            (1, 8.0, 330.0, FLAT, None),
            (3, 8.0, 330.0, FLAT, None),
            (6, long, 345.0, FLAT, None),
        ]
    });
    let faded_s = marathon(&acts, "harbour", "Harbour Marathon", faded, 31.6, 345.0);
    // The current block, before the target.
    history::road_runner(&acts, target, 285.0);
    let course = flat_marathon(dir.path(), target);
    let day = date(target);
    let args = race_args(&course, &day, &["--goal", "3:25:00"]);
    let (code, v, err) = analyze(dir.path(), &acts, &args);
    assert_eq!(code, Some(0), "{err}");

    // Both races found by their names, with their results and fade.
    let a = race_named(&v, "Lakeside Marathon");
    let b = race_named(&v, "Harbour Marathon");
    assert_eq!(a["date"], "2025-10-12");
    assert_eq!(b["date"], "2026-04-19");
    for r in [a, b] {
        assert!(
            r["found_by"].as_array().unwrap().contains(&"name".into()),
            "{r}"
        );
        assert_eq!(r["class"], "marathon");
    }
    // Results: the recordings' moving times, to the second.
    assert!(
        (a["result_s"].as_f64().unwrap() - held_s).abs() <= 5.0,
        "{a}"
    );
    assert!(
        (b["result_s"].as_f64().unwrap() - faded_s).abs() <= 5.0,
        "{b}"
    );
    // Fade: the even race holds (under 1.5 %); the other's last quarter (km 31.6-42.2,
    // all at 345 s/km) is 15 % slower than the first three quarters (300 s/km).
    assert_eq!(a["faded"], false, "{a}");
    assert!(a["late_slowdown_pct"].as_f64().unwrap().abs() < 1.5, "{a}");
    assert_eq!(b["faded"], true, "{b}");
    let slow = b["late_slowdown_pct"].as_f64().unwrap();
    assert!((slow - 15.0).abs() < 0.5, "{slow}");
    let q: Vec<f64> = b["quarters_s_per_km"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        (q[0] - 300.0).abs() < 3.0 && (q[3] - 345.0).abs() < 3.5,
        "{q:?}"
    );

    // Builds: now first, then the faded race's build, then the held one's.
    let builds = v["coach"]["builds"].as_array().unwrap();
    assert_eq!(builds[0]["label"], "now");
    let by_label = |l: &str| {
        builds
            .iter()
            .find(|b| b["label"].as_str().unwrap().contains(l))
            .unwrap_or_else(|| panic!("no build for {l}: {builds:?}"))
    };
    let (bh, bf) = (by_label("Lakeside"), by_label("Harbour"));
    // Before the held race: long runs up to 33 km (road_runner: 20 + (18 - w) capped at
    // 33, so weeks 5 to 1 are 33 km); before the faded one, at most 18 km.
    assert!(
        (bh["longest_run_m"].as_f64().unwrap() - 33_000.0).abs() < 400.0,
        "{bh}"
    );
    assert!(bf["longest_run_m"].as_f64().unwrap() <= 18_300.0, "{bf}");
    assert!(bh["long_runs"].as_u64().unwrap() >= 3, "{bh}");
    assert_eq!(bf["long_runs"], 0, "{bf}");
    // The faded race's short dimensions are named: the longest run, the long runs, and
    // every measure lower than before the race that held.
    let short: Vec<&str> = bf["short"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        short
            .iter()
            .any(|s| s.starts_with("longest run 17.9") && s.ends_with("(a marathon asks 32 km)")),
        "{short:?}"
    );
    assert!(short.iter().any(|s| s.contains("long run(s)")), "{short:?}");
    assert!(
        short.iter().any(|s| s.starts_with("distance a week")
            && s.contains("before 2025-10-12 Lakeside Marathon")),
        "{short:?}"
    );
    assert!(bh["short"].as_array().unwrap().is_empty(), "{bh}");

    // The plan file and the three new charts are written; the terminal names the fade.
    let report = dir.path().join("report");
    let md = std::fs::read_to_string(report.join("plan.md")).unwrap();
    assert!(
        md.contains("Harbour Marathon") && md.contains("faded"),
        "{md}"
    );
    assert!(
        md.contains("Short before 2026-04-19 Harbour Marathon: longest run 17.9"),
        "{md}"
    );
    for chart in ["builds", "terrain", "heat_state"] {
        let svg = std::fs::read_to_string(report.join(format!("{chart}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{chart}");
    }
}

#[test]
fn a_races_file_names_a_race_the_history_would_not_find() {
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let target = day(2026, 11, 15);
    history::road_runner(&acts, target, 285.0);
    // A Sunday long run of the block, listed as a race with its official result.
    let listed = target - 7 * 5;
    let races = dir.path().join("races.toml");
    std::fs::write(
        &races,
        format!(
            "[[race]]\ndate = \"{0}\"\nname = \"Club 30K\"\nresult = \"2:40:00\"\n\
             [[race]]\ndate = {0}\nname = \"Club 30K\"\n",
            date(listed)
        ),
    )
    .unwrap();
    let course = flat_marathon(dir.path(), target);
    let day = date(target);
    let args = race_args(&course, &day, &["--races", races.to_str().unwrap()]);
    let (code, v, err) = analyze(dir.path(), &acts, &args);
    assert_eq!(code, Some(0), "{err}");
    // Listed twice (the second time with a TOML date): one race.
    let named = v["coach"]["past_races"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"] == "Club 30K")
        .count();
    assert_eq!(named, 1, "{}", v["coach"]["past_races"]);
    let r = race_named(&v, "Club 30K");
    assert_eq!(r["found_by"][0], "listed");
    assert_eq!(r["result_s"], 9600.0);
    assert!(
        r["file"]
            .as_str()
            .unwrap()
            .contains(&format!("road-{listed}-")),
        "{r}"
    );
    // A races file that is wrong stops the run and names itself; one without a race is
    // refused, saying what it needs.
    std::fs::write(&races, "[[race]]\ndate = \"someday\"\n").unwrap();
    let fails = |extra: &[&str]| {
        let o = assert_cmd::Command::cargo_bin("racegap")
            .unwrap()
            .current_dir(dir.path())
            .args(["analyze", "--no-cache", acts.to_str().unwrap()])
            .args(extra)
            .args(["--races", races.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        String::from_utf8_lossy(&o.stderr).to_string()
    };
    let err = fails(&race_args(&course, &day, &[]));
    assert!(
        err.contains("races.toml") && err.contains("race 1"),
        "{err}"
    );
    let err = fails(&[]);
    assert!(err.contains("--races") && err.contains("--course"), "{err}");
}

/// The load checks of every week: at most 10 % over the week before (lighter, taper and
/// race weeks are below it anyway) and at most 1.5× the mean of the four before.
fn check_load(plan: &Value) {
    for w in plan["weeks"].as_array().unwrap() {
        if let Some(g) = w["growth"].as_f64() {
            assert!(g <= 0.10 + 1e-9, "{w}");
        }
        if let Some(r) = w["acwr"].as_f64() {
            assert!(r <= 1.5 + 1e-9, "{w}");
        }
    }
}

#[test]
fn the_plan_for_the_sample_race_respects_the_load_limit_and_tapers() {
    let sample = common::sample_data();
    let dir = tempfile::tempdir().unwrap();
    let race = sample.join("race/race.toml");
    for today in [None, Some("2026-09-20"), Some("2026-10-11")] {
        let mut args = vec!["--race", race.to_str().unwrap()];
        if let Some(t) = today {
            args.extend(["--today", t]);
        }
        let (code, v, err) = analyze(dir.path(), &sample.join("activities"), &args);
        assert_eq!(code, Some(0), "{err}");
        let plan = &v["coach"]["plan"];
        check_load(plan);
        let phases: Vec<&str> = plan["weeks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["phase"].as_str().unwrap())
            .collect();
        // Race week last, a taper week before it (from the last activity, a Saturday, only
        // race week is left: a week counts from 4 days left in it).
        assert_eq!(phases.last(), Some(&"race"), "{today:?}: {phases:?}");
        if today.is_some() {
            assert_eq!(phases[phases.len() - 2], "taper", "{today:?}: {phases:?}");
        } else {
            assert_eq!(phases, ["race"]);
        }
        let dist = |i: usize| plan["weeks"][i]["distance_m"].as_f64().unwrap();
        let n = phases.len();
        let peak = (0..n).map(dist).fold(0.0, f64::max);
        if n > 2 {
            // Bosquet et al. 2007: a taper cuts 41-60 %; race week is half the peak week.
            assert!((dist(n - 1) - 0.5 * peak).abs() < 1.0, "{plan}");
        }
        match today {
            // Eight weeks: 8 rows, six build weeks with a lighter fourth.
            Some("2026-09-20") => {
                assert_eq!(n, 8, "{phases:?}");
                assert_eq!(phases[3], "cutback", "{phases:?}");
            }
            // Default: from the last activity (2026-11-07).
            None => assert_eq!(v["coach"]["today"], "2026-11-07"),
            _ => {}
        }
        // Activities after --today are not read into the analysis.
        if let Some(t) = today {
            let last = v["activities"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|a| a["start_local"].as_str())
                .map(|s| s[..10].to_string())
                .max()
                .unwrap();
            assert!(last.as_str() <= t, "{last} after {t}");
        }
    }
}

#[test]
fn three_weeks_left_and_a_40_pct_long_run_gap_do_not_support_the_goal() {
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let target = day(2026, 11, 15);
    // Long runs of 19 km (60 % of the marathon's 31.6 km long run), 43 km a week.
    weeks(&acts, target, "short", |_| {
        vec![
            (1, 8.0, 320.0, FLAT, None),
            (3, 8.0, 320.0, FLAT, Some((2.0, 6.0, 280.0))),
            (4, 8.0, 320.0, FLAT, None),
            (6, 19.0, 330.0, FLAT, None),
        ]
    });
    let course = flat_marathon(dir.path(), target);
    let (day, today) = (date(target), date(target - 21));
    let args = race_args(&course, &day, &["--goal", "3:10:00", "--today", &today]);
    let (code, v, err) = analyze(dir.path(), &acts, &args);
    assert_eq!(code, Some(0), "{err}");
    let plan = &v["coach"]["plan"];
    check_load(plan);
    assert_eq!(plan["weeks"].as_array().unwrap().len(), 3, "{plan}");
    assert_eq!(plan["goal_supported"], false, "{plan}");
    // One build week: 19 km × 1.1 = 20.9 km, far from 31.6.
    let reached = plan["long_run_reached_m"].as_f64().unwrap();
    assert!((reached - 20_900.0).abs() < 300.0, "{reached}");
    assert!(
        plan["reasons"][0].as_str().unwrap().contains("long run"),
        "{plan}"
    );
    // A slower goal is proposed, from the training's own predictions.
    let proposed = plan["proposed_goal_s"].as_f64().unwrap();
    assert!(proposed > 3.0 * 3600.0 + 10.0 * 60.0, "{proposed}");
    assert!(proposed < 5.0 * 3600.0, "{proposed}");
    assert!(plan["proposed_by"].as_str().is_some(), "{plan}");
    let md = std::fs::read_to_string(dir.path().join("report/plan.md")).unwrap();
    assert!(md.contains("Goal 3:10:00 is not supported"), "{md}");
    assert!(md.contains("Slow the goal down to"), "{md}");
}
