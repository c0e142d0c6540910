//! Plain data shared between the stages: what `load` reads from each note
//! ([`Note`]) and what `resolve` makes of them all ([`Site`]).
//!
//! Relations are indices into the site's vectors (`PersonId`, `MeetingId`,
//! `ItemId`, `GroupId`), never references, so each stage owns its output.

mod corpus;
mod decision;
mod note;
mod site;
mod times;

pub use corpus::*;
pub use decision::*;
pub use note::*;
pub use site::*;
pub(crate) use times::{skipped_time, utc_start};

/// A 1-based line and column in a file (columns count characters).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Span {
    /// 1-based line in the file.
    pub line: u32,
    /// 1-based column (characters) in the line.
    pub col: u32,
}

impl Span {
    /// A span at `line`, `col` (both 1-based).
    pub fn new(line: u32, col: u32) -> Self {
        Span { line, col }
    }
}

/// Whether `id` is a valid item id: lower-case letters, digits and `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A theme's files as read from the site: templates by name, static files by
/// output path, the site's over the named theme's.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    /// Template texts by name (`meeting.html`).
    pub templates: std::collections::BTreeMap<String, String>,
    /// Static files by output path (forward slashes).
    pub statics: std::collections::BTreeMap<String, Vec<u8>>,
}
