//! `planparse export INPUTS... [--format csv|xlsx|opensearch-bulk] [-o FILE|-] [--index NAME] [--jobs N] [--timeout SECS]`
//!
//! Measures and agenda items as a spreadsheet (CSV with a BOM, or XLSX), one
//! row per measure and per agenda item, keyed by document id and unit id
//! (`docs/exports.md`), or as OpenSearch/Elasticsearch `_bulk` NDJSON
//! (mapping: `schemas/opensearch-mapping.json`). XLSX has a sheet per kind of
//! row; CSV to a file writes the measures there and the agenda items (if
//! any) next to it as `NAME.agenda_items.csv`; CSV to stdout writes the
//! `--table` asked for. INPUTS are converted `.json` files, documents
//! (converted on the fly), or folders of either; rows follow the sorted
//! relative paths, then document order.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use planparse::dataset::export::{self, Row, Sheet};
use planparse::model::Document;
use planparse::pipeline::Options;
use rayon::prelude::*;

use super::convert::{collect_inputs, convert_isolated, parse_seconds, thread_pool, Input, DOCUMENT_EXTENSIONS};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// RFC 4180, UTF-8 with BOM, one row per measure (agenda items in a second file)
    Csv,
    /// Excel workbook, one row per measure (agenda items on a second sheet)
    Xlsx,
    /// `_bulk` NDJSON: an index action line and a record line per measure and agenda item
    OpensearchBulk,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Table {
    /// One row per measure
    Measures,
    /// One row per agenda item of minutes
    AgendaItems,
}

#[derive(clap::Args)]
pub struct Args {
    /// Converted .json files, documents (.pdf, .docx, .html, .txt, .md), or folders of them
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output format [default: from the extension of -o: .csv, .xlsx, .ndjson]
    #[arg(short, long, value_enum)]
    format: Option<Format>,
    /// Output file ("-" or none for stdout; XLSX needs a file)
    #[arg(short, long, value_name = "FILE|-")]
    output: Option<PathBuf>,
    /// Rows written by CSV to stdout (CSV to a file writes both tables)
    #[arg(long, value_enum, default_value = "measures")]
    table: Table,
    /// Index named in the bulk action lines
    #[arg(long, default_value = "planparse")]
    index: String,
    /// Documents converted at once [default: number of cores]
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Per-document time limit in seconds, for documents converted on the fly
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = parse_seconds)]
    timeout: Duration,
    #[command(flatten)]
    budget: super::isolate::BudgetArgs,
}

/// One input's share of the output.
enum Part {
    Rows(Vec<Row>),
    Bulk(Vec<u8>),
}

pub fn run(args: Args) -> i32 {
    args.budget.apply();
    let output = args.output.as_deref().filter(|p| *p != Path::new("-"));
    let format = args.format.or_else(|| match output?.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "csv" => Some(Format::Csv),
        "xlsx" => Some(Format::Xlsx),
        "ndjson" | "jsonl" => Some(Format::OpensearchBulk),
        _ => None,
    });
    let Some(format) = format else {
        eprintln!("planparse export: say --format csv|xlsx|opensearch-bulk (or name -o FILE with .csv, .xlsx or .ndjson)");
        return super::EXIT_USAGE;
    };
    if format == Format::Xlsx && output.is_none() {
        eprintln!("planparse export: XLSX needs an output file (-o FILE.xlsx)");
        return super::EXIT_USAGE;
    }
    let extensions: Vec<&str> = DOCUMENT_EXTENSIONS.iter().copied().chain(["json"]).collect();
    let inputs = match collect_inputs(&args.inputs, None, &extensions) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("planparse: {e}");
            return super::EXIT_FAILED;
        }
    };
    let pool = match thread_pool(args.jobs) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("planparse: {e}");
            return super::EXIT_FAILED;
        }
    };
    let opts = Options::default();
    let parts: Vec<Result<Part, String>> = pool.install(|| {
        inputs
            .par_iter()
            .map(|input| {
                let doc = load(input, &opts, args.timeout)?;
                match format {
                    Format::OpensearchBulk => {
                        let mut bytes = Vec::new();
                        export::write_opensearch_bulk(&mut bytes, &doc, &args.index).map_err(|e| e.to_string())?;
                        Ok(Part::Bulk(bytes))
                    }
                    Format::Csv | Format::Xlsx => Ok(Part::Rows(export::rows(&doc))),
                }
            })
            .collect()
    });

    let mut code = super::EXIT_OK;
    let mut rows: Vec<Row> = Vec::new();
    let mut bulk: Vec<u8> = Vec::new();
    for (input, part) in inputs.iter().zip(parts) {
        match part {
            Ok(Part::Rows(r)) => rows.extend(r),
            Ok(Part::Bulk(b)) => bulk.extend(b),
            Err(cause) => {
                eprintln!("planparse: {}: {cause}", input.path.display());
                code = super::EXIT_FAILED;
            }
        }
    }
    let csv = |sheet: Sheet| {
        let mut b = Vec::new();
        export::write_csv(&mut b, &rows, sheet).map(|_| b).map_err(|e| e.to_string())
    };
    let bytes = match format {
        Format::OpensearchBulk => Ok(bulk),
        Format::Csv if output.is_none() => csv(if args.table == Table::AgendaItems { Sheet::AgendaItems } else { Sheet::Measures }),
        Format::Csv => csv(Sheet::Measures),
        Format::Xlsx => export::xlsx_bytes(&rows).map_err(|e| e.to_string()),
    };
    // CSV to a file: the agenda items go to a second file beside it.
    if let (Format::Csv, Some(path)) = (format, output) {
        if rows.iter().any(|r| r.sheet == Sheet::AgendaItems) {
            let items = items_path(path);
            if let Err(e) = csv(Sheet::AgendaItems).and_then(|b| AtomicFile::write(&items, &b).map_err(|e| e.to_string())) {
                eprintln!("planparse: {}: cannot write: {e}", items.display());
                code = super::EXIT_FAILED;
            }
        }
    }
    let written = bytes.and_then(|b| {
        match output {
            Some(path) => AtomicFile::write(path, &b),
            // A closed pipe (`| head`) is the reader's choice, not a failure.
            None => io::stdout().lock().write_all(&b).or_else(|e| if e.kind() == io::ErrorKind::BrokenPipe { Ok(()) } else { Err(e) }),
        }
        .map_err(|e| e.to_string())
    });
    if let Err(e) = written {
        eprintln!("planparse: {}: cannot write: {e}", output.unwrap_or(Path::new("-")).display());
        code = super::EXIT_FAILED;
    }
    code
}

/// `NAME.agenda_items.csv` beside `NAME.csv`.
pub(super) fn items_path(measures: &Path) -> PathBuf {
    let stem = measures.file_stem().map_or_else(|| "export".to_string(), |s| s.to_string_lossy().into_owned());
    measures.with_file_name(format!("{stem}.agenda_items.csv"))
}

/// A converted `.json` read back, or a document converted now.
fn load(input: &Input, opts: &Options, limit: Duration) -> Result<Document, String> {
    if let Some(e) = &input.error {
        return Err(e.clone());
    }
    let bytes = std::fs::read(&input.path).map_err(|e| format!("cannot read: {e}"))?;
    if input.rel.to_ascii_lowercase().ends_with(".json") {
        serde_json::from_slice(&bytes).map_err(|e| format!("not a planparse JSON document: {e}"))
    } else {
        convert_isolated(&input.rel, bytes, opts, limit)
    }
}

/// A file written under a temporary name in its own folder and renamed into
/// place by [`commit`](AtomicFile::commit), so no reader (and no later run)
/// ever sees it half-written. Dropped uncommitted, the temporary file is
/// removed; only a killed process leaves one behind (`.<name>.<pid>.tmp`).
pub(super) struct AtomicFile {
    target: PathBuf,
    tmp: PathBuf,
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub(super) fn create(target: &Path) -> io::Result<AtomicFile> {
        let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = target.file_name().ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
        let file = BufWriter::new(File::create(&tmp)?);
        Ok(AtomicFile { target: target.to_path_buf(), tmp, file: Some(file) })
    }

    /// Writes `bytes` to `target` in one step.
    pub(super) fn write(target: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut file = AtomicFile::create(target)?;
        file.write_all(bytes)?;
        file.commit()
    }

    /// Flushes and renames the file into place.
    pub(super) fn commit(mut self) -> io::Result<()> {
        if let Some(file) = self.file.take() {
            file.into_inner().map_err(|e| e.into_error())?;
        }
        std::fs::rename(&self.tmp, &self.target)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // After a successful rename the temporary name is gone and this fails harmlessly.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Removes the temporary files ([`AtomicFile`]'s `.<name>.<pid>.tmp`) that a
/// killed run left under `dir`, walking it as a batch mirrors its inputs.
/// A file whose process still runs (another batch writing into the same
/// folder) is left alone. Returns how many were removed.
pub(super) fn remove_stale_temporaries(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        let path = entry.path();
        if kind.is_dir() {
            removed += remove_stale_temporaries(&path);
        } else if kind.is_file() && temporary_of_a_dead_process(&entry.file_name().to_string_lossy()) && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether `name` is `.<name>.<pid>.tmp` of a process that no longer runs.
fn temporary_of_a_dead_process(name: &str) -> bool {
    let Some(pid) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")).and_then(|n| n.rsplit_once('.')).and_then(|(_, pid)| pid.parse::<i32>().ok())
    else {
        return false;
    };
    pid > 0 && pid != std::process::id() as i32 && !process_runs(pid)
}

#[cfg(unix)]
fn process_runs(pid: i32) -> bool {
    // Signal 0 only checks: EPERM means it runs under another user.
    !matches!(nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None), Err(nix::errno::Errno::ESRCH))
}

#[cfg(not(unix))]
fn process_runs(_pid: i32) -> bool {
    true
}
