//! quorum: a static-site generator for governance meeting notes.
//!
//! The pipeline: [`config`] reads quorum.toml, [`load`] reads every note into a
//! [`model::Note`], [`resolve`] turns them into one [`model::Site`], [`render`]
//! plans and renders pages, [`output`] writes them. [`build`] chains the stages.

pub mod build;
pub mod cache;
pub mod commands;
pub mod config;
pub mod diagnostics;
pub mod history;
pub mod load;
pub mod minutes;
pub mod model;
pub mod output;
pub mod paths;
pub mod progress;
pub mod render;
pub mod report;
pub mod resolve;
pub mod schema;
pub mod search;
pub mod serve;
pub mod text;
pub mod timer;
