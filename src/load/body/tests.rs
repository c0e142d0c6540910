use super::*;
use crate::model::{DueSpec, EntryOrigin, ItemStatus};

fn no_people(_: &str) -> bool {
    false
}

fn read(body: &str) -> (BodyFacts, Vec<Diagnostic>) {
    read_at(body, 1, None)
}

fn read_at(body: &str, first: u32, year: Option<i32>) -> (BodyFacts, Vec<Diagnostic>) {
    let ctx = BodyContext {
        path: "g/note.md",
        is_person: &no_people,
        year_hint: year,
    };
    read_body(body, first, &ctx)
}

fn names(p: &[PersonRef]) -> Vec<&str> {
    p.iter().map(|p| p.name.as_str()).collect()
}

fn owners(i: &NewItem) -> Vec<&str> {
    names(&i.owners)
}

#[test]
fn headings_match_sections() {
    assert_eq!(section_of("Meeting Agenda"), Some(Section::Agenda));
    assert_eq!(section_of("Action Items:"), Some(Section::Actions));
    assert_eq!(
        section_of("Outcomes from Discussion topics"),
        Some(Section::Outcomes(OutcomeKind::Outcome))
    );
    assert_eq!(section_of("👥 Attendees"), Some(Section::Attendees));
    assert_eq!(section_of("Not present"), Some(Section::Regrets));
    assert_eq!(
        section_of("Decisions"),
        Some(Section::Outcomes(OutcomeKind::Decision))
    );
    assert_eq!(section_of("Open discussion"), None);
    assert_eq!(section_of("Representation of agendas"), None);
}

#[test]
fn details_list_and_sections() {
    let body = "\
## Meeting Details

- **Date/Time:** March 9th, 2023 @ 4:15pm UTC / 11:15am ET
- **Location:** [Video bridge](https://example.org/bridge)
- **Moderator:** [Hal Ostrow](https://example.org/hal)
- **Note Taker** [Wren Albo](https://example.org/wren)

## 👥 Attendees
* Hal Ostrow (Brightline)
* Wren Albo
* @quietfox

## Regrets
- Sunniva Kerr

## Meeting Agenda
* **When:** in the usual room
* Review the onboarding guide: https://example.org/issues/4
* [Budget for Q2](https://example.org/budget)

## Decisions
* Adopt the onboarding guide
  - with two edits

## Action Items
* Hal: update the onboarding guide (due 2023-03-23)
* [x] Wren Albo to book the venue
* Draft the newsletter (Hal, Wren)
  * a nested note that is not an item
* Something nobody owns
";
    let (f, d) = read_at(body, 5, None);
    assert_eq!(f.date.map(|x| x.0), NaiveDate::from_ymd_opt(2023, 3, 9));
    assert_eq!(f.date.map(|x| x.1), Some(Span::new(7, 1)));
    assert_eq!(f.time, NaiveTime::from_hms_opt(16, 15, 0));
    assert_eq!(f.timezone.as_deref(), Some("UTC"));
    assert_eq!(f.location.as_deref(), Some("Video bridge"));
    assert_eq!(names(&f.moderators), ["Hal Ostrow"]);
    assert_eq!(names(&f.note_takers), ["Wren Albo"]);
    assert_eq!(
        names(&f.attendees),
        ["Hal Ostrow", "Wren Albo", "@quietfox"]
    );
    assert_eq!(f.attendees[0].affiliation.as_deref(), Some("Brightline"));
    assert_eq!(f.attendees[0].span, Span::new(13, 1));
    assert_eq!(names(&f.regrets), ["Sunniva Kerr"]);
    assert_eq!(f.agenda.len(), 2);
    assert_eq!(f.agenda[0].title, "Review the onboarding guide");
    assert_eq!(
        f.agenda[0].link.as_deref(),
        Some("https://example.org/issues/4")
    );
    assert_eq!(f.agenda[1].title, "Budget for Q2");
    assert_eq!(
        f.agenda[1].link.as_deref(),
        Some("https://example.org/budget")
    );
    assert_eq!(f.outcomes.len(), 1);
    assert_eq!(f.outcomes[0].kind, OutcomeKind::Decision);
    assert_eq!(f.actions.len(), 4);
    let a0 = f.actions[0].item.as_ref().unwrap();
    assert_eq!(owners(a0), ["Hal"]);
    assert_eq!(a0.task, "update the onboarding guide");
    assert_eq!(
        a0.due,
        NaiveDate::from_ymd_opt(2023, 3, 23).map(DueSpec::Date)
    );
    assert_eq!(a0.origin, EntryOrigin::BodySection);
    let a1 = f.actions[1].item.as_ref().unwrap();
    assert_eq!(owners(a1), ["Wren Albo"]);
    assert_eq!(a1.status, Some(ItemStatus::Done));
    assert_eq!(f.actions[1].checkbox, Some(true));
    let a2 = f.actions[2].item.as_ref().unwrap();
    assert_eq!(owners(a2), ["Hal", "Wren"]);
    assert_eq!(a2.task, "Draft the newsletter");
    // No owner: kept as an unassigned item, and warned about.
    let a3 = f.actions[3].item.as_ref().unwrap();
    assert!(a3.owners.is_empty() && a3.group_owner.is_none());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "action-without-owner");
    assert_eq!(d[0].line, 34);
    assert!(f.action_lines.is_empty());
    assert!(!f.cancelled);
}

#[test]
fn action_forms() {
    let body = "\
# Actions
1. @brindle to open the tracking issue
2. Ana & Bo: write the FAQ
3. Ana and Bo: review the FAQ
4. @brindle port the scripts
5. Ciaran Doyle - fix the mirror
6. sig-ops-20230105-2: done
7. [ ] Ola: check the logs
8. TODO: Ola to rotate keys
";
    let (f, _) = read(body);
    let items: Vec<_> = f.actions.iter().map(|a| a.item.as_ref()).collect();
    assert_eq!(owners(items[0].unwrap()), ["@brindle"]);
    assert_eq!(items[0].unwrap().task, "open the tracking issue");
    assert_eq!(owners(items[1].unwrap()), ["Ana", "Bo"]);
    assert_eq!(owners(items[2].unwrap()), ["Ana", "Bo"]);
    assert_eq!(owners(items[3].unwrap()), ["@brindle"]);
    assert_eq!(items[3].unwrap().task, "port the scripts");
    assert_eq!(owners(items[4].unwrap()), ["Ciaran Doyle"]);
    assert_eq!(
        f.actions[5].lead,
        Some(("sig-ops-20230105-2".into(), "done".into()))
    );
    assert_eq!(f.actions[6].checkbox, Some(false));
    assert_eq!(items[6].unwrap().status, Some(ItemStatus::Open));
    assert_eq!(owners(items[7].unwrap()), ["Ola"]);
    assert_eq!(items[7].unwrap().task, "rotate keys");
}

#[test]
fn action_lines_anywhere() {
    let body = "\
# Weekly sync

Talked about the mirror.

ACTION: Pia Lund to fix the mirror
- **Action:** Tomas to send notes
ACTION(Pia): write the post
[ACTION: Lee] update the wiki
AI(jk): file the bug

```
ACTION: Not read to be read
```

## Action items
* ACTION: Pia Lund to fix the mirror
";
    let (f, _) = read(body);
    let got: Vec<_> = f
        .action_lines
        .iter()
        .map(|i| (owners(i).join("+"), i.task.as_str(), i.span.line))
        .collect();
    assert_eq!(
        got,
        // Line 5 is the section's first item written again: one item, the section's.
        vec![
            ("Tomas".to_string(), "send notes", 6),
            ("Pia".to_string(), "write the post", 7),
            ("Lee".to_string(), "update the wiki", 8),
            ("jk".to_string(), "file the bug", 9),
        ]
    );
    assert!(f
        .action_lines
        .iter()
        .all(|i| i.origin == EntryOrigin::ActionLine));
    assert_eq!(f.actions.len(), 1);
    assert_eq!(owners(f.actions[0].item.as_ref().unwrap()), ["Pia Lund"]);
}

#[test]
fn tables_and_html() {
    let body = "\
## Attendance

| Name | Organization |
| --- | --- |
| Ines Varga | Quartz |
| [Omar Sel](https://example.org) | |

<h3>Present</h3>
<table>
<tr><th>Person</th><th>Company</th></tr>
<tr><td>Kai Moreno</td><td>Fernhill</td></tr>
</table>
";
    let (f, _) = read(body);
    assert_eq!(
        names(&f.attendees),
        ["Ines Varga", "Omar Sel", "Kai Moreno"]
    );
    assert_eq!(f.attendees[0].affiliation.as_deref(), Some("Quartz"));
    assert_eq!(f.attendees[2].affiliation.as_deref(), Some("Fernhill"));
    assert_eq!(f.attendees[2].span.line, 11);
}

#[test]
fn comma_lists_and_bold_headings() {
    let body = "\
**Attendees:** Rosa Linde, Piet Kamp (Ostara), N/A

**Regrets**

Jo Hale; Mo Quin
";
    let (f, _) = read(body);
    assert_eq!(names(&f.attendees), ["Rosa Linde", "Piet Kamp"]);
    assert_eq!(names(&f.regrets), ["Jo Hale", "Mo Quin"]);
}

#[test]
fn date_fallbacks_and_cancelled() {
    let (f, _) = read_at("# August 2\n\nNotes.\n", 3, Some(2021));
    assert_eq!(
        f.date,
        NaiveDate::from_ymd_opt(2021, 8, 2).map(|d| (d, Span::new(3, 1)))
    );
    let (f, _) = read("Sync held on 2022-11-09.\n\n# Notes\n");
    assert_eq!(f.date.map(|d| d.0), NaiveDate::from_ymd_opt(2022, 11, 9));
    let (f, _) = read("# Meeting cancelled\n\nSee you next week.\n");
    assert!(f.cancelled);
    let (f, _) = read("## Agenda\n\nThis meeting is canceled due to lack of agenda\n");
    assert!(f.cancelled);
    let (f, _) = read("# CANCELLED\n");
    assert!(f.cancelled);
    let (f, _) = read("No meeting this week (holiday).\n");
    assert!(f.cancelled);
    let (f, _) = read("# Sync\n\nWe discussed cancelled builds in CI.\n");
    assert!(!f.cancelled);
    let (f, _) = read("- **When**: Oct 4th, 9am-10am Pacific\n");
    assert_eq!(f.time, NaiveTime::from_hms_opt(9, 0, 0));
    assert_eq!(f.timezone.as_deref(), Some("America/Los_Angeles"));
}

#[test]
fn nested_tasks_and_plain_attendee_paragraph() {
    let body = "\
8/31 sync

Attendees
Noor Haddad
Vik Pal [Quartz]

## Action Items

- Noor
  - draft the release plan
  - book the room
";
    let (f, _) = read_at(body, 1, Some(2021));
    assert_eq!(f.date.map(|d| d.0), NaiveDate::from_ymd_opt(2021, 8, 31));
    assert_eq!(names(&f.attendees), ["Noor Haddad", "Vik Pal"]);
    assert_eq!(f.attendees[1].affiliation.as_deref(), Some("Quartz"));
    // One item per task nested under the owner.
    let got: Vec<_> = f
        .actions
        .iter()
        .map(|a| a.item.as_ref().unwrap())
        .map(|i| (owners(i).join("+"), i.task.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Noor".to_string(), "draft the release plan"),
            ("Noor".to_string(), "book the room")
        ]
    );
}

proptest::proptest! {
    #[test]
    fn never_panics_and_spans_stay_in_range(s in "\\PC*|[-*#|<>\\[\\]():@ \\nA-Za-z0-9]*", first in 1u32..1000) {
        let (f, d) = read_at(&s, first, Some(2022));
        let last = first + s.split('\n').count() as u32;
        let mut lines: Vec<u32> = d.iter().map(|d| d.line).collect();
        lines.extend(f.attendees.iter().chain(&f.regrets).chain(&f.moderators).chain(&f.note_takers).map(|p| p.span.line));
        lines.extend(f.actions.iter().map(|a| a.span.line));
        lines.extend(f.action_lines.iter().map(|a| a.span.line));
        lines.extend(f.date.iter().map(|d| d.1.line));
        for l in lines {
            proptest::prop_assert!(l >= first && l <= last, "line {} not in {}..={}", l, first, last);
        }
    }
}

/// (owners, line) of every new item the body gives, in order.
fn items_of(f: &BodyFacts) -> Vec<(Vec<String>, u32)> {
    f.actions
        .iter()
        .filter_map(|a| a.item.as_ref())
        .chain(f.action_lines.iter())
        .map(|i| {
            (
                i.owners.iter().map(|p| p.name.clone()).collect(),
                i.span.line,
            )
        })
        .collect()
}

fn own(names: &[&str], line: u32) -> (Vec<String>, u32) {
    (names.iter().map(|s| s.to_string()).collect(), line)
}

#[test]
fn real_world_owner_forms_in_action_sections() {
    let body = "\
## Action items

* Sweep the stale branches (Tamsin)
* [Odile & Bram] Post the survey results
* [x] Tidy the label list: Bram and Odile
* (harbor-kit): Rewrite the intake form
* Koa will book the room for the offsite
* Update the glossary (@fenwick)
* Bring the budget to the board (setup for everyone, driven by Tamsin)
* Plan the spring sprint
  * @harbor-kit to draft the sprint goals
* We will revisit this next month
* Chairs: No action

Ines: Collect the travel receipts
";
    let (f, _) = read(body);
    assert_eq!(
        items_of(&f),
        vec![
            own(&["Tamsin"], 3),
            own(&["Odile", "Bram"], 4),
            own(&["Bram", "Odile"], 5),
            own(&["harbor-kit"], 6),
            own(&["Koa"], 7),
            own(&["@fenwick"], 8),
            own(&["Tamsin"], 9),
            own(&["@harbor-kit"], 11),
            own(&["Ines"], 15),
        ],
        "`We will…` and `Chairs: No action` make no item"
    );
}

#[test]
fn action_lines_in_the_many_ways_notes_write_them() {
    let body = "\
Release planning

•\tAction Item: Marisol – Propose a date for the cut
\u{f0a7}\tAction Item: Yuki - Write the runbook
Action – Dario to ask the docs group
Action Tobin – take the naming to marketing
Action Item - Liv will add this to the notes
AI: kestrel will put it on the agenda
- (Seapine) [Action item] - Fix the priority guide
* Jeremiah: might try the heap change (ACTION)
Action: nothing for now
";
    let (f, _) = read(body);
    assert_eq!(
        items_of(&f),
        vec![
            own(&["Marisol"], 3),
            own(&["Yuki"], 4),
            own(&["Dario"], 5),
            own(&["Tobin"], 6),
            own(&["Liv"], 7),
            own(&["kestrel"], 8),
            own(&["Seapine"], 9),
            own(&["Jeremiah"], 10),
        ]
    );
}

#[test]
fn outcome_sections_of_name_dash_task_are_action_items() {
    let body = "\
## Outcomes from Agenda

Rosa - Follow up on the nightly failures
Idris - Review the caching RFC

#### Reviewers
- @rosa-h

## Outcomes from Discussion topics

- Cadence - every two weeks
- Mornings suit the Pacific members
";
    let (f, _) = read(body);
    assert_eq!(items_of(&f), vec![own(&["Rosa"], 3), own(&["Idris"], 4)]);
    let texts: Vec<&str> = f.outcomes.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "@rosa-h",
            "Cadence - every two weeks",
            "Mornings suit the Pacific members"
        ],
        "a mixed section stays outcomes"
    );
}

#[test]
fn a_bare_attendees_line_opens_the_list_below_it() {
    let body = "\
3/14 meeting of the release group

Attendees

Noor Haddad
Piet [Acme]

Agenda

- Cut the branch
";
    let (f, _) = read_at(body, 1, Some(2023));
    assert_eq!(names(&f.attendees), ["Noor Haddad", "Piet"]);
    assert_eq!(f.attendees[1].affiliation.as_deref(), Some("Acme"));
    assert_eq!(f.agenda.len(), 1);
}
