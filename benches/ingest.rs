//! Reader throughput, each against a reference on the same bytes in the same run (the ratios
//! are the figures to quote): our GPX reader against the `gpx` crate; our FIT reader against
//! fitparser's full decode, over every FIT activity of the shipped sample data and of
//! `../shared/corpus` when it is present; and the TCX reader on a sample file.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use racegap::ingest::read_bytes;
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data/activities")
        .join(name)
}

/// A long GPX with Garmin extensions: the track points of a sample run repeated until the
/// file is about `target` bytes, as one track.
fn big_gpx(target: usize) -> Vec<u8> {
    let text = std::fs::read_to_string(sample("2026-07-22-easy.gpx")).unwrap();
    let start = text.find("      <trkpt").unwrap();
    let end = text.rfind("</trkpt>").unwrap() + "</trkpt>\n".len();
    let (head, points, tail) = (&text[..start], &text[start..end], &text[end..]);
    let mut out = String::with_capacity(target + points.len());
    out.push_str(head);
    while out.len() < target {
        out.push_str(points);
    }
    out.push_str(tail);
    out.into_bytes()
}

fn gpx_readers(c: &mut Criterion) {
    let bytes = big_gpx(50 << 20);
    let mut g = c.benchmark_group("gpx_read");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_with_input(
        BenchmarkId::new("racegap", bytes.len()),
        &bytes,
        |b, bytes| b.iter(|| read_bytes(black_box(bytes), Path::new("big.gpx")).unwrap()),
    );
    g.bench_with_input(
        BenchmarkId::new("gpx_crate", bytes.len()),
        &bytes,
        |b, bytes| b.iter(|| gpx::read(black_box(&bytes[..])).unwrap()),
    );
    g.finish();
}

/// The FIT activities both decoders read: the sample's and, when present, the corpus's
/// (files fitparser refuses and non-activity files left out), with their total size.
fn fit_files() -> (Vec<(String, Vec<u8>)>, u64) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("sample_data/activities")];
    let corpus = root.join("../shared/corpus/fit");
    if corpus.is_dir() {
        dirs.push(corpus);
    } else {
        eprintln!("SKIPPED corpus FIT files in the bench: ../shared/corpus is not present");
    }
    let mut files = Vec::new();
    for dir in dirs {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("fit")))
            .collect();
        paths.sort();
        for p in paths {
            let bytes = std::fs::read(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if racegap::ingest::fit::read(&bytes, &p).is_ok()
                && fitparser::from_bytes(&bytes).is_ok()
            {
                files.push((name, bytes));
            }
        }
    }
    let total = files.iter().map(|(_, b)| b.len() as u64).sum();
    (files, total)
}

fn fit_readers(c: &mut Criterion) {
    let (files, total) = fit_files();
    eprintln!("FIT bench: {} files, {total} bytes", files.len());
    let mut g = c.benchmark_group("fit_read");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(total));
    g.bench_function(BenchmarkId::new("racegap", files.len()), |b| {
        b.iter(|| {
            for (name, bytes) in &files {
                black_box(racegap::ingest::fit::read(black_box(bytes), Path::new(name)).unwrap());
            }
        })
    });
    g.bench_function(BenchmarkId::new("fitparser", files.len()), |b| {
        b.iter(|| {
            for (_, bytes) in &files {
                black_box(fitparser::from_bytes(black_box(bytes)).unwrap());
            }
        })
    });
    g.finish();
}

fn tcx_reader(c: &mut Criterion) {
    let mut g = c.benchmark_group("read");
    g.sample_size(20);
    let path = sample("2026-08-22-easy.tcx");
    let name = "2026-08-22-easy.tcx";
    let bytes = std::fs::read(&path).unwrap();
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_with_input(BenchmarkId::new("racegap", name), &bytes, |b, bytes| {
        b.iter(|| read_bytes(black_box(bytes), Path::new(name)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, gpx_readers, fit_readers, tcx_reader);
criterion_main!(benches);
