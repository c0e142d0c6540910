//! `quorum new GROUP [--date YYYY-MM-DD]`: writes a group's next meeting
//! note, planned, with the members to tick off and every open action item
//! ready to update during the meeting.

use super::{load, Exit, Global, Report};
use crate::build::Loaded;
use crate::model::{GroupId, MeetingId, MeetingStatus, Site};
use crate::resolve::{attendance, cadence};
use chrono::NaiveDate;
use std::path::Path;

/// `new`'s options.
#[derive(Debug, Clone)]
pub struct NewArgs {
    /// The group: its key or its name.
    pub group: String,
    /// The meeting's date; default: the group's cadence after its last meeting.
    pub date: Option<NaiveDate>,
}

/// Finds a group by key, folder slug or name (case-insensitive).
pub fn find_group(site: &Site, wanted: &str) -> Option<GroupId> {
    let w = wanted.trim();
    let slug = crate::text::slug(w);
    site.groups
        .position(|g| g.key == w)
        .or_else(|| site.groups.position(|g| g.key == slug))
        .or_else(|| site.groups.position(|g| g.name.eq_ignore_ascii_case(w)))
}

/// The date formats a note's file name may carry, most specific first.
const NAME_FORMATS: [&str; 4] = ["%Y-%m-%d", "%Y_%m_%d", "%Y.%m.%d", "%Y%m%d"];

/// The path of the note for `new` (relative to the site root), named like
/// `latest` (the group's latest note, dated `old`): its date in the file name
/// becomes `new` in the same format, and a folder named by the old year is
/// named by the new one. A name with no date in it gives `<folder>/<date>.md`.
pub fn next_note_path(latest: &str, group_dir: &str, old: NaiveDate, new: NaiveDate) -> String {
    let (dir, file) = match latest.rsplit_once('/') {
        Some((d, f)) => (d, f),
        None => ("", latest),
    };
    let (stem, ext) = match file.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, e),
        _ => (file, ""),
    };
    let ext = if ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown") {
        ext
    } else {
        "md"
    };
    let name = NAME_FORMATS
        .iter()
        .find_map(|f| {
            let o = old.format(f).to_string();
            stem.contains(&o)
                .then(|| stem.replacen(&o, &new.format(f).to_string(), 1))
        })
        .unwrap_or_else(|| new.format("%Y-%m-%d").to_string());
    // Only folders below the group's folder are renamed by year.
    let group_dir = group_dir.trim_end_matches('/');
    let sub = dir
        .strip_prefix(group_dir)
        .map(|s| s.trim_start_matches('/'))
        .unwrap_or("");
    let old_year = old.format("%Y").to_string();
    let new_year = new.format("%Y").to_string();
    let sub: Vec<&str> = sub
        .split('/')
        .filter(|c| !c.is_empty())
        .map(|c| if c == old_year { new_year.as_str() } else { c })
        .collect();
    let base = if dir.starts_with(group_dir) {
        group_dir
    } else {
        dir
    };
    let mut path = base.to_string();
    for c in sub {
        path.push('/');
        path.push_str(c);
    }
    if !path.is_empty() {
        path.push('/');
    }
    format!("{path}{name}.{ext}")
}

/// A YAML scalar for `s`: plain when that reads back as the same string,
/// else double-quoted (JSON's escaping is valid YAML).
pub fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.trim() == s
        && s.chars().next().is_some_and(|c| c.is_alphanumeric())
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s
            .chars()
            .any(|c| c.is_control() || "{}[],&*!|>'\"%@`".contains(c))
        && serde_yaml::from_str::<serde_yaml::Value>(s)
            .ok()
            .and_then(|v| v.as_str().map(|v| v == s))
            .unwrap_or(false);
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
    }
}

/// Text for a YAML comment: one line.
fn comment(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The meeting whose title, time and location the new note takes: the last
/// one that was not cancelled, else the last one.
fn model_meeting(site: &Site, g: GroupId) -> Option<MeetingId> {
    let ms = &site.groups[g].meetings;
    ms.iter()
        .rev()
        .copied()
        .find(|&m| site.meetings[m].status != MeetingStatus::Cancelled)
        .or_else(|| ms.last().copied())
}

/// The text of the new note for group `g` on `date`.
pub fn note_text(loaded: &Loaded, g: GroupId, date: NaiveDate) -> String {
    let site = &loaded.site;
    let group = &site.groups[g];
    let mut y = String::from("---\n");
    let model = model_meeting(site, g).map(|m| &site.meetings[m]);
    if let Some(m) = model {
        if m.title != format!("{} meeting", group.name) {
            y.push_str(&format!("title: {}\n", yaml_scalar(&m.title)));
        }
    }
    y.push_str(&format!("date: {}\n", date.format("%Y-%m-%d")));
    if let Some(m) = model {
        if let Some(t) = m.time {
            y.push_str(&format!("time: \"{}\"\n", t.format("%H:%M")));
        }
        if m.duration != 60 {
            y.push_str(&format!("duration: {}\n", m.duration));
        }
        if m.timezone != loaded.config.timezone {
            y.push_str(&format!("timezone: {}\n", yaml_scalar(&m.timezone)));
        }
    }
    y.push_str("status: planned\n");
    if let Some(loc) = model.and_then(|m| m.location.as_deref()) {
        y.push_str(&format!("location: {}\n", yaml_scalar(loc)));
    }
    let (people, who) = if group.members.is_empty() {
        let window = loaded.config.site.attendance_window as usize;
        (
            attendance::group_attendance(site, g, window).usual(),
            "the usual attendees",
        )
    } else {
        (group.members.clone(), "the members")
    };
    if people.is_empty() {
        y.push_str("attendees: []\n");
    } else {
        y.push_str(&format!(
            "# Listed: {who}. Keep those present; move apologies to regrets.\nattendees:\n"
        ));
        for p in people {
            y.push_str(&format!("  - {}\n", yaml_scalar(&site.people[p].name)));
        }
    }
    y.push_str("regrets: []\nagenda:\n  - Review of open action items\n");
    let in_force = crate::resolve::decisions::in_force(site, g);
    if !in_force.is_empty() {
        y.push_str("# Decisions in force (a new decision may say `supersedes:`, `amends:` or `revokes:` with an id):\n");
        for d in in_force {
            let dec = &site.decisions[d];
            let text = crate::render::decision_text(site, dec);
            let private = if dec.private { " (private)" } else { "" };
            y.push_str(&format!(
                "#   {}: {}{private} ({})\n",
                dec.id,
                comment(&text),
                site.meetings[dec.meeting].date
            ));
        }
    }
    y.push_str("outcomes: []\n");
    let open: Vec<&crate::model::ActionItem> = site
        .items
        .iter()
        .filter(|i| i.group == g && i.status.is_open())
        .filter(|i| site.meetings[i.opened_in].date < date)
        .collect();
    if open.is_empty() {
        y.push_str("actions:\n  # - owner: Name\n  #   task: What is to be done\n");
    } else {
        y.push_str(
            "# Each open item: set its status (open, in-progress, blocked, done, dropped) and add a `note:`.\n# New items: `- owner: Name` and `task: …`.\nactions:\n",
        );
        for i in open {
            let owners: Vec<&str> = i
                .owners
                .iter()
                .map(|&p| site.people[p].name.as_str())
                .collect();
            y.push_str(&format!(
                "  - ref: {}  # {}: {}\n    status: {}\n",
                i.id,
                comment(&owners.join(", ")),
                comment(&i.task),
                i.status.as_str()
            ));
            if i.private {
                y.push_str("    private: true\n");
            }
        }
    }
    y.push_str("---\n## Notes\n\n");
    y
}

/// The first meeting by `cad` after `last` that is not before `today`
/// (meetings missed since are not written for the chair: pass --date).
pub fn next_by_cadence(
    last: NaiveDate,
    cad: cadence::Cadence,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let mut d = cadence::next_after(last, cad)?;
    // Bounded: a daily cadence catches up on a few years at most.
    for _ in 0..5000 {
        if d >= today {
            return Some(d);
        }
        d = cadence::next_after(d, cad)?;
    }
    Some(d)
}

/// Runs `new`: prints the path written; exit 1 when the note exists, 2 when
/// the group or date cannot be found.
/// A note whose folder leads (through a link) out of the site root is not
/// written: the error names both paths; exit status 2.
fn refuse_outside(g: &Global, path: &Path, report: &mut Report) -> std::io::Result<Option<Exit>> {
    let root = crate::paths::real_path(&g.root)?;
    let real = crate::paths::real_path(path)?;
    if crate::paths::within(&real, &root) {
        return Ok(None);
    }
    writeln!(
        report.err,
        "error: {} leads to {}, outside the site root {}; nothing was written",
        path.display(),
        real.display(),
        root.display()
    )?;
    writeln!(
        report.err,
        "  help: a group folder linked out of the site is not read; copy its notes into the site"
    )?;
    Ok(Some(Exit::Usage))
}

/// `quorum new`: writes the next meeting's note for a group (a planned meeting, carried items listed).
pub fn run(g: &Global, args: &NewArgs, report: &mut Report) -> std::io::Result<Exit> {
    let loaded = match load(g, false, report) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let site = &loaded.site;
    let Some(gid) = find_group(site, &args.group) else {
        let keys: Vec<&str> = site.groups.iter().map(|g| g.key.as_str()).collect();
        writeln!(report.err, "error: no group `{}`", args.group)?;
        if keys.is_empty() {
            writeln!(
                report.err,
                "  help: make a folder for it under the content folder"
            )?;
        } else {
            writeln!(report.err, "  help: the groups are: {}", keys.join(", "))?;
        }
        return Ok(Exit::Usage);
    };
    let group = &site.groups[gid];
    let last = group.meetings.last().map(|&m| &site.meetings[m]);
    let date = match (args.date, last) {
        (Some(d), _) => d,
        (None, None) => g.today,
        (None, Some(m)) => {
            let next = group
                .cadence
                .as_deref()
                .and_then(cadence::parse)
                .and_then(|c| next_by_cadence(m.date, c, g.today));
            match next {
                Some(d) => d,
                None => {
                    writeln!(
                        report.err,
                        "error: cannot tell the date of {}'s next meeting: {}",
                        group.name,
                        match &group.cadence {
                            Some(c) => format!("its cadence `{c}` is not one quorum reads"),
                            None => "its _group.md sets no `cadence`".to_string(),
                        }
                    )?;
                    writeln!(
                        report.err,
                        "  help: pass --date YYYY-MM-DD, or set e.g. `cadence: every 2 weeks` in _group.md"
                    )?;
                    return Ok(Exit::Usage);
                }
            }
        }
    };
    let dir = loaded
        .corpus
        .groups
        .iter()
        .find(|s| s.key == group.key)
        .map(|s| s.dir.clone())
        .unwrap_or_else(|| loaded.config.group_dir(&group.key));
    let rel = match last {
        Some(m) => next_note_path(&m.path, &dir, m.date, date),
        None => format!("{dir}/{}.md", date.format("%Y-%m-%d")),
    };
    let path = g.root.join(&rel);
    if let Some(code) = refuse_outside(g, &path, report)? {
        return Ok(code);
    }
    if path.exists() {
        writeln!(
            report.err,
            "error: {} already exists; nothing was written",
            path.display()
        )?;
        writeln!(
            report.err,
            "  help: edit it, or pass --date for another meeting"
        )?;
        return Ok(Exit::Failure);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot create {}: {e}", parent.display()))
        })?;
    }
    let text = note_text(&loaded, gid, date);
    // create_new: never overwrite a note written since the check above.
    let written = crate::paths::write_new(&path, text.as_bytes());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            writeln!(
                report.err,
                "error: {} already exists; nothing was written",
                path.display()
            )?;
            return Ok(Exit::Failure);
        }
        return Err(std::io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", path.display()),
        ));
    }
    writeln!(report.out, "{}", path.display())?;
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn named_like_the_latest_note() {
        let (old, new) = (d("2025-12-17"), d("2026-01-07"));
        assert_eq!(
            next_note_path(
                "content/sig/2025/sig-meeting-20251217.md",
                "content/sig",
                old,
                new
            ),
            "content/sig/2026/sig-meeting-20260107.md"
        );
        assert_eq!(
            next_note_path("content/sig/2025-12-17.markdown", "content/sig", old, new),
            "content/sig/2026-01-07.markdown"
        );
        assert_eq!(
            next_note_path(
                "content/sig/2025/December 17th.txt",
                "content/sig",
                old,
                new
            ),
            "content/sig/2026/2026-01-07.md"
        );
        // The group's own folder keeps its name even when it is a year.
        assert_eq!(
            next_note_path("notes/2025/2025_12_17.md", "notes/2025", old, new),
            "notes/2025/2026_01_07.md"
        );
    }

    #[test]
    fn next_date_by_cadence_is_not_in_the_past() {
        let weekly = cadence::Cadence::Days(7);
        // Right after the last meeting: the cadence's next date.
        assert_eq!(
            next_by_cadence(d("2024-01-10"), weekly, d("2024-01-11")),
            Some(d("2024-01-17"))
        );
        // Months later: the next date of the series from today on.
        assert_eq!(
            next_by_cadence(d("2024-01-10"), weekly, d("2024-03-01")),
            Some(d("2024-03-06"))
        );
    }

    #[test]
    fn scalars_read_back() {
        for s in [
            "Marta Kowalczyk",
            "Inès Laurent",
            "@handle",
            "Agenda: review",
            "yes",
            "12:30",
            "https://meet.example.org/x",
            "- dash",
            "a \"quoted\" #tag",
        ] {
            let y = yaml_scalar(s);
            let back: serde_yaml::Value = serde_yaml::from_str(&y).unwrap_or_default();
            assert_eq!(back.as_str(), Some(s), "{s} -> {y}");
        }
        assert_eq!(yaml_scalar("Marta Kowalczyk"), "Marta Kowalczyk");
    }
}
