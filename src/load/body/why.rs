//! For `quorum explain`: the lines of a body that look like action items, each with
//! the reason quorum gives when it makes no item of it (struck through, outside an
//! actions section, an owner that is a common word, a list that ended, ...).

use super::blocks::{Block, BlockKind, Doc};
use super::sections::{self, Sections};
use super::{actions, markers, owners, read, section_items, text, BodyContext, Pos, Section};
use crate::model::Span;
use std::collections::{HashMap, HashSet};

/// A line that looks like an action item, and why it makes no new item when it makes
/// none (the caller knows which lines did).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ActionLike {
    /// 1-based line of the file.
    pub(crate) line: u32,
    /// The line's text, without markdown.
    pub(crate) text: String,
    /// Why quorum takes no item from it.
    pub(crate) reason: String,
}

/// What the section reader skipped: plan sections read as a discussion, and where each
/// ended action section ended.
struct Skipped {
    discussions: HashSet<usize>,
    ended_at: HashMap<usize, usize>,
}

/// The lines of `body` (whose first line is file line `first_line`) that look like
/// action items, each with the reason it would not be taken.
pub(crate) fn action_like_lines(body: &str, first_line: u32, ctx: &BodyContext) -> Vec<ActionLike> {
    let pos = Pos::new(body, first_line.max(1));
    let doc = super::blocks::collect(body);
    let secs = sections::assign(&doc);
    let mut reader = read::SectionReader::new(body, &doc, &pos, ctx, &secs);
    reader.read();
    let (discussions, ended_at) = reader.skipped();
    let skipped = Skipped {
        discussions: discussions.clone(),
        ended_at: ended_at.clone(),
    };
    let min_depth = sections::min_depths(&secs.assigned);
    let mut out = Vec::new();
    let mut offset = 0usize;
    for raw in body.split_inclusive('\n') {
        let at = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let plain = text::strip_inline_md(line);
        let t = plain
            .trim_start_matches(['#', '-', '*', '+', '>', ' ', '\t'])
            .trim();
        if t.is_empty() || super::section_of_actions(t) {
            continue;
        }
        let in_code = doc.code.iter().any(|(s, e)| at >= *s && at < *e);
        // Where the line's text starts: a nested item starts after its indent.
        let block = block_at(&doc, at + (line.len() - line.trim_start().len()));
        let sec = block.and_then(|b| section_of_block(&secs, b));
        let reason = if in_code {
            markers::looks_like_action(line)
                .then(|| "inside a code block: quorum reads no items there".to_string())
        } else {
            match (block, sec) {
                (Some(b), Some((Section::Actions, id))) => first_line_of(b, at, body)
                    .then(|| in_section(line, t, b, id, &secs, &skipped, &min_depth, body, ctx)),
                (Some(b), _) if matches!(b.kind, BlockKind::Heading { .. }) => None,
                (b, _) => candidate_outside(line, t, b, ctx).then(|| outside(line, t, ctx)),
            }
        };
        if let Some(reason) = reason {
            out.push(ActionLike {
                line: pos.span(at).line,
                text: t.chars().take(100).collect(),
                reason,
            });
        }
    }
    out
}

/// The innermost block holding byte `at`.
fn block_at(doc: &Doc, at: usize) -> Option<&Block> {
    doc.blocks
        .iter()
        .rev()
        .find(|b| b.start <= at && (at < b.end || b.start == at))
}

fn section_of_block(secs: &Sections, b: &Block) -> Option<(Section, usize)> {
    secs.assigned
        .iter()
        .find(|(_, x)| std::ptr::eq(*x, b))
        .and_then(|(s, _)| *s)
}

/// Whether the line at `at` is where block `b` starts a line of its own: the first
/// line of a list item or table row, any line of a paragraph.
fn first_line_of(b: &Block, at: usize, body: &str) -> bool {
    match &b.kind {
        BlockKind::Paragraph { .. } => true,
        BlockKind::Row { header, .. } => !header,
        BlockKind::Item { .. } => {
            let start_line = body.get(..b.start).map_or(0, |s| s.matches('\n').count());
            let this = body.get(..at).map_or(0, |s| s.matches('\n').count());
            start_line == this
        }
        BlockKind::Heading { .. } => false,
    }
}

/// Whether a line outside an actions section looks like an action: it names an action
/// (`action`, `TODO`, `AI:`), is an open checkbox, or is a list item `Name to task` /
/// `Name will task` for a name the site knows.
fn candidate_outside(line: &str, t: &str, b: Option<&Block>, ctx: &BodyContext) -> bool {
    if markers::looks_like_action(line) {
        return true;
    }
    let Some(BlockKind::Item { checkbox, .. }) = b.map(|b| &b.kind) else {
        return false;
    };
    if checkbox.is_some() {
        return true;
    }
    let t = t.trim_matches('~');
    [" to ", " will "].iter().any(|sep| {
        t.split_once(sep).is_some_and(|(who, _)| {
            who.split_whitespace().count() <= 3 && (ctx.is_person)(who.trim())
        })
    })
}

/// Whether the line is struck through as a whole (`~~task~~`).
fn struck(line: &str) -> bool {
    let t = line
        .trim()
        .trim_start_matches(['-', '*', '+', ' ', '\t'])
        .trim_start_matches("[ ]")
        .trim_start_matches("[x]")
        .trim();
    t.starts_with("~~") && t.ends_with("~~") && t.len() > 4
}

/// The owner a line names that is a common word or a placeholder, not a person
/// (`Move: the call to Thursday`, `TBD to write it`).
fn common_owner(t: &str) -> Option<String> {
    let t = markers::action_prefix(t).map_or(t.to_string(), |m| match m.owner {
        Some(o) => format!("{o}: {}", m.rest),
        None => m.rest,
    });
    [": ", " to ", " will ", " - "].iter().find_map(|sep| {
        let (who, _) = t.split_once(sep)?;
        let who = who
            .trim()
            .trim_start_matches(['[', '('])
            .trim_end_matches([']', ')']);
        let first = who.split_whitespace().next()?;
        (who.split_whitespace().count() <= 2 && owners::is_common(first)).then(|| who.to_string())
    })
}

fn common_reason(who: &str) -> String {
    format!("`{who}` is a common word or a placeholder, not a person: write the owner's name (`Owner: task`), or leave it out to keep an unassigned item")
}

/// Whether list item `b` comes right after a paragraph of its section whose last line
/// names an owner (`Pip: follow up on the roadmap` then `- also the matrix`).
fn follows_owned_paragraph(b: &Block, secs: &Sections, body: &str, ctx: &BodyContext) -> bool {
    let before = body.get(..b.start).unwrap_or("");
    if before[before.trim_end().len()..].matches('\n').count() > 1 {
        return false;
    }
    let prev = secs
        .assigned
        .iter()
        .map(|(_, x)| *x)
        .rev()
        .find(|x| x.end <= b.start);
    match prev.map(|p| &p.kind) {
        Some(BlockKind::Paragraph { text }) => text.lines().last().is_some_and(|l| {
            actions::body_action(l, None, &[], Span::new(1, 1), ctx)
                .item
                .is_some()
        }),
        _ => false,
    }
}

/// Why an entry of an actions section makes no item.
#[allow(clippy::too_many_arguments)]
fn in_section(
    line: &str,
    t: &str,
    b: &Block,
    id: usize,
    secs: &Sections,
    skipped: &Skipped,
    min_depth: &HashMap<usize, usize>,
    body: &str,
    ctx: &BodyContext,
) -> String {
    if struck(line) {
        return "struck through: not open work".into();
    }
    if t.ends_with(':') {
        return "ends with `:`: a label for what follows, not a task".into();
    }
    if skipped.discussions.contains(&id) {
        return "most entries of this list name no owner: quorum reads it as notes of a discussion, not as tasks; write each task as `Owner: task`".into();
    }
    if skipped.ended_at.get(&id).is_some_and(|e| b.start >= *e) {
        return "after the actions list ended: a paragraph that is not an item (a transcript, a bold speaker) ends the section".into();
    }
    if let BlockKind::Item { depth, .. } = &b.kind {
        if follows_owned_paragraph(b, secs, body, ctx) {
            return "right under an owned paragraph line with no blank line between: read as more of that item".into();
        }
        if min_depth.get(&id).is_some_and(|m| depth > m) {
            return "nested under another entry: read as a detail of it; write it at the top level of the list to make it an item".into();
        }
    }
    if let Some(who) = common_owner(t) {
        return common_reason(&who);
    }
    let a = actions::body_action(t, None, &[], Span::new(1, 1), ctx);
    if a.item.is_some() {
        return "the same action as another entry of this note: counted once".into();
    }
    if secs.weak_ids.contains(&id) {
        return "a `Next steps`/`TODO` entry without an owner is a plan, not an assignment: name the owner".into();
    }
    if section_items::is_status_report(t) {
        return "a status report of earlier work, not a new task".into();
    }
    "no owner and no task a reader takes as one (a label, a link alone, a report of work done, or fewer than two words)".into()
}

/// Why a line outside an actions section makes no item.
fn outside(line: &str, t: &str, ctx: &BodyContext) -> String {
    if struck(line) {
        return "struck through: not open work".into();
    }
    match markers::action_line(line, Span::new(1, 1), ctx) {
        Some(Ok(i)) if i.owners.is_empty() && i.group_owner.is_none() => {
            "a `TODO` note without an owner is a plan, not an assignment: name the owner".into()
        }
        Some(Ok(_)) => "the same action as an entry of the note's action items (or of an owner listed there): counted once".into(),
        Some(Err(_)) => "an action marker with no task after it".into(),
        None => match common_owner(t) {
            Some(who) => common_reason(&who),
            None => "outside an actions section and without an `ACTION:` marker: put it under an `Action items` heading, or write `ACTION: Owner to task`".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(body: &str) -> Vec<(u32, String)> {
        let known = |n: &str| matches!(n, "Orla" | "Bram");
        let ctx = BodyContext {
            path: "n.md",
            is_person: &known,
            year_hint: None,
        };
        action_like_lines(body, 1, &ctx)
            .into_iter()
            .map(|a| (a.line, a.reason))
            .collect()
    }

    #[test]
    fn reasons_name_what_to_write() {
        let body = "# WG\n\nWe talked about the action list.\n\n## Action items\n\n- Move: the call to Thursday\n- ~~Orla: order the wicks~~\n- Bram: price the glass\n  - Orla to help him\n\n- [ ] Orla to book the hall\n";
        let got = why(body);
        let at = |n: u32| {
            got.iter()
                .find(|(l, _)| *l == n)
                .map(|(_, r)| r.as_str())
                .unwrap_or("")
        };
        assert!(at(3).contains("outside an actions section"), "{got:?}");
        assert!(at(7).contains("`Move` is a common word"), "{got:?}");
        assert!(at(8).contains("struck through"), "{got:?}");
        assert!(at(10).contains("nested under another entry"), "{got:?}");
        assert!(
            got.iter().all(|(l, _)| *l != 5),
            "the heading is no candidate"
        );
    }
}
