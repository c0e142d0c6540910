//! Finds the notes of a site and reads each into a [`Note`](crate::model::Note):
//! front matter, body sections, date. Per file; no cross-file meaning.

pub mod body;
pub mod dates;
pub mod frontmatter;
mod private;
pub mod running;
mod site;
pub mod theme;
pub use site::{decode, load_site, load_site_cached, read_note_text, read_people, NoteCache};
