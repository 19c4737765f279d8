//! `planparse extract FILE... [--json] [--layout] [--max-stream-bytes N ...]`:
//! the text layer, for inspection and for comparing with `pdftotext`. The
//! limit flags are those of `convert`.

use std::io::Write;
use std::path::PathBuf;

use planparse::layout::Block;
use planparse::pipeline;

#[derive(clap::Args)]
pub struct Args {
    /// Input files (.pdf, .docx, .txt, .md)
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Dump pages and spans with coordinates, fonts and flags (PDF); with --layout,
    /// the layout model: blocks, tables → rows → cells → lines with boxes
    #[arg(long)]
    json: bool,
    /// Print lines in reading order with table cells separated by ` | `
    #[arg(long)]
    layout: bool,
    #[command(flatten)]
    limits: super::convert::LimitArgs,
    #[command(flatten)]
    ocr: super::convert::OcrArgs,
}

pub fn run(args: Args) -> i32 {
    let opts = args.limits.options(&args.ocr);
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
        let is_pdf = matches!(pipeline::detect_format(&name, &bytes), Ok(planparse::model::SourceFormat::Pdf));
        if is_pdf && !args.layout {
            match planparse::pdf::extract(&bytes, &opts.limits) {
                Ok(mut doc) => {
                    planparse::ocr::apply(&mut doc, &bytes, &opts.ocr);
                    for w in &doc.warnings {
                        eprintln!("planparse: {name}: warning: {}", w.message);
                    }
                    if args.json {
                        let _ = writeln!(out, "{}", spans_json(&doc));
                    } else {
                        for page in &doc.pages {
                            let _ = writeln!(out, "{}", planparse::layout::pdf::page_text(page));
                            let _ = write!(out, "\u{000C}");
                        }
                    }
                }
                Err(e) => {
                    eprintln!("planparse: {name}: {e}");
                    failed = true;
                }
            }
            continue;
        }
        match pipeline::layout_bytes(&name, &bytes, &opts) {
            Ok(doc) if args.json => match serde_json::to_string(&doc) {
                Ok(j) => {
                    let _ = writeln!(out, "{j}");
                }
                Err(e) => {
                    eprintln!("planparse: {name}: cannot serialize layout: {e}");
                    failed = true;
                }
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
            Err(e) => {
                eprintln!("planparse: {name}: {e}");
                failed = true;
            }
        }
    }
    if failed {
        super::EXIT_FAILED
    } else {
        super::EXIT_OK
    }
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
