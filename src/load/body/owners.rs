//! Who an action item's owner text names: people (name-shaped), the whole group
//! ("everyone", "the TAC", "all members"), or nothing a reader would take as an owner
//! (a common word, a label, a placeholder).

/// Words a note writes before `:` or `to` that are never a person: pronouns, labels,
/// placeholders and the verbs and nouns tasks and transcript lines start with.
const COMMON: &[&str] = &[
    "a",
    "about",
    "account",
    "action",
    "actions",
    "add",
    "added",
    "after",
    "agenda",
    "agreed",
    "agreement",
    "ai",
    "ais",
    "also",
    "an",
    "and",
    "announcement",
    "announcements",
    "answer",
    "any",
    "anyone",
    "approve",
    "as",
    "ask",
    "asked",
    "assignee",
    "at",
    "attendees",
    "background",
    "be",
    "because",
    "before",
    "blocked",
    "blocker",
    "blockers",
    "both",
    "but",
    "by",
    "can",
    "check",
    "clarify",
    "close",
    "closed",
    "comment",
    "comments",
    "complete",
    "completed",
    "concern",
    "concerns",
    "conclusion",
    "consensus",
    "context",
    "continue",
    "could",
    "create",
    "date",
    "deadline",
    "decide",
    "decided",
    "decision",
    "decisions",
    "define",
    "demo",
    "discuss",
    "discussed",
    "discussion",
    "do",
    "document",
    "done",
    "draft",
    "drive",
    "due",
    "during",
    "each",
    "email",
    "ensure",
    "eta",
    "etc",
    "example",
    "expect",
    "expected",
    "feedback",
    "file",
    "find",
    "finish",
    "fix",
    "follow",
    "followup",
    "for",
    "from",
    "fyi",
    "get",
    "give",
    "goal",
    "goals",
    "had",
    "has",
    "have",
    "hello",
    "help",
    "here",
    "hi",
    "how",
    "i",
    "idea",
    "ideas",
    "if",
    "in",
    "investigate",
    "invite",
    "is",
    "issue",
    "issues",
    "it",
    "item",
    "items",
    "just",
    "keep",
    "land",
    "last",
    "later",
    "link",
    "links",
    "look",
    "make",
    "maybe",
    "meeting",
    "meetings",
    "merge",
    "merged",
    "minutes",
    "move",
    "moved",
    "must",
    "n/a",
    "na",
    "need",
    "needs",
    "new",
    "next",
    "no",
    "none",
    "not",
    "note",
    "notes",
    "now",
    "of",
    "ok",
    "okay",
    "on",
    "ongoing",
    "open",
    "or",
    "other",
    "others",
    "outcome",
    "per",
    "planning",
    "owner",
    "owners",
    "partners",
    "pending",
    "ping",
    "plan",
    "plans",
    "please",
    "poll",
    "post",
    "pr",
    "prs",
    "prepare",
    "present",
    "previous",
    "prior",
    "problem",
    "proposal",
    "propose",
    "proposed",
    "publish",
    "put",
    "question",
    "questions",
    "raise",
    "reach",
    "read",
    "recording",
    "reminder",
    "reply",
    "report",
    "request",
    "research",
    "resolution",
    "resolved",
    "result",
    "results",
    "review",
    "run",
    "schedule",
    "see",
    "send",
    "set",
    "setup",
    "share",
    "should",
    "slides",
    "so",
    "someone",
    "somebody",
    "soon",
    "start",
    "status",
    "still",
    "submit",
    "summarize",
    "summary",
    "sure",
    "take",
    "talk",
    "tba",
    "tbc",
    "tbd",
    "test",
    "thanks",
    "that",
    "the",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "time",
    "timeline",
    "timestamp",
    "to",
    "today",
    "todo",
    "tomorrow",
    "topic",
    "topics",
    "track",
    "try",
    "unassigned",
    "update",
    "updated",
    "updates",
    "upload",
    "verdict",
    "verify",
    "vote",
    "votes",
    "wait",
    "want",
    "wants",
    "was",
    "we",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "wip",
    "with",
    "work",
    "would",
    "write",
    "yes",
    "you",
];

/// Names of the whole group or a body of it: an item they own is the group's.
const GROUP_WORDS: &[&str] = &[
    "all",
    "everyone",
    "everybody",
    "team",
    "group",
    "members",
    "folks",
    "wg",
    "sig",
    "sigs",
    "tac",
    "tsc",
    "cpc",
    "toc",
    "pmc",
    "tc",
    "sc",
    "committee",
    "council",
    "board",
    "chairs",
    "cochairs",
    "co-chairs",
    "maintainers",
    "reviewers",
    "attendees",
    "participants",
    "working group",
    "steering committee",
    "all members",
    "each member",
    "all of us",
];

/// Words between `the`/`all` and a group word (`all voting members`, `the core team`).
fn group_head(words: &[String]) -> bool {
    let last = words.last().map(String::as_str).unwrap_or("");
    GROUP_WORDS.contains(&last) && words.len() <= 4
}

/// What an owner text names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OwnerKind {
    /// One or more people, as written.
    People,
    /// The whole group or a body of it, as written (`everyone`, `the TAC`).
    Group,
    /// Not an owner.
    Not,
}

/// Lower-case words of an owner text, without `@`, `the` and punctuation.
fn words_of(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '&' | '+'))
        .map(|w| {
            w.trim_matches(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '/')))
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether `s` names the whole group or a body of it.
pub(crate) fn is_group(s: &str) -> bool {
    let mut w = words_of(s);
    if w.first().is_some_and(|f| f == "the") {
        w.remove(0);
    }
    if w.is_empty() {
        return false;
    }
    let joined = w.join(" ");
    GROUP_WORDS.contains(&joined.as_str())
        || (w.len() >= 2 && w[0] == "all" && w.len() <= 4)
        || group_head(&w)
}

/// Whether one word is a common English word, label or placeholder, never a name.
pub(crate) fn is_common(word: &str) -> bool {
    let w = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    COMMON.contains(&w.as_str())
}

/// Classifies one owner (already split from a list of owners).
pub(crate) fn kind_of_one(p: &str, is_person: &dyn Fn(&str) -> bool) -> OwnerKind {
    let p = p.trim();
    if p.is_empty() || p.contains("://") {
        return OwnerKind::Not;
    }
    if is_person(p) {
        return OwnerKind::People;
    }
    if is_group(p) {
        return OwnerKind::Group;
    }
    let words: Vec<&str> = p.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 {
        return OwnerKind::Not;
    }
    let first = words[0];
    if first.starts_with('@') {
        let h = first.trim_start_matches('@');
        let ok = !h.is_empty()
            && words.len() == 1
            && h.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
        return if ok {
            OwnerKind::People
        } else {
            OwnerKind::Not
        };
    }
    if is_common(first) || first.contains([':', '’']) || looks_inflected(first) {
        return OwnerKind::Not;
    }
    // `NO UPDATES`, `TODO LIST`: capitals across several words are a label, not a name.
    if words.len() > 1
        && words.iter().all(|w| {
            w.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
        })
    {
        return OwnerKind::Not;
    }
    if words.len() == 1 {
        let w = first;
        let ok = w.chars().next().is_some_and(char::is_alphabetic)
            && w.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '\''))
            && !w.ends_with('.');
        return if ok {
            OwnerKind::People
        } else {
            OwnerKind::Not
        };
    }
    let name_words = words.iter().all(|w| {
        w.starts_with('@')
            || w.chars().next().is_some_and(char::is_uppercase)
            || PARTICLES.contains(w)
            // `Mike C.`: an initial.
            || (w.len() <= 2 && w.ends_with('.'))
    });
    if name_words
        && !words[1..]
            .iter()
            .any(|w| is_common(w) && !is_capital_initial(w))
    {
        OwnerKind::People
    } else {
        OwnerKind::Not
    }
}

/// `Waiting`, `Migrated`, `Working`: a long word ending as a verb form does, not a name.
fn looks_inflected(w: &str) -> bool {
    let l = w.to_lowercase();
    let n = l.chars().count();
    (n >= 7 && l.ends_with("ing")) || (n >= 7 && l.ends_with("ed") && !l.ends_with("med"))
}

fn is_capital_initial(w: &str) -> bool {
    let t = w.trim_end_matches('.');
    t.chars().count() == 1 && t.chars().all(char::is_uppercase)
}

/// Particles that may be lower-case inside a name.
pub(crate) const PARTICLES: &[&str] = &[
    "van", "de", "von", "der", "da", "del", "la", "le", "di", "du", "bin",
];

/// Splits a list of owners: commas, `&`, `and`, `/`, `+`, `;`, and handles side by side
/// (`@ana @bo`).
pub(crate) fn split_list(s: &str) -> Vec<String> {
    let mut parts: Vec<String> = vec![s.to_string()];
    for sep in [",", ";", " & ", "&", " and ", " / ", "/", " + ", "+"] {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>())
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
    }
    parts
        .into_iter()
        .flat_map(|p| {
            let ws: Vec<&str> = p.split_whitespace().collect();
            if ws.len() > 1 && ws.iter().all(|w| w.starts_with('@')) {
                ws.into_iter().map(str::to_string).collect()
            } else {
                vec![p]
            }
        })
        .collect()
}

/// Classifies an owner text: people when every part is a person, the group when the
/// text (or its only part) names the group, otherwise not an owner.
pub(crate) fn kind_of(s: &str, is_person: &dyn Fn(&str) -> bool) -> OwnerKind {
    let s = s.trim();
    // `Myles, need to …`: a speaker's comma, not a list of owners.
    if s.is_empty() || s.ends_with(',') {
        return OwnerKind::Not;
    }
    if is_person(s) {
        return OwnerKind::People;
    }
    if is_group(s) {
        return OwnerKind::Group;
    }
    let parts = split_list(s);
    if parts.is_empty() {
        return OwnerKind::Not;
    }
    let kinds: Vec<OwnerKind> = parts.iter().map(|p| kind_of_one(p, is_person)).collect();
    if kinds.iter().all(|k| *k == OwnerKind::People) {
        OwnerKind::People
    } else if kinds.iter().all(|k| *k != OwnerKind::Not) {
        OwnerKind::Group
    } else {
        OwnerKind::Not
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> OwnerKind {
        kind_of(s, &|n: &str| n == "Will")
    }

    #[test]
    fn people_groups_and_words() {
        assert_eq!(kind("Ana Ruiz"), OwnerKind::People);
        assert_eq!(kind("@ana-r @bo"), OwnerKind::People);
        assert_eq!(kind("ana and Bo Li"), OwnerKind::People);
        assert_eq!(kind("Mike C."), OwnerKind::People);
        assert_eq!(kind("Will"), OwnerKind::People);
        assert_eq!(kind("everyone"), OwnerKind::Group);
        assert_eq!(kind("the TAC"), OwnerKind::Group);
        assert_eq!(kind("All members"), OwnerKind::Group);
        assert_eq!(kind("Voting members"), OwnerKind::Group);
        assert_eq!(kind("Ana and the WG"), OwnerKind::Group);
        for w in [
            "Move",
            "Timestamp",
            "AI",
            "TBD",
            "Prior",
            "Just",
            "NO UPDATES",
            "Reminder",
        ] {
            assert_eq!(kind(w), OwnerKind::Not, "{w}");
        }
        assert_eq!(kind("Review the charter"), OwnerKind::Not);
        assert_eq!(kind("https://x.org"), OwnerKind::Not);
    }
}
