//! Finding a group's note files: the walk, the relisting after a watcher's
//! changes, and which names and kinds of file are notes.

use crate::diagnostics::{Code, Diagnostic};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A note file found under a group.
#[derive(Debug, Clone)]
pub(super) struct NoteFile {
    pub(super) abs: PathBuf,
    pub(super) rel: String,
    pub(super) group: String,
    pub(super) strict: bool,
    /// Known unchanged since the last load (`quorum serve` was told what
    /// changed): its cached note is taken without a look at the file.
    pub(super) unchanged: bool,
}

/// The note files of group `key` (folder `dir`) from the last load's
/// listing, with the paths in `changed` looked at again: a changed note file
/// is read again, a new one added in its place, a removed one (or every note
/// under a removed folder) dropped.
pub(super) fn relist(
    listed: &[NoteFile],
    changed: &HashSet<String>,
    root: &Path,
    key: &str,
    dir: &str,
    strict: bool,
    excluded: &globset::GlobSet,
) -> Vec<NoteFile> {
    let prefix = format!("{dir}/");
    let gone = |rel: &str| {
        changed.iter().any(|c| {
            (rel == c.as_str()
                || rel
                    .strip_prefix(c.as_str())
                    .is_some_and(|r| r.starts_with('/')))
                && !root.join(c).exists()
        })
    };
    let mut out: Vec<NoteFile> = listed
        .iter()
        .filter(|f| f.group == key && !gone(&f.rel))
        .map(|f| NoteFile {
            unchanged: !changed.contains(&f.rel),
            ..f.clone()
        })
        .collect();
    for rel in changed {
        let Some(within) = rel.strip_prefix(&prefix) else {
            continue;
        };
        let abs = root.join(rel);
        let hidden = Path::new(within).components().any(|c| {
            c.as_os_str()
                .to_str()
                .is_some_and(|n| n.starts_with(['.', '_']))
        });
        let leaves = root
            .canonicalize()
            .ok()
            .is_some_and(|r| crate::paths::outside(&r, &abs).is_some());
        if hidden
            || leaves
            || excluded.is_match(within)
            || !abs.is_file()
            || !is_note_name(&abs)
            || out.iter().any(|f| &f.rel == rel)
        {
            continue;
        }
        out.push(NoteFile {
            abs,
            rel: rel.clone(),
            group: key.to_string(),
            strict,
            unchanged: false,
        });
    }
    // The order of a walk sorted by file name.
    out.sort_by(|a, b| a.abs.cmp(&b.abs));
    out
}

/// A file or folder whose name is not UTF-8: it cannot be a note's.
pub(super) fn non_utf8_name(root: &Path, path: &Path, strict: bool) -> Diagnostic {
    Diagnostic::error(
        Code::NonUtf8Name,
        &rel_path(root, path),
        1,
        1,
        format!(
            "the name of {} is not UTF-8: it is not read",
            path.display()
        ),
    )
    .with_help("rename it (quorum reads names in UTF-8)")
    .downgraded(!strict)
}

/// A FIFO, socket or device among the notes: never opened.
pub(super) fn not_a_file(root: &Path, path: &Path) -> Diagnostic {
    Diagnostic::warning(
        Code::NotAFile,
        &rel_path(root, path),
        1,
        1,
        format!(
            "{} is not a regular file (a FIFO, socket or device): it is not read",
            path.display()
        ),
    )
}

pub(super) fn rel_path(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.to_string_lossy().replace('\\', "/")
}

const NOT_NOTES: &[&str] = &[
    "readme",
    "index",
    "license",
    "codeowners",
    "contributing",
    "changelog",
];

/// Whether a file name is a note's (by FORMAT.md's rules, before size and content).
pub(super) fn is_note_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with(['_', '.']) {
        return false;
    }
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    if NOT_NOTES.contains(&stem.as_str()) {
        return false;
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ["md", "markdown", "txt"].contains(&ext.to_ascii_lowercase().as_str()) => true,
        Some(ext)
            if !ext.contains(' ') && ext.len() <= 8 && !ext.chars().all(|c| c.is_ascii_digit()) =>
        {
            false
        }
        // No extension (or a dot inside a name such as `2022 - Aug. 30th`): a note when it starts as text.
        _ => starts_as_text(path),
    }
}

fn starts_as_text(path: &Path) -> bool {
    use std::io::Read;
    let mut buf = [0u8; 512];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut buf))
        .unwrap_or(0);
    let head = &buf[..n];
    !head.contains(&0)
        && match std::str::from_utf8(head) {
            Ok(_) => true,
            Err(e) => e.error_len().is_none(), // cut inside a character at the 512th byte
        }
}
