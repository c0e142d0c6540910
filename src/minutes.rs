//! A meeting's minutes for a mailing list: plain text wrapped at 72 columns,
//! or markdown. `quorum minutes` prints them; the build publishes the plain
//! text beside each held meeting's page (`groups/<g>/<date>/minutes.txt`).
//!
//! Pure: made from the published site (no private part is in it).

use crate::config::SiteConfig;
use crate::model::{ItemId, ItemStatus, MeetingId, MeetingStatus, PersonId, Site};
use crate::output::OutputFile;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write;

/// How minutes are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MinutesFormat {
    /// Plain text wrapped at 72 columns.
    Text,
    /// Markdown.
    Markdown,
}

/// The width plain-text minutes are wrapped at.
pub const WIDTH: usize = 72;

/// The file name of the published minutes, in the meeting's folder.
pub const FILE: &str = "minutes.txt";

/// Whether meeting `m` has minutes published beside its page.
pub fn has_minutes(site: &Site, m: MeetingId) -> bool {
    site.meetings[m].status == MeetingStatus::Held
}

/// The minutes of every held meeting, as plain text beside its page.
pub fn published(site: &Site, config: &SiteConfig) -> Vec<OutputFile> {
    site.meetings
        .keys()
        .collect::<Vec<_>>()
        .into_par_iter()
        .filter(|&m| has_minutes(site, m))
        .map(|m| OutputFile {
            path: format!("{}{FILE}", site.meetings[m].url),
            bytes: minutes(site, config, m, MinutesFormat::Text).into_bytes(),
        })
        .collect()
}

/// A writer of one format: headings, lines and list items.
struct Doc {
    format: MinutesFormat,
    out: String,
}

impl Doc {
    fn title(&mut self, t: &str) {
        match self.format {
            MinutesFormat::Text => {
                self.wrapped(t, "", "");
                let t = crate::text::replace_control(t.to_owned());
                let w = textwrap::core::display_width(&t).min(WIDTH);
                self.out.push_str(&"=".repeat(w.max(1)));
                self.out.push('\n');
            }
            MinutesFormat::Markdown => {
                let _ = writeln!(self.out, "# {}", md(t));
            }
        }
    }

    fn heading(&mut self, h: &str) {
        self.out.push('\n');
        match self.format {
            MinutesFormat::Text => {
                let _ = writeln!(self.out, "{h}\n{}", "-".repeat(h.chars().count()));
            }
            MinutesFormat::Markdown => {
                let _ = writeln!(self.out, "## {h}\n");
            }
        }
    }

    /// A labelled fact: `Label: text`.
    fn fact(&mut self, label: &str, text: &str) {
        match self.format {
            MinutesFormat::Text => self.wrapped(&format!("{label}: {text}"), "", "  "),
            MinutesFormat::Markdown => {
                let _ = writeln!(self.out, "**{label}:** {}  ", md(text));
            }
        }
    }

    /// A list item (`marker` is `-` or `1.`), at `depth` 0 or 1.
    fn item(&mut self, marker: &str, text: &str, depth: usize) {
        let pad = "  ".repeat(depth);
        match self.format {
            MinutesFormat::Text => {
                let first = format!("{pad}{marker} ");
                let rest = " ".repeat(first.chars().count());
                self.wrapped(text, &first, &rest);
            }
            MinutesFormat::Markdown => {
                let _ = writeln!(self.out, "{pad}{marker} {}", md(text));
            }
        }
    }

    /// An owner's name over their items.
    fn owner(&mut self, name: &str) {
        match self.format {
            MinutesFormat::Text => self.wrapped(name, "", ""),
            MinutesFormat::Markdown => {
                let _ = writeln!(self.out, "- **{}**", md(name));
            }
        }
    }

    fn line(&mut self, text: &str) {
        match self.format {
            MinutesFormat::Text => self.wrapped(text, "", ""),
            MinutesFormat::Markdown => {
                let _ = writeln!(self.out, "{}", md(text));
            }
        }
    }

    fn wrapped(&mut self, text: &str, first: &str, rest: &str) {
        // Shown as U+FFFD before wrapping, as pages show them (a terminal
        // escape would also count as no width at all).
        let text = crate::text::replace_control(text.to_owned());
        let opts = textwrap::Options::new(WIDTH)
            .initial_indent(first)
            .subsequent_indent(rest)
            .break_words(false)
            // Ids and dates hold `-`: never split there.
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        for l in textwrap::wrap(&text, opts) {
            self.out.push_str(l.trim_end());
            self.out.push('\n');
        }
    }
}

/// Markdown's special characters escaped in plain text.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in crate::text::replace_control(s.to_owned()).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn names(site: &Site, ps: &[PersonId]) -> String {
    ps.iter()
        .map(|&p| site.people[p].name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The minutes of meeting `m` of `site`.
pub fn minutes(site: &Site, config: &SiteConfig, m: MeetingId, format: MinutesFormat) -> String {
    let mt = &site.meetings[m];
    let group = &site.groups[mt.group];
    let mut d = Doc {
        format,
        out: String::new(),
    };
    match mt.title.contains(&group.name) {
        true => d.title(&mt.title),
        false => d.title(&format!("{}: {}", group.name, mt.title)),
    }
    d.out.push('\n');
    let mut when = mt.date.format("%A %-d %B %Y").to_string();
    if let Some(t) = mt.time {
        let end = t + chrono::Duration::minutes(i64::from(mt.duration));
        let _ = write!(
            when,
            ", {}–{} {}",
            t.format("%H:%M"),
            end.format("%H:%M"),
            mt.timezone
        );
    }
    d.fact("Date", &when);
    if mt.status != MeetingStatus::Held {
        d.fact("Status", mt.status.as_str());
    }
    if let Some(loc) = &mt.location {
        d.fact("Location", loc);
    }
    people_part(&mut d, site, m);
    if !mt.agenda.is_empty() {
        d.heading("Agenda");
        for (i, a) in mt.agenda.iter().enumerate() {
            let text = match &a.link {
                Some(l) if l != &a.title => format!("{} <{l}>", a.title),
                _ => a.title.clone(),
            };
            d.item(&format!("{}.", i + 1), &text, 0);
        }
    }
    outcomes_part(&mut d, site, m);
    new_items_part(&mut d, site, m);
    updates_part(&mut d, site, m);
    open_items_part(&mut d, site, m);
    let private = crate::model::PrivateCounts::at(&site.private.by_meeting, m);
    if private > 0 {
        d.out.push('\n');
        d.line(&format!(
            "This meeting also opened or updated {} (not published).",
            private_items(private)
        ));
    }
    if !config.base_url.trim().is_empty() {
        let base = format!("{}/", config.base_url.trim().trim_end_matches('/'));
        d.out.push('\n');
        d.fact("Notes", &format!("{base}{}", mt.url));
    }
    d.out
}

/// "1 private item", "3 private items".
pub fn private_items(n: u32) -> String {
    match n {
        1 => "1 private item".to_string(),
        n => format!("{n} private items"),
    }
}

/// Moderators, note-takers, attendees, regrets and the quorum.
fn people_part(d: &mut Doc, site: &Site, m: MeetingId) {
    let mt = &site.meetings[m];
    if !mt.moderators.is_empty() {
        d.fact("Chair", &names(site, &mt.moderators));
    }
    if !mt.note_takers.is_empty() {
        d.fact("Notes taken by", &names(site, &mt.note_takers));
    }
    let attendees: Vec<PersonId> = mt.attendees.iter().map(|a| a.person).collect();
    let present = match attendees.is_empty() {
        true => "none recorded".to_string(),
        false => format!("{} ({})", names(site, &attendees), attendees.len()),
    };
    d.fact("Attendees", &present);
    if !mt.regrets.is_empty() {
        d.fact("Regrets", &names(site, &mt.regrets));
    }
    if let Some(met) = mt.quorum_met {
        let needed = crate::resolve::attendance::quorum_needed(&site.groups[mt.group]);
        let mut q = if met { "met" } else { "not met" }.to_string();
        if let Some(n) = needed {
            let _ = write!(q, " ({n} needed)");
        }
        d.fact("Quorum", &q);
    }
}

/// Decisions (with ids and lineage) and the other outcomes.
fn outcomes_part(d: &mut Doc, site: &Site, m: MeetingId) {
    let mt = &site.meetings[m];
    let decisions = site.decisions_at(m);
    if !decisions.is_empty() {
        d.heading("Decisions");
        for dec in decisions {
            let o = &mt.outcomes[dec.outcome.min(mt.outcomes.len().saturating_sub(1))];
            let mut text = format!("[{}] {}", dec.id, o.text);
            if o.kind == crate::model::OutcomeKind::Resolution {
                text = format!("[{}] Resolution: {}", dec.id, o.text);
            }
            if let Some(v) = o.votes {
                let _ = write!(
                    text,
                    " (for {}, against {}, abstain {})",
                    v.for_, v.against, v.abstain
                );
            }
            d.item("-", &text, 0);
            for (k, t) in &dec.changes {
                let other = &site.decisions[*t];
                let when = site.meetings[other.meeting].date;
                let line = format!("{} {} ({when})", k.as_str(), other.id);
                d.item("-", &capitalise(&line), 1);
            }
        }
    }
    let others: Vec<&str> = mt
        .outcomes
        .iter()
        .filter(|o| o.kind == crate::model::OutcomeKind::Outcome)
        .map(|o| o.text.as_str())
        .collect();
    if !others.is_empty() {
        d.heading("Outcomes");
        for o in others {
            d.item("-", o, 0);
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Items grouped by owner name (an item of two owners under each), owners
/// in name order; the group's and unassigned items last. The lists hold
/// positions in `items`.
fn by_owner<'a>(site: &'a Site, items: &[(ItemId, ItemAt)]) -> BTreeMap<(u8, &'a str), Vec<usize>> {
    let mut map: BTreeMap<(u8, &str), Vec<usize>> = BTreeMap::new();
    for (k, (i, at)) in items.iter().enumerate() {
        if at.owners.is_empty() {
            let key = match &site.items[*i].group_owner {
                Some(_) => (1, "The group"),
                None => (2, "Unassigned"),
            };
            map.entry(key).or_default().push(k);
        }
        for &p in &at.owners {
            map.entry((0, site.people[p].name.as_str()))
                .or_default()
                .push(k);
        }
    }
    map
}

/// What an item is at the end of meeting `m`: owners, status and due date.
fn item_at(site: &Site, i: ItemId, m: MeetingId) -> ItemAt {
    let it = &site.items[i];
    let (mut owners, mut status, mut due, mut all) = (None, None, None, true);
    for s in &it.history {
        if s.meeting > m {
            all = false;
            continue;
        }
        status = Some(s.status);
        if s.owners.is_some() {
            owners = s.owners.as_ref();
        }
        if s.due.is_some() {
            due = s.due;
        }
    }
    ItemAt {
        owners: owners.unwrap_or(&it.owners).clone(),
        status: status.unwrap_or(it.status),
        due: due
            .or(if all { it.due } else { None })
            .map(|d| d.to_string()),
    }
}

/// An item as it stood at the end of a meeting.
struct ItemAt {
    owners: Vec<PersonId>,
    status: ItemStatus,
    due: Option<String>,
}

fn item_line(site: &Site, i: ItemId, due: Option<&str>, extra: &str) -> String {
    let it = &site.items[i];
    let mut s = format!("[{}] {}", it.id, it.task);
    if let Some(d) = due {
        let _ = write!(s, " (due {d})");
    }
    s.push_str(extra);
    s
}

fn owner_lists(d: &mut Doc, site: &Site, m: MeetingId, items: &[ItemId], mark_overdue: bool) {
    let states: Vec<(ItemId, ItemAt)> = items.iter().map(|&i| (i, item_at(site, i, m))).collect();
    owner_lists_at(d, site, m, &states, mark_overdue);
}

fn owner_lists_at(
    d: &mut Doc,
    site: &Site,
    m: MeetingId,
    states: &[(ItemId, ItemAt)],
    mark_overdue: bool,
) {
    let date = site.meetings[m].date.to_string();
    for ((_, name), list) in by_owner(site, states) {
        d.owner(name);
        for k in list {
            let (i, ItemAt { status, due, .. }) = &states[k];
            let i = *i;
            let mut extra = String::new();
            if *status != ItemStatus::Open {
                let _ = write!(extra, ", {}", status.as_str());
            }
            if mark_overdue && due.as_deref().is_some_and(|x| x < date.as_str()) {
                extra.push_str(", overdue");
            }
            d.item("-", &item_line(site, i, due.as_deref(), &extra), 1);
        }
    }
}

/// The items opened at the meeting, by owner.
fn new_items_part(d: &mut Doc, site: &Site, m: MeetingId) {
    let opened = &site.meetings[m].opened;
    if opened.is_empty() {
        return;
    }
    d.heading("New action items");
    owner_lists(d, site, m, opened, false);
}

/// The items the meeting updated: their status after it, and its note.
fn updates_part(d: &mut Doc, site: &Site, m: MeetingId) {
    let updated = &site.meetings[m].updated;
    if updated.is_empty() {
        return;
    }
    d.heading("Updates");
    for &i in updated {
        let it = &site.items[i];
        let Some(step) = it.history.iter().rev().find(|s| s.meeting == m) else {
            continue;
        };
        let mut text = format!("[{}] {}: {}", it.id, it.task, step.status.as_str());
        if let Some(o) = &step.owners {
            let _ = write!(text, "; now {}", names(site, o));
        }
        if let Some(due) = step.due {
            let _ = write!(text, "; due {due}");
        }
        if let Some(n) = &step.note {
            let _ = write!(text, " ({n})");
        }
        d.item("-", &text, 0);
    }
}

/// Every item of the group open at the end of the meeting, by owner.
fn open_items_part(d: &mut Doc, site: &Site, m: MeetingId) {
    let mt = &site.meetings[m];
    let g = mt.group;
    // A held meeting knows the items open at its start; others are searched for.
    let mut open: Vec<ItemId> = match mt.status {
        MeetingStatus::Held => mt
            .carried_in
            .iter()
            .map(|&(i, _)| i)
            .chain(mt.opened.iter().copied())
            .chain(mt.updated.iter().copied())
            .collect(),
        _ => site
            .items
            .iter_enumerated()
            .filter(|(_, it)| it.opened_in <= m)
            .map(|(i, _)| i)
            .collect(),
    };
    open.sort_unstable();
    open.dedup();
    let states: Vec<(ItemId, ItemAt)> = open
        .into_iter()
        .filter(|&i| site.items[i].group == g)
        .map(|i| (i, item_at(site, i, m)))
        .filter(|(_, s)| s.status.is_open())
        .collect();
    d.heading("Open action items of the group");
    if states.is_empty() {
        d.line("None.");
        return;
    }
    owner_lists_at(d, site, m, &states, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_is_escaped() {
        assert_eq!(md("a *b* [c](d) <e>"), "a \\*b\\* \\[c\\](d) \\<e\\>");
    }

    #[test]
    fn plain_text_is_wrapped_at_72_columns() {
        let mut d = Doc {
            format: MinutesFormat::Text,
            out: String::new(),
        };
        let long = "word ".repeat(40);
        d.item("-", long.trim(), 1);
        assert!(d.out.lines().count() > 2);
        assert!(d.out.lines().all(|l| l.chars().count() <= WIDTH));
        assert!(d.out.lines().skip(1).all(|l| l.starts_with("    word")));
    }
}
