//! iCalendar files (RFC 5545) written by hand: meetings with their duration,
//! and due dates of open action items as all-day events. Lines end in CRLF and
//! are folded at 75 octets; text is escaped; UID and DTSTAMP come from the data,
//! so the same input gives the same bytes.

use crate::model::{utc_start, ItemId, Meeting, MeetingId, MeetingStatus, Site};
use chrono::{Datelike, Duration, NaiveDate};

/// Whether a calendar can write `d` (years 1 to 9999).
pub(crate) fn writable(d: NaiveDate) -> bool {
    (1..=9999).contains(&d.year())
}

/// An all-day event on `d`: its end the next day, or a one-day DURATION
/// when the next day is past 9999-12-31 (RFC 5545 dates have four digits).
fn all_day(out: &mut String, d: NaiveDate) {
    push_line(out, &format!("DTSTART;VALUE=DATE:{}", date_value(d)));
    match d.succ_opt().filter(|n| writable(*n)) {
        Some(next) => push_line(out, &format!("DTEND;VALUE=DATE:{}", date_value(next))),
        None => push_line(out, "DURATION:P1D"),
    }
}

/// A meeting's start and end: timed when it has a time, else all day.
fn meeting_times(out: &mut String, m: &Meeting) {
    let minutes = i64::from(m.duration.max(1));
    match utc_start(m).filter(|s| writable(s.date_naive())) {
        Some(start) => {
            push_line(out, &format!("DTSTART:{}", start.format("%Y%m%dT%H%M%SZ")));
            let end = start + Duration::minutes(minutes);
            if writable(end.date_naive()) {
                push_line(out, &format!("DTEND:{}", end.format("%Y%m%dT%H%M%SZ")));
            } else {
                push_line(out, &format!("DURATION:PT{minutes}M"));
            }
        }
        None => all_day(out, m.date),
    }
}

/// Escapes a TEXT value.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (never inside a character), ending CRLF.
pub(crate) fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn host(base_url: &str) -> &str {
    let rest = base_url
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(base_url);
    rest.split('/').next().unwrap_or(rest)
}

fn date_value(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// A calendar of `meetings` and of the due dates of `items`.
/// `base_url` ends with `/`.
pub(crate) fn calendar(
    site: &Site,
    title: &str,
    base_url: &str,
    meetings: &[MeetingId],
    items: &[ItemId],
) -> Vec<u8> {
    let host = host(base_url);
    let mut out = String::new();
    let line = |out: &mut String, l: String| push_line(out, &l);
    line(&mut out, "BEGIN:VCALENDAR".into());
    line(&mut out, "VERSION:2.0".into());
    line(&mut out, "PRODID:-//quorum//quorum//EN".into());
    line(&mut out, "CALSCALE:GREGORIAN".into());
    line(&mut out, "METHOD:PUBLISH".into());
    line(&mut out, format!("X-WR-CALNAME:{}", escape_text(title)));
    for &id in meetings {
        let m = &site.meetings[id];
        line(&mut out, "BEGIN:VEVENT".into());
        line(
            &mut out,
            format!(
                "UID:meeting-{}@{host}",
                m.url.trim_end_matches('/').replace('/', "-")
            ),
        );
        line(&mut out, format!("DTSTAMP:{}T000000Z", date_value(m.date)));
        meeting_times(&mut out, m);
        line(&mut out, format!("SUMMARY:{}", escape_text(&m.title)));
        if let Some(loc) = &m.location {
            let shown = match super::markdown::text_link(loc) {
                Some((text, url)) if text != url => format!("{text} ({url})"),
                Some((_, url)) => url,
                None => loc.clone(),
            };
            line(&mut out, format!("LOCATION:{}", escape_text(&shown)));
        }
        line(&mut out, format!("URL:{base_url}{}", m.url));
        line(
            &mut out,
            format!(
                "STATUS:{}",
                match m.status {
                    MeetingStatus::Held => "CONFIRMED",
                    MeetingStatus::Cancelled => "CANCELLED",
                    MeetingStatus::Planned => "TENTATIVE",
                }
            ),
        );
        line(&mut out, "END:VEVENT".into());
    }
    for &id in items {
        let item = &site.items[id];
        let Some(due) = item.due.filter(|d| writable(*d)) else {
            continue;
        };
        let opened = site.meetings[item.opened_in].date;
        let owners: Vec<&str> = item
            .owners
            .iter()
            .map(|&p| site.people[p].name.as_str())
            .collect();
        line(&mut out, "BEGIN:VEVENT".into());
        line(&mut out, format!("UID:item-{}@{host}", item.id));
        line(&mut out, format!("DTSTAMP:{}T000000Z", date_value(opened)));
        all_day(&mut out, due);
        line(
            &mut out,
            format!(
                "SUMMARY:{}",
                escape_text(&format!("Due: {} ({})", item.task, owners.join(", ")))
            ),
        );
        line(
            &mut out,
            format!(
                "DESCRIPTION:{}",
                escape_text(&format!(
                    "Action item {} of {}, {}",
                    item.id,
                    site.groups[item.group].name,
                    item.status.as_str()
                ))
            ),
        );
        line(&mut out, format!("URL:{base_url}{}", item.url));
        line(&mut out, "TRANSP:TRANSPARENT".into());
        line(&mut out, "END:VEVENT".into());
    }
    line(&mut out, "END:VCALENDAR".into());
    crate::text::replace_control(out).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_escaping() {
        let mut out = String::new();
        push_line(
            &mut out,
            &format!("SUMMARY:{}", escape_text(&"é, x; y\\z\n".repeat(10))),
        );
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l:?}");
        }
        assert!(out.contains("\\,"));
        assert!(out.contains("\\;"));
        assert!(out.contains("\\n"));
        assert!(out.ends_with("\r\n"));
        assert!(!out.replace("\r\n", "").contains('\n'));
    }
}
