//! Every race judged by its own rules: a mountain ultra, a road marathon, a half and a
//! 10 km, each on a real course from the corpus (or a recording used as a course), against
//! generated histories whose runner is written in `common::history`.

mod common;

use common::history::{self, date, day};
use serde_json::Value;
use std::path::Path;

fn courses() -> Option<std::path::PathBuf> {
    common::corpus("race_kinds").map(|c| c.join("courses"))
}

/// The verdict of a dimension.
fn verdict(v: &Value, dim: &str) -> String {
    row(v, dim)["verdict"].as_str().unwrap().to_string()
}

fn row<'a>(v: &'a Value, dim: &str) -> &'a Value {
    v["analysis"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["dimension"] == dim)
        .unwrap_or_else(|| panic!("no row {dim}"))
}

/// A generated mountain course of `km` (800 m climbs and descents every 10 km), written
/// into `dir/course/`.
fn mountain_course(dir: &Path, race: i64, km: f64) -> std::path::PathBuf {
    let courses = dir.join("course");
    std::fs::create_dir_all(&courses).unwrap();
    let run = history::Run {
        day: race,
        km,
        pace_s_per_km: 400.0,
        ground: history::MOUNTAIN,
        stretch: None,
    };
    let name = format!("mountain-{km:.0}k");
    history::write_gpx(&courses, &name, &run);
    courses.join(format!("{name}.gpx"))
}

fn analyze(dir: &Path, acts: &Path, args: &[&str]) -> (Option<i32>, Value, String) {
    let mut all = vec![acts.to_str().unwrap(), "--out"];
    let out = dir.join("report");
    all.push(out.to_str().unwrap());
    all.extend_from_slice(args);
    common::analyze_json(dir, all)
}

#[test]
fn a_mountain_ultra_is_judged_by_mountain_rules() {
    let Some(courses) = courses() else { return };
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let race = day(2026, 6, 20);
    history::road_runner(&acts, race, 298.0);
    let course = courses.join("bob-graham-round.gpx");
    let waypoints = courses.join("bob-graham-round-waypoints.gpx");
    let args = [
        "--course",
        course.to_str().unwrap(),
        "--waypoints",
        waypoints.to_str().unwrap(),
        "--date",
        &date(race),
        "--goal",
        "20:00:00",
        "--kind",
        "mountain-ultra",
    ];
    let (code, v, err) = analyze(dir.path(), &acts, &args);
    assert_eq!(code, Some(0), "{err}");
    let plan = &v["analysis"]["plan"];
    assert_eq!(plan["profile"]["terrain"], "mountain");
    assert_eq!(plan["profile"]["distance"], "ultra");
    // A round is as long as it measures: not snapped to the 100 km road distance.
    let d = &v["demands"];
    assert_eq!(d["race_distance_m"], d["distance_m"]);
    // No road goal-pace rows judged on a mountain.
    for dim in [
        "goal_pace_volume",
        "goal_pace_longest",
        "goal_pace_or_faster",
    ] {
        assert_eq!(verdict(&v, dim), "not-for-this-race", "{dim}");
    }
    // The ultra and mountain rows are judged: a flat road runner falls short on them.
    for dim in [
        "back_to_back",
        "session_climbing",
        "session_descending",
        "long_run_climbing",
    ] {
        let got = verdict(&v, dim);
        assert!(
            got == "missing" || got == "short" || got == "unknown",
            "{dim}: {got}"
        );
    }
    // Off road a run this long in time is a long run: the activity rows say so as the
    // verdicts count it.
    let long_s = v["analysis"]["long_run_s"]
        .as_f64()
        .expect("off road: a long run in time");
    let mut by_time = 0;
    for act in v["activities"].as_array().unwrap() {
        let moving = act["metrics"]["moving_s"].as_f64().unwrap_or(0.0);
        if act["counts_as_run"] == true && moving >= long_s {
            assert_eq!(act["long_run"], true, "{}", act["path"]);
            by_time += 1;
        }
    }
    assert!(
        by_time > 0,
        "the road runner's long runs last {long_s} s or more"
    );
    // What to fix first for a mountain ultra: its own demands (time on feet, back-to-back
    // days) before anything a road runner would look at first.
    let first: Vec<&str> = v["analysis"]["fix_first"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(first.len() >= 3, "{first:?}");
    for top in &first[..2] {
        assert!(
            ["time_on_feet", "back_to_back", "goal_realism"].contains(top),
            "{first:?}"
        );
    }
    // The course file has no elevation: climbing rows cannot be judged; the profile
    // rests on the declared kind.
    assert_eq!(verdict(&v, "climbing_biggest"), "unknown");
    // The goal is judged by the runner's own running on the course's grades, and a
    // flat runner has none on a mountain's: no prediction is invented.
    let realism = row(&v, "goal_realism");
    assert_eq!(realism["verdict"], "unknown", "{realism}");
    // The 48-minute 10 km's road VDOT time is only shown as a cross-check.
    assert!(
        realism["detail"]
            .as_str()
            .unwrap()
            .contains("road cross-check"),
        "{realism}"
    );
}

#[test]
fn a_mountain_ultra_with_elevation_asks_a_coachs_weekly_climbing() {
    // The mountain runner's own 30 km mountain run, used as a course and declared an
    // ultra: 2,400 m of climbing.
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let race = day(2026, 8, 29);
    history::mountain_runner(&acts, race);
    let course = mountain_course(dir.path(), race, 60.0);
    let args = [
        "--course",
        course.to_str().unwrap(),
        "--date",
        &date(race),
        "--goal",
        "14:00:00",
    ];
    let (code, v, err) = analyze(dir.path(), &acts, &args);
    assert_eq!(code, Some(0), "{err}");
    let plan = &v["analysis"]["plan"];
    // 4,800 m over 60 km: 80 m per km, a mountain race (FRA category A: 50 m per km).
    assert_eq!(plan["profile"]["terrain"], "mountain", "{plan}");
    assert_eq!(plan["profile"]["distance"], "ultra");
    let ascent = v["demands"]["ascent_m"].as_f64().unwrap();
    assert!((ascent - 4_800.0).abs() < 150.0, "{ascent}");
    // Weekly climbing: half the race's climbing in a week (the low end of the 50-80 % a
    // week of a mountain-ultra hill block, runinfinite.com "Going Vertical"), not all of it.
    let weekly = row(&v, "climbing_weekly");
    assert!(
        (weekly["demand"].as_f64().unwrap() - ascent / 2.0).abs() < 1.0,
        "{weekly}"
    );
    // The mountain runner climbs about 3,000 m a week: 2,400 m on Saturday, 900 + 1,200 m
    // of hills: ok against 2,400 m.
    assert_eq!(weekly["verdict"], "ok", "{weekly}");
    // One session: 1.5 × the biggest climb (800 m), 1,200 m; Saturday's 2,400 m meets it.
    let session = row(&v, "session_climbing");
    assert!(
        (session["demand"].as_f64().unwrap() - 1_200.0).abs() < 60.0,
        "{session}"
    );
    assert_eq!(session["verdict"], "ok", "{session}");
    // Back-to-backs: Saturday 2.5-3.5 h, Sunday about 1.6 h: at least 60 % of Saturday
    // only on the shorter Saturdays.
    // The prediction comes from the runner's own mountain running, and it is no faster
    // than the road records allow over the course's flat-equivalent distance.
    let m = &v["analysis"]["grade_model"];
    let predicted = m["predicted_s"].as_f64().expect("a prediction");
    let (fast, slow) = (m["fast_s"].as_f64().unwrap(), m["slow_s"].as_f64().unwrap());
    assert!(fast <= predicted && predicted <= slow, "{m}");
    // The runner runs the course's ground at 400 s/km flat-equivalent... its training
    // pace is 360 s/km on mountains for 2-3 h: over 60 km (7-9 h) the prediction must be
    // slower than 60 km at the training's 2.5 h speed.
    let training_only = 60.0 * 360.0 * 1.2;
    assert!(predicted > training_only, "{predicted} vs {training_only}");
    assert!(predicted < 24.0 * 3600.0, "{predicted}");
    let realism = row(&v, "goal_realism");
    assert!(realism["verdict"] != "unknown", "{realism}");
    // Targets per km: climbing kilometres slower than descending ones.
    let t = v["analysis"]["targets"].as_array().unwrap();
    assert!(!t.is_empty());
    let pace_at = |grade_sign: f64| {
        t.iter()
            .filter(|s| s["grade"].as_f64().unwrap() * grade_sign > 0.1)
            .map(|s| s["target_pace_s_per_km"].as_f64().unwrap())
            .sum::<f64>()
    };
    assert!(pace_at(1.0) > pace_at(-1.0));
}

#[test]
fn a_road_marathon_is_judged_by_road_rules_and_says_what_it_cannot_tell() {
    let Some(courses) = courses() else { return };
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let race = day(2026, 4, 19);
    history::road_runner(&acts, race, 298.0);
    let course = courses.join("manchester-marathon-2026.gpx");
    let args = [
        "--course",
        course.to_str().unwrap(),
        "--date",
        &date(race),
        "--goal",
        "3h30",
        "--temperature",
        "68F",
    ];
    let (code, v, err) = analyze(dir.path(), &acts, &args);
    assert_eq!(code, Some(0), "{err}");
    assert!((v["race"]["expected_temperature_c"].as_f64().unwrap() - 20.0).abs() < 0.01);
    let plan = &v["analysis"]["plan"];
    assert_eq!(plan["profile"]["terrain"], "road", "{plan}");
    assert_eq!(plan["profile"]["distance"], "marathon");
    // The usual marathon long run: 75 % of the official 42.195 km (the file measures 42.33).
    assert!((plan["long_run_m"].as_f64().unwrap() - 0.75 * 42_195.0).abs() < 1.0);
    // A flat road course: weekly climbing is not for it; goal pace is.
    assert_eq!(verdict(&v, "climbing_weekly"), "not-for-this-race");
    assert_eq!(verdict(&v, "back_to_back"), "not-for-this-race");
    assert_eq!(verdict(&v, "goal_pace_volume"), "ok");
    // GPX without sensors: the heat cannot be judged, and says so.
    assert_eq!(verdict(&v, "heat"), "unknown");
    // Long runs up to 33 km in the block.
    assert_eq!(verdict(&v, "distance"), "ok");
    // Judged by VDOT from the 48-minute 10 km: 3:30 is beyond it.
    let realism = row(&v, "goal_realism");
    assert!(realism["detail"].as_str().unwrap().contains("VDOT"));
    assert_eq!(realism["verdict"], "missing", "{realism}");
}

#[test]
fn a_half_and_a_10k_get_their_own_long_runs_and_race_pace_work() {
    let Some(courses) = courses() else { return };
    let corpus = courses.parent().unwrap().to_path_buf();
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let race = day(2026, 3, 8);
    history::road_runner(&acts, race, 288.0);
    let half = courses.join("inverness-half-marathon.gpx");
    let (code, v, err) = analyze(
        dir.path(),
        &acts,
        &[
            "--course",
            half.to_str().unwrap(),
            "--date",
            &date(race),
            "--goal",
            "1:41:00",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let plan = &v["analysis"]["plan"];
    assert_eq!(plan["profile"]["distance"], "half", "{plan}");
    // Pfitzinger & Latter: serious half marathoners run long runs of over 16 miles; 22 km.
    assert_eq!(plan["long_run_m"], 22_000.0);
    assert_eq!(verdict(&v, "time_on_feet"), "ok");
    assert_eq!(verdict(&v, "goal_pace_or_faster"), "not-for-this-race");
    // A recording used as a course, declared a 10 km.
    let ten = corpus.join("fit/activity-small-fenix2-run.fit");
    let (code, v, err) = analyze(
        dir.path(),
        &acts,
        &[
            "--course",
            ten.to_str().unwrap(),
            "--distance-km",
            "10",
            "--date",
            &date(race),
            "--goal",
            "47:00",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let plan = &v["analysis"]["plan"];
    assert_eq!(plan["profile"]["distance"], "10k", "{plan}");
    assert_eq!(plan["long_run_m"], 16_000.0);
    // Short-race rows: race pace and faster judged, time on feet and fade not for it.
    assert_eq!(verdict(&v, "time_on_feet"), "not-for-this-race");
    assert_eq!(verdict(&v, "late_fade"), "not-for-this-race");
    assert_eq!(verdict(&v, "goal_pace_volume"), "not-for-this-race");
    let rp = row(&v, "goal_pace_or_faster");
    // Half the race distance a week at 4:42 /km or faster: 5 km × 16 weeks = 80 km.
    assert!((rp["demand"].as_f64().unwrap() - 80.0).abs() < 0.5, "{rp}");
    assert_ne!(rp["verdict"], "unknown");
}

#[test]
fn a_race_long_after_the_last_run_warns_and_bad_goals_get_hints() {
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let last = day(2025, 3, 1);
    history::road_runner(&acts, last, 298.0);
    let sample = common::sample_data();
    let course = sample.join("race/course.gpx");
    let race = last + 20 * 7;
    let (code, v, err) = analyze(
        dir.path(),
        &acts,
        &["--course", course.to_str().unwrap(), "--date", &date(race)],
    );
    assert_eq!(code, Some(0), "{err}");
    let warnings: Vec<&str> = v["analysis"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        warnings.iter().any(|w| w.contains("weeks before it")),
        "{warnings:?}"
    );
    // No goal: goal-pace rows are unknown, never missing.
    assert_eq!(verdict(&v, "goal_pace_volume"), "unknown");
    assert_eq!(verdict(&v, "goal_realism"), "unknown");
    // A marathon goal of "3:30" is 3 minutes 30: refused with the hint.
    let o = assert_cmd::Command::cargo_bin("racegap")
        .unwrap()
        .args(["analyze", "--no-cache", "--course"])
        .arg(&course)
        .args(["--date", &date(race), "--goal", "3:30", "--out"])
        .arg(dir.path().join("r"))
        .arg(&acts)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("did you mean 3:30:00?"), "{err}");
    assert!(!dir.path().join("r").exists());
    // Declarations the course contradicts are refused: a 5 km kind on a marathon course,
    // an official distance half the course file's length.
    for (args, want) in [
        (
            &["--kind", "road-5k"][..],
            "kind says 5k but the race is 42.",
        ),
        (&["--distance-km", "21.1"][..], "50 % off the course file's"),
    ] {
        let o = assert_cmd::Command::cargo_bin("racegap")
            .unwrap()
            .args(["analyze", "--no-cache", "--course"])
            .arg(&course)
            .args(["--date", &date(race), "--out"])
            .arg(dir.path().join("r"))
            .args(args)
            .arg(&acts)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

#[test]
fn a_road_runner_gets_no_invented_prediction_for_a_mountain() {
    // The road runner's flat training says nothing of 25 % slopes: the goal model refuses
    // (a few km of steep running do not make a mountain course known).
    let dir = tempfile::tempdir().unwrap();
    let acts = dir.path().join("acts");
    std::fs::create_dir(&acts).unwrap();
    let race = day(2026, 8, 29);
    history::road_runner(&acts, race, 330.0);
    let course = mountain_course(dir.path(), race, 40.0);
    let args = [
        "--course",
        course.to_str().unwrap(),
        "--date",
        &date(race),
        "--goal",
        "9:00:00",
    ];
    let (code, v, err) = analyze(dir.path(), &acts, &args);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(v["analysis"]["plan"]["profile"]["terrain"], "mountain");
    let realism = row(&v, "goal_realism");
    assert_eq!(realism["verdict"], "unknown", "{realism}");
    assert!(
        realism["detail"]
            .as_str()
            .unwrap()
            .contains("your history cannot predict this course"),
        "{realism}"
    );
    assert_eq!(v["analysis"]["predicted_s"], Value::Null);
    assert_eq!(v["analysis"]["predicted_by"], "grade_model");
}
