//! The flat dataset: one [`Record`] per measure and per agenda item, each
//! carrying its document's id, title, organization, period and source file, so
//! that one line of JSONL stands on its own in DuckDB, pandas or a search
//! engine.
//!
//! Every record has every field (measures and agenda items share one shape,
//! with `[]`/`null` where a field does not apply), which keeps column types
//! stable when a tool infers a schema from the first lines. Records come in
//! document order: measures first, then agenda items.
//! `schemas/opensearch-mapping.json` maps exactly these fields.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::model::{Action, Document, DocumentKind, ExtraColumn, Period, Section, StrategyRef};

/// What a [`Record`] stands for.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    Measure,
    AgendaItem,
}

/// One line of the dataset, borrowing from its [`Document`].
#[derive(Debug, Clone, Serialize)]
pub struct Record<'a> {
    #[serde(rename = "type")]
    pub record_type: RecordType,
    /// The document's id: hex sha256 of its input bytes.
    pub doc_id: &'a str,
    pub doc_title: Option<&'a str>,
    pub doc_kind: DocumentKind,
    pub organization: Option<&'a str>,
    pub period: Option<Period>,
    /// `source.file` of the document (the path relative to the batch root).
    pub source_file: &'a str,
    /// Innermost enclosing section of a measure; `null` for agenda items.
    pub section_id: Option<&'a str>,
    pub section_number: Option<&'a str>,
    pub section_title: Option<&'a str>,
    /// The measure's id, or the agenda item's number, made unique within the
    /// document and record type by [`unique_ids`] (a repeat gets `~2`, `~3`...;
    /// an agenda item printed without a number is `#N`, N its 1-based place).
    /// With `doc_id` it is the record's key.
    pub id: Cow<'a, str>,
    /// The measure's label, or the agenda item's number.
    pub label: Option<&'a str>,
    /// The agenda item's title; `null` for measures.
    pub title: Option<&'a str>,
    pub text: &'a str,
    pub strategy_refs: &'a [StrategyRef],
    pub actions: &'a [Action],
    pub indicators: &'a [String],
    pub responsible: &'a [String],
    /// The measure's printed deadline or time frame; `null` if none (and for agenda items).
    pub deadline: Option<&'a str>,
    /// The measure's printed status; `null` if none (and for agenda items).
    pub status: Option<&'a str>,
    /// The measure's other named table columns (`Kostnad`...), as printed.
    pub extra: &'a [ExtraColumn],
    /// The agenda item's kind (`Beslutningssak`...); `null` for measures.
    pub item_kind: Option<&'a str>,
    pub decision: Option<&'a str>,
    pub meeting_date: Option<&'a str>,
    pub meeting_body: Option<&'a str>,
    pub pages: &'a [u32],
}

/// The records of one document, in document order.
pub fn records(doc: &Document) -> Vec<Record<'_>> {
    let sections = sections_by_id(&doc.sections);
    let base = Record {
        record_type: RecordType::Measure,
        doc_id: &doc.source.sha256,
        doc_title: doc.title.as_deref(),
        doc_kind: doc.kind,
        organization: doc.organization.as_deref(),
        period: doc.period,
        source_file: &doc.source.file,
        section_id: None,
        section_number: None,
        section_title: None,
        id: Cow::Borrowed(""),
        label: None,
        title: None,
        text: "",
        strategy_refs: &[],
        actions: &[],
        indicators: &[],
        responsible: &[],
        deadline: None,
        status: None,
        extra: &[],
        item_kind: None,
        decision: None,
        meeting_date: None,
        meeting_body: None,
        pages: &[],
    };
    let measure_ids = unique_ids(doc.measures.iter().map(|m| m.id.as_str()));
    let mut out: Vec<Record> = doc
        .measures
        .iter()
        .zip(measure_ids)
        .map(|(m, id)| {
            let section = sections.get(m.section.as_str());
            Record {
                section_id: Some(&m.section),
                section_number: section.and_then(|s| s.number.as_deref()),
                section_title: section.map(|s| s.title.as_str()),
                id,
                label: m.label.as_deref(),
                text: &m.text,
                strategy_refs: &m.strategy_refs,
                actions: &m.actions,
                indicators: &m.indicators,
                responsible: &m.responsible,
                deadline: m.deadline.as_deref(),
                status: m.status.as_deref(),
                extra: &m.extra,
                pages: &m.pages,
                ..base.clone()
            }
        })
        .collect();
    if let Some(meeting) = &doc.meeting {
        let item_ids = unique_ids(meeting.items.iter().map(|item| item.number.as_str()));
        out.extend(meeting.items.iter().zip(item_ids).map(|(item, id)| Record {
            record_type: RecordType::AgendaItem,
            id,
            label: Some(&item.number),
            title: Some(&item.title),
            text: &item.text,
            item_kind: item.kind.as_deref(),
            decision: item.decision.as_deref(),
            meeting_date: meeting.date.as_deref(),
            meeting_body: meeting.body.as_deref(),
            pages: &item.pages,
            ..base.clone()
        }));
    }
    out
}

/// Writes the records of one document, one JSON object per line.
pub fn write_records<W: Write + ?Sized>(out: &mut W, doc: &Document) -> io::Result<()> {
    for record in records(doc) {
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Ids made unique within one list: the first of a repeated id keeps it, the
/// next ones get `~2`, `~3`... (the model's measure ids are unique as far as a
/// document's own numbering is; two rows printed with the same label are
/// not); an empty id (an agenda item printed without a number) becomes `#N`,
/// N its 1-based place in the list. Stable for the same document.
pub fn unique_ids<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<Cow<'a, str>> {
    let ids: Vec<&str> = ids.collect();
    let mut taken: std::collections::HashSet<String> = ids.iter().filter(|i| !i.is_empty()).map(|i| i.to_string()).collect();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(ids.len());
    for (n, id) in ids.iter().enumerate() {
        if !id.is_empty() && seen.insert(id) {
            out.push(Cow::Borrowed(*id));
            continue;
        }
        let mut k = 2;
        let mut candidate = if id.is_empty() { format!("#{}", n + 1) } else { format!("{id}~{k}") };
        while taken.contains(&candidate) {
            k += 1;
            candidate = if id.is_empty() { format!("#{}~{k}", n + 1) } else { format!("{id}~{k}") };
        }
        taken.insert(candidate.clone());
        out.push(Cow::Owned(candidate));
    }
    out
}

/// Every section of a heading tree by id (ids are unique per document).
pub fn sections_by_id(sections: &[Section]) -> HashMap<&str, &Section> {
    let mut map = HashMap::new();
    let mut stack: Vec<&Section> = sections.iter().collect();
    while let Some(s) = stack.pop() {
        map.insert(s.id.as_str(), s);
        stack.extend(&s.sections);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::unique_ids;

    #[test]
    fn repeated_and_empty_ids_are_made_unique() {
        let ids = unique_ids(["1/1", "1/2", "1/1", "", "1/1~2", "1/1", ""].into_iter());
        let ids: Vec<&str> = ids.iter().map(|c| c.as_ref()).collect();
        assert_eq!(ids, ["1/1", "1/2", "1/1~3", "#4", "1/1~2", "1/1~4", "#7"]);
        let set: std::collections::HashSet<&&str> = ids.iter().collect();
        assert_eq!(set.len(), ids.len());
    }
}
