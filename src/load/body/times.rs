//! Times and zones as notes write them: `6:30pm`, `17:00`, `9am`, `10.30AM`,
//! `6:00a`, ranges (`4pm-5pm UTC`, `9:00-10:00am PT`, `10:30 AM – 12:00 PM PDT`)
//! and the zone after them (`UTC`, `PT`, `CEST`, `UTC+2`, `Europe/Berlin`).
//! Several zones side by side (`17:00 UTC / 10:00 PDT`): the first is the
//! meeting's; the others are checked against it.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::Span;
use chrono::{NaiveDate, NaiveTime, TimeZone, Timelike};

/// A time line naming several zones side by side (`6:30pm UTC / 1:30pm ET`):
/// the first time and zone are the meeting's, the others are checked against
/// them once the meeting's date is known (PT and ET depend on it).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ZoneCheck {
    /// Where the line is.
    pub span: Span,
    /// The first time and its zone (the one used).
    pub time: NaiveTime,
    pub zone: String,
    /// Every further `time zone` pair on the line.
    pub others: Vec<(NaiveTime, String)>,
}

/// The check of line `s`, whose first time `t` was read, when it names
/// other zones after the first.
pub(crate) fn zone_check(s: &str, t: &TimeSpec, span: Span) -> Option<ZoneCheck> {
    let zone = t.zone.clone()?;
    let others = other_zones(s, t.end);
    (!others.is_empty()).then_some(ZoneCheck {
        span,
        time: t.time,
        zone,
        others,
    })
}

/// A `time-mismatch` warning at the line for each other zone of `check`
/// that does not name the same instant on `date` as the first.
pub(crate) fn zone_mismatches(check: &ZoneCheck, date: NaiveDate, path: &str) -> Vec<Diagnostic> {
    let z = &check.zone;
    let Some(want) = utc_minutes(date, check.time, z) else {
        return Vec::new();
    };
    let at = check.time.format("%H:%M");
    check
        .others
        .iter()
        .filter(|(tm, oz)| utc_minutes(date, *tm, oz).is_some_and(|got| got != want))
        .map(|(tm, oz)| {
            Diagnostic::warning(
                Code::TimeMismatch,
                path,
                check.span.line,
                check.span.col,
                format!(
                    "{at} {z} and {} {oz} are not the same time on {date}; {at} {z} is used",
                    tm.format("%H:%M"),
                ),
            )
            .with_help("correct whichever is wrong")
        })
        .collect()
}

/// A start time, the zone written after it, and the length a range gives.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimeSpec {
    pub time: NaiveTime,
    pub zone: Option<String>,
    /// Minutes from the start to the end of a range.
    pub duration: Option<u32>,
    /// Byte offset just past what was read (the range and its zone).
    pub end: usize,
}

/// One clock time at byte `i` of `s`: (hour, minute, am/pm when written, end offset).
fn clock_at(s: &str, i: usize) -> Option<(u32, u32, Option<bool>, bool, usize)> {
    let b = s.as_bytes();
    if !b.get(i)?.is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
        return None;
    }
    let mut j = i;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    if j - i > 2 {
        return None;
    }
    let h: u32 = s.get(i..j)?.parse().ok()?;
    let mut m = 0;
    let mut sep = None;
    if matches!(b.get(j), Some(b':' | b'.'))
        && b.get(j + 1).is_some_and(u8::is_ascii_digit)
        && b.get(j + 2).is_some_and(u8::is_ascii_digit)
        && !b.get(j + 3).is_some_and(u8::is_ascii_digit)
    {
        sep = b.get(j).copied();
        m = s.get(j + 1..j + 3)?.parse().ok()?;
        j += 3;
    }
    // am/pm, `a.m.`, and `6:00a` / `6:00p` after a colon form.
    let rest = s.get(j..)?;
    let lead = rest.len() - rest.trim_start().len();
    let rt = rest.trim_start().to_ascii_lowercase();
    let word_end = |n: usize| {
        !rt.get(n..)
            .and_then(|r| r.chars().next())
            .is_some_and(char::is_alphanumeric)
    };
    let mut ampm = None;
    for (p, pm) in [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)] {
        if rt.starts_with(p) && word_end(p.len()) {
            ampm = Some((pm, p.len()));
            break;
        }
    }
    if ampm.is_none() && sep == Some(b':') && lead == 0 {
        for (p, pm) in [("a", false), ("p", true)] {
            if rt.starts_with(p) && word_end(1) {
                ampm = Some((pm, 1));
            }
        }
    }
    if sep.is_none() && ampm.is_none() {
        return None;
    }
    if sep == Some(b'.') && ampm.is_none() {
        return None;
    }
    if h > 23 || m > 59 {
        return None;
    }
    let end = j + ampm.map_or(0, |(_, n)| lead + n);
    Some((h, m, ampm.map(|(pm, _)| pm), sep.is_some(), end))
}

fn to_24(h: u32, pm: Option<bool>) -> Option<u32> {
    match pm {
        None => Some(h),
        // `17:00pm`: a 24-hour time with a stray suffix.
        Some(_) if h > 12 => Some(h),
        Some(_) if h == 0 => None,
        Some(true) => Some(if h == 12 { 12 } else { h + 12 }),
        Some(false) => Some(if h == 12 { 0 } else { h }),
    }
}

/// The end of a range after a start time: `-5pm`, `– 12:00 PM`, `to 10:00`.
fn range_end(s: &str, from: usize) -> Option<(u32, u32, Option<bool>, usize)> {
    let rest = s.get(from..)?;
    let t = rest.trim_start();
    let mut k = from + rest.len() - t.len();
    let dash = ["-", "–", "—", "to ", "until "]
        .iter()
        .find(|d| t.to_ascii_lowercase().starts_with(*d))?;
    k += dash.len();
    let after = s.get(k..)?;
    k += after.len() - after.trim_start().len();
    let (h, m, pm, _, end) = clock_at(s, k).or_else(|| {
        // `9-10am`: a bare hour ends a range only with am/pm.
        let b = s.as_bytes();
        let mut j = k;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        (j > k && j - k <= 2).then_some(())?;
        clock_at(&format!("{}:00{}", &s[k..j], &s[j..]), 0).map(|(h, m, pm, c, e)| {
            let end = k + e - 3;
            (h, m, pm, c, end)
        })
    })?;
    Some((h, m, pm, end))
}

/// The first time in `s`, its range end and the zone after it.
pub(crate) fn time_spec(s: &str) -> Option<TimeSpec> {
    let mut i = 0;
    while i < s.len() {
        if !s.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let Some((h, m, pm, _, end)) = clock_at(s, i) else {
            i += 1;
            continue;
        };
        let (mut start_pm, mut stop) = (pm, end);
        let mut duration = None;
        if let Some((eh, em, epm, eend)) = range_end(s, end) {
            if start_pm.is_none() && epm.is_some() && h <= 12 {
                // `9:00-10:00am`: the suffix of the end is the start's too,
                // unless that puts the start after the end (`11-1pm`).
                let flip = epm.map(|p| !p);
                let same = to_24(h, epm).unwrap_or(h);
                let end24 = to_24(eh, epm).unwrap_or(eh);
                start_pm = if same <= end24 { epm } else { flip };
            }
            if let (Some(sh), Some(e24)) = (to_24(h, start_pm), to_24(eh, epm.or(start_pm))) {
                let a = sh * 60 + m;
                let b = e24 * 60 + em;
                let d = if b > a { b - a } else { b + 1440 - a };
                if d > 0 && d <= 12 * 60 {
                    duration = Some(d);
                }
            }
            stop = eend;
        }
        let Some(hour) = to_24(h, start_pm) else {
            i = end;
            continue;
        };
        let time = NaiveTime::from_hms_opt(hour, m, 0)?;
        let (zone, zend) = zone_after(s, stop);
        return Some(TimeSpec {
            time,
            zone,
            duration,
            end: zend.unwrap_or(stop),
        });
    }
    None
}

/// The zone written right after byte `from` (within two words), and where it ends.
fn zone_after(s: &str, from: usize) -> (Option<String>, Option<usize>) {
    let rest = s.get(from..).unwrap_or("");
    let mut off = from;
    for (n, w) in rest
        .split_inclusive(|c: char| c.is_whitespace())
        .enumerate()
    {
        let at = off;
        off += w.len();
        let word = w.trim();
        if word.is_empty() {
            continue;
        }
        if n > 2 {
            break;
        }
        if let Some(z) = zone_of(word) {
            return (Some(z), Some(at + w.trim_end().len()));
        }
        // `PT/9:00a`, `UTC,`: the zone before a slash or a comma.
        let head = word.split(['/', ',', ';']).next().unwrap_or("");
        if head != word {
            if let Some(z) = zone_of(head) {
                return (Some(z), Some(at + head.len()));
            }
        }
        let lw = word.to_ascii_lowercase();
        if !matches!(lw.as_str(), "(" | "-" | "–" | "time" | "local") {
            break;
        }
    }
    (None, None)
}

/// A zone as notes write it: `UTC`, `UTC+2`, `+02:00`, `Europe/Berlin`, `PT`, `CET`.
pub(crate) fn zone_of(w: &str) -> Option<String> {
    let w = w.trim_matches(|c: char| matches!(c, ',' | ';' | ')' | '(' | '.' | '[' | ']' | '*'));
    if w.is_empty() {
        return None;
    }
    let up = w.to_ascii_uppercase();
    let abbr = match up.as_str() {
        "UTC" | "GMT" | "Z" => Some("UTC"),
        "PT" | "PST" | "PDT" | "PACIFIC" => Some("America/Los_Angeles"),
        "ET" | "EST" | "EDT" | "EASTERN" => Some("America/New_York"),
        "CT" | "CST" | "CDT" | "CENTRAL" => Some("America/Chicago"),
        "MT" | "MST" | "MDT" | "MOUNTAIN" => Some("America/Denver"),
        "CET" | "CEST" | "CE" => Some("Europe/Berlin"),
        "EET" | "EEST" => Some("Europe/Helsinki"),
        "BST" | "UK" => Some("Europe/London"),
        "IST" => Some("Asia/Kolkata"),
        "JST" => Some("Asia/Tokyo"),
        "KST" => Some("Asia/Seoul"),
        "SGT" => Some("Asia/Singapore"),
        "HKT" => Some("Asia/Hong_Kong"),
        "AEST" | "AEDT" => Some("Australia/Sydney"),
        _ => None,
    };
    if let Some(a) = abbr {
        return Some(a.to_string());
    }
    if crate::text::parse_offset(w).is_some() {
        return Some(w.to_string());
    }
    if w.contains('/') && w.parse::<chrono_tz::Tz>().is_ok() {
        return Some(w.to_string());
    }
    None
}

/// Minutes after midnight UTC of `time` in `zone` on `date`, when the zone is known.
pub(crate) fn utc_minutes(date: NaiveDate, time: NaiveTime, zone: &str) -> Option<i32> {
    let local = date.and_time(time);
    let utc = if let Some(off) = crate::text::parse_offset(zone) {
        local - chrono::Duration::minutes(i64::from(off))
    } else if zone == "UTC" {
        local
    } else {
        let tz: chrono_tz::Tz = zone.parse().ok()?;
        tz.from_local_datetime(&local).earliest()?.naive_utc()
    };
    Some((utc.hour() * 60 + utc.minute()) as i32)
}

/// Every further `time zone` pair written after the first in `s` (`/ 10:00 PDT`).
pub(crate) fn other_zones(s: &str, after: usize) -> Vec<(NaiveTime, String)> {
    let mut out = Vec::new();
    let mut at = after;
    while let Some(rest) = s.get(at..) {
        match time_spec(rest) {
            Some(t) => {
                if let Some(z) = t.zone {
                    out.push((t.time, z));
                }
                at += t.end.max(1);
            }
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Option<(String, Option<String>, Option<u32>)> {
        time_spec(s).map(|t| (t.time.format("%H:%M").to_string(), t.zone, t.duration))
    }

    #[test]
    fn times_ranges_and_zones() {
        let la = Some("America/Los_Angeles".to_string());
        let utc = Some("UTC".to_string());
        assert_eq!(
            t("10:30 AM – 12:00 PM PDT"),
            Some(("10:30".into(), la.clone(), Some(90)))
        );
        assert_eq!(
            t("4pm-5pm UTC (9am-10am PDT)"),
            Some(("16:00".into(), utc.clone(), Some(60)))
        );
        assert_eq!(
            t("Thursday, Mar 05, 2020 (9:00-10:00am PT)"),
            Some(("09:00".into(), la.clone(), Some(60)))
        );
        assert_eq!(
            t("6:00a PT/9:00a ET"),
            Some(("06:00".into(), la.clone(), None))
        );
        assert_eq!(
            t("November 15th, 2022 @ 17:00pm UTC / 11:00am ET"),
            Some(("17:00".into(), utc.clone(), None))
        );
        assert_eq!(
            t("4PM PT on the last Tuesday"),
            Some(("16:00".into(), la, None))
        );
        assert_eq!(
            t("11-1pm"),
            Some(("13:00".into(), None, None)),
            "a bare hour is no time"
        );
        assert_eq!(
            t("11:00-1pm CET"),
            Some(("11:00".into(), Some("Europe/Berlin".into()), Some(120)))
        );
        assert_eq!(
            t("at 17:00 Europe/Paris"),
            Some(("17:00".into(), Some("Europe/Paris".into()), None))
        );
        assert_eq!(t("version 1.20 is out"), None);
        assert_eq!(t("page 12 of 30"), None);
        assert_eq!(t("9.30am"), Some(("09:30".into(), None, None)));
    }

    #[test]
    fn zone_checks_warn_only_on_disagreement() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 28).unwrap();
        let span = Span::new(3, 1);
        let agree = "6:30pm UTC / 2:30pm ET";
        let c = zone_check(agree, &time_spec(agree).unwrap(), span).unwrap();
        assert!(zone_mismatches(&c, d, "g/a.md").is_empty());
        let disagree = "6:30pm UTC / 1:30pm ET";
        let c = zone_check(disagree, &time_spec(disagree).unwrap(), span).unwrap();
        let w = zone_mismatches(&c, d, "g/a.md");
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].line, w[0].code), (3, Code::TimeMismatch));
        // In January ET is five hours behind: the same pair agrees.
        let jan = NaiveDate::from_ymd_opt(2024, 1, 11).unwrap();
        assert!(zone_mismatches(&c, jan, "g/a.md").is_empty());
        let one = "6:30pm UTC";
        assert_eq!(zone_check(one, &time_spec(one).unwrap(), span), None);
    }

    #[test]
    fn zones_side_by_side() {
        let s = "17:00 UTC / 10:00 PDT / 19:00 CEST";
        let first = time_spec(s).unwrap();
        let others = other_zones(s, first.end);
        assert_eq!(others.len(), 2);
        let d = NaiveDate::from_ymd_opt(2022, 6, 1).unwrap();
        let want = utc_minutes(d, first.time, first.zone.as_deref().unwrap());
        for (tm, z) in others {
            assert_eq!(utc_minutes(d, tm, &z), want, "{z}");
        }
    }
}
