//! Warnings about meeting times a calendar cannot hold as written: a time
//! the clocks skip (a daylight-saving gap), and a meeting on the last day a
//! calendar date can name (9999-12-31).

use crate::diagnostics::{Code, Diagnostic};
use crate::model::skipped_time;
use crate::model::{Meeting, Note};
use chrono::NaiveDate;

/// One warning per meeting whose time falls in a gap or whose date is
/// 9999-12-31, at the line of its time (or date).
pub(super) fn time_checks(meetings: &[Meeting], notes: &[&Note], diags: &mut Vec<Diagnostic>) {
    let last_day = NaiveDate::from_ymd_opt(9999, 12, 31);
    for (m, note) in meetings.iter().zip(notes) {
        if let (Some(time), Some(read_as)) = (m.time, skipped_time(m)) {
            let at = note.time_span.unwrap_or(note.date_span);
            diags.push(
                Diagnostic::warning(
                    Code::DstGap,
                    &m.path,
                    at.line,
                    at.col,
                    format!(
                        "{} on {} does not exist in {} (the clocks skip it); it is read as {} (the offset before the change)",
                        time.format("%H:%M"),
                        m.date,
                        m.timezone.trim(),
                        read_as.format("%H:%M")
                    ),
                )
                .with_help("write the time the meeting really started"),
            );
        }
        if Some(m.date) == last_day {
            let at = note.date_span;
            diags.push(
                Diagnostic::warning(
                    Code::DateRange,
                    &m.path,
                    at.line,
                    at.col,
                    "9999-12-31 is the last day a calendar date can name; calendar.ics gives this meeting a length (DURATION) instead of an end after it",
                )
                .with_help("check the date: is the year right?"),
            );
        }
    }
}
