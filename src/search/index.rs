//! The search index: records into gzip-compressed JSON chunks under `search/`.
//!
//! - `search/meta.json`: the chunk boundaries and the filters' value names.
//! - `search/p/<n>.jz`: postings by English stem (Porter2, `rust-stemmers`):
//!   `{"stem": [[surface forms], [doc delta, score, doc delta, score, …]]}`,
//!   chunked by stem so a query loads only the chunks of its words.
//! - `search/w/<n>.jz`: surface word to stem (`{"drafts": "draft"}`), for every
//!   word whose stem differs from it, so the browser needs no stemmer.
//! - `search/f.jz`: per document: group, kind, status bits, year, date (days
//!   since 1970, for the newest-first tie-break and sort); and
//!   `search/pp.jz`: per document, the people it concerns.
//! - `search/d/<n>.jz`: what a result shows (url, title, date, text for the
//!   excerpt), [`FRAGMENT_SHARD`] documents a file.
//!
//! Documents are numbered in (group, kind, date) order, so the filter arrays
//! compress to almost nothing. Scores: a word in the title counts 120, in
//! the agenda (or an item's id) 60, and each use in the rest 1 (at most 60),
//! so title and agenda matches rank first; equal scores rank newest first
//! (the browser), never by group. Owners, aliases, handles and attendees
//! are indexed ([`Record::hidden`]) but kept out of the excerpts.

use super::{Kind, Record, STATUSES};
use crate::model::{GroupId, Site};
use flate2::{write::GzEncoder, Compression};
use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::io::Write;

use crate::output::OutputFile;

/// Documents per fragment file.
pub const FRAGMENT_SHARD: usize = 8;
/// Uncompressed bytes a postings chunk grows to before a new one starts.
const CHUNK_BYTES: usize = 40 * 1024;
/// Uncompressed bytes of a word-map chunk.
const WORD_CHUNK_BYTES: usize = 24 * 1024;
/// Characters of a document's text kept for excerpts.
const EXCERPT_CHARS: usize = 2500;
/// Score of a word in the title, in the agenda, and the cap of the rest.
const TITLE: u32 = 120;
const STRONG: u32 = 60;
const TEXT_CAP: u32 = 60;

/// The words of `text` as the index and the browser see them: runs of
/// letters and digits, lowercased, single letters left out.
pub fn words(lower: &str) -> impl Iterator<Item = &str> {
    lower.split(|c: char| !c.is_alphanumeric()).filter(|w| {
        !w.is_empty() && (w.chars().nth(1).is_some() || w.as_bytes()[0].is_ascii_digit())
    })
}

/// The English stem of a lowercase word, as the index stores it.
pub fn stem(word: &str) -> String {
    Stemmer::create(Algorithm::English).stem(word).into_owned()
}

/// Compares as JavaScript compares strings (UTF-16 code units), so the
/// browser finds chunks by the same order.
fn js_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

type Postings = Vec<(u32, u8)>;

/// Per surface word, the documents using it and their scores.
fn surface_postings(docs: &[&Record]) -> HashMap<String, Postings> {
    docs.par_iter()
        .enumerate()
        .with_min_len(64)
        .fold(HashMap::<String, Postings>::new, |mut acc, (i, r)| {
            let title = r.title.to_lowercase();
            let strong = r.strong.to_lowercase();
            let text = r.text.to_lowercase();
            let mut hidden = r.hidden.to_lowercase();
            // A title quorum made counts as plain text (see `Record::made_title`).
            let title = if r.made_title {
                hidden.push(' ');
                hidden.push_str(&title);
                String::new()
            } else {
                title
            };
            let mut local: HashMap<&str, u32> = HashMap::new();
            for w in words(&text).chain(words(&hidden)) {
                let e = local.entry(w).or_insert(0);
                if *e < TEXT_CAP {
                    *e += 1;
                }
            }
            for w in words(&strong) {
                let e = local.entry(w).or_insert(0);
                if *e & (1 << 16) == 0 {
                    *e |= 1 << 16;
                }
            }
            for w in words(&title) {
                *local.entry(w).or_insert(0) |= 1 << 17;
            }
            for (w, v) in local {
                let score = (v & 0xffff)
                    + if v & (1 << 16) != 0 { STRONG } else { 0 }
                    + if v & (1 << 17) != 0 { TITLE } else { 0 };
                let p = (i as u32, score.min(255) as u8);
                match acc.get_mut(w) {
                    Some(list) => list.push(p),
                    None => {
                        acc.insert(w.to_string(), vec![p]);
                    }
                }
            }
            acc
        })
        .reduce(HashMap::new, |mut a, mut b| {
            if a.len() < b.len() {
                std::mem::swap(&mut a, &mut b);
            }
            for (w, mut list) in b {
                a.entry(w).or_default().append(&mut list);
            }
            a
        })
}

/// A stem with its surface forms and postings.
struct StemEntry {
    stem: String,
    forms: Vec<String>,
    postings: Postings,
}

fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::new(level));
    // Writing into a Vec cannot fail.
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Cuts `entries` (already serialised, in key order) into chunks of about
/// `max` bytes; returns each chunk's first key and its JSON object text.
fn chunks(entries: Vec<(String, String)>, max: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut cur = String::new();
    let mut first = String::new();
    for (key, body) in entries {
        if cur.is_empty() {
            first = key.clone();
            cur.push('{');
        } else {
            cur.push(',');
        }
        cur.push_str(&json_str(&key));
        cur.push(':');
        cur.push_str(&body);
        if cur.len() >= max {
            cur.push('}');
            out.push((std::mem::take(&mut first), std::mem::take(&mut cur)));
        }
    }
    if !cur.is_empty() {
        cur.push('}');
        out.push((first, cur));
    }
    out
}

/// Builds the index files of `records` (see the module docs).
pub fn build(site: &Site, records: &[Record]) -> Vec<OutputFile> {
    let mut docs: Vec<&Record> = records.iter().collect();
    docs.sort_by(|a, b| {
        (
            a.group.map_or(usize::MAX, GroupId::index),
            a.kind,
            a.date,
            &a.url,
        )
            .cmp(&(
                b.group.map_or(usize::MAX, GroupId::index),
                b.kind,
                b.date,
                &b.url,
            ))
    });
    let (stems, word_map) = stem_index(&docs);
    let stem_entries: Vec<(String, String)> = stems
        .par_iter()
        .map(|e| (e.stem.clone(), stem_body(e)))
        .collect();
    let stem_chunks = chunks(stem_entries, CHUNK_BYTES);
    let word_chunks = chunks(word_map, WORD_CHUNK_BYTES);
    let mut years: Vec<i32> = docs.iter().filter_map(|r| r.year()).collect();
    years.sort_unstable();
    years.dedup();
    let f = filters(&docs, &years);
    let pp = people_lists(&docs);
    let fragments = fragments(&docs);
    let meta = serde_json::json!({
        "v": 1,
        "n": docs.len(),
        "frag": FRAGMENT_SHARD,
        "stems": stem_chunks.iter().map(|c| &c.0).collect::<Vec<_>>(),
        "words": word_chunks.iter().map(|c| &c.0).collect::<Vec<_>>(),
        "groups": site.groups.iter().map(|g| &g.name).collect::<Vec<_>>(),
        "people": site.people.iter().map(|p| &p.name).collect::<Vec<_>>(),
        "kinds": Kind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        "statuses": STATUSES,
        "years": years,
    });
    let mut files: Vec<(String, String, u32)> = Vec::new();
    for (n, (_, body)) in stem_chunks.into_iter().enumerate() {
        files.push((format!("search/p/{n}.jz"), body, 6));
    }
    for (n, (_, body)) in word_chunks.into_iter().enumerate() {
        files.push((format!("search/w/{n}.jz"), body, 6));
    }
    files.push(("search/f.jz".into(), f, 6));
    files.push(("search/pp.jz".into(), pp, 6));
    let mut out: Vec<OutputFile> = files
        .into_par_iter()
        .map(|(path, body, level)| OutputFile {
            path,
            bytes: gzip(body.as_bytes(), level),
        })
        .collect();
    out.extend(fragments);
    out.push(OutputFile {
        path: "search/meta.json".into(),
        bytes: meta.to_string().into_bytes(),
    });
    out
}

/// The postings of `docs` by stem, each stem's forms and postings sorted,
/// and the map from each word (and common inflection) to its stem; both
/// sorted as JavaScript compares strings.
fn stem_index(docs: &[&Record]) -> (Vec<StemEntry>, Vec<(String, String)>) {
    let surfaces: Vec<(String, Postings)> = surface_postings(docs).into_iter().collect();
    let stemmed: Vec<(String, String, Postings)> = surfaces
        .into_par_iter()
        .map_init(
            || Stemmer::create(Algorithm::English),
            |st, (w, p)| (st.stem(&w).into_owned(), w, p),
        )
        .collect();
    let mut word_map: Vec<(String, String)> = inflections(&stemmed);
    let mut by_stem: HashMap<String, (Vec<String>, Postings)> = HashMap::new();
    for (s, w, mut p) in stemmed {
        if s != w {
            word_map.push((w.clone(), json_str(&s)));
        }
        let e = by_stem.entry(s).or_default();
        e.0.push(w);
        e.1.append(&mut p);
    }
    let mut stems: Vec<StemEntry> = by_stem
        .into_iter()
        .map(|(stem, (forms, postings))| StemEntry {
            stem,
            forms,
            postings,
        })
        .collect();
    stems.par_iter_mut().for_each(|e| {
        e.forms.sort();
        e.postings.sort_unstable();
        // The same document under two forms of one stem: add the scores.
        e.postings.dedup_by(|later, kept| {
            if later.0 == kept.0 {
                kept.1 = kept.1.saturating_add(later.1);
                true
            } else {
                false
            }
        });
    });
    stems.sort_by(|a, b| js_cmp(&a.stem, &b.stem));
    word_map.sort_by(|a, b| js_cmp(&a.0, &b.0));

    (stems, word_map)
}

/// One stem's entry: `[[forms…],[doc delta, score, …]]`.
fn stem_body(e: &StemEntry) -> String {
    let mut body = String::with_capacity(e.postings.len() * 6 + 32);
    body.push_str("[[");
    for (i, f) in e.forms.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&json_str(f));
    }
    body.push_str("],[");
    let mut prev = 0u32;
    for (i, (d, s)) in e.postings.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&(d - prev).to_string());
        body.push(',');
        body.push_str(&s.to_string());
        prev = *d;
    }
    body.push_str("]]");
    body
}

/// The filter columns, one value per document: group, kind, status bits and year.
fn filters(docs: &[&Record], years: &[i32]) -> String {
    let mut f = String::from("{\"g\":[");
    join(
        &mut f,
        docs.iter()
            .map(|r| r.group.map_or(-1, |g| g.index() as i64)),
    );
    f.push_str("],\"k\":[");
    join(
        &mut f,
        docs.iter()
            .map(|r| Kind::ALL.iter().position(|k| *k == r.kind).unwrap_or(0) as i64),
    );
    f.push_str("],\"s\":[");
    join(
        &mut f,
        docs.iter()
            .map(|r| r.status.iter().fold(0i64, |bits, s| bits | (1 << s))),
    );
    f.push_str("],\"y\":[");
    join(
        &mut f,
        docs.iter().map(|r| {
            r.year()
                .and_then(|y| years.iter().position(|x| *x == y))
                .map_or(-1, |i| i as i64)
        }),
    );
    // Days since 1970 of each document's date (0 when it has none): the
    // browser's tie-break, newest first.
    f.push_str("],\"d\":[");
    join(
        &mut f,
        docs.iter().map(|r| {
            r.date
                .map_or(0, |d| (d - chrono::NaiveDate::default()).num_days())
        }),
    );
    f.push_str("]}");
    f
}

/// Each document's people, as a JSON array of arrays.
fn people_lists(docs: &[&Record]) -> String {
    let mut pp = String::from("[");
    for (i, r) in docs.iter().enumerate() {
        if i > 0 {
            pp.push(',');
        }
        pp.push('[');
        join(&mut pp, r.people.iter().map(|&p| p.index() as i64));
        pp.push(']');
    }
    pp.push(']');

    pp
}

/// The documents' display fragments (URL, title, date, excerpt), in shards
/// of [`FRAGMENT_SHARD`].
fn fragments(docs: &[&Record]) -> Vec<OutputFile> {
    docs.par_chunks(FRAGMENT_SHARD)
        .enumerate()
        .map(|(n, shard)| {
            let mut s = String::from("[");
            for (i, r) in shard.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                push_fragment(&mut s, r);
            }
            s.push(']');
            OutputFile {
                path: format!("search/d/{n}.jz"),
                bytes: gzip(s.as_bytes(), 3),
            }
        })
        .collect()
}

/// One document's fragment: `[url,title,date,excerpt]`.
fn push_fragment(s: &mut String, r: &Record) {
    let mut text = String::with_capacity(r.strong.len() + r.text.len() + 2);
    if !r.strong.is_empty() {
        text.push_str(&r.strong);
        text.push_str(" · ");
    }
    text.push_str(&r.text);
    let cut = text
        .char_indices()
        .nth(EXCERPT_CHARS)
        .map_or(text.len(), |(i, _)| i);
    text.truncate(cut);
    s.push('[');
    s.push_str(&json_str(&r.url));
    s.push(',');
    s.push_str(&json_str(&r.title));
    s.push(',');
    s.push_str(&json_str(
        &r.date.map(|d| d.to_string()).unwrap_or_default(),
    ));
    s.push(',');
    s.push_str(&json_str(text.trim()));
    s.push(']');
}

/// Common inflections of the corpus's words that it does not use itself
/// (`draft` → `drafts`, `drafted`, `drafting`), each kept only when the
/// stemmer gives it the same stem, so a query for an unseen form of a word
/// still finds it without a stemmer in the browser.
fn inflections(stemmed: &[(String, String, Postings)]) -> Vec<(String, String)> {
    let seen: std::collections::HashSet<&str> =
        stemmed.iter().map(|(_, w, _)| w.as_str()).collect();
    let mut out: Vec<(String, String)> = stemmed
        .par_iter()
        .filter(|(_, w, _)| w.chars().all(|c| c.is_alphabetic()) && w.chars().count() > 2)
        .map_init(
            || Stemmer::create(Algorithm::English),
            |st, (s, w, _)| {
                let mut forms = vec![
                    format!("{w}s"),
                    format!("{w}es"),
                    format!("{w}ed"),
                    format!("{w}d"),
                    format!("{w}ing"),
                ];
                if let Some(base) = w.strip_suffix('e') {
                    forms.push(format!("{base}ing"));
                }
                if let Some(base) = w.strip_suffix('y') {
                    forms.push(format!("{base}ies"));
                    forms.push(format!("{base}ied"));
                }
                forms
                    .into_iter()
                    .filter(|f| !seen.contains(f.as_str()) && st.stem(f) == s.as_str())
                    .map(|f| (f, json_str(s)))
                    .collect::<Vec<_>>()
            },
        )
        .flatten()
        .collect();
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

fn join(out: &mut String, values: impl Iterator<Item = i64>) {
    for (i, v) in values.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&v.to_string());
    }
}
