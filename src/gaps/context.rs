//! The training block as every rule sees it, computed once: the runs and weeks of the
//! block and of its recent weeks, the long-run length and the prediction.

use super::prediction::{predict, Prediction};
use super::rules::{Plan, Thresholds};
use crate::calendar::week_of;
use crate::history::{RunRow, Week};
use crate::race::{RaceDemands, RaceSpec};

/// Everything the rules judge, borrowed from the analysis' inputs.
pub struct Block<'a> {
    pub spec: &'a RaceSpec,
    pub demands: &'a RaceDemands,
    pub rules: &'a Thresholds,
    /// The profile's numbers.
    pub plan: &'a Plan,
    /// Every activity read (heat and load look beyond the block).
    pub rows: &'a [RunRow],
    /// The runs of the block, and of its last `recent_weeks` weeks.
    pub runs: Vec<&'a RunRow>,
    pub recent: Vec<&'a RunRow>,
    /// The weeks of the block (race week included), and the recent ones before race week.
    pub weeks: Vec<&'a Week>,
    pub recent_weeks: Vec<&'a Week>,
    pub start_day: i64,
    pub race_day: i64,
    pub long_run_m: f64,
    pub prediction: Option<Prediction>,
    /// The goal, else the prediction.
    pub expected_s: Option<f64>,
}

impl<'a> Block<'a> {
    pub fn new(
        spec: &'a RaceSpec,
        demands: &'a RaceDemands,
        rows: &'a [RunRow],
        weeks: &'a [Week],
        rules: &'a Thresholds,
        plan: &'a Plan,
    ) -> Block<'a> {
        let race_day = spec.date_day;
        let start_day = spec.block_start_day();
        let recent_start = race_day - 7 * rules.recent_weeks;
        let runs: Vec<&RunRow> = rows
            .iter()
            .filter(|r| r.is_run && r.day >= start_day && r.day < race_day)
            .collect();
        let recent = runs
            .iter()
            .copied()
            .filter(|r| r.day >= recent_start)
            .collect();
        let recent_weeks = weeks
            .iter()
            .filter(|w| w.week >= week_of(recent_start) && w.week < week_of(race_day))
            .collect();
        let block_weeks = weeks
            .iter()
            .filter(|w| w.week >= week_of(start_day) && w.week <= week_of(race_day))
            .collect();
        let prediction = predict(&runs, demands, spec, rules);
        let expected_s = demands.expected_duration_s(prediction.as_ref().map(|p| p.predicted_s));
        Block {
            spec,
            demands,
            rules,
            plan,
            rows,
            runs,
            recent,
            weeks: block_weeks,
            recent_weeks,
            start_day,
            race_day,
            long_run_m: plan.long_run_m,
            prediction,
            expected_s,
        }
    }

    /// Whether any run of the block has elevation.
    pub fn runs_have_elevation(&self) -> bool {
        self.runs.iter().any(|r| r.stats.ascent_m.is_some())
    }

    /// The largest `f` over the block's runs.
    pub fn best(&self, f: impl Fn(&RunRow) -> f64) -> Option<f64> {
        max_of(&self.runs, f)
    }

    /// The largest `f` over the recent runs.
    pub fn recent_best(&self, f: impl Fn(&RunRow) -> f64) -> Option<f64> {
        max_of(&self.recent, f)
    }
}

fn max_of(runs: &[&RunRow], f: impl Fn(&RunRow) -> f64) -> Option<f64> {
    runs.iter().map(|r| f(r)).reduce(f64::max)
}
