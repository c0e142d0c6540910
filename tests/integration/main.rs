//! The one integration test binary: each module drives the `quorum` binary
//! over fixture sites or sites made in a temp folder.

mod chairs;
