//! Minutes debt on pages: the group page's list of due meetings with no
//! notes, and the home page's count per group.

use super::Common;
use crate::model::GroupId;
use crate::render::view::GroupLink;
use serde::Serialize;
use tera::Context;

#[derive(Serialize)]
struct Missing {
    /// Newest first.
    dates: Vec<String>,
    cadence: Option<String>,
    due_days: u32,
}

/// The group page's `missing_minutes`.
pub(crate) fn add_group(c: &Common, g: GroupId, ctx: &mut Context) {
    let dates = &c.insights.missing[g];
    let m = (!dates.is_empty()).then(|| Missing {
        dates: dates.iter().rev().map(|d| d.to_string()).collect(),
        cadence: c.site.groups[g].cadence.clone(),
        due_days: c.config.site.minutes_due_days,
    });
    ctx.insert("missing_minutes", &m);
}

#[derive(Serialize)]
struct GroupDebt<'a> {
    group: &'a GroupLink,
    count: usize,
    latest: String,
}

/// The home page's `minutes_debt`: groups with missing minutes, most first.
pub(crate) fn add_home(c: &Common, ctx: &mut Context) {
    let mut list: Vec<GroupDebt> = c
        .insights
        .missing
        .iter_enumerated()
        .filter_map(|(g, dates)| {
            Some(GroupDebt {
                group: &c.ix.groups[g],
                count: dates.len(),
                latest: dates.last()?.to_string(),
            })
        })
        .collect();
    list.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.group.key.cmp(&b.group.key))
    });
    ctx.insert("minutes_debt", &list);
}
