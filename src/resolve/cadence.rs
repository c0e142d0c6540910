//! Meeting cadences as groups write them, for dates of meetings not yet written.

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

/// A group's cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// Every `n` days.
    Days(i64),
    /// Monthly, on the same day of the month.
    Monthly,
    /// Monthly on the `nth` (1-5, or -1 for last) `weekday`.
    MonthlyOn(i32, Weekday),
}

/// Reads "weekly", "biweekly", "every 2 weeks", "daily", "monthly",
/// "monthly on the first Tuesday", "every 10 days".
pub(crate) fn parse(s: &str) -> Option<Cadence> {
    let t = s.trim().to_ascii_lowercase();
    let words: Vec<&str> = t
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        ["daily", ..] => return Some(Cadence::Days(1)),
        ["weekly", ..] => return Some(Cadence::Days(7)),
        ["biweekly", ..] | ["fortnightly", ..] => return Some(Cadence::Days(14)),
        _ => {}
    }
    if let Some(i) = words.iter().position(|w| *w == "every") {
        let n: i64 = words.get(i + 1).and_then(|w| number(w)).unwrap_or(1);
        let unit_at = if words.get(i + 1).and_then(|w| number(w)).is_some() {
            i + 2
        } else {
            i + 1
        };
        match words.get(unit_at).map(|w| w.trim_end_matches('s')) {
            Some("day") => return Some(Cadence::Days(n)),
            Some("week") => return Some(Cadence::Days(7 * n)),
            Some("other") => return Some(Cadence::Days(14)),
            Some("month") => return Some(Cadence::Monthly),
            _ => {}
        }
    }
    if words.first() == Some(&"monthly") {
        let nth = words.iter().find_map(|w| match *w {
            "first" | "1st" => Some(1),
            "second" | "2nd" => Some(2),
            "third" | "3rd" => Some(3),
            "fourth" | "4th" => Some(4),
            "fifth" | "5th" => Some(5),
            "last" => Some(-1),
            _ => None,
        });
        let day = words.iter().find_map(|w| weekday(w));
        return match (nth, day) {
            (Some(n), Some(d)) => Some(Cadence::MonthlyOn(n, d)),
            _ => Some(Cadence::Monthly),
        };
    }
    None
}

fn number(w: &str) -> Option<i64> {
    match w {
        "two" => Some(2),
        "three" => Some(3),
        "four" => Some(4),
        _ => w.parse().ok().filter(|&n: &i64| n > 0 && n < 400),
    }
}

fn weekday(w: &str) -> Option<Weekday> {
    let w = w.trim_end_matches('s');
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// The meeting after `d` by `cadence`.
pub(crate) fn next_after(d: NaiveDate, cadence: Cadence) -> Option<NaiveDate> {
    match cadence {
        Cadence::Days(n) => d.checked_add_signed(Duration::days(n)),
        Cadence::Monthly => d.checked_add_months(Months::new(1)),
        Cadence::MonthlyOn(nth, wd) => {
            let mut first = NaiveDate::from_ymd_opt(d.year(), d.month(), 1)?;
            for _ in 0..3 {
                if let Some(day) = nth_weekday(first, nth, wd) {
                    if day > d {
                        return Some(day);
                    }
                }
                first = first.checked_add_months(Months::new(1))?;
            }
            None
        }
    }
}

fn nth_weekday(first: NaiveDate, nth: i32, wd: Weekday) -> Option<NaiveDate> {
    if nth > 0 {
        let offset = (7 + wd.num_days_from_monday() as i64
            - first.weekday().num_days_from_monday() as i64)
            % 7;
        let day = first + Duration::days(offset + 7 * (nth as i64 - 1));
        (day.month() == first.month()).then_some(day)
    } else {
        let last = first.checked_add_months(Months::new(1))? - Duration::days(1);
        let back = (7 + last.weekday().num_days_from_monday() as i64
            - wd.num_days_from_monday() as i64)
            % 7;
        Some(last - Duration::days(back))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn cadences() {
        assert_eq!(parse("weekly"), Some(Cadence::Days(7)));
        assert_eq!(parse("Every 2 weeks"), Some(Cadence::Days(14)));
        assert_eq!(
            parse("monthly on the first Tuesday"),
            Some(Cadence::MonthlyOn(1, Weekday::Tue))
        );
        assert_eq!(parse("whenever"), None);
    }

    #[test]
    fn next_dates() {
        assert_eq!(
            next_after(d(2022, 1, 5), Cadence::Days(14)),
            Some(d(2022, 1, 19))
        );
        // First Tuesday after 2022-01-04 (itself the first Tuesday of January) is 2022-02-01.
        assert_eq!(
            next_after(d(2022, 1, 4), Cadence::MonthlyOn(1, Weekday::Tue)),
            Some(d(2022, 2, 1))
        );
        assert_eq!(
            next_after(d(2022, 1, 31), Cadence::MonthlyOn(-1, Weekday::Mon)),
            Some(d(2022, 2, 28))
        );
    }
}
