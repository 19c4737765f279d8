//! `planparse serve` as a reader uses it: the pages and the JSON API over the
//! indexed corpus, through plain HTTP and in headless Chromium, plus the
//! failures (404, 400, 405, 403, startup errors) and markup in document text.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use common::chromium;
use planparse::diff;
use planparse::model::Document;
use planparse::pipeline::{convert_bytes, Options};
use serde_json::Value;

mod common;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_planparse"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A plan whose measure and heading carry markup, as a reader could type it.
const HOSTILE_PLAN: &str = "Handlingsplan for forskning 2024-2025\n\n1. Mål <b>én</b>\n\nTiltak Ansvar\n\nSikre at <script>alert(1)</script> vises som tekst\nKlinikkleder\n\nØke antall studier & publikasjoner\nForskningsleder <img src=x onerror=alert(2)>\n";

/// The inputs of the shared dataset: every corpus document, the HMN plan's
/// next period (so that HMN has two periods), and the hostile plan.
struct Corpus {
    dir: PathBuf,
    db: PathBuf,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        let hostile = dir.join("hostile-plan.txt");
        std::fs::write(&hostile, HOSTILE_PLAN).expect("write");
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(root().join("corpus"))
            .expect("corpus")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "pdf" || e == "docx" || e == "txt"))
            .collect();
        inputs.sort();
        inputs.push(next_hmn());
        inputs.push(hostile);
        let db = dir.join("plans.sqlite");
        let out = bin().arg("index").arg(&db).args(&inputs).output().expect("index runs");
        assert_eq!(out.status.code(), Some(0), "index: {}", String::from_utf8_lossy(&out.stderr));
        Corpus { dir, db }
    })
}

fn next_hmn() -> PathBuf {
    root().join("tests/fixtures/diff/hmn-2027-2030/new.pdf")
}

fn convert_path(path: &Path) -> Document {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    convert_bytes(&name, &bytes, &Options::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A running `planparse serve`, stopped when dropped.
struct Serve {
    child: Child,
    addr: String,
}

impl Serve {
    fn start(db: &Path) -> Serve {
        let mut child = bin().arg("serve").arg(db).args(["--addr", "127.0.0.1:0"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("reads the startup line");
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("no URL in {line:?}"));
        assert!(line.contains(&db.display().to_string()), "startup line names the dataset: {line}");
        let addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        Serve { child, addr }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn get(&self, path: &str) -> Reply {
        self.request(&format!("GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr))
    }

    fn request(&self, raw: &str) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).expect("connects");
        stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
        stream.write_all(raw.as_bytes()).expect("sends");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("reads");
        Reply::parse(&bytes, raw.starts_with("HEAD "))
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    /// A response as read to the end of the connection; its `Content-Length`
    /// must be the body's (a `HEAD` response announces the body it leaves out).
    fn parse(bytes: &[u8], head_request: bool) -> Reply {
        let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a header block");
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).expect("a status line");
        let headers: Vec<(String, String)> =
            lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
        let body = bytes[split + 4..].to_vec();
        let reply = Reply { status, headers, body };
        let length = reply.header("content-length").and_then(|l| l.parse::<usize>().ok());
        assert!(length.is_some(), "a Content-Length (not chunks): {head}");
        if head_request {
            assert!(reply.body.is_empty() && length > Some(0), "HEAD: the length of the body left out");
        } else {
            assert_eq!(length, Some(reply.body.len()), "Content-Length matches the body");
        }
        reply
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    fn json(&self) -> Value {
        assert_eq!(self.header("content-type"), Some("application/json; charset=utf-8"));
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// An HTML page with the headers every page carries.
    fn page(&self) -> String {
        assert_eq!(self.header("content-type"), Some("text/html; charset=utf-8"));
        let csp = self.header("content-security-policy").expect("a CSP");
        assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"), "scripts forbidden: {csp}");
        assert_eq!(self.header("x-content-type-options"), Some("nosniff"));
        let html = self.text();
        assert!(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"), "phone viewport");
        for forbidden in ["<script", "http://", "https://", "@import", "url("] {
            assert!(!html.contains(forbidden), "page refers to {forbidden}");
        }
        html
    }
}

/// `application/x-www-form-urlencoded` value.
fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `&amp;` and friends back to text, for hrefs read out of a page.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Every `href` of the anchors with this class, in page order.
fn hrefs(html: &str, class: &str) -> Vec<String> {
    let marker = format!("class=\"{class}\" href=\"");
    html.match_indices(&marker)
        .map(|(i, _)| {
            let rest = &html[i + marker.len()..];
            unescape(&rest[..rest.find('"').unwrap_or(0)])
        })
        .collect()
}

fn document_id(file: &str) -> String {
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(&bytes))
}

fn corpus_file(name: &str) -> String {
    root().join("corpus").join(name).display().to_string()
}

#[test]
fn search_page_ranks_marked_hits_with_facets_that_count_what_they_filter() {
    let serve = Serve::start(&corpus().db);
    let reply = serve.get(&format!("/?q={}", enc("støtte")));
    assert_eq!(reply.status, 200);
    let html = reply.page();
    assert!(html.contains("forsknings<mark>støtte</mark>"), "the match is marked inside the compound");
    for facet in ["facet-responsible", "facet-org", "facet-period", "facet-kind"] {
        assert!(html.contains(&format!("id=\"{facet}\"")), "{facet} listed");
    }
    assert!(html.contains("value=\"støtte\""), "the query stays in the box");

    let api = serve.get(&format!("/api/search?q={}", enc("støtte"))).json();
    let total = api["total"].as_u64().expect("total");
    assert!(total > 20, "støtte matches more than a page: {total}");
    assert!(html.contains(&format!("{total} matches, 1–20 shown")), "summary counts the matches");
    let hits = api["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 20);
    let raw = serve.get(&format!("/api/search?q={}", enc("støtte"))).text();
    assert_eq!(raw.matches("\"files\":").count(), 20, "each hit has one `files` key");
    // Plain snippets with the matches as char offsets; the page marks the same spans.
    let mut in_compound = 0;
    for h in hits {
        let snippet: Vec<char> = h["snippet"].as_str().expect("snippet").chars().collect();
        for span in h["highlights"].as_array().expect("highlights") {
            let (start, end) = (span[0].as_u64().expect("start") as usize, span[1].as_u64().expect("end") as usize);
            assert_eq!(snippet[start..end].iter().collect::<String>().to_lowercase(), "støtte", "{h}");
            in_compound += usize::from(snippet[..start].iter().collect::<String>().ends_with("forsknings"));
        }
        assert!(h["text"].is_string() && h["responsible"].is_array() && h["indicators"].is_array(), "the whole unit: {h}");
        // Every corpus plan is indexed as PDF, DOCX and text: one hit lists the forms.
        let files = h["files"].as_array().expect("files");
        assert!(!files.is_empty() && files[0]["document_id"] == h["document_id"], "{h}");
        assert!(files.iter().all(|f| f["url"].as_str().is_some_and(|u| u.starts_with('/'))), "{h}");
    }
    assert!(in_compound > 0, "a match inside forskningsstøtte");
    assert!(hits.iter().any(|h| h["files"].as_array().is_some_and(|f| f.len() > 1)), "forms of one plan grouped");
    assert!(html.contains("class=\"form\""), "the page lists the plan's files");
    assert_eq!(api["mode"], "substring");
    assert_eq!(api["index"], "vocabulary");
    let first_url = hits[0]["url"].as_str().expect("url");
    assert!(html.contains(&format!("class=\"hit-link\" href=\"{}\"", first_url.replace('&', "&amp;"))), "the best hit first");

    // Each facet value counts exactly what filtering by it returns (parties
    // whose name holds another party's are matched by both, so skipped).
    let facets = &api["facets"];
    let parties: Vec<&str> = facets["responsible"].as_array().expect("parties").iter().filter_map(|v| v["value"].as_str()).collect();
    let mut checked = 0;
    for (facet, param) in [("responsible", "responsible"), ("organization", "org"), ("period", "period"), ("kind", "kind")] {
        for value in facets[facet].as_array().expect("values").iter().take(3) {
            let v = value["value"].as_str().expect("value");
            if facet == "responsible" && parties.iter().any(|p| *p != v && p.contains(v)) {
                continue;
            }
            if facet == "period" || facet == "organization" {
                // Periods filter by overlap and organizations by substring; only
                // exactly-once values count exactly.
                continue;
            }
            let filtered = serve.get(&format!("/api/search?q={}&{param}={}", enc("støtte"), enc(v))).json();
            assert_eq!(filtered["total"], value["count"], "{facet}={v}");
            checked += 1;
        }
    }
    assert!(checked >= 3, "facet counts checked: {checked}");
    let period = facets["period"][0]["value"].as_str().expect("a period");
    let narrowed = serve.get(&format!("/api/search?q={}&period={}", enc("støtte"), enc(period))).json();
    assert!(narrowed["total"].as_u64() >= facets["period"][0]["count"].as_u64(), "overlapping periods include the exact one");

    // Paging: page 2 continues where page 1 stopped; past the end, nothing.
    let page2 = serve.get(&format!("/api/search?q={}&page=2", enc("støtte"))).json();
    let urls = |v: &Value| -> Vec<String> { v["hits"].as_array().expect("hits").iter().map(|h| h["url"].to_string()).collect() };
    assert!(!page2["hits"].as_array().expect("hits").is_empty());
    assert!(urls(&page2).iter().all(|u| !urls(&api).contains(u)), "page 2 repeats no hit of page 1");
    let html2 = serve.get(&format!("/?q={}&page=2", enc("støtte"))).page();
    assert!(html2.contains("rel=\"prev\"") && html2.contains("<ol class=\"hits\" start=\"21\">"));
    let past = serve.get(&format!("/api/search?q={}&page=999", enc("støtte"))).json();
    assert_eq!(past["hits"].as_array().map(Vec::len), Some(0));

    let none = serve.get("/?q=zzqqxx").page();
    assert!(none.contains("No matches for “zzqqxx”."));
}

#[test]
fn bad_parameters_are_400_and_unknown_things_404_in_html_and_json() {
    let serve = Serve::start(&corpus().db);
    let unknown = "0".repeat(64);
    for path in ["/?page=0", "/?page=two", "/?kind=plan", "/?period=2025..2021", "/api/search?period=soon", "/diff?a=abc", "/diff?a=abc&b=def", "/api/diff?b=x"]
    {
        let reply = serve.get(path);
        assert_eq!(reply.status, 400, "{path}");
        if path.starts_with("/api/") {
            assert_eq!(reply.json()["status"], 400, "{path}");
        } else {
            assert!(reply.page().contains("400 Bad request"), "{path}");
        }
    }
    let page = serve.get("/?kind=plan").text();
    assert!(page.contains("kind: &quot;plan&quot;: expected action_plan"), "the message names the parameter: {page}");
    for path in [
        format!("/documents/{unknown}"),
        "/documents/nope".to_string(),
        format!("/measures/{unknown}/1/1a"),
        format!("/source/{unknown}"),
        format!("/diff?a={unknown}&b={unknown}"),
        "/nothing/here".to_string(),
        "/documents/x/y".to_string(),
    ] {
        let reply = serve.get(&path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(reply.page().contains("404 Not found"), "{path}");
    }
    for path in
        [format!("/api/documents/{unknown}"), format!("/api/measures/{unknown}/1/1a"), format!("/api/diff?a={unknown}&b={unknown}"), "/api/nope".to_string()]
    {
        let reply = serve.get(&path);
        assert_eq!(reply.status, 404, "{path}");
        let json = reply.json();
        assert_eq!(json["status"], 404);
        assert!(json["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    let hlk = document_id(&corpus_file("hlk-2021-2025.pdf"));
    let reply = serve.get(&format!("/measures/{hlk}/no/such/measure"));
    assert_eq!(reply.status, 404);
    assert!(reply.text().contains("no measure &quot;no/such/measure&quot;"));

    // Read-only: no method but GET and HEAD.
    let reply = serve.request(&format!("POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", serve.addr));
    assert_eq!(reply.status, 405);
    let reply = serve.request(&format!("HEAD /documents HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", serve.addr));
    assert_eq!(reply.status, 200);
    // A page elsewhere cannot reach the server through a rebound DNS name.
    let reply = serve.request("GET /api/documents HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n");
    assert_eq!(reply.status, 403);
    let reply = serve.request("GET /api/documents HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert_eq!(reply.status, 200);
}

#[test]
fn document_page_shows_the_section_tree_and_links_source_pages() {
    let serve = Serve::start(&corpus().db);
    let file = corpus_file("hlk-2021-2025.pdf");
    let id = document_id(&file);
    let doc = convert_path(Path::new(&file));

    // The API gives the document exactly as `convert` writes it.
    let api = serve.get(&format!("/api/documents/{id}")).json();
    let expected = serde_json::to_value(&doc).expect("JSON");
    assert_eq!(api, expected, "the document read back from the dataset equals the conversion");

    let html = serve.get(&format!("/documents/{id}")).page();
    let text = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let measure = doc.measures.iter().find(|m| !m.actions.is_empty() && !m.indicators.is_empty() && !m.pages.is_empty()).expect("a full measure");
    assert!(html.contains(&text(&measure.text)), "measure text");
    assert!(html.contains(&text(&measure.actions[0].text)), "action");
    assert!(html.contains(&text(&measure.indicators[0])), "indicator");
    assert!(html.contains(&text(&measure.responsible.join("; "))), "responsible");
    assert!(html.contains(&format!("href=\"/source/{id}#page={}\"", measure.pages[0])), "link to the source page");
    for s in &doc.sections {
        assert!(html.contains(&text(&s.title)), "section {}", s.title);
    }
    assert!(html.contains(&format!("id=\"m-{}\"", measure.id)), "measure anchor");
    let source = serve.get(&format!("/source/{id}"));
    assert_eq!(source.status, 200);
    assert_eq!(source.header("content-type"), Some("application/pdf"));
    assert!(source.body == std::fs::read(&file).expect("reads"), "the file as indexed");

    let list = serve.get("/api/documents").json();
    let listed = list.as_array().expect("documents");
    assert!(listed.iter().any(|d| d["id"] == id.as_str() && d["measures"] == doc.measures.len()));
    let page = serve.get("/documents").page();
    assert!(page.contains(&format!("href=\"/documents/{id}\"")));

    // Minutes: agenda items with their decisions.
    let minutes = document_id(&corpus_file("nsg-referat-2025-11-27.pdf"));
    let html = serve.get(&format!("/documents/{minutes}")).page();
    let doc = convert_path(Path::new(&corpus_file("nsg-referat-2025-11-27.pdf")));
    let item = doc.meeting.as_ref().and_then(|m| m.items.iter().find(|i| i.decision.is_some())).expect("a decided item");
    assert!(html.contains(&format!("id=\"sak-{}\"", item.number)), "agenda item anchor");
    assert!(html.contains("Vedtak: "));
}

#[test]
fn measure_page_follows_the_measure_into_the_plans_other_period() {
    let serve = Serve::start(&corpus().db);
    let old_file = corpus_file("hmn-2023-2026.pdf");
    let old_id = document_id(&old_file);
    let new_id = document_id(&next_hmn().display().to_string());
    let comparison = diff::compare(&convert_path(Path::new(&old_file)), &convert_path(&next_hmn()));
    // A matched pair with a change, and one measure the new plan dropped.
    let changed = comparison.measures.iter().find(|r| r.old.is_some() && r.new.is_some() && !r.changes.is_empty()).expect("a changed pair");
    let (old_m, new_m) = (&comparison.old.measures[changed.old.unwrap_or(0)], &comparison.new.measures[changed.new.unwrap_or(0)]);

    let api = serve.get(&format!("/api/measures/{old_id}/{}", old_m.id)).json();
    assert_eq!(api["measure"]["text"], old_m.text.as_str());
    let versions = api["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 1, "one other period: {versions:?}");
    let v = &versions[0];
    assert_eq!(v["document"]["id"], new_id.as_str());
    assert_eq!(v["relation"], "later");
    assert_eq!(v["measure"]["id"], new_m.id.as_str(), "the counterpart the diff aligned");
    let kinds: Vec<Value> = changed.changes.iter().map(|&c| serde_json::to_value(comparison.diff.changes[c].kind).expect("kind")).collect();
    assert_eq!(v["changes"].as_array().expect("changes"), &kinds);
    assert_eq!(v["diff_url"], format!("/diff?a={old_id}&b={new_id}"));

    // From the newer plan, the older one is the earlier version.
    let back = serve.get(&format!("/api/measures/{new_id}/{}", new_m.id)).json();
    assert_eq!(back["versions"][0]["relation"], "earlier");
    assert_eq!(back["versions"][0]["measure"]["id"], old_m.id.as_str());

    let html = serve.get(&format!("/measures/{old_id}/{}", old_m.id)).page();
    assert!(html.contains("Other versions of the plan") && html.contains("later version"));
    assert!(html.contains(&format!("href=\"/measures/{new_id}/{}\"", new_m.id)), "link to the counterpart");
    assert!(html.contains(&format!("href=\"/diff?a={old_id}&amp;b={new_id}\"")), "link to the diff");
    if let Some(removed) = comparison.measures.iter().find(|r| r.new.is_none()).and_then(|r| r.old) {
        let m = &comparison.old.measures[removed];
        let html = serve.get(&format!("/measures/{old_id}/{}", m.id)).page();
        assert!(html.contains("no counterpart in this version"), "{}", m.id);
    }

    // A plan with one period says so.
    let krn = document_id(&corpus_file("krn-2020-2022.pdf"));
    let krn_doc = convert_path(Path::new(&corpus_file("krn-2020-2022.pdf")));
    let html = serve.get(&format!("/measures/{krn}/{}", krn_doc.measures[0].id)).page();
    assert!(html.contains("id=\"no-versions\""));
}

#[test]
fn diff_page_and_api_are_the_diff_reports_of_two_indexed_documents() {
    let serve = Serve::start(&corpus().db);
    let old_file = corpus_file("hmn-2023-2026.pdf");
    let (old_id, new_id) = (document_id(&old_file), document_id(&next_hmn().display().to_string()));
    let comparison = diff::compare(&convert_path(Path::new(&old_file)), &convert_path(&next_hmn()));
    let api = serve.get(&format!("/api/diff?a={old_id}&b={new_id}")).json();
    assert_eq!(api, serde_json::to_value(&comparison.diff).expect("JSON"), "the same diff as `planparse diff --format json`");
    let html = serve.get(&format!("/diff?a={old_id}&b={new_id}")).page();
    let expected = diff::html::render(&comparison);
    let report_body = &expected[expected.find("<header>").expect("report header")..];
    assert!(html.ends_with(report_body), "the diff report, with the site's navigation above it");
    assert!(html.contains("href=\"/documents\""));
    let chooser = serve.get("/diff").page();
    assert!(chooser.contains(&format!("<option value=\"{old_id}\">")));
}

#[test]
fn markup_in_document_text_is_shown_as_text_everywhere() {
    let serve = Serve::start(&corpus().db);
    let id = document_id(&corpus().dir.join("hostile-plan.txt").display().to_string());
    let doc = convert_path(&corpus().dir.join("hostile-plan.txt"));
    let measure = doc.measures.iter().find(|m| m.text.contains("<script>")).expect("the fixture measure carries the script");
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
    let search = serve.get("/?q=alert").page();
    assert!(search.contains("&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;"), "{search}");
    for path in [format!("/documents/{id}"), format!("/measures/{id}/{}", measure.id), "/documents".to_string()] {
        let html = serve.get(&path).page();
        assert!(!html.contains("<img") && !html.contains("<b>"), "{path}: raw markup");
        if path != "/documents" {
            assert!(html.contains(escaped), "{path}: the script shown as text");
        }
    }
    let html = serve.get(&format!("/documents/{id}")).page();
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(html.contains("Mål &lt;b&gt;én&lt;/b&gt;"));
    let api = serve.get(&format!("/api/measures/{id}/{}", measure.id)).json();
    assert_eq!(api["measure"]["text"], measure.text.as_str(), "JSON carries the text unchanged");
}

#[test]
fn startup_errors_name_the_dataset_and_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.sqlite");
    let out: Output = bin().arg("serve").arg(&missing).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}: no dataset here", missing.display())), "{err}");

    let text = dir.path().join("notes.sqlite");
    std::fs::write(&text, "not a database at all, just some text that is long enough to be a header").expect("write");
    let out = bin().arg("serve").arg(&text).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&text.display().to_string()));

    let out = bin().arg("serve").arg(&corpus().db).args(["--addr", "nowhere"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere: not an address"), "{}", String::from_utf8_lossy(&out.stderr));

    let busy = Serve::start(&corpus().db);
    let out = bin().arg("serve").arg(&corpus().db).args(["--addr", &busy.addr]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("{}: cannot listen", busy.addr)));

    let out = bin().args(["serve", "--threads", "0", "x.sqlite"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = bin().args(["serve", "--help"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for route in ["/api/search?q=", "/documents/ID", "/diff?a=ID&b=ID", "--addr", "read-only"] {
        assert!(help.contains(route), "--help mentions {route}");
    }
}

/// The page as Chromium rendered it, and a screenshot of it under
/// `target/web-artifacts/NAME.png` at the given window size.
fn browse(url: &str, name: &str, size: &str, profile: &Path) -> String {
    let artifacts = root().join("target/web-artifacts");
    std::fs::create_dir_all(&artifacts).expect("artifacts folder");
    let shot = artifacts.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&shot);
    let out = chromium(&[&format!("--window-size={size}"), &format!("--screenshot={}", shot.display()), url], &profile.join(format!("{name}-shot")))
        .expect("chromium runs");
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("{name}: no screenshot ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    assert!(png.starts_with(b"\x89PNG") && png.len() > 5_000, "{name}: a real PNG ({} bytes)", png.len());
    let out = chromium(&[&format!("--window-size={size}"), "--dump-dom", url], &profile.join(format!("{name}-dom"))).expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(dom.contains("</html>"), "{name}: a rendered page: {}", String::from_utf8_lossy(&out.stderr));
    dom
}

#[test]
fn a_reader_searches_filters_opens_a_measure_and_a_diff_in_headless_chromium() {
    let profile = tempfile::tempdir().expect("tempdir");
    if chromium(&["--version"], &profile.path().join("probe")).is_none() {
        common::skip(
            "a_reader_searches_filters_opens_a_measure_and_a_diff_in_headless_chromium",
            "chromium not found (apt-get install -y chromium): the pages were not rendered in a browser",
        );
        return;
    }
    let serve = Serve::start(&corpus().db);
    let profile = profile.path();

    // 1. Search `støtte`.
    let dom = browse(&serve.url(&format!("/?q={}", enc("støtte"))), "1-search", "1280,1600", profile);
    assert!(dom.contains("forsknings<mark>støtte</mark>"), "marked hit rendered");
    let total = serve.get(&format!("/api/search?q={}", enc("støtte"))).json()["total"].as_u64().expect("total");
    assert!(dom.contains(&format!("{total} matches")), "summary rendered");
    // The same page at a phone's width.
    let phone = browse(&serve.url(&format!("/?q={}", enc("støtte"))), "1-search-phone", "390,1400", profile);
    assert!(phone.contains("forsknings<mark>støtte</mark>"));

    // 2. Apply a responsible facet: the link of the first party listed.
    let section = &dom[dom.find("id=\"facet-responsible\"").expect("responsible facet")..];
    let facet = hrefs(section, "facet").into_iter().next().expect("a party link");
    assert!(facet.contains("responsible="), "{facet}");
    let query = facet.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let party = form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "responsible").map(|(_, v)| v.into_owned()).expect("the party");
    let dom = browse(&serve.url(&facet), "2-facet", "1280,1600", profile);
    assert!(dom.contains("id=\"active-filters\""), "the filter shows as active");
    let filtered = serve.get(&format!("/api/search?q={}&responsible={}", enc("støtte"), enc(&party))).json();
    let count = filtered["total"].as_u64().expect("total");
    assert!(count > 0 && count < total, "the facet narrows: {count} of {total}");
    assert!(dom.contains(&format!("{count} match")), "rendered count {count}");
    for hit in filtered["hits"].as_array().expect("hits") {
        let parties = hit["responsible"].as_array().expect("parties");
        assert!(!parties.is_empty(), "every hit has a responsible party");
    }

    // 3. Open the first result: its measure page.
    let result = hrefs(&dom, "hit-link").into_iter().next().expect("a result link");
    assert!(result.starts_with("/measures/"), "{result}");
    let dom = browse(&serve.url(&result), "3-measure", "1280,1600", profile);
    let key = result.trim_start_matches("/measures/");
    let measure = serve.get(&format!("/api/measures/{key}")).json();
    let text = measure["measure"]["text"].as_str().expect("text");
    let first_words: String = text.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
    assert!(dom.contains(&first_words.replace('&', "&amp;")), "the measure text rendered: {first_words}");
    assert!(dom.contains("Other versions of the plan"));

    // 4. Open a diff: from the HMN measure page, the link to its plans' diff.
    let old_id = document_id(&corpus_file("hmn-2023-2026.pdf"));
    let hmn = convert_path(Path::new(&corpus_file("hmn-2023-2026.pdf")));
    let dom = browse(&serve.url(&format!("/measures/{old_id}/{}", hmn.measures[0].id)), "4-hmn-measure", "1280,1600", profile);
    let diff_link = dom.match_indices("href=\"/diff?").next().map(|(i, _)| {
        let rest = &dom[i + 6..];
        unescape(&rest[..rest.find('"').unwrap_or(0)])
    });
    let diff_link = diff_link.expect("a link to the diff");
    let dom = browse(&serve.url(&diff_link), "5-diff", "1280,2000", profile);
    let comparison = diff::compare(&hmn, &convert_path(&next_hmn()));
    for kind in diff::ChangeType::ALL {
        let expected = format!("id=\"count-{}\">{}</span>", kind.as_str(), comparison.diff.summary.measures.get(kind));
        assert!(dom.contains(&expected), "diff page rendered {expected}");
    }
    assert!(dom.contains("<del>") && dom.contains("<ins>"), "word diff highlighted");
    println!("screenshots in {}", root().join("target/web-artifacts").display());
}

#[test]
fn the_api_shows_paths_relative_to_the_indexed_root_never_absolute_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root_dir = dir.path().join("archive");
    std::fs::create_dir_all(root_dir.join("krn")).expect("mkdir");
    std::fs::copy(root().join("corpus/krn-2020-2022.pdf"), root_dir.join("krn/krn-2020-2022.pdf")).expect("copy");
    std::fs::copy(root().join("corpus/krn-2020-2022.docx"), root_dir.join("krn/krn-2020-2022.docx")).expect("copy");
    let db = dir.path().join("plans.sqlite");
    let out = bin().arg("index").arg(&db).arg(&root_dir).output().expect("index runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let serve = Serve::start(&db);
    let absolute = dir.path().canonicalize().expect("absolute").display().to_string();

    let docs = serve.get("/api/documents");
    assert_eq!(docs.status, 200);
    let text = docs.text();
    assert!(!text.contains(&absolute) && !text.contains(&dir.path().display().to_string()), "no server path: {text}");
    let list = docs.json();
    let mut paths: Vec<&str> = list.as_array().expect("documents").iter().map(|d| d["path"].as_str().expect("path")).collect();
    paths.sort();
    assert_eq!(paths, ["krn/krn-2020-2022.docx", "krn/krn-2020-2022.pdf"]);

    let id = list[0]["id"].as_str().expect("id");
    for path in [format!("/api/documents/{id}"), format!("/api/measures/{id}/1/1a"), format!("/api/search?q={}", enc("stipendiater"))] {
        let reply = serve.get(&path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(!reply.text().contains(&absolute), "{path} shows a server path");
    }
    let search = serve.get(&format!("/api/search?q={}", enc("stipendiater"))).json();
    let files: Vec<&str> = search["hits"][0]["files"].as_array().expect("files").iter().map(|f| f["file"].as_str().expect("file")).collect();
    assert_eq!(files.len(), 2, "the PDF and the DOCX are one plan: {files:?}");
    // A source that moved away is reported by its relative path only.
    std::fs::remove_file(root_dir.join("krn/krn-2020-2022.pdf")).expect("remove");
    let pdf = list.as_array().expect("documents").iter().find(|d| d["path"] == "krn/krn-2020-2022.pdf").expect("the PDF");
    let page = serve.get(&format!("/documents/{}", pdf["id"].as_str().expect("id"))).text();
    assert!(!page.contains(&absolute), "the document page shows no server path");
    let gone = serve.get(&format!("/source/{}", pdf["id"].as_str().expect("id")));
    assert_eq!(gone.status, 404);
    assert!(!gone.text().contains(&absolute), "{}", gone.text());
}
