//! Words as the `search_words` index sees them, for the `vocabulary` table.
//!
//! The vocabulary (every distinct word of the indexed text, lowercase) turns a
//! substring query into word queries: `støtte` becomes
//! `"forskningsstøtte" OR "støtte" OR ...`, answered by the compact word index
//! instead of intersecting a dozen trigram posting lists. That only works if a
//! word here is a word there, so [`words`] follows FTS5's `unicode61` tokenizer
//! (`remove_diacritics 0`): letters, digits and private-use characters form
//! words, everything else separates them, and words are lowercased.
//! `tests/dataset.rs` checks every term of the word index is in the vocabulary.

/// Whether `unicode61` counts the character as part of a word (categories
/// L*, N*, Co).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

/// The lowercase form `unicode61` indexes a character as (one character, as
/// SQLite's fold is one-to-one).
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The words of `text`, lowercased, in order (with repeats).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()).map(|w| w.chars().map(fold_char).collect())
}

/// `text` with every character folded by [`fold_char`].
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars().map(fold_char).collect()
}

/// A literal query split into words, with what lies at its edges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWords {
    /// The query's words, lowercased.
    pub words: Vec<String>,
    /// The query starts inside a word: the text's word may begin earlier.
    pub open_start: bool,
    /// The query ends inside a word: the text's word may continue.
    pub open_end: bool,
    /// The query has separators (spaces, punctuation), which word queries do not
    /// see: candidates must be checked against the text.
    pub has_separators: bool,
}

impl QueryWords {
    pub fn of(query: &str) -> Self {
        QueryWords {
            words: words(query).collect(),
            open_start: query.chars().next().is_some_and(is_word_char),
            open_end: query.chars().last().is_some_and(is_word_char),
            has_separators: query.chars().any(|c| !is_word_char(c)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_unicode61() {
        let w: Vec<String> = words("OUS- forskningsstøtte ol. (e-helse) 2021–2025, Æ/Ø").collect();
        assert_eq!(w, ["ous", "forskningsstøtte", "ol", "e", "helse", "2021", "2025", "æ", "ø"]);
    }

    #[test]
    fn query_edges_say_where_words_may_continue() {
        let q = QueryWords::of("kliniske studier");
        assert_eq!(q.words, ["kliniske", "studier"]);
        assert!(q.open_start && q.open_end && q.has_separators);
        let q = QueryWords::of("-helse");
        assert!(!q.open_start && q.open_end && q.has_separators);
        assert!(!QueryWords::of("støtte").has_separators);
    }
}
