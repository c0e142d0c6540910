//! quorum.toml into a validated [`SiteConfig`]. Every key is optional; an
//! unknown key is reported with the nearest known one.

use crate::diagnostics::{nearest, Code, Diagnostic};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A group whose notes live outside `content/`.
#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GroupConfig {
    /// Folder of its notes, relative to the site root.
    pub path: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Globs (relative to the group folder) of files that are not notes.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Per-group strictness.
    pub strict: Option<bool>,
    /// Whether a file holding several dated sections is read as one meeting
    /// per section (`[site] split` when unset).
    pub split: Option<bool>,
}

/// `[actions]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ActionsConfig {
    /// Held meetings without an update after which an open item is stale.
    pub stale_after: u32,
    /// Auto-link similar new items to open ones.
    pub link_similar: bool,
    /// Dice coefficient needed for an auto-link.
    pub similarity: f64,
}

impl Default for ActionsConfig {
    fn default() -> Self {
        ActionsConfig {
            stale_after: 3,
            link_similar: true,
            similarity: 0.8,
        }
    }
}

/// `[site]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SiteSection {
    /// Meetings counted in attendance figures.
    pub attendance_window: u32,
    /// Whether a file holding several dated sections is read as one meeting
    /// per section, in groups that do not say (`[groups.<key>] split`,
    /// `split:` in `_group.md`).
    pub split: bool,
}

impl Default for SiteSection {
    fn default() -> Self {
        SiteSection {
            attendance_window: 10,
            split: true,
        }
    }
}

/// `[search]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Build the search index and show the search box.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[people]`.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct PeopleConfig {
    /// Publish email addresses from people.yaml and notes.
    pub publish_email: bool,
}

/// The validated contents of quorum.toml.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Site title.
    pub title: String,
    /// Absolute URL the site is served at (empty: no feed, sitemap or ICS).
    pub base_url: String,
    /// Theme name (`default`, or a folder under `themes/`).
    pub theme: String,
    /// Time zone for meetings that name none.
    pub timezone: String,
    /// Repository URL for edit and history links.
    pub repo_url: String,
    /// Folder holding the groups' folders.
    pub content: String,
    /// Unknown keys and wrong-typed optional keys are errors.
    pub strict: bool,
    /// Largest note read, in bytes.
    pub max_file_size: u64,
    /// Groups configured by key.
    pub groups: BTreeMap<String, GroupConfig>,
    /// `[actions]`.
    pub actions: ActionsConfig,
    /// `[site]`.
    pub site: SiteSection,
    /// `[search]`.
    pub search: SearchConfig,
    /// `[people]`.
    pub people: PeopleConfig,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Governance".into(),
            base_url: String::new(),
            theme: "default".into(),
            timezone: "UTC".into(),
            repo_url: String::new(),
            content: "content".into(),
            strict: true,
            max_file_size: 10 * 1024 * 1024,
            groups: BTreeMap::new(),
            actions: ActionsConfig::default(),
            site: SiteSection::default(),
            search: SearchConfig::default(),
            people: PeopleConfig::default(),
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "title",
    "base_url",
    "theme",
    "timezone",
    "repo_url",
    "content",
    "strict",
    "max_file_size",
    "groups",
    "actions",
    "site",
    "search",
    "people",
];
const SECTION_KEYS: &[(&str, &[&str])] = &[
    ("actions", &["stale_after", "link_similar", "similarity"]),
    ("site", &["attendance_window", "split"]),
    ("search", &["enabled"]),
    ("people", &["publish_email"]),
];
const GROUP_KEYS: &[&str] = &["path", "name", "exclude", "strict", "split"];

impl SiteConfig {
    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let rest = self
            .base_url
            .split_once("://")
            .map(|(_, r)| r.find('/').map(|i| &r[i..]).unwrap_or("/"))
            .unwrap_or(self.base_url.as_str());
        let trimmed = rest.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// The folder of the group `key`'s notes, relative to the site root:
    /// its configured `path`, else `<content>/<key>`, with no trailing `/`.
    pub fn group_dir(&self, key: &str) -> String {
        let dir = match self.groups.get(key).and_then(|g| g.path.clone()) {
            Some(p) => p,
            None => format!("{}/{key}", self.content.trim_end_matches('/')),
        };
        dir.trim_end_matches('/').to_string()
    }

    /// The group folders configured with a `path` (which may lie outside the
    /// content folder), as written in quorum.toml.
    pub fn group_dirs(&self) -> Vec<String> {
        self.groups
            .values()
            .filter_map(|g| g.path.clone())
            .collect()
    }

    /// Every folder notes are read from: the content folder, then the group
    /// folders configured with a `path`. Git history and the watcher look here.
    pub fn source_dirs(&self) -> Vec<String> {
        let mut dirs = vec![self.content.clone()];
        dirs.extend(self.group_dirs());
        dirs
    }

    /// Reads quorum.toml from `root`; a missing file gives the defaults.
    /// Errors are diagnostics against `quorum.toml`.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join("quorum.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => SiteConfig::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SiteConfig::default()),
            Err(e) => Err(vec![Diagnostic::error(
                Code::UnreadableConfig,
                "quorum.toml",
                1,
                1,
                format!("cannot read {}: {e}", path.display()),
            )]),
        }
    }

    /// Parses the text of quorum.toml.
    pub fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let value: toml::Table = toml::from_str(text).map_err(|e| vec![toml_diag(text, &e)])?;
        let mut diags = unknown_keys(text, &value);
        // From the text (not the table): type errors keep their spans.
        let config = match toml::from_str::<SiteConfig>(text) {
            Ok(c) => Some(c),
            Err(e) => {
                // Unknown keys were already reported with a suggestion.
                if diags.is_empty() {
                    let (line, col) = first_position(text, &e);
                    diags.push(Diagnostic::error(
                        Code::Config,
                        "quorum.toml",
                        line,
                        col,
                        e.message().to_string(),
                    ));
                }
                None
            }
        };
        if let Some(c) = &config {
            if !(0.0..=1.0).contains(&c.actions.similarity) {
                diags.push(Diagnostic::error(
                    Code::Config,
                    "quorum.toml",
                    find_line(text, "similarity"),
                    1,
                    format!(
                        "similarity must lie between 0 and 1, not {}",
                        c.actions.similarity
                    ),
                ));
            }
            for (key, url) in [("base_url", &c.base_url), ("repo_url", &c.repo_url)] {
                if let Err(why) = check_url(url) {
                    diags.push(
                        Diagnostic::error(
                            Code::Config,
                            "quorum.toml",
                            find_line(text, key),
                            1,
                            format!("{key} `{}` {why}", crate::text::escape_control(url)),
                        )
                        .with_help("write an http(s) URL such as \"https://example.org/governance/\", or leave it empty"),
                    );
                }
            }
            if c.timezone.parse::<chrono_tz::Tz>().is_err()
                && crate::text::parse_offset(&c.timezone).is_none()
            {
                diags.push(
                    Diagnostic::error(
                        Code::Config,
                        "quorum.toml",
                        find_line(text, "timezone"),
                        1,
                        format!("unknown time zone `{}`", c.timezone),
                    )
                    .with_help(
                        "use an IANA name such as Europe/Berlin, UTC, or an offset such as +02:00",
                    ),
                );
            }
            for (key, g) in &c.groups {
                for glob in &g.exclude {
                    if globset::Glob::new(glob).is_err() {
                        diags.push(Diagnostic::error(
                            Code::Config,
                            "quorum.toml",
                            find_line(text, glob),
                            1,
                            format!("group `{key}`: `{glob}` is not a valid glob"),
                        ));
                    }
                }
            }
        }
        match config {
            Some(c) if diags.is_empty() => Ok(c),
            _ => Err(diags),
        }
    }
}

fn unknown_keys(text: &str, table: &toml::Table) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut report = |key: &str, known: &[&str], section: &str| {
        let mut d = Diagnostic::error(
            Code::UnknownKey,
            "quorum.toml",
            find_line(text, key),
            1,
            format!("unknown key `{key}`{section}"),
        );
        d = match nearest(key, known) {
            Some(k) => d.with_help(format!("did you mean `{k}`?")),
            None => d.with_help(format!("known keys: {}", known.join(", "))),
        };
        diags.push(d);
    };
    for (key, value) in table {
        if !TOP_KEYS.contains(&key.as_str()) {
            report(key, TOP_KEYS, "");
            continue;
        }
        if let Some((_, known)) = SECTION_KEYS.iter().find(|(s, _)| s == key) {
            if let Some(t) = value.as_table() {
                for k in t.keys() {
                    if !known.contains(&k.as_str()) {
                        report(k, known, &format!(" in [{key}]"));
                    }
                }
            }
        }
        if key == "groups" {
            if let Some(groups) = value.as_table() {
                for (g, v) in groups {
                    if let Some(t) = v.as_table() {
                        for k in t.keys() {
                            if !GROUP_KEYS.contains(&k.as_str()) {
                                report(k, GROUP_KEYS, &format!(" in [groups.{g}]"));
                            }
                        }
                    }
                }
            }
        }
    }
    diags
}

/// Checks a URL setting (`base_url`, `repo_url`): empty, or `http://` or
/// `https://` with a host and no white space or control characters (so no
/// `javascript:` link reaches a page).
pub(crate) fn check_url(url: &str) -> Result<(), &'static str> {
    if url.is_empty() {
        return Ok(());
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or("is not an http(s) URL")?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err("names no host");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"<>`\\".contains(c))
    {
        return Err("holds white space, quotes or control characters");
    }
    Ok(())
}

/// The first line of `text` that sets `key` (1 when none does).
fn find_line(text: &str, key: &str) -> u32 {
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            t.starts_with(key) && t[key.len()..].trim_start().starts_with('=')
                || t.contains(&format!("\"{key}\""))
        })
        .map(|i| i as u32 + 1)
        .unwrap_or(1)
}

fn first_position(text: &str, e: &toml::de::Error) -> (u32, u32) {
    match e.span() {
        Some(span) => crate::text::line_col(text, span.start),
        None => (1, 1),
    }
}

fn toml_diag(text: &str, e: &toml::de::Error) -> Diagnostic {
    let (line, col) = first_position(text, e);
    Diagnostic::error(
        Code::ConfigSyntax,
        "quorum.toml",
        line,
        col,
        e.message().to_string(),
    )
    .with_help("quorum.toml must be valid TOML: https://toml.io")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_empty() {
        let c = SiteConfig::parse("").unwrap();
        assert_eq!(c, SiteConfig::default());
        assert_eq!(c.actions.stale_after, 3);
    }

    #[test]
    fn unknown_key_names_nearest() {
        let err = SiteConfig::parse("title = \"x\"\n[actions]\nstale_afer = 2\n").unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].line, 3);
        assert_eq!(err[0].help.as_deref(), Some("did you mean `stale_after`?"));
    }

    #[test]
    fn base_path_of_url() {
        let mut c = SiteConfig::default();
        assert_eq!(c.base_path(), "/");
        c.base_url = "https://example.org/governance".into();
        assert_eq!(c.base_path(), "/governance/");
        c.base_url = "https://example.org".into();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn groups_table() {
        let c =
            SiteConfig::parse("[groups.sig-security]\npath = \"meetings/notes\"\nstrict = false\n")
                .unwrap();
        assert_eq!(
            c.groups["sig-security"].path.as_deref(),
            Some("meetings/notes")
        );
    }

    #[test]
    fn split_switches() {
        let c = SiteConfig::parse("[site]\nsplit = false\n[groups.tsc]\nsplit = true\n").unwrap();
        assert!(!c.site.split);
        assert_eq!(c.groups["tsc"].split, Some(true));
        assert!(SiteConfig::default().site.split);
        let err = SiteConfig::parse("[groups.tsc]\nsplitt = false\n").unwrap_err();
        assert_eq!(err[0].help.as_deref(), Some("did you mean `split`?"));
        let err = SiteConfig::parse("[site]\nspilt = false\n").unwrap_err();
        assert_eq!(err[0].help.as_deref(), Some("did you mean `split`?"));
    }

    #[test]
    fn wrong_type_is_reported() {
        let err = SiteConfig::parse("strict = \"yes\"\n").unwrap_err();
        assert_eq!(err[0].line, 1);
        let err =
            SiteConfig::parse("title = \"T\"\n\n[actions]\nstale_after = \"x\"\n").unwrap_err();
        assert_eq!((err[0].line, err[0].col), (4, 15));
    }

    #[test]
    fn urls_must_be_http() {
        assert!(check_url("").is_ok());
        assert!(check_url("https://example.org/gov/").is_ok());
        assert!(check_url("HTTP://localhost:1111/").is_ok());
        assert!(check_url("javascript:alert(1)//").is_err());
        assert!(check_url("https:///x").is_err());
        assert!(check_url("https://a b/").is_err());
    }
}
