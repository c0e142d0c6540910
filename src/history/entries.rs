//! Where each front-matter action entry ends, so that an entry is dated by
//! the newest of its lines.

use super::*;

impl SiteHistory {
    /// Finds where each action entry of the front matter ends, so that an
    /// entry (`- ref: x` then `status: done` on the next line) is dated by the
    /// newest of its lines. Reads only notes whose front-matter lines after an
    /// entry come from more than one commit (edited in place), so it costs
    /// nothing on notes written in one go.
    pub fn mark_entries(&mut self, root: &Path, site: &crate::model::Site) {
        let mut wanted: HashMap<&str, (u32, Vec<u32>)> = HashMap::new();
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
                let e = wanted.entry(&m.path).or_insert((m.body_line, Vec::new()));
                e.1.push(step.line);
            }
        }
        for (path, (body_line, starts)) in wanted {
            let Ok(text) = std::fs::read_to_string(root.join(path)) else {
                continue;
            };
            let lines: Vec<&str> = text.lines().collect();
            let ends = self.entry_ends.entry(path.to_string()).or_default();
            for start in starts {
                ends.insert(start, entry_end(&lines, start, body_line));
            }
        }
    }
}

/// The last line (1-based) of the YAML list entry starting at `start`: the
/// lines after it that are indented deeper than its `-` (or blank), before
/// the front matter's end (`body_line`).
pub(super) fn entry_end(lines: &[&str], start: u32, body_line: u32) -> u32 {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let Some(first) = lines.get(start as usize - 1) else {
        return start;
    };
    let dash = indent(first);
    let mut end = start;
    let mut n = start + 1;
    while n + 1 < body_line {
        let Some(l) = lines.get(n as usize - 1) else {
            break;
        };
        if l.trim().is_empty() {
            n += 1;
            continue;
        }
        if indent(l) <= dash {
            break;
        }
        end = n;
        n += 1;
    }
    end
}
