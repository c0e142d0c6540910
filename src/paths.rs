//! The paths a user gives, resolved to where they really are, and the guard
//! that keeps quorum's output away from the notes.
//!
//! A path is checked only after [`real_path`] has resolved it: `..`, `.` and
//! every symbolic link along it, so `--out nonexist/../content` is seen for
//! what it is (the notes folder) and refused.

use crate::config::SiteConfig;
use crate::diagnostics::Code;
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

/// `path` (relative to the current folder unless absolute) as it really is:
/// absolute, with `.` and `..` resolved and every symbolic link along its
/// existing part followed. The part that does not exist yet is kept as
/// written, its `..` resolved against what precedes it.
pub fn real_path(path: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    let mut cur = PathBuf::new();
    let mut exists = true;
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => cur.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                cur.pop();
                // Above a missing folder, the path may exist again.
                exists = cur.exists();
            }
            Component::Normal(name) => {
                cur.push(name);
                if exists || cur.symlink_metadata().is_ok() {
                    match cur.canonicalize() {
                        Ok(real) => {
                            cur = real;
                            exists = true;
                        }
                        Err(e) if e.kind() == io::ErrorKind::NotFound => exists = false,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
    }
    Ok(cur)
}

/// `path` resolved against `base` when relative, then made real.
pub fn real_path_in(base: &Path, path: &Path) -> io::Result<PathBuf> {
    if path.is_absolute() {
        real_path(path)
    } else {
        real_path(&base.join(path))
    }
}

/// Why a folder may not be quorum's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The output folder, resolved.
    pub out: PathBuf,
    /// The folder of the site's sources it collides with, resolved.
    pub source: PathBuf,
    /// What that folder is (`the site root`, `the content folder`, …).
    pub what: String,
    /// How they collide: `is`, `holds` or `lies inside`.
    pub how: &'static str,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the output folder {} {} {} ({}); refusing to build there, as the build would replace the site's own files",
            self.out.display(),
            self.how,
            self.what,
            self.source.display()
        )
    }
}

/// The folders of a site that hold what the user wrote, resolved: the root,
/// the content folder, every group folder, `templates/`, `static/` and
/// `themes/`. (`config` is `None` when quorum.toml cannot be read: the
/// defaults are taken.)
pub fn source_folders(root: &Path, config: Option<&SiteConfig>) -> Vec<(String, PathBuf)> {
    let content = config.map_or("content", |c| c.content.as_str());
    let mut list = vec![
        ("the site root".to_string(), root.to_path_buf()),
        (
            format!("the content folder `{content}`"),
            root.join(content),
        ),
    ];
    if let Some(c) = config {
        for (key, g) in &c.groups {
            if let Some(p) = &g.path {
                list.push((format!("the folder `{p}` of group `{key}`"), root.join(p)));
            }
        }
    }
    for d in ["templates", "static", "themes"] {
        list.push((format!("the `{d}` folder"), root.join(d)));
    }
    list.into_iter()
        .map(|(what, p)| {
            let real = real_path(&p).unwrap_or(p);
            (what, real)
        })
        .collect()
}

/// Err when the output folder `out` (resolved) is, holds or lies inside one
/// of the site's source folders (the root only when it is or holds it: an
/// output such as `public/` inside the root is the usual place).
pub fn check_output(out: &Path, sources: &[(String, PathBuf)]) -> Result<(), Refused> {
    for (i, (what, src)) in sources.iter().enumerate() {
        let how = if out == src {
            "is"
        } else if src.starts_with(out) {
            "holds"
        } else if i > 0 && out.starts_with(src) {
            "lies inside"
        } else {
            continue;
        };
        return Err(Refused {
            out: out.to_path_buf(),
            source: src.clone(),
            what: what.clone(),
            how,
        });
    }
    Ok(())
}

/// The output folder `out` (relative to the site root unless absolute),
/// resolved, or the message that refuses it (exit 2).
pub fn output_folder(root: &Path, out: &Path) -> Result<PathBuf, String> {
    let real = real_path_in(root, out)
        .map_err(|e| format!("cannot resolve the output folder {}: {e}", out.display()))?;
    let root = real_path(root).unwrap_or_else(|_| root.to_path_buf());
    let config = SiteConfig::load(&root).ok();
    check_output(&real, &source_folders(&root, config.as_ref())).map_err(|r| r.to_string())?;
    Ok(real)
}

/// Where `path` really is, when that is outside `root` (resolved): a link
/// out of the site, which quorum does not read. `None` when it is inside
/// (or cannot be resolved: reading it then reports why).
pub fn outside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    (!real.starts_with(root)).then_some(real)
}

/// The diagnostic for `rel` (relative to the site root), a link to `real`
/// outside the site root `root`.
pub fn outside_diagnostic(root: &Path, rel: &str, real: &Path) -> crate::diagnostics::Diagnostic {
    crate::diagnostics::Diagnostic::error(
        Code::LinkOutsideRoot,
        rel,
        1,
        1,
        format!(
            "{} links to {}, outside the site root {}: it is not read",
            root.join(rel).display(),
            real.display(),
            root.display()
        ),
    )
    .with_help("copy the file into the site, or remove the link")
}

/// Whether `path` (resolved) lies inside `root` (resolved) or is it.
pub fn within(path: &Path, root: &Path) -> bool {
    path.starts_with(root)
}

/// Writes `bytes` to a new file at `path`, never replacing one: a file that
/// already exists (even one that appeared a moment ago) is an
/// `AlreadyExists` error and stays as it was.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_dots_over_missing_folders_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(base.join("site/content")).unwrap();
        let got = real_path(&base.join("site/nonexist/../content")).unwrap();
        assert_eq!(got, base.join("site/content"));
        let got = real_path(&base.join("site/x/y/../../content/new")).unwrap();
        assert_eq!(got, base.join("site/content/new"));
        std::os::unix::fs::symlink(base.join("site/content"), base.join("link")).unwrap();
        let got = real_path(&base.join("link/../elsewhere")).unwrap();
        assert_eq!(got, base.join("site/elsewhere"), "`..` after a link");
        assert_eq!(
            real_path(&base.join("link")).unwrap(),
            base.join("site/content")
        );
    }

    #[test]
    fn the_output_may_not_touch_the_sources() {
        let root = PathBuf::from("/s");
        let sources = source_folders(&root, None);
        let how = |out: &str| check_output(Path::new(out), &sources).err().map(|r| r.how);
        assert_eq!(how("/s/public"), None);
        assert_eq!(how("/elsewhere/out"), None);
        assert_eq!(how("/s"), Some("is"));
        assert_eq!(how("/"), Some("holds"));
        assert_eq!(how("/s/content"), Some("is"));
        assert_eq!(how("/s/content/steering"), Some("lies inside"));
        assert_eq!(how("/s/themes/x"), Some("lies inside"));
        assert_eq!(how("/s/static"), Some("is"));
        let r = check_output(Path::new("/s/content/a"), &sources).unwrap_err();
        assert!(
            r.to_string()
                .contains("/s/content/a lies inside the content folder `content` (/s/content)"),
            "{r}"
        );
    }
}
