//! Finding the earlier open item an entry most likely speaks of, by the
//! words of its task.

use super::Ctx;
use crate::model::{GroupId, ItemId, MeetingId, PersonId};

/// The lower-cased alphanumeric words of a task, sorted and unique.
pub(super) fn word_set(task: &str) -> Vec<String> {
    let mut words: Vec<String> = task
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The Sørensen–Dice coefficient of two sorted, unique word sets.
pub(super) fn dice(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

impl Ctx<'_> {
    /// The most similar open item of group `g` opened before meeting `mi`,
    /// owned by exactly `owners` (or by anyone when `None`).
    pub(super) fn similar(
        &self,
        g: GroupId,
        mi: MeetingId,
        owners: Option<&[PersonId]>,
        words: &[String],
        min: f64,
    ) -> Option<(ItemId, f64)> {
        let mut best: Option<(ItemId, f64)> = None;
        for &it in &self.open_items[g] {
            let item = &self.site.items[it];
            if item.opened_in >= mi
                || item.status.is_closed()
                || owners.is_some_and(|o| item.owners != o)
            {
                continue;
            }
            let score = dice(self.words[it].as_slice(), words);
            if score >= min && best.is_none_or(|(_, s)| score > s) {
                best = Some((it, score));
            }
        }
        best
    }
}
