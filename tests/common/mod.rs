//! Shared test helpers: corpus paths, conversion through the library, and
//! running a child process under a time bound with its peak memory measured.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use planparse::model::Document;
use planparse::pipeline::{convert_bytes, Options};

pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Converts one corpus file (by file name).
pub fn convert(name: &str) -> Document {
    let path = corpus().join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    convert_bytes(name, &bytes, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The gold file of a corpus file (`hlk-2021-2025.chromium.pdf` → `gold/hlk-2021-2025.json`).
pub fn gold(name: &str) -> serde_json::Value {
    let base = name.split('.').next().unwrap_or(name);
    let path = corpus().join("gold").join(format!("{base}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Corpus files with one of the given extensions (`.chromium.pdf` counts as `.pdf`).
pub fn corpus_files(ext: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .expect("corpus folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext))
        .collect();
    names.sort();
    names
}

/// When this environment variable is set (to anything but empty or `0`), a
/// test that would skip for lack of an external tool fails instead; `.ci/run`
/// sets it, so in CI those tests run for sure.
pub const REQUIRE_TOOLS_VAR: &str = "PLANPARSE_REQUIRE_TOOLS";

/// The file each skip appends a line to (`target/tmp/skipped-tests.txt`);
/// `tests/run.sh` empties it before the run and prints it after, since
/// `cargo test` hides what passing tests print.
pub fn skip_log() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("skipped-tests.txt")
}

/// True when [`REQUIRE_TOOLS_VAR`] asks for every tool.
pub fn tools_required() -> bool {
    std::env::var(REQUIRE_TOOLS_VAR).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Records that `test` skipped because `why` (a missing tool and how to
/// install it): a line on stderr and in [`skip_log`]. Panics instead when
/// [`tools_required`]. The caller returns right after.
pub fn skip(test: &str, why: &str) {
    skip_to(&skip_log(), tools_required(), test, why);
}

/// [`skip`] with the log and the requirement given (for testing the helper).
pub fn skip_to(log: &Path, required: bool, test: &str, why: &str) {
    use std::io::Write;
    assert!(!required, "{test}: {why} ({REQUIRE_TOOLS_VAR} is set: a missing tool fails the test instead of skipping it)");
    eprintln!("SKIPPED {test}: {why}");
    if let Some(dir) = log.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    // One `write` of a whole line in append mode: lines of parallel tests do not mix.
    let appended = std::fs::OpenOptions::new().create(true).append(true).open(log).and_then(|mut f| f.write_all(format!("{test}: {why}\n").as_bytes()));
    if let Err(e) = appended {
        eprintln!("cannot record the skip in {}: {e}", log.display());
    }
}

/// True when `program` runs (`program args...` exits successfully).
pub fn has_tool(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).stdin(Stdio::null()).output().is_ok_and(|o| o.status.success())
}

/// Runs headless Chromium with the flags that keep it off the network, in its
/// own profile folder; `None` when no Chromium is installed (the callers then
/// [`skip`]).
pub fn chromium(args: &[&str], profile: &Path) -> Option<std::process::Output> {
    let exe =
        ["chromium", "chromium-browser", "google-chrome"].into_iter().find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))?;
    let mut cmd = Command::new(exe);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]);
    cmd.arg(format!("--user-data-dir={}", profile.display()));
    cmd.args(args);
    cmd.output().ok()
}

/// How one bounded run of a child process ended.
#[derive(Debug)]
pub struct BoundedRun {
    /// The exit code; `None` when a signal ended it.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// Peak resident set size of the child, from `wait4`'s `ru_maxrss` (KiB on Linux).
    pub max_rss_kib: u64,
    pub elapsed: Duration,
}

/// Runs `cmd` with stdout and stderr captured and reaps it with `wait4`, which
/// reports the child's own peak RSS. A child still running after `limit` is
/// killed and the calling test fails: a hang reads as a failure, not a stuck
/// test run.
// The child is reaped by `libc::wait4`, which clippy does not see.
#[allow(clippy::zombie_processes)]
pub fn run_bounded(cmd: &mut Command, limit: Duration) -> BoundedRun {
    let started = Instant::now();
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    // Drained on threads so a chatty child never blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let pid = libc::pid_t::try_from(child.id()).expect("pid fits pid_t");
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut killed = false;
    loop {
        let flags = if killed { 0 } else { libc::WNOHANG };
        // SAFETY: `pid` is our own unreaped child; `status` and `usage` are
        // valid for writes. After this reaps it, `child` is never waited on.
        let reaped = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
        if reaped == pid {
            break;
        }
        assert!(reaped == 0, "wait4 failed: {}", std::io::Error::last_os_error());
        if started.elapsed() >= limit {
            let _ = child.kill();
            killed = true;
            continue;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = started.elapsed();
    let run = BoundedRun {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
        max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        elapsed,
    };
    assert!(!killed, "{cmd:?} still ran after {limit:?} and was killed; stderr: {}", run.stderr);
    run
}
