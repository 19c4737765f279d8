//! `planparse index DB.sqlite FILE|DIR... [--force] [--prune] [--optimize] [-q]`: build or
//! update the SQLite dataset.
//!
//! Inputs are PDFs, DOCX, text and Markdown files (converted here) or documents
//! already converted to JSON by `planparse convert`; folders are walked
//! recursively. An input whose bytes are already indexed is skipped; a changed
//! one replaces its rows. The whole run is one transaction: stop it at any point
//! and the dataset is as it was.

use std::path::{Path, PathBuf};
use std::time::Duration;

use planparse::dataset::sqlite::{Dataset, DatasetError, Outcome, Table, Writer};
use planparse::model::Document;
use planparse::pipeline::{self, Options};
use rayon::prelude::*;

#[derive(clap::Args)]
pub struct Args {
    /// The dataset file (created when missing)
    db: PathBuf,
    /// Input files or folders (.pdf, .docx, .html, .txt, .md, or converted .json documents)
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Re-index inputs even when their bytes are unchanged
    #[arg(long)]
    force: bool,
    /// Remove documents whose file no longer exists
    #[arg(long)]
    prune: bool,
    /// Merge the search indexes into one segment each after indexing (slower
    /// run, faster searches; worth it after a bulk load)
    #[arg(long)]
    optimize: bool,
    /// Print only errors and the summary
    #[arg(short, long)]
    quiet: bool,
    /// Per-file time limit in seconds; a file over it fails with "time limit exceeded"
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = super::convert::parse_seconds)]
    timeout: Duration,
    #[command(flatten)]
    ocr: super::convert::OcrArgs,
    #[command(flatten)]
    budget: super::isolate::BudgetArgs,
}

/// Extensions a folder walk picks up (a file named on the command line is
/// always read).
const EXTENSIONS: [&str; 8] = ["pdf", "docx", "html", "htm", "txt", "md", "markdown", "json"];

/// Inputs converted in parallel per batch; the writer takes them in order.
const BATCH: usize = 32;

/// One input read from disk, before conversion.
struct Input {
    path: PathBuf,
    /// The path relative to the indexed root (the folder named on the
    /// command line; a file named there is its own name): the document's
    /// `source.file`, and what the web page shows instead of `key`.
    rel: String,
    /// Absolute path: the document's key in the dataset.
    key: String,
    bytes: Vec<u8>,
    sha256: String,
}

#[derive(Default)]
struct Tally {
    added: usize,
    replaced: usize,
    unchanged: usize,
    duplicate: usize,
    removed: usize,
    failed: usize,
}

pub fn run(args: Args) -> i32 {
    args.budget.apply();
    let (files, mut failed) = collect_inputs(&args.inputs);
    let mut dataset = match Dataset::open(&args.db) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("planparse: {e}");
            return super::EXIT_FAILED;
        }
    };
    let mut tally = Tally { failed: failed.len(), ..Tally::default() };
    for message in failed.drain(..) {
        eprintln!("planparse: {message}");
    }
    let result = index(&mut dataset, &files, &args, &mut tally);
    if let Err(e) = result {
        eprintln!("planparse: {e}");
        return super::EXIT_FAILED;
    }
    let measures = dataset.count(Table::Measures).unwrap_or(-1);
    let documents = dataset.count(Table::Documents).unwrap_or(-1);
    eprintln!(
        "planparse index: {} added, {} replaced, {} unchanged, {} duplicate, {} removed, {} failed; {} now holds {documents} documents, {measures} measures",
        tally.added,
        tally.replaced,
        tally.unchanged,
        tally.duplicate,
        tally.removed,
        tally.failed,
        args.db.display()
    );
    if tally.failed > 0 {
        super::EXIT_FAILED
    } else {
        super::EXIT_OK
    }
}

/// Writes every input in one transaction; per-input failures are counted and
/// reported, a dataset failure (lock, disk) aborts the run.
fn index(dataset: &mut Dataset, files: &[(PathBuf, String)], args: &Args, tally: &mut Tally) -> Result<(), DatasetError> {
    let opts = Options { ocr: args.ocr.options(), ..Options::default() };
    let mut writer = dataset.writer()?;
    for batch in files.chunks(BATCH) {
        let read: Vec<Result<Input, String>> = batch.par_iter().map(|(p, rel)| read(p, rel)).collect();
        let mut todo = Vec::new();
        for input in read {
            match input {
                Ok(input) if !args.force && writer.is_current(&input.key, &input.sha256)? => tally.unchanged += 1,
                Ok(input) => todo.push(input),
                Err(e) => {
                    eprintln!("planparse: {e}");
                    tally.failed += 1;
                }
            }
        }
        let converted: Vec<(Input, Result<Document, String>)> = todo
            .into_par_iter()
            .map(|mut input| {
                let doc = document(&mut input, &opts, args.timeout);
                (input, doc)
            })
            .collect();
        for (input, doc) in converted {
            match doc {
                Ok(doc) => {
                    let outcome = if args.force {
                        writer.replace_at(&input.key, &input.rel, &input.sha256, &doc)?
                    } else {
                        writer.put_at(&input.key, &input.rel, &input.sha256, &doc)?
                    };
                    report(&input.path, &outcome, &doc, args.quiet, tally);
                    for note in writer.take_notes() {
                        if !args.quiet {
                            eprintln!("planparse: note: {note}");
                        }
                    }
                }
                Err(e) => {
                    eprintln!("planparse: {}: {e}", input.path.display());
                    tally.failed += 1;
                }
            }
        }
    }
    if args.prune {
        prune(&mut writer, args.quiet, tally)?;
    }
    if args.optimize {
        writer.optimize()?;
    }
    writer.commit()
}

fn report(path: &Path, outcome: &Outcome, doc: &Document, quiet: bool, tally: &mut Tally) {
    let what = match outcome {
        Outcome::Added => {
            tally.added += 1;
            "added"
        }
        Outcome::Replaced => {
            tally.replaced += 1;
            "replaced"
        }
        Outcome::Unchanged => {
            tally.unchanged += 1;
            return;
        }
        Outcome::Duplicate { of } => {
            tally.duplicate += 1;
            if !quiet {
                eprintln!("{}: skipped, the same document is indexed from {of}", path.display());
            }
            return;
        }
    };
    if !quiet {
        let items = doc.meeting.as_ref().map_or(0, |m| m.items.len());
        let counts = if items > 0 { format!("{items} agenda items") } else { format!("{} measures", doc.measures.len()) };
        eprintln!("{}: {what} ({counts})", path.display());
    }
}

fn prune(writer: &mut Writer<'_>, quiet: bool, tally: &mut Tally) -> Result<(), DatasetError> {
    for key in writer.paths()? {
        if !Path::new(&key).exists() && writer.remove(&key)? {
            tally.removed += 1;
            if !quiet {
                eprintln!("{key}: removed (file no longer exists)");
            }
        }
    }
    Ok(())
}

/// Files named on the command line, and the supported files under folders,
/// sorted, each with its path relative to the root it was found under
/// (`/`-separated; a file named on the command line is its own name); plus
/// a message per input that cannot be listed.
fn collect_inputs(inputs: &[PathBuf]) -> (Vec<(PathBuf, String)>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = Vec::new();
            walk(input, &mut found, &mut errors);
            for path in found {
                let rel = path
                    .strip_prefix(input)
                    .map_or_else(|_| file_name(&path), |r| r.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/"));
                files.push((path, rel));
            }
        } else {
            files.push((input.clone(), file_name(input)));
        }
    }
    (files, errors)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(format!("{}: cannot list: {e}", dir.display()));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            if !super::convert::is_saved_page_assets(&path) {
                walk(&path, files, errors);
            }
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())) {
            files.push(path);
        }
    }
}

fn read(path: &Path, rel: &str) -> Result<Input, String> {
    let bytes = super::read_input(path)?;
    let key = std::fs::canonicalize(path).map_err(|e| format!("{}: cannot resolve: {e}", path.display()))?.display().to_string();
    let sha256 = pipeline::sha256_hex(&bytes);
    Ok(Input { path: path.to_path_buf(), rel: rel.to_string(), key, bytes, sha256 })
}

/// The document of an input: a converted `.json` is read as it is, anything
/// else goes through the pipeline, isolated as in `convert` (a panic or a
/// time-out fails this input only). The input's bytes are handed over.
fn document(input: &mut Input, opts: &Options, limit: Duration) -> Result<Document, String> {
    let is_json = input.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        return serde_json::from_slice::<Document>(&input.bytes).map_err(|e| format!("not a planparse document (JSON from `planparse convert` expected): {e}"));
    }
    super::convert::convert_isolated(&input.rel, std::mem::take(&mut input.bytes), opts, limit)
}
