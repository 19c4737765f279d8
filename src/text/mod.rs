//! Text normalization per SPEC: NFC, white space folding, soft hyphens, bullet
//! glyphs, and repair of words split across lines.
//!
//! Every string the segmenters put into a [`crate::model::Document`] passes
//! through [`clean`]; every multi-line text is built with [`join_lines`].

mod words;

use unicode_normalization::UnicodeNormalization;

pub use words::{with_vocabulary, Vocabulary};

/// NFC, soft hyphens removed, white space runs (incl. NBSP, tabs) folded to
/// one space, trimmed.
pub fn clean(s: &str) -> String {
    // Most lines are already composed: the quick check skips the
    // decompose-recompose pass (a sixth of a small file's conversion time).
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        clean_chars(s.chars(), s.len())
    } else {
        clean_chars(s.nfc(), s.len())
    }
}

fn clean_chars(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for c in chars {
        if c == '\u{00AD}' || c == '\u{200B}' || c == '\u{FEFF}' {
            continue;
        }
        if c.is_whitespace() || c == '\u{00A0}' || c.is_control() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Bullet glyphs that may start a list line: Symbol-font private-use bullets,
/// U+2022 and friends. `o`, `-` and `–` count only when followed by a space.
fn is_bullet_glyph(c: char) -> bool {
    matches!(c, '\u{2022}' | '\u{25CF}' | '\u{25AA}' | '\u{25A0}' | '\u{25E6}' | '\u{2023}' | '\u{2043}' | '\u{00B7}' | '\u{2219}' | '\u{27A2}' | '\u{2713}')
        || ('\u{F000}'..='\u{F0FF}').contains(&c)
}

/// The text after a leading bullet, or `None` when the line has no bullet.
/// `o`, `-`, `–` and `*` count as bullets only when a space follows.
pub fn strip_bullet(s: &str) -> Option<&str> {
    let t = s.trim_start();
    let mut chars = t.chars();
    let first = chars.next()?;
    if is_bullet_glyph(first) {
        return Some(chars.as_str().trim_start());
    }
    if matches!(first, 'o' | '-' | '–' | '*') {
        let rest = chars.as_str();
        if rest.starts_with(char::is_whitespace) {
            return Some(rest.trim_start());
        }
    }
    None
}

/// How two consecutive line fragments are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// Separate words: join with one space.
    Space,
    /// A word split without hyphen: join directly.
    Direct,
    /// A line-break hyphen: drop it and join directly.
    DropHyphen,
    /// A real hyphen at the line end: keep it and join directly.
    KeepHyphen,
}

/// Words after which a hyphenated line end is a suspended compound
/// (`forsknings- og innovasjonsarbeid`), never joined.
const SUSPENSION_WORDS: &[&str] = &["og", "eller", "til", "samt", "and", "or", "&"];

fn last_word(s: &str) -> &str {
    s.rsplit(char::is_whitespace).next().unwrap_or("")
}

fn first_word(s: &str) -> &str {
    s.split(char::is_whitespace).next().unwrap_or("")
}

/// A join decision and the name of the rule that made it (for `explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JoinDecision {
    pub join: Join,
    pub rule: &'static str,
}

fn decided(join: Join, rule: &'static str) -> JoinDecision {
    JoinDecision { join, rule }
}

/// Decides how `prev` (a line ending) and `next` (the following line) join,
/// with the vocabulary set by [`with_vocabulary`] (none by default).
///
/// `may_split_word` says the layout believes `prev` may end inside a word
/// (it filled its cell to the edge, or it is a single word as wide as the
/// cell): only then is a split without hyphen considered at all.
pub fn decide_join(prev: &str, next: &str, may_split_word: bool) -> Join {
    explain_join(prev, next, may_split_word, &words::current()).join
}

/// [`decide_join`] with the document's vocabulary given explicitly, and the
/// rule that decided.
///
/// A line end with a hyphen follows the SPEC rules (suspended compounds,
/// acronyms, digits, same-vowel compounds keep it; a break between two
/// lowercase word parts drops it), refined by evidence: a compound the
/// document prints with its hyphen elsewhere keeps it, and after a prefix of
/// one or two letters the Norwegian patterns decide (`ut-`+`vikling` is a
/// break, `e-`+`helse` is not).
///
/// A line end without a hyphen joins directly only when the evidence says
/// the two halves are one word: the joined word is printed whole in the
/// document, or the remainder on the next line is no word of the document
/// (`forskningsstøttefunksj`+`oner`) or a bare inflection ending
/// (`Forskningsavdeling`+`en`). A closed-class word (`og`, `gjennom`) or a
/// word the document prints whole (`studier`) starts a new word; when only the
/// remainder is known, the hyphenation patterns tell whether the cut falls
/// where a word may break (a word boundary) or inside a syllable (a
/// renderer's forced cut).
pub fn explain_join(prev: &str, next: &str, may_split_word: bool, vocabulary: &Vocabulary) -> JoinDecision {
    let prev = prev.trim_end();
    let next = next.trim_start();
    let (Some(p_last), Some(n_first)) = (prev.chars().last(), next.chars().next()) else {
        return decided(Join::Space, "empty");
    };
    // Chromium prints a soft hyphen that breaks a line as U+00AD followed by
    // a visible hyphen: a line-break hyphen by definition.
    if prev.ends_with("\u{00AD}-") {
        return decided(Join::DropHyphen, "soft hyphen");
    }
    if p_last == '-' || p_last == '\u{00AD}' {
        return hyphen_join(prev, next, p_last, n_first, vocabulary);
    }
    // `Klinikk/` + `Avdeling`: a slash-joined list of parties wraps after the slash.
    if p_last == '/' || n_first == '/' {
        return decided(Join::Direct, "slash list");
    }
    if !(may_split_word && p_last.is_alphabetic()) {
        return decided(Join::Space, "line break");
    }
    if matches!(n_first, ',' | '.' | ';' | ':' | ')') {
        return decided(Join::Direct, "punctuation attaches");
    }
    if !n_first.is_lowercase() {
        return decided(Join::Space, "line break");
    }
    split_word_join(prev, next, vocabulary)
}

/// A line end with a hyphen (see [`explain_join`]).
fn hyphen_join(prev: &str, next: &str, p_last: char, n_first: char, vocabulary: &Vocabulary) -> JoinDecision {
    let stem = &prev[..prev.len() - p_last.len_utf8()];
    // The word part before the hyphen: `forsknings` in `KRN/forsknings-`.
    let stem_word = last_word(stem).rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    let Some(before) = stem.chars().last() else {
        return decided(Join::Space, "lone hyphen");
    };
    if p_last == '\u{00AD}' {
        return decided(Join::DropHyphen, "soft hyphen");
    }
    if before.is_whitespace() {
        // "OUS -" : a dash standing alone.
        return decided(Join::Space, "lone hyphen");
    }
    let next_word = first_word(next);
    if SUSPENSION_WORDS.contains(&next_word) {
        return decided(Join::Space, "suspended compound");
    }
    // A word in capitals broken at the line end (`BEHAND-`+`LINGSFORSKNING`):
    // both parts long runs of capitals, so not an acronym compound.
    let caps = |w: &str| w.chars().all(|c| c.is_alphabetic() && c.is_uppercase());
    if stem_word.chars().count() >= 5 && caps(stem_word) && next_word.chars().count() >= 3 && caps(next_word.trim_end_matches(|c: char| !c.is_alphabetic())) {
        return decided(Join::DropHyphen, "word in capitals");
    }
    // After an acronym or a digit (`FoU-`, `EU-`, `2021-`), or before a
    // capital or digit, the hyphen is part of the text.
    let acronym =
        stem_word.chars().filter(|c| c.is_uppercase()).count() >= 2 || stem_word.len() <= 3 && stem_word.chars().next().is_some_and(char::is_uppercase);
    if acronym || before.is_ascii_digit() || !n_first.is_lowercase() || !before.is_alphabetic() {
        return decided(Join::KeepHyphen, "acronym, digit or capital");
    }
    // Norwegian writes a hyphen where the same vowel would meet
    // (`industri-initierte`): keep it.
    if before.to_lowercase().eq(n_first.to_lowercase()) && "aeiouyæøå".contains(n_first) {
        return decided(Join::KeepHyphen, "same vowel");
    }
    let next_core = words::word_core(next_word);
    let joined = format!("{stem_word}{next_core}");
    // The document prints the compound with its hyphen inside a line
    // (`ikke-kommersielle`) and never without: a real hyphen.
    if vocabulary.prints(&format!("{stem_word}-{next_core}")) && !vocabulary.prints(&joined) {
        return decided(Join::KeepHyphen, "vocabulary: printed with hyphen");
    }
    // After a prefix of one or two letters, a line-break hyphen stands only
    // where the patterns allow a break (`ut-vikling`, not `e-helse`). (For
    // longer stems the patterns are not trusted to veto: they miss common
    // break points such as `grup-pe`.)
    let stem_len = stem_word.chars().count();
    if stem_len <= 2 && words::legal_break(&joined, stem_len) == Some(false) {
        return decided(Join::KeepHyphen, "patterns: no break after a short prefix");
    }
    // Otherwise a hyphen between two lowercase word parts at a line end is
    // a line-break hyphen.
    decided(Join::DropHyphen, "line-break hyphen")
}

/// A line end without hyphen that the layout says may be inside a word;
/// `next` starts with a lowercase letter (see [`explain_join`]).
fn split_word_join(prev: &str, next: &str, vocabulary: &Vocabulary) -> JoinDecision {
    // The halves: the part after the last slash of the line's last word and
    // the part before the first slash of the next line's first word
    // (`Klinikken/Forsknin` + `gsleder/FU`).
    let head = last_word(prev).rsplit('/').next().unwrap_or("");
    let head = head.trim_start_matches(|c: char| !c.is_alphanumeric());
    let tail = words::word_core(first_word(next).split('/').next().unwrap_or(""));
    let joined = format!("{head}{tail}");
    if vocabulary.prints(&joined) {
        return decided(Join::Direct, "vocabulary: joined word printed");
    }
    let head_len = head.chars().count();
    if words::is_inflection_ending(tail) {
        // `Forskningsavdeling`+`en`: a space only when the first half is a
        // word of the document and a break may stand there.
        if vocabulary.knows(head) && words::legal_break(&joined, head_len) == Some(true) {
            return decided(Join::Space, "ending after a whole word");
        }
        return decided(Join::Direct, "inflection ending");
    }
    if words::is_closed_class(tail) {
        return decided(Join::Space, "closed-class word");
    }
    let legal = words::legal_break(&joined, head_len);
    if !vocabulary.knows(tail) {
        // `Administrerende`+`direktør`: an adjective or participle before a
        // word, where the patterns allow a break.
        if words::has_modifier_ending(head) && legal == Some(true) {
            return decided(Join::Space, "modifier before a word");
        }
        return decided(Join::Direct, "remainder is no word of the document");
    }
    if vocabulary.knows(head) {
        return decided(Join::Space, "both halves printed whole");
    }
    match legal {
        Some(false) => decided(Join::Direct, "patterns: cut inside a syllable"),
        _ => decided(Join::Space, "patterns: break between words"),
    }
}

/// Joins line fragments into one cleaned string, repairing words split at
/// line ends, with the vocabulary set by [`with_vocabulary`].
/// `may_split_word[i]` is the layout's hint for the end of line `i` (see
/// [`decide_join`]); a shorter slice means `false` for the rest.
pub fn join_lines<S: AsRef<str>>(lines: &[S], may_split_word: &[bool]) -> String {
    join_lines_with(lines, may_split_word, &words::current())
}

/// [`join_lines`] with the document's vocabulary given explicitly.
pub fn join_lines_with<S: AsRef<str>>(lines: &[S], may_split_word: &[bool], vocabulary: &Vocabulary) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let line = line.as_ref().trim();
        if line.is_empty() {
            continue;
        }
        if out.is_empty() {
            out.push_str(line);
            continue;
        }
        let hint = i.checked_sub(1).and_then(|p| may_split_word.get(p)).copied().unwrap_or(false);
        match explain_join(&out, line, hint, vocabulary).join {
            Join::Space => {
                out.push(' ');
            }
            Join::Direct | Join::KeepHyphen => {
                let trimmed = out.trim_end().len();
                out.truncate(trimmed);
            }
            Join::DropHyphen => {
                let trimmed = out.trim_end().len();
                out.truncate(trimmed);
                out.pop();
            }
        }
        out.push_str(line);
    }
    clean(&out)
}

/// A slug for ids: lowercase ASCII letters and digits joined by `-`
/// (`Hovedmål i HLKs ...` → `hovedmal-i-hlks-...`).
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.nfd() {
        let c = match c {
            'ø' | 'Ø' => 'o',
            'æ' | 'Æ' => 'e',
            'å' | 'Å' => 'a',
            _ => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if (c.is_alphanumeric() || c.is_whitespace() || "-/–_.".contains(c)) && !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Upper-case Roman numerals, for 1..=3999.
pub fn roman(n: i64) -> Option<String> {
    if !(1..=3999).contains(&n) {
        return None;
    }
    const DIGITS: [(i64, &str); 13] =
        [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
    let mut rest = n;
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while rest >= value {
            out.push_str(digits);
            rest -= value;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_folds_space_nfc_and_soft_hyphens() {
        assert_eq!(clean("  a\u{00A0} b\t\nc "), "a b c");
        assert_eq!(clean("undervisnings\u{00AD}arealer"), "undervisningsarealer");
        assert_eq!(clean("a\u{030A}"), "å");
    }

    #[test]
    fn bullets_are_stripped_only_when_they_are_bullets() {
        assert_eq!(strip_bullet("\u{F0B7} Økt antall"), Some("Økt antall"));
        assert_eq!(strip_bullet("• x"), Some("x"));
        assert_eq!(strip_bullet("o Prioritere"), Some("Prioritere"));
        assert_eq!(strip_bullet("- Prioritering"), Some("Prioritering"));
        assert_eq!(strip_bullet("og så"), None);
        assert_eq!(strip_bullet("-5 grader"), None);
    }

    #[test]
    fn line_break_hyphens_are_repaired_per_spec() {
        assert_eq!(join_lines(&["Forskningsgrup-", "peledere"], &[]), "Forskningsgruppeledere");
        assert_eq!(join_lines(&["industri-", "initierte studier"], &[]), "industri-initierte studier");
        assert_eq!(join_lines(&["nærings-", "og fiskeridepartementet"], &[]), "nærings- og fiskeridepartementet");
        assert_eq!(join_lines(&["forsknings-", "og innovasjonsarbeid"], &[]), "forsknings- og innovasjonsarbeid");
        assert_eq!(join_lines(&["FoU-", "arbeid"], &[]), "FoU-arbeid");
        assert_eq!(
            join_lines(&["Klinikken/FU-", "KRN/forsknings-", "gruppeledere og", "veiledere"], &[]),
            "Klinikken/FU-KRN/forskningsgruppeledere og veiledere"
        );
        assert_eq!(join_lines(&["perioden 2021-", "2025"], &[]), "perioden 2021-2025");
        assert_eq!(join_lines(&["undervisnings-", "arealer"], &[]), "undervisningsarealer");
        assert_eq!(join_lines(&["KRN/forsknings\u{00AD}-", "gruppeledere"], &[]), "KRN/forskningsgruppeledere");
        assert_eq!(join_lines(&["Klinikk/Avdeling", "/forsknings-", "gruppeledere"], &[]), "Klinikk/Avdeling/forskningsgruppeledere");
        assert_eq!(join_lines(&["HVA ER KLINISK BEHAND-", "LINGSFORSKNING?"], &[]), "HVA ER KLINISK BEHANDLINGSFORSKNING?");
        assert_eq!(join_lines(&["NIFU-", "RAPPORT"], &[]), "NIFU-RAPPORT");
    }

    #[test]
    fn split_without_hyphen_joins_only_on_layout_hint() {
        assert_eq!(join_lines(&["forskningsstøttefunksj", "oner"], &[true]), "forskningsstøttefunksjoner");
        assert_eq!(join_lines(&["transparent", "ressursprioritering"], &[false]), "transparent ressursprioritering");
        assert_eq!(join_lines(&["helsetjenesteforskning", ", forskning"], &[true]), "helsetjenesteforskning, forskning");
    }

    /// Lines of a small document: the evidence the join decisions below weigh.
    const DOC: &[&str] = &[
        "Vi har personvernombud i alle klinikker.",
        "De nye studier viser at klinikk og forskning samarbeider godt.",
        "En laboratoriemedisinsk klinikk deltar.",
        "Klinikken sikrer rekruttering av nye forskningsgruppeledere",
        "Utviklingssamtaler med forskergruppeleder må avklare behov",
        "Midler til ikke-kommersielle studier fra i år.",
    ];

    #[test]
    fn line_end_joins_follow_the_evidence() {
        let doc = Vocabulary::from_lines(DOC.iter().copied());
        let none = Vocabulary::new();
        use Join::*;
        // (line end, next line, layout hint, with the document's vocabulary, join)
        let cases: &[(&str, &str, bool, bool, Join)] = &[
            // Joined: a renderer's cut of a word too long for its cell.
            ("forskningsstøttefunksj", "oner.", true, true, Direct),
            ("Forskningsavdeling", "en", true, true, Direct),
            ("Personvernombud", "et", true, true, Direct),
            ("Kommunikasjonsavdelin", "gen", true, true, Direct),
            ("informasjonssikkerh", "et", true, true, Direct),
            ("Klinikken/Forsknin", "gsleder/FU", true, true, Direct),
            ("Forskningsgruppe", "ledere", true, true, Direct),
            ("Forskergruppele", "der", true, true, Direct),
            ("helsetjenesteforskning", ", forskning", true, true, Direct),
            // Not joined: the next line starts a new word.
            ("forskningsmiljøene", "gjennom", true, true, Space),
            ("legemiddelindustrien", "og annen industri", true, true, Space),
            ("universitetssykehus", "eller", true, true, Space),
            ("industriuavhengige", "studier,", true, true, Space),
            ("Laboratoriemedisinsk", "klinikk", true, true, Space),
            ("Forskergruppele", "der", true, false, Space),
            ("forskningsstøttefunksj", "oner", false, true, Space),
            ("transparent", "ressursprioritering", false, true, Space),
            ("Klinikkleder", "Forskningsleder", true, true, Space),
            ("Administrerende", "direktør", true, true, Space),
            // Hyphens at a line end.
            ("ut-", "vikling", false, true, DropHyphen),
            ("kom-", "munane", false, true, DropHyphen),
            ("Forskningsgrup-", "peledere", false, true, DropHyphen),
            ("ikke-", "kommersielle", false, false, DropHyphen),
            ("ikke-", "kommersielle", false, true, KeepHyphen),
            ("e-", "helse", false, true, KeepHyphen),
            ("FoU-", "seksjonen", false, true, KeepHyphen),
            ("2021-", "2025", false, true, KeepHyphen),
            ("forsknings-", "og innovasjon", false, true, Space),
        ];
        for &(prev, next, hint, with_doc, want) in cases {
            let v = if with_doc { &doc } else { &none };
            let got = explain_join(prev, next, hint, v);
            assert_eq!(got.join, want, "{prev:?} + {next:?} (hint {hint}, vocabulary {with_doc}): rule {:?}", got.rule);
        }
    }

    #[test]
    fn join_lines_uses_the_scoped_vocabulary() {
        let lines = ["Forskergruppele", "der"];
        assert_eq!(join_lines(&lines, &[true]), "Forskergruppele der");
        let doc = std::rc::Rc::new(Vocabulary::from_lines(DOC.iter().copied()));
        assert_eq!(with_vocabulary(doc.clone(), || join_lines(&lines, &[true])), "Forskergruppeleder");
        assert_eq!(join_lines_with(&lines, &[true], &doc), "Forskergruppeleder");
    }

    #[test]
    fn slugs_fold_norwegian_letters() {
        assert_eq!(slug("Hovedmål i HLKs plan"), "hovedmal-i-hlks-plan");
        assert_eq!(slug("SØKNADER TIL KLINBEFORSK 2016-2018"), "soknader-til-klinbeforsk-2016-2018");
    }
}
