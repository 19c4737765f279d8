//! Plan version comparison: alignment of sections and measures, change types, reports.
//!
//! ```no_run
//! # fn load(_: &str) -> planparse::model::Document { unimplemented!() }
//! let old = load("hmn-2023-2026.pdf");
//! let new = load("hmn-2027-2030.pdf");
//! let comparison = planparse::diff::compare(&old, &new);
//! println!("{} measures added", comparison.diff.summary.measures.added);
//! let html = planparse::diff::html::render(&comparison);
//! # let _ = html;
//! ```
//!
//! [`compare`] works on two converted [`Document`]s, whatever format they were
//! read from. It matches sections first (title, number, prose, and the
//! measures they hold), then measures (text, label, section, responsible,
//! position), each with an optimal one-to-one assignment ([`align`]), and
//! describes every matched pair by the changes between them. The result is
//! the JSON of the contract's Diff section ([`Diff`], documented in
//! `docs/diff.md`) plus the row order the [`text`] and [`html`] reports print.
//! When the two documents share too little to be versions of one plan
//! ([`MIN_ALIGNED_SHARE`]), [`Diff::warnings`] says so.

pub mod align;
pub mod html;
pub mod model;
pub mod similarity;
pub mod text;

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use crate::model::{Document, Measure, Section};
use align::{match_measures, optimal_matching, score_sections, Matching, MeasureKey, SectionKey, MAX_ALIGNED_ITEMS};
pub use model::{Change, ChangeType, Counts, Diff, DiffOp, Level, Relation, Side, Summary, TextSpan};
use similarity::{fingerprint, fingerprint_hash, FnvBuild, TextProfile};

/// A diff and how the two versions line up, for the reports.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Comparison {
    pub diff: Diff,
    /// The old version as compared: the input, with rows split in two joined
    /// (see [`Diff::notes`]). Row indices refer to this document.
    pub old: Document,
    /// The new version as compared.
    pub new: Document,
    /// Sections of both versions in reading order (see [`Matching::rows`]).
    pub sections: Vec<Row>,
    /// Measures of both versions in reading order.
    pub measures: Vec<Row>,
}

/// One line of a side-by-side view: an old item, a new item, or a matched pair.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Row {
    /// Index into [`flatten_sections`] or `Document::measures` of the old version.
    pub old: Option<usize>,
    /// Index into the same lists of the new version.
    pub new: Option<usize>,
    /// Indices into `Diff::changes` of this row's changes; empty when unchanged.
    pub changes: Vec<usize>,
}

/// A section of the heading tree with the id of its parent heading.
#[derive(Debug, Clone, Copy)]
pub struct FlatSection<'a> {
    pub section: &'a Section,
    pub parent: Option<&'a str>,
}

/// Every section of a document, depth first in reading order.
pub fn flatten_sections(doc: &Document) -> Vec<FlatSection<'_>> {
    fn walk<'a>(sections: &'a [Section], parent: Option<&'a str>, out: &mut Vec<FlatSection<'a>>) {
        for s in sections {
            out.push(FlatSection { section: s, parent });
            walk(&s.sections, Some(&s.id), out);
        }
    }
    let mut out = Vec::new();
    walk(&doc.sections, None, &mut out);
    out
}

/// The lines of a measure's own content, labels left out: strategy
/// references, its text, its actions and their bullets. Labels are left out
/// so that renumbering a measure (`1d Være ...` → `1c Være ...`) is not also
/// a rewording.
pub fn measure_lines(m: &Measure) -> Vec<&str> {
    let mut lines: Vec<&str> = m.strategy_refs.iter().map(|r| r.text.as_str()).collect();
    lines.push(&m.text);
    for a in &m.actions {
        lines.push(&a.text);
        lines.extend(a.items.iter().map(String::as_str));
    }
    lines.retain(|l| !l.trim().is_empty());
    lines
}

/// The lines of a heading's content: title, prose, objectives.
pub fn section_lines(s: &Section) -> Vec<&str> {
    let mut lines = vec![s.title.as_str(), s.text.as_str()];
    lines.extend(s.objectives.iter().map(|o| o.text.as_str()));
    lines.retain(|l| !l.trim().is_empty());
    lines
}

fn party_keys(parties: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = parties.iter().map(|p| fingerprint(p).to_lowercase()).filter(|k| !k.is_empty()).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Compares two versions of a plan.
pub fn compare(old: &Document, new: &Document) -> Comparison {
    let first = Alignment::new(old, new);
    let mut notes: Vec<String> = [&first.sections.note, &first.measures.note].into_iter().flatten().cloned().collect();
    let joined_old = absorb_continuations(old, new, &first.measures.old_to_new, &first.measures.scores, &mut notes, "old");
    let new_scores: Vec<_> = first.measures.new_to_old.iter().map(|o| o.and_then(|i| first.measures.scores[i])).collect();
    let joined_new = absorb_continuations(new, old, &first.measures.new_to_old, &new_scores, &mut notes, "new");
    if joined_old.is_none() && joined_new.is_none() {
        return first.into_comparison(old.clone(), new.clone(), notes);
    }
    let (old, old_joins) = joined_old.unwrap_or_else(|| (old.clone(), Vec::new()));
    let (new, new_joins) = joined_new.unwrap_or_else(|| (new.clone(), Vec::new()));
    first.rejoin(&old, &old_joins, &new, &new_joins).into_comparison(old, new, notes)
}

/// For each measure index of a document, its index once the `joins` (head,
/// tail) are made: a tail goes where its head goes.
fn joined_index(len: usize, joins: &[(usize, usize)]) -> Vec<usize> {
    let tails: HashSet<usize> = joins.iter().map(|&(_, tail)| tail).collect();
    let mut map = Vec::with_capacity(len);
    let mut removed = 0;
    for k in 0..len {
        if tails.contains(&k) {
            removed += 1;
        }
        map.push(k - removed);
    }
    map
}

/// The two matchings of one comparison, with what they were computed from.
struct Alignment {
    sections: Matching,
    measures: Matching,
    old_keys: Vec<MeasureKey>,
    new_keys: Vec<MeasureKey>,
}

impl Alignment {
    fn new(old: &Document, new: &Document) -> Self {
        let old_sections = flatten_sections(old);
        let new_sections = flatten_sections(new);
        let old_keys = measure_keys(old, &old_sections);
        let new_keys = measure_keys(new, &new_sections);
        let sections = match_sections(old, &old_sections, &old_keys, new, &new_sections, &new_keys);
        let measures = match_measures(&old_keys, &new_keys, &sections);
        Alignment { sections, measures, old_keys, new_keys }
    }

    /// The alignment of the documents with rows joined (see
    /// [`absorb_continuations`]): every pair is kept, a joined row takes the
    /// counterpart of the part that had one and is scored again.
    fn rejoin(self, old: &Document, old_joins: &[(usize, usize)], new: &Document, new_joins: &[(usize, usize)]) -> Self {
        let old_keys = measure_keys(old, &flatten_sections(old));
        let new_keys = measure_keys(new, &flatten_sections(new));
        let old_map = joined_index(self.old_keys.len(), old_joins);
        let new_map = joined_index(self.new_keys.len(), new_joins);
        let mut m = Matching {
            old_to_new: vec![None; old_keys.len()],
            new_to_old: vec![None; new_keys.len()],
            scores: vec![None; old_keys.len()],
            note: self.measures.note.clone(),
        };
        for (i, j) in self.measures.old_to_new.iter().enumerate().filter_map(|(i, j)| j.map(|j| (i, j))) {
            let (i2, j2) = (old_map[i], new_map[j]);
            m.old_to_new[i2] = Some(j2);
            m.new_to_old[j2] = Some(i2);
            m.scores[i2] = self.measures.scores[i];
        }
        let rescored = old_joins.iter().map(|&(head, _)| old_map[head]).chain(new_joins.iter().filter_map(|&(head, _)| m.new_to_old[new_map[head]]));
        for i2 in rescored.collect::<Vec<_>>() {
            if let Some(j2) = m.old_to_new[i2] {
                m.scores[i2] = align::score_measures(&old_keys[i2], &new_keys[j2], &self.sections).or(m.scores[i2]);
            }
        }
        Alignment { sections: self.sections, measures: m, old_keys, new_keys }
    }

    fn into_comparison(self, old: Document, new: Document, notes: Vec<String>) -> Comparison {
        let old_sections = flatten_sections(&old);
        let new_sections = flatten_sections(&new);
        let mut changes = Vec::new();
        let mut summary = Summary::default();
        let section_rows = section_changes(&old_sections, &new_sections, &self.sections, &mut changes, &mut summary.sections);
        let measure_rows = measure_changes(&old, &new, &self, &old_sections, &new_sections, &mut changes, &mut summary.measures);
        roll_up_measure_changes(&changes, &section_rows, &new_sections, &mut summary.sections);
        let side = |doc: &Document, sections: usize| Side {
            file: doc.source.file.clone(),
            title: doc.title.clone(),
            organization: doc.organization.clone(),
            period: doc.period,
            measures: doc.measures.len(),
            sections,
        };
        let relation = relation(&old, &new, &section_rows, &measure_rows);
        let warnings = relation_warning(&relation, &old, &new).into_iter().collect();
        let diff = Diff { old: side(&old, old_sections.len()), new: side(&new, new_sections.len()), summary, changes, notes, relation, warnings };
        Comparison { diff, old, new, sections: section_rows, measures: measure_rows }
    }
}

/// For sections, `responsible_changed` and `indicators_changed` count the
/// matched sections (by the new section) that hold a measure with that
/// change; such a section is no longer counted `unchanged` (see [`Counts`]).
fn roll_up_measure_changes(changes: &[Change], section_rows: &[Row], new_sections: &[FlatSection], counts: &mut Counts) {
    let holding = |kind: ChangeType| -> HashSet<&str> {
        changes.iter().filter(|c| c.level == Level::Measure && c.kind == kind).filter_map(|c| c.new_section.as_deref()).collect()
    };
    let (responsible, indicators) = (holding(ChangeType::ResponsibleChanged), holding(ChangeType::IndicatorsChanged));
    for row in section_rows {
        let (Some(_), Some(j)) = (row.old, row.new) else { continue };
        let id = new_sections[j].section.id.as_str();
        let (r, i) = (responsible.contains(id), indicators.contains(id));
        counts.responsible_changed += usize::from(r);
        counts.indicators_changed += usize::from(i);
        if (r || i) && row.changes.is_empty() {
            counts.unchanged = counts.unchanged.saturating_sub(1);
        }
    }
}

/// Below this share of aligned sections and measures (of the side with
/// fewer) two documents are taken to be different documents rather than
/// versions of one plan, and [`Diff::warnings`] says so. Versions of a plan
/// align most items (the development pairs: 94–96 %, one plan in two formats
/// 100 %); unrelated plans align few, through generic headings such as an
/// introduction (the 66 pairs of the corpus and zoo plans: 0–21 %).
pub const MIN_ALIGNED_SHARE: f64 = 0.40;

/// What two documents have in common: the share of items aligned, and
/// whether titles (years and numbers aside) and organizations agree.
fn relation(old: &Document, new: &Document, section_rows: &[Row], measure_rows: &[Row]) -> Relation {
    let matched = |rows: &[Row]| rows.iter().filter(|r| r.old.is_some() && r.new.is_some()).count();
    let sections = flatten_sections(old).len().min(flatten_sections(new).len());
    let measures = old.measures.len().min(new.measures.len());
    let aligned = matched(section_rows) + matched(measure_rows);
    let comparable = sections + measures;
    // Letters only: `Handlingsplan 2021-2025` and `Handlingsplan 2026-2029` are one title.
    let key = |s: &Option<String>| -> Option<String> {
        let words: String = s.as_deref()?.chars().map(|c| if c.is_alphabetic() { c } else { ' ' }).collect::<String>().to_lowercase();
        let key = words.split_whitespace().collect::<Vec<_>>().join(" ");
        (!key.is_empty()).then_some(key)
    };
    let same = |a: &Option<String>, b: &Option<String>| matches!((key(a), key(b)), (Some(x), Some(y)) if x == y);
    Relation {
        aligned_share: (comparable > 0).then(|| round3(aligned as f64 / comparable as f64)),
        aligned,
        comparable,
        same_title: same(&old.title, &new.title),
        same_organization: same(&old.organization, &new.organization),
    }
}

/// The warning for two documents that share too little to be versions of one plan.
fn relation_warning(relation: &Relation, old: &Document, new: &Document) -> Option<String> {
    let share = relation.aligned_share?;
    if share >= MIN_ALIGNED_SHARE {
        return None;
    }
    let title = |d: &Document| d.title.clone().unwrap_or_else(|| d.source.file.clone());
    let also = match (relation.same_title, relation.same_organization) {
        (true, _) => "; their titles agree (years aside), so this may be a plan rewritten from scratch".to_string(),
        (false, true) => "; the organization is the same, the titles differ".to_string(),
        (false, false) => format!("; the titles differ ({:?} and {:?})", title(old), title(new)),
    };
    Some(format!(
        "the two documents share little: {} of {} sections and measures ({:.0} %) could be aligned{also}; they may not be versions of one plan, and the changes below then mean little",
        relation.aligned,
        relation.comparable,
        share * 100.0
    ))
}

/// A merged row must be at least this similar to its counterpart to be
/// taken as one measure (and more similar than the matched part alone).
pub const CONTINUATION_MIN_SIMILARITY: f64 = 0.90;

/// Rows that a page break (or a cell the parser split) cut in two: two
/// neighbours in one section, the second unlabelled (a continuation has no
/// label of its own), exactly one of them matched, where the two together
/// read like that one's counterpart better than it alone (`…og fasilitere` +
/// `sambruk med andre avdelinger.` on the next page; or a label and a line
/// left at the foot of a page, the rest of the row on the next). Returns the
/// document with such pairs joined into the first (text, actions, indicators
/// and responsible appended; the first's id and label kept) and the joined
/// (head, tail) indices, or `None` when there are none. `scores` and
/// `to_other` are indexed by this document's measures.
fn absorb_continuations(
    doc: &Document,
    other: &Document,
    to_other: &[Option<usize>],
    scores: &[Option<align::PairScore>],
    notes: &mut Vec<String>,
    side: &str,
) -> Option<(Document, Vec<(usize, usize)>)> {
    let mut joined: Vec<(usize, usize)> = Vec::new();
    for (tail, m) in doc.measures.iter().enumerate().skip(1) {
        let head = tail - 1;
        if m.label.is_some() || doc.measures[head].section != m.section || joined.last().is_some_and(|&(_, t)| t == head) {
            continue;
        }
        // The matched part: its counterpart and how similar it is alone.
        let (j, score) = match (to_other[head], to_other[tail]) {
            (Some(j), None) => (j, scores[head]),
            (None, Some(j)) => (j, scores[tail]),
            _ => continue,
        };
        let Some(score) = score else { continue };
        let merged = join_measures(&doc.measures[head], m);
        let counterpart = &other.measures[j];
        let identical = fingerprint(&measure_lines(&merged).join(" ")) == fingerprint(&measure_lines(counterpart).join(" "));
        let similarity = TextProfile::new(&measure_text(&merged)).similarity(&TextProfile::new(&measure_text(counterpart)));
        if identical || (similarity >= CONTINUATION_MIN_SIMILARITY && similarity > score.similarity) {
            notes.push(format!("{side} {} read as the continuation of {} (a row split in two)", m.id, doc.measures[head].id));
            joined.push((head, tail));
        }
    }
    if joined.is_empty() {
        return None;
    }
    let mut doc = doc.clone();
    // Each tail joined into its head, in one pass (not one `remove` per join).
    // A head is never itself a tail: a tail is skipped as the next head.
    let tails: HashSet<usize> = joined.iter().map(|&(_, tail)| tail).collect();
    let mut measures: Vec<Measure> = Vec::with_capacity(doc.measures.len() - tails.len());
    for (k, m) in std::mem::take(&mut doc.measures).into_iter().enumerate() {
        match measures.last_mut() {
            Some(host) if tails.contains(&k) => *host = join_measures(host, &m),
            _ => measures.push(m),
        }
    }
    doc.measures = measures;
    Some((doc, joined))
}

/// One measure made of two parts: the second's content, indicators, parties and pages appended.
fn join_measures(first: &Measure, second: &Measure) -> Measure {
    let mut m = first.clone();
    m.strategy_refs.extend(second.strategy_refs.iter().cloned());
    if !second.text.is_empty() {
        if m.actions.is_empty() {
            m.text = format!("{} {}", m.text, second.text).trim().to_string();
        } else {
            m.actions.push(crate::model::Action { label: None, text: second.text.clone(), items: Vec::new() });
        }
    }
    m.actions.extend(second.actions.iter().cloned());
    m.indicators.extend(second.indicators.iter().cloned());
    let mut parties = second.responsible.iter();
    // A party cut at the break (`Klinikken/Forskningsleder/` + `FU`) is one party.
    if let (Some(last), Some(first)) = (m.responsible.last_mut(), second.responsible.first()) {
        if last.ends_with(['/', '-']) {
            last.push_str(first);
            parties.next();
        }
    }
    for party in parties {
        if !m.responsible.contains(party) {
            m.responsible.push(party.clone());
        }
    }
    for page in &second.pages {
        if !m.pages.contains(page) {
            m.pages.push(*page);
        }
    }
    m
}

/// Everything the alignment reads of a measure: content and indicators.
fn measure_text(m: &Measure) -> String {
    let mut text = measure_lines(m).join(" ");
    for indicator in &m.indicators {
        text.push(' ');
        text.push_str(indicator);
    }
    text
}

/// Compares two versions of a plan; the JSON-ready part of [`compare`].
pub fn diff(old: &Document, new: &Document) -> Diff {
    compare(old, new).diff
}

fn match_sections(
    old: &Document,
    old_sections: &[FlatSection],
    old_keys: &[MeasureKey],
    new: &Document,
    new_sections: &[FlatSection],
    new_keys: &[MeasureKey],
) -> Matching {
    let keys = |doc: &Document, sections: &[FlatSection], measure_keys: &[MeasureKey]| -> Vec<SectionKey> {
        let mut measures: HashMap<&str, Vec<u64>> = HashMap::new();
        for (m, k) in doc.measures.iter().zip(measure_keys) {
            measures.entry(m.section.as_str()).or_default().push(k.content);
        }
        sections
            .iter()
            .map(|f| {
                let s = f.section;
                let mut body_lines = vec![s.text.as_str()];
                body_lines.extend(s.objectives.iter().map(|o| o.text.as_str()));
                let body = body_lines.join(" ");
                let mut hashes = measures.remove(s.id.as_str()).unwrap_or_default();
                hashes.sort_unstable();
                hashes.dedup();
                SectionKey {
                    title: TextProfile::new(&s.title),
                    whole: TextProfile::new(&section_lines(s).join(" ")),
                    body: (!body.trim().is_empty()).then(|| TextProfile::new(&body)),
                    number: s.number.clone(),
                    measures: hashes,
                }
            })
            .collect()
    };
    let (rows, cols) = (old_sections.len(), new_sections.len());
    if rows.max(cols) > MAX_ALIGNED_ITEMS {
        return identical_sections(old_sections, new_sections);
    }
    let old_keys = keys(old, old_sections, old_keys);
    let new_keys = keys(new, new_sections, new_keys);
    let pairs: Vec<(usize, usize)> = if rows.saturating_mul(cols) <= FULL_SECTION_PAIRS {
        (0..rows).flat_map(|i| (0..cols).map(move |j| (i, j))).collect()
    } else {
        // Sections share title words, measures or a number with their counterpart.
        let features = |keys: &[SectionKey]| -> Vec<Vec<u64>> {
            keys.iter()
                .map(|k| {
                    let mut f: Vec<u64> = k.title.tokens().to_vec();
                    f.extend(k.measures.iter().map(|h| h.rotate_left(17) ^ 0x5eed));
                    f.extend(k.number.as_deref().map(|n| similarity::hash_str(n).rotate_left(31)));
                    f
                })
                .collect()
        };
        align::sharing_pairs(&features(&old_keys), &features(&new_keys), SECTION_CANDIDATES)
    };
    optimal_matching(rows, cols, pairs.into_iter().filter_map(|(i, j)| score_sections(&old_keys[i], &new_keys[j]).map(|s| (i, j, s))))
}

/// Plans with up to this many old × new section pairs have every pair
/// scored; larger ones only the pairs [`align::sharing_pairs`] proposes.
const FULL_SECTION_PAIRS: usize = 250_000;
/// Candidates per section in a large plan.
const SECTION_CANDIDATES: usize = 10;

/// The bounded alignment of sections for inputs over [`MAX_ALIGNED_ITEMS`]:
/// sections with the same number and title (in fingerprint) are paired in
/// document order (the first such old one with the first such new one); the
/// rest are removed and added. Linear, with a note.
fn identical_sections(old: &[FlatSection], new: &[FlatSection]) -> Matching {
    let key = |f: &FlatSection| (f.section.number.clone(), fingerprint_hash(&f.section.title));
    let mut unpaired: HashMap<_, std::collections::VecDeque<usize>, FnvBuild> = HashMap::default();
    for (i, f) in old.iter().enumerate() {
        unpaired.entry(key(f)).or_default().push_back(i);
    }
    let mut m = optimal_matching(old.len(), new.len(), std::iter::empty());
    for (j, f) in new.iter().enumerate() {
        if let Some(i) = unpaired.get_mut(&key(f)).and_then(|q| q.pop_front()) {
            m.old_to_new[i] = Some(j);
            m.new_to_old[j] = Some(i);
            m.scores[i] = Some(align::PairScore { similarity: 1.0, score: 1.0 });
        }
    }
    m.note = Some(format!(
        "{} and {} sections: more than {MAX_ALIGNED_ITEMS} are not compared by content; only sections with the same number and title were paired, in order",
        old.len(),
        new.len()
    ));
    m
}

/// Section id → index in the flattened list.
fn section_index<'a>(sections: &[FlatSection<'a>]) -> HashMap<&'a str, usize> {
    sections.iter().enumerate().map(|(i, f)| (f.section.id.as_str(), i)).collect()
}

fn measure_keys(doc: &Document, sections: &[FlatSection]) -> Vec<MeasureKey> {
    let index = section_index(sections);
    let last = doc.measures.len().saturating_sub(1).max(1) as f64;
    doc.measures
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let content = measure_lines(m).join(" ");
            MeasureKey {
                text: measure_text(m),
                profile: OnceCell::new(),
                content: fingerprint_hash(&content),
                indicators: party_keys(&m.indicators),
                label: m.label.as_ref().map(|l| l.to_lowercase()),
                section: index.get(m.section.as_str()).copied(),
                responsible: party_keys(&m.responsible),
                position: i as f64 / last,
            }
        })
        .collect()
}

/// Rounds a figure for the JSON (three decimals are plenty for a similarity).
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A word of a text with the white space before it (`" "`, `"\n"` at a line
/// start, `""` for the first word); word diffs compare the words only, and an
/// inserted run after an unchanged word brings its own space.
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    sep: &'static str,
    word: &'a str,
}

impl PartialEq for Word<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.word == other.word
    }
}

impl Eq for Word<'_> {}

impl PartialOrd for Word<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Word<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.word.cmp(other.word)
    }
}

impl std::hash::Hash for Word<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.word.hash(state);
    }
}

/// The words of `text`, lines kept apart by their `"\n"`, each word that
/// `reference` prints as two words (a PDF line join that lost its space:
/// `persontilpassetmedisin`) split like the reference, so a word diff does
/// not show the lost space as a rewording.
fn words<'a>(text: &'a str, reference: &'a str) -> Vec<Word<'a>> {
    let ref_words: Vec<&str> = reference.split_whitespace().collect();
    let known: HashSet<&str, FnvBuild> = ref_words.iter().copied().collect();
    let pairs: HashSet<(&str, &str), FnvBuild> = ref_words.windows(2).map(|w| (w[0], w[1])).collect();
    let mut out = Vec::new();
    for (l, line) in text.lines().enumerate() {
        for (k, w) in line.split_whitespace().enumerate() {
            let sep = match (l, k) {
                (0, 0) => "",
                (_, 0) => "\n",
                _ => " ",
            };
            let split = if known.contains(w) { None } else { w.char_indices().skip(1).map(|(b, _)| (&w[..b], &w[b..])).find(|p| pairs.contains(p)) };
            match split {
                Some((a, b)) => out.extend([Word { sep, word: a }, Word { sep: " ", word: b }]),
                None => out.push(Word { sep, word: w }),
            }
        }
    }
    out
}

/// Word-level diff of two texts, consecutive words of one kind joined in one
/// span. White space is normalised (one space between words, line breaks
/// kept), and words glued by a lost space on one side are split as on the
/// other first.
pub fn word_diff(old: &str, new: &str) -> Vec<TextSpan> {
    let (a, b) = (words(old, new), words(new, old));
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(200);
    let ops = similar::capture_diff_slices_deadline(similar::Algorithm::Myers, &a, &b, Some(deadline));
    let mut spans: Vec<TextSpan> = Vec::new();
    let mut emit = |op: DiffOp, run: &[Word]| {
        if run.is_empty() {
            return;
        }
        let text: String = run.iter().flat_map(|w| [w.sep, w.word]).collect();
        match spans.last_mut() {
            Some(last) if last.op == op => last.text.push_str(&text),
            _ => spans.push(TextSpan { op, text }),
        }
    };
    for op in ops {
        match op {
            similar::DiffOp::Equal { old_index, len, .. } => emit(DiffOp::Equal, &a[old_index..old_index + len]),
            similar::DiffOp::Delete { old_index, old_len, .. } => emit(DiffOp::Delete, &a[old_index..old_index + old_len]),
            similar::DiffOp::Insert { new_index, new_len, .. } => emit(DiffOp::Insert, &b[new_index..new_index + new_len]),
            similar::DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                emit(DiffOp::Delete, &a[old_index..old_index + old_len]);
                emit(DiffOp::Insert, &b[new_index..new_index + new_len]);
            }
        }
    }
    coalesce(spans)
}

/// Joins each run of changed spans, and the bare white space between them,
/// into one deletion and one insertion, so a rewritten phrase reads
/// `[-og seminarer om-]{+om+}` rather than as alternating single words.
fn coalesce(spans: Vec<TextSpan>) -> Vec<TextSpan> {
    let changed = |k: usize| spans.get(k).is_some_and(|s| s.op != DiffOp::Equal);
    let mut out = Vec::with_capacity(spans.len());
    let mut k = 0;
    while k < spans.len() {
        if !changed(k) {
            out.push(spans[k].clone());
            k += 1;
            continue;
        }
        let (mut deleted, mut inserted) = (String::new(), String::new());
        while k < spans.len() {
            let s = &spans[k];
            match s.op {
                DiffOp::Delete => deleted.push_str(&s.text),
                DiffOp::Insert => inserted.push_str(&s.text),
                DiffOp::Equal => {
                    deleted.push_str(&s.text);
                    inserted.push_str(&s.text);
                }
            }
            k += 1;
            let bridge = !changed(k) && spans.get(k).is_some_and(|s| s.text.trim().is_empty()) && changed(k + 1);
            if !changed(k) && !bridge {
                break;
            }
        }
        for (op, text) in [(DiffOp::Delete, deleted), (DiffOp::Insert, inserted)] {
            if !text.is_empty() {
                out.push(TextSpan { op, text });
            }
        }
    }
    out
}

/// Where an item sits: its id and the section it sits under (for a
/// section: its parent heading).
type Place = (String, Option<String>);

/// Walks a matching in reading order and records its changes: `removed` and
/// `added` for unmatched items, whatever `classify` finds for a matched pair
/// (nothing: unchanged). `place` says where an old (`false`) or new (`true`)
/// item sits; `classify` gets a maker of changes with the pair's ids filled in.
fn record_changes(
    matching: &Matching,
    level: Level,
    place: impl Fn(bool, usize) -> Place,
    mut classify: impl FnMut(usize, usize, &dyn Fn(ChangeType) -> Change) -> Vec<Change>,
    changes: &mut Vec<Change>,
    counts: &mut Counts,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for (oi, ni) in matching.rows() {
        let (o, n) = (oi.map(|i| place(false, i)), ni.map(|j| place(true, j)));
        let base = |kind| {
            let mut c = Change::new(kind, level, o.as_ref().map(|p| p.0.clone()), n.as_ref().map(|p| p.0.clone()));
            c.old_section = o.as_ref().and_then(|p| p.1.clone());
            c.new_section = n.as_ref().and_then(|p| p.1.clone());
            if let Some(s) = oi.and_then(|i| matching.scores[i]) {
                c.similarity = Some(round3(s.similarity));
                c.score = Some(round3(s.score));
            }
            c
        };
        let found = match (oi, ni) {
            (Some(_), None) => vec![base(ChangeType::Removed)],
            (None, Some(_)) => vec![base(ChangeType::Added)],
            (Some(i), Some(j)) => classify(i, j, &base),
            (None, None) => Vec::new(),
        };
        if oi.is_some() && ni.is_some() && found.is_empty() {
            counts.unchanged += 1;
        }
        let mut row = Row { old: oi, new: ni, changes: Vec::new() };
        for c in found {
            counts.add(c.kind);
            changes.push(c);
            row.changes.push(changes.len() - 1);
        }
        rows.push(row);
    }
    rows
}

/// A `reworded` change with its word diff, when the fingerprints differ.
fn reworded(base: &dyn Fn(ChangeType) -> Change, changed: bool, old_lines: &[&str], new_lines: &[&str]) -> Option<Change> {
    changed.then(|| {
        let mut c = base(ChangeType::Reworded);
        c.text_diff = Some(word_diff(&old_lines.join("\n"), &new_lines.join("\n")));
        c
    })
}

/// A `renumbered` change when both labels are printed and differ.
fn renumbered(base: &dyn Fn(ChangeType) -> Change, old: Option<&String>, new: Option<&String>) -> Option<Change> {
    let (a, b) = (old?, new?);
    (a.to_lowercase() != b.to_lowercase()).then(|| {
        let mut c = base(ChangeType::Renumbered);
        c.old_label = Some(a.clone());
        c.new_label = Some(b.clone());
        c
    })
}

fn section_changes(old: &[FlatSection], new: &[FlatSection], matching: &Matching, changes: &mut Vec<Change>, counts: &mut Counts) -> Vec<Row> {
    let old_index = section_index(old);
    let new_index = section_index(new);
    let place = |is_new: bool, k: usize| {
        let f = if is_new { new[k] } else { old[k] };
        (f.section.id.clone(), f.parent.map(str::to_string))
    };
    let classify = |i: usize, j: usize, base: &dyn Fn(ChangeType) -> Change| {
        let (o, n) = (old[i], new[j]);
        let (old_lines, new_lines) = (section_lines(o.section), section_lines(n.section));
        let changed = fingerprint(&old_lines.join(" ")) != fingerprint(&new_lines.join(" "));
        let moved = match (o.parent, n.parent) {
            (None, None) => false,
            (Some(a), Some(b)) => old_index.get(a).and_then(|&i| matching.old_to_new[i]) != new_index.get(b).copied(),
            _ => true,
        };
        let position = if moved { Some(base(ChangeType::Moved)) } else { renumbered(base, o.section.number.as_ref(), n.section.number.as_ref()) };
        [reworded(base, changed, &old_lines, &new_lines), position].into_iter().flatten().collect()
    };
    record_changes(matching, Level::Section, place, classify, changes, counts)
}

fn measure_changes(
    old: &Document,
    new: &Document,
    alignment: &Alignment,
    old_sections: &[FlatSection],
    new_sections: &[FlatSection],
    changes: &mut Vec<Change>,
    counts: &mut Counts,
) -> Vec<Row> {
    let sections = &alignment.sections;
    let old_index = section_index(old_sections);
    let new_index = section_index(new_sections);
    let place = |is_new: bool, k: usize| {
        let m = if is_new { &new.measures[k] } else { &old.measures[k] };
        (m.id.clone(), Some(m.section.clone()))
    };
    let classify = |i: usize, j: usize, base: &dyn Fn(ChangeType) -> Change| {
        let (o, n) = (&old.measures[i], &new.measures[j]);
        let (ok, nk) = (&alignment.old_keys[i], &alignment.new_keys[j]);
        let moved = match (old_index.get(o.section.as_str()), new_index.get(n.section.as_str())) {
            (Some(&i), Some(&j)) => sections.old_to_new[i] != Some(j),
            (None, None) => o.section != n.section,
            _ => true,
        };
        let position = if moved { Some(base(ChangeType::Moved)) } else { renumbered(base, o.label.as_ref(), n.label.as_ref()) };
        let responsible = (ok.responsible != nk.responsible).then(|| {
            let mut c = base(ChangeType::ResponsibleChanged);
            c.old_responsible = Some(o.responsible.clone());
            c.new_responsible = Some(n.responsible.clone());
            c
        });
        let indicators = (ok.indicators != nk.indicators).then(|| {
            let key = |s: &String| fingerprint(s).to_lowercase();
            let mut c = base(ChangeType::IndicatorsChanged);
            c.added_indicators = Some(n.indicators.iter().filter(|s| ok.indicators.binary_search(&key(s)).is_err()).cloned().collect());
            c.removed_indicators = Some(o.indicators.iter().filter(|s| nk.indicators.binary_search(&key(s)).is_err()).cloned().collect());
            c
        });
        let text = reworded(base, ok.content != nk.content, &measure_lines(o), &measure_lines(n));
        [text, position, responsible, indicators].into_iter().flatten().collect()
    };
    record_changes(&alignment.measures, Level::Measure, place, classify, changes, counts)
}

/// The measures of one section, for the reports: a section row (`None` for
/// measures whose section id names no heading) and the measure rows under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Index into [`Comparison::sections`].
    pub section: Option<usize>,
    /// Indices into [`Comparison::measures`], in reading order.
    pub measures: Vec<usize>,
}

impl Group {
    /// True when neither the heading nor any measure under it changed.
    pub fn is_unchanged(&self, comparison: &Comparison) -> bool {
        self.section.is_none_or(|s| comparison.sections[s].changes.is_empty()) && self.measures.iter().all(|&m| comparison.measures[m].changes.is_empty())
    }
}

/// Measure rows grouped by section, sections in reading order. A removed
/// measure sits with its old section (which is the same row as that
/// section's new counterpart when the section was kept).
pub fn groups(comparison: &Comparison) -> Vec<Group> {
    let (old, new) = (&comparison.old, &comparison.new);
    let old_sections = flatten_sections(old);
    let new_sections = flatten_sections(new);
    let old_index = section_index(&old_sections);
    let new_index = section_index(&new_sections);
    let mut row_of_old = HashMap::new();
    let mut row_of_new = HashMap::new();
    for (k, row) in comparison.sections.iter().enumerate() {
        if let Some(i) = row.old {
            row_of_old.insert(i, k);
        }
        if let Some(j) = row.new {
            row_of_new.insert(j, k);
        }
    }
    let mut groups: Vec<Group> = (0..comparison.sections.len()).map(|k| Group { section: Some(k), measures: Vec::new() }).collect();
    let mut orphans = Group { section: None, measures: Vec::new() };
    for (k, row) in comparison.measures.iter().enumerate() {
        let section_row = match (row.new, row.old) {
            (Some(j), _) => new_index.get(new.measures[j].section.as_str()).and_then(|s| row_of_new.get(s)),
            (None, Some(i)) => old_index.get(old.measures[i].section.as_str()).and_then(|s| row_of_old.get(s)),
            (None, None) => None,
        };
        match section_row {
            Some(&s) => groups[s].measures.push(k),
            None => orphans.measures.push(k),
        }
    }
    if !orphans.measures.is_empty() {
        groups.push(orphans);
    }
    groups
}

/// A one-line description of a plan version: file, title, period, size.
pub fn describe_side(side: &Side) -> String {
    let mut out = side.file.clone();
    if let Some(title) = &side.title {
        out.push_str(&format!(" — {title}"));
    }
    if let Some(p) = side.period {
        out.push_str(&format!(" ({}–{})", p.from, p.to));
    }
    out.push_str(&format!(", {} measures, {} sections", side.measures, side.sections));
    out
}

/// Counts as a sentence: `3 added, 1 removed, ..., 40 unchanged`.
pub fn describe_counts(counts: &Counts) -> String {
    let mut parts: Vec<String> = ChangeType::ALL.iter().map(|&k| format!("{} {}", counts.get(k), k.describe())).collect();
    parts.push(format!("{} unchanged", counts.unchanged));
    parts.join(", ")
}
