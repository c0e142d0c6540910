//! `quorum minutes MEETING`: prints a meeting's minutes for a mailing list
//! (the text published beside its page, `minutes.txt`), or as markdown.
//! MEETING is a note's path, or a group and a date (`GROUP YYYY-MM-DD`, or
//! `YYYY-MM-DD-2` for the second meeting that day).

use super::{load, Exit, Global, Report};
use crate::minutes::{minutes, MinutesFormat};
use crate::model::{MeetingId, Site};
use std::path::Path;

/// What to print.
#[derive(Debug, Clone)]
pub struct MinutesArgs {
    /// A note's path, or a group and a date.
    pub meeting: Vec<String>,
    /// Plain text or markdown.
    pub format: MinutesFormat,
}

/// The meeting `args` names, or why none.
fn find(site: &Site, root: &Path, args: &[String]) -> Result<MeetingId, String> {
    match args {
        [path] => {
            let wanted = note_path(root, path);
            site.meetings
                .position(|m| m.path == wanted)
                .ok_or_else(|| {
                    format!("no published meeting is read from `{path}` (give a note's path, or GROUP DATE)")
                })
        }
        [group, date] => {
            let g = super::new::find_group(site, group).ok_or_else(|| {
                let keys: Vec<&str> = site.groups.iter().map(|g| g.key.as_str()).collect();
                format!("no group `{group}` (groups: {})", keys.join(", "))
            })?;
            site.groups[g]
                .meetings
                .iter()
                .copied()
                .find(|&m| site.meetings[m].slug == date.trim())
                .ok_or_else(|| format!("{} has no meeting on {date}", site.groups[g].key))
        }
        _ => Err("give one note's path, or a group and a date".into()),
    }
}

/// `path` as the site names notes: relative to the root, forward slashes.
fn note_path(root: &Path, path: &str) -> String {
    let p = Path::new(path);
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else if root.join(p).exists() {
        root.join(p)
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let real = crate::paths::real_path(&abs).unwrap_or(abs);
    let root = crate::paths::real_path(root).unwrap_or_else(|_| root.to_path_buf());
    real.strip_prefix(&root)
        .map(|r| r.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| path.replace('\\', "/"))
}

/// Prints the minutes of the meeting `args` names.
pub fn run(g: &Global, args: &MinutesArgs, report: &mut Report) -> std::io::Result<Exit> {
    let loaded = match load(g, false, report) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    // The minutes are what the site publishes: no private part.
    let site = crate::resolve::private::publishable(loaded.site);
    let m = match find(&site, &g.root, &args.meeting) {
        Ok(m) => m,
        Err(why) => {
            writeln!(report.err, "error: {why}")?;
            return Ok(Exit::Usage);
        }
    };
    report
        .out
        .write_all(minutes(&site, &loaded.config, m, args.format).as_bytes())?;
    if errors > 0 {
        writeln!(
            report.err,
            "{errors} error(s) in the notes: the minutes may miss something (run `quorum check`)"
        )?;
        return Ok(Exit::Failure);
    }
    Ok(Exit::Success)
}
