//! `planparse extract FILE... [--json] [--layout] [--max-stream-bytes N ...]`:
//! the text layer, for inspection and for comparing with `pdftotext`. The
//! limit flags are those of `convert`.
//!
//! `--json` prints one JSON object per file, one a line, in the same shape
//! for every format (README, "extract --json"): `file`, `format`, `pages`
//! (PDF: size, running header and footer, spans and drawn shapes; other
//! formats have no pages), `blocks` (the layout model: lines and tables),
//! `declared_title`, `table_source`, `heading_source`, `warnings` and `error`. Text output of several files puts a
//! `==> FILE <==` line before each file's text.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use planparse::layout::{Block, LayoutDocument, Line};
use planparse::model::{SourceFormat, Warning};
use planparse::pipeline;
use serde::Serialize;

#[derive(clap::Args)]
pub struct Args {
    /// Input files (.pdf, .docx, .html, .txt, .md)
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// One JSON object per file (one a line), the same shape for every format:
    /// file, format, pages (PDF spans and drawn shapes with coordinates, fonts,
    /// flags), blocks (lines and tables → rows → cells → lines), warnings, error
    #[arg(long)]
    json: bool,
    /// Print lines in reading order with table cells separated by ` | `
    /// (text output; `--json` always carries the layout's blocks)
    #[arg(long)]
    layout: bool,
    /// Per-file time limit in seconds; a file over it fails with "time limit exceeded"
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = super::convert::parse_seconds)]
    timeout: Duration,
    #[command(flatten)]
    limits: super::convert::LimitArgs,
    #[command(flatten)]
    ocr: super::convert::OcrArgs,
    #[command(flatten)]
    budget: super::isolate::BudgetArgs,
}

/// What extracting one file printed: the text or JSON for stdout, and its
/// warnings and error for stderr.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Extracted {
    out: String,
    warnings: Vec<String>,
    error: Option<String>,
}

pub fn run(args: Args) -> i32 {
    let opts = args.limits.options(&args.ocr);
    args.budget.apply();
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let several = args.files.len() > 1;
    for path in &args.files {
        let name = path.display().to_string();
        let done = match std::fs::read(path) {
            Ok(bytes) => {
                // Isolated as in `convert`: a panic, an abort, the memory or time limit is this file's error.
                let done = super::isolate::extract(&name, bytes, args.json, args.layout, &opts, args.timeout);
                done.unwrap_or_else(|e| Extracted { error: Some(e), ..Extracted::default() })
            }
            Err(e) => Extracted { error: Some(format!("cannot read: {e}")), ..Extracted::default() },
        };
        for w in &done.warnings {
            eprintln!("planparse: {name}: warning: {w}");
        }
        let mut text = done.out;
        if args.json && text.is_empty() {
            // A file that could not be read still gets its object, with the error.
            text = file_json(&name, None, None, &[], done.error.as_deref());
        } else if several && !args.json {
            text = format!("==> {name} <==\n{text}");
        }
        if let Err(e) = out.write_all(text.as_bytes()) {
            return closed_or_failed(&e);
        }
        if let Some(e) = done.error {
            eprintln!("planparse: {name}: {e}");
            failed = true;
        }
    }
    if let Err(e) = out.flush() {
        return closed_or_failed(&e);
    }
    if failed {
        super::EXIT_FAILED
    } else {
        super::EXIT_OK
    }
}

/// The exit code after a failed write to stdout: quiet success when the
/// reader closed the pipe.
fn closed_or_failed(e: &std::io::Error) -> i32 {
    if super::is_closed_pipe(e) {
        super::EXIT_OK
    } else {
        eprintln!("planparse: cannot write to stdout: {e}");
        super::EXIT_FAILED
    }
}

pub(super) fn extract_one(name: &str, bytes: &[u8], json: bool, layout: bool, opts: &pipeline::Options) -> Extracted {
    use std::fmt::Write as _;
    let mut done = Extracted::default();
    let is_pdf = matches!(pipeline::detect_format(name, bytes), Ok(planparse::model::SourceFormat::Pdf));
    // A PDF is read once: its spans, and (for --json and --layout) the layout made from them.
    let needs_layout = json || layout || !is_pdf;
    let (pdf, read) = if is_pdf {
        match planparse::pdf::extract(bytes, &opts.limits) {
            Ok(mut doc) => {
                planparse::ocr::apply(&mut doc, bytes, &opts.ocr);
                let layout = needs_layout.then(|| planparse::layout::pdf::layout_with(&doc, &planparse::segment::vocab::LAYOUT_CUES));
                (Some(doc), Ok(layout))
            }
            Err(e) => (None, Err(e.to_string())),
        }
    } else {
        (None, pipeline::layout_bytes(name, bytes, opts).map(Some).map_err(|e| e.to_string()))
    };
    let doc = match read {
        Ok(doc) => doc,
        Err(e) => {
            if json {
                done.out = file_json(name, None, None, &[], Some(&e));
            }
            done.error = Some(e);
            return done;
        }
    };
    done.warnings = match (&pdf, &doc) {
        (Some(p), _) => p.warnings.iter().map(|w| w.message.clone()).collect(),
        (None, Some(d)) => d.warnings.iter().map(|w| w.message.clone()).collect(),
        (None, None) => Vec::new(),
    };
    let out = &mut done.out;
    match (&pdf, &doc) {
        (_, Some(doc)) if json => *out = file_json(name, Some(doc), pdf.as_ref(), &doc.warnings, None),
        (_, Some(doc)) => {
            for b in &doc.blocks {
                match b {
                    Block::Line(l) => {
                        let _ = writeln!(out, "{}", l.text);
                    }
                    Block::Table(t) => {
                        for r in &t.rows {
                            let _ = writeln!(out, "{}", r.texts().join(" | "));
                        }
                    }
                }
            }
        }
        (Some(pdf), None) => {
            for page in &pdf.pages {
                let _ = writeln!(out, "{}", planparse::layout::pdf::page_text(page));
                out.push('\u{000C}');
            }
        }
        (None, None) => {}
    }
    done
}

/// The `--json` object of one file; fields in the order printed (README,
/// "extract --json").
#[derive(Serialize)]
struct FileJson<'a> {
    file: &'a str,
    format: Option<SourceFormat>,
    pages: Vec<PageJson<'a>>,
    blocks: Vec<BlockJson<'a>>,
    declared_title: Option<&'a str>,
    table_source: Option<&'a str>,
    heading_source: Option<&'a str>,
    warnings: &'a [Warning],
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct PageJson<'a> {
    number: u32,
    width: f32,
    height: f32,
    header: &'a [String],
    footer: &'a [String],
    spans: Vec<SpanJson<'a>>,
    shapes: Vec<ShapeJson>,
}

#[derive(Serialize)]
struct SpanJson<'a> {
    text: &'a str,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    font: &'a str,
    bold: bool,
    italic: bool,
    mcid: Option<u32>,
    artifact: bool,
}

#[derive(Serialize)]
struct ShapeJson {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    kind: String,
}

/// A line or a table of the layout model, tagged with `"type"`.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum BlockJson<'a> {
    Line(&'a Line),
    Table { origin: String, pages: &'a [u32], rows: Vec<RowJson<'a>> },
}

#[derive(Serialize)]
struct RowJson<'a> {
    header: bool,
    pages: &'a [u32],
    cells: Vec<CellJson<'a>>,
}

#[derive(Serialize)]
struct CellJson<'a> {
    text: String,
    lines: &'a [Line],
}

/// The `--json` object of one file, as one line. Every key is always there:
/// `pages` and `blocks` are empty when the file could not be read (`error`
/// says why), `pages` is empty for formats without pages.
fn file_json(name: &str, doc: Option<&LayoutDocument>, pdf: Option<&planparse::pdf::PdfDocument>, warnings: &[Warning], error: Option<&str>) -> String {
    let metas = doc.map(|d| d.pages.as_slice()).unwrap_or_default();
    let numbers: Vec<u32> = match pdf {
        Some(p) => p.pages.iter().map(|p| p.number).collect(),
        None => metas.iter().map(|m| m.number).collect(),
    };
    let pages = numbers
        .into_iter()
        .map(|number| {
            let meta = metas.iter().find(|m| m.number == number);
            let page = pdf.and_then(|p| p.pages.iter().find(|p| p.number == number));
            let (width, height) = page.map(|p| (p.width, p.height)).or(meta.map(|m| (m.width, m.height))).unwrap_or_default();
            PageJson {
                number,
                width,
                height,
                header: meta.map(|m| m.header.as_slice()).unwrap_or_default(),
                footer: meta.map(|m| m.footer.as_slice()).unwrap_or_default(),
                spans: page
                    .map(|p| {
                        p.spans
                            .iter()
                            .map(|s| SpanJson {
                                text: &s.text,
                                x0: s.x0,
                                x1: s.x1,
                                y: s.y,
                                size: s.font_size,
                                font: &s.font,
                                bold: s.bold,
                                italic: s.italic,
                                mcid: s.mcid,
                                artifact: s.artifact,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                shapes: page
                    .map(|p| {
                        p.shapes.iter().map(|s| ShapeJson { x0: s.x0, y0: s.y0, x1: s.x1, y1: s.y1, kind: format!("{:?}", s.kind).to_lowercase() }).collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let blocks = doc.map(|d| d.blocks.iter().map(block_json).collect()).unwrap_or_default();
    let object = FileJson {
        file: name,
        format: doc.map(|d| d.format),
        pages,
        blocks,
        declared_title: doc.and_then(|d| d.declared_title.as_deref()),
        table_source: doc.map(|d| d.table_source),
        heading_source: doc.map(|d| d.heading_source),
        warnings,
        error,
    };
    match serde_json::to_string(&object) {
        Ok(line) => format!("{line}\n"),
        // Plain data serializes; this is only a fallback with the same keys.
        Err(e) => format!(
            "{}\n",
            serde_json::json!({"file": name, "format": null, "pages": [], "blocks": [], "declared_title": null, "table_source": null, "heading_source": null, "warnings": [], "error": format!("cannot serialize: {e}")})
        ),
    }
}

fn block_json(block: &Block) -> BlockJson<'_> {
    match block {
        Block::Line(l) => BlockJson::Line(l),
        Block::Table(t) => BlockJson::Table {
            origin: format!("{:?}", t.origin).to_lowercase(),
            pages: &t.pages,
            rows: t
                .rows
                .iter()
                .map(|r| RowJson { header: r.header, pages: &r.pages, cells: r.cells.iter().map(|c| CellJson { text: c.text(), lines: &c.lines }).collect() })
                .collect(),
        },
    }
}
