//! The document cues the segmenters key on: numbering patterns and keywords,
//! each in one place with the cue it stands for.

pub mod minutes;

use regex::Regex;
use std::sync::OnceLock;

macro_rules! pattern {
    ($(#[$doc:meta])* $name:ident = $re:expr) => {
        $(#[$doc])*
        pub fn $name() -> &'static Regex {
            static RE: OnceLock<Regex> = OnceLock::new();
            // The patterns are literals checked by the unit test below.
            RE.get_or_init(|| Regex::new($re).unwrap_or_else(|_| Regex::new("$^").expect("trivial regex")))
        }
    };
}

pattern!(
    /// `Hovedmål 1: Skape flere ...` — a numbered goal heading.
    goal_heading = r"^(?i:hovedmål|delmål|mål)\s+(\d+)\s*[:.]?\s+(\S.*)$"
);
pattern!(
    /// `Innsatsområde 1.1 Økte muligheter ...` — a numbered focus-area heading.
    area_heading = r"^(?i:innsatsområde|satsingsområde|fokusområde|område)\s+(\d+(?:\.\d+)*)\.?\s*[:.]?\s*(\S.*)$"
);
pattern!(
    /// `1. Styrke ...`, `1) ...`, `1.1 ...`, `1.1. ...` — a numbered line (heading or list).
    numbered_line = r"^(\d{1,2}(?:\.\d{1,2})*)(?:\.|\))?\s+(\S.*)$"
);
pattern!(
    /// `1. januar` — a date, not a list item.
    date_start = r"^\d{1,2}\.\s+(?i:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)\b"
);
pattern!(
    /// Measure code alone on a line or at the start of a cell: `1a`, `2b`, `3`.
    measure_code = r"^(\d{1,2}[a-z]?)\.?$"
);
pattern!(
    /// A row of a table aligned with spaces (`pdftotext -layout`): a code, two or more spaces, text.
    aligned_code_row = r"^(\d{1,2}(?:\.\d{1,2}){0,2}[a-z]?)\.?(?:\s{2,}(\S.*)|\s(\S.*?\S\s{3,}\S.*))$"
);
pattern!(
    /// A code in a table's number column: `1.1`, `2.3.1`, `T4`, `A.2`, `3b`.
    table_code = r"^((?:[A-Z]\.?)?\d{1,2}(?:\.\d{1,2}){0,2}[a-z]?)\.?$"
);
pattern!(
    /// Strategy point at the start of a reference cell: `1a Stimulere til ...`.
    strategy_point = r"^(\d{1,2}[a-z])[.)]?\s+(\S.*)$"
);
pattern!(
    /// Action labels: roman `i.`/`II.`, `1)`, `a)`.
    action_label = r"^((?i:x{0,3}(?:ix|iv|v?i{1,3}|v|x)))[.)]\s+(\S.*)$"
);
pattern!(
    /// Lettered objective: `a. Øke antall ...`, `b) ...`.
    letter_item = r"^([a-z])[.)]\s+(\S.*)$"
);
pattern!(
    /// Number-paren objective: `1) Arbeide for ...`.
    number_item = r"^(\d{1,2})[.)]\s+(\S.*)$"
);
pattern!(
    /// `Resultatindikator:` / `Resultatindikatorer:` / `Indikatorer:` — indicator list starts.
    indicator_heading = r"^(?i:resultatindikator(?:er)?|resultatmål|indikator(?:er)?|måleindikator(?:er)?)\s*:?\s*(.*)$"
);
pattern!(
    /// `Hovedtiltak:` / `Tiltak:` alone — the action block starts (a header, not content).
    action_heading = r"^(?i:hoved)?(?i:tiltak)(?:\s+\d{4}\s*[-–]\s*\d{4})?\s*:?\s*$"
);
pattern!(
    /// `Fra strategien:` — lettered strategy objectives follow.
    from_strategy = r"^(?i:fra strategien|strategiske mål|fra strategi)\s*:?\s*$"
);
pattern!(
    /// A year range: `2021-2025`, `2020–2022`, `2023 - 2026`.
    year_range = r"\b((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})\b"
);
pattern!(
    /// `Målbilde:` — prose goal statement under a heading.
    target_picture = r"^(?i:målbilde)\s*:"
);

/// A header cell that names the measure column (`Tiltak`, `Hovedtiltak`...).
pub fn is_measure_header(s: &str) -> bool {
    let l = s.to_lowercase();
    l.contains("tiltak") && !l.contains("ansvar")
}

/// A header cell that names the responsibility column.
pub fn is_responsible_header(s: &str) -> bool {
    let l = s.trim().to_lowercase();
    l.starts_with("ansvar") || l.starts_with("hovedansvar") || l == "ansvarlig" || l.starts_with("ansvarlig")
}

/// A header cell that names a number column (`Nr`, `Nr.`, `Tiltak nr.`, `Kode`, `ID`, `#`).
pub fn is_code_header(s: &str) -> bool {
    let l = s.trim().trim_end_matches('.').to_lowercase();
    matches!(l.as_str(), "nr" | "nummer" | "kode" | "id" | "#" | "tiltak nr" | "tiltaksnr" | "tiltaksnummer" | "løpenr")
}

/// A header cell that names the strategy reference column.
pub fn is_reference_header(s: &str) -> bool {
    let l = s.to_lowercase();
    l.contains("referanse") || l.contains("strategi") && !l.contains("tiltak")
}

/// A line that is (part of) a measure table's header: names both the measure
/// and the responsibility column, or the reference column.
pub fn is_table_header_line(s: &str) -> bool {
    let l = s.to_lowercase();
    let measure = l.contains("tiltak");
    let resp = l.contains("ansvar");
    (measure && resp) || l.starts_with("referanse til") || l.trim_end_matches([':', ' ']) == "forskningsstrategien"
}

/// Words that name a responsible party (organisations, units, roles) in a
/// responsibility column. Used to tell party lines from measure text where
/// there are no columns (text input).
const PARTY_WORDS: &[&str] = &[
    "rhf", "hf", "helseforetak", "leder", "ledere", "klinikk", "avdeling", "avd.", "brukerutvalg", "fu", "direktør", "direktørens",
    "seksjon", "enhet", "utvalg", "fakultet", "universitet", "kommune", "styre", "sekretariat", "samarbeidsorgan", "nettverk",
    "forskergruppe", "forskningsgruppe", "forskningsleder", "fagdirektør", "ledelse", "ansvarlig", "koordinator",
    "forskningsavdeling", "forskningsstøtte", "veiledere", "klinikken", "avdelingene", "departement", "direktorat",
];

/// Words that make a line a sentence rather than a list of parties.
const SENTENCE_WORDS: &[&str] = &[
    "er", "skal", "har", "med", "til", "som", "på", "av", "kan", "vil", "blir", "bør", "må", "ved", "om", "etter", "hvor", "der",
];

/// A short line that names responsible parties rather than saying what to do.
pub fn is_party_line(s: &str) -> bool {
    let t = s.trim();
    if t.is_empty() || t.len() > 90 || t.ends_with('.') && !t.ends_with("avd.") {
        return false;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.len() > 7 {
        return false;
    }
    if t.starts_with('(') {
        return true;
    }
    let first = words.first().copied().unwrap_or("");
    if !first.chars().next().is_some_and(|c| c.is_uppercase()) {
        return false;
    }
    // Sentence words (verbs, prepositions) outside parentheses mark measure
    // text or an indicator, not a party.
    let outside: String = {
        let mut depth = 0i32;
        t.chars()
            .filter(|c| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth <= 0 && *c != ')'
            })
            .collect()
    };
    if outside.split_whitespace().any(|w| SENTENCE_WORDS.contains(&w.to_lowercase().as_str())) {
        return false;
    }
    if first.ends_with('.') && first.len() <= 5 && first != "Avd." || first.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let single_word = words.len() == 1;
    t.split(|c: char| c.is_whitespace() || c == '/' || c == '(' || c == ')' || c == ',')
        .filter(|w| !w.is_empty())
        .any(|w| {
            let w = w.to_lowercase();
            PARTY_WORDS.iter().any(|p| {
                // A lone word cut by a narrow column (`Forskningsgrup`) still names its party.
                w == *p || (p.len() >= 5 && (w.starts_with(p) || w.ends_with(p))) || (single_word && w.len() >= 8 && p.starts_with(w.as_str()))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles_and_matches_its_cue() {
        assert!(goal_heading().is_match("Hovedmål 1: Skape flere fremragende forskningsmiljøer"));
        assert!(area_heading().is_match("Innsatsområde 1.1 Økte muligheter for pasienter"));
        assert!(numbered_line().is_match("1. Styrke satsingen"));
        assert!(date_start().is_match("1. januar 2024"));
        assert!(measure_code().is_match("1a"));
        assert!(strategy_point().is_match("1a Stimulere til"));
        assert!(action_label().is_match("iii. Forbedre prosesser"));
        assert!(action_label().is_match("IV. Arbeide for"));
        assert!(!action_label().is_match("i samarbeid med"));
        assert!(letter_item().is_match("a. Øke antall"));
        assert!(indicator_heading().is_match("Resultatindikatorer:"));
        assert!(action_heading().is_match("Hovedtiltak:"));
        assert!(!action_heading().is_match("Tiltak for å styrke"));
        assert!(year_range().is_match("2023 - 2026"));
        assert!(table_code().is_match("2.3.1") && table_code().is_match("T4") && !table_code().is_match("2026-2028"));
        assert!(is_code_header("Nr.") && is_code_header("Tiltak nr") && !is_code_header("Tiltak"));
    }

    #[test]
    fn party_lines_are_short_and_name_a_unit() {
        assert!(is_party_line("Helse Midt-Norge RHF"));
        assert!(is_party_line("Helseforetakene"));
        assert!(is_party_line("Avd. ledere"));
        assert!(is_party_line("Klinikk/Avdeling"));
        assert!(is_party_line("Regionalt brukerutvalg"));
        assert!(!is_party_line("Klinikken viderefører en felles halvårlig arena og nettverk for alle."));
        assert!(!is_party_line("Bygge forskningskultur"));
    }
}
