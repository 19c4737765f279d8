//! One plan in several forms: the same plan saved as PDF, DOCX, a web page
//! or text is one plan to a reader. [`plan_key`] gives every form of a
//! document the same key, so `search` names the plan once and lists its
//! files (the dataset keeps it as `documents.plan_key`).
//!
//! The key is a sha256 over what a reader would call "the same plan": the
//! kind, title, organization and period, and every measure (its own text and
//! its actions with their bullets) and agenda item (number, title, text) in
//! document order, each normalized to lower-case letters and digits, so line
//! breaks, hyphenation at a line end, spacing and punctuation that differ
//! between the forms do not count. Two forms whose parse differs in a real
//! word (a measure split in two in one form) get different keys and stay
//! two plans. A document without measures and agenda items has nothing to
//! compare by: its key is its own id, so it is never grouped.

use sha2::{Digest, Sha256};

use crate::model::Document;

/// The key shared by every form of the same plan; see the module documentation.
pub fn plan_key(doc: &Document) -> String {
    let items = doc.meeting.as_ref().map_or(0, |m| m.items.len());
    if doc.measures.is_empty() && items == 0 {
        return format!("document:{}", doc.source.sha256);
    }
    let mut hasher = Sha256::new();
    let mut part = |s: &str| {
        hasher.update(normalized(s).as_bytes());
        hasher.update([0u8]);
    };
    part(doc.kind.as_str());
    part(doc.title.as_deref().unwrap_or_default());
    part(doc.organization.as_deref().unwrap_or_default());
    part(&doc.period.map(|p| format!("{}-{}", p.from, p.to)).unwrap_or_default());
    for m in &doc.measures {
        let mut text = m.text.clone();
        for a in &m.actions {
            text.push(' ');
            text.push_str(&a.text);
            for item in &a.items {
                text.push(' ');
                text.push_str(item);
            }
        }
        part(&text);
    }
    if let Some(meeting) = &doc.meeting {
        for item in &meeting.items {
            part(&format!("{} {} {}", item.number, item.title, item.text));
        }
    }
    format!("plan:{}", hex::encode(hasher.finalize()))
}

/// Letters and digits only, lower-cased.
fn normalized(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Measure, Period, Source, SourceFormat};

    fn doc(format: SourceFormat, sha: &str, texts: &[&str]) -> Document {
        Document {
            schema_version: "1".into(),
            source: Source { file: "x".into(), sha256: sha.into(), format, pages: None },
            kind: crate::model::DocumentKind::ActionPlan,
            title: Some("Handlingsplan for forskning".into()),
            organization: Some("HLK".into()),
            period: Some(Period { from: 2021, to: 2025 }),
            sections: Vec::new(),
            measures: texts
                .iter()
                .enumerate()
                .map(|(i, t)| Measure {
                    id: format!("1/{i}"),
                    section: "1".into(),
                    label: None,
                    strategy_refs: Vec::new(),
                    text: t.to_string(),
                    actions: Vec::new(),
                    indicators: Vec::new(),
                    responsible: Vec::new(),
                    deadline: None,
                    status: None,
                    pages: Vec::new(),
                    extra: Vec::new(),
                })
                .collect(),
            meeting: None,
            tables: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn forms_that_differ_in_spacing_and_punctuation_share_a_key() {
        let pdf = doc(SourceFormat::Pdf, "a", &["Øke antall kliniske\nstudier.", "Styrke samarbeidet"]);
        let docx = doc(SourceFormat::Docx, "b", &["Øke antall kliniske studier", "Styrke  samarbeidet."]);
        assert_eq!(plan_key(&pdf), plan_key(&docx));
        let other = doc(SourceFormat::Docx, "c", &["Øke antall kliniske studier", "Styrke forskningen"]);
        assert_ne!(plan_key(&pdf), plan_key(&other));
        let empty = doc(SourceFormat::Pdf, "d", &[]);
        assert_eq!(plan_key(&empty), "document:d");
    }
}
