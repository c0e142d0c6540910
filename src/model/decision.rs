//! Decisions and their lineage: which earlier decision each supersedes,
//! amends or revokes, and so which still hold.

use super::{DecisionId, MeetingId, Span};
use serde::{Deserialize, Serialize};

/// How a decision changes an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// Replaces it: the earlier decision no longer holds.
    Supersedes,
    /// Changes part of it: the earlier decision holds as amended.
    Amends,
    /// Withdraws it: the earlier decision no longer holds.
    Revokes,
}

impl LinkKind {
    /// Every kind, in the order pages list them.
    pub const ALL: [LinkKind; 3] = [LinkKind::Supersedes, LinkKind::Amends, LinkKind::Revokes];
    /// The front-matter key and the word of the body (`supersedes`).
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Supersedes => "supersedes",
            LinkKind::Amends => "amends",
            LinkKind::Revokes => "revokes",
        }
    }
    /// The word for the other side of the link (`superseded by`).
    pub fn passive(self) -> &'static str {
        match self {
            LinkKind::Supersedes => "superseded by",
            LinkKind::Amends => "amended by",
            LinkKind::Revokes => "revoked by",
        }
    }
    /// Reads the word (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        LinkKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
    }
}

/// One link as a note writes it: `supersedes: <id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lineage {
    /// Supersedes, amends or revokes.
    pub kind: LinkKind,
    /// The id of the earlier decision.
    pub id: String,
    /// Where it is written (line 0 when the body's text gives it).
    pub span: Span,
}

/// Whether a decision still holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionState {
    /// Nothing later changed it.
    InForce,
    /// A later decision amended it; it holds as amended.
    Amended,
    /// A later decision replaced it.
    Superseded,
    /// A later decision withdrew it.
    Revoked,
}

impl DecisionState {
    /// Every state, in filter order.
    pub const ALL: [DecisionState; 4] = [
        DecisionState::InForce,
        DecisionState::Amended,
        DecisionState::Superseded,
        DecisionState::Revoked,
    ];
    /// The word used in pages and JSON (`in-force`).
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionState::InForce => "in-force",
            DecisionState::Amended => "amended",
            DecisionState::Superseded => "superseded",
            DecisionState::Revoked => "revoked",
        }
    }
    /// The words shown to a reader (`in force`).
    pub fn label(self) -> &'static str {
        match self {
            DecisionState::InForce => "in force",
            other => other.as_str(),
        }
    }
    /// In force or amended: it still holds.
    pub fn holds(self) -> bool {
        matches!(self, DecisionState::InForce | DecisionState::Amended)
    }
}

/// A decision or resolution after resolve, with its lineage both ways.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Its id (written, or `<group>-<YYYYMMDD>-d<n>`).
    pub id: String,
    /// The meeting that made it.
    pub meeting: MeetingId,
    /// Its position among the meeting's outcomes.
    pub outcome: usize,
    /// The earlier decisions it changes, in the order written.
    pub changes: Vec<(LinkKind, DecisionId)>,
    /// The later decisions that change it, in meeting order.
    pub changed_by: Vec<(LinkKind, DecisionId)>,
    /// Whether it still holds.
    pub state: DecisionState,
    /// Private: never published.
    pub private: bool,
    /// URL path of its page (`decisions/<id>/`).
    pub url: String,
}
