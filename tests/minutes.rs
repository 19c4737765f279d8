//! Minutes in other numbering and layout styles than the corpus sample:
//! `Sak nr.` lines with comma lists of participants, `O-sak`/`(B)`/`12-2024`
//! numbering with decisions in quotes and italics, and agenda tables with the
//! decision inside a cell or in its own right-hand column.

use planparse::model::{Document, ParticipantGroup};
use planparse::pipeline::{convert_bytes, Options};

fn convert(name: &str) -> Document {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minutes").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    convert_bytes(name, &bytes, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn items(d: &Document) -> Vec<(String, Option<String>)> {
    d.meeting.as_ref().map(|m| m.items.iter().map(|i| (i.number.clone(), i.decision.clone())).collect()).unwrap_or_default()
}

#[test]
fn sak_nr_lines_with_participant_lists() {
    let d = convert("sak-nr-lists.txt");
    assert_eq!(d.kind.as_str(), "meeting_minutes");
    let m = d.meeting.as_ref().expect("meeting");
    assert_eq!(m.date.as_deref(), Some("2007-06-20"));
    assert_eq!((m.start.as_deref(), m.end.as_deref()), (Some("10:00"), Some("15:00")));
    assert_eq!(m.place.as_deref(), Some("Møterom 3, Hamar"));
    assert_eq!(
        items(&d),
        vec![
            ("1/07".into(), Some("Innkalling og saksliste godkjennes.".into())),
            ("2/07".into(), Some("Utvalget tar orienteringen til etterretning.".into())),
            ("3/07".into(), None),
        ]
    );
    assert_eq!(m.items[1].kind.as_deref(), Some("Orienteringssak"));
    assert_eq!(m.items[1].text, "Forskningssjefen orienterte om budsjettet.\n- Rammen er uendret\n- Fordeling etter søknad");
    let groups: Vec<(&str, ParticipantGroup)> = m.participants.iter().map(|p| (p.name.as_str(), p.group)).collect();
    assert!(groups.contains(&("Kari Nordmann", ParticipantGroup::Members)));
    assert!(groups.contains(&("Anne Berg", ParticipantGroup::Absent)));
    assert!(groups.contains(&("Lise Dahl", ParticipantGroup::Secretariat)));
}

#[test]
fn o_sak_and_letter_kinds_with_quoted_and_italic_decisions() {
    let d = convert("o-sak-protokoll.txt");
    assert_eq!(d.kind.as_str(), "meeting_minutes");
    let m = d.meeting.as_ref().expect("meeting");
    assert_eq!(m.date.as_deref(), Some("2024-03-05"));
    assert_eq!(m.start.as_deref(), Some("09:00"));
    assert_eq!(
        items(&d),
        vec![
            ("03/14".into(), Some("Styret tar saken til orientering.".into())),
            ("5/24".into(), Some("Styret velger Ingrid Solberg som leder for 2025.".into())),
            ("12-2024".into(), Some("Møteplanen for 2025 vedtas som foreslått.".into())),
        ]
    );
    assert_eq!(m.items[1].kind.as_deref(), Some("Beslutningssak"));
}

#[test]
fn agenda_tables_with_decisions_in_cells_and_in_a_right_hand_column() {
    let d = convert("sak-tabell.txt");
    assert_eq!(d.kind.as_str(), "meeting_minutes");
    assert_eq!(
        items(&d),
        vec![
            ("1/24".into(), Some("Referatet godkjennes.".into())),
            ("2/24".into(), Some("Utkastet sendes på høring.".into())),
            ("3/24".into(), None),
            ("4/24".into(), Some("Budsjettet vedtas.".into())),
            ("5/24".into(), Some("Neste møte holdes 10. april.".into())),
        ]
    );
    let m = d.meeting.as_ref().expect("meeting");
    assert_eq!(m.items[0].title, "Godkjenning av referat");
    assert_eq!(m.items[3].title, "Budsjett 2025");
}

/// Word minutes with a `Sak | Merknad | Ansvar` table, from the DOCX and its
/// LibreOffice PDF: items and decisions from the table, the participant lists
/// from the label lines, and the agenda table not mistaken for participants.
#[test]
fn sak_table_minutes_from_word_and_pdf() {
    for name in ["minutes-table.docx", "minutes-table.pdf"] {
        let d = convert(name);
        assert_eq!(d.title.as_deref(), Some("Møtereferat – Forskningsutvalget ved Sykehuset Telemark HF"), "{name}: a title wrapped over three lines");
        let m = d.meeting.as_ref().expect("meeting");
        assert_eq!((m.date.as_deref(), m.start.as_deref(), m.end.as_deref()), (Some("2024-03-14"), Some("09:00"), Some("11:30")), "{name}");
        assert_eq!(
            items(&d),
            vec![
                ("12/24".to_string(), Some("Innkalling og dagsorden godkjennes.".to_string())),
                ("13/24".to_string(), Some("Midlene fordeles etter innstillingen.".to_string())),
                ("14/24".to_string(), Some("Saken tas til orientering.".to_string())),
                ("15/24".to_string(), None),
            ],
            "{name}"
        );
        let names: Vec<(&str, ParticipantGroup)> = m.participants.iter().map(|p| (p.name.as_str(), p.group)).collect();
        assert_eq!(names.len(), 5, "{name}: {names:?}");
        assert!(names.contains(&("Liv Dahl", ParticipantGroup::Absent)) && names.contains(&("Anne Lie", ParticipantGroup::Secretariat)), "{name}: {names:?}");
    }
}

fn people(d: &Document) -> Vec<(String, ParticipantGroup, String)> {
    d.meeting
        .as_ref()
        .map(|m| m.participants.iter().map(|p| (p.name.clone(), p.group, p.institution.clone().unwrap_or_default())).collect())
        .unwrap_or_default()
}

#[test]
fn nynorsk_notice_with_ps_numbers_and_proposed_conclusions() {
    let d = convert("ps-innkalling-nynorsk.txt");
    assert_eq!(d.kind.as_str(), "meeting_minutes", "a notice (innkalling) is minutes too");
    assert_eq!(d.title.as_deref(), Some("Innkalling til møte i forskingsutvalet"));
    let m = d.meeting.as_ref().expect("meeting");
    assert_eq!((m.date.as_deref(), m.start.as_deref(), m.end.as_deref()), (Some("2025-02-06"), Some("10:00"), Some("15:00")));
    assert_eq!(m.place.as_deref(), Some("Møterom Fjellet, Vestkyst sjukehus"));
    assert_eq!(
        items(&d),
        vec![
            ("PS 1/25".into(), Some("Innkalling og sakliste vert godkjend.".into())),
            ("PS 2/25".into(), Some("1. Budsjettet vert godkjent. 2. Utvalet ber om ei ny vurdering i juni.".into())),
            ("PS 3/25".into(), None),
        ]
    );
    assert_eq!((m.items[1].title.as_str(), m.items[1].kind.as_deref()), ("Budsjett for forskingsmidlar 2025", Some("Drøftingssak")));
    assert_eq!(
        people(&d),
        vec![
            ("Kari Hansen".into(), ParticipantGroup::Members, "Kirurgisk klinikk".into()),
            ("Per Olsen".into(), ParticipantGroup::Members, "Medisinsk klinikk".into()),
            ("Lise Berg".into(), ParticipantGroup::Invited, String::new()),
            ("Ola Vik".into(), ParticipantGroup::Invited, String::new()),
        ],
        "`Meldt forfall: Ingen` names nobody; `Kopi:` lists no participant"
    );
    assert_eq!(m.participants[0].role.as_deref(), Some("leiar"));
}

#[test]
fn sak_colon_items_with_board_decisions_and_a_follow_up_table() {
    let d = convert("sak-kolon-referat.txt");
    assert_eq!(d.kind.as_str(), "meeting_minutes");
    let m = d.meeting.as_ref().expect("meeting");
    assert_eq!((m.date.as_deref(), m.start.as_deref(), m.end.as_deref()), (Some("2024-03-12"), Some("09:30"), Some("11:00")));
    assert_eq!(
        items(&d),
        vec![
            ("1".into(), Some("Innkallingen godkjennes.".into())),
            ("2".into(), Some("Styret tar saken til orientering og ber om ny sak i juni.".into())),
            ("3".into(), None),
        ]
    );
    assert!(m.items[1].text.contains("Forslag til vedtak: Styret tar saken til orientering."), "the proposal stays in the text: {}", m.items[1].text);
    assert!(m.items[1].text.contains("Sak 4/23 ble fulgt opp"), "a sentence naming an item is not a heading: {}", m.items[1].text);
    assert_eq!(
        people(&d),
        vec![
            ("Anne Lie".into(), ParticipantGroup::Members, "UNN".into()),
            ("Bjørn Dahl".into(), ParticipantGroup::Members, "UNN".into()),
            ("Cecilie Moe".into(), ParticipantGroup::Members, String::new()),
            ("Dag Nilsen".into(), ParticipantGroup::Absent, String::new()),
            ("Eva Lund".into(), ParticipantGroup::Secretariat, String::new()),
        ],
        "names in the `Hvem` column are not participants; a `Referent:` after the items is"
    );
    assert!(d.tables.iter().any(|t| t.header == ["Hva", "Hvem", "Frist"]), "the follow-up table is a table: {:?}", d.tables);
}

#[test]
fn numbered_items_after_a_numbered_agenda_list() {
    let d = convert("nummerert-saksliste.txt");
    assert_eq!(d.kind.as_str(), "meeting_minutes");
    let m = d.meeting.as_ref().expect("meeting");
    assert_eq!((m.date.as_deref(), m.start.as_deref(), m.end.as_deref()), (Some("2025-03-05"), Some("12:00"), Some("15:00")));
    assert_eq!(
        items(&d),
        vec![
            ("1".into(), Some("Innkallingen ble godkjent.".into())),
            ("2".into(), Some("1. Midlene fordeles etter søknad. 2. Ny utlysning i august.".into())),
            ("3".into(), None),
        ],
        "the numbered agenda list is not the items; numbered decision points are not items"
    );
    assert_eq!(m.items[1].text, "Rådet drøftet fordelingen.");
    assert_eq!(
        people(&d),
        vec![
            ("Kari Hansen".into(), ParticipantGroup::Members, "Hjerteavdelingen".into()),
            ("Per Olsen".into(), ParticipantGroup::Members, "Lungeavdelingen".into()),
            ("Ola Berg".into(), ParticipantGroup::Absent, "Nyreavdelingen".into()),
        ]
    );
}

/// The signatures under the letter's place and date (names in columns with
/// their roles below, as a text export prints them) are no sections.
#[test]
fn signatures_after_the_place_and_date_are_no_sections() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/minutes/fjordvik-styremote-2025-03-14.txt");
    let bytes = std::fs::read(&path).expect("fixture");
    let doc = convert_bytes("fjordvik-styremote-2025-03-14.txt", &bytes, &Options::default()).expect("converts");
    fn titles(s: &[planparse::model::Section], out: &mut Vec<String>) {
        for x in s {
            out.push(x.title.clone());
            titles(&x.sections, out);
        }
    }
    let mut all = Vec::new();
    titles(&doc.sections, &mut all);
    assert!(all.iter().all(|t| !t.contains("styremedlem") && !t.contains("Ola Nygård")), "{all:?}");
    assert_eq!(doc.meeting.as_ref().map(|m| m.items.len()), Some(7));
}
