//! The theme: tera templates and static files. The default theme is embedded
//! in the binary from `themes/default`; another theme (`themes/<name>/`) and
//! then the site's own `templates/` and `static/` override it file by file.

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use std::collections::BTreeMap;
use std::path::Path;
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
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
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
];

/// Loaded templates and the static files to copy.
#[derive(Clone)]
pub struct Theme {
    /// The templates, ready to render (autoescape on for `.html`).
    pub tera: Tera,
    /// Static files by output path (forward slashes), theme first, site over it.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The default theme alone, as embedded in the binary.
    pub fn embedded() -> Result<Theme, Diagnostic> {
        Theme::build(BTreeMap::new(), BTreeMap::new())
    }

    /// The theme for the site at `root`: the embedded default, then
    /// `themes/<config.theme>/` (templates/, static/), then the site's own
    /// `templates/` and `static/`.
    pub fn load(root: &Path, config: &SiteConfig) -> Result<Theme, Diagnostic> {
        let mut templates = BTreeMap::new();
        let mut statics = BTreeMap::new();
        let mut dirs = Vec::new();
        if !config.theme.is_empty() {
            let theme_dir = root.join("themes").join(&config.theme);
            if config.theme != "default" && !theme_dir.is_dir() {
                return Err(Diagnostic::error(
                    "theme",
                    "quorum.toml",
                    1,
                    1,
                    format!(
                        "theme `{}`: {} is not a folder",
                        config.theme,
                        theme_dir.display()
                    ),
                )
                .with_help("use theme = \"default\", or create themes/<name>/templates"));
            }
            dirs.push(theme_dir);
        }
        dirs.push(root.to_path_buf());
        let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        for dir in &dirs {
            read_dir_files(&real_root, &dir.join("templates"), &mut templates, true)?;
            read_dir_files(&real_root, &dir.join("static"), &mut statics, false)?;
        }
        let templates = templates
            .into_iter()
            .map(|(name, bytes)| {
                String::from_utf8(bytes)
                    .map(|t| (name.clone(), t))
                    .map_err(|_| {
                        Diagnostic::error(
                            "template",
                            &format!("templates/{name}"),
                            1,
                            1,
                            "a template must be UTF-8 text",
                        )
                    })
            })
            .collect::<Result<BTreeMap<_, _>, _>>()?;
        Theme::build(templates, statics)
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
    Diagnostic::error("template", &format!("templates/{file}"), 1, 1, message)
        .with_help("fix the template, or remove it to use the default theme's")
}

/// Escapes text for HTML element content and quoted attribute values.
/// (tera's own also escapes `/`, which makes every URL unreadable.)
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Every file below `dir` into `out`, keyed by its path relative to `dir`
/// (for templates: relative path too, so `templates/meeting.html` is `meeting.html`).
/// A file or folder whose real path leaves the site root (`root`,
/// resolved) is an error: it is never read, so never published.
fn read_dir_files(
    root: &Path,
    dir: &Path,
    out: &mut BTreeMap<String, Vec<u8>>,
    templates: bool,
) -> Result<(), Diagnostic> {
    if !dir.is_dir() {
        return Ok(());
    }
    let what = if templates { "templates" } else { "static" };
    let leaves = |p: &Path| {
        crate::paths::outside(root, p).map(|real| {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned();
            crate::paths::outside_diagnostic(root, &rel, &real)
        })
    };
    if let Some(d) = leaves(dir) {
        return Err(d);
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| {
            Diagnostic::error(
                "unreadable-file",
                what,
                1,
                1,
                format!("cannot read {}: {e}", dir.display()),
            )
        })?;
        if entry.path_is_symlink() {
            if let Some(d) = leaves(entry.path()) {
                return Err(d);
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if rel.split('/').any(|c| c.starts_with('.')) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| {
            Diagnostic::error(
                "unreadable-file",
                &format!("{what}/{rel}"),
                1,
                1,
                format!("cannot read {}: {e}", entry.path().display()),
            )
        })?;
        out.insert(rel, bytes);
    }
    Ok(())
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
        let t = Theme::load(dir.path(), &SiteConfig::default()).unwrap();
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
        let d = Theme::load(dir.path(), &SiteConfig::default())
            .err()
            .unwrap();
        assert!(d.file.contains("meeting.html"), "{d:?}");
    }
}
