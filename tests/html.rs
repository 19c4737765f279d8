//! Web pages as input: the corpus pages give what their Word form gives, page
//! furniture stays out, encodings and character references decode, lists,
//! tables and footnote marks read as printed, and what is not HTML fails
//! with a clear error.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use planparse::html;
use planparse::layout::{Block, LayoutDocument, Table};
use planparse::model::{Document, SourceFormat};
use planparse::pipeline::{convert_bytes, layout_bytes, ConvertError, Options};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html").join(name)
}

fn convert_fixture(name: &str) -> Document {
    let bytes = std::fs::read(fixture(name)).expect("fixture");
    convert_bytes(name, &bytes, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The layout of a fixture page.
fn read_fixture(name: &str) -> LayoutDocument {
    let bytes = std::fs::read(fixture(name)).expect("fixture");
    html::read(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The first table of a layout.
fn first_table(doc: &LayoutDocument) -> &Table {
    doc.blocks.iter().find_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).expect("a table")
}

fn page(html: &str) -> LayoutDocument {
    html::read(html.as_bytes()).expect("reads as HTML")
}

/// The printed lines of a layout, tables as `a | b | c` rows.
fn lines(doc: &LayoutDocument) -> Vec<String> {
    let mut out = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::Line(l) => out.push(l.text.clone()),
            Block::Table(t) => out.extend(t.rows.iter().map(|r| r.texts().join(" | "))),
        }
    }
    out
}

fn codes(doc: &LayoutDocument) -> Vec<&str> {
    doc.warnings.iter().map(|w| w.code.as_str()).collect()
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_planparse"))
}

#[test]
fn corpus_pages_give_what_their_word_files_give() {
    for base in ["hlk-2021-2025", "krn-2020-2022", "hmn-2023-2026", "nsg-referat-2025-11-27"] {
        let web = common::convert(&format!("{base}.html"));
        let word = common::convert(&format!("{base}.docx"));
        assert_eq!(web.source.format, SourceFormat::Html, "{base}");
        assert_eq!(web.title, word.title, "{base}: title");
        assert_eq!(web.kind, word.kind, "{base}: kind");
        assert_eq!(web.measures, word.measures, "{base}: measures");
        assert_eq!(web.sections, word.sections, "{base}: sections");
        assert_eq!(web.meeting, word.meeting, "{base}: meeting");
        assert_eq!(web.tables, word.tables, "{base}: tables");
    }
}

#[test]
fn corpus_pages_keep_their_list_labels_and_header_rows() {
    let bytes = std::fs::read(common::corpus().join("hlk-2021-2025.html")).expect("corpus page");
    let doc = html::read(&bytes).expect("reads");
    let text = lines(&doc);
    // `@counter-style paren` (suffix ") "), then `list-style-type: lower-alpha`.
    assert!(text.iter().any(|l| l.starts_with("1) Arbeide for å samle")), "{text:#?}");
    assert!(text.iter().any(|l| l == "b. Antall doktorgrader"), "{text:#?}");
    let table = first_table(&doc);
    assert!(table.rows[0].header && !table.rows[1].header, "the thead row is the header");
    assert_eq!(table.rows[0].texts(), ["", "Hovedtiltak:", "Hovedansvar"]);
}

#[test]
fn web_minutes_with_site_furniture_match_their_gold() {
    let doc = convert_fixture("norsmerte-nettverksmote-2025-06-03.html");
    let gold: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("norsmerte-nettverksmote-2025-06-03.gold.json")).expect("gold")).expect("json");
    assert_eq!(doc.title.as_deref(), gold["title"].as_str());
    let meeting = doc.meeting.as_ref().expect("minutes");
    let gold_items = gold["meeting"]["items"].as_array().expect("items");
    assert_eq!(meeting.items.len(), gold_items.len());
    for (item, want) in meeting.items.iter().zip(gold_items) {
        assert_eq!(item.number, want["number"].as_str().unwrap_or_default());
        assert_eq!(item.title, want["title"].as_str().unwrap_or_default());
        assert_eq!(item.decision.as_deref(), want["decision"].as_str(), "decision of {}", item.number);
    }
    let all = serde_json::to_string(&doc).expect("serializes");
    for chrome in ["Hopp til hovedinnhold", "Brødsmulesti", "Om nettverket", "Personvernerklæring", "Sist oppdatert", "post@norsmerte.no"] {
        assert!(!all.contains(chrome), "page furniture {chrome:?} in the output");
    }
}

#[test]
fn main_content_is_found_by_text_density_without_main_or_article() {
    let doc = read_fixture("site-without-main.html");
    let text = lines(&doc);
    assert_eq!(text.first().map(String::as_str), Some("Tiltaksplan for forskning 2024–2026"));
    for chrome in
        ["Gå til hovedinnhold", "Forside", "informasjonskapsler", "Forskningsstøtte", "Postboks", "Del siden", "Sist oppdatert", "Skjult tekst", "tracking"]
    {
        assert!(!text.iter().any(|l| l.contains(chrome)), "{chrome:?} read as content: {text:#?}");
    }
    assert!(codes(&doc).contains(&"html_main_by_density"));
    assert!(codes(&doc).contains(&"html_furniture_lines"));
    assert_eq!(doc.declared_title.as_deref(), Some("Tiltaksplan for forskning 2024–2026"), "the first heading, not the <title>");
}

#[test]
fn character_references_nbsp_and_soft_hyphens_decode() {
    let text = lines(&read_fixture("site-without-main.html"));
    assert!(text.contains(&"Planen følger opp forskningsstrategien og gjelder alle klinikker i foretaket.".to_string()), "{text:#?}");
    assert!(text.iter().any(|l| l.starts_with("Den ble vedtatt av direktørens ledergruppe, og skal rulleres årlig.")));
    assert!(text.iter().any(|l| l.contains("forskningsinfrastruktur, rekruttering")), "soft hyphen and &#x2C;: {text:#?}");
}

#[test]
fn footnote_marks_leave_the_text_and_label_their_notes() {
    let doc = read_fixture("site-without-main.html");
    let text = lines(&doc);
    assert!(text.iter().any(|l| l.ends_with("forskningsstrategien og gjelder alle klinikker i foretaket.")));
    assert!(text.contains(&"1 Forskningsstrategi for Sykehuset Innlandet 2021–2030".to_string()), "{text:#?}");
    assert!(codes(&doc).contains(&"html_note_marks"));
}

#[test]
fn line_breaks_and_empty_paragraphs_shape_lines() {
    let doc = page("<p>Kontakt:<br>Forskningsavdelingen<br><br>post@example.org</p><p><br></p><p>Neste</p>");
    let got: Vec<(String, f32)> =
        doc.blocks.iter().filter_map(|b| if let Block::Line(l) = b { Some((l.text.clone(), l.space_before)) } else { None }).collect();
    let want = [("Kontakt:", 0.0), ("Forskningsavdelingen", 0.0), ("post@example.org", 1.0), ("Neste", 1.0)];
    assert_eq!(got, want.map(|(t, s)| (t.to_string(), s)));
}

#[test]
fn headings_carry_their_level_and_css_makes_bold_and_size() {
    let doc = page(
        "<style>.goal { font-weight: bold; font-size: 12pt } p { font-size: 11pt }</style><h1>Plan</h1><h3>Innsatsområder</h3><p class=\"goal\">Mål</p><p>Brødtekst</p>",
    );
    let l: Vec<_> = doc.blocks.iter().filter_map(|b| if let Block::Line(l) = b { Some(l) } else { None }).collect();
    assert_eq!(l.iter().map(|l| l.heading).collect::<Vec<_>>(), [Some(1), Some(3), None, None]);
    assert!(l[2].bold && (l[2].font_size - 12.0).abs() < 0.01);
    assert!(!l[3].bold && (l[3].font_size - 11.0).abs() < 0.01);
}

#[test]
fn lists_print_their_numbering() {
    let text = lines(&read_fixture("site-without-main.html"));
    let want = [
        "c. Styrke veiledning av stipendiater",
        "g. Etablere felles biobank",
        "h. Utvide samarbeid med universitetet",
        "◦ felles stillinger",
        "◦ felles seminarer",
        "3. Tre",
        "2. To",
        "1. En",
    ];
    let start = text.iter().position(|l| l == want[0]).expect("list");
    assert_eq!(&text[start..start + want.len()], want);
    let styled = lines(&page("<style>@counter-style pref { system: extends decimal; prefix: \"1.\"; suffix: \". \"; }</style><ol style=\"list-style-type:pref\"><li>A</li><li>B</li></ol><ul style=\"list-style-type:'-   '\"><li>C</li></ul><ul style=\"list-style:none\"><li>D</li></ul>"));
    assert_eq!(styled, ["1.1. A", "1.2. B", "- C", "D"]);
}

#[test]
fn spanned_cells_print_once_on_the_grid() {
    let doc = read_fixture("site-without-main.html");
    let table = first_table(&doc);
    let rows: Vec<Vec<String>> = table.rows.iter().map(|r| r.texts()).collect();
    assert_eq!(
        rows,
        [
            vec!["Tiltak", "Ansvar", "Frist"],
            vec!["Rekruttering", "Klinikkleder", "2024"],
            vec!["", "Forskningsleder og HR", ""],
            vec!["Biobank", "Forskningsavdelingen", "2025"],
        ]
    );
    assert_eq!(table.rows.iter().map(|r| r.header).collect::<Vec<_>>(), [true, false, false, false], "a leading row of th heads the table");
}

#[test]
fn declared_windows_1252_decodes() {
    let doc = convert_fixture("windows-1252.html");
    assert_eq!(doc.title.as_deref(), Some("Referat fra styremøte 14. mars 2025"));
    let meeting = doc.meeting.expect("minutes");
    assert_eq!(meeting.place.as_deref(), Some("Møterom «Ærfugl»"));
    assert_eq!(meeting.items[1].title, "Økonomirapport");
    assert!(meeting.items[1].text.contains("2,5 mill. € bedre"));
    assert!(doc.warnings.iter().all(|w| w.code != "html_encoding"), "a declared encoding is no guess");
}

#[test]
fn undeclared_legacy_bytes_read_as_windows_1252_with_a_warning() {
    let doc = html::read(b"<html><body><h1>M\xF8tereferat</h1><p>\xC5rsm\xF8te \x96 vedtak</p></body></html>").expect("reads");
    assert_eq!(lines(&doc), ["Møtereferat", "Årsmøte – vedtak"]);
    assert!(codes(&doc).contains(&"html_encoding"));
    let bom = html::read("\u{FEFF}<p>Ærlig talt</p>".as_bytes()).expect("reads");
    assert_eq!(lines(&bom), ["Ærlig talt"]);
}

#[test]
fn title_falls_back_to_the_title_element_without_the_site_name() {
    let doc = page("<html><head><title>Årsplan for forskning 2025 - Helse Vest</title></head><body><p>Tekst uten overskrift.</p></body></html>");
    assert_eq!(doc.declared_title.as_deref(), Some("Årsplan for forskning 2025"));
    assert!(codes(&doc).contains(&"html_title_from_head"));
}

#[test]
fn html_is_detected_by_extension_and_content() {
    let opts = Options::default();
    let doc = layout_bytes("page.txt", b"<!DOCTYPE html><html><body><p>x</p></body></html>", &opts).expect("reads");
    assert_eq!(doc.format, SourceFormat::Html, "a doctype is HTML whatever the name");
    let doc = layout_bytes("side.htm", b"<p>Tekst</p><p>mer</p>", &opts).expect("reads");
    assert_eq!(doc.format, SourceFormat::Html);
}

#[test]
fn a_file_that_is_not_html_fails_clearly() {
    let opts = Options::default();
    for (name, bytes) in [("binary.html", &b"\x00\x01\x02\x03 not a page \x00"[..]), ("notes.html", b"Referat fra m\xC3\xB8te\nSak 1/25 Godkjenning\n")] {
        let err = layout_bytes(name, bytes, &opts).expect_err("not HTML");
        assert!(matches!(err, ConvertError::Html(_)), "{name}: {err:?}");
        assert!(err.to_string().starts_with("not an HTML page: "), "{name}: {err}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let fake = dir.path().join("fake.html");
    std::fs::write(&fake, b"just some words, no markup at all").expect("write");
    let out = bin().arg("convert").arg(&fake).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fake.html") && stderr.contains("not an HTML page"), "{stderr}");
}

#[test]
fn hostile_markup_does_not_panic() {
    // Deep nesting costs an HTML parser quadratic time; past the cap the
    // tags are dropped and the text kept.
    for (open, close) in [("<div><span>", "</span></div>"), ("<ul><li>", "</li></ul>"), ("<table><tr><td>", "</td></tr></table>")] {
        let deep = "<main><p>Start</p>".to_string() + &open.repeat(20_000) + "tekst" + &close.repeat(20_000) + "</main>";
        let started = std::time::Instant::now();
        let doc = page(&deep);
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "{open}: {:?}", started.elapsed());
        assert!(codes(&doc).contains(&"html_too_deep"), "{open}");
    }
    let spans = page("<table><tr><td rowspan=\"0\" colspan=\"99999\">a</td><td rowspan=\"-3\">b</td></tr><tr><td colspan=\"x\">c</td></tr></table>");
    assert!(matches!(spans.blocks.first(), Some(Block::Table(_))));
    for junk in ["<", "<html", "<table><tr><td><table>", "<ol start=\"-99999999999999999999\"><li>x</ol>", "<ol start=\"9223372036854775807\"><li>a<li>b</ol>"]
    {
        let _ = html::read(junk.as_bytes());
    }
}

#[test]
fn folders_give_web_pages_with_ext_html() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("side_files")).expect("mkdir");
    std::fs::copy(fixture("windows-1252.html"), input.join("side.html")).expect("copy");
    std::fs::write(input.join("side_files/frame.html"), "<html><body><p>ad</p></body></html>").expect("write");
    std::fs::copy(common::corpus().join("krn-2020-2022.txt"), input.join("krn.txt")).expect("copy");
    let run = |args: &[&str], out: &Path| {
        let o = bin().arg("convert").arg(&input).arg("-o").arg(out).args(args).arg("--quiet").output().expect("runs");
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let mut names: Vec<String> =
            std::fs::read_dir(out).expect("out").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".json")).collect();
        names.sort();
        names
    };
    assert_eq!(run(&[], &dir.path().join("default")), ["krn.txt.json"], "pages are taken from folders only when asked for");
    assert_eq!(run(&["--ext", "html"], &dir.path().join("web")), ["krn.txt.json", "side.html.json"], "--ext html adds pages; saved-page assets are skipped");
    let bad = bin().arg("convert").arg(&input).args(["--ext", "exe"]).output().expect("runs");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn index_search_and_diff_take_web_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plans.sqlite");
    let out = bin()
        .arg("index")
        .arg(&db)
        .arg(common::corpus().join("krn-2020-2022.html"))
        .arg(fixture("norsmerte-nettverksmote-2025-06-03.html"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = bin().arg("search").arg(&db).arg("registerstudie").output().expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("item 11/25"), "{}", String::from_utf8_lossy(&out.stdout));
    let out = bin()
        .arg("diff")
        .arg(common::corpus().join("krn-2020-2022.docx"))
        .arg(common::corpus().join("krn-2020-2022.html"))
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["summary"]["unchanged"], 18);
    assert_eq!(report["summary"]["added"], 0);
}

#[test]
fn an_article_page_reads_without_its_site() {
    let layout = read_fixture("article-plan.html");
    let text = lines(&layout);
    assert_eq!(text.first().map(String::as_str), Some("Handlingsplan for forskning 2024–2027"));
    assert!(text.contains(&"Tiltak for innsatsområde 1".to_string()), "the caption is a line above its table: {text:#?}");
    for chrome in [
        "informasjonskapsler",
        "Godta alle",
        "Hopp til innhold",
        "Behandlinger",
        "Forskning og innovasjon",
        "Del på Facebook",
        "Skriv ut",
        "Publisert",
        "Sist oppdatert",
        "Relaterte sider",
        "Sentralbord",
        "dataLayer",
    ] {
        assert!(!text.iter().any(|l| l.contains(chrome)), "{chrome:?} read as content: {text:#?}");
    }
    let doc = convert_fixture("article-plan.html");
    let labels: Vec<_> = doc.measures.iter().filter_map(|m| m.label.as_deref()).collect();
    assert_eq!(labels, ["1.1", "1.2", "2.1", "2.2"]);
    assert_eq!(doc.measures[0].responsible, ["Fagdirektør"]);
}

#[test]
fn a_page_laid_out_with_a_table_is_read_from_its_content_cell() {
    let doc = read_fixture("layout-table-minutes.html");
    let text = lines(&doc);
    assert_eq!(text.first().map(String::as_str), Some("Protokoll fra styremøte 5. mai 2025"));
    assert!(!text.iter().any(|l| l.contains("Forside") || l.contains("Sist oppdatert")), "{text:#?}");
    assert!(codes(&doc).contains(&"html_main_by_density"));
    let minutes = convert_fixture("layout-table-minutes.html");
    let items: Vec<_> = minutes.meeting.expect("minutes").items.into_iter().map(|i| (i.number, i.decision)).collect();
    assert_eq!(
        items,
        [("20/25".to_string(), Some("Årsregnskapet godkjennes.".to_string())), ("21/25".to_string(), Some("Budsjettet vedtas som foreslått.".to_string())),]
    );
}
