//! `planparse export`: CSV and XLSX read back with `csv` and `calamine` match
//! the JSON they came from; the OpenSearch bulk file pairs action and record
//! lines and uses only mapped fields.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx};
use serde_json::Value;

// The column contract of docs/exports.md, written out here on purpose rather than
// imported from src/dataset/export.rs: a column renamed or dropped there fails this test.
const COLUMNS: [&str; 22] = [
    "document_id",
    "measure_id",
    "file",
    "kind",
    "title",
    "organization",
    "period_from",
    "period_to",
    "section_id",
    "section_number",
    "section_title",
    "label",
    "text",
    "actions",
    "indicators",
    "responsible",
    "deadline",
    "status",
    "strategy_refs",
    "extra",
    "pages",
    "own_text",
];

const ITEM_COLUMNS: [&str; 15] = [
    "document_id",
    "item_id",
    "file",
    "title",
    "organization",
    "meeting_body",
    "meeting_date",
    "number",
    "item_title",
    "item_kind",
    "text",
    "decision",
    "period_from",
    "period_to",
    "pages",
];

/// Documents with measures in every layout: KRN (labelled, actions, indicators), HMN (unlabelled
/// rows under numbered sections) and NSG minutes (no measures).
const DOCUMENTS: [&str; 4] = ["krn-2020-2022.pdf", "hmn-2023-2026.docx", "hlk-2021-2025.txt", "nsg-referat-2025-11-27.pdf"];

fn run(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planparse")).args(args).output().expect("planparse runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The documents converted into `dir`, and their JSON in export order.
fn converted(dir: &Path) -> (PathBuf, Vec<Value>) {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    for name in DOCUMENTS {
        std::fs::copy(common::corpus().join(name), input.join(name)).expect("copy");
    }
    let out_dir = dir.join("out");
    let out = run(&[Path::new("convert"), &input, Path::new("-o"), &out_dir, Path::new("-q")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut names: Vec<&str> = DOCUMENTS.to_vec();
    names.sort();
    let docs = names.iter().map(|n| serde_json::from_slice(&std::fs::read(out_dir.join(format!("{n}.json"))).expect("read")).expect("JSON")).collect();
    (out_dir, docs)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().into_iter().flatten().map(|s| s.as_str().expect("string").to_string()).collect()
}

fn find_section<'a>(sections: &'a Value, id: &str) -> Option<&'a Value> {
    sections.as_array()?.iter().find_map(|s| if s["id"] == id { Some(s) } else { find_section(&s["sections"], id) })
}

/// The row each measure should become, from the JSON alone.
fn expected_rows(docs: &[Value]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for doc in docs {
        let period = |end: &str| doc["period"][end].as_i64().map(|y| y.to_string()).unwrap_or_default();
        for m in doc["measures"].as_array().expect("measures") {
            let section = find_section(&doc["sections"], m["section"].as_str().expect("section"));
            let mut actions = Vec::new();
            for a in m["actions"].as_array().expect("actions") {
                let text = a["text"].as_str().unwrap_or_default();
                let line = match a["label"].as_str() {
                    Some(l) => format!("{l}. {text}").trim_end().to_string(),
                    None => text.to_string(),
                };
                if !line.is_empty() {
                    actions.push(line);
                }
                actions.extend(strings(&a["items"]).into_iter().map(|i| format!("  - {i}")));
            }
            let own = m["text"].as_str().unwrap_or_default().to_string();
            let refs: Vec<String> = m["strategy_refs"]
                .as_array()
                .expect("refs")
                .iter()
                .map(|r| match r["label"].as_str() {
                    Some(l) => format!("{l} {}", r["text"].as_str().unwrap_or_default()),
                    None => r["text"].as_str().unwrap_or_default().to_string(),
                })
                .collect();
            let extra = match m["extra"].as_array() {
                Some(cols) if !cols.is_empty() => {
                    let map: serde_json::Map<String, Value> =
                        cols.iter().map(|c| (c["header"].as_str().expect("header").to_string(), c["text"].clone())).collect();
                    Value::Object(map).to_string()
                }
                _ => String::new(),
            };
            let pages: Vec<String> = m["pages"].as_array().expect("pages").iter().map(|p| p.to_string()).collect();
            rows.push(vec![
                doc["source"]["sha256"].as_str().expect("sha256").to_string(),
                m["id"].as_str().expect("id").to_string(),
                doc["source"]["file"].as_str().expect("file").to_string(),
                doc["kind"].as_str().expect("kind").to_string(),
                doc["title"].as_str().unwrap_or_default().to_string(),
                doc["organization"].as_str().unwrap_or_default().to_string(),
                period("from"),
                period("to"),
                m["section"].as_str().expect("section").to_string(),
                section.and_then(|s| s["number"].as_str()).unwrap_or_default().to_string(),
                section.and_then(|s| s["title"].as_str()).unwrap_or_default().to_string(),
                m["label"].as_str().unwrap_or_default().to_string(),
                if own.trim().is_empty() { actions.join("\n") } else { own.clone() },
                actions.join("\n"),
                strings(&m["indicators"]).join("\n"),
                strings(&m["responsible"]).join("\n"),
                m["deadline"].as_str().unwrap_or_default().to_string(),
                m["status"].as_str().unwrap_or_default().to_string(),
                refs.join("\n"),
                extra,
                pages.join(", "),
                own,
            ]);
        }
    }
    rows
}

/// The row each agenda item should become, from the JSON alone.
fn expected_item_rows(docs: &[Value]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for doc in docs {
        let period = |end: &str| doc["period"][end].as_i64().map(|y| y.to_string()).unwrap_or_default();
        for item in doc["meeting"]["items"].as_array().into_iter().flatten() {
            let pages: Vec<String> = item["pages"].as_array().expect("pages").iter().map(|p| p.to_string()).collect();
            let number = item["number"].as_str().expect("number").to_string();
            rows.push(vec![
                doc["source"]["sha256"].as_str().expect("sha256").to_string(),
                number.clone(),
                doc["source"]["file"].as_str().expect("file").to_string(),
                doc["title"].as_str().unwrap_or_default().to_string(),
                doc["organization"].as_str().unwrap_or_default().to_string(),
                doc["meeting"]["body"].as_str().unwrap_or_default().to_string(),
                doc["meeting"]["date"].as_str().unwrap_or_default().to_string(),
                number,
                item["title"].as_str().unwrap_or_default().to_string(),
                item["kind"].as_str().unwrap_or_default().to_string(),
                item["text"].as_str().unwrap_or_default().to_string(),
                item["decision"].as_str().unwrap_or_default().to_string(),
                period("from"),
                period("to"),
                pages.join(", "),
            ]);
        }
    }
    rows
}

/// Cells of a calamine sheet as strings.
fn sheet_cells(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<String>> {
    let range = book.worksheet_range(name).expect("sheet");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("cells are text, found {other:?}"),
                })
                .collect()
        })
        .collect()
}

/// Reads a CSV file written by `export` (after its BOM).
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().expect("header").iter().map(str::to_string).collect();
    let rows = reader.records().map(|r| r.expect("record").iter().map(str::to_string).collect()).collect();
    (header, rows)
}

/// The keys of every row are unique: (document id, unit id) never repeats,
/// and no key cell is empty.
fn assert_unique_keys(rows: &[Vec<String>], what: &str) {
    let mut seen = std::collections::HashSet::new();
    for r in rows {
        assert!(r[0].len() == 64 && r[0].bytes().all(|b| b.is_ascii_hexdigit()), "{what}: document_id is a sha256: {:?}", r[0]);
        assert!(!r[1].is_empty(), "{what}: an empty unit id in {r:?}");
        assert!(seen.insert((r[0].clone(), r[1].clone())), "{what}: key ({}, {}) repeats", r[0], r[1]);
    }
}

#[test]
fn csv_has_a_bom_a_header_and_one_row_per_measure_as_in_the_json() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (out_dir, docs) = converted(tmp.path());
    let csv_path = tmp.path().join("tiltak.csv");
    let out = run(&[Path::new("export"), &out_dir, Path::new("-o"), &csv_path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let bytes = std::fs::read(&csv_path).expect("read");
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "RFC 4180 line ends");
    let (header, rows) = read_csv(&csv_path);
    assert_eq!(header, COLUMNS);
    let expected = expected_rows(&docs);
    assert_eq!(rows.len(), docs.iter().map(|d| d["measures"].as_array().map_or(0, Vec::len)).sum::<usize>());
    assert_eq!(rows, expected);
    assert!(rows.iter().any(|r| r[12].contains('ø') && r[12].contains('å')), "æøå intact");
    assert!(rows.iter().any(|r| r[13].contains('\n') && r[13].starts_with("i. ")), "actions one per line");
    assert!(rows.iter().any(|r| r[15].contains('\n')), "several responsible, one per line");
    assert_unique_keys(&rows, "measures CSV");
    assert!(rows.iter().all(|r| !r[12].trim().is_empty()), "every measure has its text, also one that is only actions");
    assert!(rows.iter().any(|r| r[21].is_empty() && r[12] == r[13]), "an actions-only measure: text from its actions, own_text empty");

    // The agenda items of the minutes, in the file beside it.
    let (header, items) = read_csv(&tmp.path().join("tiltak.agenda_items.csv"));
    assert_eq!(header, ITEM_COLUMNS);
    assert_eq!(items, expected_item_rows(&docs));
    assert!(!items.is_empty() && items.iter().any(|r| !r[11].is_empty()), "decisions exported");
    assert_unique_keys(&items, "agenda items CSV");
}

#[test]
fn xlsx_from_documents_reads_back_like_the_json_with_a_frozen_bold_filtered_header() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (_, docs) = converted(tmp.path());
    let xlsx_path = tmp.path().join("tiltak.xlsx");
    // Documents are converted on the fly: the same rows as from their JSON.
    let out = run(&[Path::new("export"), &tmp.path().join("in"), Path::new("--format"), Path::new("xlsx"), Path::new("-o"), &xlsx_path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx_path).expect("an XLSX file");
    assert_eq!(book.sheet_names(), ["Measures", "Agenda items"]);
    let cells = sheet_cells(&mut book, "Measures");
    assert_eq!(cells[0], COLUMNS);
    assert_eq!(cells[1..], expected_rows(&docs)[..]);
    assert_unique_keys(&cells[1..], "Measures sheet");
    let items = sheet_cells(&mut book, "Agenda items");
    assert_eq!(items[0], ITEM_COLUMNS);
    assert_eq!(items[1..], expected_item_rows(&docs)[..]);
    assert_unique_keys(&items[1..], "Agenda items sheet");

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx_path).expect("open")).expect("zip");
    let mut part = |name: &str| {
        let mut text = String::new();
        zip.by_name(name).expect("part").read_to_string(&mut text).expect("read");
        text
    };
    let sheet = part("xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#), "frozen header row");
    assert!(sheet.contains("<autoFilter ref=\"A1:V"), "autofilter over the header");
    assert!(sheet.contains("<col ") && sheet.contains("customWidth=\"1\""), "column widths");
    let styles = part("xl/styles.xml");
    assert!(styles.contains("<b/>") && styles.contains(r#"wrapText="1""#), "bold header, wrapped text");
}

#[test]
fn convert_xlsx_and_export_xlsx_give_the_same_bytes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (out_dir, _) = converted(tmp.path());
    let (from_batch, from_export) = (tmp.path().join("batch.xlsx"), tmp.path().join("export.xlsx"));
    let out = run(&[Path::new("convert"), &tmp.path().join("in"), Path::new("-o"), &out_dir, Path::new("--xlsx"), &from_batch, Path::new("-q")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(&[Path::new("export"), &out_dir, Path::new("-o"), &from_export]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read(&from_batch).expect("read") == std::fs::read(&from_export).expect("read"));
}

#[test]
fn opensearch_bulk_pairs_actions_with_jsonl_records_and_uses_only_mapped_fields() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (out_dir, docs) = converted(tmp.path());
    let jsonl = tmp.path().join("all.jsonl");
    let out = run(&[Path::new("convert"), &tmp.path().join("in"), Path::new("-o"), &out_dir, Path::new("--jsonl"), &jsonl, Path::new("-q")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(&[Path::new("export"), &out_dir, Path::new("--format"), Path::new("opensearch-bulk"), Path::new("--index"), Path::new("tiltak")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len() % 2, 0);
    let records = docs.iter().map(|d| d["measures"].as_array().map_or(0, Vec::len) + d["meeting"]["items"].as_array().map_or(0, Vec::len)).sum::<usize>();
    assert_eq!(lines.len(), 2 * records);
    let mut ids = std::collections::HashSet::new();
    for pair in lines.chunks(2) {
        let action: Value = serde_json::from_str(pair[0]).expect("action line");
        assert_eq!(action["index"]["_index"], "tiltak");
        assert!(ids.insert(action["index"]["_id"].as_str().expect("_id").to_string()), "unique _id");
    }
    let record_lines: Vec<&str> = lines.iter().skip(1).step_by(2).copied().collect();
    assert_eq!(record_lines, std::fs::read_to_string(&jsonl).expect("read").lines().collect::<Vec<_>>(), "bulk records are the JSONL lines");

    let mapping: Value =
        serde_json::from_slice(&std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/opensearch-mapping.json")).expect("mapping file"))
            .expect("mapping is JSON");
    let properties = &mapping["mappings"]["properties"];
    for line in &record_lines {
        let record: Value = serde_json::from_str(line).expect("record");
        assert_mapped(&record, properties, "");
    }
}

/// Every field of `value` (objects and arrays of objects, recursively) has a mapping.
fn assert_mapped(value: &Value, properties: &Value, path: &str) {
    match value {
        Value::Object(fields) => {
            for (key, v) in fields {
                let mapped = &properties[key];
                assert!(mapped.is_object(), "{path}{key} is not in schemas/opensearch-mapping.json");
                if v.is_object() || v.as_array().is_some_and(|a| a.iter().any(Value::is_object)) {
                    assert_mapped(v, &mapped["properties"], &format!("{path}{key}."));
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| assert_mapped(item, properties, path)),
        _ => {}
    }
}

#[test]
fn a_bad_input_fails_with_its_name_and_the_rest_is_still_exported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (out_dir, docs) = converted(tmp.path());
    std::fs::write(out_dir.join("stray.json"), r#"{"not": "a document"}"#).expect("write");
    let csv_path = tmp.path().join("tiltak.csv");
    let out = run(&[Path::new("export"), &out_dir, Path::new("-o"), &csv_path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("stray.json: not a planparse JSON document"), "{}", stderr(&out));
    let rows = csv::Reader::from_path(&csv_path).expect("written").records().count();
    assert_eq!(rows, expected_rows(&docs).len());
}

#[test]
fn the_format_comes_from_the_extension_or_is_a_usage_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let krn = common::corpus().join("krn-2020-2022.txt");
    let out = run(&[Path::new("export"), &krn, Path::new("-o"), &tmp.path().join("x.unknown")]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&[Path::new("export"), &krn, Path::new("--format"), Path::new("xlsx")]);
    assert_eq!(out.status.code(), Some(2), "XLSX is not written to a terminal or pipe");
    let out = run(&[Path::new("export"), &krn, Path::new("--format"), Path::new("csv")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with("\u{feff}document_id,measure_id,".as_bytes()), "CSV to stdout without -o");
    let minutes = common::corpus().join("nsg-referat-2025-11-27.txt");
    let out = run(&[Path::new("export"), &minutes, Path::new("--format"), Path::new("csv"), Path::new("--table"), Path::new("agenda-items")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with("\u{feff}document_id,item_id,".as_bytes()), "agenda items to stdout with --table");
}

/// Zoo plans with deadlines, statuses and extra columns: the new columns are
/// filled from the JSON, in CSV and XLSX alike, and keys stay unique.
#[test]
fn deadlines_statuses_and_extra_columns_are_exported_with_unique_keys() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let names = ["hmr-forsking-innovasjon-2025-2027.pdf", "ous-klinisk-forskning-2024-2027.docx", "stolav-forskning-innovasjon-2024-2026.pdf"];
    for name in names {
        std::fs::copy(common::corpus().join("zoo").join(name), input.join(name)).expect("copy");
    }
    let out_dir = tmp.path().join("out");
    let out = run(&[Path::new("convert"), &input, Path::new("-o"), &out_dir, Path::new("-q")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut sorted = names.to_vec();
    sorted.sort();
    let docs: Vec<Value> =
        sorted.iter().map(|n| serde_json::from_slice(&std::fs::read(out_dir.join(format!("{n}.json"))).expect("read")).expect("JSON")).collect();

    let csv_path = tmp.path().join("zoo.csv");
    let out = run(&[Path::new("export"), &input, Path::new("-o"), &csv_path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (_, rows) = read_csv(&csv_path);
    assert_eq!(rows, expected_rows(&docs));
    assert_unique_keys(&rows, "zoo CSV");
    let deadlines = rows.iter().filter(|r| !r[16].is_empty()).count();
    let statuses = rows.iter().filter(|r| !r[17].is_empty()).count();
    assert!(deadlines * 2 > rows.len(), "most zoo measures have a deadline: {deadlines} of {}", rows.len());
    assert!(statuses >= 10, "statuses exported: {statuses}");
    let extra: Vec<&String> = rows.iter().map(|r| &r[19]).filter(|e| !e.is_empty()).collect();
    assert!(!extra.is_empty(), "extra columns exported");
    for e in extra {
        assert!(serde_json::from_str::<Value>(e).expect("extra is JSON").is_object());
    }
    assert!(!tmp.path().join("zoo.agenda_items.csv").exists(), "no agenda items file without minutes");

    let xlsx_path = tmp.path().join("zoo.xlsx");
    let out = run(&[Path::new("export"), &out_dir, Path::new("-o"), &xlsx_path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx_path).expect("an XLSX file");
    assert_eq!(book.sheet_names(), ["Measures"]);
    assert_eq!(sheet_cells(&mut book, "Measures")[1..], rows[..]);

    // The document id is the one the dataset and the JSONL use.
    let jsonl = tmp.path().join("zoo.jsonl");
    let out = run(&[Path::new("convert"), &input, Path::new("-o"), &out_dir, Path::new("--jsonl"), &jsonl, Path::new("-q")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let records: Vec<Value> = std::fs::read_to_string(&jsonl).expect("read").lines().map(|l| serde_json::from_str(l).expect("record")).collect();
    let keys: Vec<(String, String)> =
        records.iter().map(|r| (r["doc_id"].as_str().expect("doc_id").to_string(), r["id"].as_str().expect("id").to_string())).collect();
    let row_keys: Vec<(String, String)> = rows.iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    assert_eq!(keys, row_keys);
    assert!(records.iter().any(|r| r["deadline"].is_string()) && records.iter().any(|r| r["status"].is_string()));
}
