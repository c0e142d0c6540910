//! Which section each block of a body belongs to: a heading opens one until
//! a heading of the same or a higher level; a bullet acting as a heading
//! (`- Action items:`) heads the items nested under it; a line announcing
//! attendance heads only the list or paragraph right after it.

use super::blocks::{Block, BlockKind, Doc};
use super::{section_items, section_of, Section};
use std::collections::{HashMap, HashSet};

/// A block with its section: the kind and the index of the block that opened it.
pub(crate) type Assigned<'d> = Vec<(Option<(Section, usize)>, &'d Block)>;

/// The body's blocks by section.
pub(crate) struct Sections<'d> {
    /// Every block that is not a heading, with its section.
    pub(crate) assigned: Assigned<'d>,
    /// Start offsets of blocks under a heading nested inside their section's heading.
    pub(crate) under_sub: HashSet<usize>,
    /// Bullets acting as action headings (their items are inline, like markers).
    pub(crate) bullet_ids: HashSet<usize>,
    /// Sections of plans (`Next steps`, `TODO`) whose entries without an owner are no items.
    pub(crate) weak_ids: HashSet<usize>,
}

/// Open headings: level, section, block index.
type Stack = Vec<(u8, Option<Section>, usize)>;

/// The innermost open heading that names a section.
fn innermost(stack: &Stack) -> Option<(Section, usize)> {
    stack
        .iter()
        .rev()
        .find_map(|(_, s, id)| s.map(|s| (s, *id)))
}

/// Assigns every block of `doc` to its section.
pub(crate) fn assign(doc: &Doc) -> Sections<'_> {
    let mut out = Sections {
        assigned: Vec::new(),
        under_sub: HashSet::new(),
        bullet_ids: HashSet::new(),
        weak_ids: HashSet::new(),
    };
    let mut stack: Stack = Vec::new();
    let mut bullet_heads: Vec<(usize, usize, usize)> = Vec::new();
    // Per announcing line: whether items, or a paragraph, followed it yet.
    let mut runs: HashMap<usize, (bool, bool)> = HashMap::new();
    for (i, b) in doc.blocks.iter().enumerate() {
        if let BlockKind::Heading { level, text } = &b.kind {
            while stack.last().is_some_and(|(l, _, _)| l >= level) {
                stack.pop();
            }
            stack.push((*level, section_of(text), i));
            if section_items::is_weak(text) {
                out.weak_ids.insert(i);
            }
            continue;
        }
        // `- Action items:` with the items nested below it: a heading for them.
        if let Some(&(_, _, id)) = bullet_heads
            .iter()
            .rev()
            .find(|(s, e, _)| b.start > *s && b.start < *e)
        {
            out.assigned.push((Some((Section::Actions, id)), b));
            continue;
        }
        if section_items::is_bullet_heading(&b.kind) {
            bullet_heads.push((b.start, b.end, i));
            out.bullet_ids.insert(i);
            if let BlockKind::Item { text, .. } = &b.kind {
                if section_items::is_weak(text) {
                    out.weak_ids.insert(i);
                }
            }
            continue;
        }
        let mut cur = innermost(&stack);
        if let Some((Section::Attendees | Section::Regrets, id)) = cur {
            if announced_run_ends(&mut stack, &mut runs, id, b) {
                cur = innermost(&stack);
            }
        }
        if cur.is_some_and(|(_, id)| stack.last().is_some_and(|(_, _, top)| *top != id)) {
            out.under_sub.insert(b.start);
        }
        out.assigned.push((cur, b));
    }
    out
}

/// A line that announces attendance (`Attendees:`, on the stack at level 7)
/// heads the list or the paragraph right after it, no more: whether `b`
/// ends its run, in which case the line is taken off `stack`.
fn announced_run_ends(
    stack: &mut Stack,
    runs: &mut HashMap<usize, (bool, bool)>,
    id: usize,
    b: &Block,
) -> bool {
    if !stack
        .last()
        .is_some_and(|(l, _, top)| *l == 7 && *top == id)
    {
        return false;
    }
    let st = runs.entry(id).or_insert((false, false));
    let ends = match &b.kind {
        BlockKind::Item { .. } => st.1,
        BlockKind::Paragraph { text } => st.0 || st.1 || text.trim_end().ends_with(':'),
        _ => false,
    };
    if ends {
        stack.pop();
    } else if matches!(b.kind, BlockKind::Item { .. }) {
        st.0 = true;
    } else {
        st.1 = true;
    }
    ends
}

/// The shallowest list depth of each section: its top-level items.
pub(crate) fn min_depths(assigned: &Assigned) -> HashMap<usize, usize> {
    let mut min_depth = HashMap::new();
    for (sec, b) in assigned {
        if let (Some((_, id)), BlockKind::Item { depth, .. }) = (sec, &b.kind) {
            let e = min_depth.entry(*id).or_insert(*depth);
            *e = (*e).min(*depth);
        }
    }
    min_depth
}

/// Attendance lists of one person per item (most items hold no comma): a
/// comma there joins a name and an organisation.
pub(crate) fn one_person_per_item(assigned: &Assigned) -> HashMap<usize, bool> {
    let mut commas: HashMap<usize, (usize, usize)> = HashMap::new();
    for (sec, b) in assigned {
        if let (Some((Section::Attendees, id)), BlockKind::Item { text, .. }) = (sec, &b.kind) {
            let e = commas.entry(*id).or_insert((0, 0));
            e.0 += 1;
            e.1 += usize::from(!text.contains([',', ';']));
        }
    }
    commas
        .into_iter()
        .map(|(id, (n, plain))| (id, n >= 3 && plain * 10 >= n * 6))
        .collect()
}
