//! Hostile and broken inputs through the real binary: every fixture class
//! ends with the documented exit code, an error or warning that names the
//! file and the cause, and stays inside a hang bound (10 s) and a memory
//! bound (512 MiB, measured with `/usr/bin/time` when it exists).
//!
//! The time bound is a hang detector, not a benchmark: each of these files
//! takes milliseconds, so 10 s is only reached when something loops.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const HANG_BOUND: Duration = Duration::from_secs(10);
const MEMORY_BOUND_KIB: u64 = 512 * 1024;
/// Marks the line `/usr/bin/time` appends to stderr.
const RSS_TAG: &str = "planparse-max-rss-kib=";

/// One finished run of the binary.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn fixture(dir: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
        .join(name)
}

/// Runs `planparse ARGS`, asserting the hang and memory bounds.
fn planparse(args: &[&str]) -> Run {
    let bin = env!("CARGO_BIN_EXE_planparse");
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg(format!("{RSS_TAG}%M")).arg(bin);
        c
    } else {
        eprintln!("/usr/bin/time not found: memory bound not checked for {args:?}");
        Command::new(bin)
    };
    let started = Instant::now();
    let out = cmd.args(args).output().expect("run planparse");
    let elapsed = started.elapsed();
    assert!(
        elapsed < HANG_BOUND,
        "planparse {args:?} ran {elapsed:?}, over the hang bound"
    );

    let mut stderr = String::new();
    let mut rss = None;
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        if let Some(kib) = line.strip_prefix(RSS_TAG) {
            rss = kib.trim().parse::<u64>().ok();
        } else if !line.starts_with("Command exited with non-zero status") {
            stderr.push_str(line);
            stderr.push('\n');
        }
    }
    if let Some(kib) = rss {
        assert!(
            kib < MEMORY_BOUND_KIB,
            "planparse {args:?} peaked at {kib} KiB"
        );
    }
    Run {
        code: out.status.code().expect("exit code, not a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    }
}

/// `convert` of one bad PDF fails with exit 1 and `path: cause` on stderr.
fn assert_fails(path: &Path, extra: &[&str], cause: &str) {
    let path_str = path.to_str().unwrap();
    let mut args = vec!["convert", path_str];
    args.extend_from_slice(extra);
    let run = planparse(&args);
    assert_eq!(run.code, 1, "{path_str}: stderr {}", run.stderr);
    let name = path.file_name().unwrap().to_str().unwrap();
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains(name))
        .unwrap_or_else(|| panic!("stderr names no {name}: {}", run.stderr));
    assert!(
        line.contains(cause),
        "{name}: expected {cause:?} in {line:?}"
    );
    assert!(
        run.stdout.trim().is_empty(),
        "no JSON for a failed file: {}",
        run.stdout
    );
}

/// `convert` succeeds; the JSON names the file and carries a warning `code`.
fn convert_ok(path: &Path, extra: &[&str]) -> serde_json::Value {
    let path_str = path.to_str().unwrap();
    let mut args = vec!["convert", path_str];
    args.extend_from_slice(extra);
    let run = planparse(&args);
    assert_eq!(run.code, 0, "{path_str}: stderr {}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let name = path.file_name().unwrap().to_str().unwrap();
    assert_eq!(doc["source"]["file"], name);
    doc
}

/// The text layer as `planparse extract` prints it; the run must succeed.
fn extract_text(path: &Path) -> Run {
    let run = planparse(&["extract", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}: {}", path.display(), run.stderr);
    run
}

fn warning_codes(doc: &serde_json::Value) -> Vec<String> {
    doc["warnings"]
        .as_array()
        .expect("warnings array")
        .iter()
        .map(|w| w["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn assert_warns(path: &Path, extra: &[&str], code: &str) -> serde_json::Value {
    let doc = convert_ok(path, extra);
    let codes = warning_codes(&doc);
    assert!(
        codes.iter().any(|c| c == code),
        "{}: expected warning {code}, got {codes:?}",
        path.display()
    );
    doc
}

#[test]
fn not_a_pdf_fails_naming_the_file() {
    assert_fails(&fixture("bad", "not_a_pdf.pdf"), &[], "not a PDF");
}

#[test]
fn truncated_pdf_fails_or_recovers_cleanly() {
    let run = planparse(&["convert", fixture("bad", "truncated.pdf").to_str().unwrap()]);
    match run.code {
        0 => assert!(serde_json::from_str::<serde_json::Value>(&run.stdout).is_ok()),
        1 => assert!(
            run.stderr.contains("truncated.pdf: corrupt PDF"),
            "{}",
            run.stderr
        ),
        code => panic!("exit {code}: {}", run.stderr),
    }
}

#[test]
fn corrupt_xref_is_rebuilt_or_reported() {
    let run = planparse(&[
        "convert",
        fixture("bad", "corrupt_xref.pdf").to_str().unwrap(),
    ]);
    match run.code {
        0 => assert!(
            extract_text(&fixture("bad", "corrupt_xref.pdf"))
                .stdout
                .contains("Hello world"),
            "xref rebuilt, text kept"
        ),
        1 => assert!(
            run.stderr.contains("corrupt_xref.pdf: corrupt PDF"),
            "{}",
            run.stderr
        ),
        code => panic!("exit {code}: {}", run.stderr),
    }
}

#[test]
fn garbage_after_header_fails_or_warns() {
    let run = planparse(&[
        "convert",
        fixture("bad", "garbage_after_header.pdf").to_str().unwrap(),
    ]);
    assert!(
        run.code == 0 || run.stderr.contains("garbage_after_header.pdf: "),
        "exit {}: {}",
        run.code,
        run.stderr
    );
    assert!(run.code <= 1);
}

#[test]
fn encrypted_with_user_password_fails() {
    assert_fails(
        &fixture("bad", "encrypted_user_password.pdf"),
        &[],
        "encrypted, password required",
    );
}

#[test]
fn encrypted_with_empty_password_opens() {
    let path = fixture("bad", "encrypted_empty_password.pdf");
    convert_ok(&path, &[]);
    assert!(extract_text(&path).stdout.contains("Hello world"));
}

#[test]
fn image_only_page_warns_no_text_layer() {
    assert_warns(&fixture("bad", "image_only.pdf"), &[], "no_text_layer");
    assert_warns(&fixture("bad", "no_text.pdf"), &[], "no_text_layer");
}

#[test]
fn broken_flate_stream_is_skipped_with_a_warning() {
    let path = fixture("bad", "broken_flate.pdf");
    assert_warns(&path, &[], "bad_stream");
    let run = extract_text(&path);
    assert!(
        run.stdout.contains("Hello world"),
        "the good stream is still read"
    );
    assert!(
        run.stderr
            .contains("broken_flate.pdf: warning: a content stream on page 1 cannot be decoded"),
        "{}",
        run.stderr
    );
}

#[test]
fn decompression_bomb_is_stopped_by_the_stream_limit() {
    let bomb = fixture("bad", "bomb.pdf");
    // Under the default limits the 1 MiB bomb is just a big stream.
    convert_ok(&bomb, &[]);
    assert_warns(&bomb, &["--max-stream-bytes", "64k"], "stream_too_large");
    assert_fails(
        &bomb,
        &["--max-document-bytes", "1k"],
        "--max-document-bytes",
    );
}

#[test]
fn form_bomb_is_bounded() {
    convert_ok(&fixture("bad", "form_bomb.pdf"), &[]);
}

#[test]
fn deep_xobject_recursion_warns() {
    assert_warns(&fixture("bad", "deep_xobject.pdf"), &[], "xobject_depth");
    assert_warns(&fixture("bad", "xobject_cycle.pdf"), &[], "xobject_cycle");
}

#[test]
fn xobject_depth_flag_is_applied() {
    let deep = fixture("bad", "deep_xobject.pdf");
    let doc = convert_ok(&deep, &["--max-xobject-depth", "64"]);
    assert!(
        !warning_codes(&doc).iter().any(|c| c == "xobject_depth"),
        "depth 40 is under 64"
    );
}

#[test]
fn cyclic_page_tree_warns() {
    assert_warns(
        &fixture("bad", "page_tree_cycle.pdf"),
        &[],
        "page_tree_cycle",
    );
}

#[test]
fn op_and_page_and_object_limits_apply() {
    assert_warns(
        &fixture("bad", "many_ops.pdf"),
        &["--max-ops-per-page", "100"],
        "op_limit",
    );
    assert_fails(
        &fixture("bad", "hello.pdf"),
        &["--max-objects", "2"],
        "--max-objects",
    );
    let run = planparse(&[
        "extract",
        fixture("bad", "hello.pdf").to_str().unwrap(),
        "--max-objects",
        "2",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("hello.pdf: limit exceeded") && run.stderr.contains("--max-objects"),
        "{}",
        run.stderr
    );
}

#[test]
fn page_limit_flag_is_applied() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/hlk-2021-2025.pdf");
    assert_warns(&path, &["--max-pages", "1"], "page_limit");
}

#[test]
fn limit_flags_reject_nonsense() {
    for flag in [
        "--max-stream-bytes",
        "--max-document-bytes",
        "--max-objects",
        "--max-ops-per-page",
        "--max-xobject-depth",
        "--max-pages",
    ] {
        let run = planparse(&["convert", "x.pdf", flag, "0"]);
        assert_eq!(run.code, 2, "{flag} 0: {}", run.stderr);
        assert!(run.stderr.contains(flag), "{flag}: {}", run.stderr);
    }
    let help = planparse(&["convert", "--help"]).stdout;
    let extract_help = planparse(&["extract", "--help"]).stdout;
    for flag in [
        "--max-stream-bytes",
        "--max-document-bytes",
        "--max-objects",
        "--max-ops-per-page",
        "--max-xobject-depth",
        "--max-pages",
        "--timeout",
    ] {
        assert!(help.contains(flag), "convert --help lacks {flag}");
        if flag != "--timeout" {
            assert!(extract_help.contains(flag), "extract --help lacks {flag}");
        }
    }
}

#[test]
fn windows_1252_text_is_decoded_with_a_warning() {
    let doc = assert_warns(&fixture("bad", "windows1252.txt"), &[], "not_utf8");
    let json = doc.to_string();
    assert!(
        json.contains("Økt samarbeid") && json.contains("støtte"),
        "{json}"
    );
}

#[test]
fn bom_and_crlf_text_reads_like_plain_text() {
    let doc = convert_ok(&fixture("bad", "bom_crlf.txt"), &[]);
    let json = doc.to_string();
    assert!(json.contains("Økt samarbeid"), "{json}");
    assert!(
        !json.contains('\u{feff}') && !json.contains("\\r"),
        "BOM and CR are gone: {json}"
    );
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
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x != "md"))
        .collect();
    files.sort();
    for path in files {
        let run = planparse(&["convert", path.to_str().unwrap()]);
        assert!(
            run.code == 0 || run.code == 1,
            "{}: exit {}: {}",
            path.display(),
            run.code,
            run.stderr
        );
        assert!(
            !run.stderr.contains("internal error"),
            "{}: {}",
            path.display(),
            run.stderr
        );
    }
}
