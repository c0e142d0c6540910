//! Where each key and list entry of a front matter lies: an index of YAML
//! paths (`actions[2].owner`) to file lines and columns.

use crate::model::Span;

/// Positions of keys and list entries in block-style YAML, found by paths
/// such as `actions`, `actions[2]`, `actions[2].owner`. Paths are kept as
/// hashes so that indexing a note allocates nothing per key.
#[derive(Debug, Default)]
pub(crate) struct Positions {
    entries: Vec<(u64, Span)>,
    first: Span,
}

const ROOT: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn key_hash(parent: u64, key: &str) -> u64 {
    fnv(fnv(parent, b"."), key.as_bytes())
}

fn item_hash(parent: u64, n: usize) -> u64 {
    fnv(fnv(parent, b"["), &n.to_le_bytes())
}

/// The hash of each prefix of `path` (`a`, `a[0]`, `a[0].b`), longest last.
fn prefix_hashes(path: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut h = ROOT;
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            let n = r[..end].parse().unwrap_or(usize::MAX);
            h = item_hash(h, n);
            rest = r.get(end + 1..).unwrap_or("");
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            h = key_hash(h, &r[..end]);
            rest = &r[end..];
        }
        out.push(h);
    }
    out
}

impl Positions {
    /// Indexes `yaml`, whose first line is file line `first_line`.
    pub(crate) fn index(yaml: &str, first_line: u32) -> Positions {
        struct Frame {
            indent: usize,
            hash: u64,
            item: bool,
            count: usize,
        }
        let mut entries: Vec<(u64, Span)> = Vec::new();
        let mut add = |h: u64, span: Span| {
            if !entries.iter().any(|(x, _)| *x == h) {
                entries.push((h, span));
            }
        };
        let mut stack: Vec<Frame> = Vec::new();
        let mut block_scalar: Option<usize> = None;
        // Entries of a list at the top (people.yaml): `[0]`, `[1]`, ...
        let mut top_items = 0usize;
        for (i, raw) in yaml.lines().enumerate() {
            let line_no = first_line + i as u32;
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            let content = raw.trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if let Some(bi) = block_scalar {
                if indent > bi {
                    continue;
                }
                block_scalar = None;
            }
            let mut indent = indent;
            let mut rest = &raw[indent..];
            // List items, possibly nested on one line ("- - x" is rare; handle one level).
            if rest == "-" || rest.starts_with("- ") {
                while stack
                    .last()
                    .is_some_and(|f| f.indent > indent || (f.indent == indent && f.item))
                {
                    stack.pop();
                }
                let parent = stack.last().map(|f| f.hash).unwrap_or(ROOT);
                let n = match stack.last_mut() {
                    Some(f) => {
                        f.count += 1;
                        f.count - 1
                    }
                    None => {
                        top_items += 1;
                        top_items - 1
                    }
                };
                let hash = item_hash(parent, n);
                add(hash, Span::new(line_no, indent as u32 + 1));
                stack.push(Frame {
                    indent,
                    hash,
                    item: true,
                    count: 0,
                });
                let after = rest[1..].trim_start_matches(' ');
                indent += rest.len() - after.len();
                rest = after;
                if rest.is_empty() {
                    continue;
                }
            }
            if let Some(key) = key_of(rest) {
                while stack.last().is_some_and(|f| f.indent >= indent) {
                    stack.pop();
                }
                let parent = stack.last().map(|f| f.hash).unwrap_or(ROOT);
                let hash = key_hash(parent, key);
                add(hash, Span::new(line_no, indent as u32 + 1));
                let value = rest[key.len()..]
                    .trim_start_matches(['"', '\''])
                    .trim_start_matches(':')
                    .trim();
                if value.starts_with('|') || value.starts_with('>') {
                    block_scalar = Some(indent);
                }
                stack.push(Frame {
                    indent,
                    hash,
                    item: false,
                    count: 0,
                });
            }
        }
        Positions {
            entries,
            first: Span::new(first_line, 1),
        }
    }

    /// The span of `path`, else of its nearest indexed ancestor, else the first line.
    pub(crate) fn at(&self, path: &str) -> Span {
        prefix_hashes(path)
            .iter()
            .rev()
            .find_map(|h| self.entries.iter().find(|(x, _)| x == h).map(|(_, s)| *s))
            .unwrap_or(self.first)
    }
}

fn key_of(s: &str) -> Option<&str> {
    let (key, quoted) = if let Some(r) = s.strip_prefix('"') {
        (&r[..r.find('"')?], true)
    } else if let Some(r) = s.strip_prefix('\'') {
        (&r[..r.find('\'')?], true)
    } else {
        let i = s.find(':')?;
        (&s[..i], false)
    };
    let after = if quoted {
        &s[key.len() + 2..]
    } else {
        &s[key.len()..]
    };
    let after = after.strip_prefix(':')?;
    if !(after.is_empty() || after.starts_with(' ') || after.starts_with('\t')) {
        return None;
    }
    if key.is_empty() || key.contains(['{', '[', '#']) {
        return None;
    }
    Some(key)
}
