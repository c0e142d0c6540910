//! `quorum actions`: the chair's report of action items.

use super::{load, Exit, Global, Report};
use crate::model::{ActionItem, Site};
use crate::report::ItemJson;
use crate::text::fold;
use std::io::Write;

/// Which items to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatusFilter {
    /// Every open item (overdue and stale ones included).
    Open,
    /// Open items past their due date.
    Overdue,
    /// Open items with no update for more than `stale_after` meetings.
    Stale,
    /// Done or dropped items.
    Closed,
    /// Every item.
    All,
}

/// How to print the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// The item objects of actions.json.
    Json,
    /// CSV with a header row.
    Csv,
}

/// The report's filters.
#[derive(Debug, Clone)]
pub struct Filter {
    /// Group key or name.
    pub group: Option<String>,
    /// Owner: name, alias or handle.
    pub owner: Option<String>,
    /// Status.
    pub status: StatusFilter,
}

/// The items `filter` selects, in opening order; `Err` names an unknown group or owner.
pub fn select<'a>(site: &'a Site, filter: &Filter) -> Result<Vec<&'a ActionItem>, String> {
    let group = match &filter.group {
        Some(g) => Some(
            site.groups
                .position(|x| x.key == *g || fold(&x.name) == fold(g))
                .ok_or_else(|| format!("no group `{g}` (groups: {})", keys(site)))?,
        ),
        None => None,
    };
    let owner = match &filter.owner {
        Some(o) => {
            let f = fold(o.trim_start_matches('@'));
            Some(
                site.people
                    .position(|p| {
                        fold(&p.name) == f
                            || p.aliases.iter().any(|a| fold(a) == f)
                            || p.handle.as_deref().is_some_and(|h| fold(h) == f)
                    })
                    .ok_or_else(|| format!("no person `{o}` in the notes"))?,
            )
        }
        None => None,
    };
    Ok(site
        .items
        .iter()
        .filter(|i| group.is_none_or(|g| i.group == g))
        .filter(|i| owner.is_none_or(|o| i.owners.contains(&o)))
        .filter(|i| match filter.status {
            StatusFilter::Open => i.status.is_open(),
            StatusFilter::Overdue => i.overdue,
            StatusFilter::Stale => i.stale,
            StatusFilter::Closed => i.status.is_closed(),
            StatusFilter::All => true,
        })
        .collect())
}

fn keys(site: &Site) -> String {
    site.groups
        .iter()
        .map(|g| g.key.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `actions`.
pub fn run(
    g: &Global,
    filter: &Filter,
    format: Format,
    report: &mut Report,
) -> std::io::Result<Exit> {
    let loaded = match load(g, false, report) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let errors = loaded.errors();
    if !errors.is_empty() {
        report.diagnostics(&g.root, &errors)?;
    }
    let site = &loaded.site;
    let items = match select(site, filter) {
        Ok(i) => i,
        Err(msg) => {
            writeln!(report.err, "error: {msg}")?;
            return Ok(Exit::Usage);
        }
    };
    let base = loaded.config.base_path();
    match format {
        Format::Json => {
            let json: Vec<_> = items
                .iter()
                .map(|i| ItemJson::new(site, i, &base))
                .collect();
            serde_json::to_writer_pretty(&mut *report.out, &json)?;
            writeln!(report.out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut *report.out);
            w.write_record([
                "id", "status", "owners", "due", "group", "opened", "carried", "stale", "overdue",
                "task",
            ])?;
            for i in &items {
                w.write_record(row(site, i, false))?;
            }
            w.flush()?;
        }
        Format::Table => table(site, &items, report.out)?,
    }
    if !errors.is_empty() {
        writeln!(
            report.err,
            "{} error(s) in the notes: the report may miss items (run `quorum check`)",
            errors.len()
        )?;
        return Ok(Exit::Failure);
    }
    Ok(Exit::Success)
}

fn owners(site: &Site, i: &ActionItem) -> String {
    i.owners
        .iter()
        .map(|&p| site.people[p].name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn row(site: &Site, i: &ActionItem, table: bool) -> Vec<String> {
    let mut status = i.status.as_str().to_string();
    if table {
        if i.overdue {
            status.push_str(" OVERDUE");
        }
        if i.stale {
            status.push_str(" STALE");
        }
        if i.private {
            status.push_str(" PRIVATE");
        }
    }
    let mut r = vec![
        i.id.clone(),
        status,
        owners(site, i),
        i.due.map(|d| d.to_string()).unwrap_or_default(),
        site.groups[i.group].key.clone(),
        site.meetings[i.opened_in].date.to_string(),
        i.carried.to_string(),
    ];
    if !table {
        r.push(i.stale.to_string());
        r.push(i.overdue.to_string());
    }
    r.push(i.task.clone());
    r
}

fn table(site: &Site, items: &[&ActionItem], out: &mut dyn Write) -> std::io::Result<()> {
    if items.is_empty() {
        return writeln!(out, "no action items match");
    }
    let head: Vec<String> = [
        "ID", "STATUS", "OWNER", "DUE", "GROUP", "OPENED", "CARRIED", "TASK",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Cells are plain text from notes: on one line, control characters shown
    // as escapes, never sent to the terminal.
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            row(site, i, true)
                .into_iter()
                .map(|c| {
                    crate::text::escape_control(&c.replace(['\n', '\r', '\t'], " ")).into_owned()
                })
                .collect()
        })
        .collect();
    let cols = head.len();
    let width: Vec<usize> = (0..cols)
        .map(|c| {
            std::iter::once(&head)
                .chain(rows.iter())
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in std::iter::once(&head).chain(rows.iter()) {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            if c + 1 == cols {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(width[c] - cell.chars().count() + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    let open = items.iter().filter(|i| i.status.is_open()).count();
    writeln!(out, "\n{} item(s), {} open", items.len(), open)
}
