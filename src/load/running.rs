//! Running notes: a document holding many meetings, each under a heading that
//! is its date (markdown, HTML or bold-only lines), split into one meeting per
//! section. Pure; used by the site loader (one meeting per section in `build`,
//! `check` and `serve`) and by `quorum import` (one note file per meeting).

use crate::load::body::{read_body, section_of, BodyContext, Section};
use crate::load::dates::{parse_loose_date, year_from_path};
use crate::model::PersonRef;
use chrono::{Datelike, NaiveDate};

/// A heading of the document.
#[derive(Debug, Clone, PartialEq)]
struct Heading {
    /// 0-based line index.
    line: usize,
    /// 1-6, or 7 for a line that is only bold text.
    level: u8,
    text: String,
}

/// One meeting found in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    /// Its date.
    pub date: NaiveDate,
    /// The heading as written.
    pub heading: String,
    /// 1-based line of the heading.
    pub line: usize,
    /// 0-based line where the meeting's section ends (exclusive).
    pub end: usize,
    /// The heading says the meeting was cancelled.
    pub cancelled: bool,
    /// People from its attendee section (moved to the front matter).
    pub attendees: Vec<PersonRef>,
    /// The rest of its text, attendee, template and empty sections removed.
    pub body: String,
    /// How the date was read, when it needed a guess (a typo in the heading).
    pub guess: Option<String>,
}

/// What a document splits into.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Split {
    /// The meetings, in document order.
    pub meetings: Vec<Meeting>,
    /// Parts not placed in any meeting: (first line, last line, why), 1-based.
    pub unplaced: Vec<(usize, usize, String)>,
}

fn heading_of(line: &str) -> Option<(u8, String)> {
    let t = line.trim();
    if t.starts_with('#') {
        let level = t.chars().take_while(|c| *c == '#').count();
        let rest = t.get(level..)?;
        if level > 6 || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            return None;
        }
        let text = rest.trim().trim_end_matches('#').trim();
        return Some((level as u8, crate::load::body::plain_text(text)));
    }
    let lower = t.to_ascii_lowercase();
    for n in 1..=6u8 {
        let open = format!("<h{n}");
        let close = format!("</h{n}>");
        if lower.starts_with(&open)
            && lower
                .as_bytes()
                .get(open.len())
                .is_some_and(|b| *b == b'>' || b.is_ascii_whitespace())
            && lower.ends_with(&close)
        {
            let gt = t.find('>')?;
            let inner = t.get(gt + 1..t.len() - close.len())?;
            // `<h3><TEMPLATE></h3>`: a tag-like word is the heading's text.
            let text = match inner.trim() {
                s if s.starts_with('<') && s.ends_with('>') && !s.contains(' ') => {
                    s.trim_matches(['<', '>']).to_string()
                }
                s => crate::load::body::plain_text(&crate::load::body::strip_html(s)),
            };
            return Some((n, text));
        }
    }
    // A line that is only bold text.
    let inner = t.strip_prefix("**")?.strip_suffix("**")?;
    (!inner.is_empty() && !inner.contains("**") && inner.chars().count() <= 60)
        .then(|| (7, inner.trim().to_string()))
}

fn says_cancelled(s: &str) -> bool {
    let l = s.to_lowercase();
    l.contains("cancelled")
        || l.contains("canceled")
        || l.contains("no meeting")
        || l.contains("no call")
}

fn is_template(s: &str) -> bool {
    s.split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("template"))
}

/// A date heading: short, and a date (or a typo'd `YYYMMDD`) among its first words.
fn heading_date(text: &str, year: Option<i32>) -> Option<(NaiveDate, Option<String>)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    // `Next meeting: 2023-09-08` announces a meeting; it is not one.
    if words.iter().any(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_ascii_lowercase();
        matches!(
            w.as_str(),
            "next" | "upcoming" | "future" | "previous" | "last"
        )
    }) {
        return None;
    }
    let head = words.iter().take(5).copied().collect::<Vec<_>>().join(" ");
    if let Some(d) = parse_loose_date(&head, year) {
        return Some((d, None));
    }
    // `2020502`: a compact date with one digit missing; only in the year the
    // file or the document names, so the guess is unique or refused.
    let y = year?;
    let token = words
        .iter()
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_digit()))
        .find(|w| w.len() == 7 && w.chars().all(|c| c.is_ascii_digit()))?;
    let mut found: Vec<NaiveDate> = Vec::new();
    for at in 0..=7 {
        for digit in '0'..='9' {
            let mut s = token.to_string();
            s.insert(at, digit);
            let parsed = (|| {
                let yy: i32 = s.get(..4)?.parse().ok()?;
                let mm: u32 = s.get(4..6)?.parse().ok()?;
                let dd: u32 = s.get(6..)?.parse().ok()?;
                NaiveDate::from_ymd_opt(yy, mm, dd)
            })();
            if let Some(d) = parsed.filter(|d| d.year() == y) {
                if !found.contains(&d) {
                    found.push(d);
                }
            }
        }
    }
    match found.as_slice() {
        [d] => Some((
            *d,
            Some(format!(
                "`{token}` is not a date; read as {d} (one digit missing, in {y}, the year of the file)"
            )),
        )),
        _ => None,
    }
}

/// Whether a section's own text holds nothing (blank lines, empty bullets).
fn is_empty_text(lines: &[&str]) -> bool {
    lines.iter().all(|l| {
        let t = crate::load::body::strip_html(l);
        !t.chars().any(char::is_alphanumeric)
    })
}

/// An attendee section with no names: a table's header cells and a remark in parentheses.
fn is_blank_sheet(lines: &[&str]) -> bool {
    let text = crate::load::body::strip_html(&lines.join(" "));
    let mut words = 0;
    let mut depth = 0i32;
    for w in text.split_whitespace() {
        depth += w.matches('(').count() as i32;
        if depth <= 0 && w.chars().any(char::is_alphanumeric) {
            words += 1;
        }
        depth -= w.matches(')').count() as i32;
    }
    words <= 6
}

/// Splits `text` (the document at `path`) into meetings.
pub fn split_document(text: &str, path: &str) -> Split {
    let lines: Vec<&str> = text.lines().collect();
    let mut headings = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(if t.starts_with("```") { "```" } else { "~~~" });
            continue;
        }
        if let Some((level, text)) = heading_of(l) {
            headings.push(Heading {
                line: i,
                level,
                text,
            });
        }
    }
    // The year of dates without one: the file name or folder, else the first heading naming one.
    let year = year_from_path(path).or_else(|| {
        headings.iter().find_map(|h| {
            h.text
                .split(|c: char| !c.is_ascii_digit())
                .find(|w| w.len() == 4)
                .and_then(|w| w.parse().ok())
                .filter(|y| (1970..=2199).contains(y))
        })
    });
    let dated: Vec<(usize, NaiveDate, Option<String>)> = headings
        .iter()
        .enumerate()
        .filter_map(|(i, h)| heading_date(&h.text, year).map(|(d, g)| (i, d, g)))
        .collect();
    // Meetings are the date headings at the level most of them share.
    let mut counts = [0usize; 8];
    for (i, _, _) in &dated {
        counts[headings[*i].level as usize] += 1;
    }
    let Some(level) = (1..8u8).max_by_key(|l| (counts[*l as usize], std::cmp::Reverse(*l))) else {
        return Split::default();
    };
    if counts[level as usize] == 0 {
        return Split {
            meetings: Vec::new(),
            unplaced: (!lines.is_empty())
                .then(|| (1, lines.len(), "no dated heading".to_string()))
                .into_iter()
                .collect(),
        };
    }
    let starts: Vec<(usize, NaiveDate, Option<String>)> = dated
        .into_iter()
        .filter(|(i, _, _)| headings[*i].level == level)
        .collect();
    let mut out = Split::default();
    let first_line = headings[starts[0].0].line;
    if lines.get(..first_line).is_some_and(|l| !is_empty_text(l)) {
        out.unplaced
            .push((1, first_line, "before the first dated heading".to_string()));
    }
    for (k, (hi, date, guess)) in starts.iter().enumerate() {
        let h = &headings[*hi];
        // The meeting ends at the next meeting, a higher heading, or a template heading.
        let end_heading = headings
            .iter()
            .skip(hi + 1)
            .find(|x| {
                x.level < level
                    || (x.level <= level && is_template(&x.text))
                    || starts
                        .get(k + 1)
                        .is_some_and(|(n, _, _)| headings[*n].line == x.line)
            })
            .cloned();
        let end = end_heading.as_ref().map_or(lines.len(), |x| x.line);
        let meeting = cut_meeting(&lines, &headings, h, end, *date, guess.clone(), path, year);
        out.meetings.push(meeting);
        if let Some(x) = end_heading {
            if x.level <= level && is_template(&x.text) {
                let stop = starts
                    .iter()
                    .map(|(n, _, _)| headings[*n].line)
                    .find(|l| *l > x.line)
                    .or_else(|| {
                        headings
                            .iter()
                            .find(|y| y.line > x.line && y.level < level)
                            .map(|y| y.line)
                    })
                    .unwrap_or(lines.len());
                out.unplaced.push((
                    x.line + 1,
                    stop,
                    format!("template section `{}` left out", x.text),
                ));
            } else if x.level < level
                && starts.get(k + 1).is_none()
                && lines.get(x.line..).is_some_and(|l| !is_empty_text(l))
            {
                out.unplaced.push((
                    x.line + 1,
                    lines.len(),
                    format!("after the last meeting, under `{}`", x.text),
                ));
            }
        }
    }
    out
}

/// The meetings of a running-notes body: the sections [`split_document`]
/// finds, when there are at least two of them; else none (the file is one
/// meeting, read as usual).
pub(crate) fn sections(body: &str, path: &str) -> Vec<Meeting> {
    // A file named for one day is that day's meeting.
    if crate::load::dates::date_from_file_name(path).is_some() {
        return Vec::new();
    }
    // Cheap refusal: fewer than two headings cannot make two meetings.
    let heads = body
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with('#') || t.starts_with("<h") || t.starts_with("<H") || t.starts_with("**")
        })
        .take(2)
        .count();
    if heads < 2 {
        return Vec::new();
    }
    let split = split_document(body, path);
    if split.meetings.len() < 2 {
        return Vec::new();
    }
    split.meetings
}

/// The text of lines `from..to` (0-based, `to` exclusive) of `text`, as written.
pub(crate) fn lines_text(text: &str, from: usize, to: usize) -> String {
    let mut out = String::new();
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i >= to {
            break;
        }
        if i >= from {
            out.push_str(l);
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn cut_meeting(
    lines: &[&str],
    headings: &[Heading],
    h: &Heading,
    end: usize,
    date: NaiveDate,
    guess: Option<String>,
    path: &str,
    year: Option<i32>,
) -> Meeting {
    let inner: Vec<&Heading> = headings
        .iter()
        .filter(|x| x.line > h.line && x.line < end)
        .collect();
    let mut keep = vec![true; end];
    let no = |_: &str| false;
    let ctx = BodyContext {
        path,
        is_person: &no,
        year_hint: year,
    };
    let whole = lines.get(h.line + 1..end).unwrap_or(&[]).join("\n");
    let attendees = read_body(&whole, 1, &ctx).0.attendees;
    for (j, s) in inner.iter().enumerate() {
        // A section runs to the next heading of the same or a higher level.
        let own_end = inner.get(j + 1).map_or(end, |n| n.line);
        let sec_end = inner
            .iter()
            .skip(j + 1)
            .find(|n| n.level <= s.level || n.level == 7)
            .map_or(end, |n| n.line);
        let own = lines.get(s.line + 1..own_end).unwrap_or(&[]);
        let is_attendees = section_of(&s.text) == Some(Section::Attendees);
        if is_attendees {
            let chunk = lines.get(s.line..sec_end).unwrap_or(&[]).join("\n");
            let found = read_body(&chunk, 1, &ctx).0.attendees;
            // Moved to the front matter, or a blank sign-in sheet: left out.
            if found.is_empty() && !is_blank_sheet(own) {
                continue;
            }
            for k in keep.iter_mut().take(sec_end).skip(s.line) {
                *k = false;
            }
            continue;
        }
        let has_children = own_end < sec_end;
        if !has_children && is_empty_text(own) {
            for k in keep.iter_mut().take(own_end).skip(s.line) {
                *k = false;
            }
        }
    }
    let mut body: Vec<&str> = Vec::new();
    for (k, l) in lines.iter().enumerate().take(end).skip(h.line + 1) {
        let t = l.trim();
        let empty_bullet = matches!(t, "*" | "-" | "+" | "* \\" | "- \\");
        if keep[k] && !empty_bullet {
            body.push(l);
        }
    }
    // Collapse runs of blank lines.
    let mut text = String::new();
    let mut blank = true;
    for l in body {
        if l.trim().is_empty() {
            if !blank {
                text.push('\n');
            }
            blank = true;
        } else {
            text.push_str(l.trim_end());
            text.push('\n');
            blank = false;
        }
    }
    Meeting {
        date,
        heading: h.text.clone(),
        line: h.line + 1,
        end,
        cancelled: says_cancelled(&h.text),
        attendees,
        body: text.trim_end().to_string(),
        guess,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_headings() {
        assert_eq!(
            heading_date("20230404", None).map(|x| x.0),
            NaiveDate::from_ymd_opt(2023, 4, 4)
        );
        assert_eq!(
            heading_date("June 7", Some(2021)).map(|x| x.0),
            NaiveDate::from_ymd_opt(2021, 6, 7)
        );
        let (d, why) = heading_date("2020502 - CALL CANCELED", Some(2023)).unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2023, 5, 2).unwrap());
        assert!(why.unwrap().contains("2020502"));
        assert_eq!(heading_date("Attendees", Some(2023)), None);
        assert_eq!(heading_date("2020502", None), None);
    }

    #[test]
    fn html_and_markdown_headings() {
        assert_eq!(
            heading_of("<h3>20230404</h3>"),
            Some((3, "20230404".into()))
        );
        assert_eq!(
            heading_of("<h3><TEMPLATE></h3>"),
            Some((3, "TEMPLATE".into()))
        );
        assert_eq!(heading_of("## 2024-08-07"), Some((2, "2024-08-07".into())));
        assert_eq!(heading_of("#hashtag"), None);
    }
}
