//! `quorum ids [--write]`: gives every action item that lacks one an explicit
//! `id` equal to its automatic id, in place, so that later edits to old notes
//! (an item added or removed above it) cannot re-target the refs that name it.
//!
//! Only front-matter items are changed: an `id:` line is inserted into the
//! item's block map at its `- ` line, and nothing else in the file moves
//! (comments, order, quoting and line endings stay as they were). Items read
//! from the body (an `## Action items` list or an `ACTION:` line) have no
//! syntax for an id, so they are listed as not changed, with the reason.
//! After writing, the site is read again; if any item resolved differently,
//! every file is put back as it was and the command fails.

use super::{load, Exit, Global, Report};
use crate::build::Loaded;
use crate::model::Site;
use std::collections::BTreeMap;
use std::path::Path;

/// One `id:` to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insertion {
    /// File, relative to the site root.
    pub file: String,
    /// 1-based line of the item's `- `.
    pub line: u32,
    /// The id to write.
    pub id: String,
}

/// An item left as it is, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// File, relative to the site root.
    pub file: String,
    /// 1-based line of the item.
    pub line: u32,
    /// Its automatic id.
    pub id: String,
    /// Why it was not changed.
    pub reason: String,
}

/// Which items lack an explicit id: those that can get one, and those that cannot.
pub fn plan(site: &Site) -> (Vec<Insertion>, Vec<Skipped>) {
    let mut ins = Vec::new();
    let mut skipped = Vec::new();
    for item in site.items.iter().filter(|i| !i.explicit_id) {
        let m = &site.meetings[item.opened_in];
        if item.line < m.body_line {
            ins.push(Insertion {
                file: m.path.clone(),
                line: item.line,
                id: item.id.clone(),
            });
        } else {
            skipped.push(Skipped {
                file: m.path.clone(),
                line: item.line,
                id: item.id.clone(),
                reason: "read from the body, where an item cannot carry an id; move it into the front matter's `actions:` with `id:` to pin it".into(),
            });
        }
    }
    (ins, skipped)
}

/// Inserts `id: <id>` into the block map of the list item at 1-based `line`
/// of `text`. `None` when that line is not a `- ` entry of a layout this
/// knows (the text is then left alone).
pub fn insert_id(text: &str, line: u32, id: &str) -> Option<String> {
    let idx = usize::try_from(line).ok()?.checked_sub(1)?;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let raw = *lines.get(idx)?;
    let eol = if raw.ends_with("\r\n") {
        "\r\n"
    } else if raw.ends_with('\n') {
        "\n"
    } else {
        ""
    };
    let body = &raw[..raw.len() - eol.len()];
    let indent = body.len() - body.trim_start_matches(' ').len();
    let after_dash = body[indent..].strip_prefix('-')?;
    let rest = after_dash.trim_start_matches(' ');
    let gap = after_dash.len() - rest.len();
    let new_line = if rest.is_empty() || rest.starts_with('#') {
        // `-` alone: the map starts on the next line; use its indentation.
        let next = lines[idx + 1..].iter().find(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })?;
        let key_indent = next.len() - next.trim_start_matches(' ').len();
        if key_indent <= indent {
            return None;
        }
        let nl = if eol.is_empty() { "\n" } else { eol };
        format!("{raw}{}id: {id}{nl}", " ".repeat(key_indent))
    } else if rest.starts_with('{') {
        if gap == 0 {
            return None;
        }
        let (dash, map) = body.split_at(body.len() - rest.len() + 1);
        format!("{dash}id: {id}, {}{eol}", map.trim_start())
    } else if gap > 0 && !rest.starts_with(['-', '[', '"', '\'', '|', '>']) && rest.contains(':') {
        let nl = if eol.is_empty() { "\n" } else { eol };
        let key_col = indent + 1 + gap;
        format!(
            "{}id: {id}{nl}{}{rest}{eol}",
            &body[..key_col],
            " ".repeat(key_col)
        )
    } else {
        return None;
    };
    let mut out = String::with_capacity(text.len() + id.len() + 16);
    for (i, l) in lines.iter().enumerate() {
        if i == idx {
            out.push_str(&new_line);
        } else {
            out.push_str(l);
        }
    }
    Some(out)
}

/// What identifies an item's resolution, compared before and after writing.
fn fingerprint(site: &Site) -> Vec<String> {
    site.items
        .iter()
        .map(|i| {
            let steps: Vec<String> = i
                .history
                .iter()
                .map(|s| {
                    format!(
                        "{}:{:?}:{}",
                        site.meetings[s.meeting].path,
                        s.kind,
                        s.status.as_str()
                    )
                })
                .collect();
            let owners: Vec<&str> = i
                .owners
                .iter()
                .map(|&p| site.people[p].name.as_str())
                .collect();
            format!(
                "{}|{}|{}|{}|{:?}|{}|{}",
                i.id,
                site.groups[i.group].key,
                owners.join(","),
                i.task,
                i.due,
                i.status.as_str(),
                steps.join(";")
            )
        })
        .collect()
}

/// Replaces the note at `path` by `text` atomically: through a link (the
/// link stays a link, its target changes) and with the file's permissions.
fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path).map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot resolve {}: {e}", path.display()))
    })?;
    let mode = std::fs::metadata(&target)
        .map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot read {}: {e}", target.display()))
        })?
        .permissions();
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.quorum-ids"));
    // What a killed run left (quorum's own file, never a note).
    let _ = std::fs::remove_file(&tmp);
    crate::paths::write_new(&tmp, text.as_bytes())
        .and_then(|_| std::fs::set_permissions(&tmp, mode))
        .and_then(|_| std::fs::rename(&tmp, &target))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            std::io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
        })
}

/// Runs `ids`: lists the ids it gives (and writes them with `write`).
pub fn run(g: &Global, write: bool, report: &mut Report) -> std::io::Result<Exit> {
    let loaded = match load(g, false, report) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    if loaded.has_errors() {
        let errors = loaded.errors();
        report.diagnostics(&g.root, &errors)?;
        writeln!(
            report.err,
            "error: the notes have errors, so item ids are not certain; nothing was written"
        )?;
        writeln!(
            report.err,
            "  help: mend them (`quorum check`), then run this again"
        )?;
        return Ok(Exit::Failure);
    }
    let (ins, skipped) = plan(&loaded.site);
    let mut by_file: BTreeMap<&str, Vec<&Insertion>> = BTreeMap::new();
    for i in &ins {
        by_file.entry(i.file.as_str()).or_default().push(i);
    }
    let mut originals: Vec<(String, String)> = Vec::new();
    let mut changed: Vec<&Insertion> = Vec::new();
    let mut unchanged: Vec<Skipped> = skipped;
    let mut new_texts: Vec<(String, String)> = Vec::new();
    for (file, mut list) in by_file {
        let path = g.root.join(file);
        let original = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                writeln!(report.err, "error: cannot read {}: {e}", path.display())?;
                return Ok(Exit::Failure);
            }
        };
        // Bottom up, so the lines above stay where they are.
        list.sort_by_key(|i| std::cmp::Reverse(i.line));
        let mut text = original.clone();
        for i in list {
            match insert_id(&text, i.line, &i.id) {
                Some(t) => {
                    text = t;
                    changed.push(i);
                }
                None => unchanged.push(Skipped {
                    file: i.file.clone(),
                    line: i.line,
                    id: i.id.clone(),
                    reason: "its entry is not laid out as a `- key: value` block map".into(),
                }),
            }
        }
        if text != original {
            originals.push((file.to_string(), original));
            new_texts.push((file.to_string(), text));
        }
    }
    changed.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    unchanged.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    let verb = if write { "" } else { "would add " };
    for i in &changed {
        writeln!(report.out, "{}:{}: {verb}id: {}", i.file, i.line, i.id)?;
    }
    for s in &unchanged {
        writeln!(
            report.out,
            "{}:{}: not changed: `{}` {}",
            s.file, s.line, s.id, s.reason
        )?;
    }
    if !write {
        writeln!(
            report.err,
            "{} item(s) would get an explicit id, {} cannot; pass --write to write them",
            changed.len(),
            unchanged.len()
        )?;
        return Ok(Exit::Success);
    }
    for (file, text) in &new_texts {
        if let Err(e) = write_file(&g.root.join(file), text) {
            writeln!(report.err, "error: {e}")?;
            restore(g, &originals, report)?;
            return Ok(Exit::Failure);
        }
    }
    // Read the site again: every item must resolve as before.
    let verified = match crate::build::load(&g.root, g.today, false) {
        Ok(after) => same_items(&loaded, &after),
        Err(_) => false,
    };
    if !verified {
        writeln!(
            report.err,
            "error: with the ids written, the items no longer resolve as before; every file was put back"
        )?;
        restore(g, &originals, report)?;
        return Ok(Exit::Failure);
    }
    writeln!(
        report.err,
        "gave {} item(s) an explicit id in {} file(s); {} not changed; the items resolve as before",
        changed.len(),
        new_texts.len(),
        unchanged.len()
    )?;
    Ok(Exit::Success)
}

fn same_items(before: &Loaded, after: &Loaded) -> bool {
    !after.has_errors() && fingerprint(&before.site) == fingerprint(&after.site)
}

fn restore(g: &Global, originals: &[(String, String)], report: &mut Report) -> std::io::Result<()> {
    for (file, text) in originals {
        if let Err(e) = write_file(&g.root.join(file), text) {
            writeln!(report.err, "error: could not put back {file}: {e}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_into_block_maps_keeping_the_rest() {
        let t =
            "---\nactions:\n  # keep me\n  - owner: Ann   # trailing\n    task: \"x: y\"\n---\n";
        let out = insert_id(t, 4, "g-20240101-1");
        assert_eq!(
            out.as_deref(),
            Some("---\nactions:\n  # keep me\n  - id: g-20240101-1\n    owner: Ann   # trailing\n    task: \"x: y\"\n---\n")
        );
        let crlf = "actions:\r\n-   task: t\r\n    owner: A\r\n";
        assert_eq!(
            insert_id(crlf, 2, "a-1").as_deref(),
            Some("actions:\r\n-   id: a-1\r\n    task: t\r\n    owner: A\r\n")
        );
        let alone = "actions:\n  -\n     owner: A\n     task: t\n";
        assert_eq!(
            insert_id(alone, 2, "a-1").as_deref(),
            Some("actions:\n  -\n     id: a-1\n     owner: A\n     task: t\n")
        );
        let flow = "actions:\n  - {owner: A, task: t}\n";
        assert_eq!(
            insert_id(flow, 2, "a-1").as_deref(),
            Some("actions:\n  - {id: a-1, owner: A, task: t}\n")
        );
        assert_eq!(insert_id("actions: []\n", 1, "a-1"), None);
        assert_eq!(insert_id("x\n", 9, "a-1"), None);
    }
}
