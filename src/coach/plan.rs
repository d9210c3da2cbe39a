//! A plan to race day: week by week from today, the weekly distance and long run growing no
//! faster than the load rules allow, the key sessions that close the race's gaps in the
//! order they matter, a taper; and whether the goal is supported at all.
//!
//! The rules, each from the literature:
//! - A long run no more than 10 % longer than the longest run of the 30 days before it:
//!   Frandsen et al. 2025 (Br J Sports Med 59:1203; 5,205 runners) found a single run
//!   10-30 % longer than the longest of the previous 30 days raised the injury rate 1.64×.
//! - A week no more than 10 % over the week before, and its distance never over 1.5× the
//!   mean of the four weeks before (the acute:chronic spike of the load rule; Gabbett 2016,
//!   Br J Sports Med 50:273). Nielsen et al. 2014 (J Orthop Sports Phys Ther 44:739)
//!   found distance-related injuries rose after increases of over 30 % in two weeks.
//! - A lighter week (80 % of the distance) every fourth week of a build (the recovery weeks
//!   of marathon plans: Pfitzinger & Douglas, Advanced Marathoning).
//! - A two-week taper, volume cut progressively by 41-60 % and intensity kept (Bosquet et
//!   al. 2007, Med Sci Sports Exerc 39:1358): 70 % of the peak week, then 50 % in race
//!   week.
//! - Heat sessions in the last 2-3 weeks (Racinais et al. 2015: 1-2 weeks of daily
//!   exposure before competing).

use crate::gaps::{Dimension, DistanceClass};
use crate::units::Units;
use serde::Serialize;

/// A long run may be this much longer than the longest of the last 30 days.
pub const LONG_RUN_GROWTH: f64 = 0.10;
/// A week may be this much over the one before.
pub const WEEK_GROWTH: f64 = 0.10;
/// A week's distance over the mean of the four before it: at most this.
pub const ACWR_MAX: f64 = 1.5;
/// Every this many build weeks, a lighter one ...
pub const CUTBACK_EVERY: usize = 4;
/// ... of this share of the peak so far.
pub const CUTBACK_SHARE: f64 = 0.8;
/// The taper's weeks, as shares of the peak week: the week before race week, race week.
pub const TAPER: [f64; 2] = [0.7, 0.5];
/// The taper's long run, × the peak long run.
pub const TAPER_LONG_RUN: f64 = 0.6;
/// Heat sessions go in the weeks starting this close to the race.
pub const HEAT_WEEKS_DAYS: i64 = 21;
/// The smallest long run a plan builds from (a runner with no recent runs starts here).
pub const MIN_LONG_RUN_M: f64 = 5_000.0;

/// What a week is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Build,
    Cutback,
    Taper,
    Race,
}

impl Phase {
    pub fn word(self) -> &'static str {
        match self {
            Phase::Build => "build",
            Phase::Cutback => "lighter",
            Phase::Taper => "taper",
            Phase::Race => "race week",
        }
    }
}

/// One week of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanWeek {
    pub week: i64,
    pub week_start: String,
    pub phase: Phase,
    /// The week's whole distance, race excluded ...
    pub distance_m: f64,
    /// ... of which this much was run before the plan starts (the week of today).
    pub done_m: f64,
    pub long_run_m: f64,
    /// The week's distance against the one before, and against the mean of the four
    /// before (the load checks).
    pub growth: Option<f64>,
    pub acwr: Option<f64>,
    /// Key sessions, the most important for this race first.
    pub sessions: Vec<String>,
}

/// A key session the coach asks for, and the dimension it closes.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub dimension: Dimension,
    /// A few words for the week's row ("hills: 3x the 125 m climb of 2026-08-18") ...
    pub label: String,
    /// ... and the whole session, said once in the advice.
    pub text: String,
    /// Which weeks: build weeks only, or the last `HEAT_WEEKS_DAYS`, or one day range.
    pub when: When,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    /// Every build week (not the lighter ones).
    Build,
    /// Build weeks whose Monday is in `[from, to]`.
    Between(i64, i64),
    /// Weeks starting within `HEAT_WEEKS_DAYS` of the race, race week included.
    Final,
}

/// Everything the plan is made from, as plain numbers.
#[derive(Debug, Clone)]
pub struct PlanInputs {
    pub today: i64,
    pub race_day: i64,
    pub class: DistanceClass,
    pub race_name: String,
    pub goal_s: Option<f64>,
    /// The analysis' prediction, and what made it.
    pub predicted_s: Option<f64>,
    pub predicted_by: String,
    /// Tanda's marathon time from the last 8 weeks' training, for a marathon.
    pub tanda_s: Option<f64>,
    pub long_run_target_m: f64,
    /// The block's first day: a plan never starts before it.
    pub block_start_day: i64,
    /// The longest run of the block so far: a long run already done needs no building.
    pub block_longest_m: f64,
    pub ok_ratio: f64,
    /// (day, distance m) of every run up to today.
    pub runs: Vec<(i64, f64)>,
    /// Key sessions, the most important first.
    pub keys: Vec<Key>,
    /// Goal realism: `Some(true)` the goal is within the prediction, `Some(false)` faster
    /// than it (short or missing), `None` unknown.
    pub goal_realistic: Option<bool>,
    pub units: Units,
}

/// The plan, and what it says of the goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RacePlan {
    pub from_day: i64,
    pub race_day: i64,
    pub weeks: Vec<PlanWeek>,
    /// The last 4 weeks' mean, and the longest run of the last 30 days, at the start.
    pub start_distance_per_week_m: f64,
    pub start_long_run_m: f64,
    pub long_run_target_m: f64,
    /// The longest run the plan reaches within the load rules.
    pub long_run_reached_m: f64,
    /// `Some(false)`: the gaps cannot close in the weeks left or the goal is faster than
    /// the training predicts; `None`: no goal given.
    pub goal_supported: Option<bool>,
    pub reasons: Vec<String>,
    /// The goal the training supports, when the goal is not supported and a slower time
    /// can be told.
    pub proposed_goal_s: Option<f64>,
    pub proposed_by: Option<String>,
    pub notes: Vec<String>,
}

/// Distance run in `[from, to)`.
fn run_between(runs: &[(i64, f64)], from: i64, to: i64) -> f64 {
    runs.iter()
        .filter(|(d, _)| *d >= from && *d < to)
        .map(|(_, m)| m)
        .sum()
}

/// Tanda 2011 (J Hum Sport Exerc 6:511): marathon pace, s/km, from the mean weekly distance
/// `km_per_week` and the mean training pace `pace_s_per_km` of the 8 weeks before:
/// 17.1 + 140.0·e^(−0.0053·K) + 0.55·P. Fitted on 46 marathons of 2:47-3:36 (standard
/// error about 4 minutes); later tests find it optimistic beyond that range.
pub fn tanda_pace_s_per_km(km_per_week: f64, pace_s_per_km: f64) -> f64 {
    17.1 + 140.0 * (-0.0053 * km_per_week).exp() + 0.55 * pace_s_per_km
}

/// The first week of the plan: the week of the day after `today` when at least
/// `MIN_DAYS_LEFT` of its days are still to run (or it is race week), else the next; never
/// before the block (a race months away is planned from its block on).
fn first_week(today: i64, race_day: i64, block_start_day: i64) -> i64 {
    let week_of = crate::calendar::week_of;
    let next = today + 1;
    let days_left = 7 - (next + 3).rem_euclid(7);
    let mut first = week_of(next);
    if days_left < MIN_DAYS_LEFT && first < week_of(race_day) {
        first += 1;
    }
    first.max(week_of(block_start_day).min(week_of(race_day)))
}

/// A week of the plan counts from here when this many of its days are left.
pub const MIN_DAYS_LEFT: i64 = 4;

/// The plan from the day after `today` to race day.
pub fn make(p: &PlanInputs) -> RacePlan {
    let u = p.units;
    let week_of = crate::calendar::week_of;
    let monday = crate::calendar::week_start;
    let first = first_week(p.today, p.race_day, p.block_start_day);
    let last = week_of(p.race_day);
    let mut out = RacePlan {
        from_day: p.today,
        race_day: p.race_day,
        weeks: Vec::new(),
        start_distance_per_week_m: 0.0,
        start_long_run_m: 0.0,
        long_run_target_m: p.long_run_target_m,
        long_run_reached_m: 0.0,
        goal_supported: None,
        reasons: Vec::new(),
        proposed_goal_s: None,
        proposed_by: None,
        notes: Vec::new(),
    };
    if p.race_day <= p.today {
        out.notes.push(format!(
            "race day {} is not after {}: the race is run, no plan",
            crate::calendar::format_day(p.race_day),
            crate::calendar::format_day(p.today)
        ));
        return out;
    }
    if monday(first) > p.today + 7 {
        out.notes.push(format!(
            "the plan starts with the training block on {} ({} weeks before race week); until then, keep your usual training",
            crate::calendar::format_day(monday(first)),
            last - first
        ));
    }
    // The load rules' history: the four full weeks before today's week (or before the
    // plan, when it starts this week); a week of today's the plan leaves to finish counts
    // what was run in it, or the four weeks' mean if more; weeks between today and a
    // plan that starts later (a race months away) are the usual training, that mean.
    let now = week_of(p.today + 1).min(first);
    let full: Vec<f64> = (1..=4)
        .rev()
        .map(|k| run_between(&p.runs, monday(now - k), monday(now - k + 1)))
        .collect();
    let usual = full.iter().sum::<f64>() / 4.0;
    let mut history = full;
    for w in now..first {
        let done = run_between(&p.runs, monday(w), monday(w + 1));
        history.push(done.max(usual));
    }
    // The mean of the last four weeks: the load rules' chronic load.
    let chronic_of = |h: &[f64]| h[h.len() - 4..].iter().sum::<f64>() / 4.0;
    let base = chronic_of(&history);
    let longest_30 = |from_day: i64, planned: &[(i64, f64)]| {
        p.runs
            .iter()
            .chain(planned)
            .filter(|(d, _)| *d >= from_day - 30 && *d < from_day)
            .map(|(_, m)| *m)
            .fold(0.0, f64::max)
    };
    // The longest run of the 30 days before today (kept up until a later plan starts).
    let start_long = longest_30(p.today + 1, &[]);
    out.start_distance_per_week_m = base;
    out.start_long_run_m = start_long;
    if start_long < MIN_LONG_RUN_M {
        out.notes.push(format!(
            "no run of {} or more in the 30 days before the plan: it restarts from a {} long run and a {} week, then grows by the load rules",
            u.distance_round(MIN_LONG_RUN_M),
            u.distance_round(MIN_LONG_RUN_M),
            u.distance_round(MIN_LONG_RUN_M)
        ));
    }
    if let Some(first_run) = p.runs.iter().map(|(d, _)| *d).min() {
        if first_run > monday(first) - 28 {
            out.notes.push(format!(
                "your history starts on {}: the load rules read the weeks before it as empty (if you ran then, add those files)",
                crate::calendar::format_day(first_run)
            ));
        }
    }
    // The week's other runs keep their distance; the long run grows.
    let others = (base - start_long).max(0.0);
    let n = (last - first + 1) as usize;
    let taper_weeks = n.min(TAPER.len());
    let build_weeks = n - taper_weeks;
    // Until the plan starts, the usual long run goes on (the note says so).
    let mut planned_long: Vec<(i64, f64)> = (now..first)
        .map(|w| (monday(w) + 6, start_long))
        .filter(|(d, m)| *d > p.today && *m > 0.0)
        .collect();
    let (mut peak_week, mut peak_long) = (base, start_long);
    for i in 0..n {
        let prev = history[history.len() - 1];
        let week = first + i as i64;
        let long_day = monday(week) + 6;
        let (phase, want, want_long) = if i < build_weeks {
            let cutback = (i + 1) % CUTBACK_EVERY == 0 && i + 1 < build_weeks;
            if cutback {
                // Lighter than the peak, and never more than the week before.
                (
                    Phase::Cutback,
                    (peak_week * CUTBACK_SHARE).min(prev),
                    peak_long * 0.75,
                )
            } else {
                // Frandsen et al. 2025: at most 10 % over the longest of the 30 days before.
                let recent = longest_30(long_day, &planned_long);
                let cap = if recent > 0.0 {
                    recent * (1.0 + LONG_RUN_GROWTH)
                } else {
                    MIN_LONG_RUN_M
                };
                // The race's long run, or the runner's own if already longer (a plan does
                // not cut a 24 km long run to a 10 km race's 16).
                let long = p
                    .long_run_target_m
                    .max(start_long)
                    .min(cap.max(MIN_LONG_RUN_M.min(p.long_run_target_m)));
                (Phase::Build, (others + long).max(peak_week), long)
            }
        } else {
            let k = i - build_weeks + (TAPER.len() - taper_weeks);
            let race_week = i + 1 == n;
            (
                if race_week { Phase::Race } else { Phase::Taper },
                peak_week * TAPER[k],
                if race_week {
                    0.0
                } else {
                    peak_long * TAPER_LONG_RUN
                },
            )
        };
        // The load rules cap the week: 10 % over the week before, 1.5× the four before; a
        // week after an empty one restarts from one short run.
        let chronic = chronic_of(&history);
        let mut cap = if prev > 0.0 {
            prev * (1.0 + WEEK_GROWTH)
        } else {
            MIN_LONG_RUN_M
        };
        if chronic > 0.0 {
            cap = cap.min(chronic * ACWR_MAX);
        }
        // What is already run this week stays run.
        let done = if monday(week) <= p.today {
            run_between(&p.runs, monday(week), p.today + 1)
        } else {
            0.0
        };
        let distance = want.min(cap).max(done);
        let long = want_long.min(distance - done).max(0.0);
        if phase == Phase::Build {
            peak_week = peak_week.max(distance);
            peak_long = peak_long.max(long);
        }
        if long > 0.0 {
            planned_long.push((long_day, long));
        }
        let growth = (prev > 0.0).then(|| distance / prev - 1.0);
        let acwr = (chronic > 0.0).then(|| distance / chronic);
        let sessions = sessions_of(p, week, phase, long);
        out.weeks.push(PlanWeek {
            week,
            week_start: crate::calendar::format_day(monday(week)),
            phase,
            distance_m: distance,
            done_m: done,
            long_run_m: long,
            growth,
            acwr,
            sessions,
        });
        history.push(distance);
    }
    out.long_run_reached_m = out
        .weeks
        .iter()
        .map(|w| w.long_run_m)
        .fold(start_long, f64::max);
    judge_goal(p, &mut out);
    out
}

/// The week's key sessions: the long run, then the race's keys in their order.
fn sessions_of(p: &PlanInputs, week: i64, phase: Phase, long: f64) -> Vec<String> {
    let u = p.units;
    let start = crate::calendar::week_start(week);
    let mut out = Vec::new();
    match phase {
        Phase::Race => {
            out.push(format!(
                "race: {} on {}",
                p.race_name,
                crate::calendar::format_day(p.race_day)
            ));
        }
        Phase::Taper => out.push(format!(
            "long run {} easy; one short session at race pace (a taper keeps the intensity)",
            u.distance_dp(long, 1)
        )),
        Phase::Cutback => out.push(format!(
            "lighter week: long run {} easy",
            u.distance_dp(long, 1)
        )),
        Phase::Build if long <= 0.0 => {}
        Phase::Build => out.push(format!(
            "long run {}{}",
            u.distance_dp(long, 1),
            if (long - p.long_run_target_m).abs() < 50.0 {
                " (the race's long run)".to_string()
            } else if long > p.long_run_target_m {
                format!(" (the race asks {})", u.distance_dp(p.long_run_target_m, 1))
            } else {
                String::new()
            }
        )),
    }
    for k in &p.keys {
        let due = match k.when {
            When::Build => phase == Phase::Build,
            When::Between(a, b) => phase == Phase::Build && start >= a && start <= b,
            When::Final => start >= p.race_day - HEAT_WEEKS_DAYS && phase != Phase::Cutback,
        };
        if due {
            out.push(k.label.clone());
        }
    }
    out
}

/// A proposed goal rounded up: to 10 s under an hour, to the minute beyond (a goal to run,
/// not a prediction to the second).
pub fn rounded_goal(s: f64) -> f64 {
    let step = if s < 3600.0 { 10.0 } else { 60.0 };
    (s / step).ceil() * step
}

/// When goal realism judged `goal_s` too fast (`goal_realistic` is `Some(false)`), the time
/// its prediction supports, rounded as a goal: the goal proposed, and the time goal-pace
/// sessions are paced for.
pub fn realistic_goal(
    goal_realistic: Option<bool>,
    predicted_s: Option<f64>,
    goal_s: f64,
) -> Option<f64> {
    if goal_realistic != Some(false) {
        return None;
    }
    predicted_s
        .filter(|s| s.is_finite() && *s > goal_s)
        .map(rounded_goal)
}

/// Whether the goal is supported: the long run must reach its length in the weeks left (or
/// have reached it in the block), and the goal must not be faster than the training
/// predicts. When it is not, the goal proposed is the goal-realism prediction if that
/// judged it too fast (the time the report already calls realistic), else, for a road
/// marathon, Tanda's from the training's volume when slower than the goal; else none.
fn judge_goal(p: &PlanInputs, out: &mut RacePlan) {
    let u = p.units;
    let Some(goal) = p.goal_s else {
        return;
    };
    let mut reasons = Vec::new();
    let done = p.block_longest_m >= p.long_run_target_m * p.ok_ratio;
    let long_short = !done && out.long_run_reached_m < p.long_run_target_m * p.ok_ratio;
    if long_short {
        reasons.push(format!(
            "the long run can grow only to {} by race day within the load rules (from {} now, 10 % at most over the longest of 30 days); the race asks {}",
            u.distance(out.long_run_reached_m),
            u.distance(out.start_long_run_m),
            u.distance_round(p.long_run_target_m)
        ));
    }
    if p.goal_realistic == Some(false) {
        reasons.push("the goal is faster than your training predicts (goal realism)".into());
    }
    out.goal_supported = Some(reasons.is_empty());
    out.reasons = reasons;
    if out.goal_supported == Some(true) {
        return;
    }
    let proposal = if p.goal_realistic == Some(false) {
        realistic_goal(p.goal_realistic, p.predicted_s, goal).map(|s| {
            (
                s,
                format!("the goal-realism prediction, by {}", p.predicted_by),
            )
        })
    } else {
        p.tanda_s.filter(|s| s.is_finite() && *s > goal).map(|s| {
            (
                rounded_goal(s),
                "Tanda 2011, from the last 8 weeks' distance and pace".to_string(),
            )
        })
    };
    match proposal {
        Some((s, by)) => {
            out.proposed_goal_s = Some(s);
            out.proposed_by = Some(by);
        }
        None if p.goal_realistic == Some(true) => out.notes.push(
            "no prediction is slower than the goal: its pace is within your speed, the distance is not yet; start slower than goal pace and save the effort for the last quarter".into(),
        ),
        None => out.notes.push(
            "no prediction here can tell which goal your training supports: start slower than goal pace and save the effort for the last quarter".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(today: i64, race_day: i64, weekly: &[(f64, f64)]) -> PlanInputs {
        // `weekly`: (long run km, other km) of the weeks before today, oldest first; the
        // long run on Sundays, the rest in three runs from Tuesday to Thursday.
        let mut runs = Vec::new();
        let last_monday = crate::calendar::week_start(crate::calendar::week_of(today + 1));
        for (k, (long, other)) in weekly.iter().rev().enumerate() {
            let monday = last_monday - 7 * (k as i64 + 1);
            runs.push((monday + 6, long * 1000.0));
            for dow in 1..=3 {
                runs.push((monday + dow, other * 1000.0 / 3.0));
            }
        }
        PlanInputs {
            today,
            race_day,
            class: DistanceClass::Marathon,
            race_name: "Test Marathon".into(),
            goal_s: Some(3.0 * 3600.0),
            predicted_s: Some(3.0 * 3600.0 - 60.0),
            predicted_by: "vdot".into(),
            tanda_s: Some(3.0 * 3600.0 + 15.0 * 60.0 + 20.0),
            long_run_target_m: 31_646.25,
            block_start_day: race_day - 7 * 17 + 1,
            block_longest_m: 0.0,
            ok_ratio: 1.0,
            runs,
            keys: vec![Key {
                dimension: Dimension::GoalPaceLongest,
                label: "goal pace".into(),
                text: "goal pace: 8 km at 4:16 /km".into(),
                when: When::Build,
            }],
            goal_realistic: Some(true),
            units: Units::Metric,
        }
    }

    fn day(y: i64, m: i64, d: i64) -> i64 {
        crate::calendar::days_from_civil(y, m, d)
    }

    #[test]
    fn ten_weeks_build_within_the_load_rules_and_taper() {
        // Sunday 2026-09-06; race Sunday 2026-11-15: 10 weeks.
        let (today, race) = (day(2026, 9, 6), day(2026, 11, 15));
        let p = make(&inputs(today, race, &[(20.0, 30.0); 4]));
        assert_eq!(p.weeks.len(), 10);
        let mut prev = 50_000.0;
        for w in &p.weeks {
            assert!(w.distance_m <= prev * 1.1 + 1e-6, "{w:?}");
            assert!(w.acwr.unwrap() <= ACWR_MAX + 1e-9, "{w:?}");
            prev = w.distance_m;
        }
        // Long runs: 22, 24.2, 26.62, (cutback), 29.28, 31.65 ...
        let longs: Vec<f64> = p
            .weeks
            .iter()
            .map(|w| (w.long_run_m / 10.0).round() / 100.0)
            .collect();
        assert_eq!(&longs[..3], &[22.0, 24.2, 26.62]);
        assert_eq!(p.weeks[3].phase, Phase::Cutback);
        assert!((p.long_run_reached_m - 31_646.25).abs() < 1e-6);
        let phases: Vec<Phase> = p.weeks[8..].iter().map(|w| w.phase).collect();
        assert_eq!(phases, vec![Phase::Taper, Phase::Race]);
        let peak = p.weeks[..8]
            .iter()
            .map(|w| w.distance_m)
            .fold(0.0, f64::max);
        assert!((p.weeks[8].distance_m - 0.7 * peak).abs() < 1e-6);
        assert!((p.weeks[9].distance_m - 0.5 * peak).abs() < 1e-6);
        assert_eq!(p.goal_supported, Some(true));
        assert!(p.weeks[0].sessions.contains(&"goal pace".to_string()));
        assert!(!p.weeks[9].sessions.contains(&"goal pace".to_string()));
    }

    /// Three weeks left and the longest run 19 km against 31.6 km (a 40 % gap): one build
    /// week reaches 20.9 km; the goal is not supported and the slowest prediction
    /// (Tanda's 3:15:20) is proposed, rounded up to the minute.
    #[test]
    fn three_weeks_and_a_40_pct_long_run_gap_is_not_supported() {
        let (today, race) = (day(2026, 10, 25), day(2026, 11, 15));
        let p = make(&inputs(today, race, &[(19.0, 25.0); 4]));
        assert_eq!(p.weeks.len(), 3);
        assert!(
            (p.long_run_reached_m - 20_900.0).abs() < 1e-6,
            "{}",
            p.long_run_reached_m
        );
        assert_eq!(p.goal_supported, Some(false));
        assert!(p.reasons[0].contains("20.90 km"), "{:?}", p.reasons);
        assert_eq!(p.proposed_goal_s, Some(3.0 * 3600.0 + 16.0 * 60.0));
        assert!(p.proposed_by.as_deref().unwrap().starts_with("Tanda"));
        // The same weeks after a block that already ran the race's long run: supported.
        let mut done = inputs(today, race, &[(19.0, 25.0); 4]);
        done.block_longest_m = 32_000.0;
        assert_eq!(make(&done).goal_supported, Some(true));
        // And a goal the training's predictions call too fast is not, whatever the runs.
        done.goal_realistic = Some(false);
        let p = make(&done);
        assert_eq!(p.goal_supported, Some(false));
        assert_eq!(p.reasons.len(), 1);
    }

    /// From a Friday only two days of the week are left: the plan starts on Monday, and its
    /// load rules read the four full weeks before this one (50 km each), not this week's
    /// unfinished one.
    #[test]
    fn a_week_nearly_over_is_left_to_finish() {
        let (friday, race) = (day(2026, 9, 4), day(2026, 11, 15));
        let p = make(&inputs(friday, race, &[(20.0, 30.0); 4]));
        assert_eq!(p.weeks[0].week_start, "2026-09-07");
        assert!((p.start_distance_per_week_m - 50_000.0).abs() < 1e-6);
        assert!(
            (p.weeks[0].distance_m - 52_000.0).abs() < 1e-6,
            "{:?}",
            p.weeks[0]
        );
        // From a Tuesday the week is planned, what was run in it kept.
        let tuesday = day(2026, 9, 8);
        let mut i = inputs(tuesday, race, &[(20.0, 30.0); 4]);
        i.runs.push((tuesday - 1, 12_000.0));
        let p = make(&i);
        assert_eq!(p.weeks[0].week_start, "2026-09-07");
        assert_eq!(p.weeks[0].done_m, 12_000.0);
    }

    /// A race 24 weeks away is planned from its block (17 weeks out), from the runner's
    /// usual 50 km weeks carried over the gap, not from empty weeks.
    #[test]
    fn a_race_months_away_is_planned_from_its_block_on_the_usual_weeks() {
        let race = day(2026, 11, 15);
        let today = race - 7 * 24;
        let p = make(&inputs(today, race, &[(20.0, 30.0); 4]));
        assert_eq!(p.weeks.len(), 17);
        assert_eq!(
            p.weeks[0].week_start,
            crate::calendar::format_day(race - 7 * 17 + 1)
        );
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("starts with the training block")),
            "{:?}",
            p.notes
        );
        assert!((p.start_distance_per_week_m - 50_000.0).abs() < 1e-6);
        // The long run of the 30 days before today (20 km) is the start: 22 km, 52 km.
        assert!(
            (p.weeks[0].long_run_m - 22_000.0).abs() < 1e-6,
            "{:?}",
            p.weeks[0]
        );
        assert!(
            (p.weeks[0].distance_m - 52_000.0).abs() < 1e-6,
            "{:?}",
            p.weeks[0]
        );
    }

    #[test]
    fn tanda_reproduces_a_worked_example() {
        // 60 mi (96.56 km) a week at 7:30 /mi (279.6 s/km): 2:59:11 (Tanda's formula as
        // worked by W. Mycroft, 2017).
        let pace = tanda_pace_s_per_km(96.5606, 450.0 / 1.609_344);
        let t = pace * 42.195;
        assert!((t - (2.0 * 3600.0 + 59.0 * 60.0 + 11.0)).abs() < 3.0, "{t}");
    }

    #[test]
    fn a_race_already_run_has_no_plan() {
        let p = make(&inputs(
            day(2026, 11, 20),
            day(2026, 11, 15),
            &[(20.0, 30.0)],
        ));
        assert!(p.weeks.is_empty());
        assert!(p.notes[0].contains("no plan"));
    }
}
