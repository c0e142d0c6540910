//! Finds the notes of a site and reads each into a [`Note`](crate::model::Note):
//! front matter, body sections, date. Per file; no cross-file meaning.

pub(crate) mod body;
pub(crate) mod dates;
pub(crate) mod frontmatter;
mod private;
pub(crate) mod running;
mod site;
pub(crate) mod theme;
pub use site::read_note_text;
pub(crate) use site::{decode, load_site, load_site_cached, NoteCache};
