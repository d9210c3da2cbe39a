//! What every fuzz target does with an input of its format: read it with `read_bytes` and
//! measure every activity with `compute`. A panic, including one the reader's guard turns
//! into a "decoder failed" error, is a crash; run with `-timeout=2` to make a slow input
//! one too.

use racegap::discover::{sniff, Sniffed};
use racegap::ingest::read_bytes;
use racegap::model::Format;
use racegap::track::{compute, MetricsConfig};
use std::path::Path;

/// Reads and measures `data` if the content sniffer takes it for `format` (or gzip, which
/// `read_bytes` undoes); other formats belong to the other targets.
pub fn run(data: &[u8], format: Format, name: &str) {
    match sniff(data) {
        Sniffed::Format(f) if f == format => {}
        Sniffed::Gzip => {}
        _ => return,
    }
    match read_bytes(data, Path::new(name)) {
        Ok(activities) => {
            let cfg = MetricsConfig::default();
            for a in &activities {
                std::hint::black_box(compute(a, &cfg));
            }
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.contains("decoder failed"), "reader panicked: {msg}");
        }
    }
}
