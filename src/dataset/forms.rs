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
//! between the forms do not count. A document without measures and agenda
//! items has nothing to compare by: its key is its own id, so it is never
//! grouped.
//!
//! Forms whose parse differs a little (one measure read differently, a title
//! with or without its years) get different keys; [`same_plan`] is the
//! tolerant test the dataset then applies (over a [`Signature`] it keeps
//! per document) to documents of the same kind,
//! organization and period: the same number of units, at least
//! [`SAME_UNITS`] of them equal at the same place, and titles equal but for
//! digits (or one starting with the other). That is a guess, so `index` says
//! when it groups two documents this way.

use sha2::{Digest, Sha256};

use crate::model::Document;

/// Share of units that must be equal, at the same place, for [`same_plan`].
pub const SAME_UNITS: f64 = 0.8;

/// Every unit of a document (measures, then agenda items) as [`plan_key`]
/// reads it, normalized.
pub fn unit_texts(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = doc
        .measures
        .iter()
        .map(|m| {
            let mut text = m.text.clone();
            for a in &m.actions {
                text.push(' ');
                text.push_str(&a.text);
                for item in &a.items {
                    text.push(' ');
                    text.push_str(item);
                }
            }
            normalized(&text)
        })
        .collect();
    if let Some(meeting) = &doc.meeting {
        out.extend(meeting.items.iter().map(|item| normalized(&format!("{} {} {}", item.number, item.title, item.text))));
    }
    out
}

/// What [`same_plan`] compares: the title's letters and a short hash of
/// each unit, small enough to keep per indexed document
/// (`documents.form_signature`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The title, normalized, without digits.
    pub title: String,
    /// 12 hex digits of the sha256 of each normalized unit.
    pub units: Vec<String>,
}

impl Signature {
    pub fn of(doc: &Document) -> Self {
        let title = normalized(doc.title.as_deref().unwrap_or_default()).chars().filter(|c| !c.is_ascii_digit()).collect();
        let units = unit_texts(doc).iter().map(|u| hex::encode(&Sha256::digest(u.as_bytes())[..6])).collect();
        Signature { title, units }
    }

    /// As stored: the title, a tab, the unit hashes separated by spaces.
    pub fn to_text(&self) -> String {
        format!("{}\t{}", self.title, self.units.join(" "))
    }

    pub fn from_text(text: &str) -> Self {
        let (title, units) = text.split_once('\t').unwrap_or((text, ""));
        Signature { title: title.to_string(), units: units.split_whitespace().map(str::to_string).collect() }
    }
}

/// Whether two documents (already known to share kind, organization and
/// period) are forms of one plan whose parse differs a little: the same
/// number of units, at least [`SAME_UNITS`] of them equal at the same place,
/// and titles equal but for digits, or one starting with the other. Returns
/// the number of equal units when they are.
pub fn same_plan(a: &Signature, b: &Signature) -> Option<usize> {
    if a.units.is_empty() || a.units.len() != b.units.len() {
        return None;
    }
    let (ta, tb) = (&a.title, &b.title);
    if !(ta == tb || (!ta.is_empty() && !tb.is_empty() && (ta.starts_with(tb.as_str()) || tb.starts_with(ta.as_str())))) {
        return None;
    }
    let equal = a.units.iter().zip(&b.units).filter(|(x, y)| x == y).count();
    (equal as f64 >= SAME_UNITS * a.units.len() as f64).then_some(equal)
}

/// The key shared by every form of the same plan; see the module documentation.
pub fn plan_key(doc: &Document) -> String {
    let items = doc.meeting.as_ref().map_or(0, |m| m.items.len());
    if doc.measures.is_empty() && items == 0 {
        return format!("document:{}", doc.source.sha256);
    }
    let mut hasher = Sha256::new();
    let mut part = |s: &str| {
        hasher.update(s.as_bytes());
        hasher.update([0u8]);
    };
    part(doc.kind.as_str());
    part(&normalized(doc.title.as_deref().unwrap_or_default()));
    part(&normalized(doc.organization.as_deref().unwrap_or_default()));
    part(&doc.period.map(|p| format!("{}-{}", p.from, p.to)).unwrap_or_default());
    for unit in unit_texts(doc) {
        part(&unit);
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

    #[test]
    fn forms_that_differ_in_one_unit_of_many_are_the_same_plan() {
        let texts = ["a", "b", "c", "d", "e"];
        let pdf = doc(SourceFormat::Pdf, "a", &texts);
        let mut docx = doc(SourceFormat::Docx, "b", &["a", "b", "c", "d", "e (read differently)"]);
        docx.title = Some("Handlingsplan for forskning 2021–2025".into());
        assert_ne!(plan_key(&pdf), plan_key(&docx));
        let sig = |d: &Document| Signature::from_text(&Signature::of(d).to_text());
        assert_eq!(sig(&pdf), Signature::of(&pdf), "stored and read back");
        assert_eq!(same_plan(&sig(&pdf), &sig(&docx)), Some(4));
        let other = doc(SourceFormat::Docx, "c", &["a", "b", "x", "y", "e"]);
        assert_eq!(same_plan(&sig(&pdf), &sig(&other)), None, "3 of 5 is another plan");
        let shorter = doc(SourceFormat::Docx, "d", &texts[..4]);
        assert_eq!(same_plan(&sig(&pdf), &sig(&shorter)), None);
        let mut renamed = doc(SourceFormat::Docx, "e", &texts);
        renamed.title = Some("Strategi for innovasjon".into());
        assert_eq!(same_plan(&sig(&pdf), &sig(&renamed)), None);
    }
}
