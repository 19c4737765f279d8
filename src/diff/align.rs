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

use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

use super::similarity::{dice, TextProfile};

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
/// is an added measure, not a rewording. Unrelated measures of one plan score
/// 0.05–0.25 (shared vocabulary: `forskning`, `kliniske studier`); a heavy
/// rewording keeps 0.35 or more.
pub const MIN_MEASURE_TEXT_SIMILARITY: f64 = 0.30;
/// Minimum weighted score of a measure pair. With text at the gate (0.30) a
/// pair needs its label, section and responsible to agree to pass; a measure
/// with the same text that moved and changed label (text 1.0) passes easily.
pub const MIN_MEASURE_SCORE: f64 = 0.45;

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

/// The optimal one-to-one matching of `rows` old items to `cols` new items.
/// `score(i, j)` is `None` for a pair that must not be matched.
pub fn optimal_matching(rows: usize, cols: usize, score: impl Fn(usize, usize) -> Option<PairScore>) -> Matching {
    let mut matching = Matching {
        old_to_new: vec![None; rows],
        new_to_old: vec![None; cols],
        scores: vec![None; rows],
    };
    if rows == 0 || cols == 0 {
        return matching;
    }
    let scored: Vec<Option<PairScore>> = (0..rows * cols).map(|k| score(k / cols, k % cols)).collect();
    // Kuhn–Munkres wants at least as many columns as rows; a square matrix
    // padded with 0 ("no pair") serves both shapes.
    let n = rows.max(cols);
    let weights = Matrix::from_fn(n, n, |(i, j)| {
        if i < rows && j < cols {
            scored[i * cols + j].map_or(0, |s| (s.score * SCORE_SCALE).round().max(1.0) as i64)
        } else {
            0
        }
    });
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
    let (sum, weight) = components
        .iter()
        .filter_map(|&(w, v)| v.map(|v| (w * v, w)))
        .fold((0.0, 0.0), |(s, ws), (x, w)| (s + x, ws + w));
    if weight > 0.0 {
        sum / weight
    } else {
        0.0
    }
}

/// What the alignment knows of one measure.
#[derive(Debug, Clone)]
pub struct MeasureKey {
    pub profile: TextProfile,
    /// Lowercased label, `None` when unlabelled.
    pub label: Option<String>,
    /// Index of its section in the flattened section list.
    pub section: Option<usize>,
    /// Sorted, deduplicated fingerprints of the responsible parties.
    pub responsible: Vec<String>,
    /// Index / count: 0 for the first measure, 1 for the last.
    pub position: f64,
}

/// Scores an old and a new measure; `sections` is the section matching.
pub fn score_measures(old: &MeasureKey, new: &MeasureKey, sections: &Matching) -> Option<PairScore> {
    let similarity = old.profile.similarity(&new.profile);
    if similarity < MIN_MEASURE_TEXT_SIMILARITY {
        return None;
    }
    let label = match (&old.label, &new.label) {
        (None, None) => None,
        (a, b) => Some(if a == b { 1.0 } else { 0.0 }),
    };
    let same_section = old.section.and_then(|s| sections.old_to_new[s]) == new.section && new.section.is_some();
    let responsible = if old.responsible.is_empty() && new.responsible.is_empty() {
        None
    } else {
        Some(dice(&old.responsible, &new.responsible))
    };
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
    let measures = if old.measures.is_empty() && new.measures.is_empty() {
        None
    } else {
        Some(dice(&old.measures, &new.measures))
    };
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
    (score >= MIN_SECTION_SCORE).then_some(PairScore {
        similarity: old.whole.similarity(&new.whole),
        score,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_optimal_matching_beats_the_greedy_one() {
        // Greedy would give old 0 the new 0 (0.9) and leave old 1 with nothing
        // above threshold; the optimum pairs 0–1 and 1–0.
        let table = [[0.9, 0.85], [0.8, 0.0]];
        let m = optimal_matching(2, 2, |i, j| {
            let s = table[i][j];
            (s > 0.5).then_some(PairScore { similarity: s, score: s })
        });
        assert_eq!(m.old_to_new, vec![Some(1), Some(0)]);
    }

    #[test]
    fn removed_items_are_listed_where_they_used_to_be() {
        let m = Matching {
            old_to_new: vec![Some(0), None, Some(1), None],
            new_to_old: vec![Some(0), Some(2), None],
            scores: vec![None; 4],
        };
        assert_eq!(
            m.rows(),
            vec![(Some(0), Some(0)), (Some(1), None), (Some(2), Some(1)), (None, Some(2)), (Some(3), None)]
        );
    }
}
