//! Ingests a whole set of input folders: discovery, parallel reading (rayon), Strava
//! metadata, duplicate removal, and a full account of every file that was not used.

use crate::dedupe::{dedupe, Duplicate};
use crate::discover::discover;
use crate::error::ReadError;
use crate::ingest::read_path;
use crate::model::Activity;
use crate::strava::StravaIndex;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::PathBuf;

/// A file that could not be used, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub path: PathBuf,
    pub error: ReadError,
}

/// Everything one run over the inputs found.
#[derive(Debug, Default)]
pub struct Batch {
    /// Recorded activities, one per real-world activity, sorted by path.
    pub activities: Vec<Activity>,
    /// Files that are broken or are not activities: each one makes the exit status non-zero.
    pub skipped: Vec<Skipped>,
    /// Valid files with points but no timestamps: planned routes, not training.
    pub routes: Vec<PathBuf>,
    /// Files of other kinds, not looked at further.
    pub ignored: Vec<PathBuf>,
    pub duplicates: Vec<Duplicate>,
    /// Problems with Strava `activities.csv` files (their activities are still read).
    pub metadata_problems: Vec<(PathBuf, String)>,
    pub strava_entries: usize,
}

/// Options for one batch run.
#[derive(Debug, Clone, Copy, Default)]
pub struct BatchOptions {
    /// Show a progress bar (only ever drawn when stderr is a terminal).
    pub progress: bool,
}

/// Reads every activity under `inputs`. One bad file never stops the batch.
pub fn ingest_all(inputs: &[PathBuf], opts: BatchOptions) -> Batch {
    let found = discover(inputs);
    let (strava, metadata_problems) = StravaIndex::load(&found.strava_csvs);
    let bar = progress_bar(found.candidates.len() as u64, opts.progress);
    let results: Vec<(PathBuf, Result<Vec<Activity>, ReadError>)> = found
        .candidates
        .par_iter()
        .map(|c| {
            let r = read_path(&c.path);
            bar.inc(1);
            (c.path.clone(), r)
        })
        .collect();
    bar.finish_and_clear();

    let mut batch = Batch {
        ignored: found.ignored,
        metadata_problems,
        strava_entries: strava.len(),
        ..Batch::default()
    };
    batch.skipped.extend(
        found
            .errors
            .into_iter()
            .map(|(path, error)| Skipped { path, error }),
    );
    let mut acts = Vec::with_capacity(results.len());
    for (path, r) in results {
        match r {
            Ok(parts) => {
                for mut a in parts {
                    if a.is_route() || a.samples.is_empty() {
                        batch.routes.push(a.source.clone());
                    } else {
                        strava.apply(&mut a);
                        acts.push(a);
                    }
                }
            }
            Err(error) => batch.skipped.push(Skipped { path, error }),
        }
    }
    let (acts, dups) = dedupe(acts);
    batch.activities = acts;
    batch.duplicates = dups;
    batch.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    batch.routes.dedup();
    batch
}

fn progress_bar(len: u64, wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} reading {pos}/{len} files {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
}
