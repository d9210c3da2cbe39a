//! The whole per-run metrics pass on a long activity: 6 hours at 1 Hz (21,600 fixes) with
//! position, barometric-looking elevation, heart rate and temperature, as an ultra runner's
//! watch records it. Baseline in the same run: a single geodesic-distance pass over the same
//! fixes with the `geo` crate.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use geo::{Distance, Geodesic, Point};
use racegap::model::{Activity, ElevationSource, Format, Sample, Sport};
use racegap::track::{compute, MetricsConfig};
use std::hint::black_box;

fn six_hour_run() -> Activity {
    let mut a = Activity::new("ultra.fit".into(), Format::Fit);
    a.sport = Sport::Running;
    a.elevation_source = ElevationSource::Barometric;
    let (mut x, mut y) = (0.0f64, 0.0f64);
    let mut heading = 0.0f64;
    for t in 0..6 * 3600 {
        heading += 0.002 * (t as f64 / 97.0).sin();
        let v = 2.6 + 0.3 * (t as f64 / 600.0).sin();
        x += v * heading.cos();
        y += v * heading.sin();
        let ele =
            400.0 + 250.0 * (x / 3000.0).sin() * (y / 4000.0).cos() + 0.2 * ((t % 7) as f64 - 3.0);
        a.samples.push(Sample {
            time_ms: Some(1_700_000_000_000 + t as i64 * 1000),
            lat_deg: Some(46.0 + y / 111_132.0),
            lon_deg: Some(7.0 + x / 77_300.0),
            elevation_m: Some((ele * 5.0).round() / 5.0),
            heart_rate_bpm: Some(140.0 + 10.0 * (t as f64 / 900.0).sin()),
            temperature_c: Some(18.0 + 8.0 * (t as f64 / 21_600.0)),
            ..Sample::default()
        });
    }
    a
}

fn metrics(c: &mut Criterion) {
    let act = six_hour_run();
    let cfg = MetricsConfig {
        goal_pace_s_per_km: Some(380.0),
        max_hr_bpm: Some(185.0),
        ..MetricsConfig::default()
    };
    let mut g = c.benchmark_group("metrics");
    g.sample_size(20);
    g.throughput(Throughput::Elements(act.samples.len() as u64));
    g.bench_function("compute_6h_1hz", |b| {
        b.iter(|| compute(black_box(&act), &cfg))
    });
    // Baseline in the same run: one pass of geodesic distance with the `geo` crate.
    let points: Vec<Point> = act
        .samples
        .iter()
        .map(|s| Point::new(s.lon_deg.unwrap(), s.lat_deg.unwrap()))
        .collect();
    g.bench_function("baseline_geo_geodesic_distance", |b| {
        b.iter(|| {
            black_box(&points)
                .windows(2)
                .map(|w| Geodesic.distance(w[0], w[1]))
                .sum::<f64>()
        })
    });
    g.finish();
}

criterion_group!(benches, metrics);
criterion_main!(benches);
