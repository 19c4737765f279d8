//! The output contract of `SPEC.md`: one [`Document`] per input file.
//!
//! Field names here are fixed by the spec (tools downstream read them by name);
//! fields may be added, never renamed or dropped. `schemas/document.schema.json`
//! is generated from these types (`planparse schema`) and a test fails when the
//! checked-in copy is stale.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the output contract written into every document.
pub const SCHEMA_VERSION: &str = "1";

/// One converted input document.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Document {
    pub schema_version: String,
    pub source: Source,
    pub kind: DocumentKind,
    /// `null` when the document has none.
    pub title: Option<String>,
    /// The unit that owns the plan (`HLK`, `Helse Midt-Norge RHF`), `null` if unknown.
    pub organization: Option<String>,
    pub period: Option<Period>,
    /// The heading tree, for every kind of document.
    pub sections: Vec<Section>,
    /// Action plans: every measure, flat, in document order.
    pub measures: Vec<Measure>,
    /// Minutes only, else `null`.
    pub meeting: Option<Meeting>,
    /// Tables that are not measure tables (award lists, member lists).
    pub tables: Vec<Table>,
    pub warnings: Vec<Warning>,
}

/// Where a document came from.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Source {
    /// File name as given on the command line (or relative to the batch root).
    pub file: String,
    /// Hex sha256 of the input bytes.
    pub sha256: String,
    pub format: SourceFormat,
    /// Page count for paged inputs (PDF), `null` for text.
    pub pages: Option<u32>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    Pdf,
    Text,
    Markdown,
    Docx,
    // A web page (`.html`, `.htm`); a plain comment keeps the schema a plain enum.
    Html,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    ActionPlan,
    MeetingMinutes,
    Report,
    Unknown,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::ActionPlan => "action_plan",
            DocumentKind::MeetingMinutes => "meeting_minutes",
            DocumentKind::Report => "report",
            DocumentKind::Unknown => "unknown",
        }
    }
}

/// Years a plan or report covers, inclusive.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct Period {
    pub from: i32,
    pub to: i32,
}

/// A numbered or clearly styled heading and what belongs to it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Section {
    /// The printed number when there is one, else a slug of the title; unique per document.
    pub id: String,
    pub number: Option<String>,
    pub title: String,
    /// 1 for top-level headings.
    pub level: u8,
    /// Prose directly under the heading, may be "".
    pub text: String,
    /// Lettered goal statements ("Fra strategien:").
    pub objectives: Vec<Objective>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Objective {
    pub label: Option<String>,
    pub text: String,
}

/// The unit that carries a responsibility: a table row or a `1a` block.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Measure {
    /// Section id + "/" + label, or section id + "/" + 1-based row number when unlabelled.
    pub id: String,
    /// Id of the innermost enclosing section.
    pub section: String,
    pub label: Option<String>,
    /// Points of a parent strategy this row answers (KRN style).
    pub strategy_refs: Vec<StrategyRef>,
    /// The measure's own sentence(s); "" when it consists only of actions.
    pub text: String,
    pub actions: Vec<Action>,
    pub indicators: Vec<String>,
    /// One entry per party, as printed but cleaned.
    pub responsible: Vec<String>,
    /// The printed deadline or time frame (`Frist`, `Tidsramme`, `Når`, marked timeline columns), null if none.
    #[serde(default)]
    pub deadline: Option<String>,
    /// The printed status (`Pågår`, `Ikke startet`), null if none.
    #[serde(default)]
    pub status: Option<String>,
    /// PDF pages the measure spans; [] for text input.
    pub pages: Vec<u32>,
    /// Cells of the row's other named columns (`Frist`, `Status`, `Kostnad`...), as printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<ExtraColumn>,
}

/// A measure-table cell outside the measure, reference and responsibility columns.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ExtraColumn {
    /// The column's header text.
    pub header: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct StrategyRef {
    pub label: Option<String>,
    pub text: String,
}

/// A numbered action (`i.`, `II.`, `1)`) of a measure, with its bullets.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Action {
    pub label: Option<String>,
    pub text: String,
    pub items: Vec<String>,
}

/// Minutes of a meeting.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Default)]
pub struct Meeting {
    pub body: Option<String>,
    /// ISO date `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `HH:MM`.
    pub start: Option<String>,
    pub end: Option<String>,
    pub place: Option<String>,
    pub participants: Vec<Participant>,
    pub items: Vec<AgendaItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Participant {
    pub name: String,
    pub institution: Option<String>,
    pub role: Option<String>,
    pub group: ParticipantGroup,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantGroup {
    Members,
    Invited,
    Absent,
    Secretariat,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct AgendaItem {
    /// As printed after `Sak`/`Saksnr.`: `33/25`, `1/07`, `12-2024`, `FU 7/25` (a series prefix
    /// stays), `1`; `""` for an item printed without a number (`Eventuelt`).
    pub number: String,
    pub title: String,
    /// `Diskusjonssak`, `Beslutningssak`, `Orienteringssak`..., `null` if unstated.
    pub kind: Option<String>,
    /// The body, bullets as lines.
    pub text: String,
    /// The `Vedtak` (or `Forslag til vedtak`, `Konklusjon`), `null` if none.
    pub decision: Option<String>,
    /// PDF pages the item spans; [] for text input.
    #[serde(default)]
    pub pages: Vec<u32>,
}

/// A table that is not a measure table.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Table {
    pub title: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub pages: Vec<u32>,
}

/// Something the parser guessed or could not do; never silent.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Warning {
    pub code: String,
    pub message: String,
    pub page: Option<u32>,
}

impl Warning {
    pub fn new(code: &str, message: impl Into<String>, page: Option<u32>) -> Self {
        Warning { code: code.to_string(), message: message.into(), page }
    }
}
