//! Per-document budgets that survive aborts: documents are converted (and
//! extracted, and `diff`'s two documents compared) in worker processes, each
//! under a memory limit, and the caller waits for a document at most its time
//! limit.
//!
//! Why processes: a thread under `catch_unwind` ([`super::convert::isolated`])
//! survives a panic, but not an abort (a failed allocation aborts the whole
//! process in Rust), a stack overflow, or a loop that never ends (a thread
//! cannot be killed). A process can be killed, and its memory can be capped by
//! the kernel.
//!
//! How:
//! - `planparse __worker` (hidden) is this binary run as a worker: it reads
//!   requests on stdin (a JSON header line, then the input's bytes), converts
//!   one at a time, and writes one JSON line per result on stdout.
//! - A worker is started when a caller needs one and no idle one is left, and
//!   is reused afterwards: per worker, not per document, so start-up (exec, the
//!   vocabulary's automata) is paid once per thread of a batch, not per file.
//! - A worker that dies (abort, signal) fails the document it held, with the
//!   cause read from its exit status and the last lines of its stderr; one over
//!   the time limit is killed. Either way it is replaced by a fresh one for the
//!   next document.
//! - Memory: the worker sets its own `RLIMIT_DATA` (soft and hard) to
//!   `--max-memory` before reading anything. `RLIMIT_DATA` rather than
//!   `RLIMIT_AS`: since Linux 4.7 it counts the heap and every private writable
//!   mapping (what allocations take), but not the address space the allocator
//!   and thread stacks only reserve, nor the mapped binary and libraries;
//!   `RLIMIT_AS` counts those reservations too (glibc reserves 64 MiB per
//!   thread arena), so a limit in it means much less memory on a machine with
//!   many cores. An allocation past the limit fails, Rust aborts the worker
//!   ("memory allocation of N bytes failed"), and the caller reports "memory
//!   limit exceeded". A limit is enforced by the kernel at the allocation, so
//!   no watcher has to poll RSS (which a fast allocation outruns). The limit
//!   is inherited by what the worker runs (OCR's `pdftoppm` and `tesseract`).
//! - The worker dies with its parent (`PR_SET_PDEATHSIG`, and stdin closing),
//!   dumps no core, and runs in its own process group so that Ctrl-C reaches
//!   only the parent, which lets running files finish.
//! - When no worker can be started (no executable path), documents are
//!   converted in this process under [`super::convert::isolated`], with a
//!   warning that an abort then ends the run.
//!
//! `nix` (already in the build through `ctrlc`) gives safe `setrlimit` and
//! `prctl`; `std` has neither.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use planparse::diff::Comparison;
use planparse::model::Document;
use planparse::ocr::OcrReport;
use planparse::pipeline::{self, Options};
use serde::{Deserialize, Serialize};

use super::convert::{isolated, Isolation};
use super::extract::Extracted;

/// The hidden subcommand that runs a worker.
pub const WORKER_COMMAND: &str = "__worker";

/// Default `--max-memory`: 1 GiB per document.
pub const DEFAULT_MAX_MEMORY: usize = 1 << 30;

/// The budget flags shared by every command that converts documents.
#[derive(clap::Args, Debug, Clone)]
#[command(next_help_heading = "Budget per document")]
pub(super) struct BudgetArgs {
    /// Memory one document's conversion may take (bytes; k, M, G suffixes).
    /// Each document is converted in a worker process under this limit; a
    /// document over it fails with "memory limit exceeded", the others go on
    #[arg(long, value_name = "BYTES", default_value = "1G", value_parser = super::convert::parse_count)]
    max_memory: usize,
}

impl BudgetArgs {
    /// Makes this the budget of every worker started from now on.
    pub(super) fn apply(&self) {
        MAX_MEMORY.store(self.max_memory, Ordering::SeqCst);
    }
}

static MAX_MEMORY: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_MEMORY);

/// Idle workers, ready for the next document.
static IDLE: Mutex<Vec<Worker>> = Mutex::new(Vec::new());

/// Set once workers could not be started: everything runs in this process.
static IN_PROCESS: AtomicBool = AtomicBool::new(false);

/// Ends the idle workers; called when a command is done.
pub(super) fn shutdown() {
    let idle = IDLE.lock().map(|mut idle| std::mem::take(&mut *idle)).unwrap_or_default();
    for worker in idle {
        worker.finish();
    }
}

/// Converts one input in a worker under the budget; the error is the cause as
/// a user reads it.
pub(super) fn convert(rel: &str, bytes: Vec<u8>, opts: &Options, limit: Duration) -> Result<(Document, OcrReport), String> {
    let task = Task::Convert { name: rel.to_string(), opts: opts.clone() };
    match run_task::<Converted>(rel, &task, &bytes, limit) {
        Ran::Done(Ok(c)) => Ok((c.doc, OcrReport { pages: c.ocr_pages, seconds: c.ocr_seconds })),
        Ran::Done(Err(e)) | Ran::Failed(e) => Err(e),
        Ran::NoWorker => convert_here(rel, bytes, opts, limit),
    }
}

/// `planparse extract`'s work on one file in a worker under the budget.
pub(super) fn extract(name: &str, bytes: Vec<u8>, json: bool, layout: bool, opts: &Options, limit: Duration) -> Result<Extracted, String> {
    let task = Task::Extract { name: name.to_string(), json, layout, opts: opts.clone() };
    match run_task::<Extracted>(name, &task, &bytes, limit) {
        Ran::Done(Ok(done)) => Ok(done),
        Ran::Done(Err(e)) | Ran::Failed(e) => Err(e),
        Ran::NoWorker => {
            let (name, opts) = (name.to_string(), opts.clone());
            isolated(&name.clone(), limit, move || super::extract::extract_one(&name, &bytes, json, layout, &opts)).map_err(|e| e.to_string())
        }
    }
}

/// `planparse diff`'s comparison in a worker under the budget.
pub(super) fn compare(old: Document, new: Document, limit: Duration) -> Result<Comparison, String> {
    let bytes = serde_json::to_vec(&(&old, &new)).map_err(|e| format!("internal error: cannot encode the documents: {e}"))?;
    match run_task::<Comparison>("diff", &Task::Compare, &bytes, limit) {
        Ran::Done(result) => result,
        Ran::Failed(e) => Err(e),
        Ran::NoWorker => isolated("diff", limit, move || planparse::diff::compare(&old, &new)).map_err(|e| e.to_string()),
    }
}

/// The conversion in this process, on a thread under `catch_unwind` and the
/// time limit: the fallback when no worker can be started.
fn convert_here(rel: &str, bytes: Vec<u8>, opts: &Options, limit: Duration) -> Result<(Document, OcrReport), String> {
    let (name, opts) = (rel.to_string(), opts.clone());
    match isolated(rel, limit, move || pipeline::convert_bytes_with_report(&name, &bytes, &opts)) {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// What a worker is asked to do with the bytes that follow the header.
#[derive(Serialize, Deserialize)]
enum Task {
    Convert {
        name: String,
        opts: Options,
    },
    Extract {
        name: String,
        json: bool,
        layout: bool,
        opts: Options,
    },
    /// `diff`'s comparison of two documents, sent as a JSON pair.
    Compare,
}

/// The header line of a request.
#[derive(Deserialize)]
struct Request {
    task: Task,
    /// Bytes of input after the header line.
    len: usize,
}

/// A converted document as a worker sends it back.
#[derive(Serialize, Deserialize)]
struct Converted {
    doc: Document,
    ocr_pages: usize,
    ocr_seconds: f64,
}

/// How a task went.
enum Ran<T> {
    /// The worker answered: the result, or the error the work reported.
    Done(Result<T, String>),
    /// The worker died or ran out of time: the cause.
    Failed(String),
    /// No worker could be started.
    NoWorker,
}

fn run_task<T: serde::de::DeserializeOwned>(name: &str, task: &Task, bytes: &[u8], limit: Duration) -> Ran<T> {
    if IN_PROCESS.load(Ordering::SeqCst) {
        return Ran::NoWorker;
    }
    let idle = IDLE.lock().map(|mut idle| idle.pop()).unwrap_or(None);
    let mut worker = match idle.map_or_else(Worker::start, Ok) {
        Ok(w) => w,
        Err(e) => {
            if !IN_PROCESS.swap(true, Ordering::SeqCst) {
                eprintln!("planparse: warning: cannot start a worker process ({e}): converting in this process, where a file that aborts ends the run");
            }
            return Ran::NoWorker;
        }
    };
    // The fields of `Request`.
    let header = match serde_json::to_string(&serde_json::json!({ "task": task, "len": bytes.len() })) {
        Ok(h) => h,
        Err(e) => return Ran::Failed(format!("internal error: cannot encode the request: {e}")),
    };
    match worker.ask(&header, bytes, limit) {
        Ok(line) => {
            if let Ok(mut idle) = IDLE.lock() {
                idle.push(worker);
            }
            match serde_json::from_str::<Result<T, String>>(&line) {
                Ok(result) => Ran::Done(result),
                Err(e) => Ran::Failed(format!("internal error: unreadable answer from the worker converting {name}: {e}")),
            }
        }
        Err(cause) => Ran::Failed(cause),
    }
}

/// A running worker process.
struct Worker {
    child: Child,
    /// `None` once closed, which tells the worker to exit.
    stdin: Option<ChildStdin>,
    /// Lines the worker wrote on stdout; closed when it exits.
    answers: mpsc::Receiver<String>,
    /// The last lines of its stderr (why it aborted).
    stderr: Arc<Mutex<Vec<String>>>,
    stderr_reader: Option<JoinHandle<()>>,
    max_memory: usize,
}

/// Lines of a worker's stderr kept for the error message.
const STDERR_LINES: usize = 4;

impl Worker {
    fn start() -> std::io::Result<Worker> {
        // This very binary, even if its file was replaced or removed since it
        // started (the worker must speak the same protocol).
        #[cfg(target_os = "linux")]
        let exe = std::path::PathBuf::from("/proc/self/exe");
        #[cfg(not(target_os = "linux"))]
        let exe = std::env::current_exe()?;
        let max_memory = MAX_MEMORY.load(Ordering::SeqCst);
        let mut cmd = Command::new(exe);
        cmd.arg(WORKER_COMMAND).arg("--max-memory").arg(max_memory.to_string()).arg("--parent").arg(std::process::id().to_string());
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // Ctrl-C goes to the terminal's foreground group: the parent only.
            cmd.process_group(0);
            cmd.arg0("planparse");
        }
        let mut child = cmd.spawn()?;
        let (Some(stdin), Some(stdout), Some(stderr_pipe)) = (child.stdin.take(), child.stdout.take(), child.stderr.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other("no pipes to the worker"));
        };
        let (tx, answers) = mpsc::channel();
        std::thread::Builder::new().name("planparse worker reader".into()).spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        })?;
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let tail = Arc::clone(&stderr);
        let stderr_reader = std::thread::Builder::new().name("planparse worker stderr".into()).spawn(move || {
            for line in BufReader::new(stderr_pipe).lines() {
                let Ok(line) = line else { break };
                if let Ok(mut tail) = tail.lock() {
                    if tail.len() == STDERR_LINES {
                        tail.remove(0);
                    }
                    tail.push(line);
                }
            }
        })?;
        Ok(Worker { child, stdin: Some(stdin), answers, stderr, stderr_reader: Some(stderr_reader), max_memory })
    }

    /// Sends one request and waits for its answer at most `limit`. On an
    /// error the worker is gone (killed if need be) and the cause is returned.
    fn ask(&mut self, header: &str, bytes: &[u8], limit: Duration) -> Result<String, String> {
        // What an earlier document left on stderr is not this one's cause.
        if let Ok(mut tail) = self.stderr.lock() {
            tail.clear();
        }
        let sent = match &mut self.stdin {
            Some(stdin) => {
                stdin.write_all(header.as_bytes()).and_then(|_| stdin.write_all(b"\n")).and_then(|_| stdin.write_all(bytes)).and_then(|_| stdin.flush())
            }
            None => Err(std::io::Error::other("closed")),
        };
        if sent.is_ok() {
            match self.answers.recv_timeout(limit) {
                Ok(line) => return Ok(line),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    self.stop();
                    return Err(Isolation::TimedOut(limit).to_string());
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {}
            }
        }
        // The worker closed its end: it died.
        let status = self.child.wait();
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        let tail = self.stderr.lock().map(|t| t.clone()).unwrap_or_default();
        Err(match status {
            Ok(status) => death_cause(status, &tail, self.max_memory),
            Err(e) => format!("internal error: the worker process was lost: {e}"),
        })
    }

    /// Closes its stdin and waits for it to exit (so its resource use is
    /// counted as this process's children's).
    fn finish(mut self) {
        self.stdin = None;
        let _ = self.child.wait();
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // An idle worker reads EOF on stdin and exits; make sure of it.
        if matches!(self.child.try_wait(), Ok(None)) {
            self.stop();
        }
    }
}

/// Why a worker ended while holding a document, as the document's error.
fn death_cause(status: ExitStatus, stderr: &[String], max_memory: usize) -> String {
    let last = stderr.iter().rev().find(|l| !l.trim().is_empty()).map(|l| l.trim().to_string());
    let out_of_memory = stderr.iter().find(|l| ["memory allocation of", "out of memory", "Cannot allocate memory"].iter().any(|m| l.contains(m)));
    if let Some(line) = out_of_memory {
        let detail = format!(": {}", line.trim());
        return format!("memory limit exceeded ({}; raise it with --max-memory){detail}", bytes_text(max_memory));
    }
    let how = signal_name(status).map_or_else(|| format!("exited with {status}"), |s| format!("was killed by {s}"));
    let detail = last.map(|l| format!(": {l}")).unwrap_or_default();
    format!("internal error: the conversion's worker process {how}{detail}")
}

#[cfg(unix)]
fn signal_name(status: ExitStatus) -> Option<String> {
    use std::os::unix::process::ExitStatusExt;
    let sig = status.signal()?;
    Some(match nix::sys::signal::Signal::try_from(sig) {
        Ok(s) => format!("{s}"),
        Err(_) => format!("signal {sig}"),
    })
}

#[cfg(not(unix))]
fn signal_name(_: ExitStatus) -> Option<String> {
    None
}

/// `1 GiB`, `64 MiB`, `1500 bytes`.
fn bytes_text(n: usize) -> String {
    for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if n >= 1 << shift && n % (1 << shift) == 0 {
            return format!("{} {unit}", n >> shift);
        }
    }
    if n >= 1 << 20 {
        return format!("{:.1} MiB", n as f64 / f64::from(1 << 20));
    }
    format!("{n} bytes")
}

/// The worker's command line (hidden from `--help`).
#[derive(clap::Args)]
pub struct WorkerArgs {
    /// RLIMIT_DATA of this process, in bytes
    #[arg(long)]
    max_memory: usize,
    /// The process that started this one: the worker exits when it is gone
    #[arg(long)]
    parent: Option<u32>,
}

/// Where the worker's last panic happened, added to the "internal error"
/// it becomes.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// `planparse __worker`: serves requests on stdin until it closes.
pub fn worker_main(args: WorkerArgs) -> i32 {
    limit_self(args.max_memory, args.parent);
    std::panic::set_hook(Box::new(|info| {
        // On stderr too: the caller reads its last lines when the worker dies.
        eprintln!("planparse worker: {info}");
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default());
        }
    }));
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    loop {
        let mut header = String::new();
        match input.read_line(&mut header) {
            Ok(0) => return super::EXIT_OK,
            Ok(_) => {}
            Err(e) => {
                eprintln!("planparse worker: cannot read a request: {e}");
                return super::EXIT_FAILED;
            }
        }
        let request: Request = match serde_json::from_str(&header) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("planparse worker: not a request: {e}");
                return super::EXIT_USAGE;
            }
        };
        let mut bytes = vec![0; request.len];
        if let Err(e) = input.read_exact(&mut bytes) {
            eprintln!("planparse worker: cannot read the input: {e}");
            return super::EXIT_FAILED;
        }
        let answer = serve(request.task, bytes);
        if writeln!(out, "{answer}").and_then(|_| out.flush()).is_err() {
            return super::EXIT_FAILED;
        }
    }
}

/// Runs one task; the answer line is a JSON `{"Ok": …}` or `{"Err": "…"}`.
/// The work runs on this thread (no thread to start, which a tight memory
/// limit can refuse); the time limit is the parent's to enforce.
fn serve(task: Task, bytes: Vec<u8>) -> String {
    match task {
        Task::Convert { name, opts } => {
            let result = contained(&name, || pipeline::convert_bytes_with_report(&name, &bytes, &opts)).and_then(|r| r.map_err(|e| e.to_string()));
            encode(result.map(|(doc, ocr)| Converted { doc, ocr_pages: ocr.pages, ocr_seconds: ocr.seconds }))
        }
        Task::Extract { name, json, layout, opts } => {
            let result = contained(&name, || super::extract::extract_one(&name, &bytes, json, layout, &opts));
            encode(result)
        }
        Task::Compare => {
            let pair = serde_json::from_slice::<(Document, Document)>(&bytes).map_err(|e| format!("internal error: unreadable documents: {e}"));
            drop(bytes);
            encode(pair.and_then(|(old, new)| contained("diff", || planparse::diff::compare(&old, &new))))
        }
    }
}

/// `work` under `catch_unwind`: a panic is an "internal error" (as in
/// [`isolated`], whose fault injection for the tests it honours too).
fn contained<T>(name: &str, work: impl FnOnce() -> T) -> Result<T, String> {
    let inject = std::env::var(super::convert::INJECT_PANIC_VAR).ok().filter(|suffix| !suffix.is_empty() && name.ends_with(suffix.as_str()));
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if let Some(suffix) = inject {
            panic!("injected by {}={suffix}", super::convert::INJECT_PANIC_VAR);
        }
        work()
    }))
    .map_err(|panic| {
        let msg = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned());
        Isolation::Panicked(msg.unwrap_or_else(|| "panic".into())).to_string()
    })
}

/// A task's answer line; an internal error gets the panic's location.
fn encode<T: Serialize>(result: Result<T, String>) -> String {
    let at = LAST_PANIC.lock().ok().and_then(|mut l| l.take()).filter(|l| !l.is_empty());
    let result = result.map_err(|e| match at {
        Some(at) if e.starts_with("internal error") => format!("{e} (at {at})"),
        _ => e,
    });
    serde_json::to_string(&result).unwrap_or_else(|e| serde_json::json!({ "Err": format!("cannot serialize the result: {e}") }).to_string())
}

/// The worker's own limits: memory (`RLIMIT_DATA`), no core dump, and an end
/// with its parent.
#[cfg(target_os = "linux")]
fn limit_self(max_memory: usize, parent: Option<u32>) {
    use nix::sys::resource::{setrlimit, Resource};
    let limit = max_memory as u64;
    if let Err(e) = setrlimit(Resource::RLIMIT_DATA, limit, limit) {
        eprintln!("planparse worker: cannot limit memory to {limit} bytes: {e}");
    }
    let _ = setrlimit(Resource::RLIMIT_CORE, 0, 0);
    let _ = nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL);
    // The parent may have gone before the line above took effect.
    if parent.is_some_and(|p| std::os::unix::process::parent_id() != p) {
        std::process::exit(super::EXIT_FAILED);
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
fn limit_self(max_memory: usize, _parent: Option<u32>) {
    use nix::sys::resource::{setrlimit, Resource};
    let limit = max_memory as u64;
    if let Err(e) = setrlimit(Resource::RLIMIT_DATA, limit, limit) {
        eprintln!("planparse worker: cannot limit memory to {limit} bytes: {e}");
    }
    let _ = setrlimit(Resource::RLIMIT_CORE, 0, 0);
}

#[cfg(not(unix))]
fn limit_self(_max_memory: usize, _parent: Option<u32>) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_the_flag_is_written() {
        assert_eq!(bytes_text(1 << 30), "1 GiB");
        assert_eq!(bytes_text(64 << 20), "64 MiB");
        assert_eq!(bytes_text(1500), "1500 bytes");
    }

    #[test]
    fn options_survive_the_trip_to_a_worker() {
        let mut opts = Options::default();
        opts.limits.max_pages = 7;
        opts.ocr.mode = planparse::ocr::OcrMode::Never;
        opts.ocr.lang = "nor+eng".into();
        let back: Options = serde_json::from_str(&serde_json::to_string(&opts).expect("serialize")).expect("options");
        assert_eq!(back.limits.max_pages, 7);
        assert_eq!(back.ocr.mode, planparse::ocr::OcrMode::Never);
        assert_eq!(back.ocr.lang, "nor+eng");
        assert_eq!(back.max_text_bytes, opts.max_text_bytes);
    }

    #[cfg(unix)]
    #[test]
    fn an_abort_on_allocation_reads_as_the_memory_limit() {
        use std::os::unix::process::ExitStatusExt;
        let status = ExitStatus::from_raw(6);
        let cause = death_cause(status, &["memory allocation of 4000000 bytes failed".into()], 64 << 20);
        assert_eq!(cause, "memory limit exceeded (64 MiB; raise it with --max-memory): memory allocation of 4000000 bytes failed");
        let crash = death_cause(ExitStatus::from_raw(11), &[], 1 << 30);
        assert!(crash.starts_with("internal error: the conversion's worker process was killed by SIGSEGV"), "{crash}");
    }
}
