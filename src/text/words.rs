//! Evidence for joining words split at a line end: the document's own
//! vocabulary, Norwegian closed-class words and inflection endings, and the
//! Norwegian Knuth–Liang hyphenation patterns of the `hyphenation` crate.
//!
//! A [`Vocabulary`] holds the words a document prints whole: every word that
//! stands *inside* a line (neither its first nor its last word, which may be
//! halves of a split word). The caller builds it once per document and either
//! passes it to [`super::join_lines_with`] or makes it the default for
//! everything [`super::join_lines`] does on this thread with
//! [`with_vocabulary`].

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::OnceLock;

use hyphenation::{Hyphenator, Language, Load, Standard};

/// Words a document prints, lowercased.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Words known to be whole: inside a line.
    whole: HashSet<String>,
    /// Every token printed, also at a line's ends (where it may be a half).
    printed: HashSet<String>,
}

/// The letters of a token, without surrounding punctuation: `(eHelse),` → `eHelse`.
/// Inner hyphens and apostrophes stay (`FoU-arbeid`).
pub fn word_core(token: &str) -> &str {
    token.trim_matches(|c: char| !c.is_alphanumeric())
}

impl Vocabulary {
    pub fn new() -> Vocabulary {
        Vocabulary::default()
    }

    /// The interior words of each line (see the module doc).
    pub fn from_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vocabulary {
        let mut v = Vocabulary::new();
        for line in lines {
            v.add_line(line);
        }
        v
    }

    /// Adds the words of one printed line: all as printed, the interior ones
    /// (not its first and last word) as whole. A slash separates words too
    /// (`Klinikk/Avdeling`), so only the parts touching the line's ends are
    /// left out of the whole words.
    pub fn add_line(&mut self, line: &str) {
        let parts: Vec<&str> = line.split(|c: char| c.is_whitespace() || c == '/').filter(|p| !p.is_empty()).collect();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 && i + 1 < parts.len() {
                self.add_word(part);
            } else if let Some(key) = key(part) {
                self.printed.insert(key);
            }
        }
    }

    /// Adds one word known to be whole.
    pub fn add_word(&mut self, token: &str) {
        if let Some(key) = key(token) {
            self.printed.insert(key.clone());
            self.whole.insert(key);
        }
    }

    /// Whether the document prints `token` (punctuation trimmed, any case)
    /// as a whole word.
    pub fn knows(&self, token: &str) -> bool {
        key(token).is_some_and(|k| self.whole.contains(&k))
    }

    /// Whether the document prints `token` anywhere, also at a line's end or
    /// start. For a long joined word that is as good as [`Vocabulary::knows`]:
    /// a half of a split word never equals the joined word.
    pub fn prints(&self, token: &str) -> bool {
        key(token).is_some_and(|k| self.printed.contains(&k))
    }

    /// Number of whole words.
    pub fn len(&self) -> usize {
        self.whole.len()
    }

    pub fn is_empty(&self) -> bool {
        self.whole.is_empty()
    }
}

/// The lookup key of a token: its core, lowercased; `None` without a letter.
fn key(token: &str) -> Option<String> {
    let core = word_core(token);
    core.chars().any(char::is_alphabetic).then(|| core.to_lowercase())
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Vocabulary>>> = const { RefCell::new(None) };
}

/// Runs `f` with `vocabulary` as the default evidence of every
/// [`super::join_lines`] and [`super::decide_join`] on this thread; the
/// previous default is restored afterwards (also when `f` unwinds).
pub fn with_vocabulary<R>(vocabulary: Rc<Vocabulary>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Rc<Vocabulary>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let prev = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = prev);
        }
    }
    let prev = CURRENT.with(|c| c.borrow_mut().replace(vocabulary));
    let _restore = Restore(prev);
    f()
}

/// The vocabulary set by [`with_vocabulary`], or an empty one.
pub(crate) fn current() -> Rc<Vocabulary> {
    CURRENT.with(|c| c.borrow().clone()).unwrap_or_default()
}

/// Norwegian (bokmål and nynorsk) closed-class words: conjunctions,
/// prepositions, pronouns, auxiliaries. A line that starts with one of them
/// starts a new word; no renderer's cut of a longer word leaves one of these
/// as the remainder often enough to outweigh that. Endings that are also
/// words (`en`, `et`, `er`, `ene`) are in [`INFLECTION_ENDINGS`] instead.
const CLOSED_CLASS: &[&str] = &[
    "og", "eller", "samt", "men", "som", "at", "om", "for", "fordi", "når", "da", "der", "hvor", "kor", "både", "enten", "verken", "i", "på", "med", "fra",
    "frå", "til", "av", "ved", "mot", "under", "over", "etter", "gjennom", "innen", "innan", "mellom", "hos", "uten", "utan", "før", "blant", "bl.a", "via",
    "per", "pr", "slik", "ikke", "ikkje", "også", "òg", "seg", "sin", "sine", "sitt", "selv", "sjølv", "det", "den", "de", "dei", "dette", "denne", "disse",
    "vi", "vil", "skal", "kan", "må", "bør", "har", "hadde", "blir", "vert", "var", "vart", "å", "ein", "eit", "ei", "alle", "andre", "hvert", "kvart", "hver",
    "kvar", "mer", "meir", "mest", "mye", "mykje", "særlig", "særleg", "herunder",
];

/// Norwegian inflection endings that a renderer's cut of a long word leaves
/// on the next line (`Forskningsavdeling`+`en`, `Personvernombud`+`et`,
/// `Klinikken/Avdeling`+`ene`). Some are words too (`en`, `et`, `er`), so a
/// remainder like these is no evidence of a word boundary.
const INFLECTION_ENDINGS: &[&str] = &[
    "a", "e", "n", "r", "s", "t", "en", "et", "er", "ar", "ne", "te", "ene", "ane", "ere", "est", "ens", "ets", "ers", "ing", "ingen", "inga", "het", "heten",
    "lig", "lige", "ig", "ige", "sk", "ske", "else", "ande", "ende",
];

/// Endings of Norwegian adjectives and participles, words that stand before
/// a noun (`Administrerende` `direktør`, `Laboratoriemedisinsk` `klinikk`).
const MODIFIER_ENDINGS: &[&str] = &["ende", "isk", "iske", "nsk", "nske", "ig", "ige", "lig", "lige", "ell", "elle", "ert", "erte"];

/// `word` ends like an adjective or participle (see [`MODIFIER_ENDINGS`]).
pub fn has_modifier_ending(word: &str) -> bool {
    let w = word.to_lowercase();
    w.chars().count() >= 6 && MODIFIER_ENDINGS.iter().any(|e| w.ends_with(e))
}

/// `word` (a trimmed word core) is a Norwegian closed-class word.
pub fn is_closed_class(word: &str) -> bool {
    let w = word.to_lowercase();
    CLOSED_CLASS.contains(&w.as_str())
}

/// `word` (a trimmed word core) is a bare inflection ending.
pub fn is_inflection_ending(word: &str) -> bool {
    let w = word.to_lowercase();
    INFLECTION_ENDINGS.contains(&w.as_str())
}

/// The Norwegian hyphenation patterns (`hyph-nb`; the `nn` patterns of the
/// crate are the same TeX patterns), loaded once.
fn patterns() -> Option<&'static Standard> {
    static DICT: OnceLock<Option<Standard>> = OnceLock::new();
    DICT.get_or_init(|| Standard::from_embedded(Language::NorwegianBokmal).ok()).as_ref()
}

/// Whether the Norwegian patterns allow a hyphenation break in `word` after
/// its first `at` characters (not bytes). `None` when the patterns cannot be
/// loaded or `word` is no run of letters.
pub fn legal_break(word: &str, at: usize) -> Option<bool> {
    if !word.chars().all(char::is_alphabetic) {
        return None;
    }
    let dict = patterns()?;
    let lower = word.to_lowercase();
    // Break positions are byte offsets into the lowercased word.
    let byte = lower.char_indices().nth(at).map(|(i, _)| i)?;
    Some(dict.hyphenate(&lower).breaks.contains(&byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_keeps_interior_words_only() {
        let v = Vocabulary::from_lines(["forskningsmiljøene gjennom nye (tiltak), og", "Klinikk/Avdeling/forsknings-"]);
        assert!(v.knows("gjennom"));
        assert!(v.knows("Tiltak"));
        assert!(v.knows("nye."));
        assert!(!v.knows("forskningsmiljøene"), "first word of a line may be a fragment");
        assert!(!v.knows("og"), "last word of a line may be a fragment");
        assert!(v.knows("avdeling"), "a slash separates words");
        assert!(!v.knows("klinikk"));
        assert!(v.prints("klinikk") && v.prints("forskningsmiljøene") && v.prints("forsknings"));
    }

    #[test]
    fn patterns_give_legal_breaks() {
        assert_eq!(legal_break("utvikling", 2), Some(true));
        assert_eq!(legal_break("kommunane", 3), Some(true));
        assert_eq!(legal_break("ehelse", 1), Some(false));
        assert_eq!(legal_break("personvernombudet", 15), Some(false));
        assert_eq!(legal_break("FoU", 1), Some(false));
        assert_eq!(legal_break("2023", 2), None);
    }

    #[test]
    fn scoped_vocabulary_is_restored() {
        assert!(current().is_empty());
        let v = Rc::new(Vocabulary::from_lines(["a b c"]));
        with_vocabulary(v, || assert!(current().knows("b")));
        assert!(current().is_empty());
    }
}
