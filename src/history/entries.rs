//! Where each front-matter action entry ends, so that an entry is dated by
//! the newest of its lines.

use super::*;

impl SiteHistory {
    /// Finds where each action entry of the front matter ends, so that an
    /// entry (`- ref: x` then `status: done` on the next line) is dated by the
    /// newest of its lines. The extents are the ones the notes recorded when
    /// they were read (`Note::entry_ends`); only notes whose front-matter
    /// lines after an entry come from more than one commit (edited in place)
    /// are looked at.
    pub fn mark_entries(
        &mut self,
        site: &crate::model::Site,
        notes: &[std::sync::Arc<crate::model::Note>],
    ) {
        let mut wanted: HashMap<&str, Vec<u32>> = HashMap::new();
        for item in &site.items {
            for step in &item.history {
                let m = &site.meetings[step.meeting];
                if step.line == 0 || step.line >= m.body_line {
                    continue;
                }
                let Some(lines) = self.lines.get(&m.path) else {
                    continue;
                };
                let from = step.line as usize - 1;
                let to = (m.body_line as usize).saturating_sub(1);
                if lines.uniform(from, to) {
                    continue;
                }
                wanted.entry(&m.path).or_default().push(step.line);
            }
        }
        if wanted.is_empty() {
            return;
        }
        let notes: HashMap<&str, &crate::model::Note> =
            notes.iter().map(|n| (n.path.as_str(), &**n)).collect();
        for (path, starts) in wanted {
            let Some(note) = notes.get(path) else {
                continue;
            };
            let ends = self.entry_ends.entry(path.to_string()).or_default();
            for start in starts {
                let end = note
                    .entry_ends
                    .iter()
                    .find(|(s, _)| *s == start)
                    .map_or(start, |&(_, e)| e);
                ends.insert(start, end);
            }
        }
    }
}
