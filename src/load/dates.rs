//! Dates as notes write them: ISO dates, `20220105`, `January 5th, 2022`,
//! `2022 - August 30th`, and dates in file names.

use chrono::NaiveDate;

/// The meeting date a file name gives (`2022-01-05.md`, `sig-meeting-20220105.md`,
/// `2022 - August 30th.md`), if any.
pub fn date_from_file_name(name: &str) -> Option<NaiveDate> {
    let _ = name;
    None
}

/// A date written in free text, using `year_hint` when the text has no year.
pub fn parse_loose_date(text: &str, year_hint: Option<i32>) -> Option<NaiveDate> {
    let _ = (text, year_hint);
    None
}

/// A year named by a path's folders or file name (`2019/`, `2023-04`), if any.
pub fn year_from_path(path: &str) -> Option<i32> {
    let _ = path;
    None
}
