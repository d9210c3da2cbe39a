//! Race demands against the training history: one `Gap` per dimension with the measured
//! numbers, a verdict and one sentence of advice. The rulebook (`RULES`) lists the
//! dimensions; each has its own file; `context::Block` is what they all judge.

mod back_to_back;
mod climbs;
pub(crate) mod context;
mod distance;
mod fade;
mod goal_pace;
mod heat;
mod load;
mod long_run_climbing;
mod long_runs;
mod pace_model;
mod prediction;
mod priority;
pub mod profile;
mod race_pace;
mod realism;
mod rules;
mod session_vertical;
mod time_on_feet;
mod verdict;
mod vertical;
mod warnings;

pub use context::Block;
pub use pace_model::{course_bands, GradeModel};
pub use prediction::{predict, Prediction};
pub use priority::{fix_first, table_order, weight, FIX_FIRST_MAX};
pub use profile::{DistanceClass, RaceProfile, Terrain};
pub use rules::{Plan, Thresholds};
pub use verdict::{Dimension, Unit, Verdict};

use crate::history::{RunRow, Week};
use crate::race::{RaceDemands, RaceSpec, Segment};
use serde::Serialize;

/// One dimension of race specificity, judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    pub dimension: Dimension,
    /// What it measures, for people.
    pub title: &'static str,
    /// What the race demands, as a number in `unit`.
    pub demand: f64,
    /// The best value in the training block.
    pub best: Option<f64>,
    /// The value over the recent weeks of the block.
    pub recent: Option<f64>,
    pub unit: Unit,
    /// best / demand (for risks such as load, how far over the limit).
    pub ratio: Option<f64>,
    pub verdict: Verdict,
    /// The numbers in words.
    pub detail: String,
    pub advice: String,
    /// The block's run that holds the best value, where one run does: the one to repeat
    /// and build on.
    pub best_run: Option<RunRef>,
}

/// A run of the history, as people find it again: its date and file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunRef {
    /// `YYYY-MM-DD`, local.
    pub date: String,
    pub file: String,
}

impl RunRef {
    /// The file's own name, without its folders (or the archive holding it).
    pub fn file_name(&self) -> &str {
        crate::history::file_name(&self.file)
    }

    pub fn of(r: &RunRow) -> RunRef {
        RunRef {
            date: crate::calendar::format_day(r.day),
            file: r.file.clone(),
        }
    }
}

impl Gap {
    /// A row judged by best / demand: ok from `ok_ratio`, short from `short_ratio`, missing
    /// below or without a best; a demand of zero is met by anything. The detail and advice
    /// are the rule's to fill.
    pub fn by_ratio(
        dimension: Dimension,
        demand: f64,
        best: Option<f64>,
        recent: Option<f64>,
        t: &Thresholds,
    ) -> Gap {
        let ratio = best.map(|v| if demand > 0.0 { v / demand } else { 1.0 });
        Gap {
            dimension,
            title: dimension.title(),
            demand,
            best,
            recent,
            unit: dimension.unit(),
            ratio,
            verdict: ratio.map_or(Verdict::Missing, |r| t.by_ratio(r)),
            detail: String::new(),
            advice: String::new(),
            best_run: None,
        }
    }

    /// A value of this gap in its unit, as every output (terminal, charts, HTML) shows it.
    pub fn format(&self, v: f64, u: crate::units::Units) -> String {
        self.unit.format(v, u)
    }
}

/// A rule: judges one dimension of the block.
type Rule = fn(&Block) -> Gap;

/// The rulebook: every dimension with its rule, in the order every output lists them.
const RULES: &[(Dimension, Rule)] = &[
    (Dimension::Distance, distance::judge),
    (Dimension::TimeOnFeet, time_on_feet::judge),
    (Dimension::LongRunFrequency, long_runs::judge),
    (Dimension::BackToBack, back_to_back::judge),
    (Dimension::ClimbingBiggest, climbs::biggest_climb),
    (Dimension::DescendingBiggest, climbs::biggest_descent),
    (Dimension::ClimbingWeekly, vertical::climbing),
    (Dimension::DescendingWeekly, vertical::descending),
    (Dimension::LongRunClimbing, long_run_climbing::judge),
    (Dimension::SessionClimbing, session_vertical::climbing),
    (Dimension::SessionDescending, session_vertical::descending),
    (Dimension::GoalPaceOrFaster, race_pace::judge),
    (Dimension::GoalPaceVolume, goal_pace::volume),
    (Dimension::GoalPaceLongest, goal_pace::longest),
    (Dimension::GoalRealism, realism::judge),
    (Dimension::Heat, heat::judge),
    (Dimension::Load, load::judge),
    (Dimension::LateFade, fade::judge),
];

/// Why a dimension is not for a race of this plan, or `None` when it applies; the words
/// in `u`.
pub fn not_for(
    d: Dimension,
    plan: &Plan,
    demands: &RaceDemands,
    t: &Thresholds,
    u: crate::units::Units,
) -> Option<String> {
    let p = &plan.profile;
    let short_race = matches!(p.distance, DistanceClass::FiveK | DistanceClass::TenK);
    let off_road = p.terrain.off_road();
    let small = |biggest: Option<f64>| {
        demands.has_elevation && biggest.unwrap_or(0.0) < t.min_course_climb_m
    };
    let why = match d {
        // A trail 5 or 10 km has no time-on-feet row: its long run is measured by distance.
        Dimension::Distance if off_road && plan.time_on_feet.is_some() => {
            "off road, a long run is measured in time (time on feet), not distance"
        }
        Dimension::TimeOnFeet if plan.time_on_feet.is_none() => {
            "a 5 or 10 km is prepared by the long run's distance, not its time"
        }
        Dimension::BackToBack if p.distance != DistanceClass::Ultra => "for ultras",
        Dimension::ClimbingBiggest if small(demands.biggest_climb().map(|c| c.gain_m)) => {
            return Some(format!(
                "the course has no climb of {} or more",
                u.height(t.min_course_climb_m)
            ));
        }
        Dimension::DescendingBiggest if small(demands.biggest_descent().map(|c| c.gain_m)) => {
            return Some(format!(
                "the course has no descent of {} or more",
                u.height(t.min_course_climb_m)
            ));
        }
        Dimension::ClimbingWeekly | Dimension::DescendingWeekly if p.terrain == Terrain::Road => {
            return Some(format!(
                "a road course climbing under {}",
                u.climb_rate(profile::HILLY_ROAD_M_PER_KM)
            ));
        }
        Dimension::LongRunClimbing | Dimension::SessionClimbing | Dimension::SessionDescending
            if !off_road =>
        {
            "for trail and mountain races"
        }
        Dimension::GoalPaceOrFaster if !short_race || off_road => "for 5 and 10 km road races",
        Dimension::GoalPaceVolume if short_race => {
            "a 5 or 10 km is trained at race pace and faster (the row above)"
        }
        Dimension::GoalPaceVolume | Dimension::GoalPaceLongest if off_road => {
            "off road, pace is set by the ground: effort, not goal pace, is what to train"
        }
        Dimension::LateFade if short_race => {
            "a 5 or 10 km has no late fade to rehearse in long runs"
        }
        _ => return None,
    };
    Some(why.to_string())
}

/// The row of a dimension that is not for this race.
fn not_for_this_race(d: Dimension, why: String) -> Gap {
    Gap {
        dimension: d,
        title: d.title(),
        demand: 0.0,
        best: None,
        recent: None,
        unit: d.unit(),
        ratio: None,
        verdict: Verdict::NotForThisRace,
        detail: why,
        advice: String::new(),
        best_run: None,
    }
}

/// Everything the gap analysis found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// The race's profile and the numbers it sets.
    pub plan: Plan,
    pub gaps: Vec<Gap>,
    /// The dimensions that fall short, most important for this race first (`fix_first`).
    pub fix_first: Vec<Dimension>,
    /// The predicted time that judges the goal on this course in its conditions, and how
    /// it was made: `vdot` (road up to the marathon) or `grade_model` (off road, ultras).
    pub predicted_s: Option<f64>,
    pub predicted_by: &'static str,
    /// The VDOT prediction (on the road it judges the goal; elsewhere a cross-check).
    pub prediction: Option<Prediction>,
    /// The runner's pace by grade carried over the course.
    pub grade_model: GradeModel,
    /// Per-km target paces for the goal (else the prediction) from the runner's own pace
    /// by grade; empty when the history cannot support them.
    pub targets: Vec<Segment>,
    pub block_start_day: i64,
    pub race_day: i64,
    pub long_run_m: f64,
    /// Off road: a run this long in time is also a long run.
    pub long_run_s: Option<f64>,
    pub heat_threshold_c: Option<f64>,
    /// What limits the verdicts: an empty or thin block, a history that ends early.
    pub warnings: Vec<String>,
}

impl Analysis {
    /// Whether dimension `d` is judged for this race at all (not "not for this race").
    pub fn applies(&self, d: Dimension) -> bool {
        self.gaps
            .iter()
            .any(|g| g.dimension == d && g.verdict != Verdict::NotForThisRace)
    }

    /// The rows of `fix_first`, in its order.
    pub fn fix_first_rows(&self) -> Vec<&Gap> {
        self.fix_first
            .iter()
            .filter_map(|d| self.gaps.iter().find(|g| g.dimension == *d))
            .collect()
    }
}

/// Compares the race with the training block; `today` (days since 1970-01-01) tells a
/// race still ahead.
pub fn judge(
    spec: &RaceSpec,
    demands: &RaceDemands,
    plan: &Plan,
    rows: &[RunRow],
    weeks: &[Week],
    t: &Thresholds,
    today: i64,
) -> Analysis {
    let block = Block::new(spec, demands, rows, weeks, t, plan);
    let predicted_by = if realism::uses_grade_model(&block) {
        "grade_model"
    } else {
        "vdot"
    };
    let (mut gaps, mut not_applicable) = (Vec::new(), Vec::new());
    for &(d, rule) in RULES {
        match not_for(d, plan, demands, t, block.units) {
            Some(why) => not_applicable.push(not_for_this_race(d, why)),
            None => gaps.push(rule(&block)),
        }
    }
    gaps.extend(not_applicable);
    Analysis {
        plan: plan.clone(),
        fix_first: fix_first(&gaps, &plan.profile)
            .iter()
            .map(|g| g.dimension)
            .collect(),
        gaps,
        block_start_day: block.start_day,
        race_day: block.race_day,
        long_run_m: block.long_run_m,
        long_run_s: block.long_run_s,
        heat_threshold_c: spec.expected_temperature_c.map(|c| t.heat_threshold_c(c)),
        warnings: warnings::of_block(&block, today),
        targets: match demands.goal_time_s.or(block.expected_s) {
            Some(finish) if block.grade_model.predicted_s.is_some() => {
                pace_model::targets(&block.grade_model, demands, finish)
            }
            _ => Vec::new(),
        },
        grade_model: block.grade_model,
        predicted_s: block.predicted_s,
        predicted_by,
        prediction: block.prediction,
    }
}
