//! Generates `sample_data/`: the synthetic 16-week training history and its race (see
//! `examples/synth/mod.rs`). `--cycles N` adds N earlier 16-week cycles (about 89
//! activities each) for a years-long history, as the benchmarks use.
//!
//! Run: `cargo run --example make_sample_data [OUT_DIR] [--cycles N]` (default `sample_data`).

mod synth;

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out = PathBuf::from("sample_data");
    let mut cycles = 0usize;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--cycles" {
            cycles = args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(0);
            i += 2;
        } else {
            out = PathBuf::from(&args[i]);
            i += 1;
        }
    }
    let (n, bytes) = synth::generate(&out, cycles)?;
    eprintln!(
        "wrote {n} activities ({:.1} MB) and the race to {}",
        bytes as f64 / 1e6,
        out.display()
    );
    Ok(())
}
