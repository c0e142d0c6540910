//! Years for dates written without one (`Thursday 26 March`) in a note whose
//! path names no year: taken from the neighbouring notes of the same folder
//! (the nearest dated note before it and after it in file-name order). A
//! whole-group step, run after every note is read; a note whose year cannot
//! be found gets the no-date error.

use super::files::NoteFile;
use super::notes::no_date;
use crate::diagnostics::Diagnostic;
use crate::model::Corpus;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::sync::Arc;

/// Gives each year-less note of `corpus` its year, or the no-date error.
pub(super) fn settle(files: &[NoteFile], corpus: &mut Corpus, diags: &mut Vec<Diagnostic>) {
    if !corpus.notes.iter().any(|n| n.year_less.is_some()) {
        return;
    }
    // The first date of each file read with one (its own, not a guess).
    let mut dated: HashMap<String, NaiveDate> = HashMap::new();
    for n in &corpus.notes {
        if let (Some(d), None) = (n.date, n.year_less) {
            dated.entry(n.path.clone()).or_insert(d);
        }
    }
    // Each folder's note files, in file-name order (the order of the walk).
    let mut folders: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    for f in files {
        let folder = f.rel.rsplit_once('/').map_or("", |(dir, _)| dir);
        folders
            .entry((f.group.as_str(), folder))
            .or_default()
            .push(f.rel.as_str());
    }
    for n in &mut corpus.notes {
        let Some((month, day)) = n.year_less else {
            continue;
        };
        let folder = n.path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let list = folders
            .get(&(n.group.as_str(), folder))
            .map_or(&[][..], Vec::as_slice);
        let at = list.iter().position(|r| *r == n.path);
        let near = |back: bool| {
            let at = at?;
            let before = list.get(..at)?.iter().rev();
            let after = list.get(at + 1..)?.iter();
            let mut side: Box<dyn Iterator<Item = &&str>> = match back {
                true => Box::new(before),
                false => Box::new(after),
            };
            side.find_map(|r| dated.get(*r).copied())
        };
        match year_between(month, day, near(true), near(false)) {
            Some(d) => {
                let note = Arc::make_mut(n);
                note.date = Some(d);
                note.year_less = None;
            }
            None => {
                diags.push(no_date(&n.path));
                corpus.failed.insert(n.path.clone());
            }
        }
    }
}

/// The date of `month`/`day` in the year that puts it after `prev` and
/// before `next` (the neighbouring notes' dates) and nearest to them.
fn year_between(
    month: u32,
    day: u32,
    prev: Option<NaiveDate>,
    next: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let anchors: Vec<NaiveDate> = prev.into_iter().chain(next).collect();
    let mut best: Option<(i64, NaiveDate)> = None;
    for y in anchors
        .iter()
        .flat_map(|a| [a.year() - 1, a.year(), a.year() + 1])
    {
        let Some(c) = NaiveDate::from_ymd_opt(y, month, day) else {
            continue;
        };
        let out_of_order = prev.is_some_and(|p| c < p) || next.is_some_and(|n| c > n);
        let near = anchors
            .iter()
            .map(|a| (c - *a).num_days().abs())
            .min()
            .unwrap_or(0);
        let cost = near + if out_of_order { 100_000 } else { 0 };
        if best.is_none_or(|(b, _)| cost < b) {
            best = Some((cost, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_year_that_fits_between_the_neighbours() {
        assert_eq!(
            year_between(3, 26, Some(d(2020, 3, 19)), Some(d(2020, 4, 2))),
            Some(d(2020, 3, 26))
        );
        // After a December note, January is the next year's.
        assert_eq!(
            year_between(1, 7, Some(d(2020, 12, 17)), None),
            Some(d(2021, 1, 7))
        );
        // Before a January note, December is the year before.
        assert_eq!(
            year_between(12, 30, None, Some(d(2021, 1, 14))),
            Some(d(2020, 12, 30))
        );
        assert_eq!(year_between(3, 26, None, None), None);
        // 29 February only in a leap year near the neighbours.
        assert_eq!(
            year_between(2, 29, Some(d(2020, 2, 20)), None),
            Some(d(2020, 2, 29))
        );
    }
}
