//! Fuzz target for the FIT reader: any input the content sniffer takes for FIT is read with
//! `read_bytes` and every activity measured with `compute`. A panic, including one the
//! reader's guard turns into a "decoder failed" error, is a crash; run with `-timeout=2`
//! to make a slow input one too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use racegap::discover::{sniff, Sniffed};
use racegap::ingest::read_bytes;
use racegap::model::Format;
use racegap::track::{compute, MetricsConfig};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    // Other formats belong to the other targets (gzip is undone by read_bytes, so a
    // gzipped FIT input is kept).
    match sniff(data) {
        Sniffed::Format(Format::Fit) | Sniffed::Gzip => {}
        _ => return,
    }
    match read_bytes(data, Path::new("fuzz.fit")) {
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
});
