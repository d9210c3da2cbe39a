//! Ingests a whole set of input folders: discovery, parallel reading (rayon), export
//! archives read in place (`exports`), the services'
//! metadata, the caller's per-activity processing, duplicate removal, the incremental
//! cache, and a full account of every file that was not used. Each activity's samples are
//! dropped as soon as the caller has turned them into its result, so memory grows with the
//! number of activities only by the results' size.

use crate::cache::{self, Cache, Outcome};
use crate::dedupe::{duplicates, Duplicate, Light};
use crate::discover::discover_with;
use crate::error::ReadError;
use crate::export_meta::ExportIndex;
use crate::ingest::read_path;
use crate::model::Activity;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::IsTerminal;
use std::path::PathBuf;

/// A file that could not be used, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub path: PathBuf,
    pub error: ReadError,
}

/// Everything one run over the inputs found.
#[derive(Debug)]
pub struct Batch<T> {
    /// One entry per real-world activity, sorted by path: its key and the caller's result.
    pub items: Vec<(Light, T)>,
    /// Files that are broken or are not activities: each one makes the exit status non-zero.
    pub skipped: Vec<Skipped>,
    /// Valid files with points but no timestamps: planned routes, not training.
    pub routes: Vec<PathBuf>,
    /// Files of other kinds, not looked at further.
    pub ignored: Vec<PathBuf>,
    pub duplicates: Vec<Duplicate>,
    /// Problems with Strava `activities.csv` files (their activities are still read).
    pub metadata_problems: Vec<(PathBuf, String)>,
    pub metadata_entries: usize,
    /// Files whose contents were read in this run (0 on a re-run over an unchanged folder).
    pub files_read: usize,
    /// Files whose outcome came from the cache.
    pub cache_hits: usize,
    /// Why the cache on disk was not used, if it was not.
    pub cache_note: Option<String>,
}

/// Options for one batch run.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// Show a progress bar (only ever drawn when stderr is a terminal).
    pub progress: bool,
    /// Where the cache lives; `None` disables it.
    pub cache_dir: Option<PathBuf>,
    /// Names everything the caller's result depends on besides the file itself.
    pub cache_tag: String,
}

/// Reads every activity under `inputs`, turning each into `process(&activity)` in parallel.
/// One bad file never stops the batch.
pub fn ingest_all<T, F>(inputs: &[PathBuf], opts: &BatchOptions, process: F) -> Batch<T>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned,
    F: Fn(&Activity) -> T + Sync,
{
    let mut cache: Cache<T> = match &opts.cache_dir {
        Some(dir) => Cache::open(dir, &cache_name(inputs), &opts.cache_tag),
        None => Cache::disabled(),
    };
    let mut found = discover_with(inputs, &|p, m| cache.has(p, m));
    // Strava metadata renames and re-types activities: when an activities.csv changed,
    // nothing cached can be trusted.
    let stamp = metadata_stamp(&found.metadata_files);
    if cache.context() != stamp {
        if found.candidates.iter().any(|c| c.cached) {
            cache.clear();
            found = discover_with(inputs, &|_, _| false);
        }
        cache.set_context(stamp);
    }
    ingest_found(found, cache, opts, process)
}

/// A cache file per set of inputs, so different folders keep separate caches. A folder
/// written another way (`./acts/` for `acts`) or given twice is the same set.
fn cache_name(inputs: &[PathBuf]) -> String {
    let mut keys: Vec<String> = inputs
        .iter()
        .map(|p| {
            let normal: PathBuf = cache::key(p).components().collect();
            normal.display().to_string()
        })
        .collect();
    keys.sort();
    keys.dedup();
    format!("inputs-{:016x}", cache::Fnv::of(keys.join("\n").as_bytes()))
}

fn metadata_stamp(csvs: &[PathBuf]) -> String {
    csvs.iter()
        .filter_map(|p| std::fs::metadata(p).ok().map(|m| (p, cache::stamp(&m))))
        .map(|(p, (size, mtime))| format!("{}:{size}:{mtime}", p.display()))
        .collect::<Vec<_>>()
        .join(",")
}

fn ingest_found<T, F>(
    found: crate::discover::Discovered,
    mut cache: Cache<T>,
    opts: &BatchOptions,
    process: F,
) -> Batch<T>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned,
    F: Fn(&Activity) -> T + Sync,
{
    let uncached = found.candidates.iter().filter(|c| !c.cached).count();
    if uncached > 0 {
        crate::ingest::zone::prepare();
    }
    // Strava metadata is only needed (and read) when some file must be read.
    let (strava, metadata_problems) = if uncached > 0 {
        ExportIndex::load(&found.metadata_files)
    } else {
        (ExportIndex::default(), Vec::new())
    };
    let bar = progress_bar(found.candidates.len() as u64, opts.progress);
    // Each outcome with the stamp its file had before it was read, if the file still had
    // that stamp afterwards: a file that changed while being read (a sync finishing) is
    // used as read but not cached, so the next run reads it again.
    let outcomes: Vec<(PathBuf, Outcome<T>, bool, Option<std::fs::Metadata>)> = found
        .candidates
        .par_iter()
        .map(|c| {
            // Discovery matched a cached file's stamp already: it is not asked again.
            let hit = if c.cached {
                cache.get_discovered(&c.path)
            } else {
                None
            };
            let r = match hit {
                Some(o) => (c.path.clone(), o, true, None),
                None => {
                    let meta = std::fs::metadata(&c.path).ok();
                    let outcome = if c.archive {
                        crate::exports::read_archive(&c.path, &strava, &process)
                    } else if c.health {
                        crate::exports::read_health_folder(&c.path, &process)
                    } else {
                        crate::exports::outcome_of(read_path(&c.path), &strava, &process)
                    };
                    let after = std::fs::metadata(&c.path).ok();
                    let same = match (&meta, &after) {
                        (Some(b), Some(a)) => cache::stamp(b) == cache::stamp(a),
                        _ => false,
                    };
                    (c.path.clone(), outcome, false, meta.filter(|_| same))
                }
            };
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();

    let mut batch = Batch {
        items: Vec::new(),
        skipped: found
            .errors
            .into_iter()
            .map(|(path, error)| Skipped { path, error })
            .collect(),
        routes: Vec::new(),
        ignored: found.ignored.clone(),
        duplicates: Vec::new(),
        metadata_problems,
        metadata_entries: strava.len(),
        // Every file not known to the cache was opened to tell its format (then read whole
        // if it is an activity): each counts once.
        files_read: found.sniffed
            + if uncached > 0 {
                found.metadata_files.len()
            } else {
                0
            },
        cache_hits: 0,
        cache_note: cache.note(),
    };
    let mut seen: Vec<PathBuf> = Vec::with_capacity(outcomes.len() + found.ignored.len());
    let mut items = Vec::new();
    let mut changed = 0;
    for (path, outcome, hit, stamp_before) in outcomes {
        if hit {
            batch.cache_hits += 1;
        } else if let Some(m) = stamp_before {
            cache.put(&path, &m, &outcome);
        } else {
            changed += 1;
        }
        absorb(path.clone(), outcome, &mut batch, &mut items);
        seen.push(path);
    }
    // Files the cache knew whose entry turned out damaged were read after all.
    batch.files_read += found.candidates.len() - uncached - batch.cache_hits;
    for p in &found.ignored {
        if let Ok(m) = std::fs::metadata(p) {
            cache.put(p, &m, &Outcome::Ignored);
        }
        seen.push(p.clone());
    }
    cache.retain(&seen);
    if changed > 0 && cache.enabled() {
        batch.cache_note = Some(format!(
            "{changed} file(s) changed while being read: used as read, not cached"
        ));
    }
    if let Err(e) = cache.save() {
        let at = cache
            .location()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        batch.cache_note = Some(format!("cache not saved to {at}: {e}"));
    }
    let keys: Vec<Light> = items.iter().map(|(l, _)| l.clone()).collect();
    let (keep, dups) = duplicates(&keys);
    batch.items = items
        .into_iter()
        .zip(keep)
        .filter_map(|(it, k)| k.then_some(it))
        .collect();
    batch.duplicates = dups;
    batch.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    batch.ignored.sort();
    batch.ignored.dedup();
    batch.routes.sort();
    batch.routes.dedup();
    batch
}

/// Files one outcome into the batch: an archive's entries each as a file of their own.
fn absorb<T>(
    path: PathBuf,
    outcome: Outcome<T>,
    batch: &mut Batch<T>,
    items: &mut Vec<(Light, T)>,
) {
    match outcome {
        Outcome::Activities(v) => items.extend(v),
        Outcome::Route => batch.routes.push(path),
        Outcome::Ignored => batch.ignored.push(path),
        Outcome::Error(error) => batch.skipped.push(Skipped { path, error }),
        Outcome::Archive(entries) => {
            for (p, o) in entries {
                absorb(p, o, batch, items);
            }
        }
    }
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

#[cfg(test)]
mod tests {
    #[test]
    fn one_folder_written_two_ways_has_one_cache() {
        use super::cache_name;
        use std::path::PathBuf;
        let a = cache_name(&[PathBuf::from("acts")]);
        assert_eq!(a, cache_name(&[PathBuf::from("./acts/")]));
        assert_eq!(
            a,
            cache_name(&[PathBuf::from("acts"), PathBuf::from("acts/")])
        );
        assert_ne!(a, cache_name(&[PathBuf::from("other")]));
    }

    use super::*;

    /// One cache per set of inputs, whatever order they are given in.
    #[test]
    fn the_cache_name_is_the_set_of_inputs() {
        let (a, b) = (PathBuf::from("/runs/2025"), PathBuf::from("/runs/2026"));
        let ab = cache_name(&[a.clone(), b.clone()]);
        assert_eq!(ab, cache_name(&[b.clone(), a.clone()]));
        assert_ne!(ab, cache_name(&[a]));
        assert!(
            ab.starts_with("inputs-") && ab.len() == "inputs-".len() + 16,
            "{ab}"
        );
    }

    /// A folder with a good run, a broken file and a note: the run is read, the broken
    /// file is skipped with its error, the note is ignored; each file counted once.
    #[test]
    fn one_bad_file_never_stops_the_batch() {
        let dir = tempfile::tempdir().unwrap();
        let gpx = "<gpx version=\"1.1\" creator=\"t\"><trk><trkseg>\
            <trkpt lat=\"45.0\" lon=\"6.0\"><time>2026-10-01T08:00:00Z</time></trkpt>\
            <trkpt lat=\"45.001\" lon=\"6.0\"><time>2026-10-01T08:00:30Z</time></trkpt>\
            </trkseg></trk></gpx>";
        std::fs::write(dir.path().join("run.gpx"), gpx).unwrap();
        std::fs::write(dir.path().join("cut.gpx"), &gpx[..60]).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
        let b = ingest_all(&[dir.path().to_path_buf()], &BatchOptions::default(), |a| {
            a.samples.len()
        });
        assert_eq!(b.items.len(), 1);
        assert_eq!(b.items[0].1, 2);
        assert_eq!(b.skipped.len(), 1);
        assert!(b.skipped[0].path.ends_with("cut.gpx"));
        assert_eq!(b.skipped[0].error.kind(), "xml");
        assert_eq!(b.ignored.len(), 1);
        // Each file opened once: the note to tell from its content that it is none.
        assert_eq!((b.files_read, b.cache_hits), (3, 0));
    }
}
