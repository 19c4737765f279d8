//! Word (`.docx`) input: paragraphs and tables into the layout model.

use crate::layout::LayoutDocument;

/// Why a DOCX file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("not a DOCX file: {0}")]
    NotDocx(String),
    #[error("corrupt DOCX: {0}")]
    Corrupt(String),
}

/// Reads a `.docx` file from bytes into the layout model.
pub fn read(_bytes: &[u8]) -> Result<LayoutDocument, DocxError> {
    Err(DocxError::NotDocx("DOCX input not implemented yet".into()))
}
