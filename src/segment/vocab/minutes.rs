//! The cues of meeting minutes and notices (innkalling): item numbering
//! styles, decision labels, participant section labels, meeting-fact labels
//! and the words that close a set of minutes. Bokmål and nynorsk forms side by
//! side; every matcher lower-cases before it compares.

use regex::Regex;
use std::sync::OnceLock;

use crate::model::ParticipantGroup;

// `pattern!` is the vocabulary's macro (defined in `vocab.rs` before this module).

pattern!(
    /// `Sak 33/25 Title`, `Sak nr. 1/07: Title`, `Sak 12-2024`, `O-sak 03/14`, `Sak 5/24 (B)`,
    /// `Saksnr. 2025/412 Title`, `Sak 3: Title`. Groups: number, kind letter, title.
    sak_item = r"^(?:[A-ZÆØÅ]-)?(?i:sak(?:s?nr\.?|snummer|\s+nr\.?)?)\s*([0-9]{1,4}\s*[/-]\s*[0-9]{1,4}|[0-9]{1,3})(?:\s*\(([A-Za-z])\))?\s*[:.\-–]?\s*(.*)$"
);
pattern!(
    /// `FU 7/25 Title`, `PS 12/24 Title`, `ST 12/24`: a series prefix in capitals before an
    /// archive number; the prefix stays in the number. Groups: number, title.
    series_item = r"^([A-ZÆØÅ]{1,4}\s+[0-9]{1,3}\s*/\s*[0-9]{2,4})\s*[:.\-–]?\s*(.*)$"
);
pattern!(
    /// `18/25<gap>Title`, `12/2024 Title`, `3-2024 Title`: a bare archive number at the start of
    /// a line. Groups: number, title.
    bare_item = r"^([0-9]{1,3}\s*/\s*(?:[0-9]{4}|[0-9]{2})|[0-9]{1,3}-[0-9]{4})(?:\s*[:.\-–])?\s+(\S.*)$"
);
pattern!(
    /// `1. Title`, `2) Title`: a plain numbered line, an item only where the layout marks it
    /// as a heading and the numbers run 1, 2, 3 ...
    numbered_item = r"^([0-9]{1,2})[.)]\s+(\S.*)$"
);
pattern!(
    /// `I. Vedtakssaker`, `II Orienteringssaker`: a roman part grouping items.
    roman_part = r"^((?:X{0,3})(?:IX|IV|V?I{1,3}|V|X))\.\s+(\S.*)$"
);
pattern!(
    /// Decision labels: `Vedtak:`, `Forslag til vedtak:`, `Framlegg til vedtak:`,
    /// `Konklusjon:`, `Forslag til konklusjon:`, `Beslutning:`, `Styrets vedtak:`,
    /// `Innstilling:`, `Tilråding:`, or `Vedtak` alone on a line. Groups: label, rest.
    decision_label = r"^((?i:(?:(?:forslag|framlegg|innstilling|tilråding)\s+til\s+)?(?:[a-zæøå]+s\s+)?(?:vedtak|konklusjon|beslutning|innstilling|tilråding)))\s*(?::\s*(.*)|$)"
);
pattern!(
    /// A date: `14.03.2025`, `2025-03-14`, `9. april 2025`.
    date = r"(?i)\b([0-9]{1,2})\.\s*([0-9]{1,2})\.\s*([0-9]{2,4})\b|\b([0-9]{4})-([0-9]{2})-([0-9]{2})\b|\b([0-9]{1,2})\.\s*(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)\s+([0-9]{4})"
);
pattern!(
    /// A time range: `09:30-14:30`, `kl. 09.00–13.30`, `10.00 til 15.00`.
    time_range = r"(?:^|[^[0-9].])([0-9]{1,2})[:.]([0-9]{2})\s*(?:[-–—]|til)\s*(?:kl\.?\s*)?([0-9]{1,2})[:.]([0-9]{2})\b"
);
pattern!(
    /// Whole hours after `kl.`: `kl. 10-15`, `kl 9–11.30`.
    hour_range = r"(?i)\bkl\.?\s*([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*[-–—]\s*(?:kl\.?\s*)?([0-9]{1,2})(?:[:.]([0-9]{2}))?\b"
);
pattern!(
    /// A start time alone: `kl. 10.00`, `kl 9:30`.
    start_time = r"(?i)\bkl\.?\s*([0-9]{1,2})[:.]([0-9]{2})\b"
);
pattern!(
    /// The shape of [`is_place_date`]; the place's length is checked outside the
    /// pattern (a bounded repeat of a Unicode class costs milliseconds to compile
    /// in every process).
    place_date_shape = r"^[A-ZÆØÅ][\p{L} .-]+,\s*(?:den\s+)?[0-9]{1,2}\.\s*(?:[0-9]{1,2}\.\s*[0-9]{2,4}|\p{L}+\s+[0-9]{4})$"
);

/// The letter's own place and date: `Nordvik, 28. mai 2025` (never the meeting
/// date); the place is at most 41 characters.
pub fn is_place_date(t: &str) -> bool {
    t.split(',').next().is_some_and(|place| (2..=41).contains(&place.chars().count())) && place_date_shape().is_match(t)
}

/// Words that open the title of minutes or a notice (`Referat fra ...`, `Protokoll frå ...`).
pub const TITLE_WORDS: &[&str] = &[
    "referat",
    "møtereferat",
    "protokoll",
    "møteprotokoll",
    "styreprotokoll",
    "innkalling",
    "møteinnkalling",
    "møtebok",
    "møtenotat",
    "notat fra møte",
    "notat frå møte",
    "sakskart",
];

/// Item kinds printed on a line of their own under the item heading.
pub const ITEM_KINDS: &[&str] = &[
    "vedtakssak",
    "beslutningssak",
    "orienteringssak",
    "diskusjonssak",
    "drøftingssak",
    "drøftingsak",
    "informasjonssak",
    "drøftingssaker",
    "temasak",
    "valgsak",
    "godkjenningssak",
    "høyringssak",
    "høringssak",
];

/// Kind letters after an item number: `Sak 5/24 (B)`.
pub fn kind_from_letter(letter: &str) -> Option<&'static str> {
    match letter.to_uppercase().as_str() {
        "B" | "V" => Some("Beslutningssak"),
        "O" | "I" => Some("Orienteringssak"),
        "D" => Some("Diskusjonssak"),
        _ => None,
    }
}

/// An item without a number that is still an item (`Eventuelt` in a list of archive numbers).
pub const UNNUMBERED_ITEMS: &[&str] = &["eventuelt", "eventuelle saker", "eventuelt / orienteringer"];

/// Labels that open a participant section, most specific first (`Andre til stede` before
/// `Til stede`). The label ends at a colon, a tab, a wide gap or the end of the line.
pub const PARTICIPANT_LABELS: &[(&str, ParticipantGroup)] = &[
    ("andre til stede", ParticipantGroup::Invited),
    ("andre til stades", ParticipantGroup::Invited),
    ("andre deltakere", ParticipantGroup::Invited),
    ("andre deltakarar", ParticipantGroup::Invited),
    ("også til stede", ParticipantGroup::Invited),
    ("i tillegg møtte", ParticipantGroup::Invited),
    ("fra administrasjonen", ParticipantGroup::Invited),
    ("frå administrasjonen", ParticipantGroup::Invited),
    ("administrasjonen", ParticipantGroup::Invited),
    ("observatører", ParticipantGroup::Invited),
    ("observatørar", ParticipantGroup::Invited),
    ("inviterte", ParticipantGroup::Invited),
    ("inviterte deltakere", ParticipantGroup::Invited),
    ("gjester", ParticipantGroup::Invited),
    ("meldt forfall", ParticipantGroup::Absent),
    ("forfall", ParticipantGroup::Absent),
    ("fravær", ParticipantGroup::Absent),
    ("ikke til stede", ParticipantGroup::Absent),
    ("ikkje til stades", ParticipantGroup::Absent),
    ("referent", ParticipantGroup::Secretariat),
    ("referat", ParticipantGroup::Secretariat),
    ("protokollfører", ParticipantGroup::Secretariat),
    ("sekretær", ParticipantGroup::Secretariat),
    ("sekretariat", ParticipantGroup::Secretariat),
    ("sekretariatet", ParticipantGroup::Secretariat),
    ("til stede", ParticipantGroup::Members),
    ("tilstede", ParticipantGroup::Members),
    ("til stades", ParticipantGroup::Members),
    ("deltakere", ParticipantGroup::Members),
    ("deltakarar", ParticipantGroup::Members),
    ("deltagere", ParticipantGroup::Members),
    ("medlemmer", ParticipantGroup::Members),
    ("medlemar", ParticipantGroup::Members),
    ("faste medlemmer", ParticipantGroup::Members),
    ("møtende", ParticipantGroup::Members),
    ("møtende medlemmer", ParticipantGroup::Members),
    ("innkalt", ParticipantGroup::Members),
    ("innkalte", ParticipantGroup::Members),
    ("innkalla", ParticipantGroup::Members),
];

/// Labels of lines that are neither participants nor meeting facts (copy recipients,
/// distribution): they end a participant section and are skipped.
pub const OTHER_LABELS: &[&str] = &["kopi", "kopi til", "gjenpart", "distribusjon", "vedlegg", "saksbehandler", "arkivsak", "neste møte"];

/// Meeting-fact labels: date, time, place.
pub const DATE_LABELS: &[&str] = &["dato", "møtedato", "tid og sted", "tid og stad", "tidspunkt", "møtetid", "tid", "når"];
pub const TIME_LABELS: &[&str] = &["tid", "tidspunkt", "møtetid", "klokkeslett", "tid og sted", "tid og stad"];
pub const PLACE_LABELS: &[&str] = &["sted", "stad", "møtested", "møtestad", "møterom", "lokale"];

/// Words before a date that make it another date than the meeting's (`Publisert`,
/// `Neste møte`, `Forfall meldes ... innen`).
pub const OTHER_DATE_WORDS: &[&str] =
    &["publisert", "oppdatert", "innen", "innan", "frist", "neste møte", "neste nettverksmøte", "sendt", "utsendt", "forrige møte", "godkjent"];

/// Lines that close the body of the last item: the next meeting, greetings, signatures,
/// a follow-up list.
pub const CLOSING_STARTS: &[&str] = &[
    "neste møte",
    "vel møtt",
    "velkommen til møtet",
    "med vennlig hilsen",
    "med venleg helsing",
    "mvh",
    "oppfølgingspunkter",
    "oppfølgingsliste",
    "aksjonsliste",
    "aksjonspunkter",
    "oppfølging av saker",
    "underskrifter",
    "signaturer",
];

/// Whole lines (headings) that close the body of the last item.
pub const CLOSING_LINES: &[&str] = &["oppfølging", "oppfølgingspunkt", "oppfølgingssaker", "signatur", "underskrift", "vedlegg"];

/// Header cells of a follow-up table (`Hva | Hvem | Frist`): never a participant list.
pub const FOLLOW_UP_HEADERS: &[&str] = &["hva", "kva", "hvem", "kven", "frist", "tiltak", "ansvarlig", "ansvar", "når", "status", "oppfølging"];

/// Header cells of a participant table and the field each names.
pub fn participant_column(header: &str) -> Option<&'static str> {
    let h = header.trim().trim_end_matches(':').to_lowercase();
    match h.as_str() {
        "navn" | "namn" => Some("name"),
        "institusjon" | "organisasjon" | "virksomhet" | "arbeidsstad" | "arbeidssted" | "representerer" | "enhet" | "eining" | "foretak" => Some("institution"),
        "rolle" | "funksjon" | "kategori" | "verv" | "tittel" | "stilling" => Some("role"),
        _ => None,
    }
}

/// Word stems that mark an organisation or unit, not a person, in a comma list
/// (`Helse Nordvest RHF`, `Programkontoret KlinNord`, `Forskingsseksjonen`).
pub const UNIT_STEMS: &[&str] = &[
    "hf",
    "rhf",
    "as",
    "asa",
    "universitet",
    "høgskule",
    "høgskole",
    "høyskole",
    "sykehus",
    "sjukehus",
    "hospital",
    "helse",
    "institutt",
    "fakultet",
    "avdeling",
    "seksjon",
    "klinikk",
    "kontor",
    "enhet",
    "eining",
    "senter",
    "senteret",
    "kommune",
    "fylke",
    "direktorat",
    "departement",
    "utvalg",
    "utval",
    "råd",
    "forening",
    "foreining",
    "forbund",
    "nettverk",
    "program",
    "sekretariat",
    "foretak",
    "stab",
    "ledelse",
    "leiing",
    "administrasjon",
    "forskningsrådet",
    "forskingsrådet",
    "fhi",
    "uio",
    "uib",
    "ntnu",
    "uit",
    "nmbu",
    "oslomet",
    "ous",
    "hus",
    "unn",
    "sus",
];

/// Verbs that make an unlabelled one-sentence item body a decision in text without
/// formatting (`Referatet ble godkjent.`): a guess, reported as such.
pub const DECISION_VERBS: &[&str] = &[
    "godkjent",
    "godkjennes",
    "godkjend",
    "godkjende",
    "vedtatt",
    "vedtas",
    "vedteke",
    "tatt til orientering",
    "tas til orientering",
    "teke til orientering",
    "tek til orientering",
    "til etterretning",
];

/// The participant group a label names, if any: `Til stede:`, `Forfall`,
/// `Sekretariat:` (the label text without its colon).
pub fn participant_group(label: &str) -> Option<ParticipantGroup> {
    let l = label.trim().trim_end_matches(':').trim().to_lowercase();
    PARTICIPANT_LABELS.iter().find(|(w, _)| *w == l).map(|(_, g)| *g)
}

/// The group a participant table's title names: `Faste medlemmer og observatører`,
/// `Inviterte deltakere`, `Forfall`, `Sekretariatet 2025`.
pub fn group_of_title(title: &str) -> Option<ParticipantGroup> {
    let l = title.to_lowercase();
    if l.contains("forfall") || l.contains("fravær") || l.contains("ikke til stede") {
        Some(ParticipantGroup::Absent)
    } else if l.contains("sekretariat") || l.contains("referent") || l.contains("sekretær") {
        Some(ParticipantGroup::Secretariat)
    } else if l.contains("andre til stede")
        || l.contains("invitert")
        || l.contains("gjest")
        || l.contains("administrasjon")
        || l.contains("observatør") && !l.contains("medlem")
    {
        Some(ParticipantGroup::Invited)
    } else if ["medlem", "tilstede", "til stede", "til stades", "deltakere", "deltakarar", "møtende", "innkalt"].iter().any(|w| l.contains(w)) {
        Some(ParticipantGroup::Members)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_matches_its_cue() {
        for (t, n) in [
            ("Sak 33/25 Godkjenning", "33/25"),
            ("Sak nr. 1/07 Godkjenning", "1/07"),
            ("Sak 14-2025 Godkjenning", "14-2025"),
            ("O-sak 03/14 Orientering", "03/14"),
            ("Saksnr. 2025/412 Godkjenning", "2025/412"),
            ("Sak 3: Budsjett", "3"),
        ] {
            assert_eq!(sak_item().captures(t).map(|c| c[1].to_string()).as_deref(), Some(n), "{t}");
        }
        assert!(!sak_item().is_match("Saken ble drøftet"));
        assert_eq!(series_item().captures("FU 7/25 Godkjenning").map(|c| c[1].to_string()).as_deref(), Some("FU 7/25"));
        assert_eq!(bare_item().captures("18/25      Godkjenning").map(|c| c[1].to_string()).as_deref(), Some("18/25"));
        assert!(!bare_item().is_match("2024-2025 Plan"));
        assert!(numbered_item().is_match("1. Godkjenning av innkalling"));
        assert!(roman_part().is_match("II. Orienteringssaker") && !roman_part().is_match("Innkalling og saksliste"));
        for t in ["Vedtak:", "Vedtak", "Forslag til vedtak: Innkallingen godkjennes.", "Styrets vedtak: X", "Konklusjon: X", "Framlegg til vedtak:"] {
            assert!(decision_label().is_match(t), "{t}");
        }
        assert!(!decision_label().is_match("Vedtaket ble enstemmig"));
        assert!(hour_range().is_match("kl. 10-15") && !roman_part().is_match("I dag ble saken drøftet"));
        assert!(time_range().is_match("kl. 09.00–13.30") && time_range().is_match("Tid: 09:30-14:30"));
        assert!(is_place_date("Fjordvik, 14. mars 2025") && is_place_date("Nordvik, 28. mai 2025"));
        assert!(!is_place_date(&format!("{}, 14. mars 2025", "Lang stadnamn ".repeat(4))));
        assert!(date().is_match("9. april 2025") && date().is_match("14.03.2025"));
        assert_eq!(participant_group("Til stades:"), Some(ParticipantGroup::Members));
        assert_eq!(participant_group("Andre til stede"), Some(ParticipantGroup::Invited));
        assert_eq!(participant_group("Kopi"), None);
    }
}
