//! Dates as notes write them: ISO dates, `20220105`, `January 5th, 2022`,
//! `2022 - August 30th`, and dates in file names.

use chrono::NaiveDate;

/// The meeting date a file name gives (`2022-01-05.md`, `sig-meeting-20220105.md`,
/// `2022 - August 30th.md`), if any.
pub(crate) fn date_from_file_name(name: &str) -> Option<NaiveDate> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    let stem = [".md", ".markdown", ".txt"]
        .iter()
        .find_map(|ext| {
            lower
                .ends_with(ext)
                .then(|| base.get(..base.len() - ext.len()))
                .flatten()
        })
        .unwrap_or(base);
    parse_loose_date(stem, None)
}

/// `guest-python-03-10.md` in a folder `2023/`: a month and day ending the file
/// name's stem, with the year the path names elsewhere. Only two-digit month and
/// day, joined by `-` or `_`, and nothing but the year makes the date.
pub(crate) fn month_day_from_path(path: &str) -> Option<NaiveDate> {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let b = stem.as_bytes();
    let n = b.len();
    if n < 5 {
        return None;
    }
    // `debrief-0626`: a month and day written as four digits after a `-`.
    if n > 5
        && matches!(b.get(n - 5), Some(b'-' | b'_'))
        && !b.get(n - 6).is_some_and(u8::is_ascii_digit)
    {
        if let Some(md) = stem
            .get(n - 4..)
            .filter(|t| t.bytes().all(|c| c.is_ascii_digit()))
        {
            let dir = path.get(..path.len() - base.len()).unwrap_or("");
            let year = year_from_path(dir)?;
            return NaiveDate::from_ymd_opt(
                year,
                md.get(..2)?.parse().ok()?,
                md.get(2..)?.parse().ok()?,
            );
        }
    }
    let tail = stem.get(n - 5..)?;
    let (mm, dd) = tail.split_once(['-', '_'])?;
    if mm.len() != 2 || dd.len() != 2 || !(mm.chars().chain(dd.chars()).all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    // Not the end of a longer number (`2021-11-03`, `20211103`).
    let before = |k: usize| n > k && b.get(n - k - 1).is_some_and(u8::is_ascii_digit);
    if before(5) || (matches!(b.get(n.wrapping_sub(6)), Some(b'-' | b'_')) && before(6)) {
        return None;
    }
    let dir = path.get(..path.len() - base.len()).unwrap_or("");
    let year = year_from_path(dir).or_else(|| year_from_path(stem.get(..n - 5).unwrap_or("")))?;
    NaiveDate::from_ymd_opt(year, mm.parse().ok()?, dd.parse().ok()?)
}

/// A year named in a path's file or folder names (`2019/`, `2023-04`,
/// `2019-08-steering-council-update.md`), the last one that names one.
pub(crate) fn year_from_path(path: &str) -> Option<i32> {
    path.rsplit(['/', '\\']).find_map(|part| {
        tokens(part)
            .iter()
            .find_map(|t| match (t.kind, t.text.len()) {
                (Kind::Digit, 4) => t.text.parse().ok().filter(|y| plausible_year(*y)),
                (Kind::Digit, 8) => t
                    .text
                    .get(..4)
                    .and_then(|y| y.parse().ok())
                    .filter(|y| plausible_year(*y)),
                _ => None,
            })
    })
}

/// A date written in free text, using `year_hint` when the text has no year.
pub(crate) fn parse_loose_date(text: &str, year_hint: Option<i32>) -> Option<NaiveDate> {
    let toks = tokens(text);
    for i in 0..toks.len() {
        if let Some((d, _)) = date_at(text, &toks, i, year_hint) {
            return Some(d);
        }
    }
    None
}

/// Every date written in `text`, with the byte range it takes.
pub(crate) fn find_dates(text: &str, year_hint: Option<i32>) -> Vec<(NaiveDate, usize, usize)> {
    let toks = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Some((d, end)) = date_at(text, &toks, i, year_hint) {
            out.push((d, toks[i].start, end));
            while i < toks.len() && toks[i].start < end {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    out
}

/// Words a line may hold beside its date and still be a date line.
const DATE_LINE_WORDS: &[&str] = &[
    "date",
    "dated",
    "meeting",
    "meetings",
    "minutes",
    "notes",
    "call",
    "on",
    "at",
    "of",
    "the",
    "held",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "st",
    "nd",
    "rd",
    "th",
    "am",
    "pm",
    "a",
    "p",
    "m",
    "utc",
    "gmt",
    "pt",
    "pst",
    "pdt",
    "et",
    "est",
    "edt",
    "ct",
    "cet",
    "cest",
    "bst",
    "ist",
    "jst",
    "time",
    "and",
    "from",
    "to",
    "weekly",
    "monthly",
    "agenda",
    "sync",
    "wg",
    "sig",
    "group",
    "team",
    "working",
    "community",
    "call",
    "video",
    "virtual",
];

/// Words that make a date a stamp of the page, not the meeting's day.
const STAMP_WORDS: &[&str] = &[
    "edited",
    "updated",
    "modified",
    "collected",
    "generated",
    "snapshot",
    "created",
    "posted",
    "published",
    "revised",
    "as",
    "since",
    "until",
    "due",
    "deadline",
    "by",
    "before",
    "after",
    "next",
    "previous",
    "last",
];

/// The meeting date a line gives when the line is a date line: one date, and
/// beside it only a few words (weekday, time, zone, `Meeting`, the group's
/// name). A date in running prose, in a stamp (`Last updated 2026-08-17`,
/// `edited this page on Apr 26, 2016`) or beside another date is not one.
/// `free` is how many words of any kind a line may hold besides.
pub(crate) fn date_line(text: &str, year_hint: Option<i32>, free: usize) -> Option<NaiveDate> {
    let found = find_dates(text, year_hint);
    let (d, s, e) = *found.first()?;
    if found.iter().any(|(x, _, _)| *x != d) {
        return None;
    }
    let mut rest = String::with_capacity(text.len());
    rest.push_str(text.get(..s).unwrap_or(""));
    rest.push(' ');
    rest.push_str(text.get(e..).unwrap_or(""));
    let mut others = 0;
    for w in rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let lw = w.to_lowercase();
        if STAMP_WORDS.contains(&lw.as_str()) {
            return None;
        }
        if w.chars().all(|c| c.is_ascii_digit()) || DATE_LINE_WORDS.contains(&lw.as_str()) {
            continue;
        }
        others += 1;
    }
    (others <= free).then_some(d)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Digit,
    Alpha,
}

#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    kind: Kind,
}

/// Runs of ASCII digits and runs of letters, with their byte positions.
fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, Kind)> = None;
    for (i, c) in text.char_indices() {
        let kind = if c.is_ascii_digit() {
            Some(Kind::Digit)
        } else if c.is_alphabetic() {
            Some(Kind::Alpha)
        } else {
            None
        };
        match (cur, kind) {
            (Some((_, k)), Some(k2)) if k == k2 => {}
            (Some((s, k)), _) => {
                out.push(Tok {
                    text: &text[s..i],
                    start: s,
                    end: i,
                    kind: k,
                });
                cur = kind.map(|k| (i, k));
            }
            (None, _) => cur = kind.map(|k| (i, k)),
        }
    }
    if let Some((s, k)) = cur {
        out.push(Tok {
            text: &text[s..],
            start: s,
            end: text.len(),
            kind: k,
        });
    }
    out
}

fn plausible_year(y: i32) -> bool {
    (1900..=2199).contains(&y)
}

/// The month a word names (`January`, `Jan`, `Sept`), 1-based.
pub(crate) fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = word.to_lowercase();
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() == 3 && m.starts_with(w.as_str())))
        .map(|i| i as u32 + 1)
}

fn sep<'a>(text: &'a str, a: &Tok, b: &Tok) -> &'a str {
    text.get(a.end..b.start).unwrap_or("")
}

fn num(t: &Tok, max_len: usize) -> Option<u32> {
    if t.kind == Kind::Digit && t.text.len() <= max_len {
        t.text.parse().ok()
    } else {
        None
    }
}

fn is_ordinal(t: &Tok) -> bool {
    matches!(
        t.text.to_ascii_lowercase().as_str(),
        "st" | "nd" | "rd" | "th"
    )
}

/// A separator between a day or month and what follows: spaces, a comma, `-`, `.`.
fn loose_sep(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4 && s.chars().all(|c| matches!(c, ' ' | ',' | '-' | '.' | '\t'))
}

fn date_at(
    text: &str,
    toks: &[Tok],
    i: usize,
    year_hint: Option<i32>,
) -> Option<(NaiveDate, usize)> {
    let t = toks.get(i)?;
    // 2022-01-05, 2022/01/05, 2022.01.05
    if t.kind == Kind::Digit && t.text.len() == 4 {
        if let (Some(m), Some(d)) = (toks.get(i + 1), toks.get(i + 2)) {
            let s1 = sep(text, t, m);
            let s2 = sep(text, m, d);
            if matches!(s1, "-" | "/" | ".") && s1 == s2 {
                let y: i32 = t.text.parse().ok()?;
                let (mo, da) = (num(m, 2)?, num(d, 2)?);
                return NaiveDate::from_ymd_opt(y, mo, da).map(|x| (x, d.end));
            }
        }
    }
    // 20220105
    if t.kind == Kind::Digit && t.text.len() == 8 {
        let y: i32 = t.text.get(..4)?.parse().ok()?;
        let mo: u32 = t.text.get(4..6)?.parse().ok()?;
        let da: u32 = t.text.get(6..)?.parse().ok()?;
        if plausible_year(y) {
            if let Some(d) = NaiveDate::from_ymd_opt(y, mo, da) {
                return Some((d, t.end));
            }
        }
    }
    // January 5th, 2022 / Jan-05-2022 / August 2
    if t.kind == Kind::Alpha {
        if let Some(mo) = month_number(t.text) {
            let d = toks.get(i + 1)?;
            if !loose_sep(sep(text, t, d)) {
                return None;
            }
            let day = num(d, 2)?;
            let mut next = i + 2;
            if toks
                .get(next)
                .is_some_and(|o| is_ordinal(o) && o.start == d.end)
            {
                next += 1;
            }
            let last = toks.get(next - 1)?;
            // `Jan 5:30` is a time, not a date.
            if text.get(last.end..).is_some_and(|r| r.starts_with(':')) {
                return None;
            }
            let ytok = toks.get(next).filter(|y| {
                loose_sep(sep(text, last, y)) && y.kind == Kind::Digit && y.text.len() == 4
            });
            let end = ytok.map_or(last.end, |y| y.end);
            let year = ytok
                .and_then(|y| y.text.parse().ok())
                .or_else(|| year_before(toks, i))
                .or(year_hint)?;
            return NaiveDate::from_ymd_opt(year, mo, day).map(|x| (x, end));
        }
    }
    // 8/31 and 8/31/2021 (US order, as notes in the US write it)
    if t.kind == Kind::Digit && t.text.len() <= 2 && (i == 0 || sep(text, &toks[i - 1], t) != "/") {
        if let Some(d) = toks.get(i + 1).filter(|d| sep(text, t, d) == "/") {
            let (mo, da) = (num(t, 2)?, num(d, 2)?);
            let mut end = d.end;
            let year = match toks.get(i + 2) {
                Some(y) if sep(text, d, y) == "/" => {
                    // `6/16/17`: a two-digit year is this century's.
                    end = y.end;
                    match (y.kind, y.text.len()) {
                        (Kind::Digit, 4) => y.text.parse().ok(),
                        (Kind::Digit, 2) => y.text.parse::<i32>().ok().map(|v| 2000 + v),
                        _ => return None,
                    }
                }
                _ => year_before(toks, i).or(year_hint),
            }?;
            return NaiveDate::from_ymd_opt(year, mo, da).map(|x| (x, end));
        }
    }
    // 5 January 2022
    if t.kind == Kind::Digit && t.text.len() <= 2 {
        let day = num(t, 2)?;
        let mut next = i + 1;
        if toks
            .get(next)
            .is_some_and(|o| is_ordinal(o) && o.start == t.end)
        {
            next += 1;
        }
        let prev = toks.get(next - 1)?;
        let m = toks.get(next)?;
        if m.kind != Kind::Alpha || !loose_sep(sep(text, prev, m)) {
            return None;
        }
        let mo = month_number(m.text)?;
        let ytok = toks
            .get(next + 1)
            .filter(|y| loose_sep(sep(text, m, y)) && y.kind == Kind::Digit && y.text.len() == 4);
        let end = ytok.map_or(m.end, |y| y.end);
        let year = ytok
            .and_then(|y| y.text.parse().ok())
            .or_else(|| year_before(toks, i))
            .or(year_hint)?;
        return NaiveDate::from_ymd_opt(year, mo, day).map(|x| (x, end));
    }
    None
}

/// A four-digit year written before token `i` (`2022 - August 30th`).
fn year_before(toks: &[Tok], i: usize) -> Option<i32> {
    toks.get(..i)?
        .iter()
        .rev()
        .filter(|t| t.kind == Kind::Digit && t.text.len() == 4)
        .find_map(|t| t.text.parse().ok().filter(|y| plausible_year(*y)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn file_names() {
        assert_eq!(date_from_file_name("2022-01-05.md"), d(2022, 1, 5));
        assert_eq!(
            date_from_file_name("sig-meeting-20220105.md"),
            d(2022, 1, 5)
        );
        assert_eq!(date_from_file_name("2022 - August 30th.md"), d(2022, 8, 30));
        assert_eq!(date_from_file_name("2022 - August 30th"), d(2022, 8, 30));
        assert_eq!(
            date_from_file_name("2019-08-steering-council-update.md"),
            None
        );
        assert_eq!(date_from_file_name("2021-11-03-notes.md"), d(2021, 11, 3));
        assert_eq!(date_from_file_name("Jan-05-2022.md"), d(2022, 1, 5));
        assert_eq!(
            date_from_file_name("notes/2021/2021-11-03.txt"),
            d(2021, 11, 3)
        );
        assert_eq!(date_from_file_name("README.md"), None);
        assert_eq!(date_from_file_name("2022-02-30.md"), None);
    }

    #[test]
    fn month_and_day_with_the_year_of_the_folder() {
        assert_eq!(
            month_day_from_path("g/python/2023/guest-python-03-10.md"),
            d(2023, 3, 10)
        );
        assert_eq!(month_day_from_path("g/2017/CG-07-06.md"), d(2017, 7, 6));
        assert_eq!(month_day_from_path("g/2017/CG-05.md"), None);
        assert_eq!(
            month_day_from_path("g/notes/sync-03-10.md"),
            None,
            "no year"
        );
        assert_eq!(month_day_from_path("g/2019/sync-13-10.md"), None);
        assert_eq!(month_day_from_path("g/2019/build-2021-11-03.md"), None);
        assert_eq!(
            month_day_from_path("g/2025/debrief-0626.md"),
            d(2025, 6, 26)
        );
        assert_eq!(month_day_from_path("g/2025/notes-2023.md"), None);
    }

    #[test]
    fn years_from_paths() {
        assert_eq!(year_from_path("group/2019/CG-01-04.md"), Some(2019));
        assert_eq!(year_from_path("meetings/2023-04/apr-11.md"), Some(2023));
        assert_eq!(
            year_from_path("2019-08-steering-council-update.md"),
            Some(2019)
        );
        assert_eq!(year_from_path("sig/notes-20210105.md"), Some(2021));
        assert_eq!(year_from_path("sig/notes.md"), None);
    }

    #[test]
    fn loose_dates() {
        assert_eq!(parse_loose_date("2022-01-05", None), d(2022, 1, 5));
        assert_eq!(parse_loose_date("20220105", None), d(2022, 1, 5));
        assert_eq!(parse_loose_date("January 5th, 2022", None), d(2022, 1, 5));
        assert_eq!(parse_loose_date("Jan 5 2022", None), d(2022, 1, 5));
        assert_eq!(parse_loose_date("5 January 2022", None), d(2022, 1, 5));
        assert_eq!(parse_loose_date("3rd of March", Some(2020)), None);
        assert_eq!(parse_loose_date("August 2", Some(2021)), d(2021, 8, 2));
        assert_eq!(parse_loose_date("August 2", None), None);
        assert_eq!(
            parse_loose_date("Wednesday, January 5th, 2022 @ 6:30pm UTC", None),
            d(2022, 1, 5)
        );
        assert_eq!(parse_loose_date("Sept. 14, 2021", None), d(2021, 9, 14));
        assert_eq!(parse_loose_date("2022-02-30", None), None);
        assert_eq!(parse_loose_date("February 30, 2022", None), None);
        assert_eq!(parse_loose_date("we met at 10:30", Some(2022)), None);
        assert_eq!(parse_loose_date("", Some(2022)), None);
        assert_eq!(parse_loose_date("8/31 Meeting", Some(2021)), d(2021, 8, 31));
        assert_eq!(parse_loose_date("on 1/5/2022", None), d(2022, 1, 5));
        assert_eq!(parse_loose_date("13/31", Some(2021)), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC*", y in proptest::option::of(-300000i32..300000)) {
            let _ = parse_loose_date(&s, y);
            let _ = date_from_file_name(&s);
            let _ = year_from_path(&s);
        }
    }
}
