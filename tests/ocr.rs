//! OCR of scanned PDF pages (`tests/fixtures/scans/`: image-only PDFs of
//! three development documents, their gold, a PDF mixing a text page and a
//! scanned page, and a page scanned on its side). Tests that need Tesseract
//! skip through `common::skip` when it is not installed (a failure under
//! `PLANPARSE_REQUIRE_TOOLS=1`, as `.ci/run` sets).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use planparse::model::Document;
use planparse::ocr::{OcrMode, OcrOptions};
use planparse::pipeline::{convert_bytes, Options};

fn scan(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scans").join(name)
}

/// False, after printing why, when OCR cannot run on this machine.
fn ocr_available(test: &str) -> bool {
    match planparse::ocr::unavailable("nor") {
        None => true,
        Some(why) => {
            common::skip(test, &why);
            false
        }
    }
}

fn convert_with(name: &str, mode: OcrMode) -> Document {
    let bytes = std::fs::read(scan(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let opts = Options { ocr: OcrOptions { mode, ..OcrOptions::default() }, ..Options::default() };
    convert_bytes(name, &bytes, &opts).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Each scan is read once per test run (OCR takes seconds a page).
fn converted(name: &'static str) -> &'static Document {
    static DOCS: OnceLock<std::sync::Mutex<std::collections::HashMap<&'static str, &'static Document>>> = OnceLock::new();
    let docs = DOCS.get_or_init(Default::default);
    if let Some(d) = docs.lock().expect("lock").get(name) {
        return d;
    }
    let doc: &'static Document = Box::leak(Box::new(convert_with(name, OcrMode::Auto)));
    docs.lock().expect("lock").insert(name, doc);
    doc
}

fn codes(doc: &Document) -> Vec<&str> {
    doc.warnings.iter().map(|w| w.code.as_str()).collect()
}

/// Every page was read by OCR with a high mean confidence, and none is left
/// with the `no_text_layer` warning.
fn assert_read_by_ocr(doc: &Document, pages: u32) {
    assert!(!codes(doc).contains(&"no_text_layer"), "{:?}", doc.warnings);
    for page in 1..=pages {
        let w = doc
            .warnings
            .iter()
            .find(|w| w.code == "ocr" && w.page == Some(page))
            .unwrap_or_else(|| panic!("no ocr warning on page {page}: {:?}", doc.warnings));
        let conf: f32 = w
            .message
            .split("mean word confidence ")
            .nth(1)
            .and_then(|r| r.split(';').next())
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("{}", w.message));
        assert!(conf >= 85.0, "page {page}: {}", w.message);
    }
}

#[test]
fn scanned_plan_with_year_columns_gives_its_fifteen_measures() {
    if !ocr_available("scanned_plan_with_year_columns_gives_its_fifteen_measures") {
        return;
    }
    let doc = converted("siv-kliniske-studier-2025-2027.scan.pdf");
    assert_read_by_ocr(doc, 3);
    let labels: Vec<&str> = doc.measures.iter().filter_map(|m| m.label.as_deref()).collect();
    let expected: Vec<String> = (1..=15).map(|i| format!("T{i}")).collect();
    assert_eq!(labels, expected.iter().map(String::as_str).collect::<Vec<_>>());
    let title = doc.title.as_deref().unwrap_or("");
    assert!(title.starts_with("Tiltaksplan for kliniske studier 2025"), "{title}");
    // The X marks of the year columns come through the ruled table's cells
    // and give the deadline (three adjacent years).
    let t3 = doc.measures.iter().find(|m| m.label.as_deref() == Some("T3")).expect("T3");
    assert_eq!(t3.deadline.as_deref(), Some("2025–2027"), "{:?}", t3);
    let t10 = doc.measures.iter().find(|m| m.label.as_deref() == Some("T10")).expect("T10");
    assert!(t10.text.starts_with("Øke andelen barn og eldre"), "{}", t10.text);
    assert!(t10.responsible.iter().any(|r| r.contains("Barne- og ungdomsavdelingen")), "{:?}", t10.responsible);
}

#[test]
fn scanned_landscape_plan_gives_measures_and_sections() {
    if !ocr_available("scanned_landscape_plan_gives_measures_and_sections") {
        return;
    }
    let doc = converted("hlk-2021-2025.scan.pdf");
    assert_read_by_ocr(doc, 6);
    let labels: Vec<&str> = doc.measures.iter().filter_map(|m| m.label.as_deref()).collect();
    for l in ["1a", "1b", "2a", "2b", "2c", "2d", "4a", "4b", "4c"] {
        assert!(labels.contains(&l), "{l} missing from {labels:?}");
    }
    // Headings are found from the bold weight read off the picture.
    let titles: Vec<&str> = doc.sections.iter().map(|s| s.title.as_str()).collect();
    assert!(titles.iter().any(|t| t.starts_with("Styrke satsingen på klinisk forskning")), "{titles:?}");
    assert!(doc.sections.len() >= 6, "{titles:?}");
    let period = doc.period.as_ref().expect("period");
    assert_eq!((period.from, period.to), (2021, 2025));
}

#[test]
fn scanned_minutes_give_agenda_items_decisions_and_participants() {
    if !ocr_available("scanned_minutes_give_agenda_items_decisions_and_participants") {
        return;
    }
    let doc = converted("nsg-referat-2025-11-27.scan.pdf");
    assert_read_by_ocr(doc, 5);
    let meeting = doc.meeting.as_ref().expect("meeting");
    let numbers: Vec<&str> = meeting.items.iter().map(|i| i.number.as_str()).collect();
    let expected: Vec<String> = (33..=43).map(|n| format!("{n}/25")).collect();
    assert_eq!(numbers, expected.iter().map(String::as_str).collect::<Vec<_>>());
    let decisions = meeting.items.iter().filter(|i| i.decision.is_some()).count();
    assert!(decisions >= 10, "{decisions} items with decisions");
    // The participant tables are ruled in light grey: found from the picture.
    let names: Vec<&str> = meeting.participants.iter().map(|p| p.name.as_str()).collect();
    assert!(names.len() >= 27, "{names:?}");
    for n in ["Gunbjørg Svineng", "Hanne-Cathrin Flinstad Harbo", "Heidi Solberg"] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
}

#[test]
fn a_pdf_mixing_text_and_scan_ocrs_only_the_scanned_page() {
    if !ocr_available("a_pdf_mixing_text_and_scan_ocrs_only_the_scanned_page") {
        return;
    }
    let doc = convert_with("mixed-text-and-scan.pdf", OcrMode::Auto);
    let ocr_pages: Vec<Option<u32>> = doc.warnings.iter().filter(|w| w.code == "ocr").map(|w| w.page).collect();
    assert_eq!(ocr_pages, [Some(2)], "{:?}", doc.warnings);
    let meeting = doc.meeting.as_ref().expect("meeting");
    // Page 1 (text layer) holds the date and the first participants, page 2 (scan) items 34/25 and on.
    assert_eq!(meeting.date.as_deref(), Some("2025-11-27"));
    assert!(meeting.participants.iter().any(|p| p.name == "Gunbjørg Svineng"));
    let numbers: Vec<&str> = meeting.items.iter().map(|i| i.number.as_str()).collect();
    assert!(numbers.contains(&"35/25") && numbers.contains(&"36/25"), "{numbers:?}");
}

#[test]
fn a_page_scanned_on_its_side_is_turned_upright() {
    if !ocr_available("a_page_scanned_on_its_side_is_turned_upright") {
        return;
    }
    if !planparse::ocr::has_orientation_data() {
        common::skip("a_page_scanned_on_its_side_is_turned_upright", "Tesseract has no osd data (apt-get install tesseract-ocr-osd)");
        return;
    }
    let doc = convert_with("sideways.scan.pdf", OcrMode::Auto);
    let w = doc.warnings.iter().find(|w| w.code == "ocr").expect("ocr warning");
    assert!(w.message.contains("turned upright by 270°"), "{}", w.message);
    let titles: Vec<&str> = doc.sections.iter().map(|s| s.title.as_str()).collect();
    assert!(titles.contains(&"Oppfølging"), "{titles:?}");
}

#[test]
fn ocr_never_leaves_scanned_pages_empty_with_a_warning() {
    let doc = convert_with("siv-kliniske-studier-2025-2027.scan.pdf", OcrMode::Never);
    assert!(doc.measures.is_empty());
    let w: Vec<&str> = doc.warnings.iter().filter(|w| w.code == "no_text_layer").map(|w| w.message.as_str()).collect();
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(w[0].contains("--ocr never"), "{}", w[0]);
}

#[test]
fn without_tesseract_the_warning_names_the_packages() {
    // An empty PATH: neither tesseract nor pdftoppm can be found.
    let empty = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_planparse"))
        .args(["convert", scan("siv-kliniske-studier-2025-2027.scan.pdf").to_str().expect("utf-8 path")])
        .env("PATH", empty.path())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: Document = serde_json::from_slice(&out.stdout).expect("JSON");
    let w = doc.warnings.iter().find(|w| w.code == "no_text_layer").expect("no_text_layer");
    assert!(w.message.contains("install tesseract-ocr tesseract-ocr-nor"), "{}", w.message);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tesseract-ocr"), "{stderr}");
}

#[test]
fn batch_summary_reports_ocr_cost_per_page() {
    if !ocr_available("batch_summary_reports_ocr_cost_per_page") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_planparse"))
        .args(["convert", scan("mixed-text-and-scan.pdf").to_str().expect("utf-8 path"), "-o"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr.lines().find(|l| l.contains("OCR: ")).unwrap_or_else(|| panic!("no OCR line in {stderr}"));
    assert!(line.contains("OCR: 1 pages in") && line.ends_with("s/page)"), "{line}");
}
