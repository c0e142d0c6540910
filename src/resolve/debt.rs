//! Minutes debt: the meetings a group's cadence made due that have no note.
//!
//! From the group's first note, the cadence gives the next due date; a note
//! of the group (held, cancelled or planned) near that date clears it, and
//! the next due date is counted from that note, so a group that moves its
//! meeting a day keeps its rhythm. "Near" is within half the cadence's
//! period either side (three days for a weekly group, two weeks for a
//! monthly one), so one note never clears two dates. A due date is missing
//! minutes once more than `[site] minutes_due_days` days have passed.

use super::cadence::{self, Cadence};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{GroupId, Site};
use chrono::{Duration, NaiveDate};

/// At most this many due dates are looked at per group (a daily cadence
/// over ten years).
const MAX_DUE: usize = 4000;
/// How many dates a `missing-minutes` warning spells out.
const SHOWN: usize = 10;

/// How far from a due date (before, after) a note still clears it, in days.
fn window(c: Cadence) -> (i64, i64) {
    match c {
        Cadence::Days(n) => ((n - 1) / 2, n / 2),
        Cadence::Monthly | Cadence::MonthlyOn(..) => (13, 14),
    }
}

/// The due dates of group `g` with no note, oldest first: those more than
/// `due_days` before the site's today. Empty when the group has no cadence
/// quorum reads, or no notes.
pub(crate) fn missing_minutes(site: &Site, g: GroupId, due_days: u32) -> Vec<NaiveDate> {
    let group = &site.groups[g];
    let Some(cad) = group.cadence.as_deref().and_then(cadence::parse) else {
        return Vec::new();
    };
    // The group's meetings are in date order.
    let dates: Vec<NaiveDate> = group
        .meetings
        .iter()
        .map(|&m| site.meetings[m].date)
        .collect();
    let Some(&first) = dates.first() else {
        return Vec::new();
    };
    let Some(cutoff) = site
        .today
        .checked_sub_signed(Duration::days(i64::from(due_days)))
    else {
        return Vec::new();
    };
    let (before, after) = window(cad);
    let mut missing = Vec::new();
    let mut anchor = first;
    for _ in 0..MAX_DUE {
        let Some(due) = cadence::next_after(anchor, cad) else {
            break;
        };
        if due >= cutoff {
            break;
        }
        let from = due - Duration::days(before);
        let to = due + Duration::days(after);
        let start = dates.partition_point(|&d| d < from);
        let end = dates.partition_point(|&d| d <= to);
        if start < end {
            // The latest note near the due date carries the rhythm on.
            anchor = dates[end - 1];
        } else {
            missing.push(due);
            anchor = due;
        }
    }
    missing
}

/// The dates as a list for a message: the first [`SHOWN`], then how many more.
fn listed(dates: &[NaiveDate]) -> String {
    let mut s: Vec<String> = dates.iter().take(SHOWN).map(|d| d.to_string()).collect();
    if dates.len() > SHOWN {
        s.push(format!("and {} more", dates.len() - SHOWN));
    }
    s.join(", ")
}

/// Warns at each `_group.md`'s `cadence` line: a cadence quorum cannot read,
/// or the due meetings with no notes (`missing-minutes`).
pub(crate) fn minutes_checks(site: &Site, due_days: u32, diags: &mut Vec<Diagnostic>) {
    for (g, group) in site.groups.iter_enumerated() {
        let (Some(written), Some(path)) = (group.cadence.as_deref(), group.path.as_deref()) else {
            continue;
        };
        let line = group.cadence_line.max(1);
        if cadence::parse(written).is_none() {
            diags.push(
                Diagnostic::warning(
                    Code::UnreadableCadence,
                    path,
                    line,
                    1,
                    format!("quorum cannot read the cadence `{written}`"),
                )
                .with_help(
                    "write e.g. `weekly`, `every 2 weeks`, `monthly` or \
                     `monthly on the first Tuesday`; without one quorum cannot \
                     tell which meetings lack notes",
                ),
            );
            continue;
        }
        let missing = missing_minutes(site, g, due_days);
        if missing.is_empty() {
            continue;
        }
        let n = missing.len();
        diags.push(
            Diagnostic::warning(
                Code::MissingMinutes,
                path,
                line,
                1,
                format!(
                    "{n} meeting{} of {} due by the cadence `{written}` ha{} no notes: {}",
                    if n == 1 { "" } else { "s" },
                    group.name,
                    if n == 1 { "s" } else { "ve" },
                    listed(&missing)
                ),
            )
            .with_help(
                "add the meeting's notes, or a note with `status: cancelled` for a \
                 meeting that was not held (`[site] minutes_due_days` sets how many \
                 days notes may take)",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Group, Meeting, MeetingId, MeetingStatus, TiVec};
    use crate::resolve::fixture::meeting;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn site(cadence: &str, dates: &[&str], today: &str) -> Site {
        let meetings: TiVec<MeetingId, Meeting> = dates
            .iter()
            .map(|s| meeting(0, s, MeetingStatus::Held))
            .collect();
        Site {
            groups: TiVec::from(vec![Group {
                cadence: Some(cadence.into()),
                meetings: meetings.keys().collect(),
                ..Group::default()
            }]),
            meetings,
            today: d(today),
            ..Site::default()
        }
    }

    #[test]
    fn weekly_dates_without_notes_are_missing() {
        // Tuesdays; the 16th has no note, the 24th is a day late and clears the 23rd.
        let s = site(
            "weekly",
            &["2024-01-02", "2024-01-09", "2024-01-24", "2024-01-31"],
            "2024-02-20",
        );
        // After the 31st, 2024-02-07 is due and 13 days old; 2024-02-14 is
        // only 6 days old, not yet missing.
        assert_eq!(
            missing_minutes(&s, GroupId(0), 7),
            vec![d("2024-01-16"), d("2024-02-07")]
        );
        assert_eq!(missing_minutes(&s, GroupId(0), 0).len(), 3);
    }

    #[test]
    fn monthly_on_a_weekday() {
        let s = site(
            "monthly on the first Tuesday",
            &["2024-01-02", "2024-03-05"],
            "2024-05-01",
        );
        assert_eq!(
            missing_minutes(&s, GroupId(0), 7),
            vec![d("2024-02-06"), d("2024-04-02")]
        );
    }

    #[test]
    fn no_cadence_or_no_notes_owes_nothing() {
        let s = site("whenever", &["2024-01-02"], "2025-01-01");
        assert!(missing_minutes(&s, GroupId(0), 7).is_empty());
        let s = site("weekly", &[], "2025-01-01");
        assert!(missing_minutes(&s, GroupId(0), 7).is_empty());
    }
}
