//! PDF spans into lines, blocks and table cells.

use super::LayoutDocument;
use crate::model::SourceFormat;
use crate::pdf::PdfDocument;

/// Lays out a PDF's pages.
pub fn layout(_doc: &PdfDocument) -> LayoutDocument {
    LayoutDocument { format: SourceFormat::Pdf, pages: vec![], blocks: vec![], warnings: vec![], declared_title: None, table_source: "geometry" }
}

/// The text of one page, lines in reading order (for `extract`).
pub fn page_text(page: &crate::pdf::PdfPage) -> String {
    page.spans.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ")
}
