//! Non-measure tables: ruled participant tables and unruled award tables.

mod common;

#[test]
fn klinbeforsk_award_tables_have_22_rows_of_year_project_leader_institution_amount() {
    let doc = common::convert("klinbeforsk-2016-2018.pdf");
    let awards: Vec<_> = doc.tables.iter().filter(|t| t.title.as_deref().is_some_and(|y| ["2016", "2017", "2018"].contains(&y))).collect();
    let counts: Vec<usize> = awards.iter().map(|t| t.rows.len()).collect();
    assert_eq!(counts, vec![7, 8, 7], "rows per year");
    for t in &awards {
        for row in &t.rows {
            assert_eq!(row.len(), 4, "{row:?}");
            assert!(row[3].parse::<f64>().is_ok(), "amount kept as printed number: {row:?}");
        }
    }
    let first = &awards[0].rows[0];
    assert_eq!(first[0], "The Norwegian Antibiotics for Pneumonia in Children (NAPiC) study");
    assert_eq!(first[1], "Håvard Ove Skjerven");
    assert_eq!(first[2], "Oslo universitetssykehus HF");
    assert_eq!(first[3], "19.3");
}

#[test]
fn participant_tables_keep_three_cells_and_drop_repeated_headers() {
    for name in ["nsg-referat-2025-11-27.pdf", "nsg-referat-2025-11-27.chromium.pdf", "nsg-referat-2025-11-27.docx", "nsg-referat-2025-11-27.txt"] {
        let doc = common::convert(name);
        let members =
            doc.tables.iter().find(|t| t.title.as_deref() == Some("Faste medlemmer og observatører")).unwrap_or_else(|| panic!("{name}: members table"));
        assert_eq!(members.header, vec!["Navn", "Institusjon", "Kategori"], "{name}");
        assert_eq!(members.rows.len(), 16, "{name}");
        assert!(members.rows.iter().all(|r| r.len() == 3 && r[0] != "Navn"), "{name}: header once, three cells");
    }
}

#[test]
fn no_page_number_or_running_header_inside_any_cell() {
    for name in common::corpus_files(".pdf") {
        let doc = common::convert(&name);
        for t in &doc.tables {
            for row in &t.rows {
                for cell in row {
                    assert!(!cell.contains("Side ") || !cell.contains(" av "), "{name}: page number in {cell:?}");
                }
            }
        }
        for m in &doc.measures {
            for r in &m.responsible {
                assert!(r.parse::<u32>().is_err(), "{name}: page number as a party in {}", m.id);
            }
        }
    }
}

#[test]
fn a_member_list_of_name_and_title_lines_becomes_a_table_in_pdf_and_text() {
    for name in ["klinbeforsk-2016-2018.pdf", "klinbeforsk-2016-2018.txt"] {
        let doc = common::convert(name);
        let board = doc.tables.iter().find(|t| t.header == ["Navn", "Tittel"]).unwrap_or_else(|| panic!("{name}: member table"));
        assert_eq!(board.title.as_deref(), Some("Programstyre 2018"), "{name}");
        assert_eq!(board.rows.len(), 8, "{name}");
        assert_eq!(board.rows[2], ["ØYSTEIN KRÜGER (leder)", "Avdelingsdirektør forskning og innovasjon, Helse Sør-Øst RHF"], "{name}");
        assert!(doc.warnings.iter().any(|w| w.code == "table_guess"), "{name}: the guess is reported");
        // The names are table cells, not section headings.
        assert!(!doc.sections.iter().any(|s| s.title == "EINAR BUGGE"), "{name}");
    }
}

#[test]
fn a_two_column_page_reads_each_column_whole() {
    let doc = common::convert("klinbeforsk-2016-2018.pdf");
    let titles: Vec<&str> = doc.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(&titles[..3], ["PROGRAMBAKGRUNN", "HVA ER KLINISK BEHANDLINGSFORSKNING?", "PROGRAMSTYRE"]);
    let side = &doc.sections[1].text;
    assert!(side.starts_with("Klinisk behandlingsforskning omfatter inklusjon av pasienter og har som formål"), "{side}");
}

#[test]
fn a_docx_page_laid_out_with_a_table_gives_the_pdf_structure() {
    let pdf = common::convert("klinbeforsk-2016-2018.pdf");
    let docx = common::convert("klinbeforsk-2016-2018.docx");
    // Titles in document order (levels may differ: DOCX styles say level 2 where the PDF has none).
    fn flat(sections: &[planparse::model::Section], out: &mut Vec<String>) {
        for s in sections {
            out.push(planparse::text::clean(&s.title));
            flat(&s.sections, out);
        }
    }
    let titles = |d: &planparse::model::Document| {
        let mut out = Vec::new();
        flat(&d.sections, &mut out);
        out
    };
    assert_eq!(titles(&docx), titles(&pdf));
    let board = docx.tables.iter().find(|t| t.header == ["Navn", "Tittel"]).expect("member table from the layout table's cell");
    assert_eq!(board.rows.len(), 8);
    assert!(docx.warnings.iter().any(|w| w.code == "layout_table"));
}

#[test]
fn award_tables_flattened_into_text_are_rebuilt_as_rows() {
    let doc = common::convert("klinbeforsk-2016-2018.txt");
    let awards: Vec<&Vec<String>> = doc.tables.iter().filter(|t| t.header != ["Navn", "Tittel"]).flat_map(|t| &t.rows).collect();
    assert_eq!(awards.len(), 22);
    assert!(awards.iter().all(|r| r.len() == 4 && r[3].parse::<f64>().is_ok()), "{awards:?}");
    assert_eq!(
        *awards[3],
        ["PRevention of cArdiac Dysfunction during Adjuvant breast cancer therapy (PRADA-2)", "Torbjørn Omland", "Akershus universitetssykehus HF", "20.0"]
    );
    assert_eq!(awards[6][1], "Ellisiv B. Mathiesen", "a name run into the project's line");
    assert_eq!(awards[12][1], "Henrik Hjorth-Hansen", "a name wrapped at its hyphen");
    assert!(doc.warnings.iter().any(|w| w.code == "table_guess" && w.message.contains("flattened")));
}
