//! The theme: tera templates and static files. The default theme is embedded
//! in the binary from `themes/default`; another theme (`themes/<name>/`) and
//! then the site's own `templates/` and `static/` override it file by file.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::ThemeFiles;
use std::collections::BTreeMap;
use tera::Tera;

/// The default theme's templates, by name.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "macros.html",
        include_str!("../../themes/default/templates/macros.html"),
    ),
    (
        "item_table.html",
        include_str!("../../themes/default/templates/item_table.html"),
    ),
    (
        "meeting_table.html",
        include_str!("../../themes/default/templates/meeting_table.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "groups.html",
        include_str!("../../themes/default/templates/groups.html"),
    ),
    (
        "group.html",
        include_str!("../../themes/default/templates/group.html"),
    ),
    (
        "meeting.html",
        include_str!("../../themes/default/templates/meeting.html"),
    ),
    (
        "people.html",
        include_str!("../../themes/default/templates/people.html"),
    ),
    (
        "person.html",
        include_str!("../../themes/default/templates/person.html"),
    ),
    (
        "actions.html",
        include_str!("../../themes/default/templates/actions.html"),
    ),
    (
        "item.html",
        include_str!("../../themes/default/templates/item.html"),
    ),
    (
        "decisions.html",
        include_str!("../../themes/default/templates/decisions.html"),
    ),
    (
        "decision.html",
        include_str!("../../themes/default/templates/decision.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "group_debt.html",
        include_str!("../../themes/default/templates/group_debt.html"),
    ),
    (
        "health.html",
        include_str!("../../themes/default/templates/health.html"),
    ),
    (
        "since.html",
        include_str!("../../themes/default/templates/since.html"),
    ),
    (
        "meeting_since.html",
        include_str!("../../themes/default/templates/meeting_since.html"),
    ),
    (
        "person_since.html",
        include_str!("../../themes/default/templates/person_since.html"),
    ),
    (
        "person_feed.html",
        include_str!("../../themes/default/templates/person_feed.html"),
    ),
    (
        "home_debt.html",
        include_str!("../../themes/default/templates/home_debt.html"),
    ),
    (
        "item_links.html",
        include_str!("../../themes/default/templates/item_links.html"),
    ),
    (
        "decision_links.html",
        include_str!("../../themes/default/templates/decision_links.html"),
    ),
    (
        "links.html",
        include_str!("../../themes/default/templates/links.html"),
    ),
];

/// The default theme's static files, by output path.
const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "actions.js",
        include_bytes!("../../themes/default/static/actions.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "decisions.js",
        include_bytes!("../../themes/default/static/decisions.js"),
    ),
];

/// Loaded templates and the static files to copy.
#[derive(Clone)]
pub(crate) struct Theme {
    /// The templates, ready to render (autoescape on for `.html`).
    pub tera: Tera,
    /// Static files by output path (forward slashes), theme first, site over it.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The default theme alone, as embedded in the binary.
    #[cfg(test)]
    pub(crate) fn embedded() -> Result<Theme, Diagnostic> {
        Theme::build(BTreeMap::new(), BTreeMap::new())
    }

    /// The theme from the files [`crate::load::theme::read`] found: the
    /// embedded default with them laid over it.
    pub(crate) fn from_files(files: ThemeFiles) -> Result<Theme, Diagnostic> {
        Theme::build(files.templates, files.statics)
    }

    fn build(
        overrides: BTreeMap<String, String>,
        statics: BTreeMap<String, Vec<u8>>,
    ) -> Result<Theme, Diagnostic> {
        let mut all: BTreeMap<String, String> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        all.extend(overrides);
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(all.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_diagnostic(&e))?;
        let mut static_files: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        static_files.extend(statics);
        Ok(Theme { tera, static_files })
    }
}

/// A tera error as a diagnostic against the template it names.
pub(crate) fn template_diagnostic(e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    let file = message
        .split('\'')
        .nth(1)
        .filter(|n| n.contains('.'))
        .unwrap_or("templates")
        .to_string();
    Diagnostic::error(Code::Template, &format!("templates/{file}"), 1, 1, message)
        .with_help("fix the template, or remove it to use the default theme's")
}

/// Escapes text for HTML element content and quoted attribute values.
/// (tera's own also escapes `/`, which makes every URL unreadable.)
pub(crate) fn escape_html(input: &str) -> String {
    // A byte scan copying the runs between the five special bytes (none of
    // them occurs inside a multi-byte character): pages are large.
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut last = 0;
    for (i, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&input[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_parses() {
        let t = Theme::embedded().unwrap();
        assert!(t.tera.get_template_names().any(|n| n == "meeting.html"));
        assert!(t.static_files.contains_key("style.css"));
    }

    #[test]
    fn site_overrides_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(
            dir.path().join("templates/404.html"),
            "{% extends \"base.html\" %}{% block main %}<h1>Gone</h1>{% endblock %}",
        )
        .unwrap();
        std::fs::write(dir.path().join("static/style.css"), "body{}").unwrap();
        std::fs::write(dir.path().join("static/robots.txt"), "x").unwrap();
        let t = crate::load::theme::read(dir.path(), &crate::config::SiteConfig::default())
            .and_then(Theme::from_files)
            .unwrap();
        assert_eq!(t.static_files["style.css"], b"body{}");
        assert!(t.static_files.contains_key("robots.txt"));
        let mut ctx = tera::Context::new();
        ctx.insert("root", "./");
        let out = t.tera.render("404.html", &ctx);
        // Rendering needs the base context; a parse error would have failed load.
        let _ = out;
    }

    #[test]
    fn broken_template_is_a_diagnostic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/meeting.html"), "{% if %}").unwrap();
        let d = crate::load::theme::read(dir.path(), &crate::config::SiteConfig::default())
            .and_then(Theme::from_files)
            .err()
            .unwrap();
        assert!(d.file.contains("meeting.html"), "{d:?}");
    }
}
