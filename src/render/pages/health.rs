//! The action-health blocks of group and person pages: the figures, and the
//! charts with the same figures as tables for screen readers.

use super::Common;
use crate::model::{GroupId, ItemId, PersonId};
use crate::render::charts;
use crate::resolve::health::{self, Health, AGE_BINS, LONG_CARRIED};
use serde::Serialize;
use tera::Context;

/// How many owners the load chart names; the rest are summed as "others".
const OWNERS_SHOWN: usize = 10;

/// One chart: its SVG and the same figures as rows of a table.
#[derive(Serialize)]
struct Chart {
    id: String,
    title: String,
    svg: String,
    /// Headers of the table's two columns.
    columns: [&'static str; 2],
    rows: Vec<(String, usize)>,
}

impl Chart {
    fn new(
        id: &str,
        title: String,
        columns: [&'static str; 2],
        rows: Vec<(String, usize)>,
        svg: Option<String>,
    ) -> Option<Chart> {
        Some(Chart {
            id: id.to_string(),
            title,
            svg: svg?,
            columns,
            rows,
        })
    }
}

#[derive(Serialize)]
struct Figures {
    open: usize,
    closed: usize,
    median_days_to_close: Option<String>,
    long_carried: usize,
    long_carried_after: u32,
}

fn figures(h: &Health) -> Figures {
    Figures {
        open: h.open,
        closed: h.closed,
        median_days_to_close: h.median_days_to_close.map(|d| {
            if d.fract() == 0.0 {
                format!("{d:.0}")
            } else {
                format!("{d:.1}")
            }
        }),
        long_carried: h.long_carried,
        long_carried_after: LONG_CARRIED,
    }
}

fn age_chart(id: &str, whose: &str, h: &Health) -> Option<Chart> {
    if h.open == 0 {
        return None;
    }
    let labels: Vec<String> = AGE_BINS.iter().map(|(l, _)| l.to_string()).collect();
    let title = format!("Open action items of {whose} by age");
    let svg = charts::bars(&title, "days since opened", &labels, &h.ages);
    let rows = labels.into_iter().zip(h.ages).collect();
    Chart::new(id, title, ["Age", "Open items"], rows, svg)
}

/// The group page's `health`: figures, and charts of open items over
/// time, attendance, age and load per owner.
pub(crate) fn add_group(c: &Common, g: GroupId, ctx: &mut Context) {
    let site = c.site;
    let group = &site.groups[g];
    let items: Vec<ItemId> = site
        .items
        .iter_enumerated()
        .filter(|(_, it)| it.group == g)
        .map(|(i, _)| i)
        .collect();
    let h = health::health(site, &items);
    let mut list: Vec<Chart> = Vec::new();
    let times = health::over_time(site, g);
    let dates: Vec<String> = times
        .iter()
        .map(|&(m, _, _)| site.meetings[m].date.to_string())
        .collect();
    let open: Vec<usize> = times.iter().map(|t| t.1).collect();
    let present: Vec<usize> = times.iter().map(|t| t.2).collect();
    let series = |values: &[usize]| dates.iter().cloned().zip(values.iter().copied()).collect();
    let title = format!("Open action items of {} after each meeting", group.name);
    list.extend(Chart::new(
        "chart-open_",
        title.clone(),
        ["Meeting", "Open items"],
        series(&open),
        charts::line(&title, "open items", &dates, &open),
    ));
    let title = format!("Attendance at each meeting of {}", group.name);
    list.extend(Chart::new(
        "chart-attendance_",
        title.clone(),
        ["Meeting", "Attendees"],
        series(&present),
        charts::line(&title, "attendees", &dates, &present),
    ));
    list.extend(age_chart("chart-age_", &group.name, &h));
    let load = health::load_per_owner(site, &items);
    if !load.is_empty() {
        let mut rows: Vec<(String, usize)> = load
            .iter()
            .take(OWNERS_SHOWN)
            .map(|&(p, n)| {
                (
                    p.map(|p| site.people[p].name.clone())
                        .unwrap_or_else(|| "Unassigned".into()),
                    n,
                )
            })
            .collect();
        let rest: usize = load.iter().skip(OWNERS_SHOWN).map(|t| t.1).sum();
        if load.len() > OWNERS_SHOWN {
            rows.push((format!("{} others", load.len() - OWNERS_SHOWN), rest));
        }
        let labels: Vec<String> = rows
            .iter()
            .enumerate()
            .map(|(k, r)| {
                if k >= OWNERS_SHOWN {
                    "others".to_string()
                } else {
                    initials(&r.0)
                }
            })
            .collect();
        let values: Vec<usize> = rows.iter().map(|r| r.1).collect();
        let title = format!("Open action items of {} per owner", group.name);
        let svg = charts::bars(&title, "owner", &labels, &values);
        list.extend(Chart::new(
            "chart-load_",
            title,
            ["Owner", "Open items"],
            rows,
            svg,
        ));
    }
    ctx.insert("health", &figures(&h));
    ctx.insert("charts", &list);
}

/// A short label for a bar: a name's initials (the table beside the chart
/// gives the names), so that ten bars fit at phone width.
fn initials(name: &str) -> String {
    if name.chars().count() <= 4 {
        return name.to_string();
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 {
        return name.chars().take(3).chain(['…']).collect();
    }
    words
        .iter()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .take(3)
        .collect()
}

/// The person page's `health`: figures of the items they own, and the
/// age chart of the open ones.
pub(crate) fn add_person(c: &Common, p: PersonId, ctx: &mut Context) {
    let site = c.site;
    let owned = &c.ix.owned[p];
    let h = health::health(site, owned);
    let charts: Vec<Chart> = age_chart("chart-age_", &site.people[p].name, &h)
        .into_iter()
        .collect();
    ctx.insert("health", &(!owned.is_empty()).then(|| figures(&h)));
    ctx.insert("charts", &charts);
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn bar_labels_stay_short() {
        assert_eq!(initials("Ann"), "Ann");
        assert_eq!(initials("Randall T. Vasquez"), "RTV");
        assert_eq!(initials("Unassigned"), "Una…");
        assert_eq!(initials("Ana María de la Cruz"), "AMD");
    }
}
