//! Text similarity that survives reordering, Norwegian inflection and PDF
//! extraction noise.
//!
//! A [`TextProfile`] is computed once per text; comparing two profiles is a
//! pair of sorted-set intersections, so filling an `n × m` score matrix costs
//! `O(n·m·k)` for profiles of `k` elements and no allocation.
//!
//! Two measures of overlap are averaged:
//! - **stemmed token Dice**: lowercased alphanumeric tokens, Norwegian stop
//!   words dropped, a light suffix stemmer (`-ene -en -er -et -e -s`) so that
//!   `forskningsmiljøene` / `forskningsmiljøer` / `forskningsmiljø` agree;
//!   a set, so word order does not matter.
//! - **character trigram Dice** over the lowercased text with white space
//!   removed, which tolerates the words a PDF line join glued together
//!   (`kommunikasjonskanalmellom`) and inflections the stemmer misses.

/// Weight of the token Dice in [`TextProfile::similarity`]; the trigram Dice has the rest.
pub const TOKEN_WEIGHT: f64 = 0.5;

/// Function words that carry no meaning of a measure; dropped before the token
/// Dice so that two unrelated measures do not look alike through `og`, `i`, `for`.
const STOP_WORDS: &[&str] = &[
    "og", "i", "av", "for", "til", "på", "som", "med", "en", "et", "ei", "å", "de", "det", "den", "er", "at", "om", "fra", "eller", "samt", "ved", "skal",
    "kan", "vi", "seg", "sin", "sine", "sitt", "har", "blir", "bli", "der", "etter", "mellom", "under", "innen", "innenfor", "gjennom", "herunder", "også",
    "mer", "mot", "nye", "ny",
];

/// Inflectional endings removed by [`stem`], longest first.
const SUFFIXES: &[&str] = &["ene", "en", "er", "et", "e", "s"];

/// A stem keeps at least this many characters, so `øke` or `nye` are not cut to nothing.
const MIN_STEM_CHARS: usize = 3;

/// A text prepared for comparison: hashed stemmed tokens and character
/// trigrams, each sorted and deduplicated.
#[derive(Debug, Clone, Default)]
pub struct TextProfile {
    tokens: Vec<u64>,
    trigrams: Vec<u64>,
}

impl TextProfile {
    pub fn new(text: &str) -> Self {
        let lower = text.to_lowercase();
        let mut tokens: Vec<u64> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty() && !STOP_WORDS.contains(t))
            .map(|t| hash_str(stem(t)))
            .collect();
        tokens.sort_unstable();
        tokens.dedup();
        let chars: Vec<char> = lower.chars().filter(|c| !c.is_whitespace()).collect();
        let mut trigrams: Vec<u64> = chars.windows(3).map(|w| (w[0] as u64) << 42 | (w[1] as u64) << 21 | w[2] as u64).collect();
        trigrams.sort_unstable();
        trigrams.dedup();
        TextProfile { tokens, trigrams }
    }

    /// True when the text had no comparable content.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty() && self.trigrams.is_empty()
    }

    /// Similarity in `[0, 1]`: 1 for the same words in any order and
    /// inflection, 0 for nothing in common. Two empty texts are identical (1).
    pub fn similarity(&self, other: &TextProfile) -> f64 {
        if self.is_empty() && other.is_empty() {
            return 1.0;
        }
        TOKEN_WEIGHT * dice(&self.tokens, &other.tokens) + (1.0 - TOKEN_WEIGHT) * dice(&self.trigrams, &other.trigrams)
    }
}

/// Removes one inflectional ending, keeping at least [`MIN_STEM_CHARS`] characters.
pub fn stem(token: &str) -> &str {
    for suffix in SUFFIXES {
        if let Some(stem) = token.strip_suffix(suffix) {
            if stem.chars().count() >= MIN_STEM_CHARS {
                return stem;
            }
        }
    }
    token
}

/// Dice coefficient `2|A∩B| / (|A|+|B|)` of two sorted, deduplicated sets;
/// 1 when both are empty.
pub fn dice<T: Ord>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * intersection_len(a, b) as f64 / (a.len() + b.len()) as f64
}

fn intersection_len<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// FNV-1a: stable across runs and platforms, enough to tell tokens apart.
pub fn hash_str(s: &str) -> u64 {
    s.bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The form two texts are compared in to decide "changed or not": white space
/// removed (PDF line joins drop or add spaces), soft hyphens removed, and a
/// hyphen between two letters removed (`forsknings-gruppeledere` from a line
/// break in one format is `forskningsgruppeledere` in another). Case and all
/// other punctuation are kept: those are edits.
pub fn fingerprint(text: &str) -> String {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{AD}').collect();
    let mut out = String::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        let between_letters = i > 0 && i + 1 < chars.len() && chars[i - 1].is_alphabetic() && chars[i + 1].is_alphabetic();
        if c == '-' && between_letters {
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_forms_share_a_stem() {
        assert_eq!(stem("forskningsmiljøene"), stem("forskningsmiljøer"));
        assert_eq!(stem("studier"), stem("studie"));
        assert_eq!(stem("øke"), "øke");
    }

    #[test]
    fn reordered_words_are_similar_and_unrelated_texts_are_not() {
        let a = TextProfile::new("Styrke forskningsmiljøene gjennom bedre infrastruktur");
        let b = TextProfile::new("Gjennom bedre infrastruktur styrke forskningsmiljøer");
        let c = TextProfile::new("Rekruttere internasjonale toppforskere");
        assert!(a.similarity(&b) > 0.8, "{}", a.similarity(&b));
        assert!(a.similarity(&c) < 0.2, "{}", a.similarity(&c));
    }

    #[test]
    fn fingerprint_ignores_line_join_noise_but_not_words() {
        assert_eq!(fingerprint("kommunikasjonskanal mellom"), fingerprint("kommunikasjonskanalmellom"));
        assert_eq!(fingerprint("forsknings-gruppeledere"), fingerprint("forsknings\u{AD}gruppeledere"));
        assert_ne!(fingerprint("Øke antallet"), fingerprint("Øke andelen"));
    }
}
