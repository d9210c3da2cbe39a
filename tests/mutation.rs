//! Mutation testing on stable Rust: every real file in the shared corpus and the sample data
//! is truncated, bit-flipped, grown, shrunk and spliced with a fixed seed, and every mutant
//! must come back from the reader as an activity or a clear error — never a panic, never
//! slower than a bound. `RACEGAP_MUTANTS` sets the count per format (default 10,000); the
//! `--ignored` test runs 200,000 per format for local use.

mod common;

use common::Rng;

use racegap::discover::{sniff, Sniffed};
use racegap::ingest::read_bytes;
use racegap::model::Format;
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

/// A mutant taking longer than this to read is a hang.
const TIME_BOUND: Duration = Duration::from_secs(2);
/// Files up to this size are seeds whole; larger ones are cut to `SEED_PREFIX` bytes (a
/// truncated seed, which exercises the cut-short paths), to keep thousands of mutants fast.
const WHOLE_SEED_MAX: usize = 64 * 1024;
const SEED_PREFIX: usize = 24 * 1024;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}
static HOOK: Once = Once::new();

/// Panics caught inside the reader print nothing; any other panic (a failed assertion)
/// still prints.
fn install_quiet_hook() {
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
}

/// One mutation of `seed`: truncation, byte flips, insertion, deletion, or a duplicated chunk.
fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut m = seed.to_vec();
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        let n = m.len();
        match rng.below(5) {
            0 => m.truncate(rng.below(n + 1)),
            1 => {
                for _ in 0..1 + rng.below(8) {
                    if !m.is_empty() {
                        let i = rng.below(m.len());
                        m[i] ^= 1 << rng.below(8);
                    }
                }
            }
            2 => {
                let at = rng.below(n + 1);
                let bytes: Vec<u8> = (0..1 + rng.below(16)).map(|_| rng.next() as u8).collect();
                m.splice(at..at, bytes);
            }
            3 => {
                let a = rng.below(n + 1);
                let b = (a + 1 + rng.below(64)).min(n);
                m.drain(a..b.max(a));
            }
            _ => {
                let a = rng.below(n + 1);
                let b = (a + 1 + rng.below(256)).min(n);
                let chunk = m[a..b.max(a)].to_vec();
                let at = rng.below(m.len() + 1);
                m.splice(at..at, chunk);
            }
        }
    }
    m
}

/// Seed files of one format: the corpus (when present) and the sample data.
fn seeds(format: Format) -> Vec<(PathBuf, Vec<u8>)> {
    let mut dirs = vec![
        common::sample_data().join("activities"),
        common::sample_data().join("race"),
    ];
    if let Some(c) = common::corpus("mutation seeds") {
        for sub in ["fit", "gpx", "tcx", "courses"] {
            dirs.push(c.join(sub));
        }
    }
    let mut out = Vec::new();
    for d in dirs {
        for p in common::files(&d, &[""]) {
            let Ok(bytes) = std::fs::read(&p) else {
                continue;
            };
            if sniff(&bytes) == Sniffed::Format(format) {
                let n = if bytes.len() <= WHOLE_SEED_MAX {
                    bytes.len()
                } else {
                    SEED_PREFIX
                };
                out.push((p, bytes[..n].to_vec()));
            }
        }
    }
    out
}

fn run(format: Format, mutants: usize, seed: u64) {
    install_quiet_hook();
    let seeds = seeds(format);
    assert!(!seeds.is_empty(), "no {format:?} seeds");
    let name = Path::new(match format {
        Format::Gpx => "mutant.gpx",
        Format::Tcx => "mutant.tcx",
        Format::Fit => "mutant.fit",
    });
    let mut rng = Rng(seed);
    let (mut ok, mut refused, mut decoder_panics) = (0usize, 0usize, 0usize);
    let mut slowest = Duration::ZERO;
    let started = Instant::now();
    for i in 0..mutants {
        let (path, bytes) = &seeds[i % seeds.len()];
        let m = mutate(bytes, &mut rng);
        let t = Instant::now();
        QUIET.with(|q| q.set(true));
        let r = std::panic::catch_unwind(|| read_bytes(&m, name));
        QUIET.with(|q| q.set(false));
        let took = t.elapsed();
        slowest = slowest.max(took);
        let r = r.unwrap_or_else(|_| {
            panic!(
                "mutant {i} of {} panicked out of the reader",
                path.display()
            )
        });
        assert!(
            took < TIME_BOUND,
            "mutant {i} of {} took {took:?}",
            path.display()
        );
        match r {
            Ok(acts) => {
                assert!(!acts.is_empty());
                ok += 1;
            }
            Err(e) => {
                let msg = e.to_string();
                assert!(msg.len() > 8, "vague error for mutant {i}: {msg:?}");
                if msg.contains("decoder failed") {
                    decoder_panics += 1;
                }
                refused += 1;
            }
        }
    }
    eprintln!(
        "mutation {format:?}: {mutants} mutants of {} seeds in {:.1} s: {ok} read, {refused} refused ({decoder_panics} by the decoder panic guard), slowest {:.1} ms",
        seeds.len(),
        started.elapsed().as_secs_f64(),
        slowest.as_secs_f64() * 1000.0
    );
}

fn count() -> usize {
    std::env::var("RACEGAP_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

#[test]
fn gpx_mutants_never_panic_or_hang() {
    run(Format::Gpx, count(), 1);
}

#[test]
fn tcx_mutants_never_panic_or_hang() {
    run(Format::Tcx, count(), 2);
}

#[test]
fn fit_mutants_never_panic_or_hang() {
    run(Format::Fit, count(), 3);
}

#[test]
#[ignore = "long: 200,000 mutants per format"]
fn many_mutants_never_panic_or_hang() {
    for (i, f) in [Format::Gpx, Format::Tcx, Format::Fit]
        .into_iter()
        .enumerate()
    {
        run(f, 200_000, 100 + i as u64);
    }
}
