//! Structure-aware fuzzing of the readers and the per-run metrics: mutants that keep each
//! format's structure (XML numbers, timestamps, repeated attributes and elements, nesting;
//! FIT fields, definitions, headers, CRCs and repeated messages) built from the real seed
//! files, each read and measured under a 2 s watchdog, plus the saved reproducers in
//! `tests/regressions/`.
//!
//! Every mutant runs in a child process (this test binary, re-run on one test with
//! `RACEGAP_STRUCT_CHILD` set) that reports each mutant as it starts and ends; the parent
//! kills the child when a mutant overruns the bound, records the hang, and restarts the
//! child after it. A hang never stalls the suite and never leaves a spinning thread behind.
//!
//! `RACEGAP_STRUCT_MUTANTS` sets the count per format (default 1,000); the `--ignored`
//! tests run 30,000 per format. `RACEGAP_STRUCT_MAX_TIMEOUTS` (default 5) is how many hangs
//! are recorded before a run stops. Failing mutants are written to
//! `target/tmp/fuzz_structured/` for turning into reproducers.

mod common;

use common::Rng;

use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use racegap::discover::{sniff, Sniffed};
use racegap::error::ReadError;
use racegap::ingest::read_bytes;
use racegap::model::Format;
use racegap::track::{compute, MetricsConfig};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Once;
use std::time::{Duration, Instant};

/// A mutant taking longer than this to read and measure is a hang.
const TIME_BOUND: Duration = Duration::from_secs(2);
/// Time a child may take to load its seeds and build one mutant.
const SETUP_BOUND: Duration = Duration::from_secs(180);
/// Points kept per track segment of an XML seed (the rest is cut out at element
/// boundaries, so the seed stays a valid document and mutants stay fast).
const POINTS_KEPT: usize = 150;
/// Data messages kept per message type of a FIT seed (file_id, session, lap, activity,
/// event and the developer-data messages are all kept).
const FIT_MESSAGES_KEPT: usize = 400;
/// Most bytes a repetition mutant may add.
const MAX_GROWTH: usize = 6 << 20;
const DEFAULT_MUTANTS: usize = 1_000;
const MANY_MUTANTS: usize = 30_000;
const DEFAULT_MAX_TIMEOUTS: usize = 5;
const CHILD_ENV: &str = "RACEGAP_STRUCT_CHILD";
const START_ENV: &str = "RACEGAP_STRUCT_START";

// ------------------------------------------------------------------------------------------
// Tests
// ------------------------------------------------------------------------------------------

#[test]
fn gpx_structured_mutants_never_panic_or_hang() {
    fuzz(
        "gpx_structured_mutants_never_panic_or_hang",
        Format::Gpx,
        count(),
        11,
    );
}

#[test]
fn tcx_structured_mutants_never_panic_or_hang() {
    fuzz(
        "tcx_structured_mutants_never_panic_or_hang",
        Format::Tcx,
        count(),
        12,
    );
}

#[test]
fn fit_structured_mutants_never_panic_or_hang() {
    fuzz(
        "fit_structured_mutants_never_panic_or_hang",
        Format::Fit,
        count(),
        13,
    );
}

#[test]
#[ignore = "long: 30,000 structured mutants"]
fn gpx_many_structured_mutants() {
    fuzz(
        "gpx_many_structured_mutants",
        Format::Gpx,
        MANY_MUTANTS,
        111,
    );
}

#[test]
#[ignore = "long: 30,000 structured mutants"]
fn tcx_many_structured_mutants() {
    fuzz(
        "tcx_many_structured_mutants",
        Format::Tcx,
        MANY_MUTANTS,
        112,
    );
}

#[test]
#[ignore = "long: 30,000 structured mutants"]
fn fit_many_structured_mutants() {
    fuzz(
        "fit_many_structured_mutants",
        Format::Fit,
        MANY_MUTANTS,
        113,
    );
}

/// Every file in `tests/regressions/`, and every reproducer too big to store (built here),
/// is read and measured in under 2 s without a panic.
#[test]
fn regressions_finish_in_time_without_panic() {
    let suite = Suite::Regressions;
    if in_child() {
        child_main(&suite);
        return;
    }
    let tally = supervise("regressions_finish_in_time_without_panic", &suite);
    tally.report("regressions");
    tally.assert_clean("regressions");
}

fn count() -> usize {
    env_usize("RACEGAP_STRUCT_MUTANTS").unwrap_or(DEFAULT_MUTANTS)
}

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn fuzz(test: &str, format: Format, count: usize, seed: u64) {
    let suite = Suite::Fuzz {
        format,
        count,
        seed,
    };
    if in_child() {
        child_main(&suite);
        return;
    }
    let tally = supervise(test, &suite);
    let label = format!("structured {}", format.name());
    tally.report(&label);
    tally.assert_clean(&label);
}

// ------------------------------------------------------------------------------------------
// Jobs: what a suite runs
// ------------------------------------------------------------------------------------------

enum Suite {
    Fuzz {
        format: Format,
        count: usize,
        seed: u64,
    },
    Regressions,
}

/// One input to read and measure.
struct Job {
    desc: String,
    bytes: Vec<u8>,
    path: PathBuf,
}

/// What a suite needs to build its jobs (loaded once per process).
enum Prepared {
    Xml(Vec<XmlSeed>, Format),
    Fit(Vec<FitSeed>),
    Cases(Vec<Case>),
}

impl Suite {
    fn prepare(&self) -> Prepared {
        match self {
            Suite::Fuzz {
                format: Format::Fit,
                ..
            } => Prepared::Fit(
                seed_files(Format::Fit)
                    .into_iter()
                    .filter_map(|(p, b)| FitSeed::new(p, &b))
                    .collect(),
            ),
            Suite::Fuzz { format, .. } => Prepared::Xml(
                seed_files(*format)
                    .into_iter()
                    .map(|(p, b)| XmlSeed::new(p, &b))
                    .collect(),
                *format,
            ),
            Suite::Regressions => Prepared::Cases(cases()),
        }
    }

    fn count(&self, prepared: &Prepared) -> usize {
        match (self, prepared) {
            (Suite::Fuzz { count, .. }, _) => *count,
            (Suite::Regressions, Prepared::Cases(c)) => c.len(),
            _ => 0,
        }
    }

    fn job(&self, prepared: &Prepared, i: usize) -> Job {
        let seed = match self {
            Suite::Fuzz { seed, .. } => *seed,
            Suite::Regressions => 0,
        };
        let mut rng = Rng::for_mutant(seed, i);
        let (path, mut bytes, mut what) = match prepared {
            Prepared::Xml(seeds, format) => {
                let s = &seeds[i % seeds.len()];
                let (b, w) = xml_mutant(s, *format, &mut rng);
                (s.path.clone(), b, w)
            }
            Prepared::Fit(seeds) => {
                let s = &seeds[i % seeds.len()];
                let (b, w) = fit_mutant(s, &mut rng);
                (s.path.clone(), b, w)
            }
            Prepared::Cases(cases) => {
                let c = &cases[i];
                return Job {
                    desc: c.name.clone(),
                    bytes: (c.build)(),
                    path: c.path.clone(),
                };
            }
        };
        if rng.below(40) == 0 {
            bytes = gzip(&bytes);
            what.push_str(", then gzipped");
        }
        Job {
            desc: format!("mutant {i} of {}: {what}", path.display()),
            bytes,
            path,
        }
    }

    fn seeds_note(&self, prepared: &Prepared) -> String {
        match prepared {
            Prepared::Xml(s, _) => format!("{} seeds", s.len()),
            Prepared::Fit(s) => format!("{} seeds", s.len()),
            Prepared::Cases(c) => format!("{} cases", c.len()),
        }
    }

    /// File name for a saved failing input.
    fn saved_name(&self, i: usize) -> String {
        match self {
            Suite::Fuzz { format, seed, .. } => format!(
                "{}-s{seed}-{i}.{}",
                format.name().to_ascii_lowercase(),
                format.name().to_ascii_lowercase()
            ),
            Suite::Regressions => format!("regression-{i}"),
        }
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// The real files of one format: the sample data and the shared corpus (gzip undone).
fn seed_files(format: Format) -> Vec<(PathBuf, Vec<u8>)> {
    let mut dirs = vec![common::sample_data().join("activities")];
    if let Some(c) = common::corpus("structured fuzz seeds") {
        for sub in ["gpx", "tcx", "fit"] {
            dirs.push(c.join(sub));
        }
    }
    let mut out = Vec::new();
    for d in dirs {
        for p in common::files(&d, &[""]) {
            let Ok(mut bytes) = std::fs::read(&p) else {
                continue;
            };
            if sniff(&bytes) == Sniffed::Gzip {
                let mut un = Vec::new();
                if MultiGzDecoder::new(&bytes[..])
                    .read_to_end(&mut un)
                    .is_err()
                {
                    continue;
                }
                bytes = un;
            }
            if sniff(&bytes) == Sniffed::Format(format) {
                out.push((p, bytes));
            }
        }
    }
    assert!(!out.is_empty(), "no {format:?} seed files");
    out
}

// ------------------------------------------------------------------------------------------
// Running one job: read, measure every activity, catch and count panics
// ------------------------------------------------------------------------------------------

thread_local! {
    /// Panic messages caught on this thread while a job runs (`None`: not capturing).
    static CAUGHT: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}
static HOOK: Once = Once::new();

/// A panic hook that records (and silences) every panic on a thread that is running a
/// job, including those `read_bytes` catches itself; other panics print as usual.
fn install_counting_hook() {
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let msg = racegap::guard::panic_message(info.payload())
                .unwrap_or_else(|| "non-string panic".into());
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            // A panic inside a guarded third-party call comes back as the file's error,
            // where `execute` checks that it is explained.
            if racegap::guard::in_guarded_call() {
                return default(info);
            }
            let caught = CAUGHT.with(|c| match c.borrow_mut().as_mut() {
                Some(v) => {
                    v.push(format!("{msg}{at}"));
                    true
                }
                None => false,
            });
            if !caught {
                default(info);
            }
        }));
        // Installed last, so it sees every panic first and passes on all but guarded ones.
        racegap::guard::install_panic_hook();
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Read,
    Refused,
    /// A panic inside a third-party decoder, caught by racegap's guard, whose location
    /// lies in that decoder (`common::explained`).
    Guarded,
    /// A panic in racegap's own code, or a guard hit that cannot be explained.
    Panic,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Read => "read",
            Status::Refused => "refused",
            Status::Guarded => "guarded",
            Status::Panic => "panic",
        }
    }
    fn from_word(w: &str) -> Status {
        match w {
            "read" => Status::Read,
            "refused" => Status::Refused,
            "guarded" => Status::Guarded,
            _ => Status::Panic,
        }
    }
}

fn execute(bytes: &[u8], path: &Path) -> (Status, String) {
    CAUGHT.with(|c| *c.borrow_mut() = Some(Vec::new()));
    let cfg = MetricsConfig::default();
    let r = catch_unwind(AssertUnwindSafe(|| match read_bytes(bytes, path) {
        Ok(acts) => {
            let mut points = 0;
            for a in &acts {
                std::hint::black_box(compute(a, &cfg));
                points += a.samples.len();
            }
            Ok(format!("{} activities, {points} points", acts.len()))
        }
        Err(e) => Err(e),
    }));
    let panics = CAUGHT.with(|c| c.borrow_mut().take()).unwrap_or_default();
    match r {
        _ if !panics.is_empty() => (Status::Panic, panics.join(" | ")),
        Ok(Ok(s)) => (Status::Read, s),
        Ok(Err(ReadError::DecoderPanic {
            decoder,
            message,
            at,
        })) => {
            let what = format!("{decoder} panicked: {message} at {at}");
            if common::explained(&decoder, &at) {
                (Status::Guarded, what)
            } else {
                (
                    Status::Panic,
                    format!("a guard hit it cannot explain: {what}"),
                )
            }
        }
        Ok(Err(e)) => (Status::Refused, e.to_string()),
        Err(_) => (Status::Panic, "panic without a message".into()),
    }
}

// ------------------------------------------------------------------------------------------
// Child process: runs jobs from RACEGAP_STRUCT_START on, one report line before and after each
// ------------------------------------------------------------------------------------------

fn in_child() -> bool {
    std::env::var_os(CHILD_ENV).is_some()
}

fn one_line(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if s.chars().count() > 400 {
        let head: String = s.chars().take(400).collect();
        format!("{head}...")
    } else {
        s
    }
}

fn child_main(suite: &Suite) {
    install_counting_hook();
    let start = env_usize(START_ENV).unwrap_or(0);
    let t = Instant::now();
    let prepared = suite.prepare();
    let n = suite.count(&prepared);
    let setup = t.elapsed();
    let mut out = std::io::stdout();
    let mut say = |line: String| {
        writeln!(out, "{line}").unwrap();
        out.flush().unwrap();
    };
    say(format!(
        "@@I {}, prepared in {:.1} s",
        suite.seeds_note(&prepared),
        setup.as_secs_f64()
    ));
    for i in start..n {
        let job = suite.job(&prepared, i);
        say(format!("@@B {i} {}", one_line(&job.desc)));
        let t = Instant::now();
        let (status, detail) = execute(&job.bytes, &job.path);
        let us = t.elapsed().as_micros();
        say(format!(
            "@@E {i} {us} {} {}",
            status.word(),
            one_line(&detail)
        ));
    }
    say("@@D".into());
}

// ------------------------------------------------------------------------------------------
// Parent: supervises the child, kills it on a hang, restarts after the hung job
// ------------------------------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    jobs: usize,
    read: usize,
    refused: usize,
    panics: usize,
    guarded: usize,
    timeouts: usize,
    slowest_us: u128,
    slowest: String,
    failures: Vec<String>,
    seeds: String,
    elapsed: Duration,
    stopped_at: Option<usize>,
    total: usize,
}

impl Tally {
    /// The summary line goes straight to stderr (shown even when the test passes and
    /// output is captured); the failures go through the captured output.
    fn report(&self, label: &str) {
        let line = format!(
            "{label}: {} of {} run ({}) in {:.1} s: {} read, {} refused ({} by a third-party decoder's caught panic), {} panics in racegap's code, {} timeouts; slowest {:.1} ms ({})\n",
            self.jobs + self.timeouts,
            self.total,
            self.seeds,
            self.elapsed.as_secs_f64(),
            self.read,
            self.refused,
            self.guarded,
            self.panics,
            self.timeouts,
            self.slowest_us as f64 / 1000.0,
            self.slowest
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
        for f in &self.failures {
            eprintln!("  FAIL {f}");
        }
        if let Some(i) = self.stopped_at {
            eprintln!("  stopped after job {i}: too many hangs (RACEGAP_STRUCT_MAX_TIMEOUTS)");
        }
    }

    fn assert_clean(&self, label: &str) {
        assert!(
            self.panics == 0 && self.timeouts == 0,
            "{label}: {} panics and {} timeouts (over {} s or killed); first: {}",
            self.panics,
            self.timeouts,
            TIME_BOUND.as_secs(),
            self.failures.first().map(String::as_str).unwrap_or("")
        );
    }
}

struct Running {
    child: Child,
    lines: Receiver<String>,
    stderr: std::thread::JoinHandle<String>,
}

fn spawn_child(test: &str, start: usize) -> Running {
    let exe = std::env::current_exe().expect("test binary path");
    let mut child = Command::new(exe)
        .args([
            test,
            "--exact",
            "--nocapture",
            "--include-ignored",
            "--test-threads",
            "1",
        ])
        .env(CHILD_ENV, "1")
        .env(START_ENV, start.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the child test process");
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).split(b'\n') {
            let Ok(line) = line else { break };
            if tx
                .send(String::from_utf8_lossy(&line).into_owned())
                .is_err()
            {
                break;
            }
        }
    });
    let stderr = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    Running {
        child,
        lines: rx,
        stderr,
    }
}

fn tail(s: &str, lines: usize) -> String {
    let v: Vec<&str> = s.lines().collect();
    v[v.len().saturating_sub(lines)..].join("\n    ")
}

fn supervise(test: &str, suite: &Suite) -> Tally {
    // Every reproducer runs; a fuzz run stops after a few hangs (each costs the bound).
    let max_timeouts = match suite {
        Suite::Regressions => usize::MAX,
        Suite::Fuzz { .. } => {
            env_usize("RACEGAP_STRUCT_MAX_TIMEOUTS").unwrap_or(DEFAULT_MAX_TIMEOUTS)
        }
    };
    let started = Instant::now();
    let mut t = Tally::default();
    let mut regen: Option<Prepared> = None;
    let mut start = 0usize;
    'children: loop {
        let mut run = spawn_child(test, start);
        // The job under way: index, description, when it started.
        let mut current: Option<(usize, String, Instant)> = None;
        loop {
            let wait = match &current {
                Some((_, _, at)) => TIME_BOUND.saturating_sub(at.elapsed()),
                None => SETUP_BOUND,
            };
            match run.lines.recv_timeout(wait) {
                Ok(line) => {
                    // libtest may print "test name ... " before the first report line.
                    let line = match line.find("@@") {
                        Some(at) => &line[at..],
                        None => continue,
                    };
                    if let Some(rest) = line.strip_prefix("@@I ") {
                        t.seeds = rest.to_string();
                    } else if let Some(rest) = line.strip_prefix("@@B ") {
                        let (i, desc) = rest.split_once(' ').unwrap_or((rest, ""));
                        let i: usize = i.parse().unwrap();
                        current = Some((i, desc.to_string(), Instant::now()));
                    } else if let Some(rest) = line.strip_prefix("@@E ") {
                        let mut parts = rest.splitn(4, ' ');
                        let i: usize = parts.next().unwrap().parse().unwrap();
                        let us: u128 = parts.next().unwrap().parse().unwrap();
                        let status = Status::from_word(parts.next().unwrap_or(""));
                        let detail = parts.next().unwrap_or("").to_string();
                        let desc = current.take().map(|c| c.1).unwrap_or_default();
                        t.jobs += 1;
                        if us > t.slowest_us {
                            t.slowest_us = us;
                            t.slowest = desc.clone();
                        }
                        let slow = us >= TIME_BOUND.as_micros();
                        match status {
                            Status::Read => t.read += 1,
                            Status::Refused => t.refused += 1,
                            Status::Guarded => {
                                t.refused += 1;
                                t.guarded += 1;
                            }
                            Status::Panic => t.panics += 1,
                        }
                        if status == Status::Panic || slow {
                            if slow {
                                t.timeouts += 1;
                            }
                            let saved = save(suite, &mut regen, i);
                            t.failures.push(format!(
                                "{} ({:.0} ms): {desc}\n    -> {detail}{saved}",
                                if slow { "too slow" } else { "panic" },
                                us as f64 / 1000.0
                            ));
                        }
                    } else if line == "@@D" {
                        let _ = run.child.wait();
                        break 'children;
                    }
                }
                Err(e) => {
                    let hung = e == RecvTimeoutError::Timeout;
                    if hung {
                        let _ = run.child.kill();
                    }
                    let status = run.child.wait().ok();
                    let err = run.stderr.join().unwrap_or_default();
                    let Some((i, desc, at)) = current.take() else {
                        panic!(
                            "{test}: the child stopped outside a job ({status:?}):\n    {}",
                            tail(&err, 30)
                        );
                    };
                    t.timeouts += 1;
                    let saved = save(suite, &mut regen, i);
                    t.failures.push(if hung {
                        format!(
                            "hang (killed after {:.1} s): {desc}{saved}",
                            at.elapsed().as_secs_f64()
                        )
                    } else {
                        format!(
                            "crash ({status:?}) after {:.1} s: {desc}\n    {}{saved}",
                            at.elapsed().as_secs_f64(),
                            tail(&err, 8)
                        )
                    });
                    start = i + 1;
                    if t.timeouts >= max_timeouts {
                        t.stopped_at = Some(i);
                        break 'children;
                    }
                    continue 'children;
                }
            }
        }
    }
    if t.total == 0 {
        t.total = match suite {
            Suite::Fuzz { count, .. } => *count,
            Suite::Regressions => t.jobs + t.timeouts,
        };
    }
    t.elapsed = started.elapsed();
    t
}

/// Writes failing input `i` (rebuilt: jobs are deterministic) to `target/tmp`.
fn save(suite: &Suite, prepared: &mut Option<Prepared>, i: usize) -> String {
    if matches!(suite, Suite::Regressions) {
        return String::new();
    }
    let p = prepared.get_or_insert_with(|| suite.prepare());
    let job = suite.job(p, i);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz_structured");
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(suite.saved_name(i));
    match std::fs::write(&file, &job.bytes) {
        Ok(()) => format!(
            "\n    saved: {} ({} bytes)",
            file.display(),
            job.bytes.len()
        ),
        Err(_) => String::new(),
    }
}

// ------------------------------------------------------------------------------------------
// Randomness
// ------------------------------------------------------------------------------------------

/// Shortened for a description.
fn short(s: &str) -> String {
    let n = s.chars().count();
    if n > 40 {
        let head: String = s.chars().take(24).collect();
        format!("{head:?}... ({} bytes)", s.len())
    } else {
        format!("{s:?}")
    }
}

/// Repetitions capped so that they add at most `MAX_GROWTH` bytes.
fn capped(n: usize, unit: usize) -> usize {
    n.min(MAX_GROWTH / unit.max(1)).max(1)
}

// ------------------------------------------------------------------------------------------
// XML (GPX, TCX): a light scanner that finds elements, attribute values and text
// ------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum SlotKind {
    Num,
    Time,
    Text,
}

/// An attribute value or element text: `key` is `parent/element` for text and
/// `element@attribute` for attributes (local names).
struct Slot {
    start: usize,
    end: usize,
    key: String,
    kind: SlotKind,
    text: bool,
}

struct Elem {
    local: String,
    start: usize,
    name_end: usize,
    end: usize,
    parent: Option<usize>,
}

struct XmlSeed {
    path: PathBuf,
    bytes: Vec<u8>,
    elems: Vec<Elem>,
    slots: Vec<Slot>,
    /// Slot indices by key, numbers and times separately.
    nums: Vec<(String, Vec<usize>)>,
    times: Vec<(String, Vec<usize>)>,
}

fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(pat.len())
        .position(|w| w == pat)
        .map(|p| p + from)
}

fn local_of(name: &[u8]) -> String {
    let n = name.rsplit(|&c| c == b':').next().unwrap_or(name);
    String::from_utf8_lossy(n).into_owned()
}

fn classify(v: &[u8]) -> SlotKind {
    let s = String::from_utf8_lossy(v);
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-' {
        SlotKind::Time
    } else if s.parse::<f64>().is_ok() {
        SlotKind::Num
    } else {
        SlotKind::Text
    }
}

fn scan(b: &[u8]) -> (Vec<Elem>, Vec<Slot>) {
    let n = b.len();
    let mut elems: Vec<Elem> = Vec::new();
    let mut slots = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < n {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        let skip = |pat: &[u8]| find(b, i, pat).map_or(n, |p| p + pat.len());
        if rest.starts_with(b"<!--") {
            i = skip(b"-->");
            continue;
        }
        if rest.starts_with(b"<![CDATA[") {
            i = skip(b"]]>");
            continue;
        }
        if rest.starts_with(b"<?") {
            i = skip(b"?>");
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"</") {
            let e = skip(b">");
            if rest.starts_with(b"</") {
                if let Some(k) = stack.pop() {
                    elems[k].end = e;
                }
            }
            i = e;
            continue;
        }
        let mut k = i + 1;
        while k < n && !b[k].is_ascii_whitespace() && b[k] != b'>' && b[k] != b'/' {
            k += 1;
        }
        let local = local_of(&b[i + 1..k]);
        let name_end = k;
        let mut self_closing = false;
        loop {
            while k < n && b[k].is_ascii_whitespace() {
                k += 1;
            }
            if k >= n {
                break;
            }
            if b[k] == b'>' {
                k += 1;
                break;
            }
            if b[k] == b'/' {
                self_closing = true;
                k = (k + 2).min(n);
                break;
            }
            let a = k;
            while k < n
                && b[k] != b'='
                && !b[k].is_ascii_whitespace()
                && b[k] != b'>'
                && b[k] != b'/'
            {
                k += 1;
            }
            let attr = local_of(&b[a..k]);
            while k < n && b[k].is_ascii_whitespace() {
                k += 1;
            }
            if k >= n || b[k] != b'=' {
                continue;
            }
            k += 1;
            while k < n && b[k].is_ascii_whitespace() {
                k += 1;
            }
            if k >= n || (b[k] != b'"' && b[k] != b'\'') {
                break;
            }
            let q = b[k];
            let vs = k + 1;
            let ve = b[vs..].iter().position(|&c| c == q).map_or(n, |p| vs + p);
            slots.push(Slot {
                start: vs,
                end: ve,
                key: format!("{local}@{attr}"),
                kind: classify(&b[vs..ve]),
                text: false,
            });
            k = (ve + 1).min(n);
        }
        let idx = elems.len();
        let parent = stack.last().copied();
        if !self_closing {
            let te = b[k..].iter().position(|&c| c == b'<').map_or(n, |p| k + p);
            let mut ts = k;
            let mut te2 = te;
            while ts < te2 && b[ts].is_ascii_whitespace() {
                ts += 1;
            }
            while te2 > ts && b[te2 - 1].is_ascii_whitespace() {
                te2 -= 1;
            }
            if ts < te2 {
                let p = parent.map(|p| elems[p].local.as_str()).unwrap_or("");
                slots.push(Slot {
                    start: ts,
                    end: te2,
                    key: format!("{p}/{local}"),
                    kind: classify(&b[ts..te2]),
                    text: true,
                });
            }
            stack.push(idx);
        }
        elems.push(Elem {
            local,
            start: i,
            name_end,
            end: k,
            parent,
        });
        i = k;
    }
    (elems, slots)
}

fn is_point(local: &str) -> bool {
    matches!(local, "trkpt" | "rtept" | "wpt" | "Trackpoint")
}

impl XmlSeed {
    fn new(path: PathBuf, bytes: &[u8]) -> XmlSeed {
        // Keep the first POINTS_KEPT points of every run of sibling points.
        let (elems, _) = scan(bytes);
        let mut groups: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
        for (k, e) in elems.iter().enumerate() {
            if is_point(&e.local) {
                groups.entry(e.parent).or_default().push(k);
            }
        }
        let mut cuts: Vec<(usize, usize)> = groups
            .values()
            .filter(|g| g.len() > POINTS_KEPT)
            .map(|g| (elems[g[POINTS_KEPT]].start, elems[*g.last().unwrap()].end))
            .collect();
        cuts.sort();
        let mut out = Vec::with_capacity(bytes.len());
        let mut at = 0;
        for (a, b) in cuts {
            if a >= at {
                out.extend_from_slice(&bytes[at..a]);
                at = b;
            }
        }
        out.extend_from_slice(&bytes[at..]);
        let (elems, slots) = scan(&out);
        let mut nums: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut times: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (k, s) in slots.iter().enumerate() {
            match s.kind {
                SlotKind::Num => nums.entry(s.key.clone()).or_default().push(k),
                SlotKind::Time => times.entry(s.key.clone()).or_default().push(k),
                SlotKind::Text => {}
            }
        }
        XmlSeed {
            path,
            bytes: out,
            elems,
            slots,
            nums: nums.into_iter().collect(),
            times: times.into_iter().collect(),
        }
    }

    fn value(&self, slot: usize) -> String {
        let s = &self.slots[slot];
        String::from_utf8_lossy(&self.bytes[s.start..s.end]).into_owned()
    }

    fn elem_bytes(&self, e: usize) -> &[u8] {
        &self.bytes[self.elems[e].start..self.elems[e].end]
    }

    fn elems_named(&self, names: &[&str]) -> Vec<usize> {
        (0..self.elems.len())
            .filter(|&k| names.contains(&self.elems[k].local.as_str()))
            .collect()
    }
}

/// A replacement of `bytes[start..end]` (an insertion when they are equal).
struct Edit {
    start: usize,
    end: usize,
    with: Vec<u8>,
}

fn edit(start: usize, end: usize, with: impl Into<Vec<u8>>) -> Edit {
    Edit {
        start,
        end,
        with: with.into(),
    }
}

fn apply(bytes: &[u8], mut edits: Vec<Edit>) -> Vec<u8> {
    edits.sort_by_key(|e| (e.start, e.end));
    let grow: usize = edits.iter().map(|e| e.with.len()).sum();
    let mut out = Vec::with_capacity(bytes.len() + grow);
    let mut at = 0;
    for e in edits {
        if e.start < at {
            continue;
        }
        out.extend_from_slice(&bytes[at..e.start]);
        out.extend_from_slice(&e.with);
        at = e.end;
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

fn overlaps(a: &[Edit], b: &[Edit]) -> bool {
    a.iter().any(|x| {
        b.iter()
            .any(|y| x.start < y.end.max(y.start + 1) && y.start < x.end.max(x.start + 1))
    })
}

const NASTY_NUMBERS: &[&str] = &[
    "1e12",
    "1e15",
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "1e309",
    "1e-300",
    "5e-324",
    "-1",
    "-1e12",
    "-1e15",
    "-0",
    "-0.0",
    "0",
    "NaN",
    "-nan",
    "inf",
    "-inf",
    "Infinity",
    "+inf",
    "",
    "   ",
    "1.2.3",
    "12abc",
    "0x1F",
    "+5",
    "1e",
    "e5",
    ".",
    "-",
    "1,5",
    "1_000",
    "\u{663}",
    "\u{ff14}\u{ff12}",
    "4294967295",
    "18446744073709551616",
    "-2147483648",
    "9007199254740993",
    "90.0000001",
    "-90",
    "180.0000001",
    "-180",
    "1e6",
    "1e9",
    "2e10",
];

fn nasty_number(rng: &mut Rng, orig: &str) -> String {
    let v: f64 = orig.trim().parse().unwrap_or(1.0);
    match rng.below(10) {
        0..=6 => rng.pick(NASTY_NUMBERS).to_string(),
        7 => match rng.below(4) {
            0 => "9".repeat(*rng.pick(&[20, 400, 5_000])),
            1 => format!("0.{}1", "0".repeat(*rng.pick(&[330, 5_000]))),
            2 => format!("1e{}", "9".repeat(30)),
            _ => format!("{:e}", f64::from_bits(rng.next()))
                .replace("NaN", "1e400")
                .replace("inf", "1e400"),
        },
        8 => match rng.below(4) {
            0 => format!("{}", v * 1e6),
            1 => format!("{}", -v),
            2 => format!("{}", v + 1e12),
            _ => format!("{orig}{orig}"),
        },
        _ => match rng.below(3) {
            0 => format!("{orig}e400"),
            1 => format!("{orig}e-400"),
            _ => format!(" \n\t{orig}\t\n "),
        },
    }
}

const NASTY_TIMES: &[&str] = &[
    "0001-01-01T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "1970-01-01T00:00:00Z",
    "1969-12-31T23:59:59.999Z",
    "1989-12-31T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59.999-12:00",
    "2021-13-45T99:99:99Z",
    "2021-02-29T12:00:00Z",
    "2020-02-29T12:00:00Z",
    "2016-12-31T23:59:60Z",
    "2021-06-01T23:59:60+14:00",
    "2021-06-01T10:00:00",
    "2021-06-01T10:00:00+14:00",
    "2021-06-01T10:00:00-12:00",
    "2021-06-01T10:00:00+99:99",
    "2021-06-01T10:00:00.Z",
    "2021-06-01T10:00:00.123456789012345678901234567890Z",
    "2021-06-01 10:00:00Z",
    "2021-06-01t10:00:00z",
    "garbage",
    "",
    "2021-06-01",
    "T10:00:00Z",
    "-2021-06-01T10:00:00Z",
    "+12021-06-01T10:00:00Z",
    "2021-06-01T10:00:00ZZ",
    "1623000000",
    "2021-W22-2T10:00:00Z",
    "\u{ff12}\u{ff10}\u{ff12}\u{ff11}-06-01T10:00:00Z",
    "2021-06-01T10:00:00+1400",
    "2021-06-01T10:00:00+14",
    "2021-06-01T10:00:00-00:00",
];

/// One XML mutant: one structured change (sometimes two), as edits of the seed.
fn xml_mutant(s: &XmlSeed, format: Format, rng: &mut Rng) -> (Vec<u8>, String) {
    let ops = if rng.chance(4) { 2 } else { 1 };
    let mut edits: Vec<Edit> = Vec::new();
    let mut what: Vec<String> = Vec::new();
    for k in 0..ops {
        // A second change is always a value change: one flood per mutant at most.
        let r = if k == 0 {
            rng.below(100)
        } else {
            rng.below(80)
        };
        let (e, d) = xml_op(s, format, r, rng);
        if !overlaps(&edits, &e) {
            edits.extend(e);
            what.push(d);
        }
    }
    (apply(&s.bytes, edits), what.join(" + "))
}

/// Change number `r` (0-99; from 80 on, the repetitions).
fn xml_op(s: &XmlSeed, format: Format, r: usize, rng: &mut Rng) -> (Vec<Edit>, String) {
    let tried = match r {
        0..=29 => num_one(s, rng),
        30..=41 => num_all(s, rng),
        42..=48 => num_scale(s, rng),
        49..=60 => time_one(s, rng),
        61..=70 => time_all(s, rng),
        71..=73 => long_text(s, rng),
        74..=76 => escaped(s, rng),
        77..=79 => remove(s, rng),
        80..=82 => attr_flood(s, rng),
        83..=85 => elem_dup(s, rng),
        86..=87 => nest(s, format, rng),
        88..=90 => siblings(s, format, rng),
        91..=93 => child_flood(s, rng),
        94..=96 => top_dup(s, format, rng),
        _ => comment_flood(s, rng),
    };
    tried
        .or_else(|| num_one(s, rng))
        .unwrap_or_else(|| (Vec::new(), "unchanged (no numbers to mutate)".into()))
}

type Op = Option<(Vec<Edit>, String)>;

fn pick_group<'a>(
    groups: &'a [(String, Vec<usize>)],
    rng: &mut Rng,
) -> Option<&'a (String, Vec<usize>)> {
    (!groups.is_empty()).then(|| rng.pick(groups))
}

fn num_one(s: &XmlSeed, rng: &mut Rng) -> Op {
    let (key, slots) = pick_group(&s.nums, rng)?;
    let j = rng.below(slots.len());
    let orig = s.value(slots[j]);
    let new = nasty_number(rng, &orig);
    let sl = &s.slots[slots[j]];
    Some((
        vec![edit(sl.start, sl.end, new.clone())],
        format!(
            "{key} #{j} of {}: {} -> {}",
            slots.len(),
            short(&orig),
            short(&new)
        ),
    ))
}

fn num_all(s: &XmlSeed, rng: &mut Rng) -> Op {
    let (key, slots) = pick_group(&s.nums, rng)?;
    if rng.chance(3) {
        let edits = slots
            .iter()
            .map(|&k| {
                let v = rng.pick(NASTY_NUMBERS).to_string();
                edit(s.slots[k].start, s.slots[k].end, v)
            })
            .collect();
        return Some((
            edits,
            format!("every {key} ({}) -> random nasty numbers", slots.len()),
        ));
    }
    let new = nasty_number(rng, &s.value(slots[0]));
    let edits = slots
        .iter()
        .map(|&k| edit(s.slots[k].start, s.slots[k].end, new.clone()))
        .collect();
    Some((
        edits,
        format!("every {key} ({}) -> {}", slots.len(), short(&new)),
    ))
}

fn num_scale(s: &XmlSeed, rng: &mut Rng) -> Op {
    let (key, slots) = pick_group(&s.nums, rng)?;
    let (from, desc, f): (usize, String, Box<dyn Fn(f64) -> f64>) = if rng.chance(2) {
        let factor = *rng.pick(&[1e3, 1e6, 1e12, 1e300, -1.0, 0.0, 1e-12]);
        (
            0,
            format!("every {key} times {factor:e}"),
            Box::new(move |v| v * factor),
        )
    } else {
        let j = rng.below(slots.len());
        let add = *rng.pick(&[1e9, 1e12, 1e15, -1e12, 1e300]);
        (
            j,
            format!("{key} from #{j} of {} on plus {add:e}", slots.len()),
            Box::new(move |v| v + add),
        )
    };
    let edits = slots[from..]
        .iter()
        .filter_map(|&k| {
            let v: f64 = s.value(k).trim().parse().ok()?;
            let sl = &s.slots[k];
            Some(edit(sl.start, sl.end, format!("{}", f(v))))
        })
        .collect();
    Some((edits, desc))
}

fn time_one(s: &XmlSeed, rng: &mut Rng) -> Op {
    let (key, slots) = pick_group(&s.times, rng)?;
    let j = rng.below(slots.len());
    let new = rng.pick(NASTY_TIMES).to_string();
    let sl = &s.slots[slots[j]];
    Some((
        vec![edit(sl.start, sl.end, new.clone())],
        format!(
            "{key} #{j} of {}: {} -> {new:?}",
            slots.len(),
            short(&s.value(slots[j]))
        ),
    ))
}

fn time_all(s: &XmlSeed, rng: &mut Rng) -> Op {
    let (key, slots) = pick_group(&s.times, rng)?;
    let vals: Vec<String> = slots.iter().map(|&k| s.value(k)).collect();
    let n = vals.len();
    let (new, desc): (Vec<String>, String) = match rng.below(8) {
        0 => {
            let t = rng.pick(NASTY_TIMES).to_string();
            (vec![t.clone(); n], format!("every {key} ({n}) -> {t:?}"))
        }
        1 => {
            let y = *rng.pick(&["0001", "9999", "1970", "0000", "2262", "1677"]);
            (
                vals.iter()
                    .map(|v| format!("{y}{}", v.get(4..).unwrap_or("")))
                    .collect(),
                format!("every {key} ({n}) moved to year {y}"),
            )
        }
        2 => {
            let z = *rng.pick(&["+14:00", "-12:00", "", "+23:59", "-00:00", "+1400"]);
            (
                vals.iter()
                    .map(|v| {
                        let t = v.trim_end_matches(['Z', 'z']);
                        let t = t.split(['+']).next().unwrap_or(t);
                        format!("{}{z}", t.get(..19).unwrap_or(t))
                    })
                    .collect(),
                format!("every {key} ({n}) with zone {z:?}"),
            )
        }
        3 => (
            vals.iter().rev().cloned().collect(),
            format!("every {key} ({n}) in reverse order"),
        ),
        4 => (
            vec![vals[0].clone(); n],
            format!("every {key} ({n}) equal to the first"),
        ),
        5 => (
            vals.iter()
                .map(|v| match (v.get(..17), v.get(19..)) {
                    (Some(a), Some(b)) => format!("{a}60{b}"),
                    _ => v.clone(),
                })
                .collect(),
            format!("every {key} ({n}) at second 60"),
        ),
        6 => {
            let j = rng.below(n);
            let mut v = vals.clone();
            v[j] = "9999-12-31T23:59:59Z".into();
            (v, format!("{key} #{j} of {n} -> 9999-12-31T23:59:59Z"))
        }
        _ => (
            vals.iter()
                .enumerate()
                .map(|(k, v)| {
                    if k % 2 == 1 {
                        "garbage".to_string()
                    } else {
                        v.clone()
                    }
                })
                .collect(),
            format!("every other {key} ({n}) -> \"garbage\""),
        ),
    };
    let edits = slots
        .iter()
        .zip(new)
        .map(|(&k, v)| edit(s.slots[k].start, s.slots[k].end, v))
        .collect();
    Some((edits, desc))
}

fn long_text(s: &XmlSeed, rng: &mut Rng) -> Op {
    let (key, slots) = pick_group(&s.nums, rng)?;
    let j = rng.below(slots.len());
    let sl = &s.slots[slots[j]];
    let (new, what) = match rng.below(4) {
        0 => ("9".repeat(1_000_000), "1,000,000 nines"),
        1 => (
            format!("{}5", " ".repeat(1_000_000)),
            "1 MB of spaces then 5",
        ),
        2 => (
            format!("0.{}1", "0".repeat(1_000_000)),
            "0.(1,000,000 zeros)1",
        ),
        _ => (format!("1{}", "0".repeat(100_000)), "1 and 100,000 zeros"),
    };
    Some((
        vec![edit(sl.start, sl.end, new)],
        format!("{key} #{j} of {}: -> {what}", slots.len()),
    ))
}

fn escaped(s: &XmlSeed, rng: &mut Rng) -> Op {
    let (key, slots) = pick_group(&s.nums, rng)?;
    let j = rng.below(slots.len());
    let sl = &s.slots[slots[j]];
    let v = s.value(slots[j]);
    let (new, what) = match rng.below(4) {
        0 => (
            v.chars().map(|c| format!("&#{};", c as u32)).collect(),
            "as decimal character references",
        ),
        1 => (
            v.chars().map(|c| format!("&#x{:x};", c as u32)).collect(),
            "as hex character references",
        ),
        2 if sl.text => (format!("<![CDATA[{v}]]>"), "in CDATA"),
        _ => (format!("&unknown;{v}&lt;"), "with entities around it"),
    };
    Some((
        vec![edit(sl.start, sl.end, new)],
        format!("{key} #{j} of {}: {} {what}", slots.len(), short(&v)),
    ))
}

fn remove(s: &XmlSeed, rng: &mut Rng) -> Op {
    let names: Vec<&str> = {
        let mut v: Vec<&str> = s
            .elems
            .iter()
            .filter(|e| e.parent.is_some())
            .map(|e| e.local.as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    if names.is_empty() {
        return None;
    }
    let name = *rng.pick(&names);
    let mut edits: Vec<Edit> = Vec::new();
    let mut last_end = 0;
    for e in s.elems.iter().filter(|e| e.local == name) {
        if e.start >= last_end {
            edits.push(edit(e.start, e.end, Vec::new()));
            last_end = e.end;
        }
    }
    Some((edits, format!("every <{name}> removed")))
}

fn attr_flood(s: &XmlSeed, rng: &mut Rng) -> Op {
    let points = s.elems_named(&["trkpt", "rtept", "wpt", "Trackpoint", "Activity", "Lap"]);
    let e = match rng.below(6) {
        0 => 0,
        1 => rng.below(s.elems.len()),
        _ if !points.is_empty() => *rng.pick(&points),
        _ => 0,
    };
    let el = s.elems.get(e)?;
    let n = *rng.pick(&[1_000, 10_000, 100_000]);
    let (attrs, what) = match rng.below(6) {
        0 => (
            " x=\"1\"".repeat(n),
            "the same attribute x=\"1\"".to_string(),
        ),
        1 => (
            (0..n).map(|k| format!(" xmlns:n{k}=\"u{k}\"")).collect(),
            "namespace declarations".into(),
        ),
        2 => (
            (0..n).map(|k| format!(" n{k}:a=\"{k}\"")).collect(),
            "prefixed attributes n{k}:a".into(),
        ),
        _ => (
            (0..n).map(|k| format!(" a{k}=\"{k}\"")).collect(),
            "distinct attributes".into(),
        ),
    };
    Some((
        vec![edit(el.name_end, el.name_end, attrs)],
        format!("{n} {what} before the others in <{}> #{e}", el.local),
    ))
}

fn elem_dup(s: &XmlSeed, rng: &mut Rng) -> Op {
    let points = s.elems_named(&["trkpt", "rtept", "wpt", "Trackpoint"]);
    let e = if points.is_empty() || rng.chance(5) {
        rng.below(s.elems.len())
    } else {
        *rng.pick(&points)
    };
    let el = s.elems.get(e)?;
    let one = s.elem_bytes(e);
    // Up to 16 MB: a 50,000-point track of real trkpt elements.
    let n = (*rng.pick(&[1_000, 10_000, 50_000]))
        .min((16 << 20) / (one.len() + 1))
        .max(1);
    let mut copy = Vec::with_capacity(n * (one.len() + 1));
    for _ in 0..n {
        copy.push(b'\n');
        copy.extend_from_slice(one);
    }
    Some((
        vec![edit(el.end, el.end, copy)],
        format!("<{}> #{e} repeated {n} times", el.local),
    ))
}

fn nest(s: &XmlSeed, format: Format, rng: &mut Rng) -> Op {
    let points = s.elems_named(&["trkpt", "rtept", "Trackpoint"]);
    let e = *rng.pick(if points.is_empty() { &[0] } else { &points });
    let el = s.elems.get(e)?;
    let tag = match (format, rng.below(3)) {
        (Format::Gpx, 0) => "trkseg",
        (Format::Gpx, 1) => "extensions",
        (Format::Tcx, 0) => "Track",
        (Format::Tcx, 1) => "Lap",
        _ => "x",
    };
    let n = *rng.pick(&[100, 255, 300, 10_000, 100_000]);
    Some((
        vec![
            edit(el.start, el.start, format!("<{tag}>").repeat(n)),
            edit(el.end, el.end, format!("</{tag}>").repeat(n)),
        ],
        format!("<{}> #{e} inside {n} nested <{tag}>", el.local),
    ))
}

fn siblings(s: &XmlSeed, format: Format, rng: &mut Rng) -> Op {
    const LAP: &str = "<Lap StartTime=\"2020-01-01T00:00:00Z\"><TotalTimeSeconds>1e300</TotalTimeSeconds><DistanceMeters>1e300</DistanceMeters></Lap>";
    let (anchor, unit) = match format {
        Format::Gpx => *rng.pick(&[
            ("trkseg", "<trkseg></trkseg>"),
            ("trkseg", "<trkseg/>"),
            ("trkpt", "<trkpt lat=\"0\" lon=\"0\"/>"),
            ("trkpt", "<trkpt/>"),
            ("trk", "<trk><trkseg/></trk>"),
            ("trkpt", "<extensions/>"),
            ("wpt", "<wpt lat=\"1\" lon=\"1\"/>"),
        ]),
        _ => *rng.pick(&[
            ("Lap", LAP),
            ("Lap", "<Lap/>"),
            ("Trackpoint", "<Trackpoint/>"),
            (
                "Trackpoint",
                "<Trackpoint><DistanceMeters>1e300</DistanceMeters></Trackpoint>",
            ),
            ("Activity", "<Activity Sport=\"Running\"/>"),
            ("Activity", "<Activity Sport=\"Running\"><Lap><Track><Trackpoint><Time>2020-01-01T00:00:00Z</Time></Trackpoint></Track></Lap></Activity>"),
        ]),
    };
    let anchors = s.elems_named(&[anchor]);
    if anchors.is_empty() {
        return None;
    }
    let e = *rng.pick(&anchors);
    let n = capped(*rng.pick(&[1_000, 10_000, 100_000]), unit.len());
    Some((
        vec![edit(s.elems[e].end, s.elems[e].end, unit.repeat(n))],
        format!("{n} x {unit} after <{anchor}> #{e}"),
    ))
}

fn child_flood(s: &XmlSeed, rng: &mut Rng) -> Op {
    let points = s.elems_named(&["trkpt", "rtept", "wpt", "Trackpoint", "Lap"]);
    let p = *rng.pick(if points.is_empty() { &[0] } else { &points });
    let kids: Vec<usize> = (0..s.elems.len())
        .filter(|&k| s.elems[k].parent == Some(p))
        .collect();
    if kids.is_empty() {
        return None;
    }
    let c = *rng.pick(&kids);
    let one = s.elem_bytes(c);
    let n = capped(*rng.pick(&[1_000, 10_000, 100_000]), one.len());
    Some((
        vec![edit(s.elems[c].end, s.elems[c].end, one.repeat(n))],
        format!(
            "child <{}> of <{}> #{p} repeated {n} times",
            s.elems[c].local, s.elems[p].local
        ),
    ))
}

fn top_dup(s: &XmlSeed, format: Format, rng: &mut Rng) -> Op {
    let tops = s.elems_named(match format {
        Format::Gpx => &["trk", "trkseg", "rte"],
        _ => &["Activity", "Lap", "Track"],
    });
    if tops.is_empty() {
        return None;
    }
    let e = *rng.pick(&tops);
    let one = s.elem_bytes(e);
    let n = (*rng.pick(&[2, 10, 100, 200]))
        .min((8 << 20) / one.len().max(1))
        .max(1);
    Some((
        vec![edit(s.elems[e].end, s.elems[e].end, one.repeat(n))],
        format!("<{}> #{e} repeated {n} times", s.elems[e].local),
    ))
}

fn comment_flood(s: &XmlSeed, rng: &mut Rng) -> Op {
    let points = s.elems_named(&["trkpt", "rtept", "wpt", "Trackpoint"]);
    let e = *rng.pick(if points.is_empty() { &[0] } else { &points });
    let at = s.elems.get(e)?.end;
    let (text, what) = match rng.below(3) {
        0 => (format!("<!--{}-->", "x".repeat(4 << 20)), "a 4 MB comment"),
        1 => ("<!---->".repeat(200_000), "200,000 empty comments"),
        _ => (
            "<?pi x?>".repeat(200_000),
            "200,000 processing instructions",
        ),
    };
    Some((
        vec![edit(at, at, text)],
        format!("{what} after element #{e}"),
    ))
}

// ------------------------------------------------------------------------------------------
// FIT: header, record headers, definitions and data messages, CRCs
// ------------------------------------------------------------------------------------------

#[derive(Clone)]
struct FitField {
    num: u8,
    size: u8,
    base: u8,
    /// Offset of the value in a data message (after its 1-byte record header).
    off: usize,
    dev: bool,
}

#[derive(Clone)]
struct FitDef {
    big: bool,
    global: u16,
    fields: Vec<FitField>,
    data_len: usize,
}

#[derive(Clone)]
struct FitMsg {
    bytes: Vec<u8>,
    def: usize,
    is_def: bool,
}

#[derive(Clone)]
struct FitFile {
    header: Vec<u8>,
    defs: Vec<FitDef>,
    msgs: Vec<FitMsg>,
}

struct FitSeed {
    path: PathBuf,
    files: Vec<FitFile>,
}

/// The FIT CRC-16 (the protocol's nibble table).
fn fit_crc(bytes: &[u8]) -> u16 {
    const T: [u16; 16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401, 0xA001, 0x6C00, 0x7800,
        0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ];
    let mut crc = 0u16;
    for &b in bytes {
        let mut tmp = T[(crc & 0xf) as usize];
        crc = (crc >> 4) & 0x0fff;
        crc = crc ^ tmp ^ T[(b & 0xf) as usize];
        tmp = T[(crc & 0xf) as usize];
        crc = (crc >> 4) & 0x0fff;
        crc = crc ^ tmp ^ T[((b >> 4) & 0xf) as usize];
    }
    crc
}

fn is_header(b: &[u8]) -> bool {
    b.len() >= 12 && (b[0] == 12 || b[0] == 14) && &b[8..12] == b".FIT"
}

fn global_name(g: u16) -> String {
    match g {
        0 => "file_id".into(),
        12 => "sport".into(),
        18 => "session".into(),
        19 => "lap".into(),
        20 => "record".into(),
        21 => "event".into(),
        23 => "device_info".into(),
        34 => "activity".into(),
        49 => "file_creator".into(),
        206 => "field_description".into(),
        207 => "developer_data_id".into(),
        g => format!("global {g}"),
    }
}

/// Parses the chain of FIT files as far as the framing holds; whatever follows a break is
/// dropped (the seed becomes a well-formed file).
fn parse_fit(b: &[u8]) -> Vec<FitFile> {
    let mut files = Vec::new();
    let mut pos = 0;
    while is_header(&b[pos..]) {
        let hs = b[pos] as usize;
        let size = u32::from_le_bytes(b[pos + 4..pos + 8].try_into().unwrap()) as usize;
        let end = (pos + hs).saturating_add(size).min(b.len());
        let mut f = FitFile {
            header: b[pos..(pos + hs).min(b.len())].to_vec(),
            defs: Vec::new(),
            msgs: Vec::new(),
        };
        if f.header.len() < hs {
            break;
        }
        let mut local: [Option<usize>; 16] = [None; 16];
        let mut p = pos + hs;
        while p < end {
            let h = b[p];
            if h & 0xc0 == 0x40 {
                if p + 6 > end {
                    break;
                }
                let big = b[p + 2] == 1;
                let g = [b[p + 3], b[p + 4]];
                let global = if big {
                    u16::from_be_bytes(g)
                } else {
                    u16::from_le_bytes(g)
                };
                let nf = b[p + 5] as usize;
                let mut q = p + 6;
                let mut fields = Vec::new();
                let mut off = 1;
                if q + 3 * nf > end {
                    break;
                }
                for _ in 0..nf {
                    fields.push(FitField {
                        num: b[q],
                        size: b[q + 1],
                        base: b[q + 2],
                        off,
                        dev: false,
                    });
                    off += b[q + 1] as usize;
                    q += 3;
                }
                if h & 0x20 != 0 {
                    if q >= end {
                        break;
                    }
                    let nd = b[q] as usize;
                    q += 1;
                    if q + 3 * nd > end {
                        break;
                    }
                    for _ in 0..nd {
                        fields.push(FitField {
                            num: b[q],
                            size: b[q + 1],
                            base: 0x0d,
                            off,
                            dev: true,
                        });
                        off += b[q + 1] as usize;
                        q += 3;
                    }
                }
                let id = f.defs.len();
                f.defs.push(FitDef {
                    big,
                    global,
                    fields,
                    data_len: off - 1,
                });
                local[(h & 0x0f) as usize] = Some(id);
                f.msgs.push(FitMsg {
                    bytes: b[p..q].to_vec(),
                    def: id,
                    is_def: true,
                });
                p = q;
            } else {
                let l = if h & 0x80 != 0 {
                    (h >> 5) & 3
                } else {
                    h & 0x0f
                };
                let Some(id) = local[l as usize] else { break };
                let q = p + 1 + f.defs[id].data_len;
                if q > end {
                    break;
                }
                f.msgs.push(FitMsg {
                    bytes: b[p..q].to_vec(),
                    def: id,
                    is_def: false,
                });
                p = q;
            }
        }
        let complete = p >= end;
        files.push(f);
        pos = end + 2;
        if !complete || pos >= b.len() {
            break;
        }
    }
    files
}

/// Writes the files with correct sizes and CRCs; returns the bytes and where each file's
/// header starts.
fn write_fit(files: &[FitFile]) -> (Vec<u8>, Vec<usize>) {
    let mut out = Vec::new();
    let mut starts = Vec::new();
    for f in files {
        let start = out.len();
        starts.push(start);
        let mut h = f.header.clone();
        let size: usize = f.msgs.iter().map(|m| m.bytes.len()).sum();
        h[4..8].copy_from_slice(&(size as u32).to_le_bytes());
        if h.len() >= 14 {
            let c = fit_crc(&h[..12]);
            h[12..14].copy_from_slice(&c.to_le_bytes());
        }
        out.extend_from_slice(&h);
        for m in &f.msgs {
            out.extend_from_slice(&m.bytes);
        }
        let c = fit_crc(&out[start..]);
        out.extend_from_slice(&c.to_le_bytes());
    }
    (out, starts)
}

impl FitSeed {
    fn new(path: PathBuf, bytes: &[u8]) -> Option<FitSeed> {
        let mut files = parse_fit(bytes);
        for f in &mut files {
            let mut seen: BTreeMap<u16, usize> = BTreeMap::new();
            let defs = f.defs.clone();
            f.msgs.retain(|m| {
                let g = defs[m.def].global;
                if m.is_def || matches!(g, 0 | 12 | 18 | 19 | 21 | 34 | 206 | 207) {
                    return true;
                }
                let n = seen.entry(g).or_default();
                *n += 1;
                *n <= FIT_MESSAGES_KEPT
            });
        }
        (!files.is_empty()).then_some(FitSeed { path, files })
    }
}

/// Bytes of one base type's value (FIT profile base types).
fn type_size(base: u8) -> usize {
    match base & 0x1f {
        3 | 4 | 11 => 2,
        5 | 6 | 8 | 12 => 4,
        9 | 14..=16 => 8,
        _ => 1,
    }
}

#[derive(Clone, Copy, Debug)]
enum Fill {
    Invalid,
    AllFf,
    Max,
    Min,
    Zero,
    One,
    Random,
    Huge,
    NaN,
    Inf,
}

const FILLS: &[Fill] = &[
    Fill::Invalid,
    Fill::AllFf,
    Fill::Max,
    Fill::Min,
    Fill::Zero,
    Fill::One,
    Fill::Random,
    Fill::Huge,
    Fill::NaN,
    Fill::Inf,
];

/// `size` bytes of one field holding `fill` for its base type, in the message's byte order.
fn fill_bytes(size: usize, base: u8, big: bool, fill: Fill, rng: &mut Rng) -> Vec<u8> {
    let t = type_size(base);
    let b = base & 0x1f;
    let signed = matches!(b, 1 | 3 | 5 | 14);
    let z = matches!(b, 10 | 11 | 12 | 16);
    let bits = 8 * t as u32;
    let ones = if bits == 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    let mut out = Vec::with_capacity(size);
    while out.len() < size {
        let v: u64 = match (fill, b) {
            (Fill::AllFf, _) => u64::MAX,
            (Fill::Random, _) => rng.next(),
            (Fill::Zero, _) => 0,
            (Fill::Huge, 8) => f32::MAX.to_bits() as u64,
            (Fill::Huge, 9) => f64::MAX.to_bits(),
            (Fill::NaN, 8) => f32::NAN.to_bits() as u64,
            (Fill::NaN, 9) => f64::NAN.to_bits(),
            (Fill::Inf, 8) => f32::INFINITY.to_bits() as u64,
            (Fill::Inf, 9) => f64::INFINITY.to_bits(),
            (Fill::One, 8) => 1f32.to_bits() as u64,
            (Fill::One, 9) => 1f64.to_bits(),
            (Fill::One, _) => 1,
            (Fill::Invalid, _) if z => 0,
            (Fill::Invalid, _) if signed => ones >> 1,
            (Fill::Invalid, _) => ones,
            (Fill::Min, _) if signed => 1u64 << (bits - 1),
            (Fill::Min, _) => 0,
            (_, _) if signed => (ones >> 1) - 1,
            (_, _) if z => ones,
            _ => ones - 1,
        };
        let le = v.to_le_bytes();
        let mut one: Vec<u8> = le[..t].to_vec();
        if big {
            one.reverse();
        }
        out.extend_from_slice(&one);
    }
    out.truncate(size);
    out
}

/// Indices of the data messages in `f`, grouped by global message number.
fn data_by_global(f: &FitFile) -> Vec<(u16, Vec<usize>)> {
    let mut m: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
    for (k, msg) in f.msgs.iter().enumerate() {
        if !msg.is_def {
            m.entry(f.defs[msg.def].global).or_default().push(k);
        }
    }
    m.into_iter().collect()
}

/// Rewrites field `fi` of every data message in `msgs` of definition `def`.
fn set_field(f: &mut FitFile, msgs: &[usize], fi: usize, fill: Fill, rng: &mut Rng) {
    for &k in msgs {
        let d = &f.defs[f.msgs[k].def];
        let Some(fd) = d.fields.get(fi) else { continue };
        let v = fill_bytes(fd.size as usize, fd.base, d.big, fill, rng);
        let off = fd.off;
        f.msgs[k].bytes[off..off + v.len()].copy_from_slice(&v);
    }
}

/// Index of a definition's field with number `num` (not a developer field).
fn field_index(d: &FitDef, num: u8) -> Option<usize> {
    d.fields.iter().position(|x| x.num == num && !x.dev)
}

/// One FIT mutant: a structured change of the model, written back with correct sizes and
/// CRCs, then (for the header and CRC mutations) patched.
fn fit_mutant(s: &FitSeed, rng: &mut Rng) -> (Vec<u8>, String) {
    let mut files = s.files.clone();
    let fi = rng.below(files.len());
    let r = rng.below(100);
    let what = match r {
        0..=24 => fit_field_one(&mut files[fi], rng),
        25..=37 => fit_field_all(&mut files[fi], rng),
        38..=44 => fit_record_times(&mut files[fi], rng),
        45..=54 => fit_retype(&mut files[fi], rng),
        55..=60 => fit_resize(&mut files[fi], rng),
        61..=64 => fit_def_bytes(&mut files[fi], rng),
        65..=73 => fit_repeat(&mut files[fi], rng),
        74..=76 => fit_drop(&mut files[fi], rng),
        77..=79 => fit_chain(&mut files, rng),
        80..=82 => fit_truncate(&mut files[fi], rng),
        83..=85 => fit_scramble(&mut files[fi], rng),
        _ => None,
    };
    let what = what.map(|w| format!("file {fi}: {w}"));
    let (mut bytes, starts) = write_fit(&files);
    let what = match what {
        Some(w) => w,
        None => fit_patch(&mut bytes, &starts, fi, rng),
    };
    (bytes, what)
}

fn fit_pick_data(f: &FitFile, rng: &mut Rng) -> Option<(u16, Vec<usize>)> {
    let by = data_by_global(f);
    (!by.is_empty()).then(|| rng.pick(&by).clone())
}

fn fit_field_one(f: &mut FitFile, rng: &mut Rng) -> Option<String> {
    let (g, msgs) = fit_pick_data(f, rng)?;
    let k = *rng.pick(&msgs);
    let d = &f.defs[f.msgs[k].def];
    if d.fields.is_empty() {
        return None;
    }
    let fi = rng.below(d.fields.len());
    let fd = d.fields[fi].clone();
    let fill = *rng.pick(FILLS);
    set_field(f, &[k], fi, fill, rng);
    Some(format!(
        "message #{k} ({}) field {}{} (size {}, base {:#04x}) -> {fill:?}",
        global_name(g),
        fd.num,
        if fd.dev { " (developer)" } else { "" },
        fd.size,
        fd.base
    ))
}

fn fit_field_all(f: &mut FitFile, rng: &mut Rng) -> Option<String> {
    let (g, msgs) = fit_pick_data(f, rng)?;
    let d = &f.defs[f.msgs[msgs[0]].def];
    if d.fields.is_empty() {
        return None;
    }
    let num = d.fields[rng.below(d.fields.len())].num;
    let fill = *rng.pick(FILLS);
    let mut hit = 0;
    for &k in &msgs {
        if let Some(fi) = field_index(&f.defs[f.msgs[k].def], num) {
            set_field(f, &[k], fi, fill, rng);
            hit += 1;
        }
    }
    Some(format!(
        "field {num} of every {} ({hit}) -> {fill:?}",
        global_name(g)
    ))
}

fn fit_record_times(f: &mut FitFile, rng: &mut Rng) -> Option<String> {
    let records: Vec<usize> = (0..f.msgs.len())
        .filter(|&k| !f.msgs[k].is_def && f.defs[f.msgs[k].def].global == 20)
        .collect();
    if records.is_empty() {
        return None;
    }
    let n = records.len();
    if rng.chance(4) {
        // Compressed-timestamp record headers (local types 0-3 only).
        let mut done = 0;
        for &k in &records {
            let h = f.msgs[k].bytes[0];
            if h & 0x80 == 0 && h & 0x0f < 4 {
                let off = rng.below(32) as u8;
                f.msgs[k].bytes[0] = 0x80 | ((h & 0x03) << 5) | off;
                done += 1;
            }
        }
        return Some(format!(
            "{done} of {n} record headers made compressed-timestamp headers with random offsets"
        ));
    }
    let kind = rng.below(6);
    let j = rng.below(n);
    let mut first: Option<u32> = None;
    for (idx, &k) in records.iter().enumerate() {
        let d = &f.defs[f.msgs[k].def];
        let Some(fi) = field_index(d, 253) else {
            continue;
        };
        let fd = &d.fields[fi];
        if fd.size != 4 {
            continue;
        }
        let range = fd.off..fd.off + 4;
        let cur = {
            let b: [u8; 4] = f.msgs[k].bytes[range.clone()].try_into().unwrap();
            if d.big {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        let f0 = *first.get_or_insert(cur);
        let v = match kind {
            0 => 0,
            1 => u32::MAX - 1,
            2 => f0.wrapping_sub(idx as u32),
            3 => f0,
            4 if idx >= j => cur.wrapping_add(0x7fff_ffff),
            4 => cur,
            _ => rng.next() as u32,
        };
        let b = if d.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        f.msgs[k].bytes[range].copy_from_slice(&b);
    }
    Some(match kind {
        0 => format!("every record timestamp ({n}) -> 0"),
        1 => format!("every record timestamp ({n}) -> 0xFFFFFFFE"),
        2 => format!("record timestamps ({n}) counting backwards"),
        3 => format!("every record timestamp ({n}) equal to the first"),
        4 => format!("record timestamps from #{j} of {n} on plus 2^31-1 s"),
        _ => format!("every record timestamp ({n}) random"),
    })
}

/// Changes a field's base type in its definition (same size), then optionally writes a
/// value of the new type into every message of that definition.
fn fit_retype(f: &mut FitFile, rng: &mut Rng) -> Option<String> {
    let defs: Vec<usize> = (0..f.defs.len())
        .filter(|&d| f.defs[d].fields.iter().any(|x| !x.dev))
        .collect();
    if defs.is_empty() {
        return None;
    }
    let prefer: Vec<usize> = defs
        .iter()
        .copied()
        .filter(|&d| matches!(f.defs[d].global, 18..=20))
        .collect();
    let any = prefer.is_empty() || rng.chance(4);
    let d = *rng.pick(if any { &defs } else { &prefer });
    let normal: Vec<usize> = (0..f.defs[d].fields.len())
        .filter(|&k| !f.defs[d].fields[k].dev)
        .collect();
    let fi = *rng.pick(&normal);
    let size = f.defs[d].fields[fi].size;
    let base = match (size, rng.below(3)) {
        (4, 0 | 1) => 0x88,
        (8, 0 | 1) => 0x89,
        _ => *rng.pick(&[
            0x00, 0x01, 0x02, 0x83, 0x84, 0x85, 0x86, 0x07, 0x88, 0x89, 0x0a, 0x8b, 0x8c, 0x0d,
            0x8e, 0x8f, 0x90, 0xff, 0x1f, 0x11, 0x9f,
        ]),
    };
    let old = f.defs[d].fields[fi].base;
    f.defs[d].fields[fi].base = base;
    let k = f.msgs.iter().position(|m| m.is_def && m.def == d)?;
    f.msgs[k].bytes[6 + 3 * fi + 2] = base;
    let users: Vec<usize> = (0..f.msgs.len())
        .filter(|&m| !f.msgs[m].is_def && f.msgs[m].def == d)
        .collect();
    let fill = if rng.chance(4) {
        None
    } else {
        Some(*rng.pick(&[
            Fill::Huge,
            Fill::Huge,
            Fill::NaN,
            Fill::Inf,
            Fill::Max,
            Fill::Random,
        ]))
    };
    if let Some(fill) = fill {
        set_field(f, &users, fi, fill, rng);
    }
    Some(format!(
        "{} field {} (size {size}) retyped {old:#04x} -> {base:#04x}{}",
        global_name(f.defs[d].global),
        f.defs[d].fields[fi].num,
        match fill {
            Some(x) => format!(", every value ({}) -> {x:?}", users.len()),
            None => String::new(),
        }
    ))
}

/// Changes a field's size in its definition and resizes every data message that uses it
/// (the framing stays valid).
fn fit_resize(f: &mut FitFile, rng: &mut Rng) -> Option<String> {
    let defs: Vec<usize> = (0..f.defs.len())
        .filter(|&d| !f.defs[d].fields.is_empty())
        .collect();
    if defs.is_empty() {
        return None;
    }
    let d = *rng.pick(&defs);
    let fi = rng.below(f.defs[d].fields.len());
    let fd = f.defs[d].fields[fi].clone();
    let t = type_size(fd.base);
    let new = *rng.pick(&[0usize, 1, t + 1, 255, 2 * fd.size as usize, 3, 254]);
    let new = new.min(255);
    let k = f.msgs.iter().position(|m| m.is_def && m.def == d)?;
    // Position of the size byte: normal fields at 6 + 3i, developer fields after the count.
    let normal = f.defs[d].fields.iter().filter(|x| !x.dev).count();
    let pos = if fd.dev {
        6 + 3 * normal + 1 + 3 * (fi - normal) + 1
    } else {
        6 + 3 * fi + 1
    };
    f.msgs[k].bytes[pos] = new as u8;
    let fill = *rng.pick(&[Fill::AllFf, Fill::Random, Fill::Zero, Fill::Max]);
    for m in 0..f.msgs.len() {
        if f.msgs[m].is_def || f.msgs[m].def != d {
            continue;
        }
        let v = fill_bytes(new, fd.base, f.defs[d].big, fill, rng);
        f.msgs[m].bytes.splice(fd.off..fd.off + fd.size as usize, v);
    }
    let delta = new as isize - fd.size as isize;
    let def = &mut f.defs[d];
    def.fields[fi].size = new as u8;
    for x in def.fields.iter_mut().skip(fi + 1) {
        x.off = (x.off as isize + delta) as usize;
    }
    def.data_len = (def.data_len as isize + delta) as usize;
    Some(format!(
        "{} field {}{} size {} -> {new} (base {:#04x}), data resized to match with {fill:?}",
        global_name(def.global),
        fd.num,
        if fd.dev { " (developer)" } else { "" },
        fd.size,
        fd.base
    ))
}

/// Raw definition bytes: field count, a size byte, architecture or global number changed
/// without touching the data (the framing breaks, or the data is read another way).
fn fit_def_bytes(f: &mut FitFile, rng: &mut Rng) -> Option<String> {
    let defs: Vec<usize> = (0..f.msgs.len()).filter(|&k| f.msgs[k].is_def).collect();
    if defs.is_empty() {
        return None;
    }
    let k = *rng.pick(&defs);
    let g = f.defs[f.msgs[k].def].global;
    let big = f.defs[f.msgs[k].def].big;
    let b = &mut f.msgs[k].bytes;
    Some(match rng.below(4) {
        0 => {
            let old = b[5];
            let r = rng.next() as u8;
            b[5] = *rng.pick(&[0u8, 255, old.wrapping_add(1), old.wrapping_sub(1), r]);
            format!(
                "definition #{k} ({}) field count {old} -> {}",
                global_name(g),
                b[5]
            )
        }
        1 if b.len() > 6 => {
            let i = rng.below((b.len() - 6) / 3);
            let old = b[6 + 3 * i + 1];
            let r = rng.next() as u8;
            b[6 + 3 * i + 1] = *rng.pick(&[0u8, 255, old.wrapping_add(1), r]);
            format!(
                "definition #{k} ({}) field {i} size {old} -> {} (data not resized)",
                global_name(g),
                b[6 + 3 * i + 1]
            )
        }
        2 => {
            let old = b[2];
            b[2] = *rng.pick(&[old ^ 1, 2, 255]);
            format!(
                "definition #{k} ({}) architecture {old} -> {}",
                global_name(g),
                b[2]
            )
        }
        _ => {
            let r = rng.next() as u16;
            let new: u16 = *rng.pick(&[
                0, 18, 19, 20, 21, 34, 12, 23, 49, 206, 207, 0xffff, 0xff00, r,
            ]);
            let v = if big {
                new.to_be_bytes()
            } else {
                new.to_le_bytes()
            };
            b[3..5].copy_from_slice(&v);
            format!(
                "definition #{k} ({}) global number -> {}",
                global_name(g),
                global_name(new)
            )
        }
    })
}

/// Repeats a data message (or a definition and its data) thousands of times in place.
fn fit_repeat(f: &mut FitFile, rng: &mut Rng) -> Option<String> {
    let by = data_by_global(f);
    if by.is_empty() {
        return None;
    }
    let prefer: Vec<&(u16, Vec<usize>)> = by
        .iter()
        .filter(|(g, _)| matches!(g, 0 | 18 | 19 | 20 | 21 | 34 | 206))
        .collect();
    let (g, msgs) = if prefer.is_empty() || rng.chance(5) {
        rng.pick(&by).clone()
    } else {
        (*rng.pick(&prefer)).clone()
    };
    let k = *rng.pick(&msgs);
    let n = *rng.pick(match g {
        18 | 19 | 0 | 34 => &[100, 1_000, 5_000][..],
        _ => &[1_000, 10_000, 50_000][..],
    });
    let with_def = rng.chance(4);
    let mut unit = Vec::new();
    if with_def {
        let d = f
            .msgs
            .iter()
            .position(|m| m.is_def && m.def == f.msgs[k].def)?;
        unit.push(f.msgs[d].clone());
    }
    unit.push(f.msgs[k].clone());
    let len: usize = unit.iter().map(|m| m.bytes.len()).sum();
    let n = capped(n, len);
    let copies: Vec<FitMsg> = (0..n).flat_map(|_| unit.iter().cloned()).collect();
    f.msgs.splice(k + 1..k + 1, copies);
    Some(format!(
        "{} message #{k}{} repeated {n} times",
        global_name(g),
        if with_def { " with its definition" } else { "" }
    ))
}

fn fit_drop(f: &mut FitFile, rng: &mut Rng) -> Option<String> {
    let before = f.msgs.len();
    let what = match rng.below(4) {
        0 => {
            let defs = f.defs.clone();
            f.msgs.retain(|m| defs[m.def].global != 0);
            "every file_id message and definition removed"
        }
        1 => {
            let k = f.msgs.iter().position(|m| m.is_def)?;
            f.msgs.remove(k);
            "the first definition removed"
        }
        2 => {
            let defs = f.defs.clone();
            f.msgs
                .retain(|m| m.is_def || !matches!(defs[m.def].global, 18 | 19));
            "every session and lap message removed"
        }
        _ => {
            let defs = f.defs.clone();
            let mut seen = false;
            f.msgs.retain(|m| {
                if m.is_def || defs[m.def].global != 20 {
                    return true;
                }
                let keep = !seen;
                seen = true;
                keep
            });
            "every record but the first removed"
        }
    };
    Some(format!("{what} ({} messages gone)", before - f.msgs.len()))
}

/// Chains copies of the first file: the whole file a few times, or a minimal one (its
/// definitions, file_id and first record) thousands of times.
fn fit_chain(files: &mut Vec<FitFile>, rng: &mut Rng) -> Option<String> {
    let mut one = files.first()?.clone();
    let (n, what) = if rng.chance(2) {
        (*rng.pick(&[2, 10]), "the first file")
    } else {
        let defs = one.defs.clone();
        let mut seen = false;
        one.msgs.retain(|m| {
            let g = defs[m.def].global;
            if m.is_def || g == 0 {
                return true;
            }
            let keep = g == 20 && !seen;
            seen |= g == 20;
            keep
        });
        (
            *rng.pick(&[1_000, 5_000]),
            "a file of its definitions, file_id and first record",
        )
    };
    let len: usize = one.msgs.iter().map(|m| m.bytes.len()).sum::<usize>() + 16;
    let n = capped(n, len);
    for _ in 0..n {
        files.push(one.clone());
    }
    Some(format!("{what} chained {n} more times"))
}

fn fit_truncate(f: &mut FitFile, rng: &mut Rng) -> Option<String> {
    if f.msgs.len() < 2 {
        return None;
    }
    let k = 1 + rng.below(f.msgs.len() - 1);
    f.msgs.truncate(k);
    if rng.chance(2) {
        let last = f.msgs.last_mut()?;
        let cut = rng.below(last.bytes.len());
        last.bytes.truncate(cut.max(1));
        return Some(format!(
            "cut inside message #{} (valid sizes and CRC)",
            k - 1
        ));
    }
    Some(format!(
        "only the first {k} messages kept (valid sizes and CRC)"
    ))
}

fn fit_scramble(f: &mut FitFile, rng: &mut Rng) -> Option<String> {
    let (g, msgs) = fit_pick_data(f, rng)?;
    let k = *rng.pick(&msgs);
    let b = &mut f.msgs[k].bytes;
    for x in b.iter_mut().skip(1) {
        *x = rng.next() as u8;
    }
    Some(format!(
        "message #{k} ({}) all random bytes",
        global_name(g)
    ))
}

/// Header and CRC mutations, on the written bytes.
fn fit_patch(bytes: &mut Vec<u8>, starts: &[usize], fi: usize, rng: &mut Rng) -> String {
    let h = starts[fi];
    let hs = bytes[h] as usize;
    let size = u32::from_le_bytes(bytes[h + 4..h + 8].try_into().unwrap());
    match rng.below(7) {
        0 | 1 => {
            let r = rng.next() as u32;
            let new = *rng.pick(&[
                0,
                1,
                size.wrapping_sub(1),
                size + 1,
                size.wrapping_mul(2),
                u32::MAX,
                0x7fff_ffff,
                r,
            ]);
            bytes[h + 4..h + 8].copy_from_slice(&new.to_le_bytes());
            if hs == 14 {
                let c = fit_crc(&bytes[h..h + 12]);
                bytes[h + 12..h + 14].copy_from_slice(&c.to_le_bytes());
            }
            format!("file {fi}: header data_size {size} -> {new}")
        }
        2 => {
            let new = if hs == 14 { 12 } else { 14 };
            bytes[h] = new;
            format!("file {fi}: header size byte {hs} -> {new}")
        }
        3 => {
            bytes[h + 1] = *rng.pick(&[0u8, 0x20, 0xff]);
            bytes[h + 2] = rng.next() as u8;
            bytes[h + 3] = rng.next() as u8;
            format!(
                "file {fi}: protocol version {:#04x}, profile version {}",
                bytes[h + 1],
                u16::from_le_bytes([bytes[h + 2], bytes[h + 3]])
            )
        }
        4 if hs == 14 => {
            bytes[h + 12] ^= 0x5a;
            format!("file {fi}: wrong header CRC")
        }
        5 => {
            let end = h + hs + size as usize;
            bytes[end] ^= 0xa5;
            format!("file {fi}: wrong file CRC")
        }
        _ => {
            let end = h + hs + size as usize;
            if rng.chance(2) {
                bytes.drain(end..end + 2);
                format!("file {fi}: CRC missing")
            } else {
                let junk: Vec<u8> = (0..rng.below(64) + 1).map(|_| rng.next() as u8).collect();
                let n = junk.len();
                bytes.splice(end + 2..end + 2, junk);
                format!("file {fi}: {n} junk bytes after the CRC")
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// Regressions: small files in tests/regressions/ and big repetitive inputs built here
// ------------------------------------------------------------------------------------------

struct Case {
    name: String,
    path: PathBuf,
    build: Box<dyn Fn() -> Vec<u8>>,
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut out: Vec<Case> = Vec::new();
    if dir.is_dir() {
        for p in common::files(&dir, &[""]) {
            if p.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let q = p.clone();
            out.push(Case {
                name: format!(
                    "tests/regressions/{}",
                    p.file_name().unwrap().to_string_lossy()
                ),
                path: p,
                build: Box::new(move || std::fs::read(&q).unwrap()),
            });
        }
    }
    for (name, build) in generated() {
        out.push(Case {
            name: format!("generated: {name}"),
            path: PathBuf::from(name),
            build,
        });
    }
    out
}

type Build = Box<dyn Fn() -> Vec<u8>>;

/// Reproducers too big to store, built from a few lines of XML or a FIT skeleton.
fn generated() -> Vec<(&'static str, Build)> {
    vec![
        (
            "gpx_100k_attributes_before_latlon.gpx",
            Box::new(|| {
                let attrs: String = (0..100_000).map(|k| format!(" a{k}=\"{k}\"")).collect();
                gpx_with(&format!("<trkpt{attrs} lat=\"55.95\" lon=\"-3.19\">"))
            }),
        ),
        (
            "gpx_root_100k_namespace_declarations.gpx",
            Box::new(|| {
                let decls: String = (0..100_000)
                    .map(|k| format!(" xmlns:n{k}=\"urn:x:{k}\""))
                    .collect();
                String::from_utf8(gpx_with("<trkpt lat=\"55.95\" lon=\"-3.19\">"))
                    .unwrap()
                    .replacen("<gpx ", &format!("<gpx{decls} "), 1)
                    .into_bytes()
            }),
        ),
        (
            "tcx_activity_100k_attributes_before_sport.tcx",
            Box::new(|| {
                let attrs: String = (0..100_000).map(|k| format!(" a{k}=\"{k}\"")).collect();
                format!(
                    "<TrainingCenterDatabase><Activities><Activity{attrs} Sport=\"Running\"><Lap><Track>\
                     <Trackpoint><Time>2026-07-25T07:00:00Z</Time><DistanceMeters>0</DistanceMeters></Trackpoint>\
                     <Trackpoint><Time>2026-07-25T07:00:10Z</Time><DistanceMeters>30</DistanceMeters></Trackpoint>\
                     </Track></Lap></Activity></Activities></TrainingCenterDatabase>"
                )
                .into_bytes()
            }),
        ),
        (
            "fit_1000_sessions_over_7200_records.fit",
            Box::new(|| fit_skeleton(7_200, 1_000, 1).bytes),
        ),
        (
            "fit_5000_chained_files_with_bad_crcs.fit",
            Box::new(|| fit_skeleton(1, 1, 5_000).bad_crcs()),
        ),
    ]
}

/// A two-point GPX track whose first point opens with `first_trkpt`.
fn gpx_with(first_trkpt: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"t\"><trk><trkseg>{first_trkpt}<time>2026-07-25T07:00:00Z</time></trkpt><trkpt lat=\"55.9501\" lon=\"-3.19\"><time>2026-07-25T07:00:05Z</time></trkpt></trkseg></trk></gpx>\n"
    )
    .into_bytes()
}

/// A written FIT chain and where each file starts.
struct Written {
    bytes: Vec<u8>,
    starts: Vec<usize>,
}

impl Written {
    /// The same files, each with a wrong CRC (every file then carries a warning).
    fn bad_crcs(mut self) -> Vec<u8> {
        for &h in &self.starts {
            let hs = self.bytes[h] as usize;
            let size = u32::from_le_bytes(self.bytes[h + 4..h + 8].try_into().unwrap()) as usize;
            self.bytes[h + hs + size] ^= 0xff;
        }
        self.bytes
    }
}

/// A FIT activity: file_id, `records` one-second records (3 m/s north), `sessions` copies
/// of one session message spanning them all, an activity message; the whole file chained
/// `chained` times.
fn fit_skeleton(records: usize, sessions: usize, chained: usize) -> Written {
    const T0: u32 = 1_100_000_000;
    fn def(local: u8, global: u16, fields: &[(u8, u8, u8)]) -> FitMsg {
        let mut b = vec![0x40 | local, 0, 0];
        b.extend_from_slice(&global.to_le_bytes());
        b.push(fields.len() as u8);
        for &(n, s, t) in fields {
            b.extend_from_slice(&[n, s, t]);
        }
        FitMsg {
            bytes: b,
            def: 0,
            is_def: true,
        }
    }
    fn data(local: u8, values: &[&[u8]]) -> FitMsg {
        let mut b = vec![local];
        for v in values {
            b.extend_from_slice(v);
        }
        FitMsg {
            bytes: b,
            def: 0,
            is_def: false,
        }
    }
    let mut msgs = vec![
        def(0, 0, &[(0, 1, 0x00), (1, 2, 0x84), (4, 4, 0x86)]),
        data(0, &[&[4], &1u16.to_le_bytes(), &T0.to_le_bytes()]),
        def(
            1,
            20,
            &[
                (253, 4, 0x86),
                (0, 4, 0x85),
                (1, 4, 0x85),
                (5, 4, 0x86),
                (3, 1, 0x02),
            ],
        ),
    ];
    for i in 0..records {
        let lat = 667_000_000i32 + 1_288 * i as i32;
        msgs.push(data(
            1,
            &[
                &(T0 + i as u32).to_le_bytes(),
                &lat.to_le_bytes(),
                &(-38_000_000i32).to_le_bytes(),
                &(300 * i as u32).to_le_bytes(),
                &[140],
            ],
        ));
    }
    msgs.push(def(
        2,
        18,
        &[
            (253, 4, 0x86),
            (2, 4, 0x86),
            (7, 4, 0x86),
            (9, 4, 0x86),
            (5, 1, 0x00),
        ],
    ));
    let secs = records as u32;
    for _ in 0..sessions {
        msgs.push(data(
            2,
            &[
                &(T0 + secs).to_le_bytes(),
                &T0.to_le_bytes(),
                &(secs * 1000).to_le_bytes(),
                &(secs * 300).to_le_bytes(),
                &[1],
            ],
        ));
    }
    msgs.push(def(3, 34, &[(253, 4, 0x86), (1, 2, 0x84)]));
    msgs.push(data(3, &[&(T0 + secs).to_le_bytes(), &1u16.to_le_bytes()]));
    let mut header = vec![14, 0x20, 0x54, 0x08, 0, 0, 0, 0];
    header.extend_from_slice(b".FIT");
    header.extend_from_slice(&[0, 0]);
    let one = FitFile {
        header,
        defs: Vec::new(),
        msgs,
    };
    let (bytes, starts) = write_fit(&vec![one; chained]);
    Written { bytes, starts }
}

/// The FIT writer used for the generated reproducers makes files the reader accepts whole
/// (sizes, CRCs, definitions), so a reproducer fails for what it holds, not for framing.
#[test]
fn fit_skeleton_is_a_valid_activity() {
    let bytes = fit_skeleton(60, 1, 1).bytes;
    let acts = read_bytes(&bytes, Path::new("skeleton.fit")).unwrap();
    assert_eq!(acts.len(), 1);
    assert_eq!(acts[0].samples.len(), 60);
    assert!(acts[0].warnings.is_empty(), "{:?}", acts[0].warnings);
    let st = compute(&acts[0], &MetricsConfig::default());
    assert!((st.distance_m - 180.0).abs() < 1.0, "{}", st.distance_m);
    let chained = fit_skeleton(10, 1, 3);
    assert_eq!(
        read_bytes(&chained.bytes, Path::new("c.fit"))
            .unwrap()
            .len(),
        3
    );
    let bad = read_bytes(&fit_skeleton(10, 1, 2).bad_crcs(), Path::new("b.fit")).unwrap();
    assert!(
        bad[1].warnings.iter().any(|w| w.contains("checksum")),
        "{:?}",
        bad[1].warnings
    );
}
