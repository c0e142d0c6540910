//! quorum: a static-site generator for governance meeting notes.
//!
//! The pipeline: [`config`] reads quorum.toml, [`load`] reads every note into a
//! [`model::Note`], [`resolve`] turns them into one [`model::Site`], [`render`]
//! plans and renders pages, [`output`] writes them. [`build`] chains the stages.

#![warn(unreachable_pub, missing_docs)]

pub mod build;
pub(crate) mod cache;
pub mod commands;
pub mod config;
pub mod diagnostics;
pub mod history;
pub mod load;
pub mod minutes;
pub mod model;
pub(crate) mod output;
pub mod paths;
pub(crate) mod progress;
pub(crate) mod render;
pub(crate) mod report;
pub(crate) mod resolve;
pub mod schema;
pub mod search;
pub mod serve;
pub(crate) mod text;
pub(crate) mod timer;
