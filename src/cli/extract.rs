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

use planparse::layout::{Block, LayoutDocument};
use planparse::model::Warning;
use planparse::pipeline;
use serde_json::{json, Value};

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
}

/// What extracting one file printed: the text or JSON for stdout, and its
/// warnings and error for stderr.
#[derive(Default)]
struct Extracted {
    out: String,
    warnings: Vec<String>,
    error: Option<String>,
}

pub fn run(args: Args) -> i32 {
    let opts = args.limits.options(&args.ocr);
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let several = args.files.len() > 1;
    for path in &args.files {
        let name = path.display().to_string();
        let done = match std::fs::read(path) {
            Ok(bytes) => {
                let (json, layout, opts) = (args.json, args.layout, opts.clone());
                let work_name = name.clone();
                // Isolated as in `convert`: a panic or a time-out is this file's error.
                let done = super::convert::isolated(&name, args.timeout, move || extract_one(&work_name, &bytes, json, layout, &opts));
                done.unwrap_or_else(|e| Extracted { error: Some(e.to_string()), ..Extracted::default() })
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

fn extract_one(name: &str, bytes: &[u8], json: bool, layout: bool, opts: &pipeline::Options) -> Extracted {
    use std::fmt::Write as _;
    let mut done = Extracted::default();
    let is_pdf = matches!(pipeline::detect_format(name, bytes), Ok(planparse::model::SourceFormat::Pdf));
    // A PDF is read once: its spans, and the layout made from them.
    let (pdf, read) = if is_pdf {
        match planparse::pdf::extract(bytes, &opts.limits) {
            Ok(mut doc) => {
                planparse::ocr::apply(&mut doc, bytes, &opts.ocr);
                let layout = planparse::layout::pdf::layout_with(&doc, &planparse::segment::vocab::LAYOUT_CUES);
                (Some(doc), Ok(layout))
            }
            Err(e) => (None, Err(e.to_string())),
        }
    } else {
        (None, pipeline::layout_bytes(name, bytes, opts).map_err(|e| e.to_string()))
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
    done.warnings = match &pdf {
        Some(p) => p.warnings.iter().map(|w| w.message.clone()).collect(),
        None => doc.warnings.iter().map(|w| w.message.clone()).collect(),
    };
    let out = &mut done.out;
    if json {
        *out = file_json(name, Some(&doc), pdf.as_ref(), &doc.warnings, None);
    } else if let (Some(pdf), false) = (&pdf, layout) {
        for page in &pdf.pages {
            let _ = writeln!(out, "{}", planparse::layout::pdf::page_text(page));
            out.push('\u{000C}');
        }
    } else {
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
    done
}

/// The `--json` object of one file, as one line. Every key is always there:
/// `pages` and `blocks` are empty when the file could not be read (`error`
/// says why), `pages` is empty for formats without pages.
fn file_json(name: &str, doc: Option<&LayoutDocument>, pdf: Option<&planparse::pdf::PdfDocument>, warnings: &[Warning], error: Option<&str>) -> String {
    let format = doc.map(|d| serde_json::to_value(d.format).unwrap_or(Value::Null)).unwrap_or(Value::Null);
    let metas = doc.map(|d| d.pages.as_slice()).unwrap_or_default();
    let mut pages: Vec<Value> = Vec::new();
    let numbers: Vec<u32> = match pdf {
        Some(p) => p.pages.iter().map(|p| p.number).collect(),
        None => metas.iter().map(|m| m.number).collect(),
    };
    for number in numbers {
        let meta = metas.iter().find(|m| m.number == number);
        let page = pdf.and_then(|p| p.pages.iter().find(|p| p.number == number));
        let (width, height) = page.map(|p| (p.width, p.height)).or(meta.map(|m| (m.width, m.height))).unwrap_or_default();
        pages.push(json!({
            "number": number, "width": width, "height": height,
            "header": meta.map(|m| m.header.clone()).unwrap_or_default(),
            "footer": meta.map(|m| m.footer.clone()).unwrap_or_default(),
            "spans": page.map(|p| p.spans.iter().map(|s| json!({
                "text": s.text, "x0": s.x0, "x1": s.x1, "y": s.y, "size": s.font_size,
                "font": s.font, "bold": s.bold, "italic": s.italic, "mcid": s.mcid, "artifact": s.artifact,
            })).collect::<Vec<_>>()).unwrap_or_default(),
            "shapes": page.map(|p| p.shapes.iter().map(|s| json!({
                "x0": s.x0, "y0": s.y0, "x1": s.x1, "y1": s.y1, "kind": format!("{:?}", s.kind).to_lowercase(),
            })).collect::<Vec<_>>()).unwrap_or_default(),
        }));
    }
    let blocks: Vec<Value> = doc.map(|d| d.blocks.iter().map(block_json).collect()).unwrap_or_default();
    let object = json!({
        "file": name,
        "format": format,
        "pages": pages,
        "blocks": blocks,
        "declared_title": doc.and_then(|d| d.declared_title.clone()),
        "table_source": doc.map(|d| d.table_source),
        "heading_source": doc.map(|d| d.heading_source),
        "warnings": warnings,
        "error": error,
    });
    format!("{object}\n")
}

/// A line or a table of the layout model, tagged with `"type"`.
fn block_json(block: &Block) -> Value {
    match block {
        Block::Line(l) => tagged("line", line_json(l)),
        Block::Table(t) => json!({
            "type": "table",
            "origin": format!("{:?}", t.origin).to_lowercase(),
            "pages": t.pages,
            "rows": t.rows.iter().map(|r| json!({
                "header": r.header,
                "pages": r.pages,
                "cells": r.cells.iter().map(|c| json!({"text": c.text(), "lines": c.lines.iter().map(line_json).collect::<Vec<_>>()})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }),
    }
}

fn line_json(line: &planparse::layout::Line) -> Value {
    serde_json::to_value(line).unwrap_or(Value::Null)
}

/// `value` (an object) with `"type": kind` added.
fn tagged(kind: &str, value: Value) -> Value {
    let mut object = serde_json::Map::new();
    object.insert("type".into(), Value::from(kind));
    if let Value::Object(fields) = value {
        object.extend(fields);
    }
    Value::Object(object)
}
