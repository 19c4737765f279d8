//! `planparse convert FILE|DIR... [-o OUTDIR] [--jsonl FILE|-] [--xlsx FILE]
//! [--files-from FILE|-] [--ext EXT,...] [--jobs N] [--timeout SECS] [--force] [--quiet] [--warnings] [--pretty]
//! [--max-stream-bytes N] [--max-document-bytes N] [--max-objects N]
//! [--max-ops-per-page N] [--max-xobject-depth N] [--max-pages N]`
//!
//! Documents to JSON. Without `-o` (and without `--jsonl`/`--xlsx`) each
//! document's JSON goes to stdout. With `-o OUTDIR` it is a batch: folders are
//! walked for `.pdf .docx .txt` (and the extensions given with `--ext`, such
//! as `md`), files are converted in parallel, and each input gets
//! `OUTDIR/<relative path>.json`, mirroring the input tree. Every other file
//! in a folder is counted in the summary line with the reason it was left
//! out; a folder without any document is an error. Every warning of a batch
//! is listed in `OUTDIR/warnings.jsonl` (file, code, page, message), and
//! `--warnings` prints each on stderr.
//!
//! Guarantees of a batch, and how they are kept:
//! - **Deterministic**: an output depends only on the input bytes and its
//!   relative path; the JSONL, XLSX and `errors.jsonl` follow the sorted
//!   relative paths, whatever `--jobs` is (a reorder buffer on the main thread).
//! - **Isolated**: each conversion runs in a worker process (`isolate.rs`)
//!   under a memory limit (`--max-memory`) and a time limit (`--timeout`); a
//!   panic, an abort, an error or a breach of either limit fails that file
//!   only, and a worker that died or was killed is replaced.
//! - **Safe**: outputs are written to a temporary file in the same folder and
//!   renamed; inputs are only read; an output whose `source.sha256` matches
//!   its input is kept (skipped) unless `--force`; Ctrl-C stops scheduling,
//!   lets running files finish, and a second Ctrl-C exits at once (a temporary
//!   file may then remain, never a partial `.json`).

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use planparse::dataset::{export, jsonl};
use planparse::model::{Document, Warning};
use planparse::ocr::OcrReport;
use planparse::pdf;
use planparse::pipeline::{self, Options};
use rayon::prelude::*;

use super::export::AtomicFile;

/// Exit code after Ctrl-C (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: i32 = 130;

/// Extensions picked up when walking a folder (compared case-insensitively).
/// Others (`.md`, `.html`) only when asked for with `--ext`.
pub(super) const DOCUMENT_EXTENSIONS: [&str; 3] = ["pdf", "docx", "txt"];

/// Every extension `--ext` may name.
const KNOWN_EXTENSIONS: [&str; 9] = ["pdf", "docx", "html", "htm", "xhtml", "txt", "text", "md", "markdown"];

/// Why a file found in a folder is not converted, by its extension.
fn skip_reason(ext: &str) -> &'static str {
    match ext {
        "doc" | "rtf" | "odt" | "wpd" | "wps" | "pages" => "unsupported: save as .docx or PDF",
        "md" | "markdown" => "not taken by default: add --ext md",
        "html" | "htm" => "not taken by default: add --ext html",
        _ => "not a document",
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// Input files or folders (folders are walked for .pdf, .docx, .txt)
    #[arg(required_unless_present = "files_from")]
    inputs: Vec<PathBuf>,
    /// Also take files with these extensions from folders (`--ext md`, `--ext html,htm`)
    #[arg(long, value_name = "EXT,...", value_delimiter = ',', value_parser = parse_extension)]
    ext: Vec<String>,
    /// Output folder: one <relative path>.json per input, plus errors.jsonl and
    /// warnings.jsonl; without it, JSON goes to stdout
    #[arg(short, long, value_name = "OUTDIR")]
    output: Option<PathBuf>,
    /// Indent the JSON
    #[arg(long)]
    pretty: bool,
    /// Also write one JSON line per measure and per agenda item ("-" for stdout)
    #[arg(long, value_name = "FILE|-")]
    jsonl: Option<PathBuf>,
    /// Also write the measures as an XLSX spreadsheet (as `planparse export --format xlsx`)
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
    /// Read input paths from a file, one per line ("-" for stdin); they keep
    /// their path as listed (made relative) under OUTDIR
    #[arg(long, value_name = "FILE|-")]
    files_from: Option<PathBuf>,
    /// Files converted at once [default: number of cores]
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Per-file time limit in seconds; a file over it fails with "time limit
    /// exceeded" [default: 60, or 600 when OCR may run (--ocr auto|always)]
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    timeout: Option<Duration>,
    /// Convert even when the existing output was made from the same input bytes
    #[arg(long)]
    force: bool,
    /// No progress bar, no summary and no warnings on stderr (errors, and with
    /// --warnings the warnings, are still printed)
    #[arg(short, long)]
    quiet: bool,
    /// Print every warning on stderr: file, code, page and message (a batch
    /// with -o also lists them in OUTDIR/warnings.jsonl)
    #[arg(long)]
    warnings: bool,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    ocr: OcrArgs,
    #[command(flatten)]
    budget: super::isolate::BudgetArgs,
}

/// The PDF reader's resource limits as flags, shared by `convert` and
/// `extract`. Each default is [`planparse::pdf::Limits::default`]; a file over
/// a limit fails (or, for per-page limits, gets a warning) naming the limit.
#[derive(clap::Args, Debug, Clone)]
#[command(next_help_heading = "Limits (PDF)")]
pub(super) struct LimitArgs {
    /// Max bytes one PDF stream may inflate to; a larger content stream is
    /// skipped with a warning, a larger object stream fails the file
    #[arg(long, value_name = "BYTES", default_value_t = pdf::Limits::default().max_stream_bytes, value_parser = parse_count)]
    max_stream_bytes: usize,
    /// Max bytes all streams of one PDF may inflate to together; over it the file fails
    #[arg(long, value_name = "BYTES", default_value_t = pdf::Limits::default().max_document_bytes, value_parser = parse_count)]
    max_document_bytes: usize,
    /// Max objects in one PDF; over it the file fails
    #[arg(long, value_name = "N", default_value_t = pdf::Limits::default().max_objects, value_parser = parse_count)]
    max_objects: usize,
    /// Max content-stream operators read per page; the rest of the page is skipped with a warning
    #[arg(long, value_name = "N", default_value_t = pdf::Limits::default().max_ops_per_page, value_parser = parse_count)]
    max_ops_per_page: usize,
    /// Max nesting depth of Form XObjects; deeper forms are skipped with a warning
    #[arg(long, value_name = "N", default_value_t = pdf::Limits::default().max_xobject_depth, value_parser = parse_count)]
    max_xobject_depth: usize,
    /// Max pages read from one PDF; later pages are skipped with a warning
    #[arg(long, value_name = "N", default_value_t = pdf::Limits::default().max_pages, value_parser = parse_count)]
    max_pages: usize,
    /// Max bytes one part of a DOCX may inflate to; a larger main document
    /// fails the file, a larger styles or numbering part is skipped with a warning
    #[arg(long, value_name = "BYTES", default_value_t = planparse::docx::MAX_PART_BYTES as usize, value_parser = parse_count)]
    max_docx_part_bytes: usize,
    /// Max bytes of a text or Markdown input; a larger one fails
    #[arg(long, value_name = "BYTES", default_value_t = pipeline::MAX_TEXT_BYTES, value_parser = parse_count)]
    max_text_bytes: usize,
}

impl LimitArgs {
    pub(super) fn options(&self, ocr: &OcrArgs) -> Options {
        Options {
            ocr: ocr.options(),
            limits: pdf::Limits {
                max_stream_bytes: self.max_stream_bytes,
                max_document_bytes: self.max_document_bytes,
                max_ops_per_page: self.max_ops_per_page,
                max_xobject_depth: self.max_xobject_depth,
                max_pages: self.max_pages,
                max_objects: self.max_objects,
            },
            max_docx_part_bytes: self.max_docx_part_bytes as u64,
            max_text_bytes: self.max_text_bytes,
        }
    }
}

/// OCR flags, shared by `convert`, `extract` and `index`.
#[derive(clap::Args, Debug, Clone)]
#[command(next_help_heading = "OCR (scanned PDF pages)")]
pub(super) struct OcrArgs {
    /// OCR PDF pages: `auto` those without a usable text layer, `never`, or
    /// `always` (every page, replacing its text layer). Needs `tesseract`
    /// (Debian: tesseract-ocr tesseract-ocr-nor) and poppler's `pdftoppm`
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = planparse::ocr::OcrMode::Auto)]
    ocr: planparse::ocr::OcrMode,
    /// Tesseract language(s) of OCR, `+`-joined (`nor` covers bokmål and nynorsk)
    #[arg(long, value_name = "LANG", default_value = "nor")]
    ocr_lang: String,
}

impl OcrArgs {
    pub(super) fn options(&self) -> planparse::ocr::OcrOptions {
        planparse::ocr::OcrOptions { mode: self.ocr, lang: self.ocr_lang.clone() }
    }
}

/// A positive count; `k`, `M` and `G` suffixes multiply by 1024, 1024² and 1024³
/// (`--max-stream-bytes 512M`).
pub(super) fn parse_count(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 10),
        Some((i, 'm' | 'M')) => (&t[..i], 20),
        Some((i, 'g' | 'G')) => (&t[..i], 30),
        _ => (t, 0),
    };
    match digits.parse::<usize>() {
        Ok(n) if n > 0 => n.checked_mul(1usize << shift).ok_or_else(|| format!("{s:?} is too large")),
        _ => Err(format!("expected a positive whole number (optionally with a k, M or G suffix), got {s:?}")),
    }
}

pub(super) fn parse_seconds(s: &str) -> Result<Duration, String> {
    match s.parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs.is_finite() => Ok(Duration::from_secs_f64(secs)),
        _ => Err(format!("expected a positive number of seconds, got {s:?}")),
    }
}

/// One file to convert.
#[derive(Debug, Clone)]
pub(super) struct Input {
    /// Where to read it.
    pub path: PathBuf,
    /// Its path relative to the batch root, `/`-separated: recorded in
    /// `source.file` and naming the output (`OUTDIR/<rel>.json`).
    pub rel: String,
    /// Set when the input cannot be processed at all (an unreadable folder, a
    /// name taken by another input).
    pub error: Option<String>,
}

/// Files a folder walk left out, and folders that held no document.
#[derive(Debug, Default)]
pub(super) struct Skipped {
    /// Count per extension (lowercase, `""` for none).
    by_ext: BTreeMap<String, usize>,
    /// Folders given (or listed) in which no file was taken.
    pub empty_folders: Vec<PathBuf>,
}

impl Skipped {
    fn add(&mut self, path: &Path) {
        let ext = path.extension().map_or_else(String::new, |e| e.to_string_lossy().to_lowercase());
        *self.by_ext.entry(ext).or_default() += 1;
    }

    pub fn total(&self) -> usize {
        self.by_ext.values().sum()
    }

    /// `3 skipped: 2 .doc, 1 .rtf (unsupported: save as .docx or PDF)`: the
    /// counts per extension, the extensions with one reason followed by it.
    /// `None` when nothing was skipped.
    pub fn summary(&self) -> Option<String> {
        if self.by_ext.is_empty() {
            return None;
        }
        let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
        for (ext, n) in &self.by_ext {
            let reason = skip_reason(ext);
            let name = if ext.is_empty() { "without extension".to_string() } else { format!(".{ext}") };
            match groups.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, names)) => names.push(format!("{n} {name}")),
                None => groups.push((reason, vec![format!("{n} {name}")])),
            }
        }
        let parts: Vec<String> = groups.into_iter().map(|(reason, names)| format!("{} ({reason})", names.join(", "))).collect();
        Some(format!("{} skipped: {}", self.total(), parts.join(", ")))
    }
}

/// The inputs of a batch, sorted by relative path: files as given (relative
/// path = file name), folders walked for files with one of `extensions`
/// (relative path = path inside the folder), and the lines of `files_from`
/// (relative path = the path as listed, without root or `..`).
pub(super) fn collect_inputs(args: &[PathBuf], files_from: Option<&Path>, extensions: &[&str]) -> Result<Vec<Input>, String> {
    collect_inputs_skipping(args, files_from, extensions).map(|(inputs, _)| inputs)
}

/// [`collect_inputs`], with the files the folder walks left out.
pub(super) fn collect_inputs_skipping(args: &[PathBuf], files_from: Option<&Path>, extensions: &[&str]) -> Result<(Vec<Input>, Skipped), String> {
    let mut inputs = Vec::new();
    let mut skipped = Skipped::default();
    let mut walk_folder = |path: &Path, prefix: &str, inputs: &mut Vec<Input>| {
        let before = inputs.len();
        walk(path, path, prefix, extensions, inputs, &mut skipped);
        if inputs.len() == before {
            skipped.empty_folders.push(path.to_path_buf());
        }
    };
    for path in args {
        if path.is_dir() {
            walk_folder(path, "", &mut inputs);
        } else {
            let rel = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            inputs.push(Input { path: path.clone(), rel, error: None });
        }
    }
    if let Some(list) = files_from {
        for line in read_list(list)? {
            let path = PathBuf::from(&line);
            let listed = relative_path(&path);
            if path.is_dir() {
                walk_folder(&path, &listed, &mut inputs);
            } else {
                let rel = if listed.is_empty() { line.clone() } else { listed };
                inputs.push(Input { path, rel, error: None });
            }
        }
    }
    inputs.sort_by(|a, b| a.rel.cmp(&b.rel).then_with(|| a.path.cmp(&b.path)));
    // The same file named twice is converted once.
    inputs.dedup_by(|later, earlier| later.rel == earlier.rel && same_file(&earlier.path, &later.path));
    Ok((inputs, skipped))
}

/// Fails each input whose relative path an earlier input already has: their
/// outputs (`OUTDIR/<rel>.json`) would overwrite each other.
fn fail_name_collisions(inputs: &mut [Input]) {
    let mut first = 0;
    for i in 1..inputs.len() {
        if inputs[i].rel != inputs[first].rel {
            first = i;
            continue;
        }
        let error = format!("has the same relative path ({}) as {}", inputs[i].rel, inputs[first].path.display());
        inputs[i].error.get_or_insert(error);
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}

/// The non-empty lines of a list file, or of stdin for `-`.
fn read_list(list: &Path) -> Result<Vec<String>, String> {
    let lines: std::io::Result<Vec<String>> = if list == Path::new("-") {
        std::io::stdin().lock().lines().collect()
    } else {
        let file = std::fs::File::open(list).map_err(|e| format!("{}: cannot read: {e}", list.display()))?;
        std::io::BufReader::new(file).lines().collect()
    };
    let lines = lines.map_err(|e| format!("{}: cannot read: {e}", list.display()))?;
    Ok(lines.into_iter().map(|l| l.trim_end_matches('\r').to_string()).filter(|l| !l.trim().is_empty()).collect())
}

/// A path made relative and `/`-separated: root, `.` and `..` are dropped.
fn relative_path(path: &Path) -> String {
    let parts: Vec<_> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

/// Adds the files under `dir` whose extension is one of `extensions`, and
/// counts the other files in `skipped`. Hidden entries are passed over
/// silently, and symbolic links to folders are not followed (no cycles);
/// links to files are.
fn walk(root: &Path, dir: &Path, prefix: &str, extensions: &[&str], out: &mut Vec<Input>, skipped: &mut Skipped) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            let rel = join_rel(prefix, &relative_path(dir.strip_prefix(root).unwrap_or(dir)));
            out.push(Input { path: dir.to_path_buf(), rel, error: Some(format!("cannot read folder: {e}")) });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if !is_saved_page_assets(&path) {
                walk(root, &path, prefix, extensions, out, skipped);
            }
            continue;
        }
        let is_file = kind.is_file() || (kind.is_symlink() && path.is_file());
        let wanted = path.extension().is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)));
        if is_file && wanted {
            let rel = join_rel(prefix, &relative_path(path.strip_prefix(root).unwrap_or(&path)));
            out.push(Input { path, rel, error: None });
        } else if is_file {
            skipped.add(&path);
        }
    }
}

/// A browser's "save page" folder of assets (`page_files/` beside
/// `page.html`): its frames and scripts are not documents.
pub(super) fn is_saved_page_assets(dir: &Path) -> bool {
    let Some(stem) = dir.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix("_files")) else {
        return false;
    };
    ["html", "htm"].iter().any(|e| dir.with_file_name(format!("{stem}.{e}")).is_file())
}

/// One `--ext` value: a known input extension, without a leading dot.
fn parse_extension(s: &str) -> Result<String, String> {
    let e = s.trim().trim_start_matches('.').to_ascii_lowercase();
    if KNOWN_EXTENSIONS.contains(&e.as_str()) {
        Ok(e)
    } else {
        Err(format!("not an input extension planparse reads (one of {})", KNOWN_EXTENSIONS.join(", ")))
    }
}

fn join_rel(prefix: &str, inner: &str) -> String {
    if prefix.is_empty() {
        inner.to_string()
    } else {
        format!("{prefix}/{inner}")
    }
}

/// Why an isolated run did not return.
#[derive(Debug, PartialEq)]
pub(super) enum Isolation {
    Panicked(String),
    TimedOut(Duration),
}

impl std::fmt::Display for Isolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Isolation::Panicked(msg) => write!(f, "internal error: {msg}"),
            Isolation::TimedOut(limit) => write!(f, "time limit exceeded ({} s; raise it with --timeout)", limit.as_secs_f64()),
        }
    }
}

/// Fault injection for the isolation tests: a run whose name ends with the
/// value of this variable panics instead of working, as a parser bug would.
pub(super) const INJECT_PANIC_VAR: &str = "PLANPARSE_TEST_PANIC";

/// Runs `work` on its own thread, catching a panic and giving up after
/// `limit`. After a timeout the thread keeps running detached; its result is
/// dropped. The thread is named after the file so a panic message names it.
pub(super) fn isolated<T: Send + 'static>(name: &str, limit: Duration, work: impl FnOnce() -> T + Send + 'static) -> Result<T, Isolation> {
    let inject = std::env::var(INJECT_PANIC_VAR).ok().filter(|suffix| !suffix.is_empty() && name.ends_with(suffix.as_str()));
    let work = move || {
        if let Some(suffix) = inject {
            panic!("injected by {INJECT_PANIC_VAR}={suffix}");
        }
        work()
    };
    let (tx, rx) = mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name(format!("convert {name}"))
        // The size of the main thread's stack, on which single files ran before.
        .stack_size(8 << 20)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return Err(Isolation::Panicked(format!("cannot start a thread: {e}")));
    }
    match rx.recv_timeout(limit) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(panic)) => {
            let msg = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned());
            Err(Isolation::Panicked(msg.unwrap_or_else(|| "panic".into())))
        }
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Isolation::TimedOut(limit)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Isolation::Panicked("worker thread vanished".into())),
    }
}

/// The per-file time limit without `--timeout`: OCR reads a page in seconds,
/// not milliseconds, so a scanned document gets ten times longer.
pub(super) fn default_timeout(ocr: planparse::ocr::OcrMode) -> Duration {
    Duration::from_secs(if ocr == planparse::ocr::OcrMode::Never { 60 } else { 600 })
}

/// Converts one input under [`isolated`]; the error is the cause as a user reads it.
pub(super) fn convert_isolated(rel: &str, bytes: Vec<u8>, opts: &Options, limit: Duration) -> Result<Document, String> {
    convert_isolated_with_report(rel, bytes, opts, limit).map(|(doc, _)| doc)
}

/// [`convert_isolated`], also telling what OCR cost. Runs in a worker
/// process under the memory budget (`super::isolate`).
pub(super) fn convert_isolated_with_report(rel: &str, bytes: Vec<u8>, opts: &Options, limit: Duration) -> Result<(Document, OcrReport), String> {
    super::isolate::convert(rel, bytes, opts, limit)
}

/// A rayon pool of `jobs` threads (default: all cores).
pub(super) fn thread_pool(jobs: Option<u16>) -> Result<rayon::ThreadPool, String> {
    let threads = jobs.map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), usize::from);
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| format!("cannot start {threads} threads: {e}"))
}

/// What became of one input.
enum Status {
    Converted,
    /// The existing output was made from the same bytes.
    Skipped,
    Failed(String),
    /// Ctrl-C came before it started.
    NotStarted,
}

struct Outcome {
    status: Status,
    pages: u32,
    /// The document's warnings (of the existing output when skipped).
    warnings: Vec<Warning>,
    /// Messages of the warnings printed on stderr as well ([`pdf::REPORTED_WARNINGS`]).
    reported: Vec<String>,
    /// Kept when the JSONL or XLSX needs it.
    doc: Option<Document>,
    /// The JSON, when it goes to stdout.
    stdout_json: Option<String>,
    ocr: OcrReport,
}

impl Outcome {
    fn of(status: Status) -> Self {
        Outcome { status, pages: 0, warnings: Vec::new(), reported: Vec::new(), doc: None, stdout_json: None, ocr: OcrReport::default() }
    }
}

/// What workers send to the main thread.
enum Event {
    Started(usize),
    Done(usize, Box<Outcome>),
}

/// The per-file work of a batch, shared by the workers.
struct Job {
    out_dir: Option<PathBuf>,
    pretty: bool,
    force: bool,
    /// The JSONL or XLSX needs each document, converted or skipped.
    keep_docs: bool,
    /// Documents go to stdout (no -o, no dataset output).
    to_stdout: bool,
    opts: Options,
    limit: Duration,
}

/// Just enough of an existing output to see whether it is current, and its
/// warnings for `warnings.jsonl`.
#[derive(serde::Deserialize)]
struct Stamp {
    source: StampSource,
    #[serde(default)]
    warnings: Vec<Warning>,
}

#[derive(serde::Deserialize)]
struct StampSource {
    sha256: String,
}

impl Job {
    fn process(&self, input: &Input) -> Outcome {
        if let Some(e) = &input.error {
            return Outcome::of(Status::Failed(e.clone()));
        }
        let bytes = match std::fs::read(&input.path) {
            Ok(b) => b,
            Err(e) => return Outcome::of(Status::Failed(format!("cannot read: {e}"))),
        };
        let target = self.out_dir.as_ref().map(|d| d.join(format!("{}.json", input.rel)));
        if let Some(target) = target.as_ref().filter(|_| !self.force) {
            if let Some((doc, warnings)) = self.unchanged_output(target, &bytes) {
                return Outcome { doc, warnings, ..Outcome::of(Status::Skipped) };
            }
        }
        let (doc, ocr) = match convert_isolated_with_report(&input.rel, bytes, &self.opts, self.limit) {
            Ok(done) => done,
            Err(cause) => return Outcome::of(Status::Failed(cause)),
        };
        let reported = doc.warnings.iter().filter(|w| pdf::REPORTED_WARNINGS.contains(&w.code.as_str())).map(|w| w.message.clone()).collect();
        let mut outcome = Outcome { pages: doc.source.pages.unwrap_or(0), warnings: doc.warnings.clone(), reported, ocr, ..Outcome::of(Status::Converted) };
        if target.is_some() || self.to_stdout {
            let json = if self.pretty { serde_json::to_string_pretty(&doc) } else { serde_json::to_string(&doc) };
            let json = match json {
                Ok(j) => j,
                Err(e) => return Outcome::of(Status::Failed(format!("cannot serialize: {e}"))),
            };
            match &target {
                Some(target) => {
                    if let Err(e) = AtomicFile::write(target, format!("{json}\n").as_bytes()) {
                        return Outcome::of(Status::Failed(format!("cannot write {}: {e}", target.display())));
                    }
                }
                None => outcome.stdout_json = Some(json),
            }
        }
        outcome.doc = self.keep_docs.then_some(doc);
        outcome
    }

    /// `Some` when `target` exists and records the sha256 of `bytes` (with the
    /// document when it must be kept), with the output's warnings.
    fn unchanged_output(&self, target: &Path, bytes: &[u8]) -> Option<(Option<Document>, Vec<Warning>)> {
        let existing = std::fs::read(target).ok()?;
        let sha = pipeline::sha256_hex(bytes);
        if self.keep_docs {
            let doc: Document = serde_json::from_slice(&existing).ok()?;
            let warnings = doc.warnings.clone();
            (doc.source.sha256 == sha).then_some((Some(doc), warnings))
        } else {
            let stamp: Stamp = serde_json::from_slice(&existing).ok()?;
            (stamp.source.sha256 == sha).then_some((None, stamp.warnings))
        }
    }
}

/// Where a stream of lines goes: a file put in place when the batch ends, or stdout.
enum Sink {
    File(AtomicFile),
    Stdout(std::io::BufWriter<std::io::Stdout>),
}

impl Sink {
    fn open(path: &Path) -> std::io::Result<Sink> {
        if path == Path::new("-") {
            Ok(Sink::Stdout(std::io::BufWriter::new(std::io::stdout())))
        } else {
            AtomicFile::create(path).map(Sink::File)
        }
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::File(f) => f,
            Sink::Stdout(s) => s,
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::File(f) => f.commit(),
            Sink::Stdout(mut s) => s.flush(),
        }
    }
}

/// What a batch yields beyond the per-file JSON, written in input order on
/// the main thread: documents to stdout, the JSONL, the XLSX rows.
struct Emitter {
    docs: Option<Sink>,
    jsonl: Option<Sink>,
    /// Collected for `--xlsx`, written when the batch ends.
    rows: Option<Vec<export::Row>>,
    /// The first write error; nothing more is written after it.
    error: Option<String>,
    /// A stream on stdout whose reader closed the pipe (`| head`): not an
    /// error; that stream is dropped, the other outputs go on.
    closed: bool,
}

impl Emitter {
    fn emit(&mut self, outcome: &Outcome) {
        if self.error.is_some() {
            return;
        }
        if let (Some(sink), Some(json)) = (&mut self.docs, &outcome.stdout_json) {
            if let Err(e) = writeln!(sink.writer(), "{json}") {
                if super::is_closed_pipe(&e) {
                    self.docs = None;
                    self.closed = true;
                } else {
                    self.error = Some(format!("cannot write to stdout: {e}"));
                }
            }
        }
        let Some(doc) = &outcome.doc else { return };
        if let Some(rows) = &mut self.rows {
            rows.extend(export::rows(doc));
        }
        if let Some(sink) = &mut self.jsonl {
            if let Err(e) = jsonl::write_records(sink.writer(), doc) {
                if super::is_closed_pipe(&e) {
                    self.jsonl = None;
                    self.closed = true;
                } else {
                    self.error = Some(format!("cannot write JSONL: {e}"));
                }
            }
        }
    }

    /// True when nothing is left to write: every stream went to a closed pipe.
    fn all_closed(&self) -> bool {
        self.closed && self.docs.is_none() && self.jsonl.is_none() && self.rows.is_none()
    }

    /// Flushes stdout, puts the JSONL file in place and writes the XLSX,
    /// unless a write failed; returns the errors.
    fn finish(self, xlsx: Option<&Path>) -> Vec<String> {
        if let Some(e) = self.error {
            return vec![e];
        }
        let mut errors = Vec::new();
        for sink in [self.docs, self.jsonl].into_iter().flatten() {
            match sink.finish() {
                Err(e) if !super::is_closed_pipe(&e) => errors.push(format!("cannot write output: {e}")),
                _ => {}
            }
        }
        if let (Some(path), Some(rows)) = (xlsx, self.rows) {
            let written = export::xlsx_bytes(&rows).map_err(|e| e.to_string()).and_then(|b| AtomicFile::write(path, &b).map_err(|e| e.to_string()));
            if let Err(e) = written {
                errors.push(format!("{}: cannot write: {e}", path.display()));
            }
        }
        errors
    }
}

/// A line of `OUTDIR/warnings.jsonl`: one warning of one document.
#[derive(serde::Serialize)]
struct WarningLine<'a> {
    /// The input as named on the command line (or found in a folder), as in `errors.jsonl`.
    file: String,
    code: &'a str,
    /// 1-based page; `null` for a warning about the whole document or an input without pages.
    page: Option<u32>,
    message: &'a str,
}

/// A warning as `--warnings` prints it: `FILE: warning: CODE (page N): MESSAGE`.
fn warning_line(file: &Path, w: &Warning) -> String {
    let page = w.page.map(|p| format!(" (page {p})")).unwrap_or_default();
    format!("planparse: {}: warning: {}{page}: {}", file.display(), w.code, w.message)
}

/// A line of `OUTDIR/errors.jsonl`.
#[derive(serde::Serialize)]
struct ErrorLine<'a> {
    /// The input as named on the command line (or found in a folder).
    file: String,
    error: &'a str,
}

/// Counts for the summary line.
#[derive(Default)]
struct Tally {
    converted: usize,
    skipped: usize,
    failed: usize,
    not_started: usize,
    warnings: usize,
    pages: u64,
    ocr_pages: usize,
    ocr_seconds: f64,
}

pub fn run(args: Args) -> i32 {
    match run_batch(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("planparse: {e}");
            super::EXIT_FAILED
        }
    }
}

fn run_batch(args: Args) -> Result<i32, String> {
    let started = Instant::now();
    args.budget.apply();
    let extra: Vec<String> = args.ext.iter().map(|e| e.trim().trim_start_matches('.').to_lowercase()).filter(|e| !e.is_empty()).collect();
    let extensions: Vec<&str> = DOCUMENT_EXTENSIONS.iter().copied().chain(extra.iter().map(String::as_str)).collect();
    let (mut inputs, skipped) = collect_inputs_skipping(&args.inputs, args.files_from.as_deref(), &extensions)?;
    let taken = extensions.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(", ");
    let skip_note = skipped.summary().map(|s| format!("; {s}")).unwrap_or_default();
    if !inputs.is_empty() {
        for folder in &skipped.empty_folders {
            eprintln!("planparse: {}: no documents ({taken}) in this folder", folder.display());
        }
    }
    if inputs.is_empty() {
        let what = match skipped.empty_folders.as_slice() {
            [one] => format!("{}: no documents ({taken}) in this folder", one.display()),
            _ => format!("no documents ({taken}) to convert"),
        };
        return Err(format!("{what}{skip_note}"));
    }
    if let Some(dir) = &args.output {
        fail_name_collisions(&mut inputs);
        // Left by a batch that was killed (kill -9, a second Ctrl-C).
        super::export::remove_stale_temporaries(dir);
    }
    let pool = thread_pool(args.jobs)?;
    // Without -o, --jsonl or --xlsx, documents go to stdout, as for a single file.
    let to_stdout = args.output.is_none() && args.jsonl.is_none() && args.xlsx.is_none();
    let batch = !to_stdout;
    let job = Job {
        out_dir: args.output.clone(),
        pretty: args.pretty,
        force: args.force,
        keep_docs: args.jsonl.is_some() || args.xlsx.is_some(),
        to_stdout,
        opts: args.limits.options(&args.ocr),
        limit: args.timeout.unwrap_or_else(|| default_timeout(args.ocr.ocr)),
    };
    let mut emitter = Emitter {
        docs: to_stdout.then(|| Sink::Stdout(std::io::BufWriter::new(std::io::stdout()))),
        jsonl: match &args.jsonl {
            Some(path) => Some(Sink::open(path).map_err(|e| format!("{}: cannot write: {e}", path.display()))?),
            None => None,
        },
        rows: args.xlsx.is_some().then(Vec::new),
        error: None,
        closed: false,
    };
    let show_bar = batch && !args.quiet && std::io::stderr().is_terminal();
    let bar = if show_bar { ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr()) } else { ProgressBar::hidden() };
    bar.set_style(ProgressStyle::with_template("{bar:30} {pos}/{len} files {elapsed} {wide_msg}").unwrap_or_else(|_| ProgressStyle::default_bar()));

    let stop = Arc::new(AtomicBool::new(false));
    if batch {
        let (stop, presses) = (Arc::clone(&stop), AtomicUsize::new(0));
        // Only one handler per process; failing to set one only loses the graceful stop.
        let _ = ctrlc::set_handler(move || {
            stop.store(true, Ordering::SeqCst);
            if presses.fetch_add(1, Ordering::SeqCst) > 0 {
                std::process::exit(EXIT_INTERRUPTED);
            }
        });
    }

    let mut tally = Tally::default();
    let mut errors: Vec<(usize, String)> = Vec::new();
    // Warnings by input, in input order, for `warnings.jsonl`.
    let mut warnings: Vec<(usize, Vec<Warning>)> = Vec::new();
    let (tx, rx) = mpsc::channel::<Event>();
    std::thread::scope(|scope| {
        let (job, inputs, stop) = (&job, &inputs, &stop);
        scope.spawn(move || {
            pool.install(|| {
                inputs.par_iter().enumerate().for_each_with(tx, |tx, (i, input)| {
                    let outcome = if stop.load(Ordering::SeqCst) {
                        Outcome::of(Status::NotStarted)
                    } else {
                        let _ = tx.send(Event::Started(i));
                        job.process(input)
                    };
                    let _ = tx.send(Event::Done(i, Box::new(outcome)));
                });
            })
        });
        // Outcomes arrive in any order; they are emitted in input order.
        let mut pending: BTreeMap<usize, Box<Outcome>> = BTreeMap::new();
        let mut next = 0;
        for event in rx {
            let (i, outcome) = match event {
                Event::Started(i) => {
                    bar.set_message(format!("{:.0} pages/s  {}", tally.pages as f64 / started.elapsed().as_secs_f64(), inputs[i].rel));
                    continue;
                }
                Event::Done(i, outcome) => (i, outcome),
            };
            match &outcome.status {
                Status::Converted => tally.converted += 1,
                Status::Skipped => tally.skipped += 1,
                Status::NotStarted => tally.not_started += 1,
                Status::Failed(cause) => {
                    tally.failed += 1;
                    bar.suspend(|| eprintln!("planparse: {}: {cause}", inputs[i].path.display()));
                    errors.push((i, cause.clone()));
                }
            }
            if !args.quiet && !args.warnings {
                for message in &outcome.reported {
                    bar.suspend(|| eprintln!("planparse: {}: warning: {message}", inputs[i].path.display()));
                }
            }
            tally.pages += u64::from(outcome.pages);
            tally.warnings += outcome.warnings.len();
            if args.output.is_some() && !outcome.warnings.is_empty() {
                warnings.push((i, outcome.warnings.clone()));
            }
            tally.ocr_pages += outcome.ocr.pages;
            tally.ocr_seconds += outcome.ocr.seconds;
            bar.inc(1);
            pending.insert(i, outcome);
            while let Some(outcome) = pending.remove(&next) {
                // `--warnings` lists them in input order, whatever --jobs is.
                if args.warnings {
                    for w in &outcome.warnings {
                        bar.suspend(|| eprintln!("{}", warning_line(&inputs[next].path, w)));
                    }
                }
                next += 1;
                emitter.emit(&outcome);
            }
            // Without -o the stream was the only output: with it gone (a closed pipe), stop.
            if (emitter.error.is_some() || emitter.all_closed()) && args.output.is_none() {
                stop.store(true, Ordering::SeqCst);
            }
        }
    });
    bar.finish_and_clear();

    // A folder given without any document in it fails the run, after the rest is converted.
    let mut code = if tally.failed > 0 || !skipped.empty_folders.is_empty() { super::EXIT_FAILED } else { super::EXIT_OK };
    let mut fail = |msg: String| {
        eprintln!("planparse: {msg}");
        code = super::EXIT_FAILED;
    };
    let pipe_closed = emitter.closed;
    let output_errors = emitter.finish(args.xlsx.as_deref());
    let output_failed = !output_errors.is_empty();
    output_errors.into_iter().for_each(&mut fail);
    if let Some(dir) = &args.output {
        errors.sort();
        let mut lines = String::new();
        for (i, cause) in &errors {
            let entry = ErrorLine { file: inputs[*i].path.display().to_string(), error: cause };
            lines.push_str(&serde_json::to_string(&entry).unwrap_or_default());
            lines.push('\n');
        }
        let path = dir.join("errors.jsonl");
        if let Err(e) = AtomicFile::write(&path, lines.as_bytes()) {
            fail(format!("{}: cannot write: {e}", path.display()));
        }
        warnings.sort_by_key(|(i, _)| *i);
        let mut lines = String::new();
        for (i, list) in &warnings {
            for w in list {
                let entry = WarningLine { file: inputs[*i].path.display().to_string(), code: &w.code, page: w.page, message: &w.message };
                lines.push_str(&serde_json::to_string(&entry).unwrap_or_default());
                lines.push('\n');
            }
        }
        let path = dir.join("warnings.jsonl");
        if let Err(e) = AtomicFile::write(&path, lines.as_bytes()) {
            fail(format!("{}: cannot write: {e}", path.display()));
        }
    }
    if batch && !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        // Where to read the warnings the summary counts.
        let listed = match &args.output {
            _ if tally.warnings == 0 => String::new(),
            Some(dir) => format!(" (listed in {})", dir.join("warnings.jsonl").display()),
            None if args.warnings => " (printed above)".to_string(),
            None => " (list them with --warnings)".to_string(),
        };
        eprintln!(
            "planparse: {} files: {} converted, {} failed, {} skipped (unchanged); {} warnings{listed}; {} pages in {secs:.2} s ({:.0} pages/s){skip_note}",
            inputs.len(),
            tally.converted,
            tally.failed,
            tally.skipped,
            tally.warnings,
            tally.pages,
            tally.pages as f64 / secs.max(1e-9),
        );
        if tally.ocr_pages > 0 {
            eprintln!(
                "planparse: OCR: {} pages in {:.1} s of page work ({:.2} s/page)",
                tally.ocr_pages,
                tally.ocr_seconds,
                tally.ocr_seconds / tally.ocr_pages as f64
            );
        }
    } else if !args.quiet {
        if let Some(s) = skipped.summary() {
            eprintln!("planparse: {s}");
        }
    }
    // Files are left unstarted by Ctrl-C, or after the only output stream closed.
    if tally.not_started > 0 && !output_failed && !pipe_closed {
        eprintln!("planparse: interrupted: {} files not started; run the same command again to resume", tally.not_started);
        return Ok(EXIT_INTERRUPTED);
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_isolation_is_an_internal_error() {
        let r: Result<(), _> = isolated("x.pdf", Duration::from_secs(5), || panic!("boom"));
        assert_eq!(r, Err(Isolation::Panicked("boom".into())));
        assert_eq!(r.unwrap_err().to_string(), "internal error: boom");
    }

    #[test]
    fn a_run_over_the_limit_times_out_without_waiting_for_it() {
        let start = Instant::now();
        let r = isolated("slow.pdf", Duration::from_millis(50), || std::thread::sleep(Duration::from_secs(5)));
        assert_eq!(r, Err(Isolation::TimedOut(Duration::from_millis(50))));
        assert!(start.elapsed() < Duration::from_secs(2));
        assert!(r.unwrap_err().to_string().starts_with("time limit exceeded"));
    }

    #[test]
    fn listed_paths_become_relative() {
        assert_eq!(relative_path(Path::new("/data/plans/a.pdf")), "data/plans/a.pdf");
        assert_eq!(relative_path(Path::new("./x/../b.pdf")), "x/b.pdf");
    }
}
