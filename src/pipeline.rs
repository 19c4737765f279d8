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
    #[error("empty file")]
    Empty,
    #[error("unsupported input format (expected .pdf, .docx, .txt or .md)")]
    Unsupported,
}

/// Options of a conversion.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub limits: pdf::Limits,
    /// OCR of PDF pages without a text layer.
    pub ocr: ocr::OcrOptions,
}

/// The input format, from the content first (`%PDF`, a zip) and the file
/// extension second.
pub fn detect_format(name: &str, bytes: &[u8]) -> Result<SourceFormat, ConvertError> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower = name.to_lowercase();
    if head.windows(5).any(|w| w == b"%PDF-") || lower.ends_with(".pdf") {
        return Ok(SourceFormat::Pdf);
    }
    if head.starts_with(b"PK\x03\x04") || lower.ends_with(".docx") {
        return Ok(SourceFormat::Docx);
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
            Ok((layout::pdf::layout(&doc), report))
        }
        SourceFormat::Docx => Ok((crate::docx::read(bytes)?, OcrReport::default())),
        format => {
            let (text, warning) = layout::text::decode(bytes);
            let mut doc = layout::text::layout(&text, format);
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
    let source = Source {
        file: name.to_string(),
        sha256: sha256_hex(bytes),
        format: layout.format,
        pages: if layout.pages.is_empty() { None } else { Some(layout.pages.len() as u32) },
    };
    Ok((crate::segment::segment(&layout, source), report))
}
