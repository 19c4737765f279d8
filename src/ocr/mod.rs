//! OCR for PDF pages without a text layer (scans).
//!
//! A page whose text layer is missing or unusable is rendered to a 300 dpi
//! greyscale picture by poppler's `pdftoppm`, turned straight (a scanner
//! turns pages by a fraction of a degree; a page on its side is turned
//! upright by Tesseract's orientation detection), searched for ruling lines,
//! and read by the `tesseract` command (TSV output: words with boxes and
//! confidences). The words become [`TextSpan`]s and the rulings
//! [`Shape`]s of the page, so the layout stage and every segmenter read a
//! scanned page exactly as a PDF page with text.
//!
//! Why command-line tools: `pdftoppm` and `tesseract` are maintained, packaged
//! everywhere (Debian `poppler-utils`, `tesseract-ocr`, `tesseract-ocr-nor`),
//! and keep this crate free of C bindings, so it builds where they are
//! missing; pages then keep the `no_text_layer` warning, naming the packages.
//! Pages with a usable text layer are never OCR'd under `--ocr auto`.
//!
//! This module runs between the PDF reader and the layout stage: it reads
//! and amends a [`PdfDocument`], and imports nothing of the later stages.

pub mod image;
mod marks;
mod words;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

use rayon::prelude::*;

use crate::pdf::{PdfDocument, PdfPage, PdfWarning, Shape, ShapeKind, TextSpan};
use image::{Gray, Rule};

/// When to OCR a PDF page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OcrMode {
    /// Pages without a usable text layer only.
    #[default]
    Auto,
    /// No page (scanned pages stay empty, with a `no_text_layer` warning).
    Never,
    /// Every page, replacing its text layer (for a garbled one).
    Always,
}

/// OCR settings of a conversion.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OcrOptions {
    pub mode: OcrMode,
    /// Tesseract language(s), `+`-joined (`nor`, `nor+eng`).
    pub lang: String,
}

impl Default for OcrOptions {
    fn default() -> Self {
        OcrOptions { mode: OcrMode::Auto, lang: "nor".to_string() }
    }
}

/// What OCR cost in one document.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OcrReport {
    /// Pages read by OCR.
    pub pages: usize,
    /// Seconds spent on them, summed over pages (rendering included).
    pub seconds: f64,
}

/// Rendering resolution, dots per inch.
const DPI: f32 = 300.0;
/// Words under this confidence (0–100) are kept but counted in the `ocr` warning.
pub const CONFIDENCE_FLOOR: f32 = 60.0;
/// Page warnings of the PDF reader that keep a page from being rendered.
const DAMAGE: [&str; 5] = ["stream_too_large", "op_limit", "xobject_depth", "xobject_cycle", "bad_stream"];
/// Longest a tool may run on one page, seconds (a hostile page can make a renderer spin).
const TOOL_SECONDS: u64 = 120;

/// Smallest skew straightened, degrees.
const MIN_STRAIGHTEN: f32 = 0.75;
/// Largest skew searched, degrees.
const MAX_SKEW: f32 = 2.5;

/// A page's text layer is usable when it holds some real words: at least 20
/// letters or digits, and they make up most of its visible characters
/// (a layer of U+FFFD or symbol soup is not text).
pub fn has_usable_text(page: &PdfPage) -> bool {
    let (mut alnum, mut visible) = (0usize, 0usize);
    for s in &page.spans {
        for c in s.text.chars().filter(|c| !c.is_whitespace()) {
            visible += 1;
            alnum += usize::from(c.is_alphanumeric());
        }
    }
    alnum >= 20 && alnum * 2 >= visible
}

/// Paths a page without images must paint before OCR may find text in them
/// (text converted to outlines); table rulings and a logo paint fewer.
const OUTLINE_PATHS: u32 = 40;

/// Whether a page draws anything OCR could read: an image, or many painted
/// paths. A blank page, or one whose content a damaged file lost, is not sent
/// to the renderer and Tesseract (seconds a page for nothing).
pub fn draws_something(page: &PdfPage) -> bool {
    page.images > 0 || page.painted_paths >= OUTLINE_PATHS
}

/// The Debian packages OCR needs, for messages.
fn packages(lang: &str) -> String {
    let mut p = vec!["tesseract-ocr".to_string()];
    p.extend(lang.split('+').filter(|l| !l.is_empty()).map(|l| format!("tesseract-ocr-{l}")));
    p.join(" ")
}

/// Languages Tesseract has data for, `None` when `tesseract` does not run.
fn tesseract_langs() -> Option<&'static [String]> {
    static LANGS: OnceLock<Option<Vec<String>>> = OnceLock::new();
    LANGS
        .get_or_init(|| {
            let out = Command::new("tesseract").arg("--list-langs").stdin(Stdio::null()).output().ok()?;
            if !out.status.success() {
                return None;
            }
            let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
            Some(text.lines().skip_while(|l| !l.starts_with("List of")).skip(1).map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect())
        })
        .as_deref()
}

/// Tesseract has its orientation data (`osd`), which turns pages lying on their side upright.
pub fn has_orientation_data() -> bool {
    tesseract_langs().is_some_and(|l| l.iter().any(|k| k == "osd"))
}

fn pdftoppm_runs() -> bool {
    static OK: OnceLock<bool> = OnceLock::new();
    *OK.get_or_init(|| Command::new("pdftoppm").arg("-v").stdin(Stdio::null()).output().is_ok())
}

/// Why OCR cannot run here, naming what to install; `None` when it can.
pub fn unavailable(lang: &str) -> Option<String> {
    let Some(langs) = tesseract_langs() else {
        return Some(format!("Tesseract is not installed (install {})", packages(lang)));
    };
    let missing: Vec<&str> = lang.split('+').filter(|l| !langs.iter().any(|k| k == l)).collect();
    if !missing.is_empty() {
        let pk: Vec<String> = missing.iter().map(|l| format!("tesseract-ocr-{l}")).collect();
        return Some(format!("Tesseract has no data for language {} (install {})", missing.join("+"), pk.join(" ")));
    }
    if !pdftoppm_runs() {
        return Some("poppler's pdftoppm is not installed (install poppler-utils)".to_string());
    }
    None
}

/// OCRs the pages of `doc` that `opts` selects, in parallel, replacing their
/// spans (and, where the PDF drew none, their shapes) by what the picture
/// shows. Warnings: `ocr` on each OCR'd page (words, mean confidence, words
/// under [`CONFIDENCE_FLOOR`]); `ocr_failed` when a tool failed on a page;
/// `no_text_layer` stays on pages OCR could not read, naming what to install.
pub fn apply(doc: &mut PdfDocument, pdf: &[u8], opts: &OcrOptions) -> OcrReport {
    let wanted: Vec<usize> = match opts.mode {
        OcrMode::Never => Vec::new(),
        OcrMode::Auto => (0..doc.pages.len()).filter(|&i| !has_usable_text(&doc.pages[i]) && draws_something(&doc.pages[i])).collect(),
        OcrMode::Always => (0..doc.pages.len()).collect(),
    };
    // The renderer has none of the reader's limits: a page the reader cut
    // short (a stream bomb, too many operators, nested forms) is not rendered.
    let damaged: Vec<u32> = doc.warnings.iter().filter(|w| DAMAGE.contains(&w.code)).filter_map(|w| w.page).collect();
    let wanted: Vec<usize> = wanted.into_iter().filter(|&i| !damaged.contains(&doc.pages[i].number)).collect();
    if opts.mode == OcrMode::Never {
        amend_no_text(doc, "OCR is off (--ocr never)");
    }
    if wanted.is_empty() {
        return OcrReport::default();
    }
    if let Some(why) = unavailable(&opts.lang) {
        if !amend_no_text(doc, &format!("OCR cannot read it: {why}")) {
            doc.warnings.push(PdfWarning { code: "ocr_failed", message: format!("OCR cannot run: {why}"), page: None });
        }
        return OcrReport::default();
    }
    let results: Vec<(usize, f64, Result<PageOcr, String>)> = wanted
        .par_iter()
        .map(|&i| {
            let started = Instant::now();
            let r = ocr_page(pdf, doc.pages[i].number, &opts.lang);
            (i, started.elapsed().as_secs_f64(), r)
        })
        .collect();
    let mut report = OcrReport { pages: 0, seconds: 0.0 };
    let read: Vec<&PlacedPage> = results.iter().filter_map(|(_, _, r)| r.as_ref().ok().and_then(|p| p.placed.as_ref())).collect();
    let lines: Vec<&words::PlacedLine> = read.iter().flat_map(|p| p.lines.iter()).collect();
    let style = words::style(&lines);
    for (i, seconds, result) in results {
        report.seconds += seconds;
        let number = doc.pages[i].number;
        match result {
            Err(e) => doc.warnings.push(PdfWarning { code: "ocr_failed", message: format!("OCR of page {number} failed: {e}"), page: Some(number) }),
            Ok(ocr) => {
                report.pages += 1;
                let Some(p) = ocr.placed.as_ref().filter(|_| ocr.words > 0) else {
                    // Nothing to read: the page keeps its `no_text_layer` warning.
                    for w in doc.warnings.iter_mut().filter(|w| w.code == "no_text_layer" && w.page == Some(number)) {
                        w.message = format!("{}; OCR found no words on it", w.message);
                    }
                    continue;
                };
                doc.warnings.retain(|w| !(w.code == "no_text_layer" && w.page == Some(number)));
                let page = &mut doc.pages[i];
                page.spans = words::spans(&p.lines, style);
                if page.shapes.is_empty() {
                    page.shapes = p.shapes.clone();
                }
                page.width = p.width;
                page.height = p.height;
                let message = ocr.summary(number, &opts.lang);
                doc.warnings.push(PdfWarning { code: "ocr", message, page: Some(number) });
            }
        }
    }
    report
}

/// Adds `why` to each `no_text_layer` warning; false when there is none.
fn amend_no_text(doc: &mut PdfDocument, why: &str) -> bool {
    let mut any = false;
    for w in doc.warnings.iter_mut().filter(|w| w.code == "no_text_layer") {
        w.message = format!("{}; {why}", w.message);
        any = true;
    }
    any
}

/// One page's OCR result.
struct PageOcr {
    /// `None` for a blank page.
    placed: Option<PlacedPage>,
    words: usize,
    mean_conf: f32,
    low: usize,
    skew: f32,
    quarters: u32,
    /// Table marks recovered from the picture ([`marks`]).
    marks: usize,
}

struct PlacedPage {
    lines: Vec<words::PlacedLine>,
    shapes: Vec<Shape>,
    width: f32,
    height: f32,
}

impl PageOcr {
    fn summary(&self, number: u32, lang: &str) -> String {
        let mut m = format!(
            "page {number} was read by OCR (tesseract, {lang}): {} words, mean word confidence {:.1}; {} words under {CONFIDENCE_FLOOR} kept",
            self.words, self.mean_conf, self.low
        );
        if self.skew.abs() >= 0.05 {
            m.push_str(&format!("; straightened by {:.2}°", self.skew));
        }
        if self.marks > 0 {
            m.push_str(&format!("; {} table marks Tesseract missed recovered from the picture", self.marks));
        }
        if self.quarters > 0 {
            m.push_str(&format!("; turned upright by {}°", self.quarters * 90));
        }
        m
    }
}

/// Renders, straightens and reads one page.
fn ocr_page(pdf: &[u8], number: u32, lang: &str) -> Result<PageOcr, String> {
    let n = number.to_string();
    let r = (DPI as u32).to_string();
    let pgm = run("pdftoppm", &["-r", &r, "-gray", "-f", &n, "-l", &n, "-"], pdf)?;
    let img = Gray::from_pgm(&pgm).ok_or("pdftoppm gave no picture")?;
    if img.ink_share() < 0.0005 {
        return Ok(PageOcr { placed: None, words: 0, mean_conf: 0.0, low: 0, skew: 0.0, quarters: 0, marks: 0 });
    }
    let first = read_picture(img.clone(), lang)?;
    // Words standing upright (boxes taller than wide), or read with low
    // confidence: the page may lie on its side or upside down.
    if first.upright() || first.mean_conf < 70.0 {
        if let Some(q) = orientation(&img).filter(|&q| q != 0) {
            let turned = read_picture(img.quarter_turns(q), lang)?;
            let level = !turned.upright() && turned.words.len() * 5 >= first.words.len() * 4;
            if level || turned.mean_conf > first.mean_conf + 10.0 {
                return Ok(turned.finish(q));
            }
        }
    }
    Ok(first.finish(0))
}

/// A picture read, before its words are placed.
struct Reading {
    img: Gray,
    words: Vec<words::Word>,
    rules: Vec<Rule>,
    skew: f32,
    mean_conf: f32,
}

impl Reading {
    /// Most longer words stand upright: the text runs up or down the picture.
    fn upright(&self) -> bool {
        let long: Vec<&words::Word> = self.words.iter().filter(|w| w.text.chars().filter(|c| c.is_alphanumeric()).count() >= 4).collect();
        long.iter().filter(|w| w.height > w.width).count() * 2 > long.len()
    }

    fn finish(mut self, quarters: u32) -> PageOcr {
        let scale = 72.0 / DPI;
        let letters: Vec<&words::Word> = self.words.iter().filter(|w| w.text.chars().any(char::is_alphanumeric)).collect();
        let low = letters.iter().filter(|w| w.conf < CONFIDENCE_FLOOR).count();
        let read = letters.len();
        let marks = marks::recover(&mut self.words, &self.img, &self.rules);
        let lines = words::place(&self.words, &self.img, &self.rules, scale);
        let shapes = self
            .rules
            .iter()
            .map(|r| Shape { x0: r.x0 as f32 * scale, y0: r.y0 as f32 * scale, x1: r.x1 as f32 * scale, y1: r.y1 as f32 * scale, kind: ShapeKind::Stroke })
            .collect();
        PageOcr {
            placed: Some(PlacedPage { lines, shapes, width: self.img.width as f32 * scale, height: self.img.height as f32 * scale }),
            words: read,
            mean_conf: self.mean_conf,
            low,
            skew: self.skew,
            quarters,
            marks,
        }
    }
}

/// Straightens a picture, finds its rulings and reads its words.
fn read_picture(img: Gray, lang: &str) -> Result<Reading, String> {
    let skew = img.skew_degrees(MAX_SKEW);
    // Tesseract reads text turned by a fraction of a degree as well as level
    // text, and rulings turned that little are found (their thickness is
    // their ink over their length); resampling the picture would only blur
    // thin grey borders and small letters. Larger turns are straightened.
    let skew = if skew.abs() >= MIN_STRAIGHTEN { skew } else { 0.0 };
    let img = if skew != 0.0 { img.rotated(-skew) } else { img };
    let px = |pt: f32| (pt * DPI / 72.0) as usize;
    let rules = img.rulings(px(25.0), px(12.0), px(3.0));
    let dpi = (DPI as u32).to_string();
    let tsv = run("tesseract", &["stdin", "stdout", "-l", lang, "--dpi", &dpi, "--psm", "3", "tsv"], &img.to_pgm())?;
    let words = words::parse_tsv(&String::from_utf8_lossy(&tsv));
    if let Some(dir) = std::env::var_os("PLANPARSE_OCR_DUMP") {
        let base = std::path::Path::new(&dir).join(format!("{}x{}-{}", img.width, img.height, words.len()));
        let _ = std::fs::write(base.with_extension("pgm"), img.to_pgm());
        let _ = std::fs::write(base.with_extension("tsv"), &tsv);
    }
    let rules = without_glyph_strokes(rules, &words);
    let letters: Vec<f32> = words.iter().filter(|w| w.text.chars().any(char::is_alphanumeric)).map(|w| w.conf).collect();
    let mean_conf = if letters.is_empty() { 0.0 } else { letters.iter().sum::<f32>() / letters.len() as f32 };
    Ok(Reading { img, words, rules, skew, mean_conf })
}

/// Drops rulings that are strokes of a letter: wholly inside a word's box
/// (a word that is only a bar is a ruling read as a letter, not a letter).
fn without_glyph_strokes(rules: Vec<Rule>, words: &[words::Word]) -> Vec<Rule> {
    rules
        .into_iter()
        .filter(|r| {
            !words.iter().any(|w| {
                w.text.chars().any(char::is_alphanumeric)
                    && r.x0 + 2 >= w.left
                    && r.x1 <= w.left + w.width + 2
                    && r.y0 + 2 >= w.top
                    && r.y1 <= w.top + w.height + 2
            })
        })
        .collect()
}

/// Quarter turns clockwise that set the page upright, from Tesseract's
/// orientation detection (`--psm 0`, the `osd` data); `None` when it cannot tell.
fn orientation(img: &Gray) -> Option<u32> {
    if !has_orientation_data() {
        return None;
    }
    let out = run("tesseract", &["stdin", "stdout", "--dpi", "300", "--psm", "0"], &img.to_pgm()).ok()?;
    let text = String::from_utf8_lossy(&out);
    let rotate: u32 = text.lines().find_map(|l| l.strip_prefix("Rotate:"))?.trim().parse().ok()?;
    Some((rotate / 90) % 4)
}

/// Runs a tool with `input` on its stdin; its stdout, or an error naming the
/// tool and what it printed on stderr.
fn run(tool: &str, args: &[&str], input: &[u8]) -> Result<Vec<u8>, String> {
    let mut child = Command::new(tool)
        .args(args)
        // Pages are read in parallel already; Tesseract's own threads would compete.
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {tool}: {e}"))?;
    let mut stdin = child.stdin.take();
    let mut stdout = child.stdout.take().ok_or_else(|| format!("{tool}: no stdout"))?;
    let mut stderr = child.stderr.take().ok_or_else(|| format!("{tool}: no stderr"))?;
    let (out, err, status) = std::thread::scope(|s| {
        s.spawn(move || {
            if let Some(mut w) = stdin.take() {
                // A tool that stops reading early closes the pipe; its exit status tells.
                let _ = w.write_all(input);
            }
        });
        let err = s.spawn(move || {
            let mut e = Vec::new();
            let _ = stderr.read_to_end(&mut e);
            e
        });
        let out = s.spawn(move || {
            let mut o = Vec::new();
            let _ = stdout.read_to_end(&mut o);
            o
        });
        // Wait with a deadline; past it the tool is killed (its pipes then close).
        let deadline = Instant::now() + std::time::Duration::from_secs(TOOL_SECONDS);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if Instant::now() < deadline => std::thread::sleep(std::time::Duration::from_millis(10)),
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(format!("{tool} took longer than {TOOL_SECONDS} s on the page and was stopped"));
                }
                Err(e) => break Err(format!("{tool}: {e}")),
            }
        };
        (out.join().unwrap_or_default(), err.join().unwrap_or_default(), status)
    });
    let status = status?;
    if !status.success() {
        let msg = String::from_utf8_lossy(&err);
        let msg = msg.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
        return Err(format!("{tool} failed ({status}){}", if msg.is_empty() { String::new() } else { format!(": {msg}") }));
    }
    Ok(out)
}

/// The spans OCR would give one page, for tests and benchmarks: `None` when
/// OCR cannot run here.
#[doc(hidden)]
pub fn page_spans(pdf: &[u8], number: u32, lang: &str) -> Option<Result<Vec<TextSpan>, String>> {
    unavailable(lang).is_none().then(|| {
        ocr_page(pdf, number, lang).map(|p| match p.placed {
            None => Vec::new(),
            Some(placed) => {
                let lines: Vec<&words::PlacedLine> = placed.lines.iter().collect();
                words::spans(&placed.lines, words::style(&lines))
            }
        })
    })
}

#[cfg(test)]
mod draw_tests {
    use super::*;

    #[test]
    fn only_pages_that_draw_an_image_or_many_paths_are_ocr_candidates() {
        let blank = PdfPage::default();
        assert!(!draws_something(&blank), "a blank page has nothing to read");
        assert!(draws_something(&PdfPage { images: 1, ..PdfPage::default() }));
        assert!(!draws_something(&PdfPage { painted_paths: 12, ..PdfPage::default() }), "a few rulings are no text");
        assert!(draws_something(&PdfPage { painted_paths: OUTLINE_PATHS, ..PdfPage::default() }));
    }
}
