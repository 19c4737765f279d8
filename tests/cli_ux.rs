//! What a user of the command line meets beyond the JSON (issue 19): a
//! closed pipe ends a command quietly, every warning of a batch can be listed,
//! `extract --json` has one shape for every format, `diff` says when two
//! documents are not versions of one plan, help screens are in English, and
//! tests that lack a tool skip visibly (or fail when tools are required).

mod common;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_planparse"))
}

fn corpus(name: &str) -> String {
    common::corpus().join(name).display().to_string()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs planparse with stdout on a pipe whose reading end is closed before
/// the command writes anything, as `planparse … | head -c 0` would: every
/// write to stdout fails with a broken pipe.
fn run_into_closed_pipe(args: &[&str]) -> Output {
    let mut child = bin().args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("planparse runs");
    drop(child.stdout.take());
    child.wait_with_output().expect("planparse ends")
}

#[test]
fn a_closed_pipe_ends_every_command_quietly_with_exit_0() {
    let pdfs: Vec<String> = common::corpus_files(".pdf").iter().map(|n| corpus(n)).collect();
    let pdf_args: Vec<&str> = pdfs.iter().map(String::as_str).collect();
    let (old, new) = (corpus("hmn-2023-2026.pdf"), root().join("tests/fixtures/diff/hmn-2027-2030/new.pdf").display().to_string());
    let mut commands: Vec<Vec<&str>> = vec![
        [&["convert"][..], &pdf_args].concat(),
        [&["convert", "--jsonl", "-"][..], &pdf_args].concat(),
        [&["extract"][..], &pdf_args].concat(),
        [&["extract", "--json"][..], &pdf_args].concat(),
        vec!["diff", &old, &new],
        vec!["diff", &old, &new, "--format", "json"],
        vec!["schema"],
    ];
    commands.push([&["export", "--format", "csv"][..], &pdf_args].concat());
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plans.sqlite").display().to_string();
    let index = bin().args([&["index", "--quiet", &db][..], &pdf_args].concat()).output().expect("index runs");
    assert_eq!(index.status.code(), Some(0), "{}", stderr(&index));
    commands.push(vec!["search", &db, "forskning", "--limit", "100"]);
    commands.push(vec!["search", &db, "forskning", "--json"]);
    for args in &commands {
        let out = run_into_closed_pipe(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "planparse {args:?} into a closed pipe: {err}");
        for noise in ["Broken pipe", "cannot write", "interrupted", "panicked"] {
            assert!(!err.contains(noise), "planparse {args:?} printed {noise:?}: {err}");
        }
    }
}

#[test]
fn head_closing_the_pipe_leaves_no_message() {
    // The shell pipeline a user types; `head` exits after one line.
    let script =
        format!("'{}' extract {} {} | head -n 1 >/dev/null", env!("CARGO_BIN_EXE_planparse"), corpus("hmn-2023-2026.pdf"), corpus("hlk-2021-2025.pdf"));
    let out = Command::new("sh").args(["-c", &script]).output().expect("sh runs");
    assert!(out.status.success());
    assert_eq!(stderr(&out), "", "nothing on stderr");
}

fn read_lines(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect()
}

#[test]
fn a_batch_lists_every_warning_in_warnings_jsonl_and_the_summary_says_where() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    for name in ["krn-2020-2022.pdf", "hmn-2023-2026.docx", "nsg-referat-2025-11-27.txt", "hlk-2021-2025.pdf"] {
        std::fs::copy(common::corpus().join(name), input.join(name)).expect("copy");
    }
    let out_dir = dir.path().join("out");
    let out = bin().arg("convert").arg(&input).arg("-o").arg(&out_dir).output().expect("runs");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");

    // What the documents hold, file by file.
    let mut expected: Vec<(String, String, Option<u64>, String)> = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(&input).expect("in").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    for name in &names {
        let doc: Value = serde_json::from_slice(&std::fs::read(out_dir.join(format!("{name}.json"))).expect("output")).expect("JSON");
        for w in doc["warnings"].as_array().expect("warnings") {
            let file = input.join(name).display().to_string();
            expected.push((file, w["code"].as_str().expect("code").into(), w["page"].as_u64(), w["message"].as_str().expect("message").into()));
        }
    }
    assert!(expected.len() >= 3, "the corpus files carry warnings: {expected:?}");
    let listed: Vec<(String, String, Option<u64>, String)> = read_lines(&out_dir.join("warnings.jsonl"))
        .iter()
        .map(|l| {
            (
                l["file"].as_str().expect("file").into(),
                l["code"].as_str().expect("code").into(),
                l["page"].as_u64(),
                l["message"].as_str().expect("message").into(),
            )
        })
        .collect();
    assert_eq!(listed, expected, "every warning, with its file and page, in input order");
    assert!(listed.iter().any(|l| l.2.is_some()), "page numbers are kept");

    let summary = err.lines().find(|l| l.contains(" converted, ")).unwrap_or_else(|| panic!("summary: {err}"));
    let where_ = format!("{} warnings (listed in {})", expected.len(), out_dir.join("warnings.jsonl").display());
    assert!(summary.contains(&where_), "{summary}");

    // `--warnings` prints the same list on stderr, in input order whatever --jobs is.
    let printed = bin().arg("convert").arg(&input).arg("-o").arg(&out_dir).args(["--force", "--warnings", "--jobs", "2"]).output().expect("runs");
    let lines: Vec<String> = stderr(&printed).lines().filter(|l| l.contains(": warning: ")).map(str::to_string).collect();
    let expected_lines: Vec<String> = expected
        .iter()
        .map(|(file, code, page, message)| format!("planparse: {file}: warning: {code}{}: {message}", page.map(|p| format!(" (page {p})")).unwrap_or_default()))
        .collect();
    assert_eq!(lines, expected_lines);

    // A re-run skips the unchanged files and still lists their warnings.
    let again = bin().arg("convert").arg(&input).arg("-o").arg(&out_dir).output().expect("runs");
    assert!(stderr(&again).contains("4 skipped (unchanged)"), "{}", stderr(&again));
    assert_eq!(read_lines(&out_dir.join("warnings.jsonl")).len(), expected.len());
}

#[test]
fn convert_warnings_prints_every_warning_with_file_code_and_page() {
    let file = corpus("krn-2020-2022.pdf");
    let out = bin().args(["convert", "--warnings", &file]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let warnings = doc["warnings"].as_array().expect("warnings");
    assert!(!warnings.is_empty());
    let err = stderr(&out);
    let printed: Vec<&str> = err.lines().filter(|l| l.contains(": warning: ")).collect();
    assert_eq!(printed.len(), warnings.len(), "{err}");
    for (line, w) in printed.iter().zip(warnings) {
        assert!(line.starts_with(&format!("planparse: {file}: warning: {}", w["code"].as_str().expect("code"))), "{line}");
        if let Some(page) = w["page"].as_u64() {
            assert!(line.contains(&format!("(page {page})")), "{line}");
        }
        assert!(line.ends_with(w["message"].as_str().expect("message")), "{line}");
    }
    // Without the flag a batch tells how to list them.
    let dir = tempfile::tempdir().expect("tempdir");
    let jsonl = dir.path().join("m.jsonl");
    let batch = bin().args(["convert", &file, "--jsonl"]).arg(&jsonl).output().expect("runs");
    assert!(stderr(&batch).contains(&format!("{} warnings (list them with --warnings)", warnings.len())), "{}", stderr(&batch));
}

/// The keys of an object, sorted.
fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

#[test]
fn extract_json_has_one_shape_for_every_format_and_one_object_per_file() {
    let files = ["krn-2020-2022.pdf", "krn-2020-2022.docx", "krn-2020-2022.txt", "krn-2020-2022.html"].map(corpus);
    let out = bin().arg("extract").arg("--json").args(&files).arg("/nonexistent/plan.pdf").output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "the missing file fails the run");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let objects: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("one JSON object a line")).collect();
    assert_eq!(objects.len(), 5, "one object per file");
    let shape = keys(&objects[0]);
    for (k, o) in objects.iter().enumerate() {
        assert_eq!(keys(o), shape, "same keys for every file: {}", o["file"]);
        let expected = files.get(k).cloned().unwrap_or_else(|| "/nonexistent/plan.pdf".into());
        assert_eq!(o["file"], expected.as_str());
    }
    assert_eq!(objects.iter().map(|o| o["format"].as_str().unwrap_or("-")).collect::<Vec<_>>(), ["pdf", "docx", "text", "html", "-"]);
    for o in &objects[..4] {
        assert!(o["error"].is_null(), "{}", o["error"]);
        let blocks = o["blocks"].as_array().expect("blocks");
        assert!(blocks.iter().all(|b| b["type"] == "line" || b["type"] == "table"), "{}: blocks are tagged with type", o["file"]);
        let lines: Vec<&Value> = blocks.iter().filter(|b| b["type"] == "line").collect();
        assert!(!lines.is_empty());
        let line_keys = keys(lines[0]);
        assert!(lines.iter().all(|l| keys(l) == line_keys), "one line shape");
        // The same plan's measure table is found in every format.
        let table_text: String = blocks
            .iter()
            .filter(|b| b["type"] == "table")
            .flat_map(|t| t["rows"].as_array().into_iter().flatten())
            .flat_map(|r| r["cells"].as_array().into_iter().flatten())
            .map(|c| c["text"].as_str().unwrap_or("").to_string() + " ")
            .collect();
        assert!(table_text.contains("Klinikk/Avdeling") || o["format"] == "text", "{}: {table_text:.200}", o["file"]);
    }
    let pdf_pages = objects[0]["pages"].as_array().expect("pages");
    assert_eq!(pdf_pages.len(), 7);
    let span = &pdf_pages[0]["spans"][0];
    assert!(span["text"].is_string() && span["x0"].is_number() && span["font"].is_string(), "{span}");
    assert_eq!(objects[1]["pages"].as_array().map(Vec::len), Some(0), "a DOCX has no pages");
    assert!(objects[4]["error"].as_str().is_some_and(|e| e.contains("cannot read")), "{}", objects[4]["error"]);
}

#[test]
fn extract_text_of_several_files_names_each_file() {
    let (a, b) = (corpus("krn-2020-2022.txt"), corpus("hlk-2021-2025.txt"));
    let out = bin().args(["extract", &a, &b]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let (pa, pb) = (text.find(&format!("==> {a} <==")).expect("first header"), text.find(&format!("==> {b} <==")).expect("second header"));
    assert!(pa == 0 && pb > pa);
}

fn diff_json(old: &str, new: &str) -> (Value, String) {
    let out = bin().args(["diff", old, new, "--format", "json"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (serde_json::from_slice(&out.stdout).expect("JSON"), stderr(&out))
}

#[test]
fn diff_warns_when_two_documents_are_not_versions_of_one_plan() {
    let (unrelated, err) = diff_json(&corpus("krn-2020-2022.pdf"), &corpus("hlk-2021-2025.pdf"));
    let share = unrelated["relation"]["aligned_share"].as_f64().expect("share");
    assert!(share < 0.4, "{share}");
    assert_eq!(unrelated["relation"]["same_title"], false);
    let warnings = unrelated["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].as_str().is_some_and(|w| w.contains("may not be versions of one plan")));
    assert!(err.contains("warning: the two documents share little"), "{err}");
    let text = bin().args(["diff", &corpus("krn-2020-2022.pdf"), &corpus("hlk-2021-2025.pdf")]).output().expect("runs");
    assert!(String::from_utf8_lossy(&text.stdout).lines().any(|l| l.starts_with("warning: the two documents share little")));

    // Versions of one plan: most items align, titles agree, no warning.
    let new = root().join("tests/fixtures/diff/krn-2023-2025/new.pdf").display().to_string();
    let (versions, err) = diff_json(&corpus("krn-2020-2022.pdf"), &new);
    assert!(versions["relation"]["aligned_share"].as_f64().is_some_and(|s| s > 0.8), "{}", versions["relation"]);
    assert_eq!(versions["relation"]["same_title"], true);
    assert_eq!(versions["warnings"].as_array().map(Vec::len), Some(0));
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn diff_section_counts_show_the_responsible_and_indicator_changes_under_them() {
    for folder in ["krn-2023-2025", "hmn-2027-2030", "hlk-2026-2029"] {
        let base = folder.split('-').next().expect("plan");
        let old = common::corpus_files(".pdf").into_iter().find(|n| n.starts_with(base) && !n.contains("chromium")).expect("old version");
        let new = root().join("tests/fixtures/diff").join(folder).join("new.pdf").display().to_string();
        let (diff, _) = diff_json(&corpus(&old), &new);
        let changes = diff["changes"].as_array().expect("changes");
        let added_sections: HashSet<&str> =
            changes.iter().filter(|c| c["level"] == "section" && c["type"] == "added").filter_map(|c| c["new_id"].as_str()).collect();
        for kind in ["responsible_changed", "indicators_changed"] {
            // Matched sections (not added) holding a measure with this change.
            let holding: HashSet<&str> = changes
                .iter()
                .filter(|c| c["level"] == "measure" && c["type"] == kind)
                .filter_map(|c| c["new_section"].as_str())
                .filter(|s| !added_sections.contains(s))
                .collect();
            assert!(!holding.is_empty(), "{folder}: the fixture edits {kind}");
            assert_eq!(diff["summary"]["sections"][kind].as_u64(), Some(holding.len() as u64), "{folder}: {kind}");
        }
        // The rows add up: each matched section is unchanged or counted under a change.
        let sections = &diff["summary"]["sections"];
        let matched = diff["old"]["sections"].as_u64().expect("n") - sections["removed"].as_u64().expect("n");
        assert!(sections["unchanged"].as_u64().expect("n") <= matched);
    }
}

/// Every help screen of the command line.
fn help_screens() -> Vec<(String, String)> {
    ["", "convert", "extract", "export", "index", "search", "diff", "serve", "schema"]
        .iter()
        .map(|cmd| {
            let mut c = bin();
            if !cmd.is_empty() {
                c.arg(cmd);
            }
            let out = c.arg("--help").output().expect("runs");
            assert_eq!(out.status.code(), Some(0));
            (cmd.to_string(), String::from_utf8_lossy(&out.stdout).into_owned())
        })
        .collect()
}

#[test]
fn help_is_in_english_and_points_only_to_files_in_the_repository() {
    // Norwegian labels a help screen might use instead of English words; a
    // document's own words are quoted in backticks and may stay.
    const NORWEGIAN: [&str; 11] = ["tiltak", "ansvar", "sak", "møte", "referat", "handlingsplan", "frist", "vedtak", "og", "eller", "for å"];
    for (cmd, help) in help_screens() {
        let unquoted: String = help.split('`').step_by(2).collect::<Vec<_>>().join(" ").to_lowercase();
        let words: Vec<&str> = unquoted.split(|c: char| !c.is_alphanumeric() && c != 'å' && c != 'ø' && c != 'æ').filter(|w| !w.is_empty()).collect();
        for label in NORWEGIAN {
            let hit = if label.contains(' ') { unquoted.contains(label) } else { words.contains(&label) };
            assert!(!hit, "`planparse {cmd} --help` uses the Norwegian {label:?}:\n{help}");
        }
        assert!(!help.contains("s. 1"), "`planparse {cmd} --help` abbreviates pages the Norwegian way");
        for file in help.split(|c: char| c.is_whitespace() || "()`,;:\"'".contains(c)).filter(|w| w.ends_with(".md") && !w.starts_with('.') && !w.contains('*'))
        {
            assert!(root().join(file).is_file(), "`planparse {cmd} --help` points to {file}, which is not in the repository");
        }
        assert!(!help.contains("SPEC.md"), "`planparse {cmd} --help` points to SPEC.md");
    }
}

#[test]
fn a_skip_is_recorded_for_the_summary_and_fails_when_tools_are_required() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("tmp/skipped-tests.txt");
    common::skip_to(&log, false, "some_test", "chromium not found");
    common::skip_to(&log, false, "other_test", "tesseract not found");
    assert_eq!(std::fs::read_to_string(&log).expect("log"), "some_test: chromium not found\nother_test: tesseract not found\n");
    let required = std::panic::catch_unwind(|| common::skip_to(&log, true, "some_test", "chromium not found"));
    let message = required.expect_err("a required tool fails the test");
    let message = message.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("chromium not found") && message.contains(common::REQUIRE_TOOLS_VAR), "{message}");
}

#[test]
fn the_test_script_prints_the_skipped_tests_after_the_run_and_keeps_cargos_status() {
    // A stand-in for cargo that records one skip, as a test would, and fails
    // with status 3; a stale line of an earlier run must not show.
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("target");
    std::fs::create_dir_all(target.join("tmp")).expect("mkdir");
    std::fs::write(target.join("tmp/skipped-tests.txt"), "stale_test: from an earlier run\n").expect("write");
    let fake_bin = dir.path().join("bin");
    std::fs::create_dir_all(&fake_bin).expect("mkdir");
    let cargo = fake_bin.join("cargo");
    std::fs::write(&cargo, "#!/bin/sh\necho \"cargo $*\"\necho 'ocr_test: tesseract not found (apt-get install tesseract-ocr)' >> \"$CARGO_TARGET_DIR/tmp/skipped-tests.txt\"\nexit 3\n")
        .expect("write");
    std::fs::set_permissions(&cargo, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    let path = format!("{}:{}", fake_bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("bash")
        .arg(root().join("tests/run.sh"))
        .arg("--test")
        .arg("ocr")
        .env("PATH", path)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "cargo's status: {stdout}");
    assert!(stdout.contains("cargo test --release --test ocr"), "{stdout}");
    assert!(stdout.contains("SKIPPED: 1 test(s)"), "{stdout}");
    assert!(stdout.contains("  ocr_test: tesseract not found"), "{stdout}");
    assert!(!stdout.contains("stale_test"), "{stdout}");
}

#[test]
fn every_pair_of_different_plans_gets_the_warning_and_no_plan_against_its_other_forms() {
    let mut plans: Vec<String> = common::corpus_files(".txt").into_iter().filter(|n| !n.contains("referat")).collect();
    let zoo: Vec<String> = std::fs::read_dir(common::corpus().join("zoo"))
        .expect("corpus/zoo")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .map(|n| format!("zoo/{n}"))
        .collect();
    plans.extend(zoo);
    plans.sort();
    assert!(plans.len() >= 10, "{plans:?}");
    let docs: Vec<planparse::model::Document> = plans.iter().map(|n| common::convert(n)).collect();
    for (i, a) in docs.iter().enumerate() {
        for (j, b) in docs.iter().enumerate().skip(i + 1) {
            let d = planparse::diff::diff(a, b);
            assert_eq!(d.warnings.len(), 1, "{} and {} are different plans: {:?}", plans[i], plans[j], d.relation);
        }
    }
    // The same plan in its other forms aligns in full.
    for name in &plans {
        let stem = name.trim_end_matches(".txt");
        let txt = &docs[plans.iter().position(|n| n == name).expect("listed")];
        for ext in [".pdf", ".docx"] {
            if !common::corpus().join(format!("{stem}{ext}")).is_file() {
                continue;
            }
            let other = common::convert(&format!("{stem}{ext}"));
            let d = planparse::diff::diff(&other, txt);
            assert!(d.warnings.is_empty(), "{stem}{ext} and {name}: {:?}", d.warnings);
        }
    }
}
