//! When a meeting starts: its date and time in its time zone (an IANA name or
//! a UTC offset), as UTC, and the local times the clocks skip.

use super::Meeting;
use chrono::offset::LocalResult;
use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};

/// The start of a meeting in UTC, when it has a time and a known time zone.
pub(crate) fn utc_start(m: &Meeting) -> Option<DateTime<Utc>> {
    let local = m.date.and_time(m.time?);
    let tz = m.timezone.trim();
    if let Ok(zone) = tz.parse::<chrono_tz::Tz>() {
        return match zone.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
            LocalResult::None => gap_start(zone, local),
        };
    }
    let minutes = if tz.is_empty() || tz.eq_ignore_ascii_case("utc") || tz.eq_ignore_ascii_case("z")
    {
        0
    } else {
        crate::text::parse_offset(tz)?
    };
    let offset = chrono::FixedOffset::east_opt(minutes * 60)?;
    offset
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// A local time the clocks skip (a DST gap) read as RFC 5545 (3.3.5) says:
/// with the UTC offset in force before the transition, so 02:30 on the
/// spring-forward day in New York is 07:30 UTC (03:30 EDT).
fn gap_start(zone: chrono_tz::Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    let day_before = local.checked_sub_signed(Duration::days(1))?;
    let offset = zone.offset_from_utc_datetime(&day_before).fix();
    let utc = local.checked_sub_signed(Duration::seconds(i64::from(offset.local_minus_utc())))?;
    Some(Utc.from_utc_datetime(&utc))
}

/// When the meeting's time does not exist in its time zone (the clocks skip
/// it), the local time it is read as instead.
pub(crate) fn skipped_time(m: &Meeting) -> Option<NaiveDateTime> {
    let zone = m.timezone.trim().parse::<chrono_tz::Tz>().ok()?;
    let local = m.date.and_time(m.time?);
    match zone.from_local_datetime(&local) {
        LocalResult::None => Some(gap_start(zone, local)?.with_timezone(&zone).naive_local()),
        _ => None,
    }
}
