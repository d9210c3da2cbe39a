//! racegap: measures how specifically a runner's training prepares them for a target race.

pub mod app;
pub mod archive;
pub mod batch;
pub mod cache;
pub mod calendar;
pub mod cleanup;
pub mod cli;
pub mod config;
pub mod dedupe;
pub mod discover;
pub mod error;
pub mod export_meta;
pub mod exports;
pub mod gaps;
pub mod guard;
pub mod history;
pub mod ingest;
pub mod inspect;
pub mod model;
pub mod periods;
pub mod predict;
pub mod race;
pub mod report;
pub mod safe_read;
pub mod track;
pub mod units;
