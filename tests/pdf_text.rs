//! The PDF text layer: text agrees with poppler's `pdftotext`, and damaged or
//! hostile files fail cleanly or warn, without panics and in bounded time.

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
    let output = Command::new("pdftotext")
        .arg("-raw")
        .arg(path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext (poppler) is needed for this test: install poppler-utils (apt-get install poppler-utils): {e}")
        });
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
    let common: usize = ours
        .iter()
        .map(|(w, n)| (*n).min(theirs.get(w).copied().unwrap_or(0)))
        .sum();
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
        if f1 < 0.99 {
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
    let Ok(path) = std::env::var("PDF_DUMP") else { return };
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
    }
}

fn assert_quick(start: Instant) {
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
}
