//! Goal realism: the goal time against the prediction on this course in its conditions.

use super::context::Block;
use super::prediction::Prediction;
use super::verdict::{Dimension, Unit, Verdict};
use super::Gap;
use crate::units::{hms, km};

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

pub fn judge(b: &Block) -> Gap {
    let (demands, p, t) = (b.demands, b.prediction.as_ref(), b.rules);
    let goal = demands.goal_time_s;
    let ratio = match (goal, p) {
        (Some(g), Some(p)) => Some(g / p.predicted_s),
        _ => None,
    };
    let verdict = match ratio {
        Some(r) if r >= 1.0 => Verdict::Ok,
        Some(r) if r >= 1.0 - t.realism_margin => Verdict::Short,
        Some(_) => Verdict::Missing,
        // No goal to judge, or nothing to predict from.
        None => Verdict::Unknown,
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
    let advice = match (goal, p, verdict) {
        (None, Some(p), _) => format!(
            "Your training supports about {} on this course.",
            hms(p.predicted_s)
        ),
        (_, None, _) => "Race a 10 km or half marathon in the block to test your goal.".into(),
        (Some(_), Some(_), Verdict::Ok) => "Your training supports the goal.".into(),
        (Some(_), Some(p), _) => format!(
            "The goal is faster than your training supports; {} is realistic on this course.",
            hms(p.predicted_s)
        ),
    };
    Gap {
        dimension: Dimension::GoalRealism,
        title: Dimension::GoalRealism.title(),
        demand: goal.unwrap_or(0.0) / 3600.0,
        best: p.map(|p| p.predicted_s / 3600.0),
        recent: None,
        unit: Unit::Hours,
        ratio,
        verdict,
        detail,
        advice,
    }
}
