//! One input file → one [`Document`]: format detection, reading, layout, segmentation.
//!
//! This is a pure function of the input bytes (plus the file name recorded in
//! the output), which is what makes batch runs deterministic and parallel.

use sha2::{Digest, Sha256};

use crate::layout::{self, LayoutDocument};
use crate::model::{Document, Source, SourceFormat};
use crate::ocr::{self, OcrReport};
use crate::pdf;

/// Why one input could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("{0}")]
    Pdf(#[from] pdf::PdfError),
    #[error("{0}")]
    Docx(#[from] crate::docx::DocxError),
    #[error("{0}")]
    Html(#[from] crate::html::HtmlError),
    #[error("empty file")]
    Empty,
    #[error("unsupported input format (expected .pdf, .docx, .html, .txt or .md)")]
    Unsupported,
    #[error("limit exceeded: the text is {size} bytes, over the limit of {limit} (raise it with --max-text-bytes)")]
    TextTooLarge { size: usize, limit: String },
}

/// Options of a conversion (serde: sent to a worker process).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Options {
    pub limits: pdf::Limits,
    /// Largest inflated size of one DOCX part (`--max-docx-part-bytes`).
    pub max_docx_part_bytes: u64,
    /// Largest text or Markdown input (`--max-text-bytes`).
    pub max_text_bytes: usize,
    /// OCR of PDF pages without a text layer.
    pub ocr: ocr::OcrOptions,
}

/// Default [`Options::max_text_bytes`]: 16 MiB, thousands of pages of text.
/// Reading text takes 7 to 18 times its size in memory (decoded, lines, table
/// cells: a million two-cell tab rows in 27 MB laid out in 500 MiB), so this
/// keeps one file's layout within about 300 MiB.
pub const MAX_TEXT_BYTES: usize = 16 << 20;

impl Default for Options {
    fn default() -> Self {
        Options {
            limits: pdf::Limits::default(),
            max_docx_part_bytes: crate::docx::MAX_PART_BYTES,
            max_text_bytes: MAX_TEXT_BYTES,
            ocr: ocr::OcrOptions::default(),
        }
    }
}

/// The input format, from the content first (`%PDF`, a zip, a doctype or
/// `<html>`) and the file extension second.
pub fn detect_format(name: &str, bytes: &[u8]) -> Result<SourceFormat, ConvertError> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower = name.to_lowercase();
    if head.windows(5).any(|w| w == b"%PDF-") || lower.ends_with(".pdf") {
        return Ok(SourceFormat::Pdf);
    }
    if head.starts_with(b"PK\x03\x04") || lower.ends_with(".docx") {
        return Ok(SourceFormat::Docx);
    }
    if crate::html::sniff(head) || [".html", ".htm", ".xhtml"].iter().any(|e| lower.ends_with(e)) {
        return Ok(SourceFormat::Html);
    }
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return Ok(SourceFormat::Markdown);
    }
    if lower.ends_with(".txt") || lower.ends_with(".text") || !head.contains(&0) {
        return Ok(SourceFormat::Text);
    }
    Err(ConvertError::Unsupported)
}

/// Reads any supported input into the layout model.
pub fn layout_bytes(name: &str, bytes: &[u8], opts: &Options) -> Result<LayoutDocument, ConvertError> {
    layout_bytes_with_report(name, bytes, opts).map(|(doc, _)| doc)
}

/// [`layout_bytes`], also telling what OCR cost.
pub fn layout_bytes_with_report(name: &str, bytes: &[u8], opts: &Options) -> Result<(LayoutDocument, OcrReport), ConvertError> {
    if bytes.is_empty() {
        return Err(ConvertError::Empty);
    }
    match detect_format(name, bytes)? {
        SourceFormat::Pdf => {
            let mut doc = pdf::extract(bytes, &opts.limits)?;
            let report = ocr::apply(&mut doc, bytes, &opts.ocr);
            Ok((layout::pdf::layout_with(&doc, &crate::segment::vocab::LAYOUT_CUES), report))
        }
        SourceFormat::Docx => Ok((crate::docx::read_with(bytes, opts.max_docx_part_bytes, &crate::segment::vocab::LAYOUT_CUES)?, OcrReport::default())),
        _ if bytes.len() > opts.max_text_bytes => {
            Err(ConvertError::TextTooLarge { size: bytes.len(), limit: crate::docx::format_bytes(opts.max_text_bytes as u64) })
        }
        SourceFormat::Html => Ok((crate::html::read_with(bytes, &crate::segment::vocab::LAYOUT_CUES)?, OcrReport::default())),
        format => {
            let (text, warning) = layout::text::decode(bytes);
            let mut doc = layout::text::layout_with(&text, format, crate::segment::vocab::LAYOUT_CUES.text_tables.as_ref());
            doc.warnings.extend(warning);
            Ok((doc, OcrReport::default()))
        }
    }
}

/// Hex sha256 of the input.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Converts one input.
pub fn convert_bytes(name: &str, bytes: &[u8], opts: &Options) -> Result<Document, ConvertError> {
    convert_bytes_with_report(name, bytes, opts).map(|(doc, _)| doc)
}

/// [`convert_bytes`], also telling what OCR cost (for batch summaries; the
/// document itself holds no timings, so outputs stay deterministic).
pub fn convert_bytes_with_report(name: &str, bytes: &[u8], opts: &Options) -> Result<(Document, OcrReport), ConvertError> {
    let (layout, report) = layout_bytes_with_report(name, bytes, opts)?;
    Ok((segment_layout(name, bytes, &layout).0, report))
}

/// Converts one input and tells why each part of the output is there
/// (`planparse explain`).
pub fn explain_bytes(name: &str, bytes: &[u8], opts: &Options) -> Result<(Document, crate::segment::explain::Explanation), ConvertError> {
    let (layout, _) = layout_bytes_with_report(name, bytes, opts)?;
    let (doc, trace) = segment_layout(name, bytes, &layout);
    let explanation = trace.explain(&doc);
    Ok((doc, explanation))
}

/// The segmenters over a laid-out input, with the reasons they recorded.
fn segment_layout(name: &str, bytes: &[u8], layout: &LayoutDocument) -> (Document, crate::segment::explain::Trace) {
    let source = Source {
        file: name.to_string(),
        sha256: sha256_hex(bytes),
        format: layout.format,
        pages: if layout.pages.is_empty() { None } else { Some(layout.pages.len() as u32) },
    };
    // Line-end word joins in the segmenters weigh this document's own words.
    let vocabulary = std::rc::Rc::new(layout.vocabulary());
    crate::text::with_vocabulary(vocabulary, || crate::segment::segment_explained(layout, source))
}
