//! Tree and text comparison: paired tree entries in git's order, the
//! files two trees differ in, zero-context hunks and applying them.

use super::*;

/// The site root relative to the repository's work tree: `""` or `a/b/`.
pub(super) fn prefix_of(repo: &Repository, root: &Path) -> Option<String> {
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let rel = root.strip_prefix(&workdir).ok()?;
    let mut s = String::new();
    for c in rel.components() {
        s.push_str(&c.as_os_str().to_string_lossy());
        s.push('/');
    }
    Some(s)
}

/// A site folder as a repository path without a trailing slash (`""` for the root).
pub(super) fn repo_dir(prefix: &str, dir: &str) -> String {
    let d = dir.trim_matches('/');
    let d = if d == "." { "" } else { d };
    format!("{prefix}{d}").trim_end_matches('/').to_string()
}

pub(super) fn zero_context() -> DiffOptions {
    let mut o = DiffOptions::new();
    o.context_lines(0).interhunk_lines(0);
    o
}

/// Hunks as (old_start, old_lines, new_start, new_lines).
pub(super) type Hunks = Vec<(u32, u32, u32, u32)>;

/// The hunks of a patch.
pub(super) fn hunks(p: &Patch) -> Hunks {
    (0..p.num_hunks())
        .filter_map(|i| p.hunk(i).ok())
        .map(|(h, _)| (h.old_start(), h.old_lines(), h.new_start(), h.new_lines()))
        .collect()
}

pub(super) fn count_lines(bytes: &[u8]) -> usize {
    let n = bytes.iter().filter(|&&b| b == b'\n').count();
    if bytes.last().is_some_and(|&b| b != b'\n') {
        n + 1
    } else {
        n
    }
}

/// Applies zero-context hunks to the per-line origins of the old file: the
/// lines a hunk adds get `origin`, the others keep theirs. Hunks that do not
/// fit the old file are clamped (never a panic).
pub(crate) fn apply_hunks(old: &[u32], hunks: &[(u32, u32, u32, u32)], origin: u32) -> Vec<u32> {
    let mut out = Vec::with_capacity(old.len() + 8);
    let mut pos = 0usize;
    for &(old_start, old_lines, _, new_lines) in hunks {
        // With no old lines, old_start is the line after which the new ones go.
        let start = if old_lines == 0 {
            old_start as usize
        } else {
            (old_start as usize).saturating_sub(1)
        };
        let start = start.clamp(pos, old.len());
        out.extend_from_slice(&old[pos..start]);
        out.extend(std::iter::repeat_n(origin, new_lines as usize));
        pos = (start + old_lines as usize).min(old.len());
    }
    out.extend_from_slice(&old[pos..]);
    out
}

/// The ids of the folders' trees in `tree` (None where absent).
pub(super) fn subtrees(dirs: &[String], tree: Option<&git2::Tree>) -> Vec<Option<Oid>> {
    dirs.iter()
        .map(|d| {
            let t = tree?;
            if d.is_empty() {
                Some(t.id())
            } else {
                t.get_path(Path::new(d)).ok().map(|e| e.id())
            }
        })
        .collect()
}

/// Lists the files that differ between two trees (ids), descending only
/// into subtrees whose ids differ: (path, old blob, new blob).
pub(super) fn changed(
    repo: &Repository,
    dir: &str,
    old: Option<Oid>,
    new: Option<Oid>,
    out: &mut Vec<(String, Option<Oid>, Option<Oid>)>,
) -> Result<(), git2::Error> {
    if old == new {
        return Ok(());
    }
    let ot = old.map(|o| repo.find_tree(o)).transpose()?;
    let nt = new.map(|o| repo.find_tree(o)).transpose()?;
    let join = |name: &[u8]| {
        let name = String::from_utf8_lossy(name);
        if dir.is_empty() {
            name.into_owned()
        } else {
            format!("{dir}/{name}")
        }
    };
    // Both trees' entries are in git's order, so one pass over the two
    // lists pairs them (a lookup by name for each entry cost a tenth of the
    // walk). Entries only in the old tree are deleted: listed after the rest.
    let (olds, news) = (entries(ot.as_ref()), entries(nt.as_ref()));
    let mut gone = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < olds.len() || j < news.len() {
        let order = match (olds.get(i), news.get(j)) {
            (Some((o, ok)), Some((n, nk))) => tree_order(o.name_bytes(), *ok, n.name_bytes(), *nk),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                gone.push(i);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                // Added (a name that changed kind, file to folder, sorts
                // apart: its old side is deleted, the new one added).
                let (e, is_tree) = &news[j];
                side(repo, &join(e.name_bytes()), e.id(), *is_tree, false, out)?;
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let ((o, _), (n, is_tree)) = (&olds[i], &news[j]);
                if o.id() != n.id() {
                    let path = join(n.name_bytes());
                    if *is_tree {
                        changed(repo, &path, Some(o.id()), Some(n.id()), out)?;
                    } else {
                        out.push((path, Some(o.id()), Some(n.id())));
                    }
                }
                i += 1;
                j += 1;
            }
        }
    }
    for k in gone {
        let (e, is_tree) = &olds[k];
        side(repo, &join(e.name_bytes()), e.id(), *is_tree, true, out)?;
    }
    Ok(())
}

/// A tree's folders and files (submodules are left out), each with whether
/// it is a folder, in the tree's order.
pub(super) fn entries<'t>(tree: Option<&'t git2::Tree>) -> Vec<(git2::TreeEntry<'t>, bool)> {
    tree.into_iter()
        .flat_map(|t| t.iter())
        .filter_map(|e| match e.kind() {
            Some(git2::ObjectType::Tree) => Some((e, true)),
            Some(git2::ObjectType::Blob) => Some((e, false)),
            _ => None,
        })
        .collect()
}

/// Git's order of tree entries: by name, a folder's name read as if it
/// ended in `/`.
pub(super) fn tree_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    let after = |s: &[u8], tree: bool| match s.get(n) {
        Some(&c) => c,
        None if tree => b'/',
        None => 0,
    };
    a[..n]
        .cmp(&b[..n])
        .then_with(|| after(a, a_tree).cmp(&after(b, b_tree)))
}

/// Every file of a tree (or one file) as deleted (`old`) or added.
pub(super) fn side(
    repo: &Repository,
    path: &str,
    id: Oid,
    is_tree: bool,
    old: bool,
    out: &mut Vec<(String, Option<Oid>, Option<Oid>)>,
) -> Result<(), git2::Error> {
    if !is_tree {
        out.push(if old {
            (path.to_string(), Some(id), None)
        } else {
            (path.to_string(), None, Some(id))
        });
        return Ok(());
    }
    if old {
        changed(repo, path, Some(id), None, out)
    } else {
        changed(repo, path, None, Some(id), out)
    }
}

/// The old blob's line count and the zero-context hunks between two blobs.
pub(super) fn blob_hunks(
    repo: &Repository,
    old: Oid,
    new: Oid,
) -> Result<(usize, Hunks), git2::Error> {
    let a = repo.find_blob(old)?;
    let b = repo.find_blob(new)?;
    text_hunks(a.content(), b.content())
}

/// The old text's line count and the zero-context hunks between two texts.
/// Diffed as plain buffers, outside any repository: a diff of blobs would
/// look up `.gitattributes` for a diff driver each time (a tenth of the walk).
pub(super) fn text_hunks(old: &[u8], new: &[u8]) -> Result<(usize, Hunks), git2::Error> {
    let mut o = zero_context();
    let p = Patch::from_buffers(old, None, new, None, Some(&mut o))?;
    Ok((count_lines(old), hunks(&p)))
}
