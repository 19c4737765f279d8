//! `planparse diff OLD NEW [--format text|json|html] [-o FILE] [--pretty]`:
//! two versions of a plan compared measure by measure.
//!
//! OLD and NEW are PDF, DOCX, text or Markdown files, or JSON written by
//! `planparse convert` (any mix). The text report is coloured when it goes to
//! a terminal (and `NO_COLOR` is unset). `planparse diff --schema` prints the
//! JSON schema of the `--format json` output.
//!
//! Exit codes: 0 compared (whether or not anything changed), 1 an input could
//! not be read or converted, or the output not written, 2 usage error.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use planparse::diff;
use planparse::model::Document;
use planparse::pipeline::Options;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A report for the terminal, grouped by section
    Text,
    /// JSON: sides, counts, every change, notes and warnings (docs/diff.md)
    Json,
    /// A self-contained page with both versions side by side
    Html,
}

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  planparse diff corpus/krn-2020-2022.pdf krn-2023-2025.pdf\n  planparse diff old.json new.docx --format html -o changes.html\n  planparse diff --schema > schemas/diff.schema.json"
)]
pub struct Args {
    /// The earlier version (.pdf, .docx, .html, .txt, .md, or .json from `planparse convert`)
    #[arg(required_unless_present = "schema")]
    old: Option<PathBuf>,
    /// The later version
    #[arg(required_unless_present = "schema")]
    new: Option<PathBuf>,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the output to this file instead of stdout
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Indent the JSON
    #[arg(long)]
    pretty: bool,
    /// Print the JSON schema of the diff output and exit
    #[arg(long, conflicts_with_all = ["old", "new"])]
    schema: bool,
    /// Time limit in seconds for converting each input and for the comparison
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = super::convert::parse_seconds)]
    timeout: Duration,
    #[command(flatten)]
    budget: super::isolate::BudgetArgs,
}

/// Reads one side: a converted document (`.json`) or any input `convert`
/// reads, converted in isolation (a panic or a time-out is this file's error).
pub fn load(path: &Path, limit: Duration) -> Result<Document, String> {
    let bytes = super::read_input(path)?;
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    if name.to_lowercase().ends_with(".json") {
        return serde_json::from_slice(&bytes).map_err(|e| format!("{}: not a planparse document: {e}", path.display()));
    }
    super::convert::convert_isolated(&name, bytes, &Options::default(), limit).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(args: Args) -> i32 {
    args.budget.apply();
    if args.schema {
        return emit(&args, schema_json());
    }
    let (Some(old_path), Some(new_path)) = (&args.old, &args.new) else {
        eprintln!("planparse diff: OLD and NEW are required");
        return super::EXIT_USAGE;
    };
    let (old, new) = match (load(old_path, args.timeout), load(new_path, args.timeout)) {
        (Ok(o), Ok(n)) => (o, n),
        (o, n) => {
            for e in [o.err(), n.err()].into_iter().flatten() {
                eprintln!("planparse: {e}");
            }
            return super::EXIT_FAILED;
        }
    };
    let comparison = match super::isolate::compare(old, new, args.timeout) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("planparse diff: {} and {}: cannot compare: {e}", old_path.display(), new_path.display());
            return super::EXIT_FAILED;
        }
    };
    for warning in &comparison.diff.warnings {
        eprintln!("planparse diff: warning: {warning}");
    }
    let output = match args.format {
        Format::Text => {
            let color = args.output.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            Ok(diff::text::render(&comparison, color))
        }
        Format::Html => Ok(diff::html::render(&comparison)),
        Format::Json => if args.pretty { serde_json::to_string_pretty(&comparison.diff) } else { serde_json::to_string(&comparison.diff) }.map(|mut s| {
            s.push('\n');
            s
        }),
    };
    match output {
        Ok(text) => emit(&args, Ok(text)),
        Err(e) => {
            eprintln!("planparse diff: cannot serialize: {e}");
            super::EXIT_FAILED
        }
    }
}

/// The JSON schema of [`diff::Diff`], as checked in at `schemas/diff.schema.json`.
fn schema_json() -> Result<String, String> {
    serde_json::to_string_pretty(&schemars::schema_for!(diff::Diff)).map(|s| s + "\n").map_err(|e| format!("cannot serialize schema: {e}"))
}

fn emit(args: &Args, text: Result<String, String>) -> i32 {
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!("planparse diff: {e}");
            return super::EXIT_FAILED;
        }
    };
    match &args.output {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => super::EXIT_OK,
            Err(e) => {
                eprintln!("planparse: {}: cannot write: {e}", path.display());
                super::EXIT_FAILED
            }
        },
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        None => super::write_stdout(text.as_bytes()),
    }
}
