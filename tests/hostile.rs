//! Hostile and broken inputs through the real binary: every fixture class
//! ends with the documented exit code, an error or warning that names the
//! file and the cause, and stays inside a hang bound (10 s: the child is
//! killed and the test fails) and a memory bound (512 MiB peak RSS, measured
//! with `wait4`).
//!
//! The time bound is a hang detector, not a benchmark: each of these files
//! takes milliseconds, so 10 s is only reached when something loops.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const HANG_BOUND: Duration = Duration::from_secs(10);
const MEMORY_BOUND_KIB: u64 = 512 * 1024;

/// One finished run of the binary.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn fixture(dir: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir).join(name)
}

/// Runs `planparse ARGS`, asserting the hang and memory bounds.
fn planparse(args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planparse"));
    cmd.args(args);
    let run = common::run_bounded(&mut cmd, HANG_BOUND);
    assert!(run.max_rss_kib < MEMORY_BOUND_KIB, "planparse {args:?} peaked at {} KiB", run.max_rss_kib);
    Run { code: run.code.unwrap_or_else(|| panic!("planparse {args:?} died by a signal: {}", run.stderr)), stdout: run.stdout, stderr: run.stderr }
}

/// `convert` of one bad PDF fails with exit 1 and `path: cause` on stderr.
fn assert_fails(path: &Path, extra: &[&str], cause: &str) {
    let path_str = path.to_str().unwrap();
    let mut args = vec!["convert", path_str];
    args.extend_from_slice(extra);
    let run = planparse(&args);
    assert_eq!(run.code, 1, "{path_str}: stderr {}", run.stderr);
    let name = path.file_name().unwrap().to_str().unwrap();
    let line = run.stderr.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("stderr names no {name}: {}", run.stderr));
    assert!(line.contains(cause), "{name}: expected {cause:?} in {line:?}");
    assert!(run.stdout.trim().is_empty(), "no JSON for a failed file: {}", run.stdout);
}

/// `convert` succeeds with one JSON document that names the file; also
/// returns stderr.
fn convert_ok_with_stderr(path: &Path, extra: &[&str]) -> (serde_json::Value, String) {
    let path_str = path.to_str().unwrap();
    let mut args = vec!["convert", path_str];
    args.extend_from_slice(extra);
    let run = planparse(&args);
    assert_eq!(run.code, 0, "{path_str}: stderr {}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let name = path.file_name().unwrap().to_str().unwrap();
    assert_eq!(doc["source"]["file"], name);
    (doc, run.stderr)
}

fn convert_ok(path: &Path, extra: &[&str]) -> serde_json::Value {
    convert_ok_with_stderr(path, extra).0
}

/// The text layer as `planparse extract` prints it; the run must succeed.
fn extract_text(path: &Path) -> Run {
    let run = planparse(&["extract", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}: {}", path.display(), run.stderr);
    run
}

fn warning_codes(doc: &serde_json::Value) -> Vec<String> {
    doc["warnings"].as_array().expect("warnings array").iter().map(|w| w["code"].as_str().unwrap_or("").to_string()).collect()
}

/// The message of the first warning with `code`.
fn warning_message(doc: &serde_json::Value, code: &str) -> Option<String> {
    doc["warnings"].as_array()?.iter().find(|w| w["code"] == code).and_then(|w| w["message"].as_str()).map(str::to_owned)
}

/// `convert` succeeds with warning `code` in the JSON; a warning about the
/// file itself ([`planparse::pdf::REPORTED_WARNINGS`]) is also on stderr as
/// `planparse: PATH: warning: MESSAGE`. Returns the document and the message.
fn assert_warns(path: &Path, extra: &[&str], code: &str) -> (serde_json::Value, String) {
    let (doc, stderr) = convert_ok_with_stderr(path, extra);
    let message = warning_message(&doc, code).unwrap_or_else(|| panic!("{}: expected warning {code}, got {:?}", path.display(), warning_codes(&doc)));
    if planparse::pdf::REPORTED_WARNINGS.contains(&code) {
        let line = format!("planparse: {}: warning: {message}", path.display());
        assert!(stderr.contains(&line), "expected {line:?} on stderr: {stderr}");
    }
    (doc, message)
}

#[test]
fn not_a_pdf_fails_naming_the_file() {
    assert_fails(&fixture("bad", "not_a_pdf.pdf"), &[], "not a PDF");
}

#[test]
fn truncated_pdf_without_a_readable_page_fails_as_truncated() {
    assert_fails(
        &fixture("bad", "truncated.pdf"),
        &[],
        "truncated PDF: no %%EOF marker in its last 1024 bytes (247 bytes in all), \
         and no text could be read before the cut",
    );
}

/// A truncated fixture whose page survived: `truncated` (with `cause` in its
/// message) and `xref_rebuilt` warnings, and the text is still read.
fn assert_truncated_but_readable(name: &str, cause: &str) {
    let path = fixture("bad", name);
    let (doc, message) = assert_warns(&path, &[], "truncated");
    assert!(message.contains(cause), "{message}");
    assert!(warning_codes(&doc).iter().any(|c| c == "xref_rebuilt"));
    assert!(extract_text(&path).stdout.contains("Hello world"));
}

#[test]
fn truncated_pdf_with_its_pages_warns_and_keeps_the_text() {
    assert_truncated_but_readable("truncated_late.pdf", "no %%EOF marker");
}

#[test]
fn startxref_past_the_end_reads_as_truncated() {
    assert_truncated_but_readable("startxref_past_end.pdf", "startxref points to byte 4715, past the end");
}

#[test]
fn corrupt_xref_is_rebuilt_with_a_warning() {
    let path = fixture("bad", "corrupt_xref.pdf");
    let (doc, _) = assert_warns(&path, &[], "xref_rebuilt");
    assert!(!warning_codes(&doc).iter().any(|c| c == "truncated"), "the file is whole");
    assert!(extract_text(&path).stdout.contains("Hello world"));
}

#[test]
fn intact_pdf_has_no_damage_warning() {
    let (doc, stderr) = convert_ok_with_stderr(&fixture("bad", "hello.pdf"), &[]);
    assert!(warning_codes(&doc).is_empty(), "{doc}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn garbage_after_header_fails_naming_the_file() {
    assert_fails(&fixture("bad", "garbage_after_header.pdf"), &[], "truncated PDF: no %%EOF marker");
}

#[test]
fn encrypted_with_user_password_fails() {
    assert_fails(&fixture("bad", "encrypted_user_password.pdf"), &[], "encrypted, password required");
}

#[test]
fn encrypted_with_empty_password_opens() {
    let path = fixture("bad", "encrypted_empty_password.pdf");
    convert_ok(&path, &[]);
    assert!(extract_text(&path).stdout.contains("Hello world"));
}

#[test]
fn image_only_page_warns_no_text_layer() {
    let (_, message) = assert_warns(&fixture("bad", "image_only.pdf"), &[], "no_text_layer");
    assert!(message.contains("page 1 has no text layer"), "{message}");
    assert_warns(&fixture("bad", "no_text.pdf"), &[], "no_text_layer");
}

/// Junk after `%%EOF` looks like a cut, but with the cross-reference data
/// intact a page without text is a scan, not a failure.
#[test]
fn scan_with_junk_after_eof_converts_with_warnings() {
    let path = fixture("bad", "image_only_trailing_junk.pdf");
    let (doc, _) = assert_warns(&path, &[], "truncated");
    assert!(warning_codes(&doc).iter().any(|c| c == "no_text_layer"));
}

#[test]
fn broken_flate_stream_is_skipped_with_a_warning() {
    let path = fixture("bad", "broken_flate.pdf");
    assert_warns(&path, &[], "bad_stream");
    let run = extract_text(&path);
    assert!(run.stdout.contains("Hello world"), "the good stream is still read");
    assert!(run.stderr.contains("broken_flate.pdf: warning: a content stream on page 1 cannot be decoded"), "{}", run.stderr);
}

#[test]
fn decompression_bomb_is_stopped_by_the_stream_limit() {
    let bomb = fixture("bad", "bomb.pdf");
    // Under the default limits the 1 MiB bomb is just a big stream.
    convert_ok(&bomb, &[]);
    let (_, message) = assert_warns(&bomb, &["--max-stream-bytes", "64k"], "stream_too_large");
    assert!(message.contains("--max-stream-bytes"), "{message}");
    assert_fails(&bomb, &["--max-document-bytes", "1k"], "--max-document-bytes");
}

#[test]
fn form_bomb_is_bounded() {
    convert_ok(&fixture("bad", "form_bomb.pdf"), &[]);
}

#[test]
fn deep_xobject_recursion_warns() {
    let (_, message) = assert_warns(&fixture("bad", "deep_xobject.pdf"), &[], "xobject_depth");
    assert!(message.contains("--max-xobject-depth"), "{message}");
    assert_warns(&fixture("bad", "xobject_cycle.pdf"), &[], "xobject_cycle");
}

#[test]
fn xobject_depth_flag_is_applied() {
    let deep = fixture("bad", "deep_xobject.pdf");
    let doc = convert_ok(&deep, &["--max-xobject-depth", "64"]);
    assert!(!warning_codes(&doc).iter().any(|c| c == "xobject_depth"), "depth 40 is under 64");
}

#[test]
fn cyclic_page_tree_warns() {
    assert_warns(&fixture("bad", "page_tree_cycle.pdf"), &[], "page_tree_cycle");
}

#[test]
fn op_and_page_and_object_limits_apply() {
    let (_, message) = assert_warns(&fixture("bad", "many_ops.pdf"), &["--max-ops-per-page", "100"], "op_limit");
    assert!(message.contains("--max-ops-per-page"), "{message}");
    assert_fails(&fixture("bad", "hello.pdf"), &["--max-objects", "2"], "--max-objects");
    let run = planparse(&["extract", fixture("bad", "hello.pdf").to_str().unwrap(), "--max-objects", "2"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("hello.pdf: limit exceeded") && run.stderr.contains("--max-objects"), "{}", run.stderr);
}

#[test]
fn page_limit_flag_is_applied() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/hlk-2021-2025.pdf");
    let (_, message) = assert_warns(&path, &["--max-pages", "1"], "page_limit");
    assert!(message.contains("--max-pages"), "{message}");
}

#[test]
fn limit_flags_reject_nonsense() {
    for flag in ["--max-stream-bytes", "--max-document-bytes", "--max-objects", "--max-ops-per-page", "--max-xobject-depth", "--max-pages"] {
        let run = planparse(&["convert", "x.pdf", flag, "0"]);
        assert_eq!(run.code, 2, "{flag} 0: {}", run.stderr);
        assert!(run.stderr.contains(flag), "{flag}: {}", run.stderr);
    }
    let help = planparse(&["convert", "--help"]).stdout;
    let extract_help = planparse(&["extract", "--help"]).stdout;
    for flag in ["--max-stream-bytes", "--max-document-bytes", "--max-objects", "--max-ops-per-page", "--max-xobject-depth", "--max-pages", "--timeout"] {
        assert!(help.contains(flag), "convert --help lacks {flag}");
        if flag != "--timeout" {
            assert!(extract_help.contains(flag), "extract --help lacks {flag}");
        }
    }
}

#[test]
fn windows_1252_text_is_decoded_with_a_warning() {
    let (doc, _) = assert_warns(&fixture("bad", "windows1252.txt"), &[], "not_utf8");
    let json = doc.to_string();
    assert!(json.contains("Økt samarbeid") && json.contains("støtte"), "{json}");
}

#[test]
fn bom_and_crlf_text_reads_like_plain_text() {
    let doc = convert_ok(&fixture("bad", "bom_crlf.txt"), &[]);
    let json = doc.to_string();
    assert!(json.contains("Økt samarbeid"), "{json}");
    assert!(!json.contains('\u{feff}') && !json.contains("\\r"), "BOM and CR are gone: {json}");
    assert!(!warning_codes(&doc).iter().any(|c| c == "not_utf8"));
}

#[test]
fn empty_files_fail_naming_the_file() {
    assert_fails(&fixture("bad", "empty.txt"), &[], "empty file");
    assert_fails(&fixture("bad", "empty.pdf"), &[], "empty file");
}

/// Every minimized fuzzer finding stays fixed: each input converts or fails
/// cleanly (exit 0 or 1, never a panic, hang or OOM), as whatever its name says.
#[test]
fn fuzz_regressions_convert_or_fail_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x != "md" && x != "py")).collect();
    files.sort();
    for path in files {
        let run = planparse(&["convert", path.to_str().unwrap()]);
        assert!(run.code == 0 || run.code == 1, "{}: exit {}: {}", path.display(), run.code, run.stderr);
        assert!(!run.stderr.contains("internal error"), "{}: {}", path.display(), run.stderr);
    }
}

/// A CMap shared by 3,000 fonts, one `bfrange` over the whole 2-byte code
/// space (fuzz finding: parsed per font and expanded to 65,536 entries each).
#[test]
fn shared_full_range_cmap_is_parsed_once() {
    let path = fixture("fuzz", "cmap_shared_full_bfrange.pdf");
    let started = std::time::Instant::now();
    let run = planparse(&["extract", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains('A'), "{}", run.stdout);
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
}

#[test]
fn cmap_over_the_mapping_budget_warns() {
    let (_, message) = assert_warns(&fixture("fuzz", "cmap_over_budget.pdf"), &[], "cmap_limit");
    assert!(message.contains("65536 mappings"), "{message}");
}

#[test]
fn time_limit_error_names_the_flag() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/hlk-2021-2025.pdf");
    let run = planparse(&["convert", corpus.to_str().unwrap(), "--timeout", "0.000001"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("hlk-2021-2025.pdf: time limit exceeded") && run.stderr.contains("--timeout"), "{}", run.stderr);
}

/// The bounds themselves: a child that runs on is killed at the bound and
/// the test fails, and peak memory is really measured.
#[test]
#[should_panic(expected = "was killed")]
fn hang_bound_kills_a_child_that_runs_on() {
    let mut sleep = Command::new("sleep");
    sleep.arg("30");
    common::run_bounded(&mut sleep, Duration::from_millis(200));
}

#[test]
fn peak_memory_of_the_child_is_measured() {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planparse"));
    cmd.args(["convert", fixture("bad", "bomb.pdf").to_str().unwrap()]);
    let run = common::run_bounded(&mut cmd, HANG_BOUND);
    // The bomb inflates to 1 MiB; the process needs more than that.
    assert!(run.max_rss_kib > 1024, "{} KiB", run.max_rss_kib);
    assert!(run.max_rss_kib < MEMORY_BOUND_KIB);
}

/// Found by the text_segment fuzzer: `layout` padded every row of a
/// tab-separated table to the widest row, so 400 two-cell rows and one row
/// of 60,000 tabs made 24 million cells (3.8 s and 1.1 GiB through
/// `convert`). A line of more than 64 tab cells is now prose.
#[test]
fn wide_tab_separated_row_stays_within_bounds() {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planparse"));
    cmd.args(["convert", fixture("fuzz", "text_wide_tab_row.txt").to_str().unwrap()]);
    let run = common::run_bounded(&mut cmd, HANG_BOUND);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.max_rss_kib < 64 * 1024, "{} KiB", run.max_rss_kib);
}
