use super::index::{build, stem, words};
use super::*;
use crate::model::ItemId;
use crate::model::OutcomeKind;
use crate::output::OutputFile;
use flate2::read::GzDecoder;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

fn example() -> Site {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    // What the build indexes: the site without its private parts.
    crate::resolve::private::publishable(crate::build::load(root, today, false).unwrap().site)
}

/// The index files, decompressed, by path.
fn decoded(files: &[OutputFile]) -> BTreeMap<String, Value> {
    files
        .iter()
        .filter(|f| f.path.ends_with(".jz") || f.path.ends_with(".json"))
        .map(|f| {
            let mut text = String::new();
            if f.bytes.starts_with(&[0x1f, 0x8b]) {
                GzDecoder::new(&f.bytes[..])
                    .read_to_string(&mut text)
                    .unwrap();
            } else {
                text = String::from_utf8(f.bytes.clone()).unwrap();
            }
            (f.path.clone(), serde_json::from_str(&text).unwrap())
        })
        .collect()
}

/// What the browser does for one word: its stem, its chunk, its documents
/// (url, title, score), best first.
fn lookup(ix: &BTreeMap<String, Value>, word: &str) -> Vec<(String, String, u64)> {
    let meta = &ix["search/meta.json"];
    let chunk_of = |firsts: &Value, key: &str| {
        firsts
            .as_array()
            .unwrap()
            .iter()
            .rposition(|f| f.as_str().unwrap() <= key)
    };
    let stem = match chunk_of(&meta["words"], word) {
        Some(i) => ix[&format!("search/w/{i}.jz")][word]
            .as_str()
            .unwrap_or(word)
            .to_string(),
        None => word.to_string(),
    };
    let Some(i) = chunk_of(&meta["stems"], &stem) else {
        return vec![];
    };
    let Some(entry) = ix[&format!("search/p/{i}.jz")].get(&stem) else {
        return vec![];
    };
    let postings = entry[1].as_array().unwrap();
    let frag = meta["frag"].as_u64().unwrap();
    let mut doc = 0;
    let mut out = Vec::new();
    for pair in postings.chunks(2) {
        doc += pair[0].as_u64().unwrap();
        let shard = &ix[&format!("search/d/{}.jz", doc / frag)];
        let f = &shard[(doc % frag) as usize];
        out.push((
            f[0].as_str().unwrap().to_string(),
            f[1].as_str().unwrap().to_string(),
            pair[1].as_u64().unwrap(),
        ));
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.2));
    out
}

#[test]
fn every_meeting_item_decision_person_and_group_is_a_record() {
    let site = example();
    let recs = records(&site);
    let count = |k: Kind| recs.iter().filter(|r| r.kind == k).count();
    assert_eq!(count(Kind::Meeting), site.meetings.len());
    assert_eq!(count(Kind::Action), site.items.len());
    assert_eq!(count(Kind::Person), site.people.len());
    assert_eq!(count(Kind::Group), site.groups.len());
    let decisions: usize = site
        .meetings
        .iter()
        .map(|m| {
            m.outcomes
                .iter()
                .filter(|o| o.kind != OutcomeKind::Outcome)
                .count()
        })
        .sum();
    assert!(decisions > 0);
    assert_eq!(count(Kind::Decision), decisions);
}

#[test]
fn a_decision_carries_its_id_and_state() {
    let site = example();
    let recs = records(&site);
    let status = |s: &str| STATUSES.iter().position(|x| *x == s).unwrap() as u8;
    let old = recs
        .iter()
        .find(|r| r.url == "decisions/steering-20260603-d1/")
        .unwrap();
    assert_eq!(old.kind, Kind::Decision);
    assert_eq!(old.strong, "steering-20260603-d1");
    assert_eq!(old.status, vec![status("superseded")]);
    let new = recs
        .iter()
        .find(|r| r.url == "decisions/steering-20261007-d1/")
        .unwrap();
    assert_eq!(new.status, vec![status("in-force")]);
    assert!(
        new.text.contains("supersedes steering-20260603-d1"),
        "{}",
        new.text
    );
}

#[test]
fn an_action_item_carries_its_owners_and_status() {
    let site = example();
    let recs = records(&site);
    let item = &site.items[ItemId(0)];
    let r = recs.iter().find(|r| r.url == item.url).unwrap();
    assert_eq!(r.people, item.owners);
    let owner = &site.people[item.owners[0]].name;
    // The owner finds the item, but their names and handles stay out of the excerpt.
    assert!(
        r.hidden.contains(owner.as_str()),
        "{} lacks {owner}",
        r.hidden
    );
    assert!(!r.text.contains(owner.as_str()), "{} shows {owner}", r.text);
    assert!(r.status.contains(
        &(STATUSES
            .iter()
            .position(|s| *s == item.status.as_str())
            .unwrap() as u8)
    ));
}

#[test]
fn words_are_lowercase_runs_without_single_letters() {
    let lower = "pip's draft-2, a b 7 inès".to_lowercase();
    let w: Vec<&str> = words(&lower).collect();
    assert_eq!(w, ["pip", "draft", "2", "7", "inès"]);
    assert_eq!(stem("drafts"), "draft");
    assert_eq!(stem("drafting"), "draft");
}

#[test]
fn a_word_finds_its_meeting_and_a_title_match_ranks_first() {
    let site = example();
    let ix = decoded(&build(&site, &records(&site)));
    let found = lookup(&ix, "charter");
    assert!(
        found
            .iter()
            .any(|(url, _, _)| url == "groups/steering/2025-02-05/"),
        "{found:?}"
    );
    // "Adopt the revised governance charter" is a decision: "charter" in its title.
    let first = &found[0];
    assert!(first.1.to_lowercase().contains("charter"), "{found:?}");
    assert!(found.iter().all(|f| f.2 <= first.2));
}

#[test]
fn a_stemmed_form_finds_the_same_documents() {
    let site = example();
    let ix = decoded(&build(&site, &records(&site)));
    let drafts = lookup(&ix, "drafts");
    let draft = lookup(&ix, "draft");
    assert!(!draft.is_empty());
    assert_eq!(drafts, draft);
    assert!(draft
        .iter()
        .any(|(_, title, _)| title == "Draft the embargo policy for coordinated disclosure"));
}

#[test]
fn an_owner_name_finds_their_action_items() {
    let site = example();
    let ix = decoded(&build(&site, &records(&site)));
    let found = lookup(&ix, "quintero");
    let p = site
        .people
        .position(|p| p.name == "Rafael Quintero")
        .unwrap();
    let owned: Vec<&str> = site
        .items
        .iter()
        .filter(|i| i.owners.contains(&p))
        .map(|i| i.url.as_str())
        .collect();
    assert!(!owned.is_empty());
    for url in owned {
        assert!(found.iter().any(|f| f.0 == url), "{url} not in {found:?}");
    }
}

#[test]
fn filters_name_every_group_and_give_each_document_its_values() {
    let site = example();
    let recs = records(&site);
    let ix = decoded(&build(&site, &recs));
    let meta = &ix["search/meta.json"];
    assert_eq!(meta["n"].as_u64().unwrap() as usize, recs.len());
    assert_eq!(meta["groups"].as_array().unwrap().len(), site.groups.len());
    let f = &ix["search/f.jz"];
    for key in ["g", "k", "s", "y", "d"] {
        assert_eq!(f[key].as_array().unwrap().len(), recs.len(), "{key}");
    }
    assert_eq!(ix["search/pp.jz"].as_array().unwrap().len(), recs.len());
}

#[test]
fn plain_text_leaves_out_table_and_strikethrough_syntax() {
    let t = plain_text(
        "| Area | Lead |\n| --- | --- |\n| Docs | Ana |\n\n~~old~~ new.\n\n- [x] done\n",
    );
    assert!(
        !t.contains('|') && !t.contains("---") && !t.contains('~') && !t.contains("[x]"),
        "{t}"
    );
    assert!(t.contains("Area Lead") && t.contains("Docs Ana"), "{t}");
    assert!(!t.contains(".."), "{t}");
}

#[test]
fn every_document_has_its_date_for_the_newest_first_tie_break() {
    let site = example();
    let recs = records(&site);
    let ix = decoded(&build(&site, &recs));
    let days: Vec<i64> = ix["search/f.jz"]["d"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    let dated = recs.iter().filter(|r| r.date.is_some()).count();
    assert_eq!(days.iter().filter(|&&d| d > 0).count(), dated);
    // 2025-02-05 is day 20124 since 1970-01-01.
    assert!(days.contains(&20124));
}

#[test]
fn an_empty_site_gives_a_valid_empty_index() {
    let site = Site::default();
    let ix = decoded(&build(&site, &records(&site)));
    assert_eq!(ix["search/meta.json"]["n"], 0);
    assert!(lookup(&ix, "charter").is_empty());
}
