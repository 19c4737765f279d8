//! `planparse extract FILE... [--json] [--layout] [--max-stream-bytes N ...]`:
//! the text layer, for inspection and for comparing with `pdftotext`. The
//! limit flags are those of `convert`.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use planparse::layout::Block;
use planparse::pipeline;

#[derive(clap::Args)]
pub struct Args {
    /// Input files (.pdf, .docx, .html, .txt, .md)
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Dump pages and spans with coordinates, fonts and flags (PDF); with --layout,
    /// the layout model: blocks, tables → rows → cells → lines with boxes
    #[arg(long)]
    json: bool,
    /// Print lines in reading order with table cells separated by ` | `
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

/// What extracting one file printed: the text for stdout, and its warnings
/// and error for stderr.
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
    for path in &args.files {
        let bytes = match super::read_input(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("planparse: {e}");
                failed = true;
                continue;
            }
        };
        let name = path.display().to_string();
        // Isolated as in `convert`: a panic, an abort, the memory or time limit is this file's error.
        let done = super::isolate::extract(&name, bytes, args.json, args.layout, &opts, args.timeout);
        let done = done.unwrap_or_else(|e| Extracted { error: Some(e), ..Extracted::default() });
        for w in &done.warnings {
            eprintln!("planparse: {name}: warning: {w}");
        }
        let _ = out.write_all(done.out.as_bytes());
        if let Some(e) = done.error {
            eprintln!("planparse: {name}: {e}");
            failed = true;
        }
    }
    if failed {
        super::EXIT_FAILED
    } else {
        super::EXIT_OK
    }
}

pub(super) fn extract_one(name: &str, bytes: &[u8], json: bool, layout: bool, opts: &pipeline::Options) -> Extracted {
    use std::fmt::Write as _;
    let mut done = Extracted::default();
    let out = &mut done.out;
    let is_pdf = matches!(pipeline::detect_format(name, bytes), Ok(planparse::model::SourceFormat::Pdf));
    if is_pdf && !layout {
        match planparse::pdf::extract(bytes, &opts.limits) {
            Ok(mut doc) => {
                planparse::ocr::apply(&mut doc, bytes, &opts.ocr);
                done.warnings = doc.warnings.iter().map(|w| w.message.clone()).collect();
                if json {
                    let _ = writeln!(out, "{}", spans_json(&doc));
                } else {
                    for page in &doc.pages {
                        let _ = writeln!(out, "{}", planparse::layout::pdf::page_text(page));
                        out.push('\u{000C}');
                    }
                }
            }
            Err(e) => done.error = Some(e.to_string()),
        }
        return done;
    }
    match pipeline::layout_bytes(name, bytes, opts) {
        Ok(doc) if json => match serde_json::to_string(&doc) {
            Ok(j) => {
                let _ = writeln!(out, "{j}");
            }
            Err(e) => done.error = Some(format!("cannot serialize layout: {e}")),
        },
        Ok(doc) => {
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
        Err(e) => done.error = Some(e.to_string()),
    }
    done
}

fn spans_json(doc: &planparse::pdf::PdfDocument) -> String {
    let pages: Vec<serde_json::Value> = doc
        .pages
        .iter()
        .map(|p| {
            serde_json::json!({
                "number": p.number, "width": p.width, "height": p.height,
                "spans": p.spans.iter().map(|s| serde_json::json!({
                    "text": s.text, "x0": s.x0, "x1": s.x1, "y": s.y, "size": s.font_size,
                    "font": s.font, "bold": s.bold, "italic": s.italic, "mcid": s.mcid, "artifact": s.artifact,
                })).collect::<Vec<_>>(),
                "shapes": p.shapes.iter().map(|s| serde_json::json!({
                    "x0": s.x0, "y0": s.y0, "x1": s.x1, "y1": s.y1, "kind": format!("{:?}", s.kind),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({ "pages": pages, "warnings": doc.warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>() }).to_string()
}
