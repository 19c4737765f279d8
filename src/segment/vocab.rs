//! The document cues the segmenters key on: numbering patterns and keywords,
//! each in one place with the cue it stands for.

use regex::Regex;
use std::sync::OnceLock;

macro_rules! pattern {
    ($(#[$doc:meta])* $name:ident = $re:expr) => {
        $(#[$doc])*
        pub fn $name() -> &'static Regex {
            static RE: OnceLock<Regex> = OnceLock::new();
            // The patterns are literals; the unit tests call every one, so a
            // bad literal fails there, loudly, instead of never matching.
            RE.get_or_init(|| Regex::new($re).expect(concat!("vocabulary pattern ", stringify!($name))))
        }
    };
}

pub mod minutes;

pattern!(
    /// `Hovedmål 1: Skape flere ...`, `Mål 2 – …` — a numbered goal heading.
    goal_heading = r"^(?i:hovedmål|delmål|mål)\s+([0-9]+)\s*[:.–—-]?\s+(\S.*)$"
);
pattern!(
    /// `Innsatsområde 1.1 Økte muligheter ...` — a numbered focus-area heading.
    area_heading = r"^(?i:innsatsområde|satsingsområde|fokusområde|område)\s+([0-9]+(?:\.[0-9]+)*)\.?\s*[:.–—-]?\s*(\S.*)$"
);
pattern!(
    /// `1. Styrke ...`, `1) ...`, `1.1 ...`, `1.1. ...` — a numbered line (heading or list).
    numbered_line = r"^([0-9]{1,2}(?:\.[0-9]{1,2})*)(?:\.|\))?\s+(\S.*)$"
);
pattern!(
    /// A measure's label line in a list: `Tiltak 2.1`, `Tiltak 3: Tittel`, `T4 Tittel`, `1.1 Tittel`, `2b Tittel`
    /// (captures: label, title after `Tiltak`; or label, title of a bare code).
    measure_item = r"^(?:(?i:tiltak)\s+([A-Za-z]?[0-9]{1,2}(?:\.[0-9]{1,2}){0,2}[a-z]?)\s*[:.)]?(?:\s+(\S.*))?|([A-Z][0-9]{1,2}|[0-9]{1,2}\.[0-9]{1,2}(?:\.[0-9]{1,2})?|[0-9]{1,2}[a-z])[.:)]?\s+(\S.*))$"
);
pattern!(
    /// `1. januar` — a date, not a list item.
    date_start = r"^[0-9]{1,2}\.\s+(?i:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)\b"
);
pattern!(
    /// Measure code alone on a line or at the start of a cell: `1a`, `2b`, `3`.
    measure_code = r"^([0-9]{1,2}[a-z]?)\.?$"
);
pattern!(
    /// A row of a table aligned with spaces (`pdftotext -layout`): a code, two or more spaces, text.
    aligned_code_row = r"^([0-9]{1,2}(?:\.[0-9]{1,2}){0,2}[a-z]?)\.?(?:\s{2,}(\S.*)|\s(\S.*?\S\s{3,}\S.*))$"
);
pattern!(
    /// A code in a table's number column: `1.1`, `2.3.1`, `T4`, `A.2`, `3b`.
    table_code = r"^((?:[A-Z]\.?)?[0-9]{1,2}(?:\.[0-9]{1,2}){0,2}[a-z]?)\.?$"
);
pattern!(
    /// Strategy point at the start of a reference cell: `1a Stimulere til ...`.
    strategy_point = r"^([0-9]{1,2}[a-z])[.)]?\s+(\S.*)$"
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
    number_item = r"^([0-9]{1,2})[.)]\s+(\S.*)$"
);
pattern!(
    /// `Resultatindikator:` / `Resultatindikatorer:` / `Indikatorer:` — indicator list starts.
    indicator_heading = r"^(?i:resultatindikator(?:er)?|resultatmål|indikator(?:er)?|måleindikator(?:er)?)\s*:?\s*(.*)$"
);
pattern!(
    /// `Hovedtiltak:` / `Tiltak:` alone — the action block starts (a header, not content).
    action_heading = r"^(?i:hoved)?(?i:tiltak)(?:\s+[0-9]{4}\s*[-–]\s*[0-9]{4})?\s*:?\s*$"
);
pattern!(
    /// `Fra strategien:` — lettered strategy objectives follow.
    from_strategy = r"^(?i:fra strategien|strategiske mål|fra strategi)\s*:?\s*$"
);
pattern!(
    /// A year range: `2021-2025`, `2020–2022`, `2023 - 2026`.
    year_range = r"\b((?:19|20)[0-9]{2})\s*[-–—]\s*((?:19|20)[0-9]{2})\b"
);
pattern!(
    /// `Målbilde:` — prose goal statement under a heading.
    target_picture = r"^(?i:målbilde)\s*:"
);

/// The role a column of a measure table plays, read from its header text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnRole {
    /// The measure's number (`Nr`, `Kode`, `Tiltak nr.`).
    Code,
    /// What is to be done (`Tiltak`, `Hva`, `Kva`, `Aktivitet`).
    Measure,
    /// Who is responsible (`Ansvar`, `Ansvarlig`, `Hvem`, `Kven`).
    Responsible,
    /// When (`Frist`, `Tidsramme`, `Når`).
    Deadline,
    /// How progress is measured (`Indikator`, `Måleindikator`, `Resultatmål`).
    Indicator,
    /// Progress (`Status`, `Fremdrift`).
    Status,
    /// A goal cell merged over several rows (`Delmål`, `Mål`).
    Goal,
    /// The strategy point a row answers (`Referanse til strategien`).
    Reference,
    /// Partners named beside the responsible (`Samarbeidspartnere`): not responsible.
    Partners,
    /// A year, quarter, month or term column of a timeline (`2026`, `K3`, `Q1 2025`, `Høst 2025`).
    Timeline,
    /// A named column of no known role: kept as `extra`.
    Extra,
}

/// Header words per column role, bokmål and nynorsk, lowercase. A header
/// cell takes the role of the first entry that matches it: `Exact` the whole
/// cell (without a trailing `.`, `:` or `?`), `Prefix` its first word's start,
/// `Word` any of its words. One line per cue; extend here.
#[derive(Debug, Clone, Copy)]
enum Cue {
    Exact(&'static str),
    Prefix(&'static str),
    Word(&'static str),
    /// The cell's last word ends so (`Forskningsstrategien`).
    Suffix(&'static str),
}

const COLUMN_VOCABULARY: &[(ColumnRole, Cue)] = &[
    (ColumnRole::Code, Cue::Exact("nr")),
    (ColumnRole::Code, Cue::Exact("nummer")),
    (ColumnRole::Code, Cue::Exact("kode")),
    (ColumnRole::Code, Cue::Exact("id")),
    (ColumnRole::Code, Cue::Exact("#")),
    (ColumnRole::Code, Cue::Exact("tiltak nr")),
    (ColumnRole::Code, Cue::Exact("tiltaksnr")),
    (ColumnRole::Code, Cue::Exact("tiltaksnummer")),
    (ColumnRole::Code, Cue::Exact("løpenr")),
    (ColumnRole::Code, Cue::Exact("ref")),
    (ColumnRole::Reference, Cue::Prefix("referanse")),
    (ColumnRole::Reference, Cue::Prefix("strategi")),
    (ColumnRole::Reference, Cue::Suffix("strategien")),
    (ColumnRole::Partners, Cue::Prefix("samarbeidspart")),
    (ColumnRole::Partners, Cue::Prefix("involverte")),
    (ColumnRole::Partners, Cue::Prefix("medvirkende")),
    (ColumnRole::Responsible, Cue::Prefix("ansvar")),
    (ColumnRole::Responsible, Cue::Prefix("hovedansvar")),
    (ColumnRole::Responsible, Cue::Exact("hvem")),
    (ColumnRole::Responsible, Cue::Exact("kven")),
    (ColumnRole::Responsible, Cue::Exact("eier")),
    (ColumnRole::Responsible, Cue::Exact("tiltakseier")),
    (ColumnRole::Responsible, Cue::Exact("utføres av")),
    (ColumnRole::Deadline, Cue::Prefix("frist")),
    (ColumnRole::Deadline, Cue::Prefix("tidsfrist")),
    (ColumnRole::Deadline, Cue::Prefix("tidsramme")),
    (ColumnRole::Deadline, Cue::Prefix("tidsplan")),
    (ColumnRole::Deadline, Cue::Prefix("tidspunkt")),
    (ColumnRole::Deadline, Cue::Exact("når")),
    (ColumnRole::Deadline, Cue::Exact("tid")),
    (ColumnRole::Deadline, Cue::Exact("periode")),
    (ColumnRole::Deadline, Cue::Exact("ferdig")),
    (ColumnRole::Deadline, Cue::Exact("innen")),
    (ColumnRole::Deadline, Cue::Prefix("gjennomføring")),
    (ColumnRole::Indicator, Cue::Prefix("indikator")),
    (ColumnRole::Indicator, Cue::Prefix("måleindikator")),
    (ColumnRole::Indicator, Cue::Prefix("resultatindikator")),
    (ColumnRole::Indicator, Cue::Prefix("resultatmål")),
    (ColumnRole::Indicator, Cue::Prefix("måloppnå")),
    (ColumnRole::Indicator, Cue::Prefix("suksesskriteri")),
    (ColumnRole::Indicator, Cue::Exact("kpi")),
    (ColumnRole::Indicator, Cue::Prefix("måltall")),
    (ColumnRole::Indicator, Cue::Exact("korleis måle")),
    (ColumnRole::Indicator, Cue::Exact("hvordan måle")),
    (ColumnRole::Status, Cue::Prefix("status")),
    (ColumnRole::Status, Cue::Prefix("fremdrift")),
    (ColumnRole::Status, Cue::Prefix("framdrift")),
    (ColumnRole::Goal, Cue::Prefix("delmål")),
    (ColumnRole::Goal, Cue::Prefix("hovedmål")),
    (ColumnRole::Goal, Cue::Exact("mål")),
    (ColumnRole::Goal, Cue::Prefix("målsetting")),
    (ColumnRole::Goal, Cue::Prefix("målsetjing")),
    (ColumnRole::Goal, Cue::Prefix("innsatsområde")),
    (ColumnRole::Goal, Cue::Prefix("satsingsområde")),
    (ColumnRole::Measure, Cue::Prefix("tiltak")),
    (ColumnRole::Measure, Cue::Prefix("hovedtiltak")),
    (ColumnRole::Measure, Cue::Prefix("aktivitet")),
    (ColumnRole::Measure, Cue::Prefix("handling")),
    (ColumnRole::Measure, Cue::Exact("hva")),
    (ColumnRole::Measure, Cue::Exact("kva")),
    (ColumnRole::Measure, Cue::Exact("hva skal gjøres")),
    (ColumnRole::Measure, Cue::Exact("kva skal gjerast")),
    (ColumnRole::Measure, Cue::Prefix("beskrivelse")),
    (ColumnRole::Measure, Cue::Prefix("skildring")),
    (ColumnRole::Measure, Cue::Word("tiltak")),
];

/// The role a header cell names, if the vocabulary knows it; a year,
/// quarter, month or term header is a timeline column.
pub fn column_role(header: &str) -> Option<ColumnRole> {
    let l = header.trim().to_lowercase();
    let l = l.trim_end_matches(['.', ':', '?', ' ']).trim();
    if l.is_empty() {
        return None;
    }
    if timeline_header().is_match(l) {
        return Some(ColumnRole::Timeline);
    }
    let first = l.split_whitespace().next().unwrap_or("");
    COLUMN_VOCABULARY.iter().find_map(|(role, cue)| {
        let hit = match cue {
            Cue::Exact(w) => l == *w,
            Cue::Prefix(w) => first.starts_with(w),
            Cue::Word(w) => l.split(|c: char| !c.is_alphanumeric()).any(|x| x == *w),
            Cue::Suffix(w) => !l.contains(char::is_whitespace) && l.ends_with(w),
        };
        hit.then_some(*role)
    })
}

pattern!(
    /// A timeline column header: a year (`2026`), a quarter or term (`K3`, `Q1 2025`, `T2`, `H1`,
    /// `1. kvartal`, `Høst 2025`, `Vår`), or a month (`Jan`, `mars 2026`).
    timeline_header = r"^(?i:(?:19|20)[0-9]{2}|(?:k|q|t|h)[1-4](?:[\s-]+(?:19|20)[0-9]{2})?|[1-4]\.\s*(?:kvartal|tertial|halvår)(?:\s+(?:19|20)[0-9]{2})?|(?:vår|våren|høst|høsten|haust|hausten)(?:\s+(?:19|20)[0-9]{2})?|(?:jan|feb|mar|apr|mai|jun|jul|aug|sep|okt|nov|des)[a-z]*\.?(?:\s+(?:19|20)[0-9]{2})?)$"
);

pattern!(
    /// A mark in a timeline cell: `X`, `x`, `●`, `✓`...
    timeline_mark = r"^(?:[xX✕✖×●•■▪✓✔*]|(?i:ja))$"
);

/// Words that leave a printed line open: what follows on the next line
/// continues it (`… studier med` / `OUS som deltaker`).
pub const OPEN_ENDINGS: &[&str] = &["og", "for", "i", "med", "av", "til", "ved", "eller", "fra", "om", "på", "mot", "under", "innen", "and", "of", "&"];

/// A line that ends open: in a comma, hyphen, slash or an [`OPEN_ENDINGS`] word.
pub fn ends_open(line: &str) -> bool {
    let t = line.trim_end();
    let last = t.rsplit(' ').next().unwrap_or("").to_lowercase();
    t.ends_with([',', '-', '/', ';']) || OPEN_ENDINGS.contains(&last.as_str())
}

/// Words that name a responsible party: units, roles and bodies, as word
/// stems (matched at any position in a word, lowercase). A word of the
/// responsibility column with one of these is a party of its own when it
/// follows `og` (`... og klinikkdirektørane`).
pub const PARTY_STEMS: &[&str] = &[
    "avdeling",
    "eining",
    "enhet",
    "seksjon",
    "direktør",
    "sjef",
    "leder",
    "leiar",
    "klinikk",
    "ledelse",
    "leiing",
    "kontor",
    "utvalg",
    "utval",
    "nettverk",
    "foretak",
    "føretak",
    "sekretariat",
    "koordinator",
    "rådgiver",
    "rådgjevar",
    "ombud",
    "ombod",
    "universitet",
    "kommun",
    "høgskole",
    "høgskule",
    "senter",
    "styre",
    "partner",
    "forskere",
    "forskarar",
    "fakultet",
    "institutt",
    "sykehus",
    "sjukehus",
    "team",
    "gruppe",
    "forum",
    "tjeneste",
    "teneste",
];

/// Words that name a document in its title (lowercase).
pub const DOCUMENT_WORDS: &[&str] = &[
    "handlingsplan",
    "tiltaksplan",
    "plan for",
    "strategi",
    "rapport",
    "referat",
    "protokoll",
    "innkalling",
    "møtebok",
    "årsrapport",
    "handlingsprogram",
    "aktivitetsplan",
    "årsplan",
    "evaluering",
    "veileder",
];

pattern!(
    /// `Vedtatt av …`, `Vedteken av …`, `Godkjent …`, `Versjon 1.0, …`, `Revidert …`: approval and version lines under a title.
    approval_line = r"^(?i:vedtatt|vedteken|vedtatt|godkjent|godkjend|versjon|revidert|oppdatert|utarbeidet|utarbeidd|dato)\b"
);

/// A line that is the name of an organisation with its legal form (`Helse Førde HF`, `Helse Midt-Norge RHF`).
pub fn is_organization_line(t: &str) -> bool {
    let t = t.trim();
    let legal = t.ends_with(" HF") || t.ends_with(" RHF") || t.ends_with(" AS") || t.ends_with(" IKS");
    legal && t.chars().next().is_some_and(char::is_uppercase) && t.split_whitespace().count() <= 7 && !t.contains(':')
}

/// Verbs that end a heading printed as a lead-in clause (`Hovedmål i planen
/// er:`): the title is the clause's subject.
pub const LEAD_IN_VERBS: &[&str] = &["er", "blir", "vert", "omfatter", "omfattar", "inkluderer", "inkluderar"];

/// A heading's title: without its closing colon, and without the verb of a
/// lead-in clause before that colon (`… 2021-2025 er:` → `… 2021-2025`).
pub fn heading_title(t: &str) -> String {
    let t = t.trim();
    let Some(clause) = t.strip_suffix(':') else { return t.to_string() };
    let clause = clause.trim_end();
    match clause.rsplit_once(' ') {
        Some((subject, verb)) if LEAD_IN_VERBS.contains(&verb.to_lowercase().as_str()) && subject.split_whitespace().count() >= 2 => subject.to_string(),
        _ => clause.to_string(),
    }
}

/// Function words that open a sentence, not a title (lowercase).
pub const FUNCTION_WORDS: &[&str] =
    &["for", "i", "om", "det", "den", "denne", "dette", "vi", "en", "et", "ei", "som", "til", "med", "på", "av", "når", "etter", "ved", "og", "alle"];

/// Definite endings of nouns (bokmål and nynorsk) that a narrow column can
/// cut from their word (`Personvernombud` / `et`, `Forskningsavdeling` / `en`).
pub const DEFINITE_ENDINGS: &[&str] = &["en", "et", "a", "ene", "ane"];

/// Words that open a numbered caption (`Tabell 1 …`, `Figur 2:`): the title
/// of the table or figure below, never a section heading.
pub const CAPTION_WORDS: &[&str] = &["tabell", "figur", "table", "figure", "diagram", "illustrasjon", "vedlegg tabell"];

/// A caption line: a caption word and a number (`Tabell 2.1 Budsjett`).
pub fn is_caption(t: &str) -> bool {
    let lower = t.trim().to_lowercase();
    CAPTION_WORDS.iter().any(|w| lower.strip_prefix(w).is_some_and(|rest| rest.starts_with(' ') && rest.trim_start().starts_with(|c: char| c.is_ascii_digit())))
}

/// Words that name a plan in a document's head (lowercase).
pub const PLAN_WORDS: &[&str] = &["handlingsplan", "tiltaksplan", "plan for", "handlingsprogram", "tiltaksprogram", "aktivitetsplan", "årsplan"];

/// A text line printed as a table header (`Tiltak      Ansvar      Frist`):
/// two or more cells at wide gaps, at least two naming measure-table columns,
/// one of them the measure column.
pub fn is_aligned_header_line(raw: &str) -> bool {
    let cells: Vec<&str> = raw.trim().split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    if cells.len() < 2 || cells.iter().any(|c| c.split_whitespace().count() > 4) {
        return false;
    }
    let roles: Vec<Option<ColumnRole>> = cells.iter().map(|c| column_role(c)).collect();
    roles.iter().filter(|r| r.is_some()).count() >= 2 && roles.contains(&Some(ColumnRole::Measure))
}

/// The cues the layout stage needs to cut aligned text tables (layout does
/// not depend on the segmenters: the pipeline hands these over).
pub const TEXT_TABLE_CUES: crate::layout::text_columns::TextTableCues = crate::layout::text_columns::TextTableCues {
    header_cell: |t| {
        use crate::layout::text_columns::HeaderCell;
        column_role(t).map(|r| match r {
            ColumnRole::Measure => HeaderCell::Measure,
            ColumnRole::Code => HeaderCell::Code,
            _ => HeaderCell::Other,
        })
    },
    timeline_label: |t| timeline_header().is_match(t),
    timeline_mark: |t| timeline_mark().is_match(t),
    goal_row: |t| goal_heading().is_match(t) || area_heading().is_match(t),
};

/// Everything the readers and the layout stage ask of the vocabulary, handed
/// over by the pipeline.
pub const LAYOUT_CUES: crate::layout::Cues = crate::layout::Cues {
    table_header_line: is_table_header_line,
    measure_header_row: |texts| texts.iter().any(|c| is_measure_header(c)) && texts.iter().any(|c| is_responsible_header(c)),
    text_tables: Some(TEXT_TABLE_CUES),
};

/// Bare organisational levels: `Klinikk/Avdeling` after one of these names
/// the level that holds a responsibility (alternatives), not separate parties.
pub const ORGANISATIONAL_LEVELS: &[&str] = &[
    "klinikk",
    "klinikken",
    "klinikkene",
    "avdeling",
    "avdelingen",
    "avdelingene",
    "avd.",
    "seksjon",
    "seksjonen",
    "enhet",
    "enheten",
    "foretak",
    "foretaket",
    "helseforetak",
    "helseforetaket",
    "helseforetakene",
    "divisjon",
    "divisjonen",
];

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
    // A sentence that mentions measures and responsibility is prose, not a header.
    let words = l.split_whitespace().count();
    if l.trim_end().ends_with(['.', ',']) || words > 10 && !l.contains(':') || words > 20 {
        return false;
    }
    let measure = l.contains("tiltak");
    let resp = l.contains("ansvar");
    // A header cell printed on a line of its own: `Referanse til …`, `Forskningsstrategien:`.
    (measure && resp) || l.starts_with("referanse til") || l.ends_with(':') && words <= 4 && column_role(&l) == Some(ColumnRole::Reference)
}

/// Words that name a responsible party (organisations, units, roles) in a
/// responsibility column. Used to tell party lines from measure text where
/// there are no columns (text input).
const PARTY_WORDS: &[&str] = &[
    "rhf",
    "hf",
    "helseforetak",
    "leder",
    "ledere",
    "klinikk",
    "avdeling",
    "avd.",
    "brukerutvalg",
    "fu",
    "direktør",
    "direktørens",
    "seksjon",
    "enhet",
    "utvalg",
    "fakultet",
    "universitet",
    "kommun",
    "styre",
    "sekretariat",
    "samarbeidsorgan",
    "nettverk",
    "forskergruppe",
    "forskningsgruppe",
    "forskningsleder",
    "fagdirektør",
    "ledelse",
    "ansvarlig",
    "koordinator",
    "forskningsavdeling",
    "forskningsstøtte",
    "veiledere",
    "klinikken",
    "avdelingene",
    "departement",
    "direktorat",
];

/// Words that make a line a sentence rather than a list of parties.
const SENTENCE_WORDS: &[&str] = &["er", "skal", "har", "med", "til", "som", "på", "av", "kan", "vil", "blir", "bør", "må", "ved", "om", "etter", "hvor", "der"];

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
    t.split(|c: char| c.is_whitespace() || c == '/' || c == '(' || c == ')' || c == ',').filter(|w| !w.is_empty()).any(|w| {
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
        assert_eq!(&goal_heading().captures("Hovedmål 2 – God forskningskompetanse").expect("dash separator")[2], "God forskningskompetanse");
        assert!(area_heading().is_match("Innsatsområde 1.1 Økte muligheter for pasienter"));
        assert!(
            is_caption("Tabell 1 Forskningsaktivitet 2020–2023")
                && is_caption("Figur 2: Årsverk")
                && !is_caption("Tabellen viser")
                && !is_caption("Tabell over tiltak")
        );
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
        assert!(measure_item().is_match("Tiltak 2.1") && measure_item().is_match("Tiltak 3: Etablere") && measure_item().is_match("T4 Lage maler"));
        assert!(!measure_item().is_match("Tiltak for å styrke") && !measure_item().is_match("Tiltak:"));
        assert!(timeline_header().is_match("2026") && timeline_header().is_match("K3") && !timeline_header().is_match("Kostnad"));
        assert!(timeline_mark().is_match("X") && !timeline_mark().is_match("2025"));
        assert!(aligned_code_row().is_match("1    Tiltak nummer 1: Bygge opp   Klinikkleder"));
        assert!(number_item().is_match("1) Arbeide for") && from_strategy().is_match("Fra strategien:"));
        assert!(target_picture().is_match("Målbilde: Flere") && approval_line().is_match("Vedtatt av styret 5. mars 2024"));
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
