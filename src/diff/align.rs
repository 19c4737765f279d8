//! One-to-one matching of the sections and measures of two plan versions.
//!
//! Every old item is scored against every new item; the pairing that
//! maximises the total score is found with the Hungarian method
//! (`pathfinding::kuhn_munkres`), so one strong pair is never stolen by an
//! earlier, weaker one as a greedy first match would. A pair below the
//! thresholds is never matched: its old item is *removed* and its new item
//! *added*.
//!
//! A score is a weighted mean of components in `[0, 1]`. A component that
//! says nothing for a pair (no labels on either side, no responsible on
//! either side) is left out of the mean rather than counted as 0 or 1, so
//! unlabelled plans (Helse Midt-Norge's `Tiltak | Ansvar` rows) are matched on
//! what they do have.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

use super::similarity::{dice, hash_str, FnvBuild, TextProfile};

/// Weight of the text similarity of two measures: what a measure says is
/// what identifies it across versions.
pub const MEASURE_TEXT_WEIGHT: f64 = 0.70;
/// Weight of label equality (`2d` = `2d`): a strong hint in labelled plans,
/// but labels are reused after renumbering, so it only breaks ties.
pub const MEASURE_LABEL_WEIGHT: f64 = 0.10;
/// Weight of "under the counterpart of its old section".
pub const MEASURE_SECTION_WEIGHT: f64 = 0.10;
/// Weight of the Dice overlap of the responsible parties.
pub const MEASURE_RESPONSIBLE_WEIGHT: f64 = 0.08;
/// Weight of closeness of relative position in the document: separates
/// identical rows (a plan that repeats a measure under two goals).
pub const MEASURE_POSITION_WEIGHT: f64 = 0.02;

/// Two measures whose texts are less similar than this are never matched,
/// whatever their labels and sections say: a new measure under a reused label
/// is an added measure, not a rewording. Between the different measures of
/// one corpus plan the median similarity is 0.08–0.22 and the 99th
/// percentile 0.27–0.36 (shared vocabulary: `forskning`, `kliniske studier`);
/// the rewordings of the fixtures keep 0.75 or more.
pub const MIN_MEASURE_TEXT_SIMILARITY: f64 = 0.30;
/// Minimum weighted score of a measure pair. What it asks of the text
/// similarity depends on the other terms: a measure reworded in place under
/// the same label passes from 0.30; an unlabelled row in the same section
/// with the same parties (a removed row and an added one) needs 0.36, above
/// the 99th percentile of unrelated pairs; a labelled one under a new label
/// 0.43; one that also moved to another section 0.50.
pub const MIN_MEASURE_SCORE: f64 = 0.50;

/// Weight of the similarity of section titles.
pub const SECTION_TITLE_WEIGHT: f64 = 0.40;
/// Weight of the similarity of the prose under the headings (when either has some).
pub const SECTION_BODY_WEIGHT: f64 = 0.15;
/// Weight of number equality (when either heading is numbered).
pub const SECTION_NUMBER_WEIGHT: f64 = 0.15;
/// Weight of the share of identical measures the two sections hold (when
/// either holds any): it recognises a goal whose heading was rewritten.
pub const SECTION_MEASURES_WEIGHT: f64 = 0.30;
/// A section pair needs titles at least this similar, or [`MIN_SECTION_MEASURE_OVERLAP`].
pub const MIN_SECTION_TITLE_SIMILARITY: f64 = 0.30;
/// ... or at least this share of identical measures.
pub const MIN_SECTION_MEASURE_OVERLAP: f64 = 0.50;
/// Minimum weighted score of a section pair.
pub const MIN_SECTION_SCORE: f64 = 0.45;

/// Scores become integer weights for the assignment at this resolution.
const SCORE_SCALE: f64 = 10_000.0;

/// The two figures kept for a matched pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScore {
    /// Text similarity of the pair (see [`TextProfile::similarity`]).
    pub similarity: f64,
    /// The weighted score the assignment maximised.
    pub score: f64,
}

/// A one-to-one matching of `old` items to `new` items.
#[derive(Debug, Clone, Default)]
pub struct Matching {
    pub old_to_new: Vec<Option<usize>>,
    pub new_to_old: Vec<Option<usize>>,
    /// Score of each matched pair, by old index.
    pub scores: Vec<Option<PairScore>>,
    /// Set when the input was too large for the optimal assignment and a
    /// bounded method was used instead: what was done, for the diff's notes.
    pub note: Option<String>,
}

impl Matching {
    /// Old and new items interleaved for reading: new items in document
    /// order, each removed old item just before the first new item whose old
    /// counterpart follows it, so it shows where it used to be.
    pub fn rows(&self) -> Vec<(Option<usize>, Option<usize>)> {
        let mut rows = Vec::with_capacity(self.old_to_new.len().max(self.new_to_old.len()));
        let mut next_old = 0;
        let flush_removed = |rows: &mut Vec<_>, from: usize, to: usize| {
            rows.extend((from..to).filter(|&i| self.old_to_new[i].is_none()).map(|i| (Some(i), None)));
        };
        for (j, old) in self.new_to_old.iter().enumerate() {
            if let Some(i) = *old {
                if i >= next_old {
                    flush_removed(&mut rows, next_old, i);
                    next_old = i + 1;
                }
            }
            rows.push((*old, Some(j)));
        }
        flush_removed(&mut rows, next_old, self.old_to_new.len());
        rows
    }
}

/// Plans up to this many old × new measure pairs are scored in full; larger
/// ones only on [`CANDIDATES_PER_MEASURE`] candidates per measure.
pub const FULL_SCORING_PAIRS: usize = 100 * 100;
/// In a large plan, each measure is scored against the measures it shares
/// most tokens with (by [`TextProfile::quick_similarity`]), this many on each
/// side; a counterpart outside its measure's 10 nearest is no match anyway.
pub const CANDIDATES_PER_MEASURE: usize = 10;

/// Plans up to this many measure pairs pick candidates from every pair's
/// quick similarity; larger ones from the measures that share words
/// ([`sharing_pairs`]), never from a dense `n × m` table.
pub const QUICK_SCORING_PAIRS: usize = 1_000_000;

/// Most items (sections or measures) of one side that are scored and
/// aligned; beyond it only identical items are paired (linear time and
/// memory), with a note in the diff.
pub const MAX_ALIGNED_ITEMS: usize = 50_000;

/// Sections up to this size (on each side) have all their measure pairs
/// scored even in a large plan.
pub const FULL_SCORING_SECTION: usize = 50;

/// The pairs worth scoring: all of them for a small plan. For a large one,
/// each measure's [`CANDIDATES_PER_MEASURE`] nearest on the other side (by
/// token overlap, ties broken by position), every pair with the same label,
/// and every pair under matched sections of up to [`FULL_SCORING_SECTION`]
/// measures: the pairs that the label and section terms of the score could
/// lift above a textually closer one.
pub fn candidate_pairs(old: &[&MeasureKey], new: &[&MeasureKey], sections: &Matching) -> Vec<(usize, usize)> {
    let (rows, cols) = (old.len(), new.len());
    if rows.saturating_mul(cols) <= FULL_SCORING_PAIRS {
        return (0..rows).flat_map(|i| (0..cols).map(move |j| (i, j))).collect();
    }
    let mut pairs = if rows.saturating_mul(cols) <= QUICK_SCORING_PAIRS {
        nearest_by_quick_similarity(old, new)
    } else {
        let features = |keys: &[&MeasureKey]| keys.iter().map(|k| k.profile().tokens().to_vec()).collect::<Vec<_>>();
        sharing_pairs(&features(old), &features(new), CANDIDATES_PER_MEASURE)
    };
    let mut by_label: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_section: HashMap<usize, Vec<usize>> = HashMap::new();
    for (j, n) in new.iter().enumerate() {
        if let Some(label) = &n.label {
            by_label.entry(label).or_default().push(j);
        }
        if let Some(s) = n.section {
            by_section.entry(s).or_default().push(j);
        }
    }
    let old_section_sizes = old.iter().filter_map(|o| o.section).fold(HashMap::new(), |mut m: HashMap<usize, usize>, s| {
        *m.entry(s).or_default() += 1;
        m
    });
    for (i, o) in old.iter().enumerate() {
        // A label shared by many new measures (a plan numbering each goal's
        // measures from 1) proposes no pairs: it would make the work quadratic.
        if let Some(js) = o.label.as_deref().and_then(|l| by_label.get(l)).filter(|js| js.len() <= FULL_SCORING_SECTION) {
            pairs.extend(js.iter().map(|&j| (i, j)));
        }
        let counterpart = o.section.and_then(|s| sections.old_to_new.get(s).copied().flatten().map(|t| (s, t)));
        if let Some((s, t)) = counterpart {
            let js = by_section.get(&t).map(Vec::as_slice).unwrap_or_default();
            if js.len() <= FULL_SCORING_SECTION && old_section_sizes.get(&s).copied().unwrap_or(0) <= FULL_SCORING_SECTION {
                pairs.extend(js.iter().map(|&j| (i, j)));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Each measure's [`CANDIDATES_PER_MEASURE`] nearest on the other side by
/// [`TextProfile::quick_similarity`] (ties broken by position), from all
/// pairs: for plans of up to [`QUICK_SCORING_PAIRS`] pairs.
fn nearest_by_quick_similarity(old: &[&MeasureKey], new: &[&MeasureKey]) -> Vec<(usize, usize)> {
    let (rows, cols) = (old.len(), new.len());
    let quick: Vec<f64> = (0..rows * cols)
        .map(|k| {
            let (o, n) = (&old[k / cols], &new[k % cols]);
            o.profile().quick_similarity(n.profile()) + MEASURE_POSITION_WEIGHT * (1.0 - (o.position - n.position).abs())
        })
        .collect();
    let mut pairs = Vec::with_capacity((rows + cols) * CANDIDATES_PER_MEASURE);
    let mut line = Vec::with_capacity(rows.max(cols));
    let nearest = |line: &mut Vec<usize>, pairs: &mut Vec<(usize, usize)>| {
        if line.len() > CANDIDATES_PER_MEASURE {
            line.select_nth_unstable_by(CANDIDATES_PER_MEASURE - 1, |&a, &b| quick[b].total_cmp(&quick[a]));
            line.truncate(CANDIDATES_PER_MEASURE);
        }
        pairs.extend(line.iter().map(|&k| (k / cols, k % cols)));
    };
    for i in 0..rows {
        line.clear();
        line.extend((0..cols).map(|j| i * cols + j));
        nearest(&mut line, &mut pairs);
    }
    for j in 0..cols {
        line.clear();
        line.extend((0..rows).map(|i| i * cols + j));
        nearest(&mut line, &mut pairs);
    }
    pairs
}

/// Items of one side with a feature (a word) beyond which the feature
/// proposes no pairs: a word in hundreds of items tells nothing about which
/// two belong together, and following it would make the work quadratic.
pub const MAX_SHARED_FEATURE_ITEMS: usize = 64;

/// Candidate pairs for inputs too large to compare every pair: each item
/// (on either side) with the `per_item` items of the other side that share
/// the most features with it (ties broken by index), found through an
/// inverted index. Features held by more than [`MAX_SHARED_FEATURE_ITEMS`]
/// items of the other side are skipped, so the work is linear in the input.
pub fn sharing_pairs(old: &[Vec<u64>], new: &[Vec<u64>], per_item: usize) -> Vec<(usize, usize)> {
    fn one_way(from: &[Vec<u64>], to: &[Vec<u64>], per_item: usize, out: &mut Vec<(usize, usize)>, flip: bool) {
        let mut postings: HashMap<u64, Vec<usize>, FnvBuild> = HashMap::default();
        for (j, features) in to.iter().enumerate() {
            for &f in features {
                let list = postings.entry(f).or_default();
                // One more than the cap marks a feature as too common.
                if list.len() <= MAX_SHARED_FEATURE_ITEMS && list.last() != Some(&j) {
                    list.push(j);
                }
            }
        }
        let mut counts: HashMap<usize, u32, FnvBuild> = HashMap::default();
        for (i, features) in from.iter().enumerate() {
            counts.clear();
            for f in features {
                if let Some(list) = postings.get(f).filter(|l| l.len() <= MAX_SHARED_FEATURE_ITEMS) {
                    for &j in list {
                        *counts.entry(j).or_default() += 1;
                    }
                }
            }
            let mut best: Vec<(u32, usize)> = counts.iter().map(|(&j, &n)| (n, j)).collect();
            best.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            out.extend(best.into_iter().take(per_item).map(|(_, j)| if flip { (j, i) } else { (i, j) }));
        }
    }
    let mut pairs = Vec::new();
    one_way(old, new, per_item, &mut pairs, false);
    one_way(new, old, per_item, &mut pairs, true);
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Matches the measures of two versions: identical measures first, then the
/// optimal assignment of the rest.
///
/// A measure whose content (cosmetics aside), label and section (its old
/// section's counterpart) reappear in exactly one new measure, and nowhere
/// else on either side, is paired with it before anything is scored: such a
/// pair scores the maximum, so the optimum contains it, and a plan that kept
/// most of its measures leaves only the changed ones to the cubic step.
pub fn match_measures(old: &[MeasureKey], new: &[MeasureKey], sections: &Matching) -> Matching {
    /// Content, indicators, label and (new) section.
    fn anchor(k: &MeasureKey, section: Option<usize>) -> (u64, u64, Option<&str>, Option<usize>) {
        (k.content, hash_str(&k.indicators.join("\n")), k.label.as_deref(), section)
    }
    // Per key: how many old, how many new, the last old and new index.
    let mut counts: HashMap<_, (usize, usize, usize, usize), FnvBuild> = HashMap::default();
    for (i, o) in old.iter().enumerate() {
        let e = counts.entry(anchor(o, o.section.and_then(|s| sections.old_to_new[s]))).or_default();
        e.0 += 1;
        e.2 = i;
    }
    for (j, n) in new.iter().enumerate() {
        if let Some(e) = counts.get_mut(&anchor(n, n.section)) {
            e.1 += 1;
            e.3 = j;
        }
    }
    let anchors: Vec<(usize, usize)> = counts.values().filter(|e| e.0 == 1 && e.1 == 1).map(|e| (e.2, e.3)).collect();
    let mut anchored_old = vec![false; old.len()];
    let mut anchored_new = vec![false; new.len()];
    for &(i, j) in &anchors {
        anchored_old[i] = true;
        anchored_new[j] = true;
    }
    let rest_old: Vec<usize> = (0..old.len()).filter(|&i| !anchored_old[i]).collect();
    let rest_new: Vec<usize> = (0..new.len()).filter(|&j| !anchored_new[j]).collect();
    let sub_old: Vec<&MeasureKey> = rest_old.iter().map(|&i| &old[i]).collect();
    let sub_new: Vec<&MeasureKey> = rest_new.iter().map(|&j| &new[j]).collect();
    let too_many = sub_old.len().max(sub_new.len()) > MAX_ALIGNED_ITEMS;
    let sub = if too_many {
        let mut sub = optimal_matching(rest_old.len(), rest_new.len(), std::iter::empty());
        sub.note = Some(format!(
            "{} and {} measures left after pairing identical ones: more than {MAX_ALIGNED_ITEMS} are not compared by content; they are listed as removed and added",
            sub_old.len(),
            sub_new.len()
        ));
        sub
    } else {
        let scored =
            candidate_pairs(&sub_old, &sub_new, sections).into_iter().filter_map(|(a, b)| score_measures(sub_old[a], sub_new[b], sections).map(|s| (a, b, s)));
        optimal_matching(rest_old.len(), rest_new.len(), scored)
    };
    let mut matching = Matching { old_to_new: vec![None; old.len()], new_to_old: vec![None; new.len()], scores: vec![None; old.len()], note: sub.note.clone() };
    // Same content and indicators: a text similarity of 1 without reading the text.
    let pairs = anchors.into_iter().map(|(i, j)| (i, j, score_pair(&old[i], &new[j], sections, 1.0)));
    let rest = sub.old_to_new.iter().enumerate().filter_map(|(a, b)| b.map(|b| (rest_old[a], rest_new[b], sub.scores[a])));
    for (i, j, score) in pairs.chain(rest) {
        matching.old_to_new[i] = Some(j);
        matching.new_to_old[j] = Some(i);
        matching.scores[i] = score.or(Some(PairScore { similarity: 1.0, score: 1.0 }));
    }
    matching
}

/// Up to this many items on either side, the assignment is the exact dense
/// Hungarian method (cubic time, a square matrix: 1,000 items with 20
/// candidates each take 0.13 s, 2,000 take 1 s). Larger inputs are split into
/// the connected groups of their scored pairs, each group of this size solved
/// exactly, larger groups greedily.
pub const EXACT_ASSIGNMENT_ITEMS: usize = 1_000;

/// The optimal one-to-one matching of `rows` old items to `cols` new items
/// among the scored `pairs` `(old, new, score)`; any other pair is never matched.
///
/// Small inputs (up to [`EXACT_ASSIGNMENT_ITEMS`] on each side) are solved
/// with one dense assignment. Larger ones never build an `n × n` matrix: pairs
/// link items into groups that share no pair, whose optima add up to the whole
/// optimum; each group up to [`EXACT_ASSIGNMENT_ITEMS`] is solved exactly, a
/// larger group by taking the best remaining pair first (`n log n`), which is
/// noted in [`Matching::note`].
pub fn optimal_matching(rows: usize, cols: usize, pairs: impl IntoIterator<Item = (usize, usize, PairScore)>) -> Matching {
    if rows.max(cols) <= EXACT_ASSIGNMENT_ITEMS {
        return dense_matching(rows, cols, pairs);
    }
    let pairs: Vec<(usize, usize, PairScore)> = pairs.into_iter().filter(|&(i, j, _)| i < rows && j < cols).collect();
    let mut matching = Matching { old_to_new: vec![None; rows], new_to_old: vec![None; cols], scores: vec![None; rows], note: None };
    // Union–find over old items (0..rows) and new items (rows..rows + cols).
    let mut parent: Vec<usize> = (0..rows + cols).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(i, j, _) in &pairs {
        let (a, b) = (root(&mut parent, i), root(&mut parent, rows + j));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut groups: HashMap<usize, Vec<(usize, usize, PairScore)>> = HashMap::new();
    for &(i, j, score) in &pairs {
        groups.entry(root(&mut parent, i)).or_default().push((i, j, score));
    }
    let mut greedy_items = 0;
    let mut keys: Vec<usize> = groups.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let group = groups.remove(&key).unwrap_or_default();
        let mut olds: Vec<usize> = group.iter().map(|p| p.0).collect();
        let mut news: Vec<usize> = group.iter().map(|p| p.1).collect();
        olds.sort_unstable();
        olds.dedup();
        news.sort_unstable();
        news.dedup();
        let assigned: Vec<(usize, usize, PairScore)> = if olds.len().max(news.len()) <= EXACT_ASSIGNMENT_ITEMS {
            let local = |items: &[usize], x: usize| items.binary_search(&x).unwrap_or(0);
            let sub = dense_matching(olds.len(), news.len(), group.iter().map(|&(i, j, s)| (local(&olds, i), local(&news, j), s)));
            sub.old_to_new.iter().enumerate().filter_map(|(a, b)| Some((olds[a], news[(*b)?], sub.scores[a]?))).collect()
        } else {
            greedy_items += olds.len().max(news.len());
            greedy(group)
        };
        for (i, j, score) in assigned {
            matching.old_to_new[i] = Some(j);
            matching.new_to_old[j] = Some(i);
            matching.scores[i] = Some(score);
        }
    }
    if greedy_items > 0 {
        matching.note = Some(format!(
            "{greedy_items} items were too many for the optimal alignment (over {EXACT_ASSIGNMENT_ITEMS} candidates linked together); they were paired best score first"
        ));
    }
    matching
}

/// Best pair first: each pair is taken when neither side is taken yet.
fn greedy(mut pairs: Vec<(usize, usize, PairScore)>) -> Vec<(usize, usize, PairScore)> {
    pairs.sort_by(|a, b| b.2.score.total_cmp(&a.2.score).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    let mut taken_old = HashSet::new();
    let mut taken_new = HashSet::new();
    pairs.into_iter().filter(|&(i, j, _)| !taken_old.contains(&i) && !taken_new.contains(&j) && taken_old.insert(i) && taken_new.insert(j)).collect()
}

/// [`optimal_matching`] by one dense Kuhn–Munkres assignment.
fn dense_matching(rows: usize, cols: usize, pairs: impl IntoIterator<Item = (usize, usize, PairScore)>) -> Matching {
    let mut matching = Matching { old_to_new: vec![None; rows], new_to_old: vec![None; cols], scores: vec![None; rows], note: None };
    if rows == 0 || cols == 0 {
        return matching;
    }
    let mut scored: Vec<Option<PairScore>> = vec![None; rows * cols];
    for (i, j, s) in pairs {
        scored[i * cols + j] = Some(s);
    }
    // Kuhn–Munkres wants at least as many columns as rows; a square matrix
    // padded with 0 ("no pair") serves both shapes.
    let n = rows.max(cols);
    let weights =
        Matrix::from_fn(
            n,
            n,
            |(i, j)| {
                if i < rows && j < cols {
                    scored[i * cols + j].map_or(0, |s| (s.score * SCORE_SCALE).round().max(1.0) as i64)
                } else {
                    0
                }
            },
        );
    let (_, assignment) = kuhn_munkres(&weights);
    for (i, &j) in assignment.iter().enumerate().take(rows) {
        if j < cols {
            if let Some(s) = scored[i * cols + j] {
                matching.old_to_new[i] = Some(j);
                matching.new_to_old[j] = Some(i);
                matching.scores[i] = Some(s);
            }
        }
    }
    matching
}

/// Weighted mean of the components that apply (`None` = says nothing).
fn weighted_mean(components: &[(f64, Option<f64>)]) -> f64 {
    let (sum, weight) = components.iter().filter_map(|&(w, v)| v.map(|v| (w * v, w))).fold((0.0, 0.0), |(s, ws), (x, w)| (s + x, ws + w));
    if weight > 0.0 {
        sum / weight
    } else {
        0.0
    }
}

/// What the alignment knows of one measure.
#[derive(Debug, Clone)]
pub struct MeasureKey {
    /// Content and indicators, the text the similarity reads.
    pub text: String,
    /// Its profile, built on first use: measures paired as identical never need one.
    pub profile: OnceCell<TextProfile>,
    /// Hash of the content's fingerprint (see [`fingerprint_hash`](super::similarity::fingerprint_hash)):
    /// equal for contents that differ only cosmetically.
    pub content: u64,
    /// Sorted, deduplicated fingerprints of the indicators.
    pub indicators: Vec<String>,
    /// Lowercased label, `None` when unlabelled.
    pub label: Option<String>,
    /// Index of its section in the flattened section list.
    pub section: Option<usize>,
    /// Sorted, deduplicated fingerprints of the responsible parties.
    pub responsible: Vec<String>,
    /// Index / count: 0 for the first measure, 1 for the last.
    pub position: f64,
}

impl MeasureKey {
    /// The text profile of the measure.
    pub fn profile(&self) -> &TextProfile {
        self.profile.get_or_init(|| TextProfile::new(&self.text))
    }
}

/// Scores an old and a new measure; `sections` is the section matching.
pub fn score_measures(old: &MeasureKey, new: &MeasureKey, sections: &Matching) -> Option<PairScore> {
    score_pair(old, new, sections, old.profile().similarity(new.profile()))
}

/// Scores a pair whose text similarity is known.
fn score_pair(old: &MeasureKey, new: &MeasureKey, sections: &Matching, similarity: f64) -> Option<PairScore> {
    if similarity < MIN_MEASURE_TEXT_SIMILARITY {
        return None;
    }
    let label = match (&old.label, &new.label) {
        (None, None) => None,
        (a, b) => Some(if a == b { 1.0 } else { 0.0 }),
    };
    let same_section = old.section.and_then(|s| sections.old_to_new[s]) == new.section && new.section.is_some();
    let responsible = if old.responsible.is_empty() && new.responsible.is_empty() { None } else { Some(dice(&old.responsible, &new.responsible)) };
    let score = weighted_mean(&[
        (MEASURE_TEXT_WEIGHT, Some(similarity)),
        (MEASURE_LABEL_WEIGHT, label),
        (MEASURE_SECTION_WEIGHT, Some(if same_section { 1.0 } else { 0.0 })),
        (MEASURE_RESPONSIBLE_WEIGHT, responsible),
        (MEASURE_POSITION_WEIGHT, Some(1.0 - (old.position - new.position).abs())),
    ]);
    (score >= MIN_MEASURE_SCORE).then_some(PairScore { similarity, score })
}

/// What the alignment knows of one section.
#[derive(Debug, Clone)]
pub struct SectionKey {
    pub title: TextProfile,
    /// Title, prose and objectives together: the similarity reported for the pair.
    pub whole: TextProfile,
    /// Prose and objectives; `None` when the heading has none.
    pub body: Option<TextProfile>,
    pub number: Option<String>,
    /// Sorted content hashes of the measures directly under the heading.
    pub measures: Vec<u64>,
}

/// Scores an old and a new section.
pub fn score_sections(old: &SectionKey, new: &SectionKey) -> Option<PairScore> {
    let title = old.title.similarity(&new.title);
    let measures = if old.measures.is_empty() && new.measures.is_empty() { None } else { Some(dice(&old.measures, &new.measures)) };
    if title < MIN_SECTION_TITLE_SIMILARITY && measures.unwrap_or(0.0) < MIN_SECTION_MEASURE_OVERLAP {
        return None;
    }
    let body = match (&old.body, &new.body) {
        (None, None) => None,
        (Some(a), Some(b)) => Some(a.similarity(b)),
        _ => Some(0.0),
    };
    let number = match (&old.number, &new.number) {
        (None, None) => None,
        (a, b) => Some(if a == b { 1.0 } else { 0.0 }),
    };
    let score = weighted_mean(&[
        (SECTION_TITLE_WEIGHT, Some(title)),
        (SECTION_BODY_WEIGHT, body),
        (SECTION_NUMBER_WEIGHT, number),
        (SECTION_MEASURES_WEIGHT, measures),
    ]);
    (score >= MIN_SECTION_SCORE).then_some(PairScore { similarity: old.whole.similarity(&new.whole), score })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_optimal_matching_beats_the_greedy_one() {
        // Greedy would give old 0 the new 0 (0.9) and leave old 1 with nothing
        // above threshold; the optimum pairs 0–1 and 1–0.
        let table = [[0.9, 0.85], [0.8, 0.0]];
        let pairs = (0..2).flat_map(|i| (0..2).map(move |j| (i, j))).filter(|&(i, j)| table[i][j] > 0.5);
        let m = optimal_matching(2, 2, pairs.map(|(i, j)| (i, j, PairScore { similarity: table[i][j], score: table[i][j] })));
        assert_eq!(m.old_to_new, vec![Some(1), Some(0)]);
    }

    /// Sum of the scores of a matching.
    fn total(m: &Matching) -> f64 {
        m.scores.iter().flatten().map(|s| (s.score * SCORE_SCALE).round().max(1.0)).sum()
    }

    #[test]
    fn large_inputs_are_solved_by_groups_as_well_as_by_one_dense_assignment() {
        // 1,500 items a side in groups of up to 8 linked candidates: the
        // grouped solution scores the same total as the dense optimum.
        let mut seed = 11u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / (1u64 << 31) as f64
        };
        let n = 1_500;
        let mut pairs = Vec::new();
        for i in 0..n {
            let block = i / 8 * 8;
            for j in block..(block + 8).min(n) {
                if next() < 0.5 {
                    let score = 0.5 + next() / 2.0;
                    pairs.push((i, j, PairScore { similarity: score, score }));
                }
            }
        }
        let grouped = optimal_matching(n, n, pairs.clone());
        let dense = dense_matching(n, n, pairs);
        assert!(grouped.note.is_none(), "every group is small");
        assert!((total(&grouped) - total(&dense)).abs() < 0.5, "{} vs {}", total(&grouped), total(&dense));
        for (i, j) in grouped.old_to_new.iter().enumerate() {
            if let Some(j) = j {
                assert_eq!(grouped.new_to_old[*j], Some(i));
            }
        }
    }

    #[test]
    fn a_group_too_large_for_the_exact_method_is_matched_greedily_with_a_note() {
        let n = EXACT_ASSIGNMENT_ITEMS + 100;
        // Everything linked to everything through item 0's row and column.
        let pairs: Vec<_> =
            (0..n).flat_map(|k| [(0, k), (k, 0), (k, k)]).map(|(i, j)| (i, j, PairScore { similarity: 0.9, score: if i == j { 0.9 } else { 0.6 } })).collect();
        let m = optimal_matching(n, n, pairs);
        assert!(m.note.as_deref().is_some_and(|n| n.contains("paired best score first")));
        assert!((0..n).all(|k| m.old_to_new[k] == Some(k)), "the diagonal scores best");
    }

    #[test]
    fn sharing_pairs_skip_features_common_to_many_items() {
        let common = 1u64;
        let old: Vec<Vec<u64>> = (0..200).map(|i| vec![common, 1_000 + i]).collect();
        let new: Vec<Vec<u64>> = (0..200).map(|i| vec![common, 1_000 + (199 - i)]).collect();
        let pairs = sharing_pairs(&old, &new, 3);
        assert_eq!(pairs.len(), 200, "only the rare word proposes pairs: {}", pairs.len());
        assert!(pairs.iter().all(|&(i, j)| i + j == 199));
    }

    #[test]
    fn removed_items_are_listed_where_they_used_to_be() {
        let m = Matching { old_to_new: vec![Some(0), None, Some(1), None], new_to_old: vec![Some(0), Some(2), None], scores: vec![None; 4], note: None };
        assert_eq!(m.rows(), vec![(Some(0), Some(0)), (Some(1), None), (Some(2), Some(1)), (None, Some(2)), (Some(3), None)]);
    }
}
