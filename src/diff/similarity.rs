//! Text similarity that survives reordering, Norwegian inflection and PDF
//! extraction noise.
//!
//! A [`TextProfile`] is computed once per text; comparing two profiles is a
//! pair of sorted-set intersections, so filling an `n × m` score matrix costs
//! `O(n·m·k)` for profiles of `k` elements and no allocation.
//!
//! Two measures of overlap are averaged (see [`TextProfile`] for how the
//! trigram one is kept to a fixed cost):
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

/// Bits of the token sketch used to pick candidate pairs in large plans.
const TOKEN_SKETCH_WORDS: usize = 8;
/// Bits of the trigram sketch: 4096, so that a long measure's ~1,500
/// trigrams fill under a third of it and linear counting stays within ~1%.
const TRIGRAM_SKETCH_WORDS: usize = 64;
const TRIGRAM_SKETCH_BITS: f64 = (TRIGRAM_SKETCH_WORDS * 64) as f64;

/// A text prepared for comparison: its hashed stemmed tokens (an exact,
/// sorted set) and sketches (fixed-size bit sets) of its tokens and its
/// character trigrams.
///
/// The trigram set is kept as a 4096-bit sketch rather than a sorted list:
/// comparing two sketches costs 64 word operations whatever the length of
/// the texts, and linear counting (`n ≈ -m·ln(1 - bits/m)`) recovers the
/// sizes of the sets, their union, hence their intersection, to about 1%.
/// Identical texts give identical sketches and a similarity of exactly 1.
#[derive(Debug, Clone)]
pub struct TextProfile {
    tokens: Vec<u64>,
    token_sketch: [u64; TOKEN_SKETCH_WORDS],
    token_bits: u32,
    trigram_sketch: Box<[u64; TRIGRAM_SKETCH_WORDS]>,
    /// Estimated number of distinct trigrams.
    trigrams: f64,
}

/// Linear-counting estimate of a set's size from the bits its sketch sets.
fn estimate(bits: u32) -> f64 {
    let free = (1.0 - f64::from(bits) / TRIGRAM_SKETCH_BITS).max(1.0 / TRIGRAM_SKETCH_BITS);
    -TRIGRAM_SKETCH_BITS * free.ln()
}

fn popcount(words: &[u64]) -> u32 {
    words.iter().map(|w| w.count_ones()).sum()
}

impl TextProfile {
    pub fn new(text: &str) -> Self {
        // One pass: lowercase each character, cut tokens at non-alphanumerics,
        // and slide the trigram window over the non-blank characters.
        let mut tokens: Vec<u64> = Vec::new();
        let mut token = String::new();
        let flush = |token: &mut String, tokens: &mut Vec<u64>| {
            if !token.is_empty() && !STOP_WORDS.contains(&token.as_str()) {
                tokens.push(hash_str(stem(token)));
            }
            token.clear();
        };
        let mut trigram_sketch = Box::new([0u64; TRIGRAM_SKETCH_WORDS]);
        let mut window = [0u64; 3];
        let mut seen = 0usize;
        for c in text.chars() {
            let (c, alphanumeric, blank) = if c.is_ascii() {
                (c.to_ascii_lowercase(), c.is_ascii_alphanumeric(), c.is_ascii_whitespace())
            } else {
                let c = c.to_lowercase().next().unwrap_or(c);
                (c, c.is_alphanumeric(), c.is_whitespace())
            };
            if alphanumeric {
                token.push(c);
            } else {
                flush(&mut token, &mut tokens);
            }
            if blank {
                continue;
            }
            window = [window[1], window[2], u64::from(c)];
            seen += 1;
            if seen >= 3 {
                let bit = (mix(window[0] << 42 | window[1] << 21 | window[2]) % (TRIGRAM_SKETCH_BITS as u64)) as usize;
                trigram_sketch[bit / 64] |= 1 << (bit % 64);
            }
        }
        flush(&mut token, &mut tokens);
        tokens.sort_unstable();
        tokens.dedup();
        let mut token_sketch = [0u64; TOKEN_SKETCH_WORDS];
        for &t in &tokens {
            let bit = (t % (TOKEN_SKETCH_WORDS as u64 * 64)) as usize;
            token_sketch[bit / 64] |= 1 << (bit % 64);
        }
        let trigrams = estimate(popcount(&trigram_sketch[..]));
        TextProfile { tokens, token_bits: popcount(&token_sketch), token_sketch, trigram_sketch, trigrams }
    }

    /// The hashed stemmed tokens, sorted and deduplicated.
    pub fn tokens(&self) -> &[u64] {
        &self.tokens
    }

    /// True when the text had no comparable content.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty() && self.trigrams == 0.0
    }

    /// Similarity in `[0, 1]`: 1 for the same words in any order and
    /// inflection, 0 for nothing in common. Two empty texts are identical (1).
    pub fn similarity(&self, other: &TextProfile) -> f64 {
        if self.is_empty() && other.is_empty() {
            return 1.0;
        }
        TOKEN_WEIGHT * dice(&self.tokens, &other.tokens) + (1.0 - TOKEN_WEIGHT) * self.trigram_dice(other)
    }

    /// Dice coefficient of the trigram sets, from the sketches.
    fn trigram_dice(&self, other: &TextProfile) -> f64 {
        let total = self.trigrams + other.trigrams;
        if total == 0.0 {
            return 1.0;
        }
        if self.trigram_sketch == other.trigram_sketch {
            return 1.0;
        }
        let union_bits: u32 = self.trigram_sketch.iter().zip(other.trigram_sketch.iter()).map(|(a, b)| (a | b).count_ones()).sum();
        let common = (total - estimate(union_bits)).max(0.0);
        (2.0 * common / total).min(1.0)
    }

    /// A cheap stand-in for [`similarity`](Self::similarity) from the token
    /// sketches alone (hash collisions make it a little generous); used only
    /// to pick which pairs of a large plan are scored in full.
    pub fn quick_similarity(&self, other: &TextProfile) -> f64 {
        let total = self.token_bits + other.token_bits;
        if total == 0 {
            return 1.0;
        }
        let common: u32 = self.token_sketch.iter().zip(other.token_sketch.iter()).map(|(a, b)| (a & b).count_ones()).sum();
        2.0 * f64::from(common) / f64::from(total)
    }
}

/// Spreads a packed trigram over all 64 bits (splitmix64's finaliser).
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
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
    s.bytes().fold(FNV_OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a as a [`std::hash::Hasher`], for the many small hash sets of words
/// a comparison builds: several times faster than the default SipHash on
/// short keys, and the keys are document words, not attacker-chosen.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(FNV_OFFSET)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
    }
}

/// Builds [`Fnv`] hashers for `HashMap` and `HashSet`.
pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// The form two texts are compared in to decide "changed or not": white space
/// removed (PDF line joins drop or add spaces), soft hyphens removed, and a
/// hyphen between two letters removed (`forsknings-gruppeledere` from a line
/// break in one format is `forskningsgruppeledere` in another). Case and all
/// other punctuation are kept: those are edits.
pub fn fingerprint(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fingerprint_chars(text, |c| out.push(c));
    out
}

/// [`hash_str`] of [`fingerprint`]`(text)`, without building the string.
pub fn fingerprint_hash(text: &str) -> u64 {
    let mut h = FNV_OFFSET;
    let mut buf = [0u8; 4];
    fingerprint_chars(text, |c| {
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
    });
    h
}

/// Feeds the characters of the fingerprint of `text` to `emit`.
fn fingerprint_chars(text: &str, mut emit: impl FnMut(char)) {
    let mut chars = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{AD}').peekable();
    let mut after_letter = false;
    while let Some(c) = chars.next() {
        if c == '-' && after_letter && chars.peek().is_some_and(|n| n.is_alphabetic()) {
            continue;
        }
        after_letter = c.is_alphabetic();
        emit(c);
    }
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
    fn the_trigram_sketch_estimates_the_exact_dice_closely() {
        let a = "Tilrettelegge for at ansatte kan delta på kurs og seminarer om ekstern finansiering i regi av Forskningsstøtte OUS";
        let b = "Sørge for at alle ansatte kan delta på kurs om ekstern finansiering og EU-søknader i regi av Forskningsstøtte OUS";
        let trigrams = |s: &str| {
            let c: Vec<char> = s.to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
            let mut t: Vec<(char, char, char)> = c.windows(3).map(|w| (w[0], w[1], w[2])).collect();
            t.sort();
            t.dedup();
            t
        };
        let exact = dice(&trigrams(a), &trigrams(b));
        let sketched = TextProfile::new(a).trigram_dice(&TextProfile::new(b));
        assert!((exact - sketched).abs() < 0.02, "exact {exact}, sketch {sketched}");
        assert_eq!(TextProfile::new(a).similarity(&TextProfile::new(a)), 1.0);
    }

    #[test]
    fn fingerprint_ignores_line_join_noise_but_not_words() {
        assert_eq!(fingerprint("kommunikasjonskanal mellom"), fingerprint("kommunikasjonskanalmellom"));
        assert_eq!(fingerprint("forsknings-gruppeledere"), fingerprint("forsknings\u{AD}gruppeledere"));
        assert_ne!(fingerprint("Øke antallet"), fingerprint("Øke andelen"));
        assert_eq!(fingerprint_hash("forsknings-gruppe ledere"), hash_str(&fingerprint("forskningsgruppeledere")));
    }
}
