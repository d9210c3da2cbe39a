//! The runner's own history as the coach: past races and the builds before them, the
//! runner's own hills, terrain match, downhill readiness, heat acclimation as a state, and a
//! plan to race day. It reads the gap analysis; nothing below it reads this.

pub mod builds;
pub mod downhill;
pub mod heat_state;
pub mod own_hills;
pub mod past_races;
pub mod plan;
pub mod terrain;

pub use builds::Build;
pub use downhill::{Downhill, Readiness};
pub use heat_state::HeatState;
pub use own_hills::OwnHills;
pub use past_races::{Listed, PastRace};
pub use plan::{PlanWeek, RacePlan};
pub use terrain::TerrainMatch;

use crate::gaps::{Analysis, Dimension, DistanceClass, Thresholds, Verdict};
use crate::history::RunRow;
use crate::race::{RaceDemands, RaceSpec};
use crate::units::Units;
use plan::{Key, When};
use serde::Serialize;

/// The builds compared: before the most recent past races of the target's kind, at most
/// this many.
pub const BUILDS_KEPT: usize = 4;

/// At most this many repeats of one of the runner's hills in a session.
pub const MAX_REPEATS: u32 = 10;

/// Everything the coach found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coach {
    /// The day the plan starts after (`--today`, else the last activity's).
    pub today_day: i64,
    pub today: String,
    pub past_races: Vec<PastRace>,
    /// The current block first ("now"), then the builds before each past race of the
    /// target's kind, latest first.
    pub builds: Vec<Build>,
    pub own_hills: OwnHills,
    /// The hill, descent and goal-pace sessions on the runner's own ground.
    pub advice: Vec<String>,
    pub terrain: TerrainMatch,
    /// `None` when the course has no descent to prepare for.
    pub downhill: Option<Downhill>,
    /// `None` when the race is not expected to be hot (or has no temperature) ...
    pub heat: Option<HeatState>,
    /// ... or when the runs cannot tell (why, then).
    pub heat_unknown: Option<String>,
    pub plan: RacePlan,
}

/// What the coach reads.
pub struct Inputs<'a> {
    pub spec: &'a RaceSpec,
    pub demands: &'a RaceDemands,
    pub analysis: &'a Analysis,
    pub rows: &'a [RunRow],
    pub listed: &'a [Listed],
    pub thresholds: &'a Thresholds,
    pub today: i64,
    pub units: Units,
}

/// The race's class (5 km to ultra).
fn class_of(a: &Analysis) -> DistanceClass {
    a.plan.profile.distance
}

/// Tanda's marathon time from the 8 weeks before `today` (inclusive), for a road marathon.
fn tanda_s(rows: &[RunRow], today: i64, class: DistanceClass, off_road: bool) -> Option<f64> {
    if class != DistanceClass::Marathon || off_road {
        return None;
    }
    let runs: Vec<&RunRow> = rows
        .iter()
        .filter(|r| r.is_run && r.day > today - 56 && r.day <= today && r.distance_m > 0.0)
        .collect();
    let km: f64 = runs.iter().map(|r| r.distance_m).sum::<f64>() / 1000.0;
    let s: f64 = runs.iter().map(|r| r.moving_s).sum();
    (km > 0.0).then(|| plan::tanda_pace_s_per_km(km / 8.0, s / km) * 42.195)
}

fn verdict_of(a: &Analysis, d: Dimension) -> Option<Verdict> {
    a.gaps.iter().find(|g| g.dimension == d).map(|g| g.verdict)
}

/// "the 50 m climb at km 5.2 of your 2026-08-06 Morning Run".
fn place_words(p: &own_hills::Place, what: &str, u: Units) -> String {
    format!(
        "the {} {what} at {} of your {}",
        u.height(p.height_m),
        u.at(p.start_km * 1000.0),
        run_words(p)
    )
}

/// "2026-08-06 Morning Run", or "run of 2026-08-18 (2026-08-18-intervals.fit)" for a run
/// known by its file.
fn run_words(p: &own_hills::Place) -> String {
    if p.run == crate::history::file_name(&p.file) {
        format!("run of {} ({})", p.date, p.run)
    } else {
        format!("{} {}", p.date, p.run)
    }
}

/// A hill (or descent) session on the runner's own ground for a target of `target_m`.
fn hill_key(
    own: Option<&own_hills::Place>,
    (target_m, biggest_m): (f64, f64),
    down: bool,
    u: Units,
    when: When,
) -> Key {
    // What the course's biggest is, and what one session asks when more (off road).
    let asks = if (target_m - biggest_m).abs() < 0.5 {
        format!("the course's biggest is {}", u.height(biggest_m))
    } else {
        format!(
            "the course's biggest is {}; a session asks {}",
            u.height(biggest_m),
            u.height(target_m)
        )
    };
    let (verb, what, none, head) = if down {
        ("run down", "descent", "descents", "downhill")
    } else {
        ("climb", "climb", "climbs", "hills")
    };
    let (label, text) = match own {
        None => (
            format!("{head}: {} in one session", u.height(target_m)),
            format!(
                "{head}: {} {} in one session (your runs show no {none} yet: find a hill)",
                if down { "descend" } else { "climb" },
                u.height(target_m)
            ),
        ),
        Some(p) => match own_hills::repeats(p.height_m, target_m, MAX_REPEATS) {
            Some(n) => (
                format!("{head}: {n}x the {} {what} of {}", u.height(p.height_m), p.date),
                format!(
                    "{head}: {verb} {} {n} time(s) ({} in all; {asks})",
                    place_words(p, what, u),
                    u.height(p.height_m * f64::from(n)),
                ),
            ),
            None => (
                format!("{head}: the longest {what} you can find"),
                format!(
                    "{head}: your biggest {what} is {}; {MAX_REPEATS} times gives {} of the {} the course asks at once: find a longer one",
                    place_words(p, what, u),
                    u.height(p.height_m * f64::from(MAX_REPEATS)),
                    u.height(target_m)
                ),
            ),
        },
    };
    Key {
        dimension: if down {
            Dimension::DescendingBiggest
        } else {
            Dimension::ClimbingBiggest
        },
        label,
        text,
        when,
    }
}

/// The runner's biggest descent steep enough to be a downhill dose (-5 % or steeper),
/// else their biggest.
fn steep_descent(h: &OwnHills) -> Option<&own_hills::Place> {
    h.descents
        .iter()
        .find(|p| p.grade_pct <= downhill::DOSE_GRADE * 100.0)
        .or(h.descents.first())
}

/// The key sessions for the race's gaps, most important first (the analysis' fix-first
/// order), then downhill and heat when their state asks.
fn keys(
    i: &Inputs,
    hills: &OwnHills,
    downhill: Option<&Downhill>,
    heat: Option<&HeatState>,
    goal_realistic: Option<bool>,
) -> Vec<Key> {
    let (a, d, u, t) = (i.analysis, i.demands, i.units, i.thresholds);
    let mut out: Vec<Key> = Vec::new();
    let push = |out: &mut Vec<Key>, k: Key| {
        if !out.iter().any(|o| o.text == k.text) {
            out.push(k);
        }
    };
    let climb_target = d.biggest_climb().map_or(0.0, |c| c.gain_m);
    let descent_target = d.biggest_descent().map_or(0.0, |c| c.gain_m);
    let off_road = a.plan.profile.terrain.off_road();
    // What one session asks, beside the course's biggest.
    let session_target = |m: f64| {
        let target = if off_road {
            (m * t.session_vertical_share).min(d.ascent_m.max(m))
        } else {
            m
        };
        (target, m)
    };
    let down_window = downhill.map(|dh| When::Between(dh.window.0, dh.window.1));
    // A goal the training does not support is trained at the pace of the goal proposed.
    let proposed = d
        .goal_time_s
        .and_then(|g| plan::realistic_goal(goal_realistic, a.predicted_s, g).map(|time| (time, g)));
    let goal_pace = d
        .goal_gap_s_per_km
        .map(|p| p * proposed.map_or(1.0, |(time, goal)| time / goal));
    let whose = match proposed {
        Some((time, _)) => format!(
            "the pace of {}, the time your training supports; ",
            crate::units::hms(time)
        ),
        None => String::new(),
    };
    for dim in &a.fix_first {
        let k = match dim {
            Dimension::ClimbingBiggest
            | Dimension::ClimbingWeekly
            | Dimension::SessionClimbing
            | Dimension::LongRunClimbing => Some(hill_key(
                hills.climbs.first(),
                session_target(climb_target),
                false,
                u,
                When::Build,
            )),
            Dimension::DescendingBiggest
            | Dimension::DescendingWeekly
            | Dimension::SessionDescending => Some(hill_key(
                steep_descent(hills),
                session_target(descent_target),
                true,
                u,
                down_window.unwrap_or(When::Build),
            )),
            Dimension::GoalPaceVolume | Dimension::GoalPaceLongest => {
                let target = t.goal_pace_segment_share * d.distance_m;
                goal_pace.map(|pace| Key {
                    dimension: *dim,
                    label: format!("goal pace: {} in one go", u.distance_round(target)),
                    text: format!(
                        "goal pace: {} at {} ({whose}grade-adjusted) inside a longer run{}",
                        u.distance_round(target),
                        u.pace(pace),
                        hills
                            .longest_goal_pace
                            .as_ref()
                            .map(|p| format!(
                                "; your longest so far: {} from {} of your {}",
                                u.distance(p.length_m),
                                u.at(p.start_km * 1000.0),
                                run_words(p)
                            ))
                            .unwrap_or_default()
                    ),
                    when: When::Build,
                })
            }
            Dimension::GoalPaceOrFaster => goal_pace.map(|pace| Key {
                dimension: *dim,
                label: format!(
                    "race pace: {} in 1 km repeats",
                    u.distance_dp(t.race_pace_share_per_week * d.race_distance_m, 1)
                ),
                text: format!(
                    "race pace and faster: {} in 1 km repeats at {} or faster ({whose}grade-adjusted)",
                    u.distance_round(t.race_pace_share_per_week * d.race_distance_m),
                    u.pace(pace)
                ),
                when: When::Build,
            }),
            Dimension::BackToBack => Some(Key {
                dimension: *dim,
                label: "back-to-back long day".into(),
                text: "back to back: a second long day after the long run, two thirds of its time"
                    .into(),
                when: When::Build,
            }),
            Dimension::LateFade => Some(Key {
                dimension: *dim,
                label: "goal-effort finish to the long run".into(),
                text: "finish the long run's last quarter at goal effort: rehearse the late race"
                    .into(),
                when: When::Build,
            }),
            _ => None,
        };
        if let Some(k) = k {
            push(&mut out, k);
        }
    }
    if let Some(dh) = downhill {
        if matches!(dh.readiness, Readiness::Due | Readiness::NoneRecent) {
            push(
                &mut out,
                hill_key(
                    steep_descent(hills),
                    session_target(descent_target),
                    true,
                    u,
                    When::Between(dh.window.0, dh.window.1),
                ),
            );
        }
    }
    if let Some(h) = heat {
        if h.race_day < h.protocol {
            push(
                &mut out,
                Key {
                    dimension: Dimension::Heat,
                    label: "heat sessions of 60-90 min".into(),
                    text: format!(
                        "heat: runs of 60-90 min in the heat (or overdressed) on most days of the last {} weeks; a session is 30+ min at {} or more",
                        plan::HEAT_WEEKS_DAYS / 7,
                        a.heat_threshold_c.map_or_else(|| "race heat".into(), |c| u.temperature(c))
                    ),
                    when: When::Final,
                },
            );
        }
    }
    out
}

/// The coach's findings for the race of `i`.
pub fn coach(i: &Inputs) -> Coach {
    let (a, t, u) = (i.analysis, i.thresholds, i.units);
    let race_day = a.race_day;
    let until = (i.today + 1).min(race_day);
    let class = class_of(a);
    let past_races = past_races::find(i.rows, i.listed, until);
    // The current block and the builds before each past race of the same kind, each
    // measured from the history's first day at most, not over weeks before it.
    let first_day = i.rows.iter().map(|r| r.day).min().unwrap_or(race_day);
    let mut builds = vec![builds::measure(
        i.rows,
        a.block_start_day.max(first_day).min(until),
        until,
        a.long_run_m,
        "now".into(),
    )];
    let weeks = i64::from(i.spec.block_weeks) * 7;
    let same: Vec<(usize, &PastRace)> = past_races
        .iter()
        .enumerate()
        .filter(|(_, r)| past_races::same_kind(r, class))
        .collect();
    let mut past_builds: Vec<Build> = same
        .iter()
        .rev()
        .take(BUILDS_KEPT)
        .map(|(k, r)| {
            let long = t.long_run_for(r.class, r.distance_m);
            let start = (r.day - weeks).max(first_day);
            let label = if start > r.day - weeks {
                format!(
                    "{} {} (history from {})",
                    r.date,
                    r.name,
                    crate::calendar::format_day(start)
                )
            } else {
                format!("{} {}", r.date, r.name)
            };
            let mut b = builds::measure(i.rows, start, r.day, long, label);
            b.race = Some(*k);
            if r.faded == Some(true) {
                b.short = builds::short_for(&b, r, t, u);
            }
            b
        })
        .collect();
    // A faded race's build against a build whose race did not fade.
    let good: Option<Build> = past_builds
        .iter()
        .find(|b| b.race.is_some_and(|k| past_races[k].faded == Some(false)))
        .cloned();
    if let Some(g) = good {
        for b in past_builds
            .iter_mut()
            .filter(|b| b.race.is_some_and(|k| past_races[k].faded == Some(true)))
        {
            let hilly = b
                .race
                .is_some_and(|k| past_races[k].biggest_climb_m >= t.min_course_climb_m);
            for s in builds::lower_than(b, &g, hilly, u) {
                b.short.push(format!("{s} before {}", g.label));
            }
        }
    }
    builds.extend(past_builds);
    let own_hills = own_hills::find(i.rows, until);
    let block_runs: Vec<&RunRow> = i
        .rows
        .iter()
        .filter(|r| r.is_run && r.day >= a.block_start_day && r.day < until)
        .collect();
    let terrain = terrain::compare(
        crate::gaps::course_bands(i.demands, false).map(|m| m / 1000.0),
        &block_runs,
        (until - a.block_start_day) as f64 / 7.0,
    );
    let descends = i
        .demands
        .biggest_descent()
        .filter(|c| i.demands.has_elevation && c.gain_m >= t.min_course_climb_m);
    let downhill =
        descends.map(|c| downhill::judge(i.rows, race_day, until, t.climb_share * c.gain_m));
    let heat = a
        .applies(Dimension::Heat)
        .then(|| {
            heat_state::of_runs(
                i.rows,
                a.block_start_day,
                until,
                race_day,
                t.heat_session_min_s,
                t.heat_session_min_minutes,
                // As many daily sessions as days are left, up to the consensus' count.
                ((race_day - until).max(0) as usize).min(t.heat_sessions_needed as usize),
            )
        })
        .filter(|_| verdict_of(a, Dimension::Heat) != Some(Verdict::Unknown));
    let goal_realistic = match verdict_of(a, Dimension::GoalRealism) {
        Some(Verdict::Ok) => Some(true),
        Some(Verdict::Short | Verdict::Missing) => Some(false),
        _ => None,
    };
    let keys = keys(
        i,
        &own_hills,
        downhill.as_ref(),
        heat.as_ref(),
        goal_realistic,
    );
    let advice = keys.iter().map(|k| k.text.clone()).collect();
    let plan = plan::make(&plan::PlanInputs {
        today: i.today,
        race_day,
        class,
        race_name: i.demands.name.clone(),
        goal_s: i.demands.goal_time_s,
        predicted_s: a.predicted_s,
        predicted_by: a.predicted_by.replace('_', " "),
        tanda_s: tanda_s(i.rows, i.today, class, a.plan.profile.terrain.off_road()),
        long_run_target_m: a.long_run_m,
        // The plan may start as far back as the block, or 16 weeks, whichever is longer: a
        // short block is what the gaps judge, not all the time a plan may use.
        block_start_day: a
            .block_start_day
            .min(race_day - 7 * i64::from(crate::race::DEFAULT_BLOCK_WEEKS) - 6),
        block_longest_m: builds[0].longest_run_m,
        ok_ratio: t.ok_ratio,
        runs: i
            .rows
            .iter()
            .filter(|r| r.is_run && r.day <= i.today)
            .map(|r| (r.day, r.distance_m))
            .collect(),
        keys,
        goal_realistic,
        units: u,
    });
    // The heat row's own reason when it cannot judge (no race temperature, or no run
    // that recorded one).
    let heat_unknown = a
        .gaps
        .iter()
        .find(|g| g.dimension == Dimension::Heat && g.verdict == Verdict::Unknown)
        .map(|g| format!("unknown: {}", g.detail));
    Coach {
        heat_unknown,
        today_day: i.today,
        today: crate::calendar::format_day(i.today),
        past_races,
        builds,
        own_hills,
        advice,
        terrain,
        downhill,
        heat,
        plan,
    }
}
