//! Normalized names of the parties a measure makes responsible.
//!
//! Plans print the same party many ways: `Avd. ledere` and `Avdelingsledere`,
//! `Helseforetak` and `Helseforetakene`, `Forskergruppeleder` and
//! `forsknings-gruppeledere` (a hyphen left by a line break). The dataset keeps the
//! party as printed and adds one normalized form per party, so that
//! `GROUP BY party_norm` and `planparse search --responsible` see one party.
//!
//! [`normalize_parties`] turns one printed entry into its normalized parties:
//! 1. qualifiers in parentheses are dropped (`Helse Midt-Norge RHF (Fellesoppdrag
//!    alle RHF)` → `helse midt-norge rhf`); an entry that is only a parenthesis
//!    keeps its contents;
//! 2. an entry naming several parties is split on `/`, `,`, `;`, `&` and ` og `
//!    (`Klinikk/Avdeling` → `klinikken`, `avdelingene`), but not a suspended
//!    compound (`nærings- og fiskeridepartementet`);
//! 3. each party is lowercased, white space folded, stray punctuation trimmed,
//!    and looked up in [`PARTIES`]; an unknown party keeps that cleaned form.

/// Canonical party name, and the cleaned (lowercase) spellings that mean it.
///
/// Each line stands for one party as the plans name it; the canonical form is the
/// plural or definite form most plans use.
pub const PARTIES: &[(&str, &[&str])] = &[
    // Heads of the clinic's departments (HLK prints `Avd. ledere`).
    ("avdelingsledere", &["avd. ledere", "avd.ledere", "avd ledere", "avd. leder", "avd.leder", "avdelingsleder", "avdelingsledere", "avdelingsledelsen"]),
    // The departments themselves (KRN: `Klinikk/Avdeling`, `Klinikken/Avdelingene`).
    ("avdelingene", &["avdeling", "avdelingen", "avdelingene", "avdelinger", "avd.", "avd"]),
    // The clinic as a whole (KRN: `Klinikk`, `Klinikken`).
    ("klinikken", &["klinikk", "klinikken", "klinikkene"]),
    // The head of the clinic (HLK: `Klinikkleder`).
    ("klinikkleder", &["klinikkleder", "klinikkledere", "klinikkledelsen", "klinikkledelse", "klinikksjef"]),
    // The clinic's head of research (HLK, KRN: `Forskningsleder`).
    ("forskningsleder", &["forskningsleder", "forskningsledere", "forskningssjef"]),
    // Research group leaders (HLK `Forskningsgruppeledere`, KRN `Forskergruppeleder`,
    // `forsknings-gruppeledere` with a line-break hyphen).
    (
        "forskningsgruppeledere",
        &[
            "forskningsgruppeleder",
            "forskningsgruppeledere",
            "forsknings-gruppeleder",
            "forsknings-gruppeledere",
            "forskergruppeleder",
            "forskergruppeledere",
            "forsker-gruppeledere",
            "gruppeledere",
            "gruppeleder",
        ],
    ),
    // Supervisors of PhD candidates (KRN: `... og veiledere`).
    ("veiledere", &["veileder", "veiledere", "veilederne"]),
    // The clinic's research committee (KRN: `FU`, `FU-KRN`).
    ("forskningsutvalget", &["fu", "fu-krn", "forskningsutvalg", "forskningsutvalget"]),
    // The health trusts (HMN: `Helseforetak`, `Helseforetakene`; `HF` in lists).
    ("helseforetakene", &["helseforetak", "helseforetaket", "helseforetakene", "helseforetaka", "hf", "hf-ene", "hf'ene", "alle hf"]),
    // The regional health authority that owns the HMN plan.
    ("helse midt-norge rhf", &["helse midt-norge rhf", "helse midt-norge", "hmn", "hmn rhf"]),
    // All four regional health authorities together.
    ("de regionale helseforetakene", &["alle rhf", "rhf-ene", "rhfene", "de regionale helseforetakene", "regionale helseforetak"]),
    // The regional user committee (HMN: `Regionalt brukerutvalg`).
    ("regionalt brukerutvalg", &["regionalt brukerutvalg", "rbu", "brukerutvalget", "brukerutvalg"]),
    // Universities and university colleges (HMN lists: `UH`).
    ("universitets- og høgskolesektoren", &["uh", "uh-sektoren", "universitetene", "universitet", "universiteter", "universitets- og høgskolesektoren"]),
    // Research institutes (HMN lists: `forskningsinstitutt`).
    ("forskningsinstituttene", &["forskningsinstitutt", "forskningsinstitutter", "forskningsinstituttene", "forskningsinstitutta"]),
    // Municipalities (HMN lists: `kommuner`).
    ("kommunene", &["kommune", "kommuner", "kommunene", "kommunane"]),
    // Industry (HMN lists: `næringsliv`).
    ("næringslivet", &["næringsliv", "næringslivet"]),
    // The national e-health directorate (now part of Helsedirektoratet).
    ("direktoratet for e-helse", &["direktorat for e-helse", "direktoratet for e-helse"]),
];

/// The normalized parties one printed responsibility entry names, in printed
/// order, without duplicates. Empty only when the entry has no letters.
pub fn normalize_parties(printed: &str) -> Vec<String> {
    let without_qualifiers = drop_parentheses(printed);
    let base = if without_qualifiers.chars().any(char::is_alphanumeric) {
        without_qualifiers
    } else {
        // The whole entry is a qualifier: `(HF, UH, forskningsinstitutt, ...)`.
        printed.chars().filter(|c| !matches!(c, '(' | ')')).collect()
    };
    let mut parties: Vec<String> = Vec::new();
    for part in split_parties(&base) {
        let party = normalize_party(&part);
        if !party.is_empty() && !parties.contains(&party) {
            parties.push(party);
        }
    }
    parties
}

/// The normalized form of one party (no splitting): cleaned, then looked up.
pub fn normalize_party(party: &str) -> String {
    let cleaned = clean(party);
    canonical(&cleaned).map_or(cleaned, str::to_string)
}

/// The canonical name [`PARTIES`] gives a cleaned spelling, if any.
fn canonical(cleaned: &str) -> Option<&'static str> {
    PARTIES.iter().find(|(_, spellings)| spellings.contains(&cleaned)).map(|(name, _)| *name)
}

/// Lowercase, white space folded, punctuation trimmed from both ends (a final `.`
/// of an abbreviation such as `avd.` is kept).
fn clean(party: &str) -> String {
    let folded = party.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let trimmed = folded.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    let trimmed = trimmed.trim_start_matches('.');
    if canonical(trimmed).is_some() {
        return trimmed.to_string();
    }
    trimmed.trim_end_matches('.').to_string()
}

/// The text with every parenthesized span (nesting allowed) removed.
fn drop_parentheses(text: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Splits an entry naming several parties. ` og ` splits only between whole
/// names: after `nærings-` it joins a suspended compound and stays.
fn split_parties(entry: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for piece in entry.split(['/', ',', ';', '&']) {
        let words: Vec<&str> = piece.split_whitespace().collect();
        let mut current: Vec<&str> = Vec::new();
        for (i, word) in words.iter().enumerate() {
            let suspended = i > 0 && words[i - 1].ends_with('-');
            if word.eq_ignore_ascii_case("og") && !suspended && !current.is_empty() {
                parts.push(current.join(" "));
                current.clear();
            } else {
                current.push(word);
            }
        }
        if !current.is_empty() {
            parts.push(current.join(" "));
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_party_meet() {
        assert_eq!(normalize_parties("Avd. ledere"), ["avdelingsledere"]);
        assert_eq!(normalize_parties("Avdelingsledere"), ["avdelingsledere"]);
        assert_eq!(normalize_parties("Helseforetak"), ["helseforetakene"]);
        assert_eq!(normalize_parties("Helseforetakene"), ["helseforetakene"]);
        assert_eq!(normalize_parties("Forskergruppeleder"), ["forskningsgruppeledere"]);
        assert_eq!(normalize_parties(" Klinikkleder "), ["klinikkleder"]);
    }

    #[test]
    fn qualifiers_in_parentheses_are_dropped() {
        assert_eq!(normalize_parties("Helse Midt-Norge RHF (Fellesoppdrag alle RHF og Direktorat for e-helse)"), ["helse midt-norge rhf"]);
        assert_eq!(
            normalize_parties("(HF, UH, forskningsinstitutt, kommuner, næringsliv)"),
            ["helseforetakene", "universitets- og høgskolesektoren", "forskningsinstituttene", "kommunene", "næringslivet"]
        );
    }

    #[test]
    fn joint_entries_split_into_parties() {
        assert_eq!(normalize_parties("Klinikk/Avdeling"), ["klinikken", "avdelingene"]);
        assert_eq!(
            normalize_parties("Klinikken/FU-KRN/forsknings-gruppeledere og veiledere"),
            ["klinikken", "forskningsutvalget", "forskningsgruppeledere", "veiledere"]
        );
        assert_eq!(normalize_parties("Nærings- og fiskeridepartementet"), ["nærings- og fiskeridepartementet"]);
    }

    #[test]
    fn unknown_parties_keep_their_cleaned_form() {
        assert_eq!(normalize_parties("Seksjon for  Bildediagnostikk."), ["seksjon for bildediagnostikk"]);
        assert!(normalize_parties(" – ").is_empty());
    }
}
