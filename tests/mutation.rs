//! Mutation testing on stable Rust: every real file in the shared corpus and the sample data,
//! whole, is truncated, bit-flipped, grown, shrunk and spliced with a fixed seed, and every
//! mutant must come back from the reader as an activity or a clear error within a bound.
//!
//! What fails the test, with the seed file and the mutation printed:
//! - a panic in racegap's own code (the reader runs outside any guard; only calls into
//!   third-party decoders are guarded, `racegap::guard`);
//! - a guard hit the test cannot explain: the panic's location must lie in the decoder the
//!   guard names (or a crate it uses, or the standard library);
//! - an error that is not clear (`common::unclear`);
//! - a mutant still running after `TIME_BOUND`: each runs on a worker thread that the test
//!   waits for with a deadline, so a hang fails the test instead of stalling the suite.
//!
//! `RACEGAP_MUTANTS` sets the count per format (default `DEFAULT_MUTANTS`); the `--ignored`
//! test runs 100,000 per format.

mod common;

use common::Rng;

use racegap::discover::{sniff, Sniffed};
use racegap::error::ReadError;
use racegap::ingest::read_bytes;
use racegap::model::Format;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Once;
use std::time::{Duration, Instant};

/// A mutant taking longer than this to read is a hang.
const TIME_BOUND: Duration = Duration::from_secs(2);
const DEFAULT_MUTANTS: usize = 10_000;

thread_local! {
    /// Where the last panic outside a guarded call happened on this thread.
    static OWN_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Where each guarded panic of the current mutant happened.
    static GUARDED_AT: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Set on the worker threads, whose panics are reported by the test itself.
    static WORKER: Cell<bool> = const { Cell::new(false) };
}
static HOOK: Once = Once::new();

/// Around racegap's guard hook: on a worker thread, records where each panic happened,
/// racegap's own (which escape the reader and fail the test) apart from guarded ones
/// (which the reader turns into an error or a warning, and which must be explained).
fn install_hooks() {
    HOOK.call_once(|| {
        racegap::guard::install_panic_hook();
        let inner = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if WORKER.with(Cell::get) {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                if racegap::guard::in_guarded_call() {
                    GUARDED_AT.with(|g| g.borrow_mut().push(at));
                } else {
                    let msg = racegap::guard::panic_message(info.payload()).unwrap_or_default();
                    OWN_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg:?} at {at}")));
                    return;
                }
            }
            inner(info)
        }));
    });
}

/// One mutation of `seed` (1-3 rounds of truncation, bit flips, insertion, deletion or a
/// copied chunk) and what was done, to rebuild it.
fn mutate(seed: &[u8], rng: &mut Rng) -> (Vec<u8>, Vec<String>) {
    let mut m = seed.to_vec();
    let mut ops = Vec::new();
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        let n = m.len();
        match rng.below(5) {
            0 => {
                let to = rng.below(n + 1);
                m.truncate(to);
                ops.push(format!("truncated to {to} bytes"));
            }
            1 => {
                let mut at = Vec::new();
                for _ in 0..1 + rng.below(8) {
                    if !m.is_empty() {
                        let i = rng.below(m.len());
                        let bit = rng.below(8);
                        m[i] ^= 1 << bit;
                        at.push(format!("{i}.{bit}"));
                    }
                }
                ops.push(format!("bits flipped at byte.bit {}", at.join(", ")));
            }
            2 => {
                let at = rng.below(n + 1);
                let bytes: Vec<u8> = (0..1 + rng.below(16)).map(|_| rng.next() as u8).collect();
                ops.push(format!("{} random bytes inserted at {at}", bytes.len()));
                m.splice(at..at, bytes);
            }
            3 => {
                let a = rng.below(n + 1);
                let b = (a + 1 + rng.below(64)).min(n).max(a);
                m.drain(a..b);
                ops.push(format!("bytes {a}..{b} deleted"));
            }
            _ => {
                let a = rng.below(n + 1);
                let b = (a + 1 + rng.below(256)).min(n).max(a);
                let chunk = m[a..b].to_vec();
                let at = rng.below(m.len() + 1);
                m.splice(at..at, chunk);
                ops.push(format!("bytes {a}..{b} copied to {at}"));
            }
        }
    }
    (m, ops)
}

/// Seed files of one format, whole: the corpus (when present) and the sample data.
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
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            if sniff(&bytes) == Sniffed::Format(format) {
                out.push((p, bytes));
            }
        }
    }
    out
}

/// What reading one mutant gave.
enum Outcome {
    /// Activities read, and where guarded decoder panics happened on the way (a FIT
    /// message the decoder panicked on is skipped with a warning).
    Read(usize, Vec<String>),
    Refused(ReadError),
    /// A panic that escaped the reader: racegap's own code.
    OwnPanic(String),
}

#[derive(Default)]
struct Tally {
    read: usize,
    refused: usize,
    /// Guard hits by decoder and location.
    guarded: BTreeMap<String, usize>,
    /// For each refusal with a position: how far into the mutant it was (0-1).
    depth: Vec<f64>,
    slowest: Duration,
}

impl Tally {
    /// Counts a panic the guard around `decoder` caught, failing on one whose location is
    /// not in that decoder's code.
    fn guard_hit(&mut self, decoder: &str, at: String, what: &str, which: &dyn Fn() -> String) {
        assert!(
            common::explained(decoder, &at),
            "{}: the guard around {decoder} caught a panic it cannot explain ({what} at {at})",
            which()
        );
        let short = at.rsplit_once("/src/").map_or(at.as_str(), |(_, f)| f);
        *self
            .guarded
            .entry(format!("{decoder} src/{short}"))
            .or_default() += 1;
    }
}

/// How far into `bytes` an error points (0-1), when it names a place.
fn depth(e: &ReadError, bytes: &[u8]) -> Option<f64> {
    let n = bytes.len().max(1) as f64;
    match e {
        ReadError::Fit { byte, .. } => Some(*byte as f64 / n),
        ReadError::Xml { line, .. } if *line > 0 => {
            let lines = 1 + bytes.iter().filter(|&&b| b == b'\n').count();
            Some(*line as f64 / lines as f64)
        }
        _ => None,
    }
}

fn run(format: Format, mutants: usize, seed: u64) {
    install_hooks();
    let seeds = seeds(format);
    assert!(!seeds.is_empty(), "no {format:?} seeds");
    let name: &'static Path = Path::new(match format {
        Format::Gpx => "mutant.gpx",
        Format::Tcx => "mutant.tcx",
        Format::Fit | Format::AppleHealth => "mutant.fit",
    });
    // The worker reads; this thread waits with a deadline. On a hang the worker is left
    // behind (it ends with the test process) and the test fails at once.
    let (to_worker, jobs) = mpsc::channel::<Vec<u8>>();
    let (to_test, results) = mpsc::channel::<(Outcome, Duration, Vec<u8>)>();
    std::thread::spawn(move || {
        WORKER.with(|w| w.set(true));
        for bytes in jobs {
            GUARDED_AT.with(|g| g.borrow_mut().clear());
            let t = Instant::now();
            let outcome = match catch_unwind(AssertUnwindSafe(|| read_bytes(&bytes, name))) {
                Ok(Ok(acts)) => Outcome::Read(acts.len(), GUARDED_AT.with(|g| g.take())),
                Ok(Err(e)) => Outcome::Refused(e),
                Err(_) => Outcome::OwnPanic(
                    OWN_PANIC
                        .with(|p| p.borrow_mut().take())
                        .unwrap_or_else(|| "a panic".into()),
                ),
            };
            if to_test.send((outcome, t.elapsed(), bytes)).is_err() {
                break;
            }
        }
    });
    let mut rng = Rng(seed);
    let mut t = Tally::default();
    let started = Instant::now();
    let decoder = match format {
        Format::Fit | Format::AppleHealth => "fitparser",
        Format::Gpx | Format::Tcx => "quick-xml",
    };
    let total_bytes: usize = seeds.iter().map(|(_, b)| b.len()).sum();
    for i in 0..mutants {
        let (path, bytes) = &seeds[i % seeds.len()];
        let (m, ops) = mutate(bytes, &mut rng);
        let which = || {
            format!(
                "mutant {i} (run seed {seed}) of {} ({} bytes): {}",
                path.display(),
                bytes.len(),
                ops.join("; ")
            )
        };
        to_worker.send(m).unwrap();
        let (outcome, took, m) = match results.recv_timeout(TIME_BOUND) {
            Ok(r) => r,
            Err(_) => panic!("{}: still reading after {TIME_BOUND:?}", which()),
        };
        t.slowest = t.slowest.max(took);
        match outcome {
            Outcome::Read(n, guarded) => {
                assert!(n > 0, "{}: read as no activity", which());
                for at in guarded {
                    t.guard_hit(decoder, at, "message skipped", &which);
                }
                t.read += 1;
            }
            Outcome::OwnPanic(p) => panic!("{}: racegap's own code panicked: {p}", which()),
            Outcome::Refused(ReadError::DecoderPanic {
                decoder,
                message,
                at,
                ..
            }) => {
                t.guard_hit(&decoder, at, &message, &which);
                t.refused += 1;
            }
            Outcome::Refused(e) => {
                if let Some(why) = common::unclear(&e) {
                    panic!("{}: unclear error: {why}", which());
                }
                t.depth.extend(depth(&e, &m));
                t.refused += 1;
            }
        }
    }
    t.depth.sort_by(f64::total_cmp);
    let median_depth = t.depth.get(t.depth.len() / 2).copied().unwrap_or(0.0);
    if format != Format::Fit && t.depth.len() > 100 {
        // Whole seeds: refusals come from anywhere in the document, not only its start.
        assert!(
            median_depth >= 0.2,
            "{format:?} mutants refused at a median {:.0} % into the file: the deep paths are not reached",
            median_depth * 100.0
        );
    }
    let guarded: usize = t.guarded.values().sum();

    let sites: Vec<String> = t
        .guarded
        .iter()
        .map(|(k, v)| format!("{v} at {k}"))
        .collect();
    eprintln!(
        "mutation {format:?}: {mutants} mutants of {} whole seeds ({:.1} MB) in {:.1} s: {} read, {} refused (at a median {:.0} % into the file); 0 panics in racegap's code; {guarded} decoder panics caught{}; slowest {:.1} ms",
        seeds.len(),
        total_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        t.read,
        t.refused,
        median_depth * 100.0,
        if sites.is_empty() { String::new() } else { format!(" ({})", sites.join(", ")) },
        t.slowest.as_secs_f64() * 1000.0
    );
}

fn count() -> usize {
    std::env::var("RACEGAP_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_MUTANTS)
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
#[ignore = "long: 100,000 mutants per format"]
fn many_mutants_never_panic_or_hang() {
    for (i, f) in [Format::Gpx, Format::Tcx, Format::Fit]
        .into_iter()
        .enumerate()
    {
        run(f, 100_000, 100 + i as u64);
    }
}

/// The guard's explanation is strict: a location in racegap's own source, or an unknown
/// one, is not explained.
#[test]
fn a_guard_hit_in_racegaps_own_source_is_not_explained() {
    let reg = "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f";
    assert!(common::explained(
        "fitparser",
        &format!("{reg}/fitparser-0.11.0/src/de/parser.rs:120")
    ));
    assert!(common::explained(
        "fitparser",
        &format!("{reg}/nom-7.1.3/src/bytes/complete.rs:40")
    ));
    assert!(!common::explained(
        "fitparser",
        &format!("{reg}/quick-xml-0.37.5/src/reader/mod.rs:1")
    ));
    assert!(common::explained(
        "fitparser",
        "fitparser-0.11.0/src/de/parser.rs:280"
    ));
    assert!(!common::explained("fitparser", "src/ingest/fit.rs:300"));
    assert!(!common::explained("quick-xml", "unknown"));
}
