//! The `racegap` binary: parse the command line, run, map the outcome to an exit status.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = racegap::cli::Cli::parse();
    racegap::cleanup::install_signal_handlers();
    racegap::guard::install_panic_hook();
    match racegap::app::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!(
                "racegap: error: {}",
                racegap::error::shown_lines(&format!("{e:#}"))
            );
            ExitCode::from(racegap::app::EXIT_FATAL)
        }
    }
}
