//! What a member sees in the tables of items survives their lighter markup
//! (one line a row, no class on cells, optional end tags left out): on a
//! meeting page (tests/fixtures/generated) a carried-in row keeps its item
//! link, status, owners and due date, and every row of the actions index has
//! its six cells, matching actions.json.

use crate::snapshots::SiteTest;
use crate::support::item;

/// The fixture built, and its items as `actions.json` gives them.
fn built() -> (SiteTest, Vec<serde_json::Value>) {
    let site = SiteTest::fixture("generated");
    let run = site.run(&["build", "--out", "public", "--no-history", "--no-search"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let items = serde_json::from_str(&site.file("public/actions.json")).expect("actions.json");
    (site, items)
}

/// The body rows of the first table after `marker` in `page`, each as the
/// markup of its cells. Cells are cut where the next `<td` starts (their end
/// tags may be left out, as HTML allows); the parser closes them the same way.
fn rows(page: &str, marker: &str) -> Vec<Vec<String>> {
    let at = page
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in the page"));
    let rest = &page[at..];
    let body = &rest[rest.find("<tbody>").expect("tbody") + 7..rest.find("</tbody>").expect("end")];
    body.split("<tr")
        .skip(1)
        .map(|tr| {
            let tr = tr.trim_end().trim_end_matches("</tr>");
            tr.split("<td")
                .skip(1)
                .map(|td| {
                    let td = td.trim_end().trim_end_matches("</td>");
                    td[td.find('>').expect("td tag") + 1..].to_string()
                })
                .collect()
        })
        .collect()
}

/// The text a reader sees in a piece of markup: tags left out, entities as written.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_carried_in_row_keeps_its_link_status_owners_and_due_date() {
    let (site, items) = built();
    let page = site.file("public/groups/sig-security/2019-06-24/index.html");
    let rows = rows(&page, "<table class=\"items sortable meeting-items\">");
    assert!(!rows.is_empty(), "the meeting lists action items");
    let id = "sig-security-20190121-2";
    let want = item(&items, id);
    let row = rows
        .iter()
        .find(|r| r.iter().any(|c| c.contains(&format!("actions/{id}/"))))
        .unwrap_or_else(|| panic!("a row for {id}"));
    assert_eq!(
        row.len(),
        6,
        "here, task, status, owner, due, progress: {row:?}"
    );
    assert_eq!(text(&row[0]), "carried");
    assert!(
        row[1].contains(&format!("<a href=\"../../../actions/{id}/\">")),
        "the task links to its item: {}",
        row[1]
    );
    assert_eq!(
        text(&row[1]),
        format!("{} {id}", want["task"].as_str().expect("task"))
    );
    // Its status at the start of the meeting (in progress since 2019-06-10),
    // and what it is now.
    assert_eq!(text(&row[2]), "in progress now dropped");
    for owner in want["owners"].as_array().expect("owners") {
        let owner = owner.as_str().expect("owner");
        assert!(
            row[3].contains(&format!(">{owner}</a>")),
            "{owner} in {}",
            row[3]
        );
        assert!(row[3].contains("href=\"../../../people/"), "{}", row[3]);
    }
    assert_eq!(text(&row[4]), want["due"].as_str().expect("due"));
    assert!(text(&row[5]).starts_with("carried into "), "{}", row[5]);
    // Every row has its six cells, and no cell a class.
    assert!(rows.iter().all(|r| r.len() == 6), "{rows:?}");
    assert!(!page.contains("<td class="), "no class on a cell");
    // The caption and the column headers stay for screen readers.
    assert!(page.contains("<caption class=\"vh\">Action items at this meeting</caption>"));
    assert!(
        page.matches("<th scope=\"col\">").count() >= 6,
        "column headers keep their scope"
    );
}

#[test]
fn each_row_of_the_actions_index_has_its_cells() {
    let (site, items) = built();
    let page = site.file("public/actions/index.html");
    let rows = rows(&page, "<table class=\"items sortable\">");
    assert_eq!(rows.len(), 100, "a page of the index holds 100 items");
    assert!(!page.contains("<td class="), "no class on a cell");
    assert!(
        !page.contains("class=\"lbl\""),
        "the phone's labels come from the stylesheet"
    );
    for row in &rows {
        assert_eq!(
            row.len(),
            6,
            "task, status, owner, group, due, carried: {row:?}"
        );
        let href = row[0]
            .split("href=\"../actions/")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap_or_else(|| panic!("an item link in {}", row[0]));
        let want = item(&items, href);
        assert_eq!(
            text(&row[0]),
            format!("{} {href}", want["task"].as_str().expect("task"))
        );
        let status = want["status"].as_str().expect("status").replace('-', " ");
        assert!(text(&row[1]).starts_with(&status), "{status}: {}", row[1]);
        if let Some(closed) = want["closed"].as_str() {
            assert!(
                text(&row[1]).ends_with(closed),
                "closed {closed}: {}",
                row[1]
            );
        }
        let owners = want["owners"].as_array().expect("owners");
        for owner in owners {
            let owner = owner.as_str().expect("owner");
            assert!(
                row[2].contains(&format!(">{owner}</a>")),
                "{owner} in {}",
                row[2]
            );
        }
        if owners.is_empty() {
            assert!(
                text(&row[2]).contains("(the group)") || text(&row[2]) == "Unassigned",
                "{}",
                row[2]
            );
        }
        assert!(
            row[3].contains("href=\"../groups/"),
            "a group link: {}",
            row[3]
        );
        assert_eq!(text(&row[4]), want["due"].as_str().unwrap_or(""));
        assert_eq!(text(&row[5]), want["carried"].to_string());
    }
}
