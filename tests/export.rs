//! `planparse export`: CSV and XLSX read back with `csv` and `calamine` match
//! the JSON they came from; the OpenSearch bulk file pairs action and record
//! lines and uses only mapped fields.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx};
use serde_json::Value;

const COLUMNS: [&str; 12] =
    ["Document", "Organization", "Period", "Section", "Section title", "Measure", "Text", "Actions", "Indicators", "Responsible", "Pages", "Source file"];

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
        for m in doc["measures"].as_array().expect("measures") {
            let section = find_section(&doc["sections"], m["section"].as_str().expect("section"));
            let period = match (doc["period"]["from"].as_i64(), doc["period"]["to"].as_i64()) {
                (Some(a), Some(b)) if a == b => a.to_string(),
                (Some(a), Some(b)) => format!("{a}-{b}"),
                _ => String::new(),
            };
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
            let pages: Vec<String> = m["pages"].as_array().expect("pages").iter().map(|p| p.to_string()).collect();
            rows.push(vec![
                doc["title"].as_str().unwrap_or_else(|| doc["source"]["file"].as_str().expect("file")).to_string(),
                doc["organization"].as_str().unwrap_or_default().to_string(),
                period,
                section.and_then(|s| s["number"].as_str()).unwrap_or_default().to_string(),
                section.and_then(|s| s["title"].as_str()).unwrap_or_default().to_string(),
                m["label"].as_str().unwrap_or_default().to_string(),
                m["text"].as_str().unwrap_or_default().to_string(),
                actions.join("\n"),
                strings(&m["indicators"]).join("\n"),
                strings(&m["responsible"]).join("\n"),
                pages.join(", "),
                doc["source"]["file"].as_str().expect("file").to_string(),
            ]);
        }
    }
    rows
}

#[test]
fn csv_has_a_bom_a_header_and_one_row_per_measure_as_in_the_json() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (out_dir, docs) = converted(tmp.path());
    let csv_path = tmp.path().join("tiltak.csv");
    let out = run(&[Path::new("export"), &out_dir, Path::new("-o"), &csv_path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let bytes = std::fs::read(&csv_path).expect("read");
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM for Excel");
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "RFC 4180 line ends");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    assert_eq!(header, COLUMNS);
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.expect("record").iter().map(str::to_string).collect()).collect();
    let expected = expected_rows(&docs);
    assert_eq!(rows.len(), docs.iter().map(|d| d["measures"].as_array().map_or(0, Vec::len)).sum::<usize>());
    assert_eq!(rows, expected);
    assert!(rows.iter().any(|r| r[6].contains('ø') && r[6].contains('å')), "æøå intact");
    assert!(rows.iter().any(|r| r[7].contains('\n') && r[7].starts_with("i. ")), "actions one per line");
    assert!(rows.iter().any(|r| r[9].contains('\n')), "several responsible, one per line");
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
    assert_eq!(book.sheet_names(), ["Measures"]);
    let range = book.worksheet_range("Measures").expect("sheet");
    let cells: Vec<Vec<String>> = range
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
        .collect();
    assert_eq!(cells[0], COLUMNS);
    assert_eq!(cells[1..], expected_rows(&docs)[..]);

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx_path).expect("open")).expect("zip");
    let mut part = |name: &str| {
        let mut text = String::new();
        zip.by_name(name).expect("part").read_to_string(&mut text).expect("read");
        text
    };
    let sheet = part("xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#), "frozen header row");
    assert!(sheet.contains("<autoFilter ref=\"A1:L"), "autofilter over the header");
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
    assert!(out.stdout.starts_with("\u{feff}Document,".as_bytes()), "CSV to stdout without -o");
}
