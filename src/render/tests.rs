//! Rendering a small hand-built site: what a reader of the pages would notice.

use super::*;
use crate::model::*;
use chrono::{NaiveDate, NaiveTime};
use std::collections::BTreeSet;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn person(name: &str, slug: &str, affiliation: Option<&str>) -> Person {
    Person {
        name: name.into(),
        slug: slug.into(),
        affiliation: affiliation.map(str::to_string),
        email: Some(format!("{slug}@example.org")),
        url: format!("people/{slug}/"),
        ..Default::default()
    }
}

fn meeting(group: usize, key: &str, date: &str) -> Meeting {
    Meeting {
        path: format!("content/{key}/{date}.md"),
        url: format!("groups/{key}/{date}/"),
        title: "SIG Security meeting".into(),
        time: Some(NaiveTime::from_hms_opt(18, 30, 0).unwrap()),
        timezone: "Europe/Berlin".into(),
        ..crate::resolve::fixture::meeting(group, date, MeetingStatus::Held)
    }
}

fn step(meeting: usize, kind: StepKind, status: ItemStatus) -> HistoryStep {
    crate::resolve::fixture::step(MeetingId(meeting), kind, status)
}

fn item(id: &str, group: usize, owners: Vec<usize>, task: &str, opened_in: usize) -> ActionItem {
    let owners = owners.into_iter().map(PersonId).collect();
    let opened = vec![step(opened_in, StepKind::Opened, ItemStatus::Open)];
    ActionItem {
        explicit_id: false,
        group: GroupId(group),
        task: task.into(),
        url: format!("actions/{id}/"),
        ..crate::resolve::fixture::item(id, owners, opened)
    }
}

const HOSTILE: &str = "<script>alert('x')</script>";

/// Two groups, four people (one with a hostile name), three meetings of
/// sig-security (the second full of hostile text), one of the board.
pub(super) fn site() -> Site {
    let people = vec![
        person("Alice Example", "alice-example", Some("Amazon")),
        person("Bob Builder", "bob-builder", None),
        person("Carol <b>Bold</b>", "carol-bold", Some("\"Quoted\" & Co")),
        person(HOSTILE, "script", None),
    ];
    let groups = vec![
        Group {
            key: "board".into(),
            name: "Board".into(),
            meetings: vec![MeetingId(3)],
            url: "groups/board/".into(),
            ..Default::default()
        },
        Group {
            key: "sig-security".into(),
            name: "SIG Security".into(),
            description: Some("Security <em>matters</em>".into()),
            body: "Our **charter** work.\n\n<img src=x onerror=alert(1)>".into(),
            chairs: vec![PersonId(0)],
            members: vec![PersonId(0), PersonId(1), PersonId(2)],
            quorum: Some(0.5),
            cadence: Some("every 2 weeks".into()),
            cadence_line: 3,
            charter: Some("javascript:alert(1)".into()),
            meetings: vec![MeetingId(0), MeetingId(1), MeetingId(2)],
            path: Some("content/sig-security/_group.md".into()),
            url: "groups/sig-security/".into(),
        },
    ];
    let mut m0 = meeting(1, "sig-security", "2022-01-05");
    m0.attendees = vec![
        Attendee {
            person: PersonId(0),
            affiliation: Some("Amazon".into()),
        },
        Attendee {
            person: PersonId(1),
            affiliation: None,
        },
    ];
    m0.regrets = vec![PersonId(2)];
    m0.moderators = vec![PersonId(0)];
    m0.note_takers = vec![PersonId(1)];
    m0.location = Some("[Zoom](https://zoom.example/j/1)".into());
    m0.agenda = vec![AgendaItem {
        title: "Charter redraft".into(),
        link: Some("https://github.com/o/r/discussions/9".into()),
    }];
    m0.outcomes = vec![
        Outcome {
            text: "Adopt the charter draft".into(),
            kind: OutcomeKind::Decision,
            votes: Some(Votes {
                for_: 5,
                against: 0,
                abstain: 1,
            }),
            ..Default::default()
        },
        Outcome {
            text: "Talk more".into(),
            kind: OutcomeKind::Outcome,
            votes: None,
            ..Default::default()
        },
    ];
    m0.opened = vec![ItemId(0), ItemId(1)];
    m0.quorum_met = Some(true);
    m0.next = Some(MeetingId(1));
    m0.body = "## Discussion\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done thing\n".into();

    let mut m1 = meeting(1, "sig-security", "2022-01-19");
    m1.title = format!("Meeting {HOSTILE}");
    m1.attendees = vec![
        Attendee {
            person: PersonId(0),
            affiliation: None,
        },
        Attendee {
            person: PersonId(2),
            affiliation: Some("<i>Evil</i> Corp".into()),
        },
        Attendee {
            person: PersonId(3),
            affiliation: None,
        },
    ];
    m1.location = Some("javascript:alert('loc')".into());
    m1.agenda = vec![
        AgendaItem {
            title: format!("Agenda {HOSTILE}"),
            link: Some("javascript:alert('agenda')".into()),
        },
        AgendaItem {
            title: "Data link".into(),
            link: Some("data:text/html,<script>x</script>".into()),
        },
    ];
    m1.outcomes = vec![Outcome {
        text: "Resolve <b>this</b>".into(),
        kind: OutcomeKind::Resolution,
        votes: None,
        ..Default::default()
    }];
    m1.opened = vec![ItemId(2)];
    m1.updated = vec![ItemId(0)];
    m1.carried_in = vec![(ItemId(0), 1), (ItemId(1), 1)];
    m1.quorum_met = Some(false);
    m1.prev = Some(MeetingId(0));
    m1.next = Some(MeetingId(2));
    m1.extra.insert(
        "recording".into(),
        serde_json::json!("https://video.example/1"),
    );
    m1.extra.insert(
        "evil".into(),
        serde_json::json!("javascript:alert('extra')"),
    );
    m1.body = "# Notes\n\nText with <script>alert('body')</script> and [a link](javascript:alert('md')).\n\n<table><tr><td>raw table</td></tr></table>\n\n<img src=\"x.png\" onerror=\"alert('img')\">\n\n<a href=\"data:text/html,hi\">data</a>\n".into();

    let mut m2 = meeting(1, "sig-security", "2022-02-02");
    m2.status = MeetingStatus::Planned;
    m2.prev = Some(MeetingId(1));
    m2.time = None;

    let mut m3 = meeting(0, "board", "2022-01-10");
    m3.title = "Board, January".into();
    m3.status = MeetingStatus::Cancelled;
    m3.path = "content/board/2022 - January 10th.md".into();

    let mut i0 = item(
        "sig-security-20220105-1",
        1,
        vec![0],
        "Draft the charter",
        0,
    );
    i0.status = ItemStatus::Done;
    i0.closed = Some(d("2022-01-19"));
    i0.carried = 1;
    i0.history.push(HistoryStep {
        owners: Some(vec![PersonId(0), PersonId(1)]),
        note: Some(format!("Posted as issue 12 {HOSTILE}")),
        due: Some(d("2022-02-02")),
        ..step(1, StepKind::Updated, ItemStatus::Done)
    });
    i0.owners = vec![PersonId(0), PersonId(1)];
    let mut i1 = item(
        "sig-security-20220105-2",
        1,
        vec![1],
        "Ask the Linux Foundation",
        0,
    );
    i1.carried = 1;
    i1.due = Some(d("2022-01-12"));
    i1.overdue = true;
    i1.stale = true;
    i1.history
        .push(step(1, StepKind::Mentioned, ItemStatus::Open));
    let mut i2 = item(
        "sig-security-20220119-1",
        1,
        vec![3],
        &format!("Task {HOSTILE}"),
        1,
    );
    i2.status = ItemStatus::InProgress;
    i2.due = Some(d("2022-03-01"));

    Site {
        groups: groups.into(),
        people: people.into(),
        meetings: vec![m0, m1, m2, m3].into(),
        items: vec![i0, i1, i2].into(),
        today: d("2022-02-01"),
        ..Site::default()
    }
}

pub(super) fn config(base_url: &str) -> SiteConfig {
    SiteConfig {
        title: "Governance".into(),
        base_url: base_url.into(),
        repo_url: "https://github.com/org/repo/".into(),
        ..SiteConfig::default()
    }
}

fn render(base_url: &str) -> Vec<OutputFile> {
    let theme = Theme::embedded().unwrap();
    render_site(
        &site(),
        &config(base_url),
        &theme,
        &RenderOptions { search: true },
    )
    .unwrap()
}

fn page(files: &[OutputFile], path: &str) -> String {
    let f = files.iter().find(|f| f.path == path).unwrap_or_else(|| {
        panic!(
            "no {path} in {:?}",
            files.iter().map(|f| &f.path).collect::<Vec<_>>()
        )
    });
    String::from_utf8(f.bytes.clone()).unwrap()
}

/// The `<main>` element of a page.
fn main_of(html: &str) -> String {
    let start = html.find("<main").unwrap();
    let end = html.find("</main>").unwrap() + "</main>".len();
    html[start..end].to_string()
}

#[test]
fn meeting_page_links_attendees_and_groups_items() {
    let files = render("");
    let html = page(&files, "groups/sig-security/2022-01-05/index.html");
    assert!(html.contains("<a href=\"../../../people/alice-example/\">Alice Example</a> <span class=\"aff\">(Amazon)</span>"), "{html}");
    assert!(html.contains("2 new here, 0 updated here, 0 carried in"));
    assert!(html.contains("Decision:</strong> Adopt the charter draft"));
    assert!(html.contains("Votes: 5 for, 0 against, 1 abstaining"));
    // The tab and the heading say which meeting it is.
    assert!(html.contains("<title>SIG Security, 2022-01-05 · Governance</title>"));
    assert!(html.contains("<h1>SIG Security, <time>2022-01-05</time></h1>"));
    assert!(html.contains("18:30–19:30 Europe/Berlin (60 minutes)"));
    assert!(html.contains("<a href=\"https://zoom.example/j/1\">Zoom</a>"));
    assert!(html.contains("<h3 id=\"discussion\">Discussion</h3>"));
    assert!(
        html.contains("https://github.com/org/repo/edit/HEAD/content/sig-security/2022-01-05.md")
    );
    assert!(html.contains("rel=\"next\" href=\"../../../groups/sig-security/2022-01-19/\""));
    assert_eq!(html.matches("<h1").count(), 1);

    let html = page(&files, "groups/sig-security/2022-01-19/index.html");
    // Each item once: i2 new, i0 updated (so not carried too), i1 carried.
    assert!(html.contains("1 new here, 1 updated here, 1 carried in"));
    for id in [
        "sig-security-20220105-1",
        "sig-security-20220105-2",
        "sig-security-20220119-1",
    ] {
        assert_eq!(
            html.matches(&format!("<small>{id}</small>")).count(),
            1,
            "{id} once"
        );
    }
    assert!(
        html.contains("<span class=\"s-open\">open</span> → <span class=\"s-done\">done</span>")
    );
    assert!(html.contains("<tr><td>carried<td>"));
    // The body's own "# Notes" heading is the only one.
    assert_eq!(html.matches(">Notes</h").count(), 1, "{html}");
    assert!(html.contains("Quorum</dt><dd class=\"warn\">Not met"));
    assert!(html.contains("<a href=\"https://video.example/1\">https://video.example/1</a>"));

    let cancelled = page(&files, "groups/board/2022-01-10/index.html");
    assert!(cancelled.contains("Cancelled"));
    // A title the note gives keeps its words; the date follows a dash.
    assert!(cancelled.contains("<title>Board, January — 2022-01-10 · Governance</title>"));
    // Nothing decided and no items: no summary box.
    assert!(!cancelled.contains("class=\"summary\""), "{cancelled}");
    assert!(html.contains("class=\"summary\""));
    assert!(cancelled.contains("edit/HEAD/content/board/2022%20-%20January%2010th.md"));
    let planned = page(&files, "groups/sig-security/2022-02-02/index.html");
    assert!(planned.contains("Planned"));
    // A planned meeting lists the group's open items, the agenda's start.
    assert!(planned.contains("The group's open items"));
    assert!(planned.contains("<small>sig-security-20220105-2</small>"));
    assert!(planned.contains("<small>sig-security-20220119-1</small>"));
    assert!(!planned.contains("<small>sig-security-20220105-1</small>"));
    assert!(planned.contains("now in progress</small>"));
}

#[test]
fn item_page_is_a_timeline_and_statuses_are_pills() {
    let files = render("");
    let html = page(&files, "actions/sig-security-20220105-1/index.html");
    assert!(
        html.contains("<title>Draft the charter (sig-security-20220105-1) · Governance</title>")
    );
    assert!(html.contains("<ol class=\"timeline\">"));
    assert_eq!(html.matches("<li class=\"step step-").count(), 2);
    assert!(html.contains(
        "<strong>Updated</strong>: <span class=\"pill s-open\">open</span> → <span class=\"pill s-done\">done</span>"
    ));
    assert!(html.contains("Due: <time>2022-02-02</time>"));
    // Overdue by how many days, from today (2022-02-01; due 2022-01-12).
    let overdue = page(&files, "actions/sig-security-20220105-2/index.html");
    assert!(overdue.contains("overdue by 20 days"), "{overdue}");
    let index = page(&files, "actions/index.html");
    assert!(index.contains("<span class=\"s-in-progress\">in progress</span>"));
}

#[test]
fn actions_items_json_lists_every_item_in_page_order() {
    let files = render("");
    let f = files
        .iter()
        .find(|f| f.path == "actions/items.json")
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&f.bytes).unwrap();
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    // Open first (earliest due first), closed last.
    assert_eq!(items[0][0], "sig-security-20220105-2");
    assert_eq!(items[2][0], "sig-security-20220105-1");
    assert_eq!(items[0][9], 20, "days overdue");
    let owner = items[0][4][0].as_u64().unwrap() as usize;
    assert_eq!(v["people"][owner][0], site().people.raw[1].name.as_str());
}

#[test]
fn people_are_listed_by_name_with_a_letter_index() {
    let files = render("");
    let html = page(&files, "people/index.html");
    let s = site();
    // The names HTML shows as written (the hostile ones are escaped).
    let names: Vec<&str> = s
        .people
        .iter()
        .map(|p| p.name.as_str())
        .filter(|n| !n.contains(['<', '&', '"']))
        .collect();
    assert!(names.len() >= 2);
    let mut pos: Vec<(usize, &str)> = names
        .iter()
        .map(|n| (html.find(&format!(">{n}</a>")).unwrap_or(usize::MAX), *n))
        .collect();
    pos.sort();
    let shown: Vec<String> = pos.iter().map(|(_, n)| n.to_lowercase()).collect();
    let mut sorted = shown.clone();
    sorted.sort();
    assert_eq!(shown, sorted);
    assert!(html.contains("<nav class=\"letters\" aria-label=\"People by letter\">"));
    assert!(html.contains("href=\"#letter-A\""));
    assert!(html.contains("id=\"letter-A\""));
}

#[test]
fn hostile_text_renders_inert_but_visible() {
    let files = render("https://example.org/governance/");
    for f in &files {
        if !f.path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(f.bytes.clone()).unwrap();
        assert!(!html.contains("<script>alert"), "{}: script tag", f.path);
        for attr in ["href=\"", "src=\""] {
            for bad in ["javascript:", "data:"] {
                let needle = format!("{attr}{bad}");
                assert!(
                    !html.to_ascii_lowercase().contains(&needle),
                    "{}: {needle}",
                    f.path
                );
            }
        }
        assert!(!html.contains("onerror"), "{}: event handler", f.path);
        assert!(!html.contains("<b>Bold"), "{}: tag in a name", f.path);
        assert!(
            !html.contains("<em>matters"),
            "{}: tag in a description",
            f.path
        );
        assert!(!html.contains("@example.org"), "{}: an email", f.path);
    }
    let html = page(&files, "groups/sig-security/2022-01-19/index.html");
    assert!(
        html.contains("Meeting &lt;script&gt;alert(&#39;x&#39;)&lt;&#x2F;script&gt;")
            || html.contains("Meeting &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("<li>Agenda &lt;script&gt;"),
        "agenda text kept without its link"
    );
    assert!(html.contains("<td>raw table</td>"), "raw table kept");
    assert!(html.contains("Carol &lt;b&gt;Bold&lt;/b&gt;"));
    assert!(html.contains("(&lt;i&gt;Evil&lt;/i&gt; Corp)"));
    assert!(html.contains("<dt>Location</dt><dd>javascript:alert(&#39;loc&#39;)</dd>"));
    assert!(html.contains("a link"));
    let group = page(&files, "groups/sig-security/index.html");
    assert!(group.contains("Security &lt;em&gt;matters&lt;/em&gt;"));
    assert!(group.contains("<strong>charter</strong>"));
    let item = page(&files, "actions/sig-security-20220119-1/index.html");
    assert!(item.contains("Task &lt;script&gt;"));
}

#[test]
fn emails_only_when_published() {
    let theme = Theme::embedded().unwrap();
    let mut cfg = config("");
    cfg.people.publish_email = true;
    let files = render_site(&site(), &cfg, &theme, &RenderOptions::default()).unwrap();
    assert!(page(&files, "people/alice-example/index.html").contains("alice-example@example.org"));
    assert!(!page(&files, "index.html").contains("type=\"search\""));
}

/// Resolves `href` found on the page at `page_path` (served under `base`).
fn resolve_href(base: &str, page_path: &str, href: &str) -> String {
    let dir = match page_path.rfind('/') {
        Some(i) => &page_path[..=i],
        None => "",
    };
    let joined = if href.starts_with('/') {
        href.to_string()
    } else {
        format!("{base}{dir}{href}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if joined.ends_with('/') && !out.ends_with('/') {
        out.push('/');
    }
    out
}

#[test]
fn links_resolve_under_base_path() {
    let base = "/governance/";
    let files = render("https://example.org/governance/");
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut checked = 0;
    for f in &files {
        if !f.path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(f.bytes.clone()).unwrap();
        for part in html
            .split(" href=\"")
            .skip(1)
            .chain(html.split(" src=\"").skip(1))
        {
            let href = &part[..part.find('"').unwrap()];
            // x.png and x are the notes' own relative images.
            if href.starts_with("http")
                || href.starts_with("mailto:")
                || href.starts_with('#')
                || href == "x.png"
                || href == "x"
            {
                continue;
            }
            let target = resolve_href(base, &f.path, href);
            assert!(target.starts_with(base), "{}: {href} -> {target}", f.path);
            let rel = &target[base.len()..];
            if rel.starts_with("search/") {
                continue;
            }
            let file = if rel.is_empty() || rel.ends_with('/') {
                format!("{rel}index.html")
            } else {
                rel.to_string()
            };
            assert!(
                paths.contains(file.as_str()),
                "{}: {href} -> {file} missing",
                f.path
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
    let nf = page(&files, "404.html");
    assert!(nf.contains("href=\"/governance/style.css\""));
    let feed = page(&files, "feed.xml");
    assert!(feed.contains(
        "<link href=\"https://example.org/governance/groups/sig-security/2022-01-19/\"/>"
    ));
    assert!(feed.contains("<updated>2022-01-19T17:30:00Z</updated>"));
    let json: serde_json::Value = serde_json::from_str(&page(&files, "actions.json")).unwrap();
    assert!(json
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["url"] == "/governance/actions/sig-security-20220105-1/"));
    let ics = page(&files, "calendar.ics");
    assert!(ics.contains("DTSTART:20220105T173000Z\r\n"));
    assert!(ics.contains("DTEND:20220105T183000Z\r\n"));
    assert!(ics.contains("DTSTART;VALUE=DATE:20220301\r\n"));
    assert!(ics.contains("STATUS:CANCELLED"));
    assert!(ics.contains("LOCATION:Zoom (https://zoom.example/j/1)\r\n"));
    assert!(paths.contains("groups/sig-security/feed.xml"));
    assert!(paths.contains("groups/sig-security/calendar.ics"));
    assert!(paths.contains("people/script/calendar.ics"));
    assert!(page(&files, "sitemap.xml")
        .contains("<loc>https://example.org/governance/people/alice-example/</loc>"));
}

#[test]
fn no_feed_sitemap_or_calendar_without_base_url() {
    let files = render("");
    for f in &files {
        assert!(
            !f.path.ends_with(".xml") && !f.path.ends_with(".ics"),
            "{}",
            f.path
        );
    }
    assert!(files.iter().any(|f| f.path == "meetings.json"));
    assert!(files.iter().any(|f| f.path == "style.css"));
}

#[test]
fn output_is_byte_identical_and_sorted() {
    let a = render("https://example.org/governance/");
    let b = render("https://example.org/governance/");
    assert_eq!(a, b);
    let paths: Vec<&str> = a.iter().map(|f| f.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn person_page_lists_open_items_first_and_roles() {
    let files = render("");
    let html = page(&files, "people/bob-builder/index.html");
    let open = html.find("Open action items (1)").unwrap();
    let closed = html.find("Closed action items (1)").unwrap();
    assert!(open < closed);
    assert!(html.contains("overdue"));
    assert!(html.contains("stale"));
    assert!(html.contains("Note-taker"));
    let alice = page(&files, "people/alice-example/index.html");
    assert!(alice.contains("<dt>Chair</dt>"));
    assert!(alice.contains("<td>2<td>0<td>2<td>100%"), "{alice}");
}

#[test]
fn template_error_is_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/item.html"),
        "{% extends \"base.html\" %}{% block main %}{{ nothing.here }}{% endblock main %}",
    )
    .unwrap();
    let theme = crate::load::theme::read(dir.path(), &config(""))
        .and_then(Theme::from_files)
        .unwrap();
    let err = render_site(&site(), &config(""), &theme, &RenderOptions::default()).unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(err[0].file, "templates/item.html");
}

#[test]
fn actions_index_paginates() {
    let mut s = site();
    let template = s.items[ItemId(1)].clone();
    for n in 0..(pages::ACTIONS_PAGE + 5) {
        let mut it = template.clone();
        it.id = format!("bulk-{n:04}");
        it.url = format!("actions/{}/", it.id);
        s.items.push(it);
    }
    let theme = Theme::embedded().unwrap();
    let files = render_site(&s, &config(""), &theme, &RenderOptions::default()).unwrap();
    let p2 = page(&files, "actions/_page/2/index.html");
    assert!(p2.contains("page 2 of 2"));
    assert!(p2.contains("href=\"../../../actions/\""));
    // Page links above and below the table.
    assert_eq!(p2.matches("<nav class=\"pages\"").count(), 2);
    assert!(p2.contains("rel=\"prev\""));
}

#[test]
fn snapshot_meeting_main() {
    let files = render("https://example.org/governance/");
    insta::assert_snapshot!(main_of(&page(
        &files,
        "groups/sig-security/2022-01-19/index.html"
    )));
}

#[test]
fn snapshot_person_main() {
    let files = render("https://example.org/governance/");
    insta::assert_snapshot!(main_of(&page(&files, "people/alice-example/index.html")));
}

#[test]
fn snapshot_group_main() {
    let files = render("https://example.org/governance/");
    insta::assert_snapshot!(main_of(&page(&files, "groups/sig-security/index.html")));
}

#[test]
fn snapshot_item_main() {
    let files = render("https://example.org/governance/");
    insta::assert_snapshot!(main_of(&page(
        &files,
        "actions/sig-security-20220105-1/index.html"
    )));
}

/// 20,000 items over 2,000 meetings render, and the actions index stays in
/// pages of a bounded size (`cargo test --release --lib large_site -- --ignored`).
#[test]
#[ignore]
fn large_site_renders() {
    let mut s = site();
    let base = s.meetings[MeetingId(1)].clone();
    let template = s.items[ItemId(1)].clone();
    for n in 0..2000 {
        let mut m = base.clone();
        m.date = d("2023-01-01") + chrono::Duration::days(n);
        m.slug = m.date.to_string();
        m.url = format!("groups/sig-security/{}/", m.slug);
        m.carried_in = vec![];
        m.opened = vec![];
        m.updated = vec![];
        m.prev = None;
        m.next = None;
        let id = MeetingId(s.meetings.len());
        s.groups[GroupId(1)].meetings.push(id);
        for k in 0..10 {
            let mut it = template.clone();
            it.id = format!("bulk-{n}-{k}");
            it.url = format!("actions/{}/", it.id);
            it.opened_in = id;
            it.history = vec![step(id.index(), StepKind::Opened, ItemStatus::Open)];
            m.opened.push(s.items.push_and_get_key(it));
        }
        s.meetings.push(m);
    }
    let theme = Theme::embedded().unwrap();
    let start = std::time::Instant::now();
    let files = render_site(
        &s,
        &config("https://example.org/"),
        &theme,
        &RenderOptions::default(),
    )
    .unwrap();
    eprintln!("{} files in {:?}", files.len(), start.elapsed());
    let biggest = files
        .iter()
        .filter(|f| f.path.starts_with("actions/_page") || f.path == "actions/index.html")
        .map(|f| f.bytes.len())
        .max()
        .unwrap();
    assert!(biggest < 1_000_000, "{biggest}");
}

/// Renders every output file of the site, sorted by path: the first render
/// of [`incremental::render_since`], with nothing deferred.
///
/// Template errors come back as diagnostics against the template's name.
/// With an empty `base_url` there is no feed, sitemap or calendar (the
/// caller warns).
pub(crate) fn render_site(
    site: &Site,
    config: &SiteConfig,
    theme: &Theme,
    opts: &RenderOptions,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let theme = std::sync::Arc::new(theme.clone());
    let site = std::sync::Arc::new(site.clone());
    let none = std::collections::HashSet::new();
    super::incremental::render_since(None, site, config, &theme, 0, opts, false, None, &none)
        .map(|(delta, _)| delta.changed)
}
