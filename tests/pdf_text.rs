//! The PDF text layer: text agrees with poppler's `pdftotext`, and damaged or
//! hostile files fail cleanly or warn, without panics and in bounded time.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use planparse::pdf::{extract, Limits, PdfDocument, PdfError};

fn corpus_pdfs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus/ directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    files.sort();
    files
}

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// All spans' text joined with spaces.
fn our_text(doc: &PdfDocument) -> String {
    let mut out = String::new();
    for page in &doc.pages {
        for span in &page.spans {
            out.push_str(&span.text);
            out.push(' ');
        }
    }
    out
}

fn pdftotext(path: &Path) -> String {
    let output = Command::new("pdftotext").arg("-raw").arg(path).arg("-").output().unwrap_or_else(|e| panic!("pdftotext: {e}"));
    assert!(output.status.success(), "pdftotext failed on {}", path.display());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Maps Symbol-font private-use bullets (`U+F0B7`) the way we do, so both sides compare.
fn normalize_words(text: &str) -> HashMap<String, usize> {
    let mut bag = HashMap::new();
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '\u{F0B7}' => '\u{2022}',
            '\u{A0}' => ' ',
            c => c,
        })
        .collect();
    for word in cleaned.split_whitespace() {
        *bag.entry(word.to_owned()).or_insert(0) += 1;
    }
    bag
}

fn bag_f1(ours: &HashMap<String, usize>, theirs: &HashMap<String, usize>) -> f64 {
    let common: usize = ours.iter().map(|(w, n)| (*n).min(theirs.get(w).copied().unwrap_or(0))).sum();
    let total_ours: usize = ours.values().sum();
    let total_theirs: usize = theirs.values().sum();
    if total_ours == 0 || total_theirs == 0 {
        return 0.0;
    }
    let p = common as f64 / total_ours as f64;
    let r = common as f64 / total_theirs as f64;
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn differences(ours: &HashMap<String, usize>, theirs: &HashMap<String, usize>) -> (Vec<String>, Vec<String>) {
    let mut extra: Vec<String> = ours
        .iter()
        .filter(|(w, n)| theirs.get(*w).copied().unwrap_or(0) < **n)
        .map(|(w, n)| format!("{w}×{}", n - theirs.get(w).copied().unwrap_or(0)))
        .collect();
    let mut missing: Vec<String> = theirs
        .iter()
        .filter(|(w, n)| ours.get(*w).copied().unwrap_or(0) < **n)
        .map(|(w, n)| format!("{w}×{}", n - ours.get(w).copied().unwrap_or(0)))
        .collect();
    extra.sort();
    missing.sort();
    (extra, missing)
}

#[test]
fn corpus_text_matches_pdftotext() {
    if !common::has_tool("pdftotext", &["-v"]) {
        common::skip("corpus_text_matches_pdftotext", "poppler's pdftotext not found (apt-get install poppler-utils): the text layer was not compared with it");
        return;
    }
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for path in corpus_pdfs() {
        let bytes = std::fs::read(&path).expect("read corpus file");
        let doc = extract(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ours_text = our_text(&doc);
        let theirs_text = pdftotext(&path);
        let ours = normalize_words(&ours_text);
        let theirs = normalize_words(&theirs_text);
        let f1 = bag_f1(&ours, &theirs);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        report.push(format!("{name}: F1 {f1:.4}"));
        if f1 < 0.99 || std::env::var("PDF_DIFF").is_ok() {
            let (extra, missing) = differences(&ours, &theirs);
            failures.push(format!(
                "{name}: F1 {f1:.4} < 0.99\n  only ours: {:?}\n  only pdftotext: {:?}",
                extra.iter().take(40).collect::<Vec<_>>(),
                missing.iter().take(40).collect::<Vec<_>>()
            ));
        }
        for special in ['æ', 'ø', 'å', 'Æ', 'Ø', 'Å', '–', '«', '»'] {
            if theirs_text.contains(special) {
                assert!(ours_text.contains(special), "{name}: pdftotext has {special:?}, we do not");
            }
        }
    }
    println!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Set `PDF_DUMP=path.pdf` and run with `--nocapture` to print spans and shapes.
#[test]
fn dump_for_debugging() {
    let Ok(path) = std::env::var("PDF_DUMP") else {
        return;
    };
    let bytes = std::fs::read(&path).expect("read PDF_DUMP file");
    let doc = extract(&bytes, &Limits::default()).expect("extract");
    println!("title: {:?}", doc.info_title);
    for w in &doc.warnings {
        println!("warning: {w:?}");
    }
    for page in &doc.pages {
        println!("=== page {} ({} x {})", page.number, page.width, page.height);
        for s in &page.spans {
            println!(
                "{:7.2} {:7.2}..{:7.2} {:5.2} {}{}{} mcid={:?}{} {:?}",
                s.y,
                s.x0,
                s.x1,
                s.font_size,
                s.font,
                if s.bold { " B" } else { "" },
                if s.italic { " I" } else { "" },
                s.mcid,
                if s.artifact { " artifact" } else { "" },
                s.text
            );
        }
        if std::env::var("PDF_DUMP_SHAPES").is_ok() {
            for s in &page.shapes {
                println!("shape {:?} {:.2},{:.2} .. {:.2},{:.2}", s.kind, s.x0, s.y0, s.x1, s.y1);
            }
        }
    }
    if let Some(st) = &doc.structure {
        println!("structure: {} nodes, {} mcids", st.nodes.len(), st.mcid_owner.len());
        let mut roles: HashMap<&str, usize> = HashMap::new();
        let mut orphans = 0;
        for page in &doc.pages {
            for s in &page.spans {
                match s.mcid.and_then(|m| st.mcid_owner.get(&(page.number, m))) {
                    Some(&owner) => *roles.entry(st.nodes[owner].role.as_str()).or_insert(0) += 1,
                    None if !s.artifact => orphans += 1,
                    None => {}
                }
            }
        }
        println!("span owner roles: {roles:?}; spans without owner (not artifacts): {orphans}");
    }
}

/// Set `PDF_TIMING=1` (best with `--release`) to print pages per second over the corpus.
#[test]
fn timing_for_benchmarking() {
    if std::env::var("PDF_TIMING").is_err() {
        return;
    }
    let files: Vec<Vec<u8>> = corpus_pdfs().iter().map(|p| std::fs::read(p).expect("read")).collect();
    let rounds = 20;
    let start = Instant::now();
    let mut pages = 0;
    for _ in 0..rounds {
        for bytes in &files {
            pages += extract(bytes, &Limits::default()).expect("extract").pages.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{pages} pages in {secs:.3}s: {:.0} pages/s", pages as f64 / secs);
}

/// Extracts a fixture under `limits`, failing the test if it takes more than a few seconds.
fn extract_fixture(name: &str, limits: &Limits) -> Result<PdfDocument, PdfError> {
    let bytes = fixture(name);
    let start = Instant::now();
    let result = extract(&bytes, limits);
    assert!(start.elapsed() < Duration::from_secs(5), "{name} took {:?}", start.elapsed());
    result
}

fn warning_codes(doc: &PdfDocument) -> Vec<&'static str> {
    doc.warnings.iter().map(|w| w.code).collect()
}

fn all_text(doc: &PdfDocument) -> String {
    our_text(doc).trim().to_owned()
}

#[test]
fn not_a_pdf_is_rejected() {
    let err = extract_fixture("not_a_pdf.pdf", &Limits::default()).unwrap_err();
    assert!(matches!(err, PdfError::NotPdf), "{err:?}");
    assert_eq!(err.to_string(), "not a PDF (no %PDF header)");
    assert!(matches!(extract(b"", &Limits::default()), Err(PdfError::NotPdf)));
}

/// A header and then garbage: no `%%EOF`, so it reads as cut short, and
/// nothing in it parses.
#[test]
fn garbage_after_header_is_truncated_and_unreadable() {
    let err = extract_fixture("garbage_after_header.pdf", &Limits::default()).unwrap_err();
    assert!(matches!(err, PdfError::Truncated(_)), "{err:?}");
    assert!(err.to_string().starts_with("truncated PDF: no %%EOF marker in its last 1024 bytes"), "{err}");
}

#[test]
fn truncated_file_without_text_fails_as_truncated() {
    let err = extract_fixture("truncated.pdf", &Limits::default()).unwrap_err();
    assert!(matches!(err, PdfError::Truncated(_)), "{err:?}");
    assert!(err.to_string().ends_with("and no text could be read before the cut"), "{err}");
}

#[test]
fn truncated_file_with_text_warns() {
    let doc = extract_fixture("truncated_late.pdf", &Limits::default()).unwrap();
    assert_eq!(all_text(&doc), "Hello world");
    assert_eq!(warning_codes(&doc), ["truncated", "xref_rebuilt"]);
}

#[test]
fn corrupt_xref_is_rebuilt() {
    let doc = extract_fixture("corrupt_xref.pdf", &Limits::default()).expect("lopdf rebuilds the xref");
    assert_eq!(all_text(&doc), "Hello world");
}

#[test]
fn encrypted_with_user_password_is_rejected() {
    let err = extract_fixture("encrypted_user_password.pdf", &Limits::default()).unwrap_err();
    assert!(matches!(err, PdfError::Encrypted), "{err:?}");
    assert_eq!(err.to_string(), "encrypted, password required");
}

#[test]
fn encrypted_with_empty_password_is_read() {
    let doc = extract_fixture("encrypted_empty_password.pdf", &Limits::default()).expect("empty password opens it");
    assert_eq!(all_text(&doc), "Hello world");
}

#[test]
fn page_without_text_warns() {
    let doc = extract_fixture("no_text.pdf", &Limits::default()).expect("readable");
    assert_eq!(doc.pages.len(), 1);
    assert!(doc.pages[0].spans.is_empty());
    let w = doc.warnings.iter().find(|w| w.code == "no_text_layer").expect("no_text_layer warning");
    assert_eq!(w.message, "page 1 has no text layer (scanned?)");
    assert_eq!(w.page, Some(1));
    // The filled rectangle is still reported, in top-left page space.
    let fill = doc.pages[0].shapes.first().expect("a shape");
    assert_eq!((fill.x0, fill.y0, fill.x1, fill.y1), (100.0, 500.0, 300.0, 700.0));
}

#[test]
fn broken_flate_stream_is_skipped_with_warning() {
    let doc = extract_fixture("broken_flate.pdf", &Limits::default()).expect("readable");
    assert!(warning_codes(&doc).contains(&"bad_stream"), "{:?}", doc.warnings);
    assert_eq!(all_text(&doc), "Hello world", "the intact stream still counts");
}

#[test]
fn decompression_bomb_stops_at_the_stream_cap() {
    let limits = Limits { max_stream_bytes: 64 << 10, ..Limits::default() };
    let doc = extract_fixture("bomb.pdf", &limits).expect("readable");
    assert!(warning_codes(&doc).contains(&"stream_too_large"), "{:?}", doc.warnings);
    assert!(doc.pages[0].spans.is_empty());
    // With default limits the same stream is fine.
    let doc = extract_fixture("bomb.pdf", &Limits::default()).expect("readable");
    assert_eq!(all_text(&doc), "Hello world");
}

#[test]
fn document_byte_budget_is_an_error() {
    let limits = Limits { max_document_bytes: 64 << 10, ..Limits::default() };
    let err = extract_fixture("bomb.pdf", &limits).unwrap_err();
    assert!(matches!(err, PdfError::Limit(..)), "{err:?}");
}

#[test]
fn deep_xobject_nesting_is_cut() {
    let doc = extract_fixture("deep_xobject.pdf", &Limits::default()).expect("readable");
    assert!(warning_codes(&doc).contains(&"xobject_depth"), "{:?}", doc.warnings);
    assert_eq!(all_text(&doc), "Hello world");
    let limits = Limits { max_xobject_depth: 64, ..Limits::default() };
    let doc = extract_fixture("deep_xobject.pdf", &limits).expect("readable");
    assert_eq!(all_text(&doc), "Hello world deep");
    // Each of the 39 forms shifted by 1pt.
    let deep = &doc.pages[0].spans[1];
    assert!((deep.x0 - 111.0).abs() < 0.01, "{deep:?}");
}

#[test]
fn form_xobject_fan_out_stops_at_the_op_limit() {
    let limits = Limits { max_ops_per_page: 100_000, ..Limits::default() };
    let doc = extract_fixture("form_bomb.pdf", &limits).expect("readable");
    assert!(warning_codes(&doc).contains(&"op_limit"), "{:?}", doc.warnings);
    assert_eq!(all_text(&doc), "Hello world");
}

#[test]
fn xobject_cycle_is_cut() {
    let doc = extract_fixture("xobject_cycle.pdf", &Limits::default()).expect("readable");
    assert!(warning_codes(&doc).contains(&"xobject_cycle"), "{:?}", doc.warnings);
    assert_eq!(all_text(&doc), "Hello world");
}

#[test]
fn page_tree_cycle_is_cut() {
    let doc = extract_fixture("page_tree_cycle.pdf", &Limits::default()).expect("readable");
    assert_eq!(doc.pages.len(), 1);
    assert!(warning_codes(&doc).contains(&"page_tree_cycle"), "{:?}", doc.warnings);
}

#[test]
fn op_and_page_limits_truncate_with_warnings() {
    let limits = Limits { max_ops_per_page: 1000, ..Limits::default() };
    let doc = extract_fixture("many_ops.pdf", &limits).expect("readable");
    assert!(warning_codes(&doc).contains(&"op_limit"), "{:?}", doc.warnings);
    assert!(doc.pages[0].spans.is_empty());

    let limits = Limits { max_pages: 0, ..Limits::default() };
    let doc = extract_fixture("hello.pdf", &limits).expect("readable");
    assert!(doc.pages.is_empty());
    assert!(warning_codes(&doc).contains(&"page_limit"), "{:?}", doc.warnings);

    let limits = Limits { max_objects: 2, ..Limits::default() };
    assert!(matches!(extract_fixture("hello.pdf", &limits), Err(PdfError::Limit(..))));
}

#[test]
fn rotated_page_reads_upright_from_top_left() {
    let doc = extract_fixture("rotated.pdf", &Limits::default()).expect("readable");
    let page = &doc.pages[0];
    assert_eq!((page.width, page.height), (760.0, 580.0));
    let span = &page.spans[0];
    assert_eq!(span.text, "Hello world");
    assert!((span.x0 - 52.0).abs() < 0.01 && (span.y - 90.0).abs() < 0.01, "{span:?}");
    assert!((span.font_size - 12.0).abs() < 0.01);
    assert!(span.x1 > span.x0 + 50.0, "{span:?}");
}

#[test]
fn span_boundaries_follow_gaps_not_word_spaces() {
    let doc = extract_fixture("spans.pdf", &Limits::default()).expect("readable");
    let spans = &doc.pages[0].spans;
    let texts: Vec<&str> = spans.iter().map(|s| s.text.as_str()).collect();
    // A 1 em TJ gap splits without inserting a space; `Tw` word spacing does not split;
    // small kerning does not split; Differences glyph names and ligatures decode; a
    // Symbol bullet becomes U+2022.
    assert_eq!(texts, ["Word", "Gap", "two words", "fiø", "•", "Kerning", "fake bold", "fake italic"]);
    // Fill-and-stroke rendering and a sheared text matrix are synthetic bold and italic.
    assert!(spans[6].bold && !spans[6].italic, "{:?}", spans[6]);
    assert!(spans[7].italic && !spans[7].bold, "{:?}", spans[7]);
    assert!((spans[7].font_size - 10.0).abs() < 0.01, "shear keeps the size");
    assert!(!spans[0].bold && !spans[0].italic);
    assert_eq!(spans[0].x1 + 10.0, spans[1].x0, "the gap is exactly the 1000/1000 em kern");
    assert_eq!(spans[0].font, "Helvetica");
    let italic = &spans[3];
    assert_eq!((italic.font.as_str(), italic.bold, italic.italic), ("Times-BoldItalic", true, true));
    assert!(doc.warnings.iter().any(|w| w.code == "undecodable_font" && w.message == "text of font Junk on page 1 is not decodable"), "{:?}", doc.warnings);
}

#[test]
fn type0_identity_font_decodes_with_widths_and_mcid() {
    let doc = extract_fixture("type0.pdf", &Limits::default()).expect("readable");
    let spans = &doc.pages[0].spans;
    assert_eq!(spans[0].text, "ÆØÅ");
    // Widths 600 + 700 + 650 thousandths of 10pt.
    assert!((spans[0].x1 - spans[0].x0 - 19.5).abs() < 0.01, "{:?}", spans[0]);
    assert_eq!(spans[1].text, "\u{1D400}");
    assert_eq!(spans[1].mcid, Some(0));
    assert_eq!(spans[0].mcid, None);
}

/// Cuts and corrupts a real file in many places: never a panic, always quick.
#[test]
fn damaged_corpus_file_never_panics() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/krn-2020-2022.pdf");
    let bytes = std::fs::read(path).expect("corpus file");
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let start = Instant::now();
    for i in 1..12 {
        let cut = bytes.len() * i / 12;
        let _ = extract(&bytes[..cut], &Limits::default());
    }
    for _ in 0..12 {
        let mut damaged = bytes.clone();
        for _ in 0..20 {
            let at = (next() as usize) % damaged.len();
            damaged[at] = next() as u8;
        }
        let _ = extract(&damaged, &Limits::default());
    }
    assert!(start.elapsed() < Duration::from_secs(60), "took {:?}", start.elapsed());
}

/// Set `PDF_FUZZ=rounds` (with `--release`) for a longer damage run over the whole corpus.
#[test]
fn fuzz_for_robustness() {
    let Some(rounds) = std::env::var("PDF_FUZZ").ok().and_then(|v| v.parse::<usize>().ok()) else {
        return;
    };
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    // `PDF_FUZZ_DIR` fuzzes other files, e.g. `qpdf --qdf` copies with plain-text content streams.
    let paths = match std::env::var("PDF_FUZZ_DIR") {
        Ok(dir) => std::fs::read_dir(dir).expect("PDF_FUZZ_DIR").filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(_) => corpus_pdfs(),
    };
    for path in paths {
        let bytes = std::fs::read(&path).expect("corpus file");
        for round in 0..rounds {
            let mut damaged = bytes.clone();
            match round % 3 {
                0 => damaged.truncate((next() as usize) % bytes.len()),
                1 => {
                    for _ in 0..(1 + next() % 50) {
                        let at = (next() as usize) % damaged.len();
                        damaged[at] = next() as u8;
                    }
                }
                _ => {
                    let at = (next() as usize) % damaged.len();
                    let len = ((next() as usize) % 2000).min(damaged.len() - at);
                    damaged.drain(at..at + len);
                }
            }
            let start = Instant::now();
            let _ = extract(&damaged, &Limits::default());
            let took = start.elapsed();
            assert!(took < Duration::from_secs(5), "{} round {round} took {took:?}", path.display());
        }
    }
}
