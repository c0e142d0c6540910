//! `actions/items.json`: the small index the actions page loads when a
//! reader filters (by owner, group, status or due date) across every item,
//! not only the page shown. One array per item, in the order the pages list
//! them; people and groups by number into their own lists.

use super::view::Index;
use crate::model::{ItemId, Site};
use serde_json::{json, Value};

/// The index's bytes (see the module docs; the format is in docs/format-choices.md).
pub(crate) fn items_json(site: &Site, ix: &Index, order: &[ItemId]) -> Vec<u8> {
    let people: Vec<Value> = site.people.iter().map(|p| json!([p.name, p.url])).collect();
    let groups: Vec<Value> = ix.groups.iter().map(|g| json!([g.name, g.url])).collect();
    let items: Vec<Value> = order
        .iter()
        .map(|&i| {
            let (item, row) = (&site.items[i], &ix.items[i]);
            json!([
                row.id,
                row.url,
                row.task,
                row.status,
                item.owners.iter().map(|p| p.index()).collect::<Vec<_>>(),
                row.group_owner,
                item.group.index(),
                row.due,
                row.closed,
                row.overdue_days,
                u8::from(row.stale),
                row.carried,
            ])
        })
        .collect();
    let doc = json!({
        "v": 1,
        "today": site.today.to_string(),
        "people": people,
        "groups": groups,
        "items": items,
    });
    let mut bytes = doc.to_string().into_bytes();
    bytes.push(b'\n');
    bytes
}
