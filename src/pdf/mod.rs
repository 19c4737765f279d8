//! Positioned text from PDF files, on `lopdf`.
//!
//! Coordinate system of everything this module returns: PDF points, origin at
//! the **top-left** corner of the page's visible box (CropBox, else MediaBox),
//! x growing right, y growing **down**, after the page's `/Rotate` has been
//! applied (so a rotated page reads upright). A glyph's `y` is its baseline.
//!
//! Only this module sees `lopdf`; the next stage (`layout`) sees [`PdfDocument`].
//!
//! # What the layout stage can rely on
//!
//! - **Spans** ([`TextSpan`]) come in content-stream order. One span is one
//!   font object at one size on one baseline, glyphs drawn one after another
//!   with no gap above 0.15 em and no step back above 0.25 em, in one marked
//!   content (MCID, artifact) and one style. A word space (a blank glyph,
//!   `Tw` included) never splits a span; a positioning gap (TJ kern, `Td`)
//!   does, and no space is inserted for it. Text is trimmed; `x0`/`x1` span the
//!   non-blank glyphs (origin to advance); whitespace-only runs are dropped.
//!   Two spans with a gap on one baseline are two words, or two cells.
//! - **Text** is cleaned: ligatures are letters, Symbol private-use bullets
//!   (`U+F0B7`) and dingbat discs are `•`, no-break space is a space, control
//!   characters are gone (tab, CR and LF are spaces), unmapped codes are
//!   `U+FFFD`. An accent drawn as a glyph of its own over or under a letter
//!   (pdfTeX's OT1 `\aa`, `\'e`) is composed with it (`å`, `é`, NFC). Soft
//!   hyphens (`U+00AD`) stay where the producer drew them (Chromium draws
//!   `\u{ad}` and sometimes a following `-` at a line end).
//! - **Rotated text** (any direction but left to right) comes as one span per
//!   rotated line, words separated by spaces, flagged `rotated`.
//! - **bold/italic** come from the font (name, descriptor flags, weight,
//!   italic angle) or synthetic rendering (`Tr 2` fill+stroke, sheared matrix).
//! - **Shapes** ([`Shape`]): stroked axis-aligned segments as `Stroke` boxes as
//!   thick as the line; filled axis-aligned rectangles as `Fill` (white fills
//!   and strokes are skipped as background); any curved path smaller than
//!   10 pt both ways as `Disc` (a filled disc or a stroked ring). Clipping paths
//!   are not shapes. LibreOffice draws table borders as 0.5–1 pt `Stroke`
//!   lines and cell shading as `Fill` (often twice); its bullets are text
//!   (`•` from OpenSymbol, `o` from Liberation Mono). Chromium draws table
//!   borders as thin (about 0.75 pt) `Fill` rectangles, list bullets as 3 pt
//!   `Disc`s (level 2 as stroked rings, also `Disc`), and does not mark running
//!   headers or page numbers as artifacts.
//! - **Structure**: in Chromium files an MCID's owner is usually a `NonStruct`
//!   or `Lbl` element; walk `parent` up to `P`, `TD`, `LI`, `H1`….
//!
//! Inside: `lexer` tokenizes content streams and CMaps, `interp` runs the
//! operators and reports glyphs and paths to a device, `spans` groups glyphs
//! into spans, `font` turns codes into text and widths, `structure` reads the
//! tagged-PDF structure tree, `document` loads the file and walks pages.

mod document;
mod font;
mod geometry;
mod interp;
mod lexer;
mod objects;
mod spans;
mod streams;
mod structure;
mod warnings;

/// Entry points for the fuzz targets in `fuzz/`: parsers below [`extract`],
/// driven without building a PDF around their input. Not a stable interface.
#[doc(hidden)]
pub mod fuzzing {
    use super::font::cmap::CMap;
    use super::font::encoding::{BaseEncoding, DiffItem, Differences, Flavor};
    use super::font::simple_text;
    use super::lexer::{Lexer, Operand, Operands};

    /// Parses `data` as a CMap, splits `data` itself into codes by the CMap's
    /// code-space ranges and looks each code up (text and CID); then reads the
    /// numbers and names in `data` as a `/Differences` array and builds a
    /// simple font's code → text table from it and the CMap, for each base
    /// encoding. Returns the characters produced (so no work is optimized away).
    pub fn cmap(data: &[u8]) -> usize {
        let cmap = CMap::parse(data);
        let mut chars = 0;
        let mut rest = data;
        while !rest.is_empty() {
            let (code, len) = cmap.next_code(rest, 2);
            cmap.for_each_char(code, |_| chars += 1);
            chars += usize::from(cmap.cid(code).is_some());
            rest = rest.get(len..).unwrap_or(&[]);
        }

        let mut tokens: Vec<Result<i64, Vec<u8>>> = Vec::new();
        let mut lexer = Lexer::new(data);
        let mut ops = Operands::default();
        while lexer.next_op(&mut ops).is_some() {
            for op in &ops.items {
                match op {
                    Operand::Number(n) => tokens.push(Ok(*n as i64)),
                    name @ Operand::Name(..) => tokens.push(Err(ops.bytes(name).to_vec())),
                    _ => {}
                }
            }
        }
        let differences = Differences::from_items(tokens.iter().map(|t| match t {
            Ok(code) => DiffItem::Code(*code),
            Err(name) => DiffItem::Name(name),
        }));
        let bases = [
            BaseEncoding::Standard,
            BaseEncoding::WinAnsi,
            BaseEncoding::MacRoman,
            BaseEncoding::PdfDoc,
            BaseEncoding::Symbol,
            BaseEncoding::ZapfDingbats,
            BaseEncoding::Wingdings,
        ];
        for (base, flavor) in bases.into_iter().zip([Flavor::Text, Flavor::Dingbats, Flavor::Wingdings].into_iter().cycle()) {
            let text = simple_text(Some(&cmap), &differences, None, base, flavor);
            chars += text.iter().flatten().map(|t| t.len()).sum::<usize>();
        }
        chars
    }
}

/// Caps that keep a hostile file from eating the machine. Each has a CLI flag.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// Max inflated bytes of one stream.
    pub max_stream_bytes: usize,
    /// Max inflated bytes of all streams of a document.
    pub max_document_bytes: usize,
    /// Max content-stream operators interpreted per page.
    pub max_ops_per_page: usize,
    /// Max nesting depth of Form XObjects.
    pub max_xobject_depth: usize,
    /// Max pages read.
    pub max_pages: usize,
    /// Max objects in the document.
    pub max_objects: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_stream_bytes: 256 << 20,
            max_document_bytes: 256 << 20,
            max_ops_per_page: 2_000_000,
            max_xobject_depth: 12,
            max_pages: 10_000,
            max_objects: 2_000_000,
        }
    }
}

/// One of the [`Limits`]; errors and warnings about it name the CLI flag
/// that raises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    StreamBytes,
    DocumentBytes,
    Objects,
    OpsPerPage,
    XObjectDepth,
    Pages,
}

impl Limit {
    /// The `convert`/`extract` flag that sets this limit.
    pub fn flag(self) -> &'static str {
        match self {
            Limit::StreamBytes => "--max-stream-bytes",
            Limit::DocumentBytes => "--max-document-bytes",
            Limit::Objects => "--max-objects",
            Limit::OpsPerPage => "--max-ops-per-page",
            Limit::XObjectDepth => "--max-xobject-depth",
            Limit::Pages => "--max-pages",
        }
    }
}

/// Why a PDF could not be read at all. Per-page problems are warnings instead.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("not a PDF (no %PDF header)")]
    NotPdf,
    #[error("encrypted, password required")]
    Encrypted,
    #[error("corrupt PDF: {0}")]
    Corrupt(String),
    /// The file was cut short and nothing could be read from what is there.
    #[error("truncated PDF: {0}")]
    Truncated(String),
    #[error("limit exceeded: {1} (raise it with {flag})", flag = .0.flag())]
    Limit(Limit, String),
}

/// A problem on one page that did not stop extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfWarning {
    pub code: &'static str,
    pub message: String,
    /// 1-based page number.
    pub page: Option<u32>,
}

/// All pages of one PDF.
#[derive(Debug, Clone, Default)]
pub struct PdfDocument {
    pub pages: Vec<PdfPage>,
    pub warnings: Vec<PdfWarning>,
    /// The document's `/Info` `/Title`, if any.
    pub info_title: Option<String>,
    /// The logical structure (tagged PDF), when `/StructTreeRoot` exists.
    pub structure: Option<StructTree>,
}

/// One page: its text and its drawn shapes (candidate table rulings).
#[derive(Debug, Clone, Default)]
pub struct PdfPage {
    /// 1-based page number.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    /// Text in content-stream order.
    pub spans: Vec<TextSpan>,
    /// Axis-aligned filled or stroked shapes: table borders, cell shading, list discs.
    pub shapes: Vec<Shape>,
    /// Images drawn (XObjects, also inside forms, and inline images).
    pub images: u32,
    /// Filled or stroked paths drawn (text converted to outlines draws many).
    pub painted_paths: u32,
}

/// A run of glyphs drawn with one font and size on one baseline, without a
/// visible horizontal gap inside it (gaps above 0.15 em start a new span; a
/// space glyph is kept as a `' '` char inside the span).
#[derive(Debug, Clone, PartialEq)]
pub struct TextSpan {
    /// Decoded Unicode text (ToUnicode, then encoding, then glyph names).
    pub text: String,
    /// Left edge of the first glyph.
    pub x0: f32,
    /// Right edge (origin + advance) of the last glyph.
    pub x1: f32,
    /// Baseline.
    pub y: f32,
    /// Effective font size in page units (`Tf` size scaled by text and CTM matrices).
    pub font_size: f32,
    /// Font's BaseFont without the subset prefix (`ABCDEF+`).
    pub font: String,
    pub bold: bool,
    pub italic: bool,
    /// Marked-content id of the innermost `BDC` with an `/MCID`, if any.
    pub mcid: Option<u32>,
    /// Inside `/Artifact` marked content (running headers, page numbers in tagged PDFs).
    pub artifact: bool,
    /// Drawn in another direction than left to right (vertical, rotated or
    /// upside-down text): the span is one whole rotated line, its words
    /// separated by spaces, and `x0`/`x1`/`y` are where its glyphs start and end.
    pub rotated: bool,
}

/// An axis-aligned box drawn on the page (a line is a box with zero or tiny width/height).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub kind: ShapeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeKind {
    /// Stroked line segment or stroked rectangle edge.
    Stroke,
    /// Filled rectangle (cell shading or a thin border drawn as a fill).
    Fill,
    /// A small filled curved path (a list disc drawn as a shape).
    Disc,
}

/// The structure tree of a tagged PDF, flattened.
#[derive(Debug, Clone, Default)]
pub struct StructTree {
    /// Nodes; `parent` indexes into this vector.
    pub nodes: Vec<StructNode>,
    /// (1-based page number, MCID) -> innermost owning node.
    pub mcid_owner: std::collections::HashMap<(u32, u32), usize>,
}

#[derive(Debug, Clone)]
pub struct StructNode {
    /// Structure type after RoleMap: `Table`, `TR`, `TH`, `TD`, `H1`, `P`, `LI`...
    pub role: String,
    pub parent: Option<usize>,
}

/// Reads a PDF from bytes: every page's spans and shapes, the document
/// title and structure tree.
///
/// Fails only when the file cannot be read at all (not a PDF, encrypted with a
/// password, damaged beyond lopdf's repair, or over a document-wide [`Limits`]
/// cap); problems confined to a page become [`PdfWarning`]s:
///
/// | code | meaning |
/// |---|---|
/// | `no_text_layer` | the page draws no text (scanned?) |
/// | `bad_stream` | a content or Form stream does not decode; skipped |
/// | `stream_too_large` | a stream inflates beyond `max_stream_bytes`; skipped |
/// | `op_limit` | more than `max_ops_per_page` operators; the rest is skipped |
/// | `xobject_depth`, `xobject_cycle` | Form XObjects nest too deep or draw themselves |
/// | `missing_font` | `Tf` names a font the resources lack |
/// | `unmapped_glyph` | some codes have no Unicode mapping; shown as U+FFFD |
/// | `undecodable_font` | most of a font's codes map to nothing usable |
/// | `guessed_encoding` | a font without any Unicode mapping is read in a guessed encoding (TeX's T1 for pdfTeX's bitmap fonts) |
/// | `cmap_limit` | a CMap holds more mappings than any real font; the rest are ignored |
/// | `page_tree_cycle`, `page_limit` | page tree problems (no page number) |
/// | `truncated` | the file ends early (no `%%EOF` near the end, or `startxref` past the end) |
/// | `xref_rebuilt` | the cross-reference data was damaged and lopdf rebuilt or corrected it |
///
/// Messages about a limit name the CLI flag that raises it ([`Limit::flag`]).
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<PdfDocument, PdfError> {
    document::extract(bytes, limits)
}

/// Warning codes about the file rather than a guess about its content: it is
/// damaged, a limit cut it short, or a page has no text to read. `convert`
/// and `extract` also print these on stderr, naming the file.
pub const REPORTED_WARNINGS: [&str; 11] = [
    "truncated",
    "xref_rebuilt",
    "bad_stream",
    "stream_too_large",
    "op_limit",
    "xobject_depth",
    "xobject_cycle",
    "cmap_limit",
    "page_tree_cycle",
    "page_limit",
    "no_text_layer",
];
