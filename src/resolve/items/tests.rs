//! Tests of the pieces of item resolution.

use super::entries::{body_update, looks_like_auto_id, status_update};
use super::similar::{dice, word_set};
use crate::model::ItemStatus;

#[test]
fn dice_of_word_sets() {
    let a = word_set("Draft the charter updates");
    let b = word_set("draft the Charter update");
    assert!((dice(&a, &b) - 0.75).abs() < 1e-9);
    assert_eq!(dice(&a, &a), 1.0);
}

#[test]
fn auto_id_shape() {
    assert!(looks_like_auto_id("sig-build-20220323-2"));
    assert!(!looks_like_auto_id("lf-guidance"));
}

#[test]
fn status_labels() {
    assert_eq!(
        status_update("COMPLETED: Find a volunteer"),
        Some((ItemStatus::Done, "Find a volunteer".to_string()))
    );
    assert_eq!(
        status_update("_TODO_: Draft it").map(|x| x.0),
        Some(ItemStatus::Open)
    );
    assert_eq!(status_update("Find a volunteer: soon"), None);
}

#[test]
fn body_updates() {
    let s = crate::model::Span::new(1, 1);
    let u = body_update("x-1", ": done, posted", None, s);
    assert_eq!(u.status, Some(ItemStatus::Done));
    assert_eq!(u.note.as_deref(), Some("posted"));
    let u = body_update("x-1", "", Some(true), s);
    assert_eq!(u.status, Some(ItemStatus::Done));
    let u = body_update("x-1", "in progress", None, s);
    assert_eq!(u.status, Some(ItemStatus::InProgress));
}
