//! The Atom feed of one person's action items: each opening and update of
//! an item they own now, newest first. Written by hand, like the meeting
//! feeds; deterministic (dates come from the meetings).

use super::feed::{xml_escape, FEED_LEN};
use crate::model::{utc_start, ItemId, PersonId, Site, StepKind};

/// The feed of person `p`'s items `items`; `base_url` ends with `/`.
pub(crate) fn person_feed(
    site: &Site,
    site_title: &str,
    base_url: &str,
    p: PersonId,
    items: &[ItemId],
) -> Vec<u8> {
    let person = &site.people[p];
    // (item, step index), newest meeting first.
    let mut steps: Vec<(ItemId, usize)> = items
        .iter()
        .flat_map(|&i| {
            site.items[i]
                .history
                .iter()
                .enumerate()
                .filter(|(_, s)| s.kind != StepKind::Mentioned)
                .map(move |(k, _)| (i, k))
        })
        .collect();
    let when = |&(i, k): &(ItemId, usize)| {
        let m = &site.meetings[site.items[i].history[k].meeting];
        (m.date, m.time, m.path.clone())
    };
    steps.sort_by(|a, b| {
        when(b)
            .cmp(&when(a))
            .then_with(|| site.items[a.0].id.cmp(&site.items[b.0].id))
            .then(b.1.cmp(&a.1))
    });
    steps.truncate(FEED_LEN);
    let stamp = |&(i, k): &(ItemId, usize)| {
        let m = &site.meetings[site.items[i].history[k].meeting];
        utc_start(m)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_else(|| format!("{}T00:00:00Z", m.date))
    };
    let page = format!("{base_url}{}", person.url);
    let title = format!("{site_title}: action items of {}", person.name);
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(&title)));
    out.push_str(&format!("  <id>{}feed.xml</id>\n", xml_escape(&page)));
    out.push_str(&format!("  <link href=\"{}\"/>\n", xml_escape(&page)));
    out.push_str(&format!(
        "  <link rel=\"self\" href=\"{}feed.xml\"/>\n",
        xml_escape(&page)
    ));
    let updated = steps
        .first()
        .map(stamp)
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    out.push_str(&format!("  <updated>{updated}</updated>\n"));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(&person.name)
    ));
    out.push_str("  <generator>quorum</generator>\n");
    for s in &steps {
        entry(site, base_url, *s, &stamp(s), &mut out);
    }
    out.push_str("</feed>\n");
    out.into_bytes()
}

fn entry(site: &Site, base_url: &str, (i, k): (ItemId, usize), stamp: &str, out: &mut String) {
    let item = &site.items[i];
    let step = &item.history[k];
    let m = &site.meetings[step.meeting];
    let url = format!("{base_url}{}", item.url);
    let what = if step.kind == StepKind::Opened {
        "opened".to_string()
    } else {
        step.status.as_str().to_string()
    };
    let mut summary = format!("{} {}: {what}", site.groups[m.group].name, m.date);
    if let Some(d) = step.due {
        summary.push_str(&format!("; due {d}"));
    }
    if let Some(n) = &step.note {
        summary.push_str(&format!("; {n}"));
    }
    out.push_str("  <entry>\n");
    out.push_str(&format!(
        "    <title>{}: {} ({what})</title>\n",
        xml_escape(&item.id),
        xml_escape(&item.task)
    ));
    out.push_str(&format!(
        "    <id>{}#step-{}</id>\n",
        xml_escape(&url),
        k + 1
    ));
    out.push_str(&format!("    <link href=\"{}\"/>\n", xml_escape(&url)));
    out.push_str(&format!("    <updated>{stamp}</updated>\n"));
    out.push_str(&format!(
        "    <summary>{}</summary>\n",
        xml_escape(&summary)
    ));
    out.push_str("  </entry>\n");
}
