//! What the notes tell beyond each meeting (tests/fixtures/insights): the
//! minutes a cadence says are missing, what happened since a member's last
//! meeting, action health as charts with their figures as tables, the forge
//! links by repository, and each owner's Atom feed.

use crate::snapshots::SiteTest;

fn built() -> SiteTest {
    let site = SiteTest::fixture("insights");
    let run = site.run(&["build", "--out", "public", "--no-history"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

/// The part of `page` from the element with `id` to the end of its section.
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in the page"));
    let start = page[..at].rfind("<section").unwrap_or(at);
    let end = page[at..]
        .find("</section>")
        .map(|e| at + e)
        .unwrap_or(page.len());
    &page[start..end]
}

/// The dates a `<ul class="missing-minutes">` lists.
fn listed_dates(html: &str) -> Vec<String> {
    html.split("<time>")
        .skip(1)
        .filter_map(|s| s.split('<').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn missing_minutes_from_a_weekly_and_a_monthly_cadence() {
    let site = SiteTest::fixture("insights");
    let check = site.run(&["check", "--format", "json"]);
    let diags: Vec<serde_json::Value> =
        serde_json::from_str(&check.stdout).unwrap_or_else(|e| panic!("{e}: {}", check.stdout));
    let missing: Vec<(String, u64, String)> = diags
        .iter()
        .filter(|d| d["code"] == "missing-minutes")
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(missing.len(), 2, "{missing:?}");
    // At the cadence line of each _group.md. The cancelled 2026-10-27 and
    // 2026-08-04 clear their dates; 2026-11-17's successor is not due yet.
    assert_eq!(missing[0].0, "content/monthly/_group.md");
    assert_eq!(missing[0].1, 3);
    assert!(
        missing[0]
            .2
            .ends_with("no notes: 2026-07-07, 2026-09-01, 2026-11-03"),
        "{}",
        missing[0].2
    );
    assert_eq!(
        (missing[1].0.as_str(), missing[1].1),
        ("content/weekly/_group.md", 3)
    );
    assert!(
        missing[1].2.ends_with("no notes: 2026-10-20, 2026-11-10"),
        "{}",
        missing[1].2
    );

    let run = site.run(&["build", "--out", "public", "--no-history"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let weekly = site.file("public/groups/weekly/index.html");
    assert_eq!(
        listed_dates(section(&weekly, "missing_")),
        ["2026-11-10", "2026-10-20"],
        "newest first"
    );
    let monthly = site.file("public/groups/monthly/index.html");
    assert_eq!(
        listed_dates(section(&monthly, "missing_")),
        ["2026-11-03", "2026-09-01", "2026-07-07"]
    );
    let board = site.file("public/groups/board/index.html");
    assert!(!board.contains("id=\"missing_\""), "no cadence, no debt");
    let home = site.file("public/index.html");
    let debt = section(&home, "debt_");
    assert!(
        debt.contains("Monthly Council</a>: 3 meetings without notes"),
        "{debt}"
    );
    assert!(
        debt.contains("Weekly Sync</a>: 2 meetings without notes"),
        "{debt}"
    );
}

#[test]
fn a_cadence_quorum_cannot_read_is_a_warning_at_its_line() {
    let site = SiteTest::fixture("insights");
    std::fs::write(
        site.root().join("content/board/_group.md"),
        "---\nname: Board\ncadence: whenever the chair calls\n---\n",
    )
    .expect("write");
    let check = site.run(&["check", "--format", "plain"]);
    let all = format!("{}{}", check.stdout, check.stderr);
    assert!(
        all.contains("content/board/_group.md:3:1: warning[unreadable-cadence]"),
        "{all}"
    );
    assert_eq!(check.code, 0, "a warning only");
}

#[test]
fn since_your_last_meeting_on_a_person_page() {
    let site = built();
    let bob = site.file("public/people/bob-stone/index.html");
    let since = section(&bob, "since_");
    // Bob last attended on 2026-10-06; three held meetings followed.
    assert!(
        since.contains("Weekly Sync</a>: since <a href=\"../../groups/weekly/2026-10-06/\">"),
        "{since}"
    );
    assert!(since.contains("3 meetings since."), "{since}");
    assert!(
        since.contains("2026-10-13 Weekly Sync</a>: Ship 2.0 in November"),
        "{since}"
    );
    let list = |label: &str| -> Vec<String> {
        let Some(at) = since.find(&format!("<h4>{label} (")) else {
            return Vec::new();
        };
        let ul = &since[at..];
        let ul = &ul[..ul.find("</ul>").unwrap_or(ul.len())];
        ul.split("actions/")
            .skip(1)
            .filter_map(|s| s.split('/').next())
            .map(str::to_string)
            .collect()
    };
    assert_eq!(list("Items closed"), ["docs-plan", "ci-fix"]);
    assert_eq!(list("Items opened"), ["tidy-up", "release-notes"]);
    assert_eq!(
        list("Your items that changed"),
        ["docs-plan", "release-notes"]
    );
    // Ann was at the latest meeting: nothing to catch up on.
    let ann = site.file("public/people/ann-lee/index.html");
    assert!(
        !ann.contains("Weekly Sync</a>: since"),
        "Ann attended the latest meeting"
    );
}

#[test]
fn since_the_last_meeting_on_a_meeting_page() {
    let site = built();
    let page = site.file("public/groups/weekly/2026-11-03/index.html");
    let since = section(&page, "since_");
    // The previous held meeting was 2026-10-13 (2026-10-27 was cancelled);
    // the board met in between.
    assert!(
        since.contains("href=\"../../../groups/weekly/2026-10-13/\""),
        "{since}"
    );
    assert!(since.contains("Items closed (1)"), "{since}");
    assert!(since.contains("actions/release-notes/"), "{since}");
    assert!(since.contains("Items opened (1)"), "{since}");
    assert!(since.contains("actions/budget-doc/"), "{since}");
    assert!(
        since.contains("Board</a>: Approve the 2027 budget"),
        "{since}"
    );
    let first = site.file("public/groups/weekly/2026-10-06/index.html");
    assert!(
        !first.contains("id=\"since_\""),
        "a group's first meeting has none"
    );
    for m in ["2026-10-06", "2026-10-13", "2026-11-03", "2026-11-17"] {
        let page = site.file(&format!("public/groups/weekly/{m}/index.html"));
        assert!(!page.contains("<svg"), "meeting pages stay chart-free");
    }
}

/// One chart of a page: its title, its SVG and its table's rows.
type Chart = (String, String, Vec<(String, f64)>);

/// Each chart of a page.
fn charts(page: &str) -> Vec<Chart> {
    let mut out = Vec::new();
    for part in page.split("<figure class=\"chart\"").skip(1) {
        let fig = format!(
            "<figure{}",
            &part[..part.find("</figure>").expect("closed") + 9]
        );
        let doc = roxmltree::Document::parse(&fig).unwrap_or_else(|e| panic!("{e}: {fig}"));
        let caption = doc
            .descendants()
            .find(|n| n.has_tag_name("figcaption"))
            .and_then(|n| n.text())
            .unwrap_or("")
            .to_string();
        let svg = &fig[fig.find("<svg").expect("svg")..fig.find("</svg>").expect("svg end") + 6];
        let rows = doc
            .descendants()
            .filter(|n| n.has_tag_name("tr") && n.ancestors().any(|a| a.has_tag_name("tbody")))
            .map(|tr| {
                let cells: Vec<String> = tr
                    .children()
                    .filter(|c| c.is_element())
                    .map(|c| c.text().unwrap_or("").to_string())
                    .collect();
                (cells[0].clone(), cells[1].parse::<f64>().expect("a number"))
            })
            .collect();
        out.push((caption, svg.to_string(), rows));
    }
    out
}

/// Checks that `svg` draws `rows`: a bar chart labels each bar with its
/// value; a line chart has one point per row, its heights in proportion.
fn assert_draws(title: &str, svg: &str, rows: &[(String, f64)]) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{title}: {e}"));
    let root = doc.root_element();
    assert!(root.has_tag_name("svg"));
    let svg_title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text());
    assert_eq!(svg_title, Some(title));
    if let Some(line) = doc
        .descendants()
        .find(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some("#3B7DD8"))
    {
        let ys: Vec<f64> = line
            .attribute("points")
            .unwrap_or("")
            .split_whitespace()
            .map(|p| {
                p.split(',')
                    .nth(1)
                    .and_then(|y| y.parse().ok())
                    .expect("x,y")
            })
            .collect();
        assert_eq!(ys.len(), rows.len(), "{title}: one point per row");
        // y = a - b * value for one a and b > 0, to the pixel.
        let (lo, hi) = (
            0,
            (0..rows.len())
                .max_by(|&i, &j| rows[i].1.total_cmp(&rows[j].1))
                .unwrap_or(0),
        );
        if rows[hi].1 > rows[lo].1 {
            let b = (ys[lo] - ys[hi]) / (rows[hi].1 - rows[lo].1);
            assert!(b > 0.0, "{title}: higher values are higher up");
            for (y, (_, v)) in ys.iter().zip(rows) {
                let expect = ys[lo] - b * (v - rows[lo].1);
                assert!(
                    (y - expect).abs() <= 1.0,
                    "{title}: {v} drawn at {y}, not {expect}"
                );
            }
        }
    } else {
        let values: Vec<f64> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.attribute("text-anchor") == Some("middle"))
            .filter_map(|n| n.text().and_then(|t| t.trim().parse().ok()))
            .collect();
        let want: Vec<f64> = rows.iter().map(|r| r.1).collect();
        let drawn = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#3B7DD8"))
            .filter(|n| {
                n.attribute("height")
                    .and_then(|h| h.parse::<f64>().ok())
                    .unwrap_or(0.0)
                    > 0.0
            })
            .count();
        assert_eq!(
            drawn,
            want.iter().filter(|v| **v > 0.0).count(),
            "{title}: a bar for each value above zero"
        );
        assert!(
            values.windows(want.len()).any(|w| w == want.as_slice()),
            "{title}: bar labels {values:?} do not show {want:?}"
        );
    }
}

#[test]
fn action_health_charts_draw_the_figures_of_their_tables() {
    let site = built();
    let page = site.file("public/groups/weekly/index.html");
    let found = charts(&page);
    let titles: Vec<&str> = found.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Open action items of Weekly Sync after each meeting",
            "Attendance at each meeting of Weekly Sync",
            "Open action items of Weekly Sync by age",
            "Open action items of Weekly Sync per owner",
        ]
    );
    let values = |k: usize| found[k].2.iter().map(|r| r.1).collect::<Vec<f64>>();
    // release-notes, opened on 2026-10-13, was closed by the board on 2026-10-20.
    assert_eq!(values(0), [2.0, 2.0, 2.0, 1.0]);
    assert_eq!(found[0].2[3].0, "2026-11-17");
    assert_eq!(values(1), [3.0, 2.0, 2.0, 2.0]);
    assert_eq!(values(2), [1.0, 0.0, 0.0, 0.0], "tidy-up is 20 days old");
    assert_eq!(found[3].2, [("Cy Park".to_string(), 1.0)]);
    for (title, svg, rows) in &found {
        assert_draws(title, svg, rows);
    }
    let health = section(&page, "health_");
    assert!(
        health.contains("<dt>Median days to close</dt><dd>7</dd>"),
        "{health}"
    );
    // ci-fix took 7 days, docs-plan 42, release-notes 7.
    let person = site.file("public/people/cy-park/index.html");
    let mine = charts(&person);
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].0, "Open action items of Cy Park by age");
    assert_draws(&mine[0].0, &mine[0].1, &mine[0].2);
}

#[test]
fn the_links_page_lists_forge_links_by_repository() {
    let site = built();
    let page = site.file("public/links/index.html");
    let main = &page[page.find("<main").expect("main")..];
    let order: Vec<usize> = ["codeberg.org", "github.com", "gitlab.com"]
        .iter()
        .map(|h| {
            main.find(&format!("<span class=\"muted\">({h})</span>"))
                .unwrap_or_else(|| panic!("{h}: {main}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "repositories sorted");
    let issue = main
        .split("<li id=")
        .find(|li| li.contains("example/widget#12"))
        .expect("the issue is listed");
    assert!(issue.contains("(issue)"));
    let first = issue.find("2026-10-13").expect("mentioned on the 13th");
    let second = issue
        .find("2026-10-06")
        .expect("and in the task of the 6th");
    assert!(first < second, "newest first: {issue}");
    for want in [
        "https://github.com/example/widget/pull/40",
        "https://github.com/example/widget/discussions/5",
        "https://gitlab.com/example/infra/-/merge_requests/7",
        "https://codeberg.org/example/site/issues/3",
    ] {
        assert!(main.contains(&format!("href=\"{want}\"")), "{want}");
    }
    assert!(main.contains("example/infra!7</a> <span class=\"muted\">(merge request)"));
    let item = site.file("public/actions/docs-plan/index.html");
    let links = section(&item, "forge_");
    assert!(links
        .contains("href=\"https://github.com/example/widget/issues/12\">example/widget#12</a>"));
    assert!(links.contains("href=\"../../links/#l-github-com-example-widget-issues-12\""));
    let decisions = site.file("public/decisions/index.html");
    assert!(decisions
        .contains("<a href=\"https://github.com/example/widget/pull/40\">example/widget#40</a>"));
}

#[test]
fn each_owner_has_an_atom_feed_beside_the_calendar() {
    let site = built();
    let text = site.file("public/people/bob-stone/feed.xml");
    let feed: atom_syndication::Feed = text.parse().unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(feed.title().as_str(), "Insights: action items of Bob Stone");
    let entries: Vec<(&str, &str)> = feed
        .entries()
        .iter()
        .map(|e| (e.title().as_str(), e.links()[0].href()))
        .collect();
    assert_eq!(
        entries,
        [
            ("docs-plan: Write the docs plan (https://github.com/example/widget/issues/12) (done)", "https://example.org/gov/actions/docs-plan/"),
            ("docs-plan: Write the docs plan (https://github.com/example/widget/issues/12) (in-progress)", "https://example.org/gov/actions/docs-plan/"),
            ("release-notes: Draft the release notes (done)", "https://example.org/gov/actions/release-notes/"),
            ("release-notes: Draft the release notes (opened)", "https://example.org/gov/actions/release-notes/"),
            ("docs-plan: Write the docs plan (https://github.com/example/widget/issues/12) (opened)", "https://example.org/gov/actions/docs-plan/"),
        ]
    );
    let ids: std::collections::BTreeSet<&str> = feed.entries().iter().map(|e| e.id()).collect();
    assert_eq!(ids.len(), 5, "entry ids are unique");
    assert_eq!(feed.updated().to_rfc3339(), "2026-11-17T00:00:00+00:00");
    let page = site.file("public/people/bob-stone/index.html");
    assert!(page.contains("<a href=\"feed.xml\">Atom feed of Bob Stone's action items</a>"));
    assert!(page.contains("rel=\"alternate\" type=\"application/atom+xml\" title=\"Bob Stone: action items\" href=\"feed.xml\""));
    assert!(
        !site.root().join("public/people/eve-park/feed.xml").exists(),
        "no items, no feed"
    );
}

#[test]
fn two_builds_give_the_same_bytes() {
    let site = built();
    let again = site.run(&["build", "--out", "public2", "--no-history"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let files = |dir: &str| -> Vec<(String, Vec<u8>)> {
        let base = site.root().join(dir);
        let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(&base)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&base)
                    .expect("prefix")
                    .display()
                    .to_string();
                (rel, std::fs::read(e.path()).expect("read"))
            })
            .collect();
        v.sort();
        v
    };
    let (a, b) = (files("public"), files("public2"));
    assert!(a.iter().any(|(p, _)| p == "links/index.html"));
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between two builds");
    }
}
