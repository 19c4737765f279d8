//! Why the output is what it is: each section, measure, agenda item and
//! metadata field carries the rule that produced it and the evidence the rule
//! saw (header cells and their column roles, the label pattern, the style of
//! a heading line, the page and the printed line). `planparse explain` prints
//! it; the segmenters record it as they decide, so it cannot drift from what
//! they did.

use serde::Serialize;

use crate::layout::Line;
use crate::model::{Document, Warning};
use crate::text::clean;

/// The rule that produced one part of the output, and what it saw.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Reason {
    /// A name from [`RULES`].
    pub rule: &'static str,
    /// Facts the rule relied on, in words (`header "Ansvar" → responsible`).
    pub evidence: Vec<String>,
    /// 1-based page of the line the part starts at (PDF input).
    pub page: Option<u32>,
    /// The printed line the part starts at.
    pub line: Option<String>,
}

impl Reason {
    pub fn new(rule: &'static str) -> Reason {
        Reason { rule, ..Reason::default() }
    }

    /// The reason with the line the part starts at.
    pub fn at(mut self, line: &Line) -> Reason {
        self.page = line.page;
        let t = clean(&line.text);
        self.line = (!t.is_empty()).then_some(t);
        self
    }

    /// The reason with one more fact.
    pub fn because(mut self, fact: impl Into<String>) -> Reason {
        self.evidence.push(fact.into());
        self
    }
}

/// Every rule name a [`Reason`] can carry, with what it means. The names are
/// stable: tests and users refer to them.
pub const RULES: &[(&str, &str)] = &[
    ("kind.minutes_cues", "minutes: numbered agenda items with a minutes title, decision labels or participant lists"),
    ("kind.plan_cues", "action plan: measure tables, measure-table header lines or list-form measures, with a plan word in the head or more than one cue"),
    ("kind.report_cues", "report: a report word in the head, or tables in a longer document"),
    ("kind.no_cues", "no cue for any kind"),
    ("title.minutes_word", "the first line that opens with a minutes word (Referat, Protokoll, Innkalling)"),
    ("title.document_word", "the best-scored line of the first ones: document word, year range, display size, heading style"),
    ("title.self_reference", "guess: the name the text opens sentences with at least twice (a document word first), with its most printed year range"),
    ("title.declared", "the title the file declares (PDF Info, DOCX core properties, HTML <title>)"),
    ("title.none", "no line names the document"),
    ("organization.title_acronym", "an acronym in the title (in parentheses or standing alone)"),
    ("organization.minutes_body", "the body or unit named in the head of the minutes"),
    ("organization.name_line", "a line near the start that is an organization's name (… HF, … RHF, legal form)"),
    ("organization.legal_form_title", "guess: a name the text prints with a legal form (HF, RHF) that stands in the title"),
    ("organization.legal_form_frequency", "guess: the name with a legal form (HF, RHF) the text uses most"),
    ("organization.acronym_frequency", "guess: the acronym of three letters or more the text uses most"),
    ("organization.none", "no organization cue"),
    ("period.title_year_range", "the year range in the title"),
    ("period.frequent_year_range", "the year range printed most often in the document"),
    ("period.none", "no year range"),
    ("heading.tagged", "a heading tag or style: PDF structure H1–H6, a DOCX Heading style, an HTML h1–h6"),
    ("heading.goal", "a goal heading pattern (Mål 1: …, Hovedmål …)"),
    ("heading.area", "an area heading pattern (Innsatsområde 2: …)"),
    ("heading.numbered", "a section number that continues the numbering, on a styled line"),
    ("heading.styled", "an unnumbered short line in bold or larger than the body text"),
    ("heading.set_off", "text input: a short line set off by blank lines"),
    ("heading.capitals", "text input: a short line in capitals"),
    ("heading.caption", "the short capitalised line right before a table"),
    ("heading.after_table", "guess: a title-like line followed by prose, right after a measure table"),
    ("table.goal_row", "a goal row (one cell across the table) or a goal cell merged over the rows of a measure table"),
    ("table.columns", "a row of a measure table, read by the roles its header cells got from the column vocabulary"),
    ("table.continued", "a row of a table without a header, read with the columns of the measure table before it"),
    ("text.code_row", "text input: a row that opens with a measure code (1a, 2.3)"),
    ("text.aligned_row", "text input: a row of a table aligned with spaces, opened by its code column"),
    ("text.row", "text input: an unlabelled row of measure text, sorted into columns by keyword and layout cues"),
    ("list.labelled_item", "a numbered or bulleted item followed by field lines (Ansvarlig:, Frist:, Indikator:)"),
    ("list.responsibility_parenthesis", "a bullet ending in a parenthesis that names the responsible party (Ansvar: …)"),
    ("minutes.item_archive", "an agenda item heading with an archive number (Sak 12/24, 18/25, FU 7/25)"),
    ("minutes.item_numbered", "an agenda item heading numbered 1., 2. on a heading-styled line"),
    ("minutes.item_unnumbered", "an agenda item printed without a number (Eventuelt)"),
    ("minutes.item_table", "an agenda item read from a row of an item table (Sak | Tittel | Vedtak)"),
    ("minutes.part", "a roman-numbered part of the agenda (I. Vedtakssaker)"),
];

/// What the rule named `rule` means, if it is one.
pub fn describe(rule: &str) -> Option<&'static str> {
    RULES.iter().find(|(name, _)| *name == rule).map(|(_, what)| *what)
}

/// One explained part of the output.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Explained {
    /// The section or measure id, the item number, or the metadata field's name.
    pub id: String,
    /// The part as output, shortened (a title, the start of a measure's text).
    pub value: String,
    #[serde(flatten)]
    pub reason: Reason,
}

/// The explanation of one converted document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Explanation {
    pub file: String,
    /// `kind`, `title`, `organization`, `period`.
    pub metadata: Vec<Explained>,
    pub sections: Vec<Explained>,
    pub measures: Vec<Explained>,
    pub items: Vec<Explained>,
    pub warnings: Vec<Warning>,
}

/// Reasons recorded while segmenting, keyed by the ids they explain.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub metadata: Vec<(&'static str, Reason)>,
    /// Section id → reason.
    pub sections: Vec<(String, Reason)>,
    /// One per measure, in the order of the document's measures.
    pub measures: Vec<Reason>,
    /// One per agenda item, in the order of the meeting's items.
    pub items: Vec<Reason>,
}

/// At most `n` characters of `s`, with an ellipsis when cut.
fn short(s: &str, n: usize) -> String {
    let s = clean(s);
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

impl Trace {
    /// Pairs the recorded reasons with the document's parts. A part without a
    /// recorded reason (none should be) says so rather than disappearing.
    pub fn explain(&self, doc: &Document) -> Explanation {
        let missing = || Reason::new("unrecorded");
        let metadata = self
            .metadata
            .iter()
            .map(|(field, reason)| {
                let value = match *field {
                    "kind" => doc.kind.as_str().to_string(),
                    "title" => doc.title.clone().unwrap_or_default(),
                    "organization" => doc.organization.clone().unwrap_or_default(),
                    "period" => doc.period.map(|p| format!("{}–{}", p.from, p.to)).unwrap_or_default(),
                    _ => String::new(),
                };
                Explained { id: field.to_string(), value: short(&value, 100), reason: reason.clone() }
            })
            .collect();
        let mut sections = Vec::new();
        let mut stack: Vec<&crate::model::Section> = doc.sections.iter().rev().collect();
        while let Some(s) = stack.pop() {
            let reason = self.sections.iter().rev().find(|(id, _)| *id == s.id).map_or_else(missing, |(_, r)| r.clone());
            sections.push(Explained { id: s.id.clone(), value: short(&s.title, 80), reason });
            stack.extend(s.sections.iter().rev());
        }
        let measures = doc
            .measures
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let text = if m.text.is_empty() { m.actions.first().map_or("", |a| a.text.as_str()) } else { m.text.as_str() };
                Explained { id: m.id.clone(), value: short(text, 80), reason: self.measures.get(i).cloned().unwrap_or_else(missing) }
            })
            .collect();
        let items = doc
            .meeting
            .iter()
            .flat_map(|m| &m.items)
            .enumerate()
            .map(|(i, it)| Explained { id: it.number.clone(), value: short(&it.title, 80), reason: self.items.get(i).cloned().unwrap_or_else(missing) })
            .collect();
        Explanation { file: doc.source.file.clone(), metadata, sections, measures, items, warnings: doc.warnings.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_described_once() {
        let mut names: Vec<&str> = RULES.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "a rule name is listed twice");
        assert!(describe("table.columns").is_some_and(|d| d.contains("header")));
        assert!(describe("no.such.rule").is_none());
    }

    #[test]
    fn short_cuts_at_characters_not_bytes() {
        assert_eq!(short("æøå æøå", 3), "æøå…");
        assert_eq!(short("kort", 10), "kort");
    }
}
