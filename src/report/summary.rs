//! `summary.json` and the `--json` output of `analyze`: the race, its demands, the
//! analysis, what was read and skipped, and every activity.

use crate::batch::Batch;
use crate::gaps::{Analysis, Thresholds};
use crate::history::{RunRow, Week};
use crate::inspect::ActivitySummary;
use crate::race::{RaceDemands, RaceSpec};
use crate::track::ActivityStats;
use crate::units::Units;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Serialize)]
pub struct SkippedRow {
    pub path: String,
    pub kind: &'static str,
    pub reason: String,
}

#[derive(Serialize)]
pub struct DuplicateRow {
    pub kept: String,
    pub dropped: String,
    pub reason: String,
}

/// Files that were not used, in every output.
#[derive(Serialize)]
pub struct InputsSummary {
    pub activities: usize,
    pub skipped: Vec<SkippedRow>,
    pub routes: Vec<String>,
    pub ignored: Vec<String>,
    pub duplicates: Vec<DuplicateRow>,
    pub metadata_problems: Vec<SkippedRow>,
}

impl InputsSummary {
    pub fn of<T>(batch: &Batch<T>, activities: usize) -> InputsSummary {
        InputsSummary {
            activities,
            skipped: batch
                .skipped
                .iter()
                .map(|s| SkippedRow {
                    path: s.path.display().to_string(),
                    kind: s.error.kind(),
                    reason: s.error.to_string(),
                })
                .collect(),
            routes: paths(&batch.routes),
            ignored: paths(&batch.ignored),
            duplicates: batch
                .duplicates
                .iter()
                .map(|d| DuplicateRow {
                    kept: d.kept.display().to_string(),
                    dropped: d.dropped.display().to_string(),
                    reason: d.reason.clone(),
                })
                .collect(),
            metadata_problems: batch
                .metadata_problems
                .iter()
                .map(|(p, why)| SkippedRow {
                    path: p.display().to_string(),
                    kind: "metadata",
                    reason: why.clone(),
                })
                .collect(),
        }
    }
}

/// How this run got its results: printed with `--json`, left out of `summary.json`, which
/// is the same whether the cache was used or not.
#[derive(Serialize)]
pub struct RunStats {
    /// Files whose contents were read in this run (0 on a re-run of an unchanged folder).
    pub files_read: usize,
    /// Files whose outcome came from the cache.
    pub cache_hits: usize,
}

/// `summary.json` and the `--json` output of `analyze`.
#[derive(Serialize)]
pub struct Summary<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<RunStats>,
    pub racegap_version: &'static str,
    /// The units of the text (details, advice); every number here is SI whatever it says.
    pub units: Units,
    pub race: Option<&'a RaceSpec>,
    pub demands: Option<&'a RaceDemands>,
    pub analysis: Option<&'a Analysis>,
    pub thresholds: &'a Thresholds,
    pub inputs: InputsSummary,
    pub weeks: &'a [Week],
    pub activities: Vec<ActivityRow<'a>>,
    /// Without a race: the history by year and month, longest runs and best efforts, as
    /// the terminal and the page show it (its numbers are all in `activities`).
    #[serde(skip)]
    pub history: Option<crate::periods::HistorySummary>,
    /// With a race: past races and builds, own hills, terrain, downhill, heat state and the
    /// plan to race day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coach: Option<&'a crate::coach::Coach>,
}

#[derive(Serialize)]
pub struct ActivityRow<'a> {
    pub path: &'a str,
    #[serde(flatten)]
    pub summary: &'a ActivitySummary,
    /// The metrics, without the elevation profile and kilometre splits (the charts show
    /// them).
    pub metrics: ActivityStats,
    pub counts_as_run: bool,
    pub long_run: bool,
}

impl<'a> Summary<'a> {
    /// The summary of a run: `heads` (label, summary) beside `rows`, in the same order.
    #[allow(clippy::too_many_arguments)]
    pub fn new<T>(
        race: Option<&'a RaceSpec>,
        demands: Option<&'a RaceDemands>,
        analysis: Option<&'a Analysis>,
        thresholds: &'a Thresholds,
        batch: &Batch<T>,
        heads: &'a [(String, ActivitySummary)],
        rows: &'a [RunRow],
        weeks: &'a [Week],
        units: Units,
    ) -> Summary<'a> {
        Summary {
            run: None,
            racegap_version: env!("CARGO_PKG_VERSION"),
            units,
            race,
            demands,
            analysis,
            thresholds,
            inputs: InputsSummary::of(batch, rows.len()),
            weeks,
            history: race.is_none().then(|| crate::periods::summarise(rows)),
            coach: None,
            activities: heads
                .iter()
                .zip(rows)
                .map(|((label, summary), row)| ActivityRow {
                    path: label,
                    summary,
                    metrics: ActivityStats {
                        profile: Vec::new(),
                        gap_splits_s_per_km: Vec::new(),
                        ..row.stats.clone()
                    },
                    counts_as_run: row.is_run,
                    long_run: row.is_long,
                })
                .collect(),
        }
    }

    /// Files skipped or whose metadata was not used: (path, reason).
    pub fn skipped(&self) -> Vec<(String, String)> {
        self.inputs
            .skipped
            .iter()
            .chain(&self.inputs.metadata_problems)
            .map(|s| (s.path.clone(), s.reason.clone()))
            .collect()
    }
}

fn paths(v: &[PathBuf]) -> Vec<String> {
    v.iter().map(|p| p.display().to_string()).collect()
}
