//! The text layer on PDFs of other producers (pdfTeX in OT1 and T1 with
//! several fonts, with and without ToUnicode maps, bitmap fonts, rotated
//! boxes; non-embedded standard 14 fonts): every expected word, no U+FFFD, no
//! spacing accent left over. Fixtures and their sources: tests/fixtures/producers/.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use planparse::pdf::{extract, Limits, PdfDocument};

const DIR: &str = "tests/fixtures/producers";

/// Spacing accents a letter's accent glyph decodes to.
const SPACING_ACCENTS: &[char] =
    &['\u{B4}', '\u{2DA}', '\u{A8}', '\u{2C6}', '\u{2DC}', '\u{B8}', '\u{2C7}', '`', '\u{AF}', '\u{2D8}', '\u{2D9}', '\u{2DD}', '\u{2DB}'];

fn pdfs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    files.sort();
    files
}

fn load(path: &Path) -> PdfDocument {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    extract(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text `planparse extract` prints: each page's lines.
fn page_lines(doc: &PdfDocument) -> String {
    doc.pages.iter().map(planparse::layout::pdf::page_text).collect::<Vec<_>>().join("\n")
}

fn expected(path: &Path) -> String {
    let path = path.with_extension("expected.txt");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Word counts; a hyphen at a line end joins the word it splits.
fn words(text: &str) -> HashMap<String, usize> {
    let joined = text.replace("-\n", "");
    let mut bag = HashMap::new();
    for w in joined.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        *bag.entry(w.to_owned()).or_insert(0) += 1;
    }
    bag
}

fn f1(expected: &HashMap<String, usize>, got: &HashMap<String, usize>) -> f64 {
    let common: usize = expected.iter().map(|(w, n)| (*n).min(got.get(w).copied().unwrap_or(0))).sum();
    let (e, g) = (expected.values().sum::<usize>(), got.values().sum::<usize>());
    if common == 0 {
        return 0.0;
    }
    let (p, r) = (common as f64 / g as f64, common as f64 / e as f64);
    2.0 * p * r / (p + r)
}

#[test]
fn every_producer_pdf_gives_its_words() {
    let files = pdfs();
    assert!(files.len() >= 10, "fixtures missing: {}", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let doc = load(path);
        let text = page_lines(&doc);
        let want = words(&expected(path));
        let got = words(&text);
        // A page number is the only word the expected text leaves out.
        let mut got_no_numbers = got.clone();
        got_no_numbers.retain(|w, _| want.contains_key(w) || !w.chars().all(|c| c.is_ascii_digit()));
        let score = f1(&want, &got_no_numbers);
        let missing: Vec<&String> = want.keys().filter(|w| !got.contains_key(*w)).collect();
        if score < 0.99 {
            failures.push(format!("{name}: word F1 {score:.3}, missing {missing:?}\n{text}"));
        }
        if text.contains('\u{FFFD}') {
            failures.push(format!("{name}: U+FFFD in\n{text}"));
        }
        if let Some(c) = text.chars().find(|c| SPACING_ACCENTS.contains(c)) {
            failures.push(format!("{name}: stray accent {c:?} in\n{text}"));
        }
        let bad: Vec<_> =
            doc.warnings.iter().filter(|w| matches!(w.code, "bad_stream" | "unmapped_glyph" | "undecodable_font")).map(|w| w.message.clone()).collect();
        if !bad.is_empty() {
            failures.push(format!("{name}: warnings {bad:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn accents_drawn_apart_become_one_letter() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join("latex-ot1-times.pdf");
    let text = page_lines(&load(&path));
    // pdfTeX over Times draws the ring after the A; over CM before the a.
    for word in ["Åse", "Pål", "Hélène", "Müller", "Ängström", "Ålesund", "Lefèvre", "naïve", "Sápmi"] {
        assert!(text.contains(word), "{word} not in\n{text}");
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join("latex-ot1-cm-intl-nounicode.pdf");
    let text = page_lines(&load(&path));
    for word in ["Łódź", "Garçon", "Erdős", "Dvořák", "Ōsaka", "Ăbel", "Żaneta", "señor", "Straße", "Cœur"] {
        assert!(text.contains(word), "{word} not in\n{text}");
    }
}

#[test]
fn rotated_lines_stay_apart() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join("latex-t1-bitmap-rotated.pdf");
    let doc = load(&path);
    // Its bitmap fonts carry no encoding but code numbers: read as TeX's T1, with a warning.
    assert!(doc.warnings.iter().any(|w| w.code == "guessed_encoding"), "{:?}", doc.warnings);
    let text = page_lines(&doc);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for line in ["KASSÖR", "Tips om regnskap", "Leder", "Nestleder", "Sekretær", "Varamedlem"] {
        assert!(lines.contains(&line), "{line:?} is not a line of its own in\n{text}");
    }
}

#[test]
fn tabs_and_carriage_returns_in_strings_are_spaces() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join("handmade-std14.pdf");
    let doc = load(&path);
    let text = page_lines(&doc);
    assert!(text.contains("Geschäftsführer Vorsitzende"), "{text}");
    assert!(text.contains("Styret vedtok"), "{text}");
    // Its first content stream is a valid, empty Flate stream.
    assert!(doc.warnings.iter().all(|w| w.code != "bad_stream"), "{:?}", doc.warnings);
}
