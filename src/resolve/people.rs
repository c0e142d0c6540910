//! People: canonical names from people.yaml, and everyone else notes name.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Person, PersonEntry, PersonId, PersonRef, TiVec};
use crate::text::{fold, slug};
use std::collections::{HashMap, HashSet};

/// Resolves names, aliases and handles to people, adding unknown ones.
#[derive(Debug, Default)]
pub(crate) struct People {
    /// Everyone, declared first.
    pub list: TiVec<PersonId, Person>,
    by_key: HashMap<String, PersonId>,
    /// Names exactly as notes write them, once resolved (spares folding again).
    exact: HashMap<String, PersonId>,
    slugs: HashSet<String>,
    warned: HashSet<(String, String)>,
}

impl People {
    /// The people of people.yaml.
    pub(crate) fn new(entries: &[PersonEntry]) -> Self {
        let mut p = People::default();
        for e in entries {
            let id = p.add(Person {
                name: e.name.clone(),
                handle: e.handle.clone(),
                aliases: e.aliases.clone(),
                affiliation: e.affiliation.clone(),
                email: e.email.clone(),
                declared: true,
                ..Person::default()
            });
            // Names win over aliases and handles of others: insert names first.
            p.by_key.entry(fold(&e.name)).or_insert(id);
        }
        for (id, e) in entries.iter().enumerate() {
            let id = PersonId(id);
            for a in &e.aliases {
                p.by_key.entry(fold(a)).or_insert(id);
            }
            if let Some(h) = &e.handle {
                p.by_key.entry(format!("@{}", fold(h))).or_insert(id);
                p.by_key.entry(fold(h)).or_insert(id);
            }
        }
        p
    }

    fn add(&mut self, mut person: Person) -> PersonId {
        let base = match slug(&person.name) {
            s if s.is_empty() => "person".to_string(),
            s => s,
        };
        let mut s = base.clone();
        let mut n = 2;
        while !self.slugs.insert(s.clone()) {
            s = format!("{base}-{n}");
            n += 1;
        }
        person.url = format!("people/{s}/");
        person.slug = s;
        self.list.push_and_get_key(person)
    }

    /// The person a note's reference names; an unknown one is added under the
    /// name as written, and `check` warns (once per file and name).
    pub(crate) fn resolve(
        &mut self,
        r: &PersonRef,
        file: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> PersonId {
        let name = r.name.trim();
        if r.handle.is_none() {
            if let Some(&id) = self.exact.get(name) {
                return id;
            }
        }
        let id = self.resolve_folded(r, name, file, diags);
        if r.handle.is_none() {
            self.exact.insert(name.to_string(), id);
        }
        id
    }

    fn resolve_folded(
        &mut self,
        r: &PersonRef,
        name: &str,
        file: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> PersonId {
        let key = fold(name);
        let lookup = |k: &str| -> Option<PersonId> { self.by_key.get(k).copied() };
        let found = r
            .handle
            .as_deref()
            .and_then(|h| lookup(&format!("@{}", fold(h.trim_start_matches('@')))))
            .or_else(|| lookup(&key))
            .or_else(|| name.strip_prefix('@').and_then(|h| lookup(&fold(h))));
        if let Some(id) = found {
            return id;
        }
        if self.warned.insert((file.to_string(), key.clone())) {
            diags.push(
                Diagnostic::warning(
                    Code::UnknownPerson,
                    file,
                    r.span.line,
                    r.span.col,
                    format!("`{name}` is not in people.yaml"),
                )
                .with_help(
                    "add them to content/people.yaml, or use a name, alias or @handle it lists",
                ),
            );
        }
        let id = self.add(Person {
            name: name.to_string(),
            handle: r
                .handle
                .clone()
                .or_else(|| name.strip_prefix('@').map(String::from)),
            affiliation: r.affiliation.clone(),
            email: r.email.clone(),
            ..Person::default()
        });
        self.by_key.insert(key, id);
        if let Some(h) = &self.list[id].handle {
            let h = fold(h);
            self.by_key.entry(format!("@{h}")).or_insert(id);
        }
        id
    }

    /// Resolves a list of references, dropping repeats.
    pub(crate) fn resolve_all(
        &mut self,
        refs: &[PersonRef],
        file: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<PersonId> {
        let mut out: Vec<PersonId> = Vec::with_capacity(refs.len());
        for r in refs {
            let id = self.resolve(r, file, diags);
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    #[test]
    fn names_aliases_handles_and_unknowns() {
        let entries = vec![PersonEntry {
            name: "Pip Potter".into(),
            handle: Some("lmbr-pip".into()),
            aliases: vec!["Pip".into()],
            ..PersonEntry::default()
        }];
        let mut p = People::new(&entries);
        let mut d = Vec::new();
        let r = |n: &str| PersonRef::named(n, Span::new(3, 5));
        assert_eq!(p.resolve(&r("pip  potter"), "f", &mut d), PersonId(0));
        assert_eq!(p.resolve(&r("PIP"), "f", &mut d), PersonId(0));
        assert_eq!(p.resolve(&r("@lmbr-pip"), "f", &mut d), PersonId(0));
        assert!(d.is_empty());
        let ana = p.resolve(&r("Ana Costa"), "f", &mut d);
        assert_eq!(p.resolve(&r("ana costa"), "f", &mut d), ana);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].code.as_str(), d[0].line), ("unknown-person", 3));
        assert_eq!(p.list[ana].slug, "ana-costa");
    }
}
