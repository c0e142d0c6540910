//! The `quorum` command line.
fn main() {}
