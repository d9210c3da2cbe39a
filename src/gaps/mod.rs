//! Race demands against the training history: one `Gap` per dimension with the measured
//! numbers, a verdict and one sentence of advice. The rulebook (`RULES`) lists the
//! dimensions; each has its own file; `context::Block` is what they all judge.

mod climbs;
mod context;
mod distance;
mod fade;
mod goal_pace;
mod heat;
mod load;
mod long_runs;
mod prediction;
mod realism;
mod rules;
mod time_on_feet;
mod verdict;
mod vertical;

pub use context::Block;
pub use prediction::{predict, Prediction};
pub use rules::Thresholds;
pub use verdict::{Dimension, Unit, Verdict};

use crate::history::{RunRow, Week};
use crate::race::{RaceDemands, RaceSpec};
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
    #[serde(rename = "severity")]
    pub verdict: Verdict,
    /// The numbers in words.
    pub detail: String,
    pub advice: String,
}

impl Gap {
    /// A value of this gap in its unit, as every output (terminal, charts, HTML) shows it.
    pub fn format(&self, v: f64) -> String {
        self.unit.format(v)
    }
}

/// A rule: judges one dimension of the block.
type Rule = fn(&Block) -> Gap;

/// The dimensions, in the order every output lists them.
const RULES: &[Rule] = &[
    distance::judge,
    time_on_feet::judge,
    long_runs::judge,
    climbs::biggest_climb,
    climbs::biggest_descent,
    vertical::climbing,
    vertical::descending,
    goal_pace::volume,
    goal_pace::longest,
    realism::judge,
    heat::judge,
    load::judge,
    fade::judge,
];

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
pub fn judge(
    spec: &RaceSpec,
    demands: &RaceDemands,
    rows: &[RunRow],
    weeks: &[Week],
    t: &Thresholds,
) -> Analysis {
    let block = Block::new(spec, demands, rows, weeks, t);
    let gaps = RULES.iter().map(|rule| rule(&block)).collect();
    Analysis {
        gaps,
        block_start_day: block.start_day,
        race_day: block.race_day,
        long_run_m: block.long_run_m,
        heat_threshold_c: spec.expected_temperature_c.map(|c| t.heat_threshold_c(c)),
        prediction: block.prediction,
    }
}
