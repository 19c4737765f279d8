//! The command line: one subcommand per file, the same flags for the same things.

mod convert;
mod diff;
mod explain;
mod export;
mod extract;
mod index;
mod isolate;
mod search;
mod serve;

use clap::{Parser, Subcommand};

/// Exit code: every input succeeded.
pub const EXIT_OK: i32 = 0;
/// Exit code: at least one input failed (the others were still processed).
pub const EXIT_FAILED: i32 = 1;
/// Exit code: the command line was wrong.
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser)]
#[command(
    name = "planparse",
    version,
    about = "Turn Norwegian health-research action plans and meeting minutes (PDF, DOCX, web pages, text) into structured JSON",
    long_about = None,
    after_help = "Examples:\n  planparse convert corpus/hlk-2021-2025.pdf --pretty\n  planparse convert corpus -o out --jsonl out/measures.jsonl\n  planparse extract corpus/krn-2020-2022.pdf --layout\n  planparse schema > schemas/document.schema.json\n\nExit codes: 0 all inputs ok (also when the reader of stdout closed the pipe early, as `| head` does), 1 some inputs failed, 2 usage error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert documents to JSON (one file per input, or stdout for one input)
    Convert(convert::Args),
    /// Print the text of documents, page by page (or, with --json, one JSON object per file: spans, lines, tables)
    Extract(extract::Args),
    /// Write measures as a spreadsheet (CSV, XLSX) or OpenSearch bulk NDJSON
    Export(export::Args),
    /// Build or update an SQLite dataset with full-text search
    Index(index::Args),
    /// Search an indexed dataset
    Search(search::Args),
    /// Compare two versions of a plan measure by measure
    Diff(diff::Args),
    /// Show the rule and evidence behind each section, measure, agenda item and metadata field
    Explain(explain::Args),
    /// Serve a local web page over an indexed dataset
    #[command(long_about = serve::LONG_ABOUT)]
    Serve(serve::Args),
    /// Print the JSON schema of the output document
    Schema,
    /// Convert documents sent on stdin, one JSON result per line on stdout
    /// (started by the other commands; see `isolate`)
    #[command(name = "__worker", hide = true)]
    Worker(isolate::WorkerArgs),
}

/// Runs the command line and returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let code = match cli.command {
        Command::Convert(a) => convert::run(a),
        Command::Extract(a) => extract::run(a),
        Command::Export(a) => export::run(a),
        Command::Index(a) => index::run(a),
        Command::Search(a) => search::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Worker(a) => isolate::worker_main(a),
        Command::Schema => {
            let schema = schemars::schema_for!(planparse::model::Document);
            match serde_json::to_string_pretty(&schema) {
                Ok(s) => write_stdout(format!("{s}\n").as_bytes()),
                Err(e) => {
                    eprintln!("planparse: cannot serialize schema: {e}");
                    EXIT_FAILED
                }
            }
        }
    };
    isolate::shutdown();
    code
}

/// True when a write failed because the reader closed the pipe
/// (`planparse … | head`): that is the reader's choice, not a failure, so
/// commands stop writing and exit 0 without a message.
pub fn is_closed_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
}

/// Writes all of `bytes` to stdout: [`EXIT_OK`] when written or when the
/// reader closed the pipe, [`EXIT_FAILED`] (with a message) on any other error.
pub fn write_stdout(bytes: &[u8]) -> i32 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if is_closed_pipe(&e) => EXIT_OK,
        Err(e) => {
            eprintln!("planparse: cannot write to stdout: {e}");
            EXIT_FAILED
        }
    }
}

/// Reads a file, naming it in the error.
pub fn read_input(path: &std::path::Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))
}
