//! No input takes a run down (issue 18): work bounded by the input's size,
//! not by numbers inside it; one failing file fails alone in every command;
//! caps with clear errors; a web page that serves only what it indexed and
//! that slow clients cannot stall.
//!
//! Every run goes through the release binary under a hang bound (the child is
//! killed and the test fails) and a peak-memory bound (`wait4`). The bounds
//! are generous kill limits, not benchmarks.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{run_bounded, BoundedRun};

const HANG_BOUND: Duration = Duration::from_secs(20);
const MEMORY_BOUND_KIB: u64 = 512 * 1024;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_planparse"))
}

/// `planparse ARGS` within the bounds; `env` adds variables.
fn run(args: &[&str], env: &[(&str, &str)]) -> BoundedRun {
    let mut cmd = bin();
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let run = run_bounded(&mut cmd, HANG_BOUND);
    assert!(run.max_rss_kib < MEMORY_BOUND_KIB, "planparse {args:?} peaked at {} KiB", run.max_rss_kib);
    assert!(run.code.is_some(), "planparse {args:?} died by a signal: {}", run.stderr);
    run
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// The three PDFs whose text positions far right of the page sized the
/// column finder's bins (an abort on a 40 TB allocation, a capacity overflow,
/// an out-of-range slice): each converts and lays out like any other file.
#[test]
fn text_far_off_the_page_sizes_no_allocation() {
    for name in ["pdf-abort-find_gutter-alloc.pdf", "pdf-panic-find_gutter-capacity.pdf", "pdf-panic-find_gutter-slice.pdf"] {
        let path = root().join("tests/fixtures/fuzz").join(name);
        for args in [vec!["convert", s(&path)], vec!["extract", "--layout", s(&path)]] {
            let out = run(&args, &[]);
            assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
            assert!(!out.stderr.contains("internal error") && !out.stderr.contains("panicked"), "{args:?}: {}", out.stderr);
        }
    }
}

/// A folder with a good plan and a file whose conversion panics (injected):
/// `convert`, `index`, `diff` and `extract` each finish the good plan, name
/// the bad file with the cause, and exit 1.
#[test]
fn a_panicking_file_fails_alone_in_every_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).expect("mkdir");
    let good = inputs.join("hlk-2021-2025.txt");
    std::fs::copy(root().join("corpus/hlk-2021-2025.txt"), &good).expect("copy");
    let bad = inputs.join("bad-plan.txt");
    std::fs::copy(root().join("corpus/krn-2020-2022.txt"), &bad).expect("copy");
    let env = [("PLANPARSE_TEST_PANIC", "bad-plan.txt")];

    let out_dir = dir.path().join("out");
    let convert = run(&["convert", s(&inputs), "-o", s(&out_dir)], &env);
    assert_eq!(convert.code, Some(1), "{}", convert.stderr);
    let good_json = std::fs::read_to_string(out_dir.join("hlk-2021-2025.txt.json")).expect("the good plan is converted");
    assert!(good_json.contains("\"measures\""), "{good_json}");
    let errors = std::fs::read_to_string(out_dir.join("errors.jsonl")).expect("errors.jsonl");
    assert_eq!(errors.lines().count(), 1, "{errors}");
    assert!(errors.contains("bad-plan.txt") && errors.contains("internal error: injected"), "{errors}");

    let db = dir.path().join("plans.sqlite");
    let index = run(&["index", s(&db), s(&inputs)], &env);
    assert_eq!(index.code, Some(1), "{}", index.stderr);
    assert!(index.stderr.contains("bad-plan.txt: internal error: injected"), "{}", index.stderr);
    assert!(index.stderr.contains("1 added") && index.stderr.contains("1 failed"), "{}", index.stderr);
    let search = run(&["search", s(&db), "forskning", "--json"], &[]);
    assert_eq!(search.code, Some(0), "the good plan is searchable: {}", search.stderr);
    assert!(search.stdout.contains("hlk-2021-2025.txt"), "{}", search.stdout);

    let diff = run(&["diff", s(&good), s(&bad)], &env);
    assert_eq!(diff.code, Some(1), "{}", diff.stderr);
    assert!(diff.stderr.contains("bad-plan.txt: internal error: injected"), "{}", diff.stderr);

    let extract = run(&["extract", s(&bad), s(&good)], &env);
    assert_eq!(extract.code, Some(1), "{}", extract.stderr);
    assert!(extract.stderr.contains("bad-plan.txt: internal error: injected"), "{}", extract.stderr);
    assert!(extract.stdout.contains("Tiltak") || extract.stdout.len() > 1000, "the good file is still printed");
}

/// Minutes of `n` agenda items, each its own section.
fn agenda(n: usize) -> String {
    // Numbers unique per year, as in real minutes (an item printed twice is one item).
    (0..n).map(|i| format!("Sak {}/{} Tittel {i} om sak nummer {}\nVedtak: ok\n", i % 1000 + 1, 25 + i / 1000, i * 7)).collect()
}

/// Section alignment never builds a dense `n × m` matrix: 5,000 agenda items
/// against real minutes and against themselves finish well inside the bound.
#[test]
fn diff_of_thousands_of_sections_is_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("sections.txt");
    std::fs::write(&big, agenda(5_000)).expect("write");
    let minutes = root().join("corpus/nsg-referat-2025-11-27.txt");
    let out = run(&["diff", s(&big), s(&minutes), "--format", "json"], &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let diff: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert!(diff["old"]["sections"].as_u64() > Some(4_000), "{}", diff["old"]);
    let out = run(&["diff", s(&big), s(&big), "--format", "json"], &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let diff: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let sections = &diff["summary"]["sections"];
    assert_eq!(sections["added"], 0, "a document against itself: {sections}");
    assert_eq!(sections["removed"], 0, "{sections}");
}

/// Over the alignment cap, sections are paired only when identical (linear),
/// and the diff says so in its notes.
#[test]
fn diff_over_the_alignment_cap_pairs_identical_sections_with_a_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("sections.txt");
    std::fs::write(&big, agenda(52_000)).expect("write");
    let mut cmd = bin();
    cmd.args(["diff", s(&big), s(&big), "--format", "json"]);
    let out = run_bounded(&mut cmd, Duration::from_secs(60));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.max_rss_kib < 1024 * 1024, "{} KiB", out.max_rss_kib);
    let diff: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let notes = diff["notes"].to_string();
    assert!(notes.contains("not compared by content"), "{notes}");
    assert_eq!(diff["summary"]["sections"]["removed"], 0, "identical sections are still paired");
}

/// A zip with `document.xml` holding `paragraphs` short paragraphs.
fn docx_with_paragraphs(path: &Path, paragraphs: usize) {
    use zip::write::SimpleFileOptions;
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).expect("zip");
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).expect("zip");
    zip.start_file("_rels/.rels", options).expect("zip");
    zip.write_all(br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#).expect("zip");
    zip.start_file("word/document.xml", options).expect("zip");
    zip.write_all(br#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#).expect("zip");
    let chunk = b"<w:p><w:r><w:t>Tiltak x</w:t></w:r></w:p>".repeat(1024);
    for _ in 0..paragraphs / 1024 {
        zip.write_all(&chunk).expect("zip");
    }
    zip.write_all(b"</w:body></w:document>").expect("zip");
    zip.finish().expect("zip");
}

/// A DOCX whose main part inflates past the part limit fails with the limit
/// and its flag named, within the memory bound (a 64 MiB part of short
/// paragraphs took 2 GiB as an element tree); a raised limit reads it.
#[test]
fn docx_part_limit_is_named_with_its_flag() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bomb = dir.path().join("bomb.docx");
    docx_with_paragraphs(&bomb, 1_600_000);
    assert!(std::fs::metadata(&bomb).expect("meta").len() < 1 << 20, "small on disk");
    let out = run(&["convert", s(&bomb)], &[]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("bomb.docx: limit exceeded") && out.stderr.contains("--max-docx-part-bytes"), "{}", out.stderr);

    let small = dir.path().join("small.docx");
    docx_with_paragraphs(&small, 2_048);
    let out = run(&["convert", s(&small), "--max-docx-part-bytes", "16k"], &[]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("inflates past 16 KiB (raise the limit with --max-docx-part-bytes)"), "{}", out.stderr);
    let out = run(&["convert", s(&small), "--max-docx-part-bytes", "1M"], &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

/// A page of text as a query, or thousands of terms, is refused with exit 2
/// naming the cap; an FTS syntax error is "cannot parse query" with exit 2.
#[test]
fn search_queries_are_capped_and_parse_errors_are_usage_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("plans.sqlite");
    let out = run(&["index", s(&db), s(&root().join("corpus/hlk-2021-2025.txt"))], &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let long = "forskning ".repeat(10_000);
    let out = run(&["search", s(&db), &long], &[]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("query too long") && out.stderr.contains("at most 1000"), "{}", out.stderr);
    let terms = "a ".repeat(400);
    for extra in [&[][..], &["--fts"][..]] {
        let mut args = vec!["search", s(&db), terms.as_str()];
        args.extend_from_slice(extra);
        let out = run(&args, &[]);
        assert_eq!(out.code, Some(2), "{}", out.stderr);
        assert!(out.stderr.contains("400 terms (at most 64)"), "{}", out.stderr);
    }
    let out = run(&["search", s(&db), "\"", "--fts"], &[]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("cannot parse query"), "{}", out.stderr);
}

/// A running `planparse serve`, stopped when dropped.
struct Serve {
    child: Child,
    addr: String,
}

impl Serve {
    fn start(db: &Path) -> Serve {
        let mut child = bin().arg("serve").arg(db).args(["--addr", "127.0.0.1:0"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("startup line");
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("no URL in {line:?}"));
        Serve { child, addr: url.trim_start_matches("http://").trim_end_matches('/').to_string() }
    }

    /// Status and body of `GET path`; the read fails the test after `limit`.
    fn get(&self, path: &str, limit: Duration) -> (u16, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.addr).expect("connects");
        stream.set_read_timeout(Some(limit)).expect("timeout");
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr).expect("sends");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap_or_else(|e| panic!("GET {path}: no answer within {limit:?}: {e}"));
        let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a header block");
        let status = String::from_utf8_lossy(&bytes[..split]).split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status");
        (status, bytes[split + 4..].to_vec())
    }

    /// The id of the only indexed document.
    fn only_document_id(&self) -> String {
        let (status, body) = self.get("/api/documents", Duration::from_secs(30));
        assert_eq!(status, 200);
        let docs: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        docs[0]["id"].as_str().expect("an id").to_string()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `/source/{id}` serves the indexed file while it is that file, and nothing
/// else: not through a symbolic link put in its place, not a file changed
/// since it was indexed.
#[test]
#[cfg(unix)]
fn source_is_served_only_while_it_is_the_indexed_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan.txt");
    let original = std::fs::read(root().join("corpus/hlk-2021-2025.txt")).expect("read");
    std::fs::write(&plan, &original).expect("write");
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "not indexed: must never be served\n").expect("write");
    let db = dir.path().join("plans.sqlite");
    let out = run(&["index", s(&db), s(&plan)], &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let serve = Serve::start(&db);
    let id = serve.only_document_id();
    let source = format!("/source/{id}");
    let limit = Duration::from_secs(30);
    assert_eq!(serve.get(&source, limit), (200, original.clone()));

    std::fs::remove_file(&plan).expect("rm");
    std::os::unix::fs::symlink(&secret, &plan).expect("symlink");
    let (status, body) = serve.get(&source, limit);
    assert_eq!(status, 404);
    assert!(!String::from_utf8_lossy(&body).contains("must never be served"));

    std::fs::remove_file(&plan).expect("rm");
    std::fs::copy(&secret, &plan).expect("copy");
    let (status, body) = serve.get(&source, limit);
    assert_eq!(status, 404, "changed since indexing");
    assert!(String::from_utf8_lossy(&body).contains("changed since it was indexed"));

    std::fs::write(&plan, &original).expect("write");
    assert_eq!(serve.get(&source, limit).0, 200, "the indexed bytes again");
}

/// Clients that request a large file and never read it do not hold the
/// workers: another request is still answered (a 5 s read limit fails the
/// test; before, it waited for good).
#[test]
fn clients_that_do_not_read_do_not_block_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A converted document padded with 48 MiB of white space: a large file
    // that indexes at once (JSON inputs are read as they are).
    let json = dir.path().join("plan.json");
    let out = run(&["convert", s(&root().join("corpus/hlk-2021-2025.txt"))], &[]);
    assert_eq!(out.code, Some(0));
    let mut bytes = out.stdout.into_bytes();
    bytes.resize(bytes.len() + (48 << 20), b' ');
    std::fs::write(&json, &bytes).expect("write");
    let db = dir.path().join("plans.sqlite");
    let out = run(&["index", s(&db), s(&json)], &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let serve = Serve::start(&db);
    let id = serve.only_document_id();
    let stalled: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut stream = TcpStream::connect(&serve.addr).expect("connects");
            write!(stream, "GET /source/{id} HTTP/1.1\r\nHost: {}\r\n\r\n", serve.addr).expect("sends");
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..3 {
        let (status, _) = serve.get("/api/documents", Duration::from_secs(5));
        assert_eq!(status, 200);
    }
    drop(stalled);
}

/// A text input over `--max-text-bytes` fails at once naming the limit and
/// its flag (a 200 MB single line took 40 s and 1.4 GiB); under a raised
/// limit the same bytes are read.
#[test]
fn text_input_limit_is_named_with_its_flag() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = dir.path().join("long-line.txt");
    std::fs::write(&long, "Tiltak ".repeat(3 << 20)).expect("write");
    let out = run(&["convert", s(&long)], &[]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr.contains("long-line.txt: limit exceeded") && out.stderr.contains("over the limit of 16 MiB (raise it with --max-text-bytes)"),
        "{}",
        out.stderr
    );
    let small = dir.path().join("small.txt");
    std::fs::write(&small, "Tiltak ".repeat(2_000)).expect("write");
    let out = run(&["convert", s(&small), "--max-text-bytes", "10k"], &[]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("--max-text-bytes"), "{}", out.stderr);
    let out = run(&["convert", s(&small), "--max-text-bytes", "20k"], &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}
