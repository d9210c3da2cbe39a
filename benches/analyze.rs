//! End-to-end `racegap analyze` on a generated history of twelve and a half years, 3,649
//! activities in mixed formats (about 476 MB, made by the sample generator with 40 earlier
//! training cycles; not committed). In the same run: cold on one thread, cold on two, and
//! warm from the cache — the ratios between them are the figures to quote.

#[path = "../examples/synth/mod.rs"]
mod synth;

use clap::Parser;
use criterion::{criterion_group, criterion_main, Criterion};
use racegap::cli::Cli;
use std::path::Path;

fn run(history: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "racegap".to_string(),
        "analyze".into(),
        history.join("activities").display().to_string(),
        "--race".into(),
        history.join("race/race.toml").display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--format".into(),
        "svg".into(),
        "--no-progress".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let code = racegap::app::run(Cli::parse_from(args)).unwrap();
    assert_eq!(code, 0);
}

fn analyze(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history");
    let (n, bytes) = synth::generate(&history, 40).unwrap();
    eprintln!("generated {n} activities, {:.0} MB", bytes as f64 / 1e6);
    let out = dir.path().join("report");
    let cache = dir.path().join("cache");
    let cache_arg = cache.display().to_string();
    let mut g = c.benchmark_group("analyze_3649_activities");
    g.sample_size(10);
    g.measurement_time(std::time::Duration::from_secs(40));
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        g.bench_function(format!("cold_{threads}_thread"), |b| {
            b.iter(|| pool.install(|| run(&history, &out, &["--no-cache"])))
        });
    }
    run(&history, &out, &["--cache-dir", &cache_arg]);
    g.bench_function("warm_from_cache", |b| {
        b.iter(|| run(&history, &out, &["--cache-dir", &cache_arg]))
    });
    g.finish();
}

criterion_group!(benches, analyze);
criterion_main!(benches);
