use super::*;

fn note_text(date: &str, title: &str) -> String {
    format!("---\ndate: {date}\ntitle: {title}\n---\nNotes.\n")
}

fn paths_and_titles(c: &Corpus) -> Vec<(String, Option<String>)> {
    c.notes
        .iter()
        .map(|n| (n.path.clone(), n.title.clone()))
        .collect()
}

#[test]
fn told_what_changed_a_load_equals_a_full_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let w = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w(
        "content/wg/2024/2024-01-02.md",
        &note_text("2024-01-02", "One"),
    );
    w(
        "content/wg/2024/2024-01-09.md",
        &note_text("2024-01-09", "Two"),
    );
    w("content/wg/2024-b.md", &note_text("2024-02-01", "Beside"));
    w(
        "content/tsc/2024-01-03.md",
        &note_text("2024-01-03", "Three"),
    );
    let config = SiteConfig::default();
    let mut cache = NoteCache::new();
    let (first, _) = load_site_cached(root, &config, &mut cache);
    assert_eq!(first.notes.len(), 4);

    // An edit, a new note sorting between others, a deletion, a note
    // starting with `_` (not a note), all reported by a watcher.
    w(
        "content/wg/2024/2024-01-09.md",
        &note_text("2024-01-09", "Two, edited"),
    );
    w(
        "content/wg/2024/2024-01-05.md",
        &note_text("2024-01-05", "New"),
    );
    w(
        "content/wg/2024/_draft.md",
        &note_text("2024-01-06", "Draft"),
    );
    std::fs::remove_file(root.join("content/tsc/2024-01-03.md")).unwrap();
    let changed = [
        "content/wg/2024/2024-01-09.md",
        "content/wg/2024/2024-01-05.md",
        "content/wg/2024/_draft.md",
        "content/tsc/2024-01-03.md",
    ];
    cache.expect_changes(changed.iter().map(|s| s.to_string()).collect());
    let (told, _) = load_site_cached(root, &config, &mut cache);
    assert_eq!(cache.misses, 2, "only the edited and the new note are read");
    let (full, _) = load_site(root, &config);
    assert_eq!(paths_and_titles(&told), paths_and_titles(&full));
    assert!(paths_and_titles(&told)
        .iter()
        .any(|(_, t)| t.as_deref() == Some("Two, edited")));

    // A folder removed: every note under it goes.
    std::fs::remove_dir_all(root.join("content/wg/2024")).unwrap();
    cache.expect_changes(vec!["content/wg/2024".into()]);
    let (told, _) = load_site_cached(root, &config, &mut cache);
    let (full, _) = load_site(root, &config);
    assert_eq!(paths_and_titles(&told), paths_and_titles(&full));
    assert_eq!(told.notes.len(), 1);

    // A folder added: walked.
    w(
        "content/wg/2025/2025-01-07.md",
        &note_text("2025-01-07", "Later"),
    );
    cache.expect_changes(vec!["content/wg/2025".into()]);
    let (told, _) = load_site_cached(root, &config, &mut cache);
    let (full, _) = load_site(root, &config);
    assert_eq!(paths_and_titles(&told), paths_and_titles(&full));
    assert_eq!(told.notes.len(), 2);
}

#[test]
fn slugs() {
    assert_eq!(slug("SIG Security!"), "sig-security");
    assert_eq!(slug("Ünïcode  name"), "unicode-name");
    assert_eq!(slug("Inès Laurent"), "ines-laurent");
    assert_eq!(slug("Łukasz"), "lukasz");
    assert!(slug("渡辺")
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-'));
    assert!(!slug("渡辺").is_empty());
}

#[test]
fn decode_reports_line_of_bad_byte() {
    let (_, d) = decode(b"ok\nfine\nbad \xff here", "n.md", true);
    assert_eq!((d[0].line, d[0].col), (3, 5));
    assert!(d[0].is_error());
    let (_, d) = decode(b"\xff", "n.md", false);
    assert!(!d[0].is_error());
}

#[test]
fn note_names() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("2022 - August 30th"), "text").unwrap();
    std::fs::write(p("blob"), b"\x00\x01").unwrap();
    assert!(is_note_name(&p("2022-01-05.md")));
    assert!(is_note_name(&p("notes.TXT")));
    assert!(!is_note_name(&p("README.md")));
    assert!(!is_note_name(&p("_group.md")));
    assert!(!is_note_name(&p("image.png")));
    assert!(is_note_name(&p("2022 - August 30th")));
    assert!(!is_note_name(&p("blob")));
}

#[test]
fn unclosed_and_empty() {
    let no = |_: &str| false;
    let (n, d) = read_note_text("---\ntitle: x\n", "g/a.md", "g", true, &no);
    assert!(n.is_empty());
    assert_eq!(d[0].code, "unclosed-front-matter");
    let (n, d) = read_note_text("", "g/2022-01-01.md", "g", true, &no);
    assert!(
        !n.is_empty(),
        "an empty note named by date is a placeholder meeting"
    );
    assert_eq!(d[0].code, "empty-note");
    let (_, d) = read_note_text("", "g/empty.md", "g", true, &no);
    assert_eq!(d[1].code, "no-date");
}

#[test]
fn date_from_front_matter_beats_file_name() {
    let no = |_: &str| false;
    let (n, d) = read_note_text(
        "---\ndate: 2022-01-06\n---\n",
        "g/2022-01-05.md",
        "g",
        true,
        &no,
    );
    assert_eq!(n[0].date, chrono::NaiveDate::from_ymd_opt(2022, 1, 6));
    assert_eq!(d[0].code, "date-mismatch");
    assert_eq!(d[0].line, 2);
}

fn lines_of(text: &str) -> u32 {
    text.split('\n').count() as u32
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

    #[test]
    fn any_text_reads_without_panic(text in "(---\r?\n)?(\\PC|[:\\-\\[\\]{}&*!|>'\"%@`#\n ]){0,400}") {
        let no = |_: &str| false;
        let (_, diags) = read_note_text(&text, "g/2022-01-05.md", "g", true, &no);
        for d in diags {
            proptest::prop_assert!(d.line >= 1 && d.line <= lines_of(&text), "{d:?} outside {} lines", lines_of(&text));
        }
    }

    #[test]
    fn any_front_matter_reads_without_panic(
        keys in proptest::collection::vec(
            ("(title|date|time|status|attendees|agenda|outcomes|actions|owner|task|ref|due|votes|[a-z]{1,6})",
             "( |  |    )(- )?([a-z0-9:@&*\\[\\]{},. -]{0,20})"),
            0..20),
    ) {
        let mut text = String::from("---\n");
        for (k, v) in &keys {
            text.push_str(&format!("{k}:{v}\n"));
        }
        text.push_str("---\nbody\n");
        let no = |_: &str| false;
        let (_, diags) = read_note_text(&text, "g/x.md", "g", true, &no);
        for d in diags {
            proptest::prop_assert!(d.line >= 1 && d.line <= lines_of(&text), "{d:?}");
        }
    }

    #[test]
    fn any_bytes_decode_without_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
        let (text, diags) = decode(&bytes, "g/x.md", true);
        for d in &diags {
            proptest::prop_assert!(d.line >= 1 && d.line <= lines_of(&text));
        }
        let no = |_: &str| false;
        let _ = read_note_text(&text, "g/x.md", "g", false, &no);
    }
}
