//! The Atom feeds of meetings (the site's and each group's), written by hand.
//! Deterministic: the feed's `updated` is the latest meeting's date.

use crate::model::utc_start;
use crate::model::{MeetingId, MeetingStatus, Site};

/// How many meetings a feed lists, newest first.
pub(crate) const FEED_LEN: usize = 50;

/// Escapes text for XML, dropping characters XML cannot hold.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The Atom feed of `meetings` (planned ones left out), newest first.
/// `base_url` ends with `/`; `path` is the page the feed belongs to
/// (`""` for the site, `groups/<key>/` for a group).
pub(crate) fn atom(
    site: &Site,
    title: &str,
    base_url: &str,
    path: &str,
    meetings: &[MeetingId],
) -> Vec<u8> {
    let mut list: Vec<MeetingId> = meetings
        .iter()
        .copied()
        .filter(|&m| site.meetings[m].status != MeetingStatus::Planned)
        .collect();
    list.sort_by(|&a, &b| {
        let (a, b) = (&site.meetings[a], &site.meetings[b]);
        (b.date, b.time, &b.path).cmp(&(a.date, a.time, &a.path))
    });
    list.truncate(FEED_LEN);
    let stamp = |m: MeetingId| {
        let m = &site.meetings[m];
        utc_start(m)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_else(|| format!("{}T00:00:00Z", m.date))
    };
    let updated = list
        .first()
        .map(|&m| stamp(m))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let page = format!("{base_url}{path}");
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(title)));
    out.push_str(&format!("  <id>{}</id>\n", xml_escape(&page)));
    out.push_str(&format!("  <link href=\"{}\"/>\n", xml_escape(&page)));
    out.push_str(&format!(
        "  <link rel=\"self\" href=\"{}feed.xml\"/>\n",
        xml_escape(&page)
    ));
    out.push_str(&format!("  <updated>{updated}</updated>\n"));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(title)
    ));
    out.push_str("  <generator>quorum</generator>\n");
    for &id in &list {
        let m = &site.meetings[id];
        let url = format!("{base_url}{}", m.url);
        let group = &site.groups[m.group].name;
        let mut summary = format!("{group}, {}", m.date);
        if m.status == MeetingStatus::Cancelled {
            summary.push_str(" (cancelled)");
        } else {
            summary.push_str(&format!(
                ": {} attending, {} outcomes, {} new action items, {} updated",
                m.attendees.len(),
                m.outcomes.len(),
                m.opened.len(),
                m.updated.len()
            ));
        }
        let mut content = String::new();
        if !m.outcomes.is_empty() {
            content.push_str("<ul>");
            for o in &m.outcomes {
                content.push_str(&format!("<li>{}</li>", super::theme::escape_html(&o.text)));
            }
            content.push_str("</ul>");
        }
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml_escape(&m.title)));
        out.push_str(&format!("    <link href=\"{}\"/>\n", xml_escape(&url)));
        out.push_str(&format!("    <id>{}</id>\n", xml_escape(&url)));
        out.push_str(&format!("    <updated>{}</updated>\n", stamp(id)));
        out.push_str(&format!(
            "    <summary>{}</summary>\n",
            xml_escape(&summary)
        ));
        if !content.is_empty() {
            out.push_str(&format!(
                "    <content type=\"html\">{}</content>\n",
                xml_escape(&content)
            ));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    crate::text::replace_control(out).into_bytes()
}
