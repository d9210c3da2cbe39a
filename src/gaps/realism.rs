//! Goal realism: the goal time against the prediction on this course in its conditions.

use super::context::Block;
use super::prediction::Prediction;
use super::profile::DistanceClass;
use super::verdict::{Dimension, Unit, Verdict};
use super::Gap;
use crate::race::record_time_s;
use crate::units::{hms, Units};

/// ", 3:52:10 with the heat (+4.5 %) and altitude (+0.0 %)", each slowdown named when known.
fn conditions_text(p: &Prediction, u: Units) -> String {
    let mut parts = Vec::new();
    if let Some(h) = p.heat_pct {
        parts.push(format!("the heat (+{h:.1} %)"));
    }
    match (p.altitude_pct, p.race_altitude_m, p.training_altitude_m) {
        (Some(a), Some(r), Some(tr)) => parts.push(format!(
            "altitude (+{a:.1} %: the course at {}, your runs at {})",
            u.height(r),
            u.height(tr)
        )),
        (_, Some(r), None) => parts.push(format!(
            "altitude unknown (the course at {}, your runs without elevation)",
            u.height(r)
        )),
        _ => {}
    }
    if parts.is_empty() {
        return String::new();
    }
    format!(", {} with {}", hms(p.predicted_s), parts.join(" and "))
}

/// Which prediction judges the goal: the runner's own running on the course's grades for
/// trail, mountain and ultra races, where a road effort says little; VDOT on the road.
pub fn uses_grade_model(b: &Block) -> bool {
    b.plan.profile.terrain.off_road() || b.plan.profile.distance == DistanceClass::Ultra
}

/// The grade model's prediction, no faster than the record level of the course's
/// flat-equivalent distance (`race::record_time_s`): (time, capped).
pub fn grade_prediction(b: &Block) -> Option<(f64, bool)> {
    let p = b.grade_model.predicted_s?;
    let record = record_level_s(b);
    Some(if p < record {
        (record, true)
    } else {
        (p, false)
    })
}

/// Road-record level over the course's flat-equivalent distance.
pub fn record_level_s(b: &Block) -> f64 {
    let d = b.demands;
    let scale = d.official_scale();
    record_time_s(d.flat_equivalent_m * scale)
}

/// "your own running on the course's grades (12 runs) gives 3:41:00 (3:30:00 to 3:55:00)".
fn grade_text(b: &Block) -> String {
    let m = &b.grade_model;
    match (m.predicted_s, m.fast_s, m.slow_s) {
        (Some(p), Some(f), Some(s)) => format!(
            "your own pace on the course's grades ({} run(s)), at the level of {}, gives {} ({} to {}){}",
            m.runs,
            m.level,
            hms(p),
            hms(f),
            hms(s),
            if grade_prediction(b).is_some_and(|g| g.1) {
                format!(", faster than the road records allow here: {} is the floor", hms(record_level_s(b)))
            } else {
                String::new()
            }
        ),
        _ => m
            .why_not
            .clone()
            .unwrap_or_else(|| "no prediction from your running on the course's grades".into()),
    }
}

fn vdot_text(p: &Prediction, u: Units) -> String {
    format!(
        "best effort {} in {} (VDOT {:.1}) predicts {} for {} on a flat course (Riegel: {}), {} on this course{}",
        u.distance(p.effort_distance_m),
        hms(p.effort_time_s),
        p.vdot,
        hms(p.daniels_flat_s),
        u.distance(p.race_distance_m),
        hms(p.riegel_flat_s),
        hms(p.on_course_s),
        conditions_text(p, u)
    )
}

/// The prediction that judges the goal, and the detail.
fn primary(b: &Block) -> (Option<f64>, String) {
    if uses_grade_model(b) {
        let cross = match &b.prediction {
            Some(p) => format!(
                "; road cross-check (VDOT {:.1}): {}, not used off road or beyond a marathon",
                p.vdot,
                hms(p.predicted_s)
            ),
            None => String::new(),
        };
        (
            grade_prediction(b).map(|g| g.0),
            format!("{}{cross}", grade_text(b)),
        )
    } else {
        match &b.prediction {
            Some(p) => (Some(p.predicted_s), vdot_text(p, b.units)),
            None => (
                None,
                "no effort of 5 km or more in the block to predict from".into(),
            ),
        }
    }
}

pub fn judge(b: &Block) -> Gap {
    let t = b.rules;
    let goal = b.demands.goal_time_s;
    let (predicted, detail) = primary(b);
    let ratio = goal.zip(predicted).map(|(g, p)| g / p);
    let verdict = match ratio {
        Some(r) if r >= 1.0 => Verdict::Ok,
        Some(r) if r >= 1.0 - t.realism_margin => Verdict::Short,
        Some(_) => Verdict::Missing,
        // No goal to judge, or nothing to predict from.
        None => Verdict::Unknown,
    };
    let advice = match (goal, predicted, verdict) {
        (None, Some(p), _) => format!("Your training supports about {} on this course.", hms(p)),
        (_, None, _) if uses_grade_model(b) => {
            "Run on ground like the course's (its grades, its length in time) so your running can predict it; until then, judge the goal by the race's past results.".into()
        }
        (_, None, _) => "Race a 10 km or half marathon in the block to test your goal.".into(),
        (Some(_), Some(_), Verdict::Ok) => "Your training supports the goal.".into(),
        (Some(_), Some(p), _) => format!(
            "The goal is faster than your training supports; {} is realistic on this course.",
            hms(p)
        ),
    };
    Gap {
        dimension: Dimension::GoalRealism,
        title: Dimension::GoalRealism.title(),
        demand: goal.unwrap_or(0.0) / 3600.0,
        best: predicted.map(|p| p / 3600.0),
        recent: None,
        unit: Unit::Hours,
        ratio,
        verdict,
        detail,
        advice,
        best_run: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gaps::context::fixture::{course, run, Fixture};
    use crate::track::pace::BestEffort;

    fn with_10k(goal_s: f64) -> Gap {
        let mut r = run(-20, 12.0, 1.0);
        r.stats.best_efforts.push(BestEffort {
            distance_m: 10_000.0,
            time_s: 42.0 * 60.0,
            start_m: 0.0,
        });
        let f = Fixture::new(&course(42.195, None), Some(&hms(goal_s)), vec![r]);
        judge(&f.block())
    }

    #[test]
    fn the_goal_against_daniels_prediction() {
        // A 42:00 10 km: Daniels' formula gives about 3:13:40 for the marathon (within
        // 1 % of his tables: predict.rs tests).
        let p = with_10k(12_600.0).best.unwrap() * 3600.0;
        assert!(
            (p - (3.0 * 3600.0 + 13.0 * 60.0 + 41.0)).abs() < 90.0,
            "{p}"
        );
        assert_eq!(with_10k(p * 1.001).verdict, Verdict::Ok);
        // Up to 5 % faster than the prediction: short; beyond: missing.
        assert_eq!(with_10k(p * 0.97).verdict, Verdict::Short);
        assert_eq!(with_10k(p * 0.94).verdict, Verdict::Missing);
        // No effort to predict from: unknown.
        let f = Fixture::new(
            &course(42.195, None),
            Some("3:15:00"),
            vec![run(-20, 12.0, 1.0)],
        );
        assert_eq!(judge(&f.block()).verdict, Verdict::Unknown);
    }

    #[test]
    fn no_prediction_is_faster_than_the_road_records_allow() {
        let f = Fixture::new(&course(42.195, Some(300.0)), Some("3:00:00"), vec![]);
        let mut b = f.block();
        let record = record_level_s(&b);
        // The marathon record (2:00:35) over a course a little longer than flat.
        assert!(record > 7_235.0 && record < 7_235.0 * 1.1, "{record}");
        b.grade_model.predicted_s = Some(6_000.0);
        assert_eq!(grade_prediction(&b), Some((record, true)));
        b.grade_model.predicted_s = Some(12_000.0);
        assert_eq!(grade_prediction(&b), Some((12_000.0, false)));
    }
}
