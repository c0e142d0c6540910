use super::*;
use crate::model::{ActionEntry, DueSpec, Note, Span};

#[test]
fn split_finds_body_line() {
    let s = split("---\ntitle: x\n---\nbody\n").unwrap();
    assert_eq!(s.yaml, "title: x\n");
    assert_eq!(s.body, "body\n");
    assert_eq!(s.body_line, 4);
    let s = split("---\r\ntitle: x\r\n---\r\nbody").unwrap();
    assert_eq!(s.yaml, "title: x\r\n");
    assert_eq!(s.body, "body");
    assert!(split("---\ntitle: x\n").is_err());
    assert!(!split("# Hello\n---\n").unwrap().has_front_matter);
}

#[test]
fn positions_of_nested_keys() {
    let y = "title: x\nactions:\n  - owner: A\n    task: t\n  - ref: a-1\n    status: done\nagenda:\n- one\n- two\n";
    let p = Positions::index(y, 2);
    assert_eq!(p.at("actions"), Span::new(3, 1));
    assert_eq!(p.at("actions[0]"), Span::new(4, 3));
    assert_eq!(p.at("actions[0].task"), Span::new(5, 5));
    assert_eq!(p.at("actions[1].status"), Span::new(7, 5));
    assert_eq!(p.at("agenda[1]"), Span::new(10, 1));
    assert_eq!(p.at("nothing.here"), Span::new(2, 1));
}

fn read(yaml: &str, strict: bool) -> (Note, Vec<Diagnostic>) {
    let mut note = Note::default();
    let doc = parse_yaml("n.md", yaml, 2).unwrap();
    let mut r = Reader::new("n.md", yaml, 2, strict);
    r.read_meeting(&doc, &mut note);
    (note, r.diags)
}

#[test]
fn reads_every_problem_at_its_line() {
    let (_, d) = read(
        "date: 2022-02-30\ntime: 25:99\natendees: [A]\nstatus: finished\n",
        true,
    );
    let lines: Vec<_> = d.iter().map(|d| (d.line, d.code.as_str())).collect();
    assert!(lines.contains(&(2, "invalid-value")));
    assert!(lines.contains(&(3, "invalid-value")));
    assert!(lines.contains(&(4, "unknown-key")));
    assert!(lines.contains(&(5, "invalid-value")));
    let unknown = d.iter().find(|d| d.code == "unknown-key").unwrap();
    assert_eq!(unknown.help.as_deref(), Some("did you mean `attendees`?"));
}

#[test]
fn lax_mode_warns() {
    let (_, d) = read("atendees: [A]\n", false);
    assert!(d.iter().all(|d| !d.is_error()));
}

#[test]
fn reads_actions() {
    let y = "actions:\n  - id: lf\n    owner: [A, B]\n    task: Do it\n    due: next meeting\n  - ref: g-20220101-1\n    status: done\n  - task: no owner\n";
    let (n, d) = read(y, true);
    assert_eq!(n.actions.len(), 2);
    match &n.actions[0] {
        ActionEntry::New(i) => {
            assert_eq!(i.owners.len(), 2);
            assert_eq!(i.due, Some(DueSpec::Meetings(1)));
            assert_eq!(i.span.line, 3);
        }
        _ => panic!("expected a new item"),
    }
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "item-without-owner");
    assert_eq!(d[0].line, 9);
}

#[test]
fn colon_in_agenda_text_is_text() {
    let (n, d) = read(
        "agenda:\n  - Embargo policy: final vote\noutcomes:\n  - Agreed: yes\n",
        true,
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(n.agenda[0].title, "Embargo policy: final vote");
    assert_eq!(n.outcomes[0].text, "Agreed: yes");
}

#[test]
fn alias_bomb_is_an_error() {
    let mut y = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
    for (p, c) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        y.push_str(&format!(
            "{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        ));
    }
    let e = parse_yaml("n.md", &y, 2).unwrap_err();
    assert_eq!(e.code, "yaml-syntax");
}

#[test]
fn due_forms() {
    assert_eq!(parse_due("+3 meetings"), Some(DueSpec::Meetings(3)));
    assert_eq!(parse_due("Next meeting"), Some(DueSpec::Meetings(1)));
    assert_eq!(parse_due("2022-02-30"), None);
}
