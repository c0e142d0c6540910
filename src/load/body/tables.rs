//! Action tables: a table whose header names an action or task column gives one action
//! item per row, its owner from an owner column or from the start of the task
//! (`Carol: amend PEP 1`), its status and due date from columns of their own.

use super::actions::{self, new_item};
use super::owners::{self, OwnerKind};
use super::text::{clean, norm_words};
use super::BodyContext;
use crate::model::{BodyAction, DueSpec, EntryOrigin, ItemStatus, Span};

/// Header cells that name the task column.
const TASK_HEADERS: &[&str] = &[
    "action",
    "actions",
    "action item",
    "action items",
    "action point",
    "action points",
    "ai",
    "ais",
    "task",
    "tasks",
    "todo",
    "to do",
    "next step",
    "next steps",
    "follow up",
    "follow ups",
];

/// Words of a header cell that name the owner column.
const OWNER_WORDS: &[&str] = &[
    "owner",
    "owners",
    "assignee",
    "assignees",
    "assigned",
    "who",
    "responsible",
    "poc",
    "champion",
    "driver",
    "drivers",
];

/// Which columns of an action table hold the task, its owner, status and due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ActionCols {
    task: usize,
    owner: Option<usize>,
    status: Option<usize>,
    due: Option<usize>,
}

impl ActionCols {
    /// The columns a header row names, when one of them is an action or task column.
    pub(crate) fn from_header(cells: &[String]) -> Option<Self> {
        let words: Vec<Vec<String>> = cells.iter().map(|c| norm_words(c)).collect();
        let task = words.iter().position(|w| {
            let joined = w.join(" ");
            TASK_HEADERS.contains(&joined.as_str())
                || (w.len() <= 3
                    && w.first()
                        .is_some_and(|f| matches!(f.as_str(), "action" | "task")))
        })?;
        let find = |keys: &[&str]| {
            words
                .iter()
                .enumerate()
                .position(|(i, w)| i != task && w.iter().any(|x| keys.contains(&x.as_str())))
        };
        Some(ActionCols {
            task,
            owner: find(OWNER_WORDS),
            status: find(&["status", "state", "done"]),
            due: find(&["due", "deadline", "eta", "target"]),
        })
    }

    /// Whether the table names an owner column: every row of it is an action item.
    pub(crate) fn has_owner_column(&self) -> bool {
        self.owner.is_some()
    }
}

/// The status a cell gives (`Done`, `In progress`, `✅`, `Ongoing`).
fn status_of(cell: &str) -> Option<ItemStatus> {
    let t = cell.trim();
    if t.contains(['✅', '✔', '☑']) || t.eq_ignore_ascii_case("x") {
        return Some(ItemStatus::Done);
    }
    let w = norm_words(t);
    let joined = w.join(" ");
    ItemStatus::parse(&joined)
        .or_else(|| w.first().and_then(|f| ItemStatus::parse(f)))
        .or_else(|| {
            matches!(
                joined.as_str(),
                "ongoing" | "pending" | "not started" | "todo"
            )
            .then_some(ItemStatus::Open)
        })
}

/// A due date in a cell, when the cell is a date (`2024-05-01`, `May 1, 2024`).
fn due_of(cell: &str, year_hint: Option<i32>) -> Option<DueSpec> {
    let t = clean(cell);
    if t.is_empty() {
        return None;
    }
    crate::load::dates::parse_loose_date(&t, year_hint).map(DueSpec::Date)
}

/// The owners an owner cell names, as written: every part a person or the group, else
/// the parts that are people (`Raymond + interested reviewers`); empty when none is
/// (`TBD`, `-`, `(owner to be found)`).
fn owners_of(cell: &str, ctx: &BodyContext) -> Vec<String> {
    let mut t = clean(cell);
    if t.starts_with('(') {
        return Vec::new();
    }
    // `Raymond (with group)`: the note in parentheses is not an owner.
    if let Some(open) = t.find(" (") {
        if t.ends_with(')') {
            t.truncate(open);
        }
    }
    if actions::owners_ok(&t, ctx) {
        return actions::owned(&t);
    }
    actions::owned(&t)
        .into_iter()
        .filter(|p| owners::kind_of_one(p, ctx.is_person) == OwnerKind::People)
        .collect()
}

/// The entry one body row of an action table makes: an owned item; an unassigned one
/// when the table has an owner column or stands in an actions section; else none.
pub(crate) fn row_action(
    cols: &ActionCols,
    cells: &[String],
    in_actions: bool,
    span: Span,
    ctx: &BodyContext,
) -> Option<BodyAction> {
    let raw = clean(cells.get(cols.task)?);
    if raw.is_empty() || matches!(raw.as_str(), "-" | "—" | "–") {
        return None;
    }
    let mut status = cols
        .status
        .and_then(|i| cells.get(i))
        .and_then(|c| status_of(c));
    let (task, mut due) = actions::split_due(&raw);
    if let Some(d) = cols
        .due
        .and_then(|i| cells.get(i))
        .and_then(|c| due_of(c, ctx.year_hint))
    {
        due = Some(d);
    }
    let cell = cols.owner.and_then(|i| cells.get(i)).map(|c| clean(c));
    // An owner cell that says something (`TBD` too) is where the owner is written.
    let owner_written = cell
        .as_deref()
        .is_some_and(|c| !matches!(c, "" | "-" | "—" | "–"));
    let owners = cell.map(|c| owners_of(&c, ctx)).unwrap_or_default();
    let item = if owners.is_empty() {
        // The owner at the start of the task (`Carol: amend PEP 1`).
        let parsed = if owner_written {
            None
        } else {
            actions::parse_new(&task, ctx, &mut status)
        };
        match parsed {
            Some((o, t, d)) => Some(new_item(
                &o,
                t,
                d.or(due),
                status,
                span,
                EntryOrigin::BodySection,
            )),
            None if in_actions || cols.has_owner_column() => {
                let t = clean(&task);
                (!actions::is_no_task(&t))
                    .then(|| new_item(&[], t, due, status, span, EntryOrigin::BodySection))
            }
            None => None,
        }
    } else {
        actions::finish(owners, task, due)
            .map(|(o, t, d)| new_item(&o, t, d, status, span, EntryOrigin::BodySection))
    };
    let item = item?;
    Some(BodyAction {
        lead: None,
        checkbox: None,
        item: Some(item),
        text: raw,
        span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(s: &[&str]) -> Vec<String> {
        s.iter().map(|c| c.to_string()).collect()
    }

    fn read(header: &[&str], row: &[&str], in_actions: bool) -> Option<(Vec<String>, String)> {
        let cols = ActionCols::from_header(&cells(header))?;
        let no_one = |_: &str| false;
        let ctx = BodyContext {
            path: "n.md",
            is_person: &no_one,
            year_hint: Some(2024),
        };
        let a = row_action(&cols, &cells(row), in_actions, Span::new(3, 1), &ctx)?;
        let i = a.item?;
        let owners = match i.group_owner {
            Some(g) => vec![format!("(group) {g}")],
            None => i.owners.into_iter().map(|p| p.name).collect(),
        };
        Some((owners, i.task))
    }

    #[test]
    fn headers_name_the_columns() {
        let c = ActionCols::from_header(&cells(&["Owner", "Action", "Status", "Due date"]));
        assert_eq!(
            c,
            Some(ActionCols {
                task: 1,
                owner: Some(0),
                status: Some(2),
                due: Some(3)
            })
        );
        assert_eq!(
            ActionCols::from_header(&cells(&["Name", "Affiliation"])),
            None
        );
        assert_eq!(
            ActionCols::from_header(&cells(&["Issue", "Title", "Notes"])),
            None
        );
    }

    #[test]
    fn rows_give_owner_task_or_nothing() {
        let h = ["Action", "Owner"];
        assert_eq!(
            read(&h, &["Order the wicks", "Orla"], false),
            Some((vec!["Orla".into()], "Order the wicks".into()))
        );
        assert_eq!(
            read(&h, &["Check the stand", "Bram (with Orla)"], false),
            Some((vec!["Bram".into()], "Check the stand".into()))
        );
        assert_eq!(
            read(&h, &["Book the hall", "TBD"], false),
            Some((vec![], "Book the hall".into())),
            "an owner column makes every row an item"
        );
        assert_eq!(
            read(&h, &["Vote on it", "everyone"], false),
            Some((vec!["(group) everyone".into()], "Vote on it".into()))
        );
        let task_only = ["Task", "Notes"];
        assert_eq!(
            read(&task_only, &["Tamsin: file the form", ""], false),
            Some((vec!["Tamsin".into()], "file the form".into()))
        );
        assert_eq!(read(&task_only, &["File the form", ""], false), None);
        assert_eq!(
            read(&task_only, &["File the form", ""], true),
            Some((vec![], "File the form".into()))
        );
        assert_eq!(read(&h, &["", "Orla"], true), None);
        assert_eq!(
            read(&h, &["Stand: repaint it", "TBD"], true),
            Some((vec![], "Stand: repaint it".into())),
            "an owner cell that names no one: the task's label is no owner"
        );
        assert_eq!(
            read(&h, &["Orla: repaint the stand", ""], true),
            Some((vec!["Orla".into()], "repaint the stand".into()))
        );
    }
}
