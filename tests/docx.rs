//! The DOCX reader: corpus documents into lines and tables, synthetic
//! packages for the cases the corpus lacks, and malformed input.

use std::io::{Cursor, Write};

use planparse::docx::{self, DocxError};
use planparse::layout::{Block, LayoutDocument, Line, Table, TableOrigin};
use planparse::model::SourceFormat;

const CORPUS: [&str; 5] = ["hlk-2021-2025", "krn-2020-2022", "hmn-2023-2026", "nsg-referat-2025-11-27", "klinbeforsk-2016-2018"];

fn corpus(name: &str) -> LayoutDocument {
    let path = format!("{}/corpus/{name}.docx", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    docx::read_with(&bytes, docx::MAX_PART_BYTES, &planparse::segment::vocab::LAYOUT_CUES).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Lines outside tables.
fn body_lines(doc: &LayoutDocument) -> Vec<&Line> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Line(l) => Some(l),
            Block::Table(_) => None,
        })
        .collect()
}

fn tables(doc: &LayoutDocument) -> Vec<&Table> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Line(_) => None,
        })
        .collect()
}

/// Every line, table cells included, in reading order.
fn all_lines(doc: &LayoutDocument) -> Vec<&Line> {
    let mut out = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Line(l) => out.push(l),
            Block::Table(t) => {
                for row in &t.rows {
                    for cell in &row.cells {
                        out.extend(cell.lines.iter());
                    }
                }
            }
        }
    }
    out
}

fn line<'d>(lines: &[&'d Line], prefix: &str) -> &'d Line {
    lines.iter().copied().find(|l| l.text.starts_with(prefix)).unwrap_or_else(|| panic!("no line starts with {prefix:?}"))
}

#[test]
fn every_corpus_docx_reads_into_lines_and_tables() {
    for name in CORPUS {
        let doc = corpus(name);
        assert_eq!(doc.format, SourceFormat::Docx, "{name}");
        assert_eq!(doc.table_source, "docx", "{name}");
        assert!(doc.pages.is_empty(), "{name}");
        assert!(doc.declared_title.is_some(), "{name}: core title");
        assert!(body_lines(&doc).len() >= 10, "{name}: lines");
        let tables = tables(&doc);
        assert!(!tables.is_empty(), "{name}: tables");
        for t in tables {
            assert_eq!(t.origin, TableOrigin::Docx);
            assert!(t.pages.is_empty());
            let width = t.rows.first().map_or(0, |r| r.cells.len());
            assert!(t.rows.iter().all(|r| r.cells.len() == width), "{name}: ragged table");
        }
        for l in all_lines(&doc) {
            assert_eq!(l.text.trim(), l.text, "{name}: untrimmed line");
            assert!(!l.text.is_empty(), "{name}: empty line");
            assert!(l.page.is_none() && l.bbox.is_none());
        }
    }
}

#[test]
fn core_title_is_the_declared_title() {
    assert_eq!(corpus("hlk-2021-2025").declared_title.as_deref(), Some("Handlingsplan forskning HLK 2021-2025"));
}

#[test]
fn hlk_goals_objectives_and_actions_take_labels_from_numbering() {
    let doc = corpus("hlk-2021-2025");
    let body = body_lines(&doc);
    // Hovedmål: "%1)" decimal, sub-points "%2." lower letter.
    assert!(line(&body, "1) Arbeide for å samle").heading.is_none());
    line(&body, "2) Sørge for at ledere måles");
    let sub = line(&body, "a. Antall publiserte artikler");
    line(&body, "d. Antall nye kliniske studier");
    assert!(sub.indent > line(&body, "2) Sørge").indent);
    // Goals are numbered paragraphs in a style based on Heading 1.
    for (n, start) in [(1, "Styrke satsingen"), (2, "Styrke translasjonsforskning"), (5, "Sikre forskningsvirksomheten")] {
        let goal = line(&body, &format!("{n}. {start}"));
        assert_eq!(goal.heading, Some(1), "goal {n}");
        assert!(goal.bold);
    }
    // Objectives restart at "a." under every goal (one list instance each).
    assert_eq!(body.iter().filter(|l| l.text.starts_with("a. ")).count(), 6);
    line(&body, "a. Stimulere til godt samspill");
    let fra = line(&body, "Fra strategien:");
    assert!(fra.bold && fra.italic);

    let all = all_lines(&doc);
    let action = line(&all, "i. Avdelingsledere skal planlegge");
    assert!(!action.bullet);
    let sub_bullet = line(&all, "o Prioritere kliniske studier");
    assert!(sub_bullet.bullet);
    assert!(sub_bullet.indent > action.indent);
    // The action list continues past its "o" items.
    line(&all, "ii. Forbedre prosesser og kompetanse");
    line(&all, "iv. Legge til rette for pragmatiske studier, se definisjon,");
    // Upper-roman lists in 2a and 2c.
    line(&all, "I. Stimulere til godt samspill");
    line(&all, "IV. Arbeide for samling");
    let indicator = line(&all, "• Økt antall pågående kliniske behandlingsstudier");
    assert!(indicator.bullet);
    // The soft hyphen of 'undervisnings-arealer' is kept for the normalizer.
    assert!(all.iter().any(|l| l.text.contains("undervisnings\u{AD}arealer")));
}

#[test]
fn hlk_measure_codes_are_the_first_column_of_header_tables() {
    let doc = corpus("hlk-2021-2025");
    let tables = tables(&doc);
    assert_eq!(tables.len(), 5);
    let mut codes = Vec::new();
    for t in &tables {
        let head = &t.rows[0];
        assert!(head.header);
        let texts = head.texts();
        assert_eq!((texts[0].as_str(), texts[2].as_str()), ("", "Hovedansvar"));
        assert!(texts[1].starts_with("Hovedtiltak:"), "{texts:?}");
        for row in &t.rows[1..] {
            assert!(!row.header);
            codes.push(row.cells[0].text());
        }
    }
    assert_eq!(codes, ["1a", "1b", "2a", "2b", "2c", "2d", "3", "4a", "4b", "4c", "5"]);
    // Responsibility lines after an empty paragraph carry the gap.
    let first = &tables[0].rows[1].cells[2];
    assert_eq!(first.text(), "Avd. ledere Klinikkleder");
    assert!(first.lines.iter().all(|l| l.space_before == 1.0));
}

#[test]
fn krn_tables_mark_their_repeated_header_rows() {
    let doc = corpus("krn-2020-2022");
    let tables = tables(&doc);
    assert_eq!(tables.len(), 5);
    for t in &tables {
        let head = &t.rows[0];
        assert!(head.header);
        assert_eq!(head.texts(), ["Referanse til punkt forskningsstrategien:", "Hovedtiltak 2020-2022 og resultatindikatorer", "Hovedansvarlig"]);
        assert!(t.rows[1..].iter().all(|r| !r.header));
    }
    let body = body_lines(&doc);
    for n in 1..=5 {
        assert_eq!(line(&body, &format!("Hovedmål {n}:")).heading, Some(1));
    }
    let all = all_lines(&doc);
    // 2f/2g share a row whose action list starts at II. (a start override).
    let row = tables.iter().flat_map(|t| &t.rows).find(|r| r.cells[0].text().starts_with("2f ")).expect("2f row");
    let actions: Vec<&str> = row.cells[1].lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(actions[0], "Hovedtiltak:");
    assert!(actions[1].starts_with("II. Jobbe for å implementere"), "{actions:?}");
    assert!(actions[3].starts_with("IV. Støtte til etablering"));
    line(&all, "V. Klinikken viderefører en felles halvårlig arena");
    assert!(all.iter().any(|l| l.text.contains("forsknings\u{AD}gruppeledere")));
}

#[test]
fn nsg_participant_tables_have_name_institution_category_rows() {
    let doc = corpus("nsg-referat-2025-11-27");
    let tables = tables(&doc);
    assert_eq!(tables.len(), 4);
    let members = tables[0];
    assert_eq!(members.rows.len(), 17);
    assert!(members.rows[0].header);
    assert_eq!(members.rows[0].texts(), ["Navn", "Institusjon", "Kategori"]);
    assert_eq!(members.rows[1].texts(), ["Gunbjørg Svineng", "UiT Norges arktiske universitet", "Leder 2025"]);
    assert!(members.rows.iter().all(|r| r.cells.len() == 3));
    // Invited guests without a category keep the empty third cell.
    let invited = tables[1];
    assert!(!invited.rows[0].header);
    assert_eq!(invited.rows[0].texts(), ["Björn Inge Gustafsson", "NTNU (sak 37)", ""]);
    assert_eq!(tables[3].rows[0].texts(), ["Navn", "Institusjon", "Kategori"]);
}

#[test]
fn nsg_bullets_are_flagged_and_nested_bullets_indented() {
    let doc = corpus("nsg-referat-2025-11-27");
    let body = body_lines(&doc);
    assert_eq!(line(&body, "Referat – Nasjonal samarbeidsgruppe").heading, Some(1));
    let item = line(&body, "Sak 33/25 Godkjenning av innkalling");
    assert_eq!(item.heading, Some(2));
    let bullet = line(&body, "• Godkjenning av innkalling");
    assert!(bullet.bullet);
    let outer = line(&body, "• Behov for:");
    let inner = line(&body, "o felles strategier og prioriteringer");
    assert!(outer.bullet && inner.bullet);
    assert!(inner.indent > outer.indent);
    let decision = line(&body, "Vedtak: Innkallingen godkjennes.");
    assert!(decision.italic && !decision.bullet);
    // "Dato: " is bold, the date is not: the line is not bold.
    assert!(!line(&body, "Dato: 27.11.2025").bold);
    assert!(body.iter().filter(|l| l.bullet).count() > 60);
}

#[test]
fn hmn_footnotes_follow_the_body_with_their_numbers() {
    let doc = corpus("hmn-2023-2026");
    let body = body_lines(&doc);
    let n = body.len();
    assert_eq!(body[n - 2].text, "1 Regional utviklingsplan 2023-2026");
    assert_eq!(body[n - 1].text, "2 Nasjonal handlingsplan for kliniske studier 2021-2025");
    assert_eq!(body[n - 2].space_before, 1.0);
    // The reference mark is not glued into the text.
    let citing = line(&body, "Regional handlingsplan for forskning bygger på");
    assert!(citing.text.contains("Regional utviklingsplan 2023-2026 og Nasjonal"), "{}", citing.text);
    // Sub-areas numbered "%1.%2." by a two-level list.
    line(&body, "1.1. Økte muligheter for pasienter");
    line(&body, "1.9. Økt samarbeid om kliniske studier");
    assert_eq!(line(&body, "Innsatsområde 1.1 Økte muligheter").heading, Some(3));
    let tables = tables(&doc);
    assert_eq!(tables.len(), 15);
    assert!(tables.iter().all(|t| t.rows[0].header && t.rows[0].texts() == ["Tiltak", "Ansvar"]));
}

#[test]
fn klinbeforsk_line_breaks_split_lines_and_award_tables_keep_their_rows() {
    let doc = corpus("klinbeforsk-2016-2018");
    let all = all_lines(&doc);
    let i = all.iter().position(|l| l.text == "Akershus").expect("Akershus");
    assert_eq!(all[i + 1].text, "universitetssykehus");
    let awards: Vec<&Table> = tables(&doc).into_iter().filter(|t| t.rows[0].cells.first().is_some_and(|c| c.text() == "PROSJEKT")).collect();
    let rows: Vec<usize> = awards.iter().map(|t| t.rows.len() - 1).collect();
    assert_eq!(rows, [7, 8, 7]);
    assert!(awards.iter().all(|t| t.rows[0].header && t.rows[0].cells.len() == 4));
    assert!(doc.warnings.iter().any(|w| w.code == "docx_figure_skipped"));
}

// ---- synthetic packages ----

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn package(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, content) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn document(body: &str) -> String {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#)
}

fn texts(doc: &LayoutDocument) -> Vec<String> {
    all_lines(doc).iter().map(|l| l.text.clone()).collect()
}

#[test]
fn not_a_zip_is_not_docx() {
    let err = docx::read(b"%PDF-1.7 this is no zip").unwrap_err();
    assert!(matches!(err, DocxError::NotDocx(_)), "{err}");
    assert!(matches!(docx::read(&[]), Err(DocxError::NotDocx(_))));
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    let err = docx::read(&ole).unwrap_err();
    assert!(err.to_string().contains("OLE"), "{err}");
}

#[test]
fn zip_without_main_document_is_not_docx() {
    let bytes = package(&[("word/styles.xml", "<w:styles/>"), ("hello.txt", "hi")]);
    let err = docx::read(&bytes).unwrap_err();
    assert!(matches!(err, DocxError::NotDocx(_)), "{err}");
    assert!(err.to_string().contains("word/document.xml"), "{err}");
}

#[test]
fn malformed_main_document_is_corrupt() {
    let bytes = package(&[("word/document.xml", &format!(r#"<w:document xmlns:w="{W}"><w:body><w:p></w:body>"#))]);
    assert!(matches!(docx::read(&bytes), Err(DocxError::Corrupt(_))));
    let deep = format!(r#"<w:document xmlns:w="{W}">{}"#, "<w:p>".repeat(100_000));
    let bytes = package(&[("word/document.xml", &deep)]);
    assert!(matches!(docx::read(&bytes), Err(DocxError::Corrupt(_))));
}

#[test]
fn damaged_corpus_files_never_panic() {
    let path = format!("{}/corpus/nsg-referat-2025-11-27.docx", env!("CARGO_MANIFEST_DIR"));
    let good = std::fs::read(path).unwrap();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..200 {
        let mut bytes = good.clone();
        match next() % 3 {
            0 => bytes.truncate((next() as usize) % good.len()),
            _ => {
                for _ in 0..1 + next() % 8 {
                    let i = (next() as usize) % bytes.len();
                    bytes[i] ^= (next() % 255 + 1) as u8;
                }
            }
        }
        let _ = docx::read(&bytes);
    }
}

#[test]
fn mangled_document_xml_never_panics() {
    let path = format!("{}/corpus/hlk-2021-2025.docx", env!("CARGO_MANIFEST_DIR"));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut parts = Vec::new();
    for name in ["word/document.xml", "word/numbering.xml", "word/styles.xml"] {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
        parts.push((name, text.into_bytes()));
    }
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..120 {
        let mut mangled = parts.clone();
        let (_, target) = &mut mangled[round % 3];
        for _ in 0..1 + next() % 4 {
            let at = (next() as usize) % target.len();
            let len = ((next() % 64) as usize).min(target.len() - at);
            match next() % 3 {
                0 => {
                    target.drain(at..at + len);
                }
                1 => {
                    let copy: Vec<u8> = target[at..at + len].to_vec();
                    let to = (next() as usize) % target.len();
                    target.splice(to..to, copy);
                }
                _ => target[at] = b"<>/\"=0-9 "[(next() % 8) as usize],
            }
        }
        let text: Vec<(&str, String)> = mangled.iter().map(|(n, b)| (*n, String::from_utf8_lossy(b).into_owned())).collect();
        let refs: Vec<(&str, &str)> = text.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let _ = docx::read(&package(&refs));
    }
}

#[test]
fn tracked_changes_fields_breaks_and_symbols_read_as_printed() {
    let body = r#"
      <w:p><w:r><w:t xml:space="preserve">Kept </w:t></w:r><w:del><w:r><w:delText>deleted </w:delText></w:r></w:del><w:ins><w:r><w:t>inserted</w:t></w:r></w:ins></w:p>
      <w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
      <w:p><w:r><w:t>Dato:</w:t><w:tab/><w:t>27.11</w:t><w:br/><w:t>second</w:t><w:br/><w:br/><w:t>third</w:t></w:r></w:p>
      <w:p><w:r><w:t>under</w:t><w:softHyphen/><w:t>visning og e</w:t><w:noBreakHyphen/><w:t>helse</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r></w:p>
      <w:p/><w:p><w:r><w:t xml:space="preserve">  </w:t></w:r></w:p>
      <w:p><w:hyperlink><w:r><w:t>after two empty paragraphs</w:t></w:r></w:hyperlink></w:p>"#;
    let doc = docx::read(&package(&[("word/document.xml", &document(body))])).unwrap();
    assert_eq!(texts(&doc), ["Kept inserted", "Page 7", "Dato:\t27.11", "second", "third", "under\u{AD}visning og e-helse", "after two empty paragraphs"]);
    let lines = all_lines(&doc);
    assert_eq!(lines[3].space_before, 0.0);
    assert_eq!(lines[4].space_before, 1.0);
    assert_eq!(lines[6].space_before, 2.0);
    assert_eq!(doc.declared_title, None);
}

#[test]
fn headings_and_emphasis_come_from_styles_and_direct_formatting() {
    let styles = format!(
        r#"<w:styles xmlns:w="{W}">
          <w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults>
          <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
          <w:style w:type="paragraph" w:styleId="Overskrift2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
          <w:style w:type="paragraph" w:styleId="Goal"><w:name w:val="Goal"/><w:basedOn w:val="Overskrift2"/></w:style>
          <w:style w:type="paragraph" w:styleId="Quiet"><w:basedOn w:val="Overskrift2"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr><w:rPr><w:b w:val="0"/></w:rPr></w:style>
          <w:style w:type="character" w:styleId="Em"><w:rPr><w:i/></w:rPr></w:style>
        </w:styles>"#
    );
    let body = r#"
      <w:p><w:pPr><w:pStyle w:val="Overskrift2"/></w:pPr><w:r><w:t>Localized heading</w:t></w:r></w:p>
      <w:p><w:pPr><w:pStyle w:val="Goal"/></w:pPr><w:r><w:t>Inherited heading</w:t></w:r></w:p>
      <w:p><w:pPr><w:pStyle w:val="Quiet"/></w:pPr><w:r><w:t>Body text</w:t></w:r></w:p>
      <w:p><w:pPr><w:outlineLvl w:val="3"/></w:pPr><w:r><w:t>Outline level</w:t></w:r></w:p>
      <w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Built-in id without a style</w:t></w:r></w:p>
      <w:p><w:r><w:rPr><w:rStyle w:val="Em"/></w:rPr><w:t>mostly italic</w:t></w:r><w:r><w:t> x</w:t></w:r></w:p>
      <w:p><w:pPr><w:pStyle w:val="Overskrift2"/></w:pPr><w:r><w:rPr><w:b w:val="false"/></w:rPr><w:t>unbolded</w:t></w:r></w:p>"#;
    let doc = docx::read(&package(&[("word/document.xml", &document(body)), ("word/styles.xml", &styles)])).unwrap();
    let lines = all_lines(&doc);
    let got: Vec<(Option<u8>, bool, bool, f32)> = lines.iter().map(|l| (l.heading, l.bold, l.italic, l.font_size)).collect();
    assert_eq!(
        got,
        [
            (Some(2), true, false, 14.0),
            (Some(2), true, false, 14.0),
            (None, false, false, 14.0),
            (Some(4), false, false, 11.0),
            (Some(1), false, false, 11.0),
            (None, false, true, 11.0),
            (Some(2), false, false, 14.0),
        ]
    );
}

#[test]
fn list_counters_follow_word() {
    let numbering = format!(
        r#"<w:numbering xmlns:w="{W}">
          <w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/><w:pPr><w:ind w:left="360"/></w:pPr></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1%2"/><w:pPr><w:ind w:left="720"/></w:pPr></w:lvl>
          </w:abstractNum>
          <w:abstractNum w:abstractNumId="1">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF0B7;"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl>
          </w:abstractNum>
          <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
          <w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
          <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
          <w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num>
        </w:numbering>"#
    );
    let styles = format!(
        r#"<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="Item"><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style></w:styles>"#
    );
    let p = |num: u32, lvl: u32, text: &str| {
        format!(r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    };
    let body = [
        p(1, 0, "one"),
        p(1, 1, "one a"),
        p(1, 1, "one b"),
        r#"<w:p><w:r><w:t>between</w:t></w:r></w:p>"#.to_string(),
        // Another instance of the same list continues it.
        p(2, 0, "two"),
        p(2, 1, "two a"),
        // An instance that overrides its start is a list of its own.
        p(3, 0, "five"),
        p(1, 0, "three"),
        r#"<w:p><w:pPr><w:pStyle w:val="Item"/></w:pPr><w:r><w:t>by style</w:t></w:r></w:p>"#.to_string(),
        r#"<w:p><w:pPr><w:pStyle w:val="Item"/><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr><w:r><w:t>level from paragraph</w:t></w:r></w:p>"#.to_string(),
        p(0, 0, "numbering removed"),
        p(9, 0, "undefined list"),
    ]
    .concat();
    let doc = docx::read(&package(&[("word/document.xml", &document(&body)), ("word/numbering.xml", &numbering), ("word/styles.xml", &styles)])).unwrap();
    assert_eq!(
        texts(&doc),
        [
            "1 one",
            "1a one a",
            "1b one b",
            "between",
            "2 two",
            "2a two a",
            "5 five",
            "3 three",
            "• by style",
            "o level from paragraph",
            "numbering removed",
            "undefined list",
        ]
    );
    let lines = all_lines(&doc);
    assert_eq!((lines[0].indent, lines[1].indent), (18.0, 36.0));
    assert!(lines[8].bullet && lines[9].bullet && !lines[0].bullet);
    assert!(doc.warnings.iter().any(|w| w.code == "docx_list_undefined" && w.message.contains('9')));
}

#[test]
fn table_spans_merges_and_nested_tables_keep_the_grid() {
    let cell = |props: &str, text: &str| format!(r#"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"#);
    let nested = format!(r#"<w:tc><w:p><w:r><w:t>outer</w:t></w:r></w:p><w:tbl><w:tr>{}{}</w:tr></w:tbl></w:tc>"#, cell("", "inner 1"), cell("", "inner 2"));
    let body = format!(
        r#"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
          <w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}</w:tr>
          <w:tr>{}{}{}</w:tr>
          <w:tr>{}{}{}</w:tr>
          <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{}</w:tr>
          <w:tr><w:trPr><w:del/></w:trPr>{}</w:tr>
        </w:tbl>"#,
        cell(r#"<w:gridSpan w:val="2"/>"#, "wide"),
        cell("", "c"),
        cell(r#"<w:vMerge w:val="restart"/>"#, "top"),
        cell("", "b2"),
        cell("", "c2"),
        cell("<w:vMerge/>", ""),
        nested,
        cell("", "c3"),
        cell("", "only"),
        cell("", "deleted row"),
    );
    let doc = docx::read(&package(&[("word/document.xml", &document(&body))])).unwrap();
    let tables = tables(&doc);
    assert_eq!(tables.len(), 1);
    let rows: Vec<(bool, Vec<String>)> = tables[0].rows.iter().map(|r| (r.header, r.texts())).collect();
    assert_eq!(
        rows,
        [
            (true, vec!["wide".to_string(), "".into(), "c".into()]),
            (false, vec!["top".into(), "b2".into(), "c2".into()]),
            (false, vec!["".into(), "outer inner 1 inner 2".into(), "c3".into()]),
            (false, vec!["".into(), "only".into(), "".into()]),
        ]
    );
}

#[test]
fn footnotes_are_numbered_in_reference_order() {
    let body = r#"<w:p><w:r><w:t>See</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r><w:r><w:t xml:space="preserve"> and</w:t></w:r><w:r><w:footnoteReference w:id="3"/></w:r></w:p>"#;
    let notes = format!(
        r#"<w:footnotes xmlns:w="{W}">
          <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
          <w:footnote w:id="3"><w:p><w:r><w:t>no mark run</w:t></w:r></w:p></w:footnote>
          <w:footnote w:id="7"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> first cited</w:t></w:r></w:p></w:footnote>
        </w:footnotes>"#
    );
    let core = r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title> A title </dc:title></cp:coreProperties>"#;
    let doc = docx::read(&package(&[("word/document.xml", &document(body)), ("word/footnotes.xml", &notes), ("docProps/core.xml", core)])).unwrap();
    assert_eq!(texts(&doc), ["See and", "1 first cited", "2 no mark run"]);
    assert_eq!(doc.declared_title.as_deref(), Some("A title"));
}

#[test]
fn damaged_optional_parts_become_warnings() {
    let doc = docx::read(&package(&[
        ("word/document.xml", &document("<w:p><w:r><w:t>text</w:t></w:r></w:p>")),
        ("word/styles.xml", "<w:styles><unclosed></w:styles>"),
    ]))
    .unwrap();
    assert_eq!(texts(&doc), ["text"]);
    assert!(doc.warnings.iter().any(|w| w.code == "docx_part_unreadable" && w.message.contains("styles.xml")));
}

#[test]
fn an_unclosed_field_code_hides_only_its_paragraph() {
    let body = r#"<w:p><w:r><w:t xml:space="preserve">before </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>
      <w:p><w:r><w:t>after</w:t></w:r></w:p>"#;
    let doc = docx::read(&package(&[("word/document.xml", &document(body))])).unwrap();
    assert_eq!(texts(&doc), ["before", "after"]);
    assert!(doc.warnings.iter().any(|w| w.code == "docx_field_unbalanced"));
}

#[test]
fn deeply_nested_tables_and_text_boxes_read_without_overflow() {
    // Close to the nesting cap (7 elements a level): tables in text boxes, 35 deep.
    let mut inner = "<w:p><w:r><w:t>core</w:t></w:r></w:p>".to_string();
    for _ in 0..35 {
        inner = format!("<w:p><w:r><w:pict><w:txbxContent><w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl></w:txbxContent></w:pict></w:r></w:p>");
    }
    let bytes = package(&[("word/document.xml", &document(&inner))]);
    let doc = std::thread::Builder::new().stack_size(2 << 20).spawn(move || docx::read(&bytes)).unwrap().join().expect("no stack overflow").unwrap();
    assert_eq!(texts(&doc), ["core"]);
}
