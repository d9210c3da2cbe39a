//! Fuzz target for the GPX reader: any input the content sniffer takes for GPX (or gzip) is
//! read and measured by `common::run`.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use racegap::model::Format;

fuzz_target!(|data: &[u8]| common::run(data, Format::Gpx, "fuzz.gpx"));
