//! People as notes list them: `Name`, `Name (Affiliation)`, `Name @handle (role)`,
//! `[Name](link)`, `@handle`, comma-separated lists and table rows.

use super::text::{clean, norm_words, strip_inline_md};
use crate::model::{PersonRef, Span};

/// Entries that are not people.
const NON_NAMES: &[&str] = &[
    "none", "n/a", "na", "tbd", "tba", "nobody", "no one", "-", "--", "?", "all", "everyone",
    "name", "(none)", "...", "etc", "others",
];

/// Words that make a parenthesis a role rather than an affiliation.
const ROLE_WORDS: &[&str] = &[
    "chair",
    "co",
    "cochair",
    "vice",
    "moderator",
    "facilitator",
    "host",
    "note",
    "notes",
    "notetaker",
    "taker",
    "scribe",
    "secretary",
    "presenter",
    "speaker",
    "guest",
    "observer",
    "lead",
    "member",
    "voting",
    "regular",
    "tsc",
    "invited",
    "invitee",
    "emeritus",
    "liaison",
    "remote",
    "late",
    "partial",
    "left",
    "joined",
    "he",
    "she",
    "they",
    "him",
    "her",
    "them",
    "minutes",
    "maintainer",
    "champion",
    "convenor",
    "convener",
];

/// People in one list item, paragraph or label value: split at new lines,
/// commas and semicolons outside parentheses.
pub(crate) fn people_in(s: &str, span: Span) -> Vec<PersonRef> {
    let mut out = Vec::new();
    for line in s.lines() {
        // `Team members: Ana, Bo`: a short label before the names.
        let line = match line.split_once(": ") {
            Some((label, rest)) if label.split_whitespace().count() <= 3 => rest,
            _ => line,
        };
        let mut depth = 0i32;
        let mut start = 0;
        for (i, c) in line.char_indices() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                ',' | ';' if depth <= 0 => {
                    out.extend(parse_person(line.get(start..i).unwrap_or(""), span));
                    start = i + 1;
                }
                _ => {}
            }
        }
        out.extend(parse_person(line.get(start..).unwrap_or(""), span));
    }
    out
}

/// One person from a list item of a one-person-per-item list: `Name,
/// Organisation` is the name and its affiliation.
pub(crate) fn person_of_item(s: &str, span: Span) -> Vec<PersonRef> {
    let mut depth = 0i32;
    let mut cut = None;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' | ';' if depth <= 0 => {
                if cut.is_some() {
                    return people_in(s, span);
                }
                cut = Some(i);
            }
            _ => {}
        }
    }
    let Some(i) = cut else {
        return people_in(s, span);
    };
    let (name, org) = (
        s.get(..i).unwrap_or(""),
        clean(&strip_inline_md(s.get(i + 1..).unwrap_or(""))),
    );
    match parse_person(name, span) {
        Some(mut p) => {
            if p.affiliation.is_none() && !org.is_empty() && !is_role(&org) {
                p.affiliation = Some(org);
            }
            vec![p]
        }
        None => Vec::new(),
    }
}

/// Whether `s` reads as a person's name: one to five words, each capitalised
/// or a particle (`van`, `de`), or a single handle-like word.
pub(crate) fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    const PARTICLES: &[&str] = &[
        "van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "al", "bin", "del",
    ];
    words.iter().all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c == '@')
            || PARTICLES.contains(&w.to_lowercase().as_str())
    })
}

/// Words of template lines and instructions, never of a name.
const TEMPLATE_WORDS: &[&str] = &[
    "add",
    "your",
    "name",
    "names",
    "above",
    "below",
    "please",
    "attend",
    "attending",
    "before",
    "yourself",
    "here",
    "agenda",
    "sign",
    "list",
    "not",
    "this",
    "the",
    "if",
    "you",
    "to",
    "in",
    "meeting",
    "notes",
    "link",
    "join",
];

/// Whether an entry is a placeholder, an instruction or a sentence rather than a person.
fn not_a_person(s: &str) -> bool {
    let l = s.to_lowercase();
    if l.contains("http") || l.contains("www.") || s.ends_with(['!', '?']) {
        return true;
    }
    // Pronouns alone: `she/her`, `they/them`.
    let pron = [
        "he", "him", "his", "she", "her", "hers", "they", "them", "their", "ze", "xe",
    ];
    let parts: Vec<&str> = l.split(['/', ' ']).filter(|w| !w.is_empty()).collect();
    if !parts.is_empty() && parts.iter().all(|w| pron.contains(w)) {
        return true;
    }
    let words = norm_words(s);
    let templ = words
        .iter()
        .filter(|w| TEMPLATE_WORDS.contains(&w.as_str()))
        .count();
    templ >= 2 && templ * 2 >= words.len()
}

/// Emoji and other symbols dropped from a name (`Benjie Gillam ✏️`).
fn without_symbols(s: &str) -> String {
    s.chars()
        .filter(|c| {
            c.is_alphanumeric()
                || c.is_whitespace()
                || matches!(
                    c,
                    '.' | '-'
                        | '\''
                        | '’'
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '@'
                        | ','
                        | '&'
                        | '/'
                        | '_'
                        | '<'
                        | '>'
                        | ':'
                )
                || (c.is_ascii_punctuation())
        })
        .collect()
}

/// Several people joined by `,`, `&`, `/` or `and` (owners, moderators).
pub(crate) fn split_owners(s: &str) -> Vec<&str> {
    let mut parts = vec![s];
    for sep in [",", " & ", "&", " and ", " / ", "/", " + "] {
        parts = parts
            .into_iter()
            .flat_map(|p| p.split(sep))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
    }
    parts
}

fn trim_marks(s: &str) -> &str {
    s.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '*' | '_' | '•' | '·' | '.' | ',' | ';' | ':' | '"')
    })
}

/// One person from `raw`, or `None` when it is empty or not a name.
pub(crate) fn parse_person(raw: &str, span: Span) -> Option<PersonRef> {
    let mut s = without_symbols(&strip_inline_md(raw));
    if not_a_person(s.trim()) {
        return None;
    }
    s = trim_marks(&s)
        .trim_start_matches(['-', '+'])
        .trim()
        .to_string();
    if s.is_empty() || NON_NAMES.contains(&s.to_lowercase().as_str()) {
        return None;
    }
    let mut affiliation = None;
    let mut handle = None;
    let mut email = None;
    // Trailing parentheses: a handle, a role or an affiliation.
    while s.ends_with(')') {
        let Some(open) = s.rfind('(') else { break };
        let inner = clean(s.get(open + 1..s.len() - 1).unwrap_or(""));
        s = s.get(..open).unwrap_or("").trim_end().to_string();
        if let Some(h) = inner.strip_prefix('@') {
            handle.get_or_insert_with(|| h.to_string());
        } else if inner.contains('@') && inner.contains('.') && !inner.contains(' ') {
            email.get_or_insert(inner);
        } else if is_role(&inner) || inner.is_empty() {
        } else if affiliation.is_none() {
            affiliation = Some(inner);
        }
    }
    // `Terry [Amazon]`: an affiliation in trailing brackets.
    if s.ends_with(']') {
        if let Some(open) = s.rfind('[') {
            let inner = clean(s.get(open + 1..s.len() - 1).unwrap_or(""));
            let before = s.get(..open).unwrap_or("").trim_end().to_string();
            if !before.is_empty() && !inner.is_empty() {
                affiliation.get_or_insert(inner);
                s = before;
            }
        }
    }
    // Handles and emails among the words.
    let mut words = Vec::new();
    for w in s.split_whitespace() {
        let bare = w.trim_matches(|c: char| matches!(c, '<' | '>' | '(' | ')' | ','));
        if let Some(h) = bare.strip_prefix('@') {
            if !h.is_empty() {
                handle.get_or_insert_with(|| h.to_string());
            }
        } else if bare.contains('@') && bare.contains('.') {
            email.get_or_insert_with(|| bare.to_string());
        } else {
            words.push(w);
        }
    }
    let mut name = clean(&words.join(" "));
    // `Name - Affiliation`
    for sep in [" - ", " – ", " — ", " | "] {
        if let Some((a, b)) = name.clone().split_once(sep) {
            let b = b.trim();
            if a.split_whitespace().count() <= 4 && !a.trim().is_empty() {
                if !is_role(b) && affiliation.is_none() && !b.is_empty() {
                    affiliation = Some(b.to_string());
                }
                name = a.trim().to_string();
            }
            break;
        }
    }
    let name = trim_marks(&name).to_string();
    let name_ok = name.chars().any(char::is_alphabetic)
        && !not_a_person(&name)
        && name.split_whitespace().count() <= 6
        && !NON_NAMES.contains(&name.to_lowercase().as_str());
    let (name, handle) = match (name_ok, handle) {
        (true, h) => (name, h),
        (false, Some(h)) => (format!("@{h}"), None),
        (false, None) => return None,
    };
    Some(PersonRef {
        name,
        affiliation,
        email,
        handle,
        span,
    })
}

fn is_role(s: &str) -> bool {
    let words = norm_words(s);
    !words.is_empty()
        && words
            .iter()
            .any(|w| ROLE_WORDS.contains(&w.as_str()) || w.ends_with("chair"))
}

/// Which columns of an attendee table hold names and affiliations.
#[derive(Debug, Clone, Default)]
pub(crate) struct TableCols {
    name: Option<usize>,
    affiliation: Option<usize>,
}

impl TableCols {
    pub(crate) fn from_header(cells: &[String]) -> Self {
        let find = |keys: &[&str]| {
            cells
                .iter()
                .position(|c| norm_words(c).iter().any(|w| keys.contains(&w.as_str())))
        };
        TableCols {
            name: find(&[
                "name",
                "attendee",
                "attendees",
                "person",
                "who",
                "participant",
            ]),
            affiliation: find(&[
                "affiliation",
                "organization",
                "organisation",
                "company",
                "org",
                "employer",
            ]),
        }
    }

    pub(crate) fn person(&self, cells: &[String], span: Span) -> Option<PersonRef> {
        let cell = cells.get(self.name.unwrap_or(0))?;
        let mut p = parse_person(cell, span)?;
        if p.affiliation.is_none() {
            if let Some(a) = self.affiliation.and_then(|i| cells.get(i)) {
                let a = clean(a);
                if !a.is_empty() && a != "-" {
                    p.affiliation = Some(a);
                }
            }
        }
        Some(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<(String, Option<String>, Option<String>)> {
        people_in(s, Span::new(1, 1))
            .into_iter()
            .map(|p| (p.name, p.affiliation, p.handle))
            .collect()
    }

    #[test]
    fn forms() {
        assert_eq!(
            names("Mara Quill (Northwind), Tobias Fenn"),
            vec![
                ("Mara Quill".into(), Some("Northwind".into()), None),
                ("Tobias Fenn".into(), None, None)
            ]
        );
        assert_eq!(
            names("Ola Brant @obrant (voting member)"),
            vec![("Ola Brant".into(), None, Some("obrant".into()))]
        );
        assert_eq!(names("@kestrel"), vec![("@kestrel".into(), None, None)]);
        assert_eq!(
            names("**[Ida Moss](https://example.org/ida)**"),
            vec![("Ida Moss".into(), None, None)]
        );
        assert_eq!(names("None"), vec![]);
        assert_eq!(
            names("Guests: Ana Ruiz, Bo"),
            vec![("Ana Ruiz".into(), None, None), ("Bo".into(), None, None)]
        );
        assert_eq!(names("N/A; TBD"), vec![]);
        assert_eq!(
            names("Terry [Amazon]"),
            vec![("Terry".into(), Some("Amazon".into()), None)]
        );
        assert_eq!(
            names("Rui Sato - Acme Corp"),
            vec![("Rui Sato".into(), Some("Acme Corp".into()), None)]
        );
        assert_eq!(
            names("Lena Dahl (chair)"),
            vec![("Lena Dahl".into(), None, None)]
        );
        assert_eq!(
            split_owners("Ana & Bo and Cy, Di"),
            vec!["Ana", "Bo", "Cy", "Di"]
        );
    }
}
