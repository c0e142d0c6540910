use super::*;

#[test]
fn added_file_lines_all_get_the_commit() {
    assert_eq!(apply_hunks(&[], &[(0, 0, 1, 3)], 7), vec![7, 7, 7]);
}

#[test]
fn changed_line_gets_the_new_commit_and_others_keep_theirs() {
    // line 2 of 4 replaced
    assert_eq!(
        apply_hunks(&[1, 1, 1, 1], &[(2, 1, 2, 1)], 2),
        vec![1, 2, 1, 1]
    );
}

#[test]
fn insertion_after_a_line_and_deletion() {
    // insert 2 lines after line 1, delete line 3
    let out = apply_hunks(&[1, 1, 1, 1], &[(1, 0, 2, 2), (3, 1, 4, 0)], 5);
    assert_eq!(out, vec![1, 5, 5, 1, 1]);
    // insertion at the very top
    assert_eq!(apply_hunks(&[1, 1], &[(0, 0, 1, 1)], 3), vec![3, 1, 1]);
}

#[test]
fn hunks_past_the_end_are_clamped() {
    assert_eq!(apply_hunks(&[1], &[(9, 4, 9, 2)], 2), vec![1, 2, 2]);
}

#[test]
fn tree_entries_sort_as_git_sorts_them() {
    use std::cmp::Ordering::*;
    // A folder's name reads as if it ended in `/` (0x2f): `a-c` (0x2d)
    // and `a.b` (0x2e) come before the folder `a`, `a0` (0x30) after.
    assert_eq!(tree_order(b"a-c.md", false, b"a", true), Less);
    assert_eq!(tree_order(b"a.b.md", false, b"a", true), Less);
    assert_eq!(tree_order(b"a", true, b"a0", true), Less);
    assert_eq!(tree_order(b"a", false, b"a", true), Less);
    assert_eq!(tree_order(b"a", true, b"a", true), Equal);
    assert_eq!(tree_order(b"b", false, b"a", true), Greater);
}

#[test]
fn line_counts() {
    assert_eq!(count_lines(b""), 0);
    assert_eq!(count_lines(b"a\nb"), 2);
    assert_eq!(count_lines(b"a\nb\n"), 2);
}

#[test]
fn repo_dirs() {
    assert_eq!(repo_dir("", "content"), "content");
    assert_eq!(repo_dir("site/", "content/"), "site/content");
    assert_eq!(repo_dir("site/", "."), "site");
    assert_eq!(repo_dir("", "."), "");
}
