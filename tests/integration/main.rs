//! The one integration test binary: each module drives the `quorum` binary
//! over fixture sites under tests/fixtures (or sites made in a temp folder).

mod build;
mod chairs;
mod cli;
mod core;
mod decisions;
mod explain;
mod history;
mod import;
mod insights;
mod private;
mod reading;
mod realnotes;
mod safety;
mod safety_input;
mod search;
mod serve;
mod snapshots;
mod support;
mod tables;
mod workflows;
