//! Action plans in text form: rows that a page break cut, with the table
//! header repeated in the middle of a row, and the prose after the table.

use planparse::model::Document;
use planparse::pipeline::{convert_bytes, Options};

fn fixture(name: &str) -> Document {
    let path = format!("{}/tests/fixtures/plans/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    convert_bytes(name, &bytes, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn measure<'a>(doc: &'a Document, label: &str) -> &'a planparse::model::Measure {
    doc.measures.iter().find(|m| m.label.as_deref() == Some(label)).unwrap_or_else(|| panic!("no measure {label}"))
}

#[test]
fn a_row_cut_by_a_page_break_resumes_in_its_columns() {
    let doc = fixture("page-split-rows.txt");
    let labels: Vec<_> = doc.measures.iter().filter_map(|m| m.label.as_deref()).collect();
    assert_eq!(labels, ["1a", "1b"]);
    let a = measure(&doc, "1a");
    // The reference cell continues after the repeated header...
    assert_eq!(a.strategy_refs[0].text, "Etablere felles arenaer for samarbeid på tvers av nivåene.");
    // ...then the measure cell: the action cut by the break is whole again.
    let actions: Vec<_> = a.actions.iter().map(|x| x.text.as_str()).collect();
    assert_eq!(actions, ["Opprette et regionalt forum for forskningsledere og kommunale samarbeidspartnere", "Holde årlige samlinger om felles prosjekter"]);
    assert_eq!(a.indicators, ["Antall samlinger per år", "Antall felles prosjekter"]);
    // The party name cut at the foot of the page and its rest after the row's text.
    assert_eq!(a.responsible, ["Seksjon/FoU-ABC/forskningsgruppeledere"]);
}

#[test]
fn a_strategy_point_after_the_break_joins_the_open_row_with_a_warning() {
    let doc = fixture("page-split-rows.txt");
    let b = measure(&doc, "1b");
    let refs: Vec<_> = b.strategy_refs.iter().map(|r| r.label.as_deref().unwrap_or("")).collect();
    assert_eq!(refs, ["1b", "1c"]);
    assert_eq!(b.actions.len(), 3);
    assert_eq!(b.actions[1].text, "Lage en plan for rekruttering til stipendiatstillinger");
    assert_eq!(b.responsible, ["Klinikk/Avdeling"]);
    assert!(doc.warnings.iter().any(|w| w.code == "row_order_guess" && w.message.contains("1c")), "{:?}", doc.warnings);
}

#[test]
fn headings_wrap_page_numbers_drop_and_prose_after_the_table_is_a_section() {
    let doc = fixture("page-split-rows.txt");
    assert_eq!(doc.sections[0].title, "Bedre samarbeid om forskning mellom sykehus, kommuner og utdanningsinstitusjoner");
    let last = doc.sections.last().expect("sections");
    assert_eq!(last.title, "Oppfølging og rapportering av handlingsplanen");
    assert!(last.text.starts_with("Handlingsplanen følges opp"));
    let b = measure(&doc, "1b");
    assert_eq!(b.indicators, ["Antall nye stipendiater"], "the page number and the prose stay out of the row");
    assert!(doc.warnings.iter().any(|w| w.code == "heading_guess"));
}

/// A plan of another layout: `Nr | Tiltak | Ansvar | Frist` tables under
/// `Mål N:` headings, numbered sections before and after, from Word and from
/// its LibreOffice PDF.
#[test]
fn a_numbered_four_column_plan_keeps_its_codes_and_extra_columns() {
    for name in ["numbered-4col.docx", "numbered-4col.pdf"] {
        let doc = fixture(name);
        assert_eq!(doc.title.as_deref(), Some("Handlingsplan for forskning og innovasjon 2025–2028"), "{name}");
        assert_eq!(doc.organization.as_deref(), Some("Sykehuset Innlandet HF"), "{name}");
        let labels: Vec<&str> = doc.measures.iter().filter_map(|m| m.label.as_deref()).collect();
        assert_eq!(labels.len(), 15, "{name}: {labels:?}");
        assert_eq!((labels[0], labels[14]), ("1.1", "3.5"), "{name}");
        let first = &doc.measures[0];
        assert!(first.text.starts_with("Etablere en ordning") && !first.text.contains("2026"), "{name}: the deadline stays out of the text");
        assert_eq!(first.deadline.as_deref(), Some("2026"), "{name}: the Frist column is the deadline");
        assert!(first.extra.is_empty(), "{name}: {:?}", first.extra);
        assert_eq!(first.responsible, ["Fagdirektør", "Klinikksjefer"], "{name}");
        assert_eq!(doc.measures[1].responsible, ["Forskningsavdelingen"], "{name}");
        // `Mål 1:` does not make `1. Innledning` a table of contents.
        let mut titles = Vec::new();
        fn flat(s: &[planparse::model::Section], out: &mut Vec<String>) {
            for x in s {
                out.push(x.title.clone());
                flat(&x.sections, out);
            }
        }
        flat(&doc.sections, &mut titles);
        assert!(titles.contains(&"Innledning".to_string()) && titles.contains(&"Oppfølging".to_string()), "{name}: {titles:?}");
    }
}

/// A 40-row `Nr | Tiltak | Ansvar` table printed by Chromium over several
/// pages (coded-rows.html → coded-rows.chromium.pdf), and the same PDF through
/// `pdftotext -layout` (columns aligned with spaces, codes of one and two digits).
#[test]
fn coded_rows_from_a_chromium_pdf_and_from_aligned_text_agree() {
    for name in ["coded-rows.chromium.pdf", "coded-rows.layout.txt"] {
        let doc = fixture(name);
        assert_eq!(doc.measures.len(), 40, "{name}");
        for (i, m) in doc.measures.iter().enumerate() {
            assert_eq!(m.label.as_deref(), Some((i + 1).to_string().as_str()), "{name}");
            assert_eq!(m.responsible, ["Klinikkleder", "Forskningsleder"], "{name}: {}", m.id);
            assert_eq!(m.indicators.len(), 1, "{name}: {}", m.id);
            assert!(m.text.starts_with(&format!("Tiltak nummer {}:", i + 1)) && m.text.ends_with("hele regionen."), "{name}: {}", m.text);
        }
        let titles: Vec<&str> = doc.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Kliniske studier", "Oppfølging"], "{name}: a code row is no heading and supersedes none");
    }
}
