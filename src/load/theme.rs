//! Reads the site's theme files: `themes/<name>/` (templates/, static/),
//! then the site's own `templates/` and `static/` over them. The render
//! stage lays them over the embedded default theme.

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::ThemeFiles;
use std::collections::BTreeMap;
use std::path::Path;

/// The theme for the site at `root`: the embedded default, then
/// `themes/<config.theme>/` (templates/, static/), then the site's own
/// `templates/` and `static/`.
pub(crate) fn read(root: &Path, config: &SiteConfig) -> Result<ThemeFiles, Diagnostic> {
    let mut templates = BTreeMap::new();
    let mut statics = BTreeMap::new();
    let mut dirs = Vec::new();
    if !config.theme.is_empty() {
        let theme_dir = root.join("themes").join(&config.theme);
        if config.theme != "default" && !theme_dir.is_dir() {
            return Err(Diagnostic::error(
                Code::Theme,
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
                        Code::Template,
                        &format!("templates/{name}"),
                        1,
                        1,
                        "a template must be UTF-8 text",
                    )
                })
        })
        .collect::<Result<BTreeMap<_, _>, _>>()?;
    Ok(ThemeFiles { templates, statics })
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
                Code::UnreadableFile,
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
                Code::UnreadableFile,
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
