//! The output of `planparse diff --format json` (the contract's Diff
//! section; `docs/diff.md` documents every field).
//!
//! Field names are the contract (`type`, `level`, `old_id`, `new_id`,
//! `similarity`, `text_diff`, `old_responsible`, `new_responsible`,
//! `added_indicators`, `removed_indicators`); fields may be added, never renamed.
//! Every field of a [`Change`] is always written, `null` (or `[]`) where it does
//! not apply to the change's type. `schemas/diff.schema.json` is generated from
//! these types (`planparse diff --schema`) and a test fails when it is stale.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::Period;

/// Two versions of a plan compared measure by measure and section by section.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    pub summary: Summary,
    /// Section changes first, then measure changes, each in the new document's
    /// order (removed items at their old position).
    pub changes: Vec<Change>,
    /// How the inputs were read beyond the changes, e.g. a table row that a
    /// page break split in two and that was compared as one measure.
    pub notes: Vec<String>,
    /// How much the two documents share (whether they read as versions of one plan).
    #[serde(default)]
    pub relation: Relation,
    /// Doubts about the comparison as a whole, e.g. two documents that share
    /// too little to be versions of one plan; also printed on stderr by the command line.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// What the two compared documents have in common beyond single items.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Default)]
pub struct Relation {
    /// Aligned sections and measures as a share of those of the side with
    /// fewer, in `[0, 1]`; `null` when either side has none.
    pub aligned_share: Option<f64>,
    /// Aligned sections and measures.
    pub aligned: usize,
    /// Sections and measures of the side with fewer.
    pub comparable: usize,
    /// The titles are the same, years and numbers aside (`false` when either has none).
    pub same_title: bool,
    /// The organizations are the same (`false` when either has none).
    pub same_organization: bool,
}

impl Diff {
    /// True when the two versions have no change at all.
    pub fn is_unchanged(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Which document one side of the comparison is.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Side {
    /// The input's file name (`source.file` of the converted document).
    pub file: String,
    pub title: Option<String>,
    /// The organization behind the document.
    #[serde(default)]
    pub organization: Option<String>,
    pub period: Option<Period>,
    /// Number of measures in this version.
    pub measures: usize,
    /// Number of sections (at every level) in this version.
    pub sections: usize,
}

/// How many changes of each type, for measures (the top-level fields, as in
/// the contract) and for sections.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Default)]
pub struct Summary {
    #[serde(flatten)]
    pub measures: Counts,
    /// The same counts for sections (level `section`).
    pub sections: Counts,
}

/// Change counts of one level. A matched item with several changes counts once
/// under each; `unchanged` counts matched items with none. A section has no
/// parties or indicators of its own: for sections, `responsible_changed` and
/// `indicators_changed` count the matched sections holding at least one
/// measure with that change (no section-level entry is listed in `changes`
/// for them), and such a section is not `unchanged`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Default)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub reworded: usize,
    pub moved: usize,
    pub renumbered: usize,
    pub responsible_changed: usize,
    pub indicators_changed: usize,
    pub unchanged: usize,
}

impl Counts {
    /// The count of one change type.
    pub fn get(&self, kind: ChangeType) -> usize {
        *self.clone().slot(kind)
    }

    pub(crate) fn add(&mut self, kind: ChangeType) {
        *self.slot(kind) += 1;
    }

    fn slot(&mut self, kind: ChangeType) -> &mut usize {
        match kind {
            ChangeType::Added => &mut self.added,
            ChangeType::Removed => &mut self.removed,
            ChangeType::Reworded => &mut self.reworded,
            ChangeType::Moved => &mut self.moved,
            ChangeType::Renumbered => &mut self.renumbered,
            ChangeType::ResponsibleChanged => &mut self.responsible_changed,
            ChangeType::IndicatorsChanged => &mut self.indicators_changed,
        }
    }

    /// Number of changes (not counting `unchanged`).
    pub fn total(&self) -> usize {
        ChangeType::ALL.iter().map(|&k| self.get(k)).sum()
    }
}

/// What happened to one section or measure.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ChangeType {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// Matched, and its text changed (cosmetic white space and hyphenation aside).
    Reworded,
    /// Matched, and it now sits under a section that is not the counterpart of its old one
    /// (for a section: under another parent).
    Moved,
    /// Matched, same section, and its printed label (or section number) changed.
    Renumbered,
    /// Matched, and the set of responsible parties changed.
    ResponsibleChanged,
    /// Matched, and indicators were added or removed (a reworded indicator is one removed and one added).
    IndicatorsChanged,
}

impl ChangeType {
    /// Every type, in the order reports list them.
    pub const ALL: [ChangeType; 7] = [
        ChangeType::Added,
        ChangeType::Removed,
        ChangeType::Reworded,
        ChangeType::Moved,
        ChangeType::Renumbered,
        ChangeType::ResponsibleChanged,
        ChangeType::IndicatorsChanged,
    ];

    /// The JSON name (`responsible_changed`).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Added => "added",
            ChangeType::Removed => "removed",
            ChangeType::Reworded => "reworded",
            ChangeType::Moved => "moved",
            ChangeType::Renumbered => "renumbered",
            ChangeType::ResponsibleChanged => "responsible_changed",
            ChangeType::IndicatorsChanged => "indicators_changed",
        }
    }

    /// The words a report uses (`responsible changed`).
    pub fn describe(self) -> String {
        self.as_str().replace('_', " ")
    }
}

/// Whether a change concerns a measure or a section (heading).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Measure,
    Section,
}

/// One change of one item. A matched item can carry several (`reworded` and
/// `responsible_changed`, say), one entry each.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Change {
    #[serde(rename = "type")]
    pub kind: ChangeType,
    pub level: Level,
    /// The item's id in the old converted document (`2/2d`, `1.1`); `null` for `added`.
    pub old_id: Option<String>,
    /// The item's id in the new converted document; `null` for `removed`.
    pub new_id: Option<String>,
    /// Text similarity of the matched pair in `[0, 1]` (see `docs/diff.md`); `null` for added/removed.
    pub similarity: Option<f64>,
    /// Alignment score of the matched pair in `[0, 1]`; `null` for added/removed.
    pub score: Option<f64>,
    /// Section id the old item sat under (for a section: its parent); `null` for added or top level.
    pub old_section: Option<String>,
    /// Section id the new item sits under (for a section: its parent); `null` for removed or top level.
    pub new_section: Option<String>,
    /// Label (for a section: number) before a `renumbered`, else `null`.
    pub old_label: Option<String>,
    /// Label (for a section: number) after a `renumbered`, else `null`.
    pub new_label: Option<String>,
    /// Word-level diff of the old and new text, for `reworded`; else `null`.
    pub text_diff: Option<Vec<TextSpan>>,
    /// For `responsible_changed`, else `null`.
    pub old_responsible: Option<Vec<String>>,
    /// For `responsible_changed`, else `null`.
    pub new_responsible: Option<Vec<String>>,
    /// For `indicators_changed`, else `null`.
    pub added_indicators: Option<Vec<String>>,
    /// For `indicators_changed`, else `null`.
    pub removed_indicators: Option<Vec<String>>,
}

impl Change {
    /// A change with only the identifying fields set.
    pub fn new(kind: ChangeType, level: Level, old_id: Option<String>, new_id: Option<String>) -> Self {
        Change {
            kind,
            level,
            old_id,
            new_id,
            similarity: None,
            score: None,
            old_section: None,
            new_section: None,
            old_label: None,
            new_label: None,
            text_diff: None,
            old_responsible: None,
            new_responsible: None,
            added_indicators: None,
            removed_indicators: None,
        }
    }
}

/// A run of words of a word-level diff; concatenating the `equal` and `delete`
/// runs gives the old text, the `equal` and `insert` runs the new text.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct TextSpan {
    pub op: DiffOp,
    /// The words of the run with the white space between them.
    pub text: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum DiffOp {
    Equal,
    Insert,
    Delete,
}
