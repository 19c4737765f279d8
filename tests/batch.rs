//! `planparse convert DIR -o OUTDIR` as a batch: failure isolation, resuming,
//! determinism across `--jobs`, atomic outputs under kill and Ctrl-C, and the
//! JSONL dataset.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_planparse"))
}

fn run(args: &[&Path]) -> Output {
    bin().args(args).output().expect("planparse runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn copy_corpus(name: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
    std::fs::copy(common::corpus().join(name), to).expect("copy corpus file");
}

/// Every file under `dir`, by path relative to it.
fn files_under(dir: &Path) -> BTreeMap<String, PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
                out.insert(rel, path);
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

fn read_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).expect("read output");
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: not complete JSON: {e}", path.display()))
}

fn error_lines(out_dir: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(out_dir.join("errors.jsonl")).expect("errors.jsonl is written");
    text.lines().map(|l| serde_json::from_str(l).expect("errors.jsonl line is JSON")).collect()
}

fn assert_no_temporary_files(dir: &Path) {
    let leftovers: Vec<String> = files_under(dir).into_keys().filter(|k| k.contains(".tmp")).collect();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
}

/// A folder of good corpus files in a tree, and bad files made here.
fn mixed_folder(root: &Path) -> (Vec<&'static str>, Vec<&'static str>) {
    copy_corpus("krn-2020-2022.pdf", &root.join("krn-2020-2022.pdf"));
    copy_corpus("nsg-referat-2025-11-27.pdf", &root.join("2025/NSG-REFERAT.PDF"));
    copy_corpus("hlk-2021-2025.txt", &root.join("2025/tekst/hlk-2021-2025.txt"));
    copy_corpus("hmn-2023-2026.docx", &root.join("hmn-2023-2026.docx"));
    std::fs::write(root.join("notes.csv"), "not a document type; never picked up\n").expect("write");
    std::fs::write(root.join("not-a-pdf.pdf"), "Dette er ikke en PDF, bare tekst.\n").expect("write");
    let krn = std::fs::read(common::corpus().join("krn-2020-2022.pdf")).expect("read");
    std::fs::write(root.join("2025/truncated.pdf"), &krn[..krn.len() / 3]).expect("write");
    std::fs::write(root.join("empty.pdf"), b"").expect("write");
    let good = vec!["2025/NSG-REFERAT.PDF", "2025/tekst/hlk-2021-2025.txt", "hmn-2023-2026.docx", "krn-2020-2022.pdf"];
    let bad = vec!["2025/truncated.pdf", "empty.pdf", "not-a-pdf.pdf"];
    (good, bad)
}

#[test]
fn a_batch_converts_the_good_files_and_lists_each_bad_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (input, out_dir) = (tmp.path().join("in"), tmp.path().join("out"));
    let (good, bad) = mixed_folder(&input);
    // Every bad-input fixture of the PDF layer too: each either converts or is listed.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let fixture_names: Vec<String> = files_under(&fixtures).into_keys().filter(|n| n.ends_with(".pdf")).collect();
    for name in &fixture_names {
        std::fs::create_dir_all(input.join("fixtures")).expect("mkdir");
        std::fs::copy(fixtures.join(name), input.join("fixtures").join(name)).expect("copy fixture");
    }

    let out = run(&[Path::new("convert"), &input, Path::new("-o"), &out_dir, Path::new("--jobs"), Path::new("2")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let outputs = files_under(&out_dir);
    for rel in &good {
        let path = outputs.get(&format!("{rel}.json")).unwrap_or_else(|| panic!("{rel} converted: {outputs:?}"));
        let doc = read_json(path);
        assert_eq!(doc["source"]["file"], *rel, "source.file is the path relative to the folder");
    }
    let errors = error_lines(&out_dir);
    let failed: Vec<String> = errors.iter().map(|e| e["file"].as_str().expect("file").to_string()).collect();
    for rel in &bad {
        let path = input.join(rel).display().to_string();
        assert!(failed.contains(&path), "{rel} is listed in errors.jsonl: {failed:?}");
        assert!(stderr(&out).contains(&format!("planparse: {path}: ")), "{rel} is reported on stderr");
        assert!(!outputs.contains_key(&format!("{rel}.json")));
    }
    assert!(errors.iter().all(|e| !e["error"].as_str().unwrap_or_default().is_empty()), "each failure has a cause");
    for name in &fixture_names {
        let rel = format!("fixtures/{name}");
        let converted = outputs.contains_key(&format!("{rel}.json"));
        let listed = failed.contains(&input.join(&rel).display().to_string());
        assert!(converted != listed, "{rel} is either converted or listed as failed, not both or neither");
    }
    assert!(!outputs.contains_key("notes.csv.json"), "only .pdf .docx .txt are picked up in folders");
    let mut sorted = failed.clone();
    sorted.sort();
    assert_eq!(failed, sorted, "errors.jsonl follows the input order");
    let converted = outputs.keys().filter(|k| k.ends_with(".json")).count();
    assert_eq!(converted + errors.len(), good.len() + bad.len() + fixture_names.len(), "every input is accounted for");
    let summary = stderr(&out);
    assert!(summary.contains(&format!("{converted} converted, {} failed", errors.len())), "{summary}");
    assert_no_temporary_files(&out_dir);
    assert_no_temporary_files(&input);
}

#[test]
fn a_folder_takes_documents_only_and_counts_each_skipped_file_with_its_reason() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (input, out_dir) = (tmp.path().join("in"), tmp.path().join("out"));
    copy_corpus("krn-2020-2022.pdf", &input.join("krn-2020-2022.pdf"));
    copy_corpus("hlk-2021-2025.pdf", &input.join("arkiv/hlk-2021-2025.pdf"));
    std::fs::write(input.join("README.md"), "# Planer\n\nHandlingsplaner for forskning, som PDF.\n").expect("write");
    std::fs::write(input.join("gammel plan.doc"), b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0word").expect("write");
    std::fs::write(input.join("arkiv/referat.DOC"), b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0word").expect("write");
    std::fs::write(input.join("notat.rtf"), "{\\rtf1\\ansi Notat}").expect("write");
    std::fs::write(input.join(".DS_Store"), b"\0\0\0\x01Bud1").expect("write");

    let out = run(&[Path::new("convert"), &input, Path::new("-o"), &out_dir]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let outputs = files_under(&out_dir);
    let converted: Vec<&String> = outputs.keys().filter(|k| k.ends_with(".json")).collect();
    assert_eq!(converted, ["arkiv/hlk-2021-2025.pdf.json", "krn-2020-2022.pdf.json"], "only the PDFs are converted");
    let summary = err.lines().find(|l| l.contains(" converted, ")).unwrap_or_else(|| panic!("a summary line: {err}"));
    assert!(summary.contains("2 files: 2 converted, 0 failed"), "{summary}");
    assert!(
        summary.ends_with("4 skipped: 2 .doc, 1 .rtf (unsupported: save as .docx or PDF), 1 .md (not taken by default: add --ext md)"),
        "the hidden file is passed over, every other one counted with its reason: {summary}"
    );

    // Asked for, the README is converted too.
    let with_md = run(&[Path::new("convert"), &input, Path::new("-o"), &out_dir, Path::new("--ext"), Path::new("md")]);
    assert_eq!(with_md.status.code(), Some(0), "{}", stderr(&with_md));
    assert!(out_dir.join("README.md.json").is_file(), "--ext md takes the README: {}", stderr(&with_md));
    assert!(stderr(&with_md).contains("3 skipped: 2 .doc, 1 .rtf (unsupported: save as .docx or PDF)"), "{}", stderr(&with_md));
}

#[test]
fn a_folder_without_documents_is_an_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (empty, readme_only, out_dir) = (tmp.path().join("tom"), tmp.path().join("readme"), tmp.path().join("out"));
    std::fs::create_dir_all(&empty).expect("mkdir");
    std::fs::create_dir_all(&readme_only).expect("mkdir");
    std::fs::write(readme_only.join("README.md"), "# Planer\n").expect("write");

    for (folder, with_output) in [(&empty, true), (&empty, false), (&readme_only, true)] {
        let mut args = vec![Path::new("convert"), folder.as_path()];
        if with_output {
            args.extend([Path::new("-o"), out_dir.as_path()]);
        }
        let out = run(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{}: {err}", folder.display());
        assert!(err.contains(&format!("{}: no documents (.pdf, .docx, .txt) in this folder", folder.display())), "{err}");
        assert!(out.stdout.is_empty(), "no JSON on stdout");
    }
    let readme = run(&[Path::new("convert"), &readme_only]);
    assert!(stderr(&readme).contains("1 skipped: 1 .md (not taken by default: add --ext md)"), "{}", stderr(&readme));

    // Beside a folder with documents, the empty one still fails the run, after the rest is converted.
    let plans = tmp.path().join("plans");
    copy_corpus("krn-2020-2022.txt", &plans.join("krn.txt"));
    let both = run(&[Path::new("convert"), &plans, &empty, Path::new("-o"), &out_dir]);
    assert_eq!(both.status.code(), Some(1), "{}", stderr(&both));
    assert!(out_dir.join("krn.txt.json").is_file());
    assert!(stderr(&both).contains("no documents"), "{}", stderr(&both));
}

#[test]
fn a_rerun_skips_unchanged_inputs_and_reconverts_a_changed_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (input, out_dir) = (tmp.path().join("in"), tmp.path().join("out"));
    copy_corpus("krn-2020-2022.pdf", &input.join("krn.pdf"));
    copy_corpus("nsg-referat-2025-11-27.txt", &input.join("a/nsg.txt"));
    copy_corpus("hlk-2021-2025.txt", &input.join("a/hlk.txt"));
    let convert = [Path::new("convert"), &input, Path::new("-o"), &out_dir];

    let first = run(&convert);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(stderr(&first).contains("3 converted, 0 failed, 0 skipped"), "{}", stderr(&first));
    let before: BTreeMap<String, Vec<u8>> = files_under(&out_dir).into_iter().map(|(k, p)| (k, std::fs::read(p).expect("read"))).collect();
    let krn_mtime = std::fs::metadata(out_dir.join("krn.pdf.json")).and_then(|m| m.modified()).expect("mtime");

    copy_corpus("hmn-2023-2026.txt", &input.join("a/hlk.txt"));
    let second = run(&convert);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(stderr(&second).contains("1 converted, 0 failed, 2 skipped (unchanged)"), "{}", stderr(&second));
    let changed = read_json(&out_dir.join("a/hlk.txt.json"));
    let hmn = std::fs::read(common::corpus().join("hmn-2023-2026.txt")).expect("read");
    assert_eq!(changed["source"]["sha256"], planparse::pipeline::sha256_hex(&hmn));
    assert_eq!(std::fs::read(out_dir.join("a/nsg.txt.json")).expect("read"), before["a/nsg.txt.json"]);
    let krn_mtime_after = std::fs::metadata(out_dir.join("krn.pdf.json")).and_then(|m| m.modified()).expect("mtime");
    assert_eq!(krn_mtime, krn_mtime_after, "an unchanged output is not rewritten");

    let forced = run(&[Path::new("convert"), &input, Path::new("-o"), &out_dir, Path::new("--force")]);
    assert!(stderr(&forced).contains("3 converted, 0 failed, 0 skipped"), "{}", stderr(&forced));
}

#[test]
fn outputs_and_jsonl_are_byte_identical_for_one_and_two_jobs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let corpus = common::corpus();
    let mut trees = Vec::new();
    for jobs in ["1", "2"] {
        let out_dir = tmp.path().join(format!("out{jobs}"));
        let jsonl = tmp.path().join(format!("measures{jobs}.jsonl"));
        let xlsx = tmp.path().join(format!("measures{jobs}.xlsx"));
        let out = run(&[
            Path::new("convert"),
            &corpus,
            Path::new("-o"),
            &out_dir,
            Path::new("--jobs"),
            Path::new(jobs),
            Path::new("--jsonl"),
            &jsonl,
            Path::new("--xlsx"),
            &xlsx,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let mut tree: BTreeMap<String, Vec<u8>> = files_under(&out_dir).into_iter().map(|(k, p)| (k, std::fs::read(p).expect("read"))).collect();
        tree.insert("<jsonl>".into(), std::fs::read(&jsonl).expect("jsonl written"));
        tree.insert("<xlsx>".into(), std::fs::read(&xlsx).expect("xlsx written"));
        trees.push(tree);
    }
    assert_eq!(trees[0].keys().collect::<Vec<_>>(), trees[1].keys().collect::<Vec<_>>());
    for (name, bytes) in &trees[0] {
        assert!(bytes == &trees[1][name], "{name} differs between --jobs 1 and --jobs 2");
    }
    assert!(trees[0].keys().filter(|k| k.ends_with(".json")).count() >= 19, "the whole corpus was converted");
}

#[test]
fn jsonl_has_a_line_per_measure_and_agenda_item_with_its_documents_fields() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let corpus = common::corpus();
    let out_dir = tmp.path().join("out");
    let jsonl = tmp.path().join("all.jsonl");
    let out = run(&[Path::new("convert"), &corpus, Path::new("-o"), &out_dir, Path::new("--jsonl"), &jsonl, Path::new("-q")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "--quiet prints nothing when all is well");
    let lines: Vec<Value> = std::fs::read_to_string(&jsonl).expect("read").lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();

    let mut expected = Vec::new();
    for (rel, path) in files_under(&out_dir).into_iter().filter(|(k, _)| k.ends_with(".json")) {
        let doc = read_json(&path);
        assert_eq!(format!("{}.json", doc["source"]["file"].as_str().expect("file")), rel);
        for m in doc["measures"].as_array().expect("measures") {
            expected.push((doc.clone(), "measure", m["id"].clone(), m["pages"].clone()));
        }
        for (n, item) in doc["meeting"]["items"].as_array().into_iter().flatten().enumerate() {
            // An item printed without a number is keyed by its place (`#N`).
            let id = match item["number"].as_str() {
                Some("") => Value::String(format!("#{}", n + 1)),
                _ => item["number"].clone(),
            };
            expected.push((doc.clone(), "agenda_item", id, item["pages"].clone()));
        }
    }
    assert_eq!(lines.len(), expected.len(), "one line per measure and agenda item");
    assert!(expected.iter().any(|e| e.1 == "agenda_item") && expected.iter().any(|e| e.1 == "measure"));
    for (line, (doc, kind, id, pages)) in lines.iter().zip(&expected) {
        assert_eq!(line["type"], *kind);
        assert_eq!(line["id"], *id);
        assert_eq!(line["pages"], *pages);
        assert_eq!(line["doc_id"], doc["source"]["sha256"]);
        assert_eq!(line["source_file"], doc["source"]["file"]);
        assert_eq!(line["doc_title"], doc["title"]);
        assert_eq!(line["organization"], doc["organization"]);
        assert_eq!(line["period"], doc["period"]);
        assert_eq!(line["doc_kind"], doc["kind"]);
    }
    let krn = lines.iter().find(|l| l["id"] == "2/2a" && l["source_file"] == "krn-2020-2022.pdf").expect("KRN 2a");
    assert_eq!(krn["section_id"], "2");
    assert!(krn["section_title"].as_str().is_some_and(|t| t.starts_with("Styrke den kliniske forskningen")));
}

#[test]
fn files_from_stdin_with_jsonl_to_stdout_works_as_a_pipe() {
    let corpus = common::corpus();
    let list = format!("{}\n{}\n", corpus.join("krn-2020-2022.txt").display(), corpus.join("nsg-referat-2025-11-27.txt").display());
    let mut child = bin()
        .args(["convert", "--files-from", "-", "--jsonl", "-", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(list.as_bytes()).expect("write list");
    }
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<Value> = String::from_utf8(out.stdout).expect("UTF-8").lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    let files: Vec<&str> = lines.iter().map(|l| l["source_file"].as_str().expect("source_file")).collect();
    let listed = |name: &str| corpus.join(name).display().to_string().trim_start_matches('/').to_string();
    let measures = common::convert("krn-2020-2022.txt").measures.len();
    let items = common::convert("nsg-referat-2025-11-27.txt").meeting.map_or(0, |m| m.items.len());
    assert!(measures > 0 && items > 0);
    assert_eq!(files.iter().filter(|f| **f == listed("krn-2020-2022.txt")).count(), measures);
    assert_eq!(files.iter().filter(|f| **f == listed("nsg-referat-2025-11-27.txt")).count(), items);
    assert_eq!(lines.len(), measures + items, "documents are not printed when the dataset goes to stdout");
}

#[test]
fn a_file_over_the_time_limit_fails_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out_dir = tmp.path().join("out");
    let hmn = common::corpus().join("hmn-2023-2026.pdf");
    let out = run(&[Path::new("convert"), &hmn, Path::new("-o"), &out_dir, Path::new("--timeout"), Path::new("0.0001")]);
    assert_eq!(out.status.code(), Some(1));
    let errors = error_lines(&out_dir);
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["error"].as_str().is_some_and(|e| e.starts_with("time limit exceeded")), "{errors:?}");
    assert!(!out_dir.join("hmn-2023-2026.pdf.json").exists());
}

/// Many copies of the corpus PDFs, enough for a batch of a few seconds.
fn replicated_corpus(dir: &Path, copies: usize) {
    let pdfs = common::corpus_files(".pdf");
    for copy in 0..copies {
        let sub = dir.join(format!("copy{copy:03}"));
        std::fs::create_dir_all(&sub).expect("mkdir");
        for name in &pdfs {
            std::fs::copy(common::corpus().join(name), sub.join(name)).expect("copy");
        }
    }
}

fn wait_for_first_output(out_dir: &Path) {
    let start = Instant::now();
    while !files_under(out_dir).keys().any(|k| k.ends_with(".pdf.json")) {
        assert!(start.elapsed() < Duration::from_secs(30), "the batch wrote nothing in 30 s");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn assert_every_output_complete(out_dir: &Path) -> usize {
    let outputs: Vec<PathBuf> = files_under(out_dir).into_iter().filter(|(k, _)| k.ends_with(".json")).map(|(_, p)| p).collect();
    for path in &outputs {
        let doc = read_json(path);
        assert!(doc["source"]["sha256"].is_string(), "{} is a whole document", path.display());
    }
    outputs.len()
}

/// A batch over many copies of the corpus PDFs, started in a child process
/// and caught once it has written its first output.
struct RunningBatch {
    _tmp: tempfile::TempDir,
    input: PathBuf,
    out_dir: PathBuf,
    inputs: usize,
    child: std::process::Child,
}

fn start_batch(jobs: &str) -> RunningBatch {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (input, out_dir) = (tmp.path().join("in"), tmp.path().join("out"));
    replicated_corpus(&input, 30);
    let inputs = files_under(&input).len();
    let child = bin()
        .args([Path::new("convert"), &input, Path::new("-o"), &out_dir, Path::new("--jobs"), Path::new(jobs)])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    wait_for_first_output(&out_dir);
    RunningBatch { _tmp: tmp, input, out_dir, inputs, child }
}

#[test]
fn killing_a_batch_leaves_no_partial_json_and_a_rerun_resumes() {
    let mut batch = start_batch("2");
    std::thread::sleep(Duration::from_millis(30));
    batch.child.kill().expect("kill (SIGKILL)");
    batch.child.wait().expect("reaped");

    let done = assert_every_output_complete(&batch.out_dir);
    assert!(done > 0);
    let resumed = run(&[Path::new("convert"), &batch.input, Path::new("-o"), &batch.out_dir, Path::new("--jobs"), Path::new("2")]);
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    assert!(stderr(&resumed).contains(&format!("{done} skipped (unchanged)")), "the re-run skips what was done: {}", stderr(&resumed));
    assert_eq!(assert_every_output_complete(&batch.out_dir), batch.inputs);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_scheduling_and_leaves_only_whole_outputs() {
    let batch = start_batch("1");
    let sent = Command::new("kill").args(["-INT", &batch.child.id().to_string()]).status().expect("kill -INT runs");
    assert!(sent.success());
    let out = batch.child.wait_with_output().expect("wait");
    let done = assert_every_output_complete(&batch.out_dir);
    assert_no_temporary_files(&batch.out_dir);
    if done < batch.inputs {
        assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
        assert!(stderr(&out).contains("interrupted"), "{}", stderr(&out));
    }
}

#[test]
fn two_files_with_one_output_name_do_not_overwrite_each_other() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("a/plan.txt"), tmp.path().join("b/plan.txt"));
    copy_corpus("krn-2020-2022.txt", &a);
    copy_corpus("hlk-2021-2025.txt", &b);
    let out_dir = tmp.path().join("out");
    let out = run(&[Path::new("convert"), &a, &b, &a, Path::new("-o"), &out_dir]);
    assert_eq!(out.status.code(), Some(1));
    let errors = error_lines(&out_dir);
    assert_eq!(errors.len(), 1, "the same file twice is converted once: {errors:?}");
    assert_eq!(errors[0]["file"], b.display().to_string());
    assert!(errors[0]["error"].as_str().is_some_and(|e| e.contains("same relative path (plan.txt)")));
    assert_eq!(read_json(&out_dir.join("plan.txt.json"))["organization"], "KRN");

    let to_stdout = run(&[Path::new("convert"), &a, &b]);
    assert_eq!(to_stdout.status.code(), Some(0), "without -o nothing collides");
    assert_eq!(String::from_utf8_lossy(&to_stdout.stdout).lines().count(), 2);
}
