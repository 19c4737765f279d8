//! The layout model: what the segmenters read.
//!
//! Every input format ends here. A PDF's spans are rebuilt into lines, blocks
//! and table cells from coordinates (or from structure tags); a text file is one
//! column of lines without coordinates; a DOCX file or a web page gives
//! paragraphs and tables directly. The segmenters never know which format they read.
//!
//! Coordinates (where present) are PDF points with a top-left origin, y down,
//! as produced by [`crate::pdf`].

mod aligned;
pub mod columns;
pub mod pdf;
pub mod text;
pub mod text_columns;

use serde::Serialize;

use crate::model::{SourceFormat, Warning};

/// Word cues the readers and the layout stage need from the vocabulary. The
/// vocabulary lives in `segment::vocab`; the pipeline hands these over, so no
/// reader or layout module depends on the segmenters.
#[derive(Debug, Clone, Copy)]
pub struct Cues {
    /// A printed line that is a measure table's header (`Tiltak   Ansvar`):
    /// a page holding one is not split into text columns.
    pub table_header_line: fn(&str) -> bool,
    /// A row of cells that names a measure table's columns: such a table is
    /// never a page laid out with a table.
    pub measure_header_row: fn(&[String]) -> bool,
    /// Tables aligned with spaces in text input.
    pub text_tables: Option<text_columns::TextTableCues>,
}

impl Cues {
    /// No vocabulary: nothing reads as a measure-table header (layout for
    /// tools that do not segment).
    pub const NONE: Cues = Cues { table_header_line: |_| false, measure_header_row: |_| false, text_tables: None };
}

/// A document as lines and tables in reading order.
#[derive(Debug, Clone, Serialize)]
pub struct LayoutDocument {
    pub format: SourceFormat,
    /// Page metadata; empty for inputs without pages.
    pub pages: Vec<PageMeta>,
    /// Body content in reading order, running headers and footers removed.
    pub blocks: Vec<Block>,
    pub warnings: Vec<Warning>,
    /// A title the container declares (PDF `/Info /Title`, DOCX core title).
    pub declared_title: Option<String>,
    /// How tables were found: `"geometry"`, `"tags"`, `"text"`, `"docx"`, `"html"`.
    pub table_source: &'static str,
    /// Where heading levels came from: `"tags"` (tagged PDF `H1`..`H6`),
    /// `"styles"` (DOCX heading styles), `"html"` (`h1`..`h6`), `"fonts"`
    /// (PDF bold/size, read by the segmenter) or `"text"` (numbering and
    /// keywords only).
    pub heading_source: &'static str,
}

/// One page's size and the running text removed from its body.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageMeta {
    /// 1-based.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    /// Running header lines (repeated across pages at the top).
    pub header: Vec<String>,
    /// Running footer lines and page numbers.
    pub footer: Vec<String>,
}

/// A piece of body content.
#[derive(Debug, Clone, Serialize)]
pub enum Block {
    Line(Line),
    Table(Table),
}

/// An axis-aligned box in page coordinates (top-left origin).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct BBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// One printed line (words on one baseline within one column or cell).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Line {
    /// Words joined by single spaces, as printed (not yet normalized).
    pub text: String,
    /// 1-based page, `None` for text input.
    pub page: Option<u32>,
    pub bbox: Option<BBox>,
    /// Dominant font size in points; 0 for text input.
    pub font_size: f32,
    pub bold: bool,
    pub italic: bool,
    /// Heading level from tags (`H1`..`H6`), DOCX styles (`Heading1`..) or
    /// HTML (`h1`..`h6`).
    pub heading: Option<u8>,
    /// Vertical space before this line: blank lines for text input, gap in
    /// line heights for PDFs (0 for a line that follows directly).
    pub space_before: f32,
    /// Left indent: leading spaces for text input, x offset from the
    /// column's left edge in points for PDFs.
    pub indent: f32,
    /// The text began with a drawn list disc (Chromium) or a bullet glyph.
    pub bullet: bool,
    /// Marked-content id of the line's first tagged span (tagged PDFs).
    pub mcid: Option<u32>,
    /// Every span of the line is `/Artifact` marked content.
    pub artifact: bool,
}

impl Line {
    /// A line of text input.
    pub fn plain(text: impl Into<String>) -> Line {
        Line { text: text.into(), ..Line::default() }
    }
}

/// How a table was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TableOrigin {
    /// Ruling lines and column alignment in a PDF.
    Geometry,
    /// `Table/TR/TD` structure tags in a tagged PDF.
    Tags,
    /// Tab-separated lines in text input.
    Tabs,
    /// `w:tbl` in a DOCX file.
    Docx,
    /// `table` in a web page.
    Html,
    /// Lines that pair up as name and title (a member list), found by the segmenter.
    Pairs,
    /// A table's cells printed one after another in text input, rebuilt by the segmenter.
    Flat,
    /// Columns aligned with spaces in text input (`pdftotext -layout`), cut at the header's columns.
    Columns,
}

/// A table; one that continued across pages is one table, rows split by a
/// page break are joined, repeated header rows are dropped.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub rows: Vec<Row>,
    pub pages: Vec<u32>,
    pub origin: TableOrigin,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub pages: Vec<u32>,
    /// The row is (or repeats) the table's header row.
    pub header: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Cell {
    pub lines: Vec<Line>,
}

impl Cell {
    /// The cell's lines joined by spaces (not normalized).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for l in &self.lines {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(l.text.trim());
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.text.trim().is_empty())
    }
}

impl LayoutDocument {
    /// The words this document prints, the evidence for joining words split
    /// at line ends ([`crate::text::join_lines_with`]). A printed line's first
    /// and last words may be halves of a split word, so only its interior
    /// words count as whole; a DOCX paragraph is never broken in the file, so
    /// all its words do.
    pub fn vocabulary(&self) -> crate::text::Vocabulary {
        let mut v = crate::text::Vocabulary::new();
        let whole = self.format == SourceFormat::Docx;
        let mut add = |line: &Line| {
            v.add_line(&line.text);
            if whole {
                line.text.split(|c: char| c.is_whitespace() || c == '/').for_each(|w| v.add_word(w));
            }
        };
        for block in &self.blocks {
            match block {
                Block::Line(l) => add(l),
                Block::Table(t) => t.rows.iter().flat_map(|r| &r.cells).flat_map(|c| &c.lines).for_each(&mut add),
            }
        }
        v
    }
}

/// Lines of blocks, tables read row by row, cell by cell: the content of a
/// table cell or text box as the lines a reader sees.
pub fn flatten(blocks: Vec<Block>) -> Vec<Line> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Line(line) => out.push(line),
            Block::Table(table) => {
                for row in table.rows {
                    for cell in row.cells {
                        out.extend(cell.lines);
                    }
                }
            }
        }
    }
    out
}

/// The font size most printing characters of a line have, from
/// `(size, characters)` counts; the first of equal counts wins.
pub fn dominant_size(sizes: &[(f32, usize)]) -> Option<f32> {
    sizes
        .iter()
        .fold(None::<(f32, usize)>, |best, &(s, n)| match best {
            Some((_, bn)) if bn >= n => best,
            _ => Some((s, n)),
        })
        .map(|(s, _)| s)
}

impl Row {
    /// Text of every cell.
    pub fn texts(&self) -> Vec<String> {
        self.cells.iter().map(Cell::text).collect()
    }
}

/// A page label printed as a line of its own: `Side 3 av 12`, `Sida 3`,
/// `Page 3 of 12`, `s. 3`, `3 av 12`, `3/12`, `- 3 -`. The one page-number
/// rule of every reader and segmenter; a bare number is a page number only
/// where its place says so (a page margin, blank lines around it), which the
/// caller knows.
pub fn is_page_label(raw: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r"^(?i:(?:side|sida|page|s\.)\s+[0-9]{1,4}(?:\s*(?:av|of|/)\s*[0-9]{1,4})?|[0-9]{1,4}\s*(?:av|of|/)\s*[0-9]{1,4}|[-–]\s*[0-9]{1,4}\s*[-–])$",
        )
        .expect("page label pattern")
    });
    re.is_match(raw.trim())
}

/// A bare page number: one to four digits and nothing else.
pub fn is_bare_page_number(raw: &str) -> bool {
    let t = raw.trim();
    (1..=4).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod page_label_tests {
    use super::*;

    #[test]
    fn page_labels_in_both_written_forms_and_english() {
        for t in ["Side 3 av 12", "Sida 3", "Page 3 of 12", "s. 3", "3 av 12", "3/12", "- 3 -", "– 12 –"] {
            assert!(is_page_label(t), "{t}");
        }
        for t in ["Side om side", "3. Tiltak", "2024/123 Budsjett", "12"] {
            assert!(!is_page_label(t), "{t}");
        }
        assert!(is_bare_page_number(" 12 ") && !is_bare_page_number("12345") && !is_bare_page_number("1a"));
    }
}
