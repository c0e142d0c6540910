//! `quorum init [DIR]`: a new site that builds as it is, with a GitHub Actions
//! workflow that checks the notes and publishes the site to GitHub Pages.

use super::{Exit, Report};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The crates.io package quorum is published as (its command is `quorum`).
pub const PACKAGE: &str = env!("CARGO_PKG_NAME");

/// The command the workflow installs quorum with: this package, at the version
/// of the quorum that wrote the workflow (its `QUORUM_VERSION`).
pub const INSTALL_COMMAND: &str = concat!(
    "cargo install --locked ",
    env!("CARGO_PKG_NAME"),
    " --version \"$QUORUM_VERSION\""
);

/// The key of the group a new site starts with.
pub const FIRST_GROUP: &str = "steering";

/// The files of a new site, relative to its folder, for a first meeting on `today`.
pub fn site_files(today: NaiveDate) -> Vec<(PathBuf, String)> {
    let date = today.format("%Y-%m-%d");
    vec![
        (PathBuf::from("quorum.toml"), QUORUM_TOML.to_string()),
        (
            PathBuf::from(".gitignore"),
            "/public/\n.quorum-cache/\n".to_string(),
        ),
        (
            PathBuf::from("content/people.yaml"),
            PEOPLE_YAML.to_string(),
        ),
        (
            PathBuf::from(format!("content/{FIRST_GROUP}/_group.md")),
            GROUP_MD.to_string(),
        ),
        (
            PathBuf::from(format!("content/{FIRST_GROUP}/{date}.md")),
            FIRST_MEETING.replace("{date}", &date.to_string()),
        ),
        (PathBuf::from(".github/workflows/quorum.yml"), workflow()),
    ]
}

/// The GitHub Actions workflow of a new site.
pub fn workflow() -> String {
    WORKFLOW
        .replace("{quorum_steps}\n", QUORUM_STEPS)
        .replace("{install}", INSTALL_COMMAND)
        .replace("{package}", PACKAGE)
        .replace("{version}", env!("CARGO_PKG_VERSION"))
}

/// Whether `dir` is missing or an empty folder.
fn is_empty_dir(dir: &Path) -> std::io::Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
    }
}

/// Runs `init`: writes a new site into `dir` (created if missing). Refuses a
/// folder that holds anything (exit 1, nothing written).
pub fn run(dir: &Path, today: NaiveDate, report: &mut Report) -> std::io::Result<Exit> {
    // Where the folder really is: `x/../../site` names an existing site.
    let real = crate::paths::real_path(dir)?;
    let dir = real.as_path();
    if dir.exists() && !dir.is_dir() {
        writeln!(
            report.err,
            "error: {} exists and is not a folder; nothing was written",
            dir.display()
        )?;
        return Ok(Exit::Failure);
    }
    match is_empty_dir(dir) {
        Ok(true) => {}
        Ok(false) => {
            writeln!(
                report.err,
                "error: {} is not empty; nothing was written",
                dir.display()
            )?;
            writeln!(
                report.err,
                "  help: run `quorum init NEW-FOLDER` to make the site in a new folder"
            )?;
            return Ok(Exit::Failure);
        }
        Err(e) => {
            writeln!(report.err, "error: cannot read {}: {e}", dir.display())?;
            return Ok(Exit::Failure);
        }
    }
    let files = site_files(today);
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                std::io::Error::new(e.kind(), format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        // Create-new only: never a file that appeared since the check above.
        let written = crate::paths::write_new(&path, text.as_bytes());
        if let Err(e) = written {
            writeln!(report.err, "error: cannot write {}: {e}", path.display())?;
            writeln!(report.err, "  quorum init never replaces a file")?;
            return Ok(Exit::Failure);
        }
    }
    for (rel, _) in &files {
        writeln!(report.out, "{}", dir.join(rel).display())?;
    }
    writeln!(
        report.err,
        "made a new site in {}: `quorum build --root {}` renders it into public/",
        dir.display(),
        dir.display()
    )?;
    writeln!(
        report.err,
        "  next: edit content/people.yaml and content/{FIRST_GROUP}/_group.md; `quorum new {FIRST_GROUP}` writes the next meeting's note"
    )?;
    Ok(Exit::Success)
}

const QUORUM_TOML: &str = r#"# Site settings; every key is optional.
title = "Governance"
# The URL the site is served at, e.g. "https://org.github.io/governance/".
# Empty: links stay relative and there is no feed, sitemap or calendar.
# The GitHub Actions workflow passes the Pages URL with --base-url.
base_url = ""
timezone = "UTC"
# repo_url = "https://github.com/org/governance"   # edit and history links
strict = true

[actions]
stale_after = 3          # held meetings without an update before an open item is stale

[site]
attendance_window = 10   # meetings counted in attendance figures
"#;

const PEOPLE_YAML: &str = r#"# Who takes part, and the other names the notes use for them.
# Emails are never published unless quorum.toml sets [people] publish_email.
- name: Ada Chair
  handle: ada-chair
  aliases: [Ada]
- name: Sam Member
  handle: sam-member
  aliases: [Sam]
"#;

const GROUP_MD: &str = r#"---
name: Steering Committee
chairs: [Ada Chair]
members:
  - Ada Chair
  - Sam Member
quorum: 0.5
cadence: every 2 weeks
description: What this group looks after, in one line.
---
A longer description of the group, in markdown, shown on its page.
"#;

const FIRST_MEETING: &str = r#"---
title: Steering Committee meeting
date: {date}
time: "16:00"
location: https://meet.example.org/steering
moderator: Ada Chair
note_taker: Sam Member
attendees:
  - Ada Chair
  - Sam Member
agenda:
  - Review of open action items
  - Set up the notes site
outcomes:
  - text: Keep the meeting notes in this repository
    kind: decision
actions:
  - owner: Sam Member
    task: Invite the other members to the next meeting
    due: next meeting
---
Free notes of the discussion, in markdown.
"#;

/// The steps of every job that runs quorum: the cached binary, else installed.
const QUORUM_STEPS: &str = r#"      - name: Restore quorum
        id: quorum
        uses: actions/cache@v5
        with:
          path: ~/.cargo/bin/quorum
          key: quorum-${{ runner.os }}-${{ runner.arch }}-${{ env.QUORUM_VERSION }}
      - name: Install quorum
        if: steps.quorum.outputs.cache-hit != 'true'
        run: {install}
"#;

const WORKFLOW: &str = r#"# Checks the notes of every pull request (problems show as annotations on the
# diff), and publishes the site to GitHub Pages from the default branch.
# Once: Settings > Pages > Build and deployment > Source: GitHub Actions.
name: quorum

on:
  push:
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: quorum-${{ github.ref }}
  # A newer push replaces a pull request's check; a deployment runs to its end.
  cancel-in-progress: ${{ github.event_name == 'pull_request' }}

env:
  # The quorum release the site is built with (the crates.io package {package}).
  QUORUM_VERSION: "{version}"

jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v6
{quorum_steps}
      - name: Check the notes
        run: quorum check --format github

  build:
    if: github.event_name != 'pull_request' && github.ref_name == github.event.repository.default_branch
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pages: read
    steps:
      - uses: actions/checkout@v6
        with:
          fetch-depth: 0 # the whole history: each note's dates of change and authors
{quorum_steps}
      - name: Configure Pages
        id: pages
        uses: actions/configure-pages@v6
      - name: Build the site
        env:
          BASE_URL: ${{ steps.pages.outputs.base_url }}
        run: quorum build --base-url "$BASE_URL/"
      - uses: actions/upload-pages-artifact@v5
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v5
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_installs_this_package_at_this_version() {
        let wf = workflow();
        for hole in ["{quorum_steps}", "{install}", "{package}", "{version}"] {
            assert!(!wf.contains(hole), "{hole} left in: {wf}");
        }
        let installs: Vec<_> = wf
            .lines()
            .filter(|l| l.contains("cargo install") && !l.trim_start().starts_with('#'))
            .collect();
        assert_eq!(installs.len(), 2, "one per job: {wf}");
        for l in installs {
            assert!(
                l.contains("cargo install --locked quorum-ssg --version \"$QUORUM_VERSION\""),
                "{l}"
            );
        }
        assert!(wf.contains(&format!(
            "QUORUM_VERSION: \"{}\"",
            env!("CARGO_PKG_VERSION")
        )));
        assert!(wf.contains("run: quorum check --format github"));
        assert!(wf.contains("uses: actions/configure-pages@"));
        assert!(wf.contains("BASE_URL: ${{ steps.pages.outputs.base_url }}"));
        assert!(wf.contains("uses: actions/upload-pages-artifact@"));
        assert!(wf.contains("uses: actions/deploy-pages@"));
    }

    #[test]
    fn new_site_holds_the_first_meeting_of_today() {
        let files = site_files(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap_or_default());
        assert!(files
            .iter()
            .any(|(p, _)| p == Path::new("content/steering/2024-03-05.md")));
        assert!(files
            .iter()
            .any(|(p, _)| p == Path::new(".github/workflows/quorum.yml")));
    }
}
