//! Word (`.docx`) input: paragraphs and tables into the layout model.
//!
//! A DOCX file states what a PDF makes us guess: paragraphs, heading styles,
//! list labels, table cells and header rows. This module reads the package
//! ([`package`]), the styles ([`styles`]) and list definitions ([`numbering`])
//! the body refers to, and the body itself ([`body`]) into a
//! [`LayoutDocument`] of lines and tables without coordinates
//! (`pages` is empty, every `Line::page` is `None`).
//!
//! Lines carry the text as printed: a list paragraph starts with its label
//! (`"1. "`, `"i. "`, `"1a "`, bullets as `"• "` or `"o "`), footnotes follow
//! the body as `"1 text"`. `Line::indent` is the paragraph's left indent in
//! points; `Line::space_before` counts the empty paragraphs (or line breaks)
//! before a line.
//!
//! Any input is safe to pass: no part is inflated past [`MAX_PART_BYTES`],
//! element nesting is capped, and nothing here panics on malformed data.

mod body;
mod numbering;
mod package;
mod styles;
mod xml;

use std::collections::HashMap;

use crate::layout::{Block, LayoutDocument};
use crate::model::{SourceFormat, Warning};

use body::{BodyReader, NoteKind};
use numbering::Numbering;
use package::{rel, Package};
use styles::StyleSheet;

/// Default largest inflated size of any one part read from the package
/// (`--max-docx-part-bytes`). A part is held as an element tree, which takes
/// up to ~30 times the XML (250 MiB of short paragraphs took 6.2 GiB), so
/// the default keeps one document within about 512 MiB; the main part of a
/// long real report is a few MiB.
pub const MAX_PART_BYTES: u64 = 16 << 20;

/// `16 MiB`, `1.5 KiB` or `100 bytes`: a limit as a reader sees it.
pub fn format_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}

/// Why a DOCX file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("not a DOCX file: {0}")]
    NotDocx(String),
    #[error("corrupt DOCX: {0}")]
    Corrupt(String),
    #[error("limit exceeded: {0}")]
    Limit(String),
}

/// Reads a `.docx` file from bytes into the layout model.
///
/// Fails only when there is no document to read: not a zip package, no main
/// document part, or a main part that is not well-formed XML. Damage to the
/// optional parts (styles, numbering, notes, core properties) costs their
/// information and is reported in the warnings.
pub fn read(bytes: &[u8]) -> Result<LayoutDocument, DocxError> {
    read_limited(bytes, MAX_PART_BYTES)
}

/// [`read`] with a limit on the inflated size of each part; a main document
/// part over it fails the file, an optional part over it is skipped with a
/// warning.
pub fn read_limited(bytes: &[u8], max_part_bytes: u64) -> Result<LayoutDocument, DocxError> {
    read_with(bytes, max_part_bytes, &crate::layout::Cues::NONE)
}

/// [`read_limited`] with the vocabulary's cues (a table with a measure-table
/// header is never read as a page layout).
pub fn read_with(bytes: &[u8], max_part_bytes: u64, cues: &crate::layout::Cues) -> Result<LayoutDocument, DocxError> {
    let mut pkg = Package::open(bytes, max_part_bytes)?;
    let mut warnings = Vec::new();

    let package_rels = pkg.relationships("");
    let main = package_rels.get(rel::OFFICE_DOCUMENT).filter(|name| pkg.contains(name)).cloned().unwrap_or_else(|| "word/document.xml".to_string());
    let main_bytes = match pkg.read(&main) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(DocxError::NotDocx(format!("the zip has no main document part ({main})"))),
        Err(e @ package::PartError::TooLarge(_)) => return Err(DocxError::Limit(format!("{main}: {e}"))),
        Err(e) => return Err(DocxError::Corrupt(format!("{main}: {e}"))),
    };
    let document = xml::parse(main_bytes).map_err(|e| DocxError::Corrupt(format!("{main}: {}", e.0)))?;
    note_lossy(&document, &main, &mut warnings);
    let root =
        package::root(&document).filter(|r| r.name == "w:document").ok_or_else(|| DocxError::NotDocx(format!("{main} is not a WordprocessingML document")))?;

    let part_rels = pkg.relationships(&main);
    let mut load = |rels: &HashMap<&str, String>, kind: &str, fallback: &str| {
        let name = rels.get(kind).map_or(fallback, String::as_str);
        optional_part(&mut pkg, name, &mut warnings)
    };
    let styles_xml = load(&part_rels, rel::STYLES, "word/styles.xml");
    let numbering_xml = load(&part_rels, rel::NUMBERING, "word/numbering.xml");
    let footnotes_xml = load(&part_rels, rel::FOOTNOTES, "word/footnotes.xml");
    let endnotes_xml = load(&part_rels, rel::ENDNOTES, "word/endnotes.xml");
    let core_xml = load(&package_rels, rel::CORE_PROPERTIES, "docProps/core.xml");

    let styles = styles_xml.as_ref().and_then(package::root).map(StyleSheet::parse).unwrap_or_default();
    let numbering = numbering_xml.as_ref().and_then(package::root).map(Numbering::parse).unwrap_or_default();

    let mut reader = BodyReader::new(&styles, &numbering);
    let mut blocks = match root.child("w:body") {
        Some(body) => reader.blocks(body),
        None => {
            warnings.push(Warning::new("docx_no_body", format!("{main} has no w:body"), None));
            Vec::new()
        }
    };
    blocks.extend(reader.notes(NoteKind::Footnote, footnotes_xml.as_ref().and_then(package::root)));
    blocks.extend(reader.notes(NoteKind::Endnote, endnotes_xml.as_ref().and_then(package::root)));
    warnings.extend(reader.warnings());
    let blocks = unwrap_layout_tables(blocks, &mut warnings, cues);

    let declared_title =
        core_xml.as_ref().and_then(package::root).and_then(|core| core.child("dc:title")).map(|t| t.text().trim().to_string()).filter(|t| !t.is_empty());

    Ok(LayoutDocument { format: SourceFormat::Docx, pages: Vec::new(), blocks, warnings, declared_title, table_source: "docx", heading_source: "styles" })
}

/// Longest cell text (characters) a data table has; a cell with more is a
/// text column of a page laid out with a table.
const LAYOUT_CELL_CHARS: usize = 300;

/// Word users lay out pages with tables: a row of two or three cells, each a
/// column of headings and paragraphs. Such a table (one or two rows, some
/// cell holding running text, no measure-table header) is read as its
/// cells' paragraphs, cell by cell, so headings and lists inside it reach
/// the segmenters; a `layout_table` warning says so. Web pages laid out
/// with tables get the same reading ([`crate::html`]).
pub(crate) fn unwrap_layout_tables(blocks: Vec<Block>, warnings: &mut Vec<Warning>, cues: &crate::layout::Cues) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        let Block::Table(t) = &block else {
            out.push(block);
            continue;
        };
        let long_cell = t.rows.iter().flat_map(|r| &r.cells).any(|c| c.text().chars().count() > LAYOUT_CELL_CHARS);
        let measure_header = t.rows.iter().any(|r| (cues.measure_header_row)(&r.texts()));
        if t.rows.len() > 2 || !long_cell || measure_header {
            out.push(block);
            continue;
        }
        warnings.push(Warning::new("layout_table", format!("a {}-row table holding running text read as text columns", t.rows.len()), None));
        for row in &t.rows {
            for cell in &row.cells {
                out.extend(cell.lines.iter().cloned().map(Block::Line));
            }
        }
    }
    out
}

/// Reads and parses an optional part; trouble becomes a warning.
fn optional_part(pkg: &mut Package, name: &str, warnings: &mut Vec<Warning>) -> Option<xml::Parsed> {
    let bytes = match pkg.read(name) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return None,
        Err(e) => {
            warnings.push(Warning::new("docx_part_unreadable", format!("{name} skipped: {e}"), None));
            return None;
        }
    };
    match xml::parse(bytes) {
        Ok(parsed) => {
            note_lossy(&parsed, name, warnings);
            Some(parsed)
        }
        Err(e) => {
            warnings.push(Warning::new("docx_part_unreadable", format!("{name} skipped: not well-formed XML: {}", e.0), None));
            None
        }
    }
}

fn note_lossy(parsed: &xml::Parsed, name: &str, warnings: &mut Vec<Warning>) {
    if parsed.lossy {
        warnings.push(Warning::new("docx_encoding", format!("{name} is not valid UTF-8; undecodable bytes replaced"), None));
    }
}
