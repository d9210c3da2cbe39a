//! Fuzz target for the TCX reader: any input the content sniffer takes for TCX (or gzip) is
//! read and measured by `common::run`.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use racegap::model::Format;

fuzz_target!(|data: &[u8]| common::run(data, Format::Tcx, "fuzz.tcx"));
