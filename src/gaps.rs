//! Race demands against the training history: one `Gap` per dimension with the measured
//! numbers, a severity and one sentence of advice. Every threshold is a field of
//! `Thresholds`, whose defaults cite where they come from.

use crate::calendar::week_of;
use crate::history::{acwr_spikes, daily_distance, RunRow, Week};
use crate::predict::{ely_slowdown_pct, riegel, time_for_vdot, vdot, wbgt_c};
use crate::race::{RaceDemands, RaceSpec};
use crate::units::{hms, km, pace};
use serde::Serialize;

/// How bad a gap is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Short,
    Missing,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Ok => "ok",
            Severity::Short => "short",
            Severity::Missing => "missing",
        }
    }
}

/// One dimension of race specificity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// Stable key (`distance`, `climbing_biggest`, ...).
    pub dimension: &'static str,
    /// What it measures, for people.
    pub title: &'static str,
    /// What the race demands, as a number in `unit`.
    pub demand: f64,
    /// The best value in the training block.
    pub best: Option<f64>,
    /// The value over the recent weeks of the block.
    pub recent: Option<f64>,
    pub unit: &'static str,
    /// best / demand (for risks such as load, how far over the limit).
    pub ratio: Option<f64>,
    pub severity: Severity,
    /// The numbers in words.
    pub detail: String,
    pub advice: String,
}

impl Gap {
    /// A value of this gap in its unit, as every output (terminal, charts, HTML) shows it.
    pub fn format(&self, v: f64) -> String {
        match self.unit {
            "km" => format!("{v:.1} km"),
            "h" => hms(v * 3600.0),
            "m" | "m/week" => format!("{v:.0} m"),
            "%" => format!("{v:+.1} %"),
            "ratio" => format!("{v:.2}"),
            _ => format!("{v:.0}"),
        }
    }
}

/// Every threshold of the gap analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Thresholds {
    /// Long run = `min(share × race distance, cap)` (DESIGN.md, the usual marathon rule).
    pub long_run_share: f64,
    pub long_run_cap_m: f64,
    /// Long runs wanted in the block: marathon plans (Pfitzinger, Daniels) put three to
    /// five runs of 30+ km in the last 16 weeks; three is the floor.
    pub long_runs_needed: u32,
    /// No more than three weeks between long runs (or from the last one to the race).
    pub max_long_run_interval_days: i64,
    /// Longest time on feet wanted: this share of the expected race time ...
    pub time_on_feet_share: f64,
    /// ... capped (coaching practice caps marathon long runs near 3.5 h: beyond that,
    /// recovery costs outweigh the gain).
    pub time_on_feet_cap_s: f64,
    /// Ultras (longer than a marathon): half the expected time, capped at 6 h.
    pub ultra_time_on_feet_share: f64,
    pub ultra_time_on_feet_cap_s: f64,
    /// A ratio at or above `ok_ratio` is ok, at or above `short_ratio` short, else missing.
    pub ok_ratio: f64,
    pub short_ratio: f64,
    /// A training climb (descent) of this share of the course's biggest counts as its size.
    pub climb_share: f64,
    /// Goal-pace running wanted in the block, × race distance (marathon-pace runs of
    /// 8-16 miles most weeks in Pfitzinger's plans add up to well over this).
    pub goal_pace_volume_share: f64,
    /// Longest continuous goal-pace stretch wanted, × race distance.
    pub goal_pace_segment_share: f64,
    /// A goal up to this much faster than the prediction is ambitious but open.
    pub realism_margin: f64,
    /// Best efforts shorter than this are not used for a marathon prediction (1 km
    /// efforts overstate endurance).
    pub prediction_min_effort_m: f64,
    /// Heat acclimation: 10-14 sessions of ≥ 60 min in the heat over 1-2 weeks (Racinais et
    /// al. 2015 consensus), counted over the last 21 days (it decays within weeks).
    pub heat_sessions_needed: u32,
    pub heat_window_days: i64,
    pub heat_session_min_s: f64,
    /// Minutes at or above (race temperature − margin) that make a run a heat session.
    pub heat_session_min_minutes: f64,
    pub heat_margin_c: f64,
    /// Races with a WBGT below this need no heat preparation: Ely et al. 2007 find
    /// marathon times best at WBGT 5-10 °C and only slightly slower at 10-15 °C.
    pub heat_relevant_wbgt_c: f64,
    /// Load spikes: acute:chronic distance ratio above this (DESIGN.md: 1.5).
    pub acwr_spike: f64,
    /// Late fade (last quarter vs first half, grade-adjusted): ok up to, short up to.
    pub fade_ok_pct: f64,
    pub fade_short_pct: f64,
    /// Runs of at least this share of the long-run threshold show fade.
    pub fade_run_share: f64,
    /// "Recent" means the last this many weeks before the race.
    pub recent_weeks: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            long_run_share: crate::history::LONG_RUN_SHARE,
            long_run_cap_m: crate::history::LONG_RUN_CAP_M,
            long_runs_needed: 3,
            max_long_run_interval_days: 21,
            time_on_feet_share: 0.75,
            time_on_feet_cap_s: 3.5 * 3600.0,
            ultra_time_on_feet_share: 0.5,
            ultra_time_on_feet_cap_s: 6.0 * 3600.0,
            ok_ratio: 1.0,
            short_ratio: 0.6,
            climb_share: 0.8,
            goal_pace_volume_share: 1.5,
            goal_pace_segment_share: 0.25,
            realism_margin: 0.05,
            prediction_min_effort_m: 5000.0,
            heat_sessions_needed: 10,
            heat_window_days: 21,
            heat_session_min_s: 3600.0,
            heat_session_min_minutes: 30.0,
            heat_margin_c: 3.0,
            heat_relevant_wbgt_c: 15.0,
            acwr_spike: crate::history::ACWR_SPIKE,
            fade_ok_pct: 3.0,
            fade_short_pct: 8.0,
            fade_run_share: 0.6,
            recent_weeks: 4,
        }
    }
}

impl Thresholds {
    pub fn long_run_m(&self, race_distance_m: f64) -> f64 {
        (self.long_run_share * race_distance_m).min(self.long_run_cap_m)
    }

    fn by_ratio(&self, ratio: f64) -> Severity {
        if ratio >= self.ok_ratio {
            Severity::Ok
        } else if ratio >= self.short_ratio {
            Severity::Short
        } else {
            Severity::Missing
        }
    }

    /// The heat threshold for a race temperature: race temperature − margin.
    pub fn heat_threshold_c(&self, race_temp_c: f64) -> f64 {
        race_temp_c - self.heat_margin_c
    }
}

/// A race-time prediction from the training's best efforts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    pub vdot: f64,
    /// The effort it came from.
    pub effort_distance_m: f64,
    pub effort_time_s: f64,
    pub effort_file: String,
    /// The race's official distance the times are for.
    pub race_distance_m: f64,
    /// Flat-course times for the race distance.
    pub daniels_flat_s: f64,
    pub riegel_flat_s: f64,
    /// Daniels' time carried onto the course by its flat-equivalent distance.
    pub on_course_s: f64,
    /// Slowdown for the race's heat (Ely et al. 2007 by WBGT), when its temperature is known.
    pub heat_pct: Option<f64>,
    /// Slowdown for the course's altitude above the training's (Lara et al. 2014), when
    /// both are known; with the two altitudes, metres.
    pub altitude_pct: Option<f64>,
    pub race_altitude_m: Option<f64>,
    pub training_altitude_m: Option<f64>,
    /// The prediction on this course in its conditions: `on_course_s` slowed by both.
    pub predicted_s: f64,
}

/// Mean elevation of a profile, metres.
fn mean_elevation(profile: &[(f64, f64)]) -> Option<f64> {
    (!profile.is_empty()).then(|| profile.iter().map(|p| p.1).sum::<f64>() / profile.len() as f64)
}

/// The best prediction the block's efforts support (highest VDOT over efforts of at least
/// `min_effort_m`).
pub fn predict(
    block: &[&RunRow],
    demands: &RaceDemands,
    spec: &RaceSpec,
    t: &Thresholds,
) -> Option<Prediction> {
    let mut best: Option<(f64, f64, f64, String)> = None;
    for r in block {
        for e in &r.stats.best_efforts {
            if e.distance_m < t.prediction_min_effort_m || e.time_s <= 0.0 {
                continue;
            }
            let v = vdot(e.distance_m, e.time_s);
            if best.as_ref().is_none_or(|b| v > b.0) {
                best = Some((v, e.distance_m, e.time_s, r.file.clone()));
            }
        }
    }
    let (v, d, time, file) = best?;
    let race_m = demands.race_distance_m;
    let flat = time_for_vdot(v, race_m);
    let on_course = flat * demands.flat_equivalent_m / demands.distance_m.max(1.0);
    let heat_pct = spec
        .expected_temperature_c
        .map(|c| ely_slowdown_pct(wbgt_c(c, spec.humidity_pct.unwrap_or(50.0))));
    let race_altitude_m = mean_elevation(&demands.profile).filter(|_| demands.has_elevation);
    let mut training: Vec<f64> = block
        .iter()
        .filter_map(|r| mean_elevation(&r.stats.profile))
        .collect();
    training.sort_by(f64::total_cmp);
    let training_altitude_m = training.get(training.len() / 2).copied();
    let altitude_pct = race_altitude_m
        .zip(training_altitude_m)
        .map(|(r, tr)| crate::predict::altitude_slowdown_pct(r, tr));
    let predicted = on_course
        * (1.0 + heat_pct.unwrap_or(0.0) / 100.0)
        * (1.0 + altitude_pct.unwrap_or(0.0) / 100.0);
    Some(Prediction {
        vdot: v,
        effort_distance_m: d,
        effort_time_s: time,
        effort_file: file,
        race_distance_m: race_m,
        daniels_flat_s: flat,
        riegel_flat_s: riegel(time, d, race_m),
        on_course_s: on_course,
        heat_pct,
        altitude_pct,
        race_altitude_m,
        training_altitude_m,
        predicted_s: predicted,
    })
}

/// Everything the gap analysis found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub gaps: Vec<Gap>,
    pub prediction: Option<Prediction>,
    pub block_start_day: i64,
    pub race_day: i64,
    pub long_run_m: f64,
    pub heat_threshold_c: Option<f64>,
}

/// Compares the race with the training block.
pub fn analyse(
    spec: &RaceSpec,
    demands: &RaceDemands,
    rows: &[RunRow],
    weeks: &[Week],
    t: &Thresholds,
) -> Analysis {
    let race_day = spec.date_day;
    let block_start = spec.block_start_day();
    let recent_start = race_day - 7 * t.recent_weeks;
    let block: Vec<&RunRow> = rows
        .iter()
        .filter(|r| r.is_run && r.day >= block_start && r.day < race_day)
        .collect();
    let recent: Vec<&RunRow> = block
        .iter()
        .copied()
        .filter(|r| r.day >= recent_start)
        .collect();
    let recent_weeks: Vec<&Week> = weeks
        .iter()
        .filter(|w| w.week >= week_of(recent_start) && w.week < week_of(race_day))
        .collect();
    let max_of = |v: &[&RunRow], f: &dyn Fn(&RunRow) -> f64| -> Option<f64> {
        v.iter().map(|r| f(r)).reduce(f64::max)
    };
    let long_run_m = t.long_run_m(demands.distance_m);
    let prediction = predict(&block, demands, spec, t);
    let expected_s = demands.expected_duration_s(prediction.as_ref().map(|p| p.predicted_s));
    let mut gaps = Vec::new();

    // Distance.
    let best = max_of(&block, &|r| r.distance_m);
    let ratio = best.map(|b| b / long_run_m);
    gaps.push(Gap {
        dimension: "distance",
        title: "Longest run",
        demand: long_run_m / 1000.0,
        best: best.map(|b| b / 1000.0),
        recent: max_of(&recent, &|r| r.distance_m).map(|b| b / 1000.0),
        unit: "km",
        ratio,
        severity: t.by_ratio(ratio.unwrap_or(0.0)),
        detail: format!(
            "longest run {} against a long-run length of {} ({:.0} % of the race's {})",
            best.map(km).unwrap_or_else(|| "none".into()),
            km(long_run_m),
            t.long_run_share * 100.0,
            km(demands.distance_m)
        ),
        advice: if ratio.unwrap_or(0.0) >= t.ok_ratio {
            "Your longest run covers the race's long-run length; keep one more before the taper."
                .into()
        } else {
            format!(
                "Build your long run to at least {} before the taper, adding 2-3 km a week.",
                km(long_run_m)
            )
        },
    });

    // Time on feet.
    let ultra = demands.distance_m > 42_195.0 + 500.0;
    let (share, cap) = if ultra {
        (t.ultra_time_on_feet_share, t.ultra_time_on_feet_cap_s)
    } else {
        (t.time_on_feet_share, t.time_on_feet_cap_s)
    };
    let tof_demand = expected_s.map(|e| (share * e).min(cap));
    let best = max_of(&block, &|r| r.moving_s);
    let ratio = match (best, tof_demand) {
        (Some(b), Some(d)) if d > 0.0 => Some(b / d),
        _ => None,
    };
    gaps.push(Gap {
        dimension: "time_on_feet",
        title: "Time on feet",
        demand: tof_demand.unwrap_or(0.0) / 3600.0,
        best: best.map(|b| b / 3600.0),
        recent: max_of(&recent, &|r| r.moving_s).map(|b| b / 3600.0),
        unit: "h",
        ratio,
        severity: ratio.map(|r| t.by_ratio(r)).unwrap_or(Severity::Missing),
        detail: match (best, expected_s, tof_demand) {
            (Some(b), Some(e), Some(d)) => format!(
                "longest run {} moving; the race should take about {}, so {} on your feet is the target",
                hms(b), hms(e), hms(d)
            ),
            (None, _, _) => "no runs in the block".into(),
            _ => "no goal time and no prediction: expected race duration unknown".into(),
        },
        advice: if ratio.unwrap_or(0.0) >= t.ok_ratio {
            "Your longest run is long enough in time; practise fuelling on it.".into()
        } else {
            format!(
                "Extend your long run to {} of running (slow is fine: time is the stimulus).",
                tof_demand.map(hms).unwrap_or_else(|| "race duration".into())
            )
        },
    });

    // Long-run frequency.
    let mut long_days: Vec<i64> = block
        .iter()
        .filter(|r| r.distance_m >= long_run_m)
        .map(|r| r.day)
        .collect();
    long_days.sort_unstable();
    long_days.dedup();
    let count = long_days.len() as u32;
    let mut marks = vec![block_start];
    marks.extend(&long_days);
    marks.push(race_day);
    let longest_interval = marks.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    let severity =
        if count >= t.long_runs_needed && longest_interval <= t.max_long_run_interval_days {
            Severity::Ok
        } else if count >= 1 {
            Severity::Short
        } else {
            Severity::Missing
        };
    gaps.push(Gap {
        dimension: "long_run_frequency",
        title: "Long runs",
        demand: f64::from(t.long_runs_needed),
        best: Some(f64::from(count)),
        recent: Some(recent.iter().filter(|r| r.distance_m >= long_run_m).count() as f64),
        unit: "runs",
        ratio: Some(f64::from(count) / f64::from(t.long_runs_needed)),
        severity,
        detail: format!(
            "{count} run(s) of {} or more in the block ({} weeks and race week); longest stretch without one: {} days",
            km(long_run_m),
            spec.block_weeks,
            longest_interval
        ),
        advice: if severity == Severity::Ok {
            "Long runs come often enough.".into()
        } else {
            format!(
                "Run at least {} runs of {} or more, no more than {} days apart.",
                t.long_runs_needed,
                km(long_run_m),
                t.max_long_run_interval_days
            )
        },
    });

    // Climbing and descending: the biggest single one, and the weekly volume.
    let climb_rows = |dimension,
                      title,
                      course: f64,
                      best: Option<f64>,
                      recent: Option<f64>,
                      word: &str,
                      advice_big: String| {
        let demand = course * t.climb_share;
        let ratio = best.map(|b| if demand > 0.0 { b / demand } else { 1.0 });
        Gap {
            dimension,
            title,
            demand,
            best,
            recent,
            unit: "m",
            ratio,
            severity: if demand <= 0.0 {
                Severity::Ok
            } else {
                t.by_ratio(ratio.unwrap_or(0.0))
            },
            detail: format!(
                "biggest {word} in training {:.0} m; the course's biggest is {course:.0} m",
                best.unwrap_or(0.0)
            ),
            advice: if demand <= 0.0 || ratio.unwrap_or(0.0) >= t.ok_ratio {
                format!("Your training has {word}s the size of the course's.")
            } else {
                advice_big
            },
        }
    };
    let course_climb = demands.biggest_climb();
    let course_descent = demands.biggest_descent();
    let no_elevation = |mut g: Gap| {
        if !demands.has_elevation {
            g.detail = "the course file has no elevation: climbing not compared".into();
            g.advice = "Use a course file with elevation to compare climbing.".into();
        }
        g
    };
    gaps.push(no_elevation(climb_rows(
        "climbing_biggest",
        "Biggest climb",
        course_climb.map(|c| c.gain_m).unwrap_or(0.0),
        max_of(&block, &|r| r.biggest_climb_m),
        max_of(&recent, &|r| r.biggest_climb_m),
        "climb",
        match course_climb {
            Some(c) => format!(
                "Find a climb of {:.0} m at {:.0} % (or repeat a shorter one without rest) and run it weekly.",
                c.gain_m,
                c.mean_grade * 100.0
            ),
            None => String::new(),
        },
    )));
    gaps.push(no_elevation(climb_rows(
        "descending_biggest",
        "Biggest descent",
        course_descent.map(|c| c.gain_m).unwrap_or(0.0),
        max_of(&block, &|r| r.biggest_descent_m),
        max_of(&recent, &|r| r.biggest_descent_m),
        "descent",
        match course_descent {
            Some(c) => format!(
                "Practise running down {:.0} m at {:.0} %: long descents wreck untrained quads late in a race.",
                c.gain_m,
                -c.mean_grade * 100.0
            ),
            None => String::new(),
        },
    )));
    let vertical = |dimension,
                    title,
                    course: f64,
                    best: Option<f64>,
                    recent: Option<f64>,
                    word: &str| {
        let ratio = best.map(|b| if course > 0.0 { b / course } else { 1.0 });
        Gap {
            dimension,
            title,
            demand: course,
            best,
            recent,
            unit: "m/week",
            ratio,
            severity: if course <= 0.0 { Severity::Ok } else { t.by_ratio(ratio.unwrap_or(0.0)) },
            detail: format!(
                "best week {:.0} m of {word}, recent weeks {:.0} m on average; the course has {course:.0} m",
                best.unwrap_or(0.0),
                recent.unwrap_or(0.0)
            ),
            advice: if course <= 0.0 || ratio.unwrap_or(0.0) >= t.ok_ratio {
                format!("Your weekly {word} matches the course's.")
            } else {
                format!("Work up to weeks with at least the course's {course:.0} m of {word}.")
            },
        }
    };
    let avg = |v: &[&Week], f: &dyn Fn(&Week) -> f64| -> Option<f64> {
        (!v.is_empty()).then(|| v.iter().map(|w| f(w)).sum::<f64>() / v.len() as f64)
    };
    let block_weeks: Vec<&Week> = weeks
        .iter()
        .filter(|w| w.week >= week_of(block_start) && w.week <= week_of(race_day))
        .collect();
    gaps.push(no_elevation(vertical(
        "climbing_weekly",
        "Weekly climbing",
        demands.ascent_m,
        block_weeks.iter().map(|w| w.ascent_m).reduce(f64::max),
        avg(&recent_weeks, &|w| w.ascent_m),
        "climbing",
    )));
    gaps.push(no_elevation(vertical(
        "descending_weekly",
        "Weekly descending",
        demands.descent_m,
        block_weeks.iter().map(|w| w.descent_m).reduce(f64::max),
        avg(&recent_weeks, &|w| w.descent_m),
        "descending",
    )));

    // Goal pace.
    let goal_gap = demands.goal_gap_s_per_km;
    let volume_demand = t.goal_pace_volume_share * demands.distance_m;
    // `+ 0.0`: an empty f64 sum is -0.0, which would print as "-0.0 km".
    let volume: f64 = block.iter().map(|r| r.goal_pace_m).sum::<f64>() + 0.0;
    let recent_volume: f64 = recent.iter().map(|r| r.goal_pace_m).sum::<f64>() + 0.0;
    let ratio = goal_gap.map(|_| volume / volume_demand);
    gaps.push(Gap {
        dimension: "goal_pace_volume",
        title: "Running at goal pace",
        demand: volume_demand / 1000.0,
        best: goal_gap.map(|_| volume / 1000.0),
        recent: goal_gap.map(|_| recent_volume / 1000.0),
        unit: "km",
        ratio,
        severity: ratio.map(|r| t.by_ratio(r)).unwrap_or(Severity::Missing),
        detail: match goal_gap {
            Some(g) => format!(
                "{} at goal pace ({} grade-adjusted) in the block, {} of it in the last {} weeks",
                km(volume),
                pace(g),
                km(recent_volume),
                t.recent_weeks
            ),
            None => "no goal time: goal pace unknown".into(),
        },
        advice: match (goal_gap, ratio) {
            (None, _) => "Set a goal time to measure goal-pace work.".into(),
            (Some(_), Some(r)) if r >= t.ok_ratio => {
                "Enough goal-pace running; keep it in the last weeks.".into()
            }
            (Some(g), _) => format!(
                "Add weekly runs with 8-15 km at {} (grade-adjusted) until the block holds {}.",
                pace(g),
                km(volume_demand)
            ),
        },
    });
    let seg_demand = t.goal_pace_segment_share * demands.distance_m;
    let longest = max_of(&block, &|r| r.longest_goal_pace_m);
    let ratio = goal_gap.and(longest).map(|l| l / seg_demand);
    gaps.push(Gap {
        dimension: "goal_pace_longest",
        title: "Longest goal-pace stretch",
        demand: seg_demand / 1000.0,
        best: goal_gap.and(longest).map(|l| l / 1000.0),
        recent: goal_gap
            .and(max_of(&recent, &|r| r.longest_goal_pace_m))
            .map(|l| l / 1000.0),
        unit: "km",
        ratio,
        severity: ratio.map(|r| t.by_ratio(r)).unwrap_or(Severity::Missing),
        detail: format!(
            "longest continuous stretch at goal pace {}; target {}",
            longest.map(km).unwrap_or_else(|| "none".into()),
            km(seg_demand)
        ),
        advice: if ratio.unwrap_or(0.0) >= t.ok_ratio {
            "You have held goal pace long enough in one go.".into()
        } else {
            format!(
                "Hold goal pace for {} without a break in one of your key runs.",
                km(seg_demand)
            )
        },
    });

    // Goal realism.
    gaps.push(realism_gap(demands, prediction.as_ref(), t));

    // Heat.
    gaps.push(heat_gap(spec, rows, race_day, t));

    // Load.
    let daily = daily_distance(rows);
    let spikes = acwr_spikes(&daily, block_start, race_day);
    let spike_weeks: std::collections::BTreeSet<i64> =
        spikes.iter().map(|(d, _)| week_of(*d)).collect();
    let worst = spikes.iter().map(|(_, r)| *r).reduce(f64::max);
    gaps.push(Gap {
        dimension: "load",
        title: "Load spikes",
        demand: t.acwr_spike,
        best: worst,
        recent: None,
        unit: "ratio",
        ratio: worst.map(|w| w / t.acwr_spike),
        severity: match spike_weeks.len() {
            0 => Severity::Ok,
            1 | 2 => Severity::Short,
            _ => Severity::Missing,
        },
        detail: if spike_weeks.is_empty() {
            format!("the 7-day load never exceeded {:.1}× the 28-day average", t.acwr_spike)
        } else {
            format!(
                "the 7-day load exceeded {:.1}× the 28-day average in {} week(s) (worst {:.2}×)",
                t.acwr_spike,
                spike_weeks.len(),
                worst.unwrap_or(0.0)
            )
        },
        advice: if spike_weeks.is_empty() {
            "Your load builds steadily.".into()
        } else {
            "Raise weekly volume more gradually: jumps of over half again the usual load precede injuries.".into()
        },
    });

    // Late fade.
    let mut fades: Vec<(i64, f64)> = block
        .iter()
        .filter(|r| r.distance_m >= t.fade_run_share * long_run_m)
        .filter_map(|r| r.fade_pct.map(|f| (r.day, f)))
        .collect();
    fades.sort_by_key(|f| f.0);
    let last3: Vec<f64> = fades.iter().rev().take(3).map(|f| f.1).collect();
    let recent_fade = (!last3.is_empty()).then(|| last3.iter().sum::<f64>() / last3.len() as f64);
    let first3: Vec<f64> = fades.iter().take(3).map(|f| f.1).collect();
    let early_fade = (!first3.is_empty()).then(|| first3.iter().sum::<f64>() / first3.len() as f64);
    gaps.push(Gap {
        dimension: "late_fade",
        title: "Late fade in long runs",
        demand: t.fade_ok_pct,
        best: fades.iter().map(|f| f.1).reduce(f64::min),
        recent: recent_fade,
        unit: "%",
        ratio: recent_fade.map(|f| f / t.fade_ok_pct),
        severity: match recent_fade {
            None => Severity::Missing,
            Some(f) if f <= t.fade_ok_pct => Severity::Ok,
            Some(f) if f <= t.fade_short_pct => Severity::Short,
            Some(_) => Severity::Missing,
        },
        detail: match (recent_fade, early_fade) {
            (Some(r), Some(e)) => format!(
                "last quarter {r:+.1} % slower than the first half (grade-adjusted) over your last long runs, {e:+.1} % at the start of the block"
            ),
            _ => "no long runs to measure fade on".into(),
        },
        advice: match recent_fade {
            Some(f) if f <= t.fade_ok_pct => "You hold pace to the end of long runs.".into(),
            _ => "Finish long runs with the last 20-30 minutes at goal pace, and practise race fuelling on them.".into(),
        },
    });

    Analysis {
        gaps,
        prediction,
        block_start_day: block_start,
        race_day,
        long_run_m,
        heat_threshold_c: spec.expected_temperature_c.map(|c| t.heat_threshold_c(c)),
    }
}

/// ", 3:52:10 with the heat (+4.5 %) and altitude (+0.0 %)", each slowdown named when known.
fn conditions_text(p: &Prediction) -> String {
    let mut parts = Vec::new();
    if let Some(h) = p.heat_pct {
        parts.push(format!("the heat (+{h:.1} %)"));
    }
    match (p.altitude_pct, p.race_altitude_m, p.training_altitude_m) {
        (Some(a), Some(r), Some(tr)) => parts.push(format!(
            "altitude (+{a:.1} %: the course at {r:.0} m, your runs at {tr:.0} m)"
        )),
        (_, Some(r), None) => parts.push(format!(
            "altitude unknown (the course at {r:.0} m, your runs without elevation)"
        )),
        _ => {}
    }
    if parts.is_empty() {
        return String::new();
    }
    format!(", {} with {}", hms(p.predicted_s), parts.join(" and "))
}

fn realism_gap(demands: &RaceDemands, p: Option<&Prediction>, t: &Thresholds) -> Gap {
    let goal = demands.goal_time_s;
    let ratio = match (goal, p) {
        (Some(g), Some(p)) => Some(g / p.predicted_s),
        _ => None,
    };
    let severity = match ratio {
        Some(r) if r >= 1.0 => Severity::Ok,
        Some(r) if r >= 1.0 - t.realism_margin => Severity::Short,
        _ => Severity::Missing,
    };
    let detail = match p {
        Some(p) => format!(
            "best effort {} in {} (VDOT {:.1}) predicts {} for {} on a flat course (Riegel: {}), {} on this course{}",
            km(p.effort_distance_m),
            hms(p.effort_time_s),
            p.vdot,
            hms(p.daniels_flat_s),
            km(p.race_distance_m),
            hms(p.riegel_flat_s),
            hms(p.on_course_s),
            conditions_text(p)
        ),
        None => "no effort of 5 km or more in the block to predict from".into(),
    };
    let advice = match (goal, p, severity) {
        (None, Some(p), _) => format!(
            "Your training supports about {} on this course.",
            hms(p.predicted_s)
        ),
        (_, None, _) => "Race a 10 km or half marathon in the block to test your goal.".into(),
        (Some(_), Some(_), Severity::Ok) => "Your training supports the goal.".into(),
        (Some(_), Some(p), _) => format!(
            "The goal is faster than your training supports; {} is realistic on this course.",
            hms(p.predicted_s)
        ),
    };
    Gap {
        dimension: "goal_realism",
        title: "Goal realism",
        demand: goal.unwrap_or(0.0) / 3600.0,
        best: p.map(|p| p.predicted_s / 3600.0),
        recent: None,
        unit: "h",
        ratio,
        severity,
        detail,
        advice,
    }
}

fn heat_gap(spec: &RaceSpec, rows: &[RunRow], race_day: i64, t: &Thresholds) -> Gap {
    let Some(temp) = spec.expected_temperature_c else {
        return Gap {
            dimension: "heat",
            title: "Heat acclimation",
            demand: 0.0,
            best: None,
            recent: None,
            unit: "sessions",
            ratio: None,
            severity: Severity::Ok,
            detail: "no race temperature given".into(),
            advice: "Set expected_temperature_c to check heat preparation.".into(),
        };
    };
    let wbgt = wbgt_c(temp, spec.humidity_pct.unwrap_or(50.0));
    let threshold = t.heat_threshold_c(temp);
    let sessions = |from: i64| -> usize {
        rows.iter()
            .filter(|r| r.is_run && r.day >= from && r.day < race_day)
            .filter(|r| {
                r.moving_s >= t.heat_session_min_s && r.heat_minutes >= t.heat_session_min_minutes
            })
            .count()
    };
    let recent = sessions(race_day - t.heat_window_days);
    let block = sessions(spec.block_start_day());
    let with_sensor = rows
        .iter()
        .filter(|r| {
            r.is_run && r.mean_temp_c.is_some() && r.day < race_day && r.day >= race_day - 60
        })
        .count();
    let recent_temps: Vec<f64> = rows
        .iter()
        .filter(|r| r.is_run && r.day < race_day && r.day >= race_day - 60)
        .filter_map(|r| r.max_temp_c)
        .collect();
    let recent_mean_max = (!recent_temps.is_empty())
        .then(|| recent_temps.iter().sum::<f64>() / recent_temps.len() as f64);
    let slowdown = ely_slowdown_pct(wbgt);
    let relevant = wbgt >= t.heat_relevant_wbgt_c;
    let ratio = recent as f64 / f64::from(t.heat_sessions_needed);
    let severity = if !relevant || ratio >= 1.0 {
        Severity::Ok
    } else if recent >= 4 {
        Severity::Short
    } else {
        Severity::Missing
    };
    Gap {
        dimension: "heat",
        title: "Heat acclimation",
        demand: f64::from(t.heat_sessions_needed),
        best: Some(block as f64),
        recent: Some(recent as f64),
        unit: "sessions",
        ratio: Some(ratio),
        severity,
        detail: format!(
            "race {temp:.0} °C (WBGT {wbgt:.1} °C: expect at least {slowdown:.1} % slower than in the cool); {recent} run(s) of 60+ min with 30+ min at {threshold:.0} °C or more in the last {} days ({block} in the block){}{}",
            t.heat_window_days,
            match recent_mean_max {
                Some(m) => format!("; your runs of the last 60 days peaked at {m:.0} °C on average"),
                None => String::new(),
            },
            if with_sensor == 0 { "; no temperature sensor data" } else { "" }
        ),
        advice: if !relevant {
            "The race is cool: no heat preparation needed.".into()
        } else if ratio >= 1.0 {
            "You are heat-acclimated; keep some heat exposure until race week.".into()
        } else {
            format!(
                "In the last 2-3 weeks, do {} runs of 60-90 min in the heat (midday, extra layers or a heat chamber).",
                t.heat_sessions_needed
            )
        },
    }
}
