//! The per-document budget (issue 18): each document is converted in a worker
//! process under `--max-memory` and `--timeout`; a document that breaches
//! either (the worker aborts on a failed allocation, or is killed) fails
//! alone, named with its cause, in `convert`, `index`, `diff`, `export` and
//! `extract`, and the run goes on with a fresh worker.
//!
//! The breaching file is real, not injected: a long text plan (about 8 MB,
//! under `--max-text-bytes`) whose layout needs well over 64 MiB, run with
//! `--max-memory 64M`, under which a corpus plan converts.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{run_bounded, BoundedRun};

const HANG_BOUND: Duration = Duration::from_secs(60);
const BUDGET: &str = "64M";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> BoundedRun {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planparse"));
    cmd.args(args);
    let run = run_bounded(&mut cmd, HANG_BOUND);
    assert!(run.code.is_some(), "planparse {args:?} died by a signal: {}", run.stderr);
    run
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// A text plan of `lines` measure lines with tab-separated columns.
fn long_plan(path: &Path, lines: usize) {
    let mut text = String::from("Handlingsplan for forskning\n\n1 Innsatsområde\n\n");
    for i in 0..lines {
        text.push_str(&format!("Tiltak {i}: Styrke forskning på helse og omsorg i kommunene, tiltak nummer {i}\tAnsvar: HOD\t2024\n"));
    }
    std::fs::write(path, text).expect("write the long plan");
}

/// A folder with a corpus plan and a plan over the memory budget.
fn folder() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).expect("mkdir");
    let good = inputs.join("hlk-2021-2025.txt");
    std::fs::copy(root().join("corpus/hlk-2021-2025.txt"), &good).expect("copy");
    let bad = inputs.join("huge-plan.txt");
    long_plan(&bad, 75_000);
    (dir, inputs, good, bad)
}

fn assert_memory_cause(text: &str, file: &str) {
    let line = text.lines().find(|l| l.contains(file)).unwrap_or_else(|| panic!("{file} is not named: {text}"));
    assert!(line.contains("memory limit exceeded (64 MiB; raise it with --max-memory)"), "{line}");
}

#[test]
fn the_long_plan_breaches_the_budget_but_converts_without_it() {
    let (_dir, _inputs, _good, bad) = folder();
    let out = run(&["convert", s(&bad), "--max-memory", BUDGET]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_memory_cause(&out.stderr, "huge-plan.txt");
    assert!(out.stdout.is_empty(), "no partial document: {}", &out.stdout[..out.stdout.len().min(200)]);
    // With the default budget (1 GiB) the same file converts: the breach is the budget's doing.
    let out = run(&["convert", s(&bad)]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("\"measures\""));
}

#[test]
fn a_batch_lists_the_breach_in_errors_jsonl_and_converts_the_rest() {
    let (dir, inputs, _good, _bad) = folder();
    let out_dir = dir.path().join("out");
    for jobs in ["1", "2"] {
        let out = run(&["convert", s(&inputs), "-o", s(&out_dir), "--max-memory", BUDGET, "--jobs", jobs, "--force"]);
        assert_eq!(out.code, Some(1), "{}", out.stderr);
        let good: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out_dir.join("hlk-2021-2025.txt.json")).expect("the good plan is converted")).expect("JSON");
        assert!(good["measures"].as_array().is_some_and(|m| m.len() > 5), "{good}");
        let errors = std::fs::read_to_string(out_dir.join("errors.jsonl")).expect("errors.jsonl");
        assert_eq!(errors.lines().count(), 1, "{errors}");
        let line: serde_json::Value = serde_json::from_str(errors.trim()).expect("a JSON line");
        assert!(line["file"].as_str().is_some_and(|f| f.ends_with("huge-plan.txt")), "{line}");
        assert_memory_cause(&errors, "huge-plan.txt");
        assert!(!out_dir.join("huge-plan.txt.json").exists());
        assert!(out.stderr.contains("1 converted, 1 failed"), "{}", out.stderr);
    }
}

#[test]
fn index_and_search_keep_the_good_plan() {
    let (dir, inputs, _good, _bad) = folder();
    let db = dir.path().join("plans.sqlite");
    let index = run(&["index", s(&db), s(&inputs), "--max-memory", BUDGET]);
    assert_eq!(index.code, Some(1), "{}", index.stderr);
    assert_memory_cause(&index.stderr, "huge-plan.txt");
    assert!(index.stderr.contains("1 added") && index.stderr.contains("1 failed"), "{}", index.stderr);
    let search = run(&["search", s(&db), "forskning", "--json"]);
    assert_eq!(search.code, Some(0), "the good plan is searchable: {}", search.stderr);
    assert!(search.stdout.contains("hlk-2021-2025.txt"), "{}", search.stdout);
    assert!(!search.stdout.contains("huge-plan.txt"), "{}", search.stdout);
}

#[test]
fn diff_export_and_extract_name_the_breach() {
    let (dir, inputs, good, bad) = folder();
    let diff = run(&["diff", s(&good), s(&bad), "--max-memory", BUDGET]);
    assert_eq!(diff.code, Some(1), "{}", diff.stderr);
    assert_memory_cause(&diff.stderr, "huge-plan.txt");
    let same = run(&["diff", s(&good), s(&good), "--max-memory", BUDGET, "--format", "json"]);
    assert_eq!(same.code, Some(0), "{}", same.stderr);

    let csv = dir.path().join("measures.csv");
    let export = run(&["export", s(&inputs), "-o", s(&csv), "--max-memory", BUDGET]);
    assert_eq!(export.code, Some(1), "{}", export.stderr);
    assert_memory_cause(&export.stderr, "huge-plan.txt");
    let rows = std::fs::read_to_string(&csv).expect("the CSV is written");
    assert!(rows.contains("hlk-2021-2025.txt"), "{rows}");

    let extract = run(&["extract", "--layout", s(&bad), s(&good), "--max-memory", BUDGET]);
    assert_eq!(extract.code, Some(1), "{}", extract.stderr);
    assert_memory_cause(&extract.stderr, "huge-plan.txt");
    assert!(extract.stdout.contains("Handlingsplan forskning HLK"), "the good file is still printed");
}

/// A worker over the time limit is killed (not left running detached), and
/// the next file gets a fresh one.
#[test]
fn a_worker_over_the_time_limit_is_killed_and_replaced() {
    let (dir, inputs, _good, _bad) = folder();
    let out_dir = dir.path().join("out");
    let started = Instant::now();
    let out = run(&["convert", s(&inputs), "-o", s(&out_dir), "--timeout", "0.3", "--jobs", "1"]);
    let took = started.elapsed();
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let errors = std::fs::read_to_string(out_dir.join("errors.jsonl")).expect("errors.jsonl");
    assert!(errors.contains("huge-plan.txt") && errors.contains("time limit exceeded (0.3 s"), "{errors}");
    assert!(out_dir.join("hlk-2021-2025.txt.json").exists(), "the good plan is converted");
    // The killed worker does not hold the run until it would have finished.
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

/// Temporary files of a killed batch (`.<name>.<pid>.tmp`, the pid gone) are
/// removed by the next batch into the same folder; one of a process that
/// still runs is another batch's, and stays.
#[test]
fn leftover_temporaries_of_a_killed_batch_are_removed() {
    let (dir, inputs, _good, bad) = folder();
    std::fs::remove_file(bad).expect("rm");
    let out_dir = dir.path().join("out");
    std::fs::create_dir_all(out_dir.join("sub")).expect("mkdir");
    // Above any pid_max (2^22): no such process.
    let dead = [out_dir.join(".hlk-2021-2025.txt.json.2000000000.tmp"), out_dir.join("sub/.x.pdf.json.2000000001.tmp")];
    let live = out_dir.join(format!(".other.txt.json.{}.tmp", std::process::id()));
    let unrelated = out_dir.join("notes.tmp");
    for path in dead.iter().chain([&live, &unrelated]) {
        std::fs::write(path, "{\"half\":").expect("write");
    }
    let out = run(&["convert", s(&inputs), "-o", s(&out_dir)]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for path in &dead {
        assert!(!path.exists(), "{} is left", path.display());
    }
    assert!(live.exists(), "a running process's temporary file is kept");
    assert!(unrelated.exists(), "a file not named as planparse's temporaries is kept");
    assert!(out_dir.join("hlk-2021-2025.txt.json").exists());
}

/// Issue 18's `text-500k-sak.txt` (500,000 agenda items, 14 MB, under the
/// text limit) against real minutes: it ran the machine out of memory (24 GB)
/// in the differ; now it finishes in bounded time and memory.
#[test]
fn diff_of_500000_agenda_items_against_minutes_is_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("text-500k-sak.txt");
    let text: String = (0..500_000).map(|i| format!("Sak {}/25 Tittel\nVedtak: ok\n", i % 1000)).collect();
    std::fs::write(&big, text).expect("write");
    let minutes = root().join("corpus/nsg-referat-2025-11-27.txt");
    let out = run(&["diff", s(&big), s(&minutes), "--format", "json"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.max_rss_kib < 1024 * 1024, "peaked at {} KiB", out.max_rss_kib);
    let diff: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert!(diff["old"]["sections"].as_u64() >= Some(1000), "{}", diff["old"]);
}

/// `diff`'s comparison runs in a worker under the same budget: 20,000 agenda
/// items convert within 64 MiB, but comparing them with themselves takes
/// more, which fails the comparison with its cause instead of the machine.
#[test]
fn the_comparison_of_diff_is_under_the_budget_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let agenda = dir.path().join("agenda.txt");
    let text: String = (0..20_000).map(|i| format!("Sak {}/{} Tittel {i} om sak nummer {}\nVedtak: ok\n", i % 1000 + 1, 25 + i / 1000, i * 7)).collect();
    std::fs::write(&agenda, text).expect("write");
    let convert = run(&["convert", s(&agenda), "--max-memory", BUDGET]);
    assert_eq!(convert.code, Some(0), "converts within the budget: {}", convert.stderr);
    let diff = run(&["diff", s(&agenda), s(&agenda), "--max-memory", BUDGET, "--format", "json"]);
    assert_eq!(diff.code, Some(1), "{}", diff.stderr);
    assert!(diff.stderr.contains("cannot compare: memory limit exceeded (64 MiB; raise it with --max-memory)"), "{}", diff.stderr);
    let diff = run(&["diff", s(&agenda), s(&agenda), "--format", "json"]);
    assert_eq!(diff.code, Some(0), "with the default budget: {}", diff.stderr);
}
