//! Reading a group's `_group.md` and the site's people.yaml.

use crate::diagnostics::{nearest, Code, Diagnostic};
use crate::load::frontmatter::{parse_yaml, split, unclosed_diagnostic, Reader};
use crate::model::{GroupMeta, PersonEntry};
use serde_yaml::Value;

const GROUP_KEYS: &[&str] = &[
    "name",
    "chairs",
    "members",
    "quorum",
    "cadence",
    "charter",
    "description",
    "split",
];

pub(super) fn read_group(
    text: &str,
    rel: &str,
    strict: bool,
    meta: &mut GroupMeta,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let Ok(parts) = split(text) else {
        diags.push(unclosed_diagnostic(rel));
        return diags;
    };
    meta.body = parts.body.to_string();
    if !parts.has_front_matter {
        return diags;
    }
    let doc = match parse_yaml(rel, parts.yaml, parts.yaml_line) {
        Ok(d) => d,
        Err(d) => return vec![d],
    };
    let mut r = Reader::new(rel, parts.yaml, parts.yaml_line, strict);
    if let Value::Mapping(m) = &doc {
        for (k, v) in m {
            let key = k.as_str().unwrap_or("?");
            match key {
                "name" => meta.name = r.text(v, key),
                "chairs" => meta.chairs = r.people(v, key),
                "members" => meta.members = r.people(v, key),
                "cadence" => meta.cadence = r.text(v, key),
                "charter" => meta.charter = r.text(v, key),
                "description" => meta.description = r.text(v, key),
                "split" => match v.as_bool() {
                    Some(b) => meta.split = Some(b),
                    None => r.invalid(
                        key,
                        "split must be true or false".into(),
                        "write `split: false` to read each file as one meeting",
                    ),
                },
                "quorum" => match v.as_f64() {
                    Some(q) if q > 0.0 => meta.quorum = Some(q),
                    _ => r.invalid(
                        key,
                        "quorum must be a positive number".into(),
                        "write a count (e.g. 3) or a fraction of members (e.g. 0.5)",
                    ),
                },
                _ => {
                    let s = r.span(key);
                    let help = nearest(key, GROUP_KEYS)
                        .map(|n| format!("did you mean `{n}`?"))
                        .unwrap_or_else(|| format!("known keys: {}", GROUP_KEYS.join(", ")));
                    r.diags.push(
                        Diagnostic::error(
                            Code::UnknownKey,
                            rel,
                            s.line,
                            s.col,
                            format!("unknown key `{key}`"),
                        )
                        .with_help(help)
                        .downgraded(!strict),
                    );
                }
            }
        }
    }
    diags.append(&mut r.diags);
    diags
}

const PERSON_ENTRY_KEYS: &[&str] = &["name", "handle", "aliases", "affiliation", "email"];

/// Reads people.yaml: a list of people.
pub(crate) fn read_people(
    text: &str,
    rel: &str,
    strict: bool,
) -> (Vec<PersonEntry>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let doc = match parse_yaml(rel, text, 1) {
        Ok(d) => d,
        Err(mut d) => {
            d.message = d.message.replace("front matter", "people.yaml");
            return (Vec::new(), vec![d]);
        }
    };
    let seq = match doc {
        Value::Sequence(s) => s,
        Value::Null => return (Vec::new(), diags),
        _ => {
            diags.push(
                Diagnostic::error(
                    Code::InvalidPeople,
                    rel,
                    1,
                    1,
                    "people.yaml must be a list of people",
                )
                .with_help("write one `- name: Full Name` entry per person"),
            );
            return (Vec::new(), diags);
        }
    };
    let mut out = Vec::new();
    // One reader (and one index of positions) for the whole file.
    let mut r = Reader::new(rel, text, 1, strict);
    for (i, entry) in seq.iter().enumerate() {
        let at = format!("[{i}]");
        let span = r.span(&at);
        let Value::Mapping(m) = entry else {
            diags.push(Diagnostic::error(
                Code::InvalidPeople,
                rel,
                span.line,
                span.col,
                "each person must be a map with a `name`",
            ));
            continue;
        };
        for k in m.keys() {
            let k = k.as_str().unwrap_or("?");
            if !PERSON_ENTRY_KEYS.contains(&k) {
                let s = r.span(&format!("{at}.{k}"));
                let help = nearest(k, PERSON_ENTRY_KEYS)
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| format!("known keys: {}", PERSON_ENTRY_KEYS.join(", ")));
                diags.push(
                    Diagnostic::error(
                        Code::UnknownKey,
                        rel,
                        s.line,
                        s.col,
                        format!("unknown key `{k}`"),
                    )
                    .with_help(help)
                    .downgraded(!strict),
                );
            }
        }
        let get = |r: &mut Reader, k: &str| m.get(k).and_then(|v| r.text(v, &format!("{at}.{k}")));
        let Some(name) = get(&mut r, "name") else {
            diags.push(
                Diagnostic::error(
                    Code::InvalidPeople,
                    rel,
                    span.line,
                    span.col,
                    "this person has no `name`",
                )
                .with_help("add `name: Full Name`"),
            );
            continue;
        };
        let aliases = m
            .get("aliases")
            .map(|a| {
                r.people(a, &format!("{at}.aliases"))
                    .into_iter()
                    .map(|p| p.name)
                    .collect()
            })
            .unwrap_or_default();
        out.push(PersonEntry {
            handle: get(&mut r, "handle").map(|h| h.trim_start_matches('@').to_string()),
            affiliation: get(&mut r, "affiliation"),
            email: get(&mut r, "email"),
            name,
            aliases,
            span,
        });
        diags.append(&mut r.diags);
    }
    diags.extend(conflicts(&out, rel));
    (out, diags)
}

/// People of people.yaml who claim one name: two names equal after folding
/// case and white space, or an alias or handle claimed by two people. A
/// warning at the later entry, naming both; a name wins over an alias or
/// handle, else the earlier entry wins (as references resolve).
fn conflicts(people: &[PersonEntry], rel: &str) -> Vec<Diagnostic> {
    use crate::text::fold;
    use std::collections::HashMap;
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut diags = Vec::new();
    let mut warn = |later: &PersonEntry, msg: String| {
        diags.push(
            Diagnostic::warning(
                Code::PeopleConflict,
                rel,
                later.span.line,
                later.span.col,
                msg,
            )
            .with_help("keep the name, alias or handle on one person only"),
        );
    };
    for (i, p) in people.iter().enumerate() {
        match names.get(&fold(&p.name)) {
            Some(&first) => warn(p, format!(
                "`{}` and `{}` (line {}) are one name after folding case and white space; references resolve to `{}`",
                p.name, people[first].name, people[first].span.line, people[first].name
            )),
            None => {
                names.insert(fold(&p.name), i);
            }
        }
    }
    let mut claimed: HashMap<String, usize> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        let handle = p.handle.iter().map(|h| ("handle", h));
        for (what, key) in p.aliases.iter().map(|a| ("alias", a)).chain(handle) {
            let folded = fold(key);
            let owner = names.get(&folded).or_else(|| claimed.get(&folded)).copied();
            match owner {
                Some(o) if o != i => {
                    let first = &people[o];
                    warn(p, format!(
                        "the {what} `{key}` of `{}` is also claimed by `{}` (line {}); references resolve to `{}`",
                        p.name, first.name, first.span.line, first.name
                    ));
                }
                _ => {
                    claimed.entry(folded).or_insert(i);
                }
            }
        }
    }
    diags
}
