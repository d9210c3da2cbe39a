//! Reader throughput: our GPX reader against the `gpx` crate on the same bytes (the ratio is
//! the figure to quote), and our FIT and TCX readers, on the shipped sample data and a
//! corpus FIT (Garmin Edge 500) when `../shared/corpus` is present.

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

fn fit_and_tcx_readers(c: &mut Criterion) {
    let mut g = c.benchmark_group("read");
    g.sample_size(20);
    let corpus_fit = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/fit/garmin-edge-500-activity.fit");
    let mut files = vec![
        sample("2026-09-27-long-run.fit"),
        sample("2026-08-22-easy.tcx"),
    ];
    if corpus_fit.is_file() {
        files.push(corpus_fit);
    } else {
        eprintln!("SKIPPED corpus FIT bench: ../shared/corpus is not present");
    }
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let name = name.as_str();
        let bytes = std::fs::read(&path).unwrap();
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::new("racegap", name), &bytes, |b, bytes| {
            b.iter(|| read_bytes(black_box(bytes), Path::new(name)).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, gpx_readers, fit_and_tcx_readers);
criterion_main!(benches);
