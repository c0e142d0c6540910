//! Conventions of the command line: `--version`, shell completions, the man
//! page, what `build` prints, and what the published package holds.

use crate::support::{copy_site, fixture, quorum, repo, stderr, stdout};
use std::process::Command;

const SUBCOMMANDS: &[&str] = &[
    "check",
    "actions",
    "build",
    "schema",
    "init",
    "new",
    "ids",
    "serve",
    "import",
    "completions",
    "man",
];

#[test]
fn version_names_the_commit_it_was_built_from() {
    let o = quorum(&repo(), &["--version"]);
    assert_eq!(o.status.code(), Some(0));
    let line = stdout(&o);
    let prefix = format!("quorum {} (commit ", env!("CARGO_PKG_VERSION"));
    let commit = line
        .trim()
        .strip_prefix(&prefix)
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{line}"));
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
        "{line}"
    );
    // In the project's own checkout it is HEAD.
    let head = Command::new("git")
        .args(["rev-parse", "--show-toplevel", "--short=12", "HEAD"])
        .current_dir(repo())
        .output();
    if let Some(h) = head.ok().filter(|h| h.status.success()) {
        let text = String::from_utf8_lossy(&h.stdout).to_string();
        let mut lines = text.lines();
        let top = lines.next().unwrap_or_default();
        if std::fs::canonicalize(top).ok() == std::fs::canonicalize(repo()).ok() {
            assert_eq!(Some(commit), lines.next(), "{line}");
        }
    }
}

/// Runs the bash completion function on a command line typed so far.
fn bash_complete(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={cword}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; \
         _quorum quorum '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.join(" "),
        words[cword],
        words[cword.saturating_sub(1)],
    );
    let o = Command::new("bash")
        .args(["--norc", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o).lines().map(str::to_string).collect()
}

#[test]
fn bash_completion_completes_commands_and_options() {
    let o = quorum(&repo(), &["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("quorum.bash");
    std::fs::write(&script, &o.stdout).unwrap();
    assert_eq!(bash_complete(&script, &["quorum", "bui"]), ["build"]);
    let all = bash_complete(&script, &["quorum", ""]);
    for sub in SUBCOMMANDS {
        assert!(all.iter().any(|w| w == sub), "{sub} not in {all:?}");
    }
    let opts = bash_complete(&script, &["quorum", "build", "--no-"]);
    for opt in ["--no-search", "--no-history", "--no-cache"] {
        assert!(opts.iter().any(|w| w == opt), "{opt} not in {opts:?}");
    }
    let shells = bash_complete(&script, &["quorum", "completions", ""]);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        assert!(
            shells.iter().any(|w| w == shell),
            "{shell} not in {shells:?}"
        );
    }
}

#[test]
fn completions_for_zsh_fish_and_powershell_name_every_command() {
    for (shell, marker) in [
        ("zsh", "#compdef quorum"),
        ("fish", "complete -c quorum"),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName 'quorum'",
        ),
    ] {
        let o = quorum(&repo(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let text = stdout(&o);
        assert!(text.contains(marker), "{shell}: {text}");
        for sub in SUBCOMMANDS {
            assert!(text.contains(sub), "{shell}: no {sub}");
        }
        assert!(text.contains("keep-going"), "{shell}: no build options");
    }
    let o = quorum(&repo(), &["completions", "tcsh"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn man_page_is_roff_with_every_command_and_the_version() {
    let o = quorum(&repo(), &["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let roff = stdout(&o);
    let th = roff
        .lines()
        .find(|l| l.starts_with(".TH "))
        .expect("a .TH title line");
    assert!(th.starts_with(".TH quorum 1"), "{th}");
    assert!(th.contains(env!("CARGO_PKG_VERSION")), "{th}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(roff.contains(section), "no {section}");
    }
    for sub in SUBCOMMANDS {
        assert!(
            roff.contains(&format!("quorum\\-{}", sub.replace('-', "\\-"))),
            "no {sub}"
        );
    }
    assert!(roff.contains("\\-\\-root"));
    // Where a roff formatter is at hand, it reads the page without complaint.
    if let Ok(g) = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        let mut g = g;
        g.stdin.take().unwrap().write_all(roff.as_bytes()).unwrap();
        let out = g.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn build_prints_one_line_per_kind_of_warning_and_all_with_verbose() {
    let site = copy_site(&fixture("generated"));
    let check = quorum(
        site.path(),
        &["--today", "2026-12-01", "check", "--format", "json"],
    );
    let diags: Vec<serde_json::Value> = serde_json::from_slice(&check.stdout).unwrap();
    let warnings: Vec<_> = diags
        .iter()
        .filter(|d| d["severity"] == "warning")
        .collect();
    let mut codes: Vec<&str> = warnings
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    assert!(
        warnings.len() > 50 && codes.len() >= 2,
        "the fixture has many warnings"
    );

    let o = quorum(
        site.path(),
        &["--today", "2026-12-01", "build", "--no-history"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    for code in &codes {
        let n = warnings.iter().filter(|d| d["code"] == *code).count();
        let lines: Vec<_> = err
            .lines()
            .filter(|l| l.starts_with(&format!("warning[{code}]")))
            .collect();
        assert_eq!(lines.len(), 1, "{code}: {err}");
        let noun = if n == 1 { "warning" } else { "warnings" };
        assert!(
            lines[0].contains(&format!(": {n} {noun} (the first at ")),
            "{}",
            lines[0]
        );
    }
    assert!(err.contains("run `quorum check` for the list"), "{err}");
    assert!(err.lines().count() <= codes.len() + 4, "{err}");
    assert!(!err.contains('\u{1b}'), "nothing drawn when piped: {err:?}");

    let o = quorum(
        site.path(),
        &[
            "--today",
            "2026-12-01",
            "build",
            "--no-history",
            "--verbose",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let printed = err.lines().filter(|l| l.contains(": warning[")).count();
    assert_eq!(printed, warnings.len(), "{err}");
}

#[test]
fn package_holds_sources_theme_and_docs_and_no_caches_or_outputs() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let o = Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(repo())
        .output()
        .expect("cargo runs");
    assert!(o.status.success(), "{}", stderr(&o));
    let list = stdout(&o);
    let files: Vec<&str> = list.lines().collect();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "src/main.rs",
        "src/lib.rs",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "docs/getting-started.md",
        "docs/configuration.md",
        "docs/migrating.md",
        "docs/format.md",
    ] {
        assert!(files.contains(&needed), "{needed} not packaged:\n{list}");
    }
    assert!(
        files.iter().any(|f| f.starts_with("themes/default/")),
        "no theme"
    );
    // Every file the theme embeds is there.
    for entry in walkdir::WalkDir::new(repo().join("themes")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(repo()).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            assert!(files.contains(&rel.as_str()), "{rel} not packaged");
        }
    }
    for f in &files {
        for banned in [
            ".quorum-cache/",
            "public/",
            "node_modules/",
            "benches/",
            "target/",
        ] {
            assert!(!f.contains(banned), "{f} should not be packaged");
        }
        assert!(!f.ends_with(".snap.new"), "{f} is a test output");
    }
}
