//! `planparse explain`: every section, measure, agenda item and metadata field
//! carries a rule from the catalogue and the evidence it saw.

mod common;

use std::process::Command;

use planparse::pipeline::{explain_bytes, Options};
use planparse::segment::explain::{describe, Explanation};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_planparse"))
}

fn explain(rel: &str) -> (planparse::model::Document, Explanation) {
    let path = common::corpus().join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    explain_bytes(rel, &bytes, &Options::default()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Measure id, rule and page, one per line: what the snapshot pins.
fn rule_table(e: &Explanation) -> String {
    let mut out = String::new();
    for (group, list) in [("metadata", &e.metadata), ("section", &e.sections), ("measure", &e.measures), ("item", &e.items)] {
        for part in list.iter() {
            let page = part.reason.page.map_or("-".to_string(), |p| p.to_string());
            out.push_str(&format!("{group} {} {} p.{page}\n", part.id, part.reason.rule));
        }
    }
    out
}

#[test]
fn every_part_of_every_sample_has_a_described_rule() {
    let mut files: Vec<String> = Vec::new();
    for dir in ["", "zoo/", "minutes/"] {
        let mut names: Vec<String> = std::fs::read_dir(common::corpus().join(dir))
            .expect("corpus folder")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| [".pdf", ".docx", ".txt", ".html"].iter().any(|x| n.ends_with(x)))
            .map(|n| format!("{dir}{n}"))
            .collect();
        names.sort();
        files.extend(names);
    }
    assert!(files.len() >= 60, "samples found: {}", files.len());
    for f in &files {
        let (doc, e) = explain(f);
        assert_eq!(e.measures.len(), doc.measures.len(), "{f}");
        assert_eq!(e.items.len(), doc.meeting.as_ref().map_or(0, |m| m.items.len()), "{f}");
        assert_eq!(e.metadata.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["kind", "title", "organization", "period"], "{f}");
        for part in e.metadata.iter().chain(&e.sections).chain(&e.measures).chain(&e.items) {
            assert!(describe(part.reason.rule).is_some(), "{f}: {} has rule {:?}, not in the catalogue", part.id, part.reason.rule);
        }
        for (m, x) in doc.measures.iter().zip(&e.measures) {
            assert_eq!(m.id, x.id, "{f}: explanation out of step with the measures");
            assert!(!x.reason.evidence.is_empty(), "{f}: {} has no evidence", m.id);
            assert!(x.reason.line.is_some(), "{f}: {} names no line", m.id);
            if f.ends_with(".pdf") {
                assert!(x.reason.page.is_some(), "{f}: {} names no page", m.id);
            }
        }
    }
}

#[test]
fn table_rows_name_their_header_cells_and_roles() {
    let (_, e) = explain("hlk-2021-2025.pdf");
    assert_eq!(e.measures.len(), 11);
    for m in &e.measures {
        assert_eq!(m.reason.rule, "table.columns", "{}", m.id);
        let columns = m.reason.evidence.iter().find(|f| f.starts_with("columns:")).expect("columns fact");
        assert!(columns.contains("\"Hovedansvar\" → responsible") && columns.contains("→ measure"), "{columns}");
    }
    assert_eq!(e.metadata[1].reason.rule, "title.document_word");
    assert_eq!(e.metadata[2].reason.rule, "organization.title_acronym");
    insta::assert_snapshot!("explain_hlk_pdf", rule_table(&e));
}

#[test]
fn list_forms_name_their_fields() {
    let (_, e) = explain("zoo/stolav-forskning-innovasjon-2024-2026.docx");
    assert!(!e.measures.is_empty());
    for m in &e.measures {
        assert_eq!(m.reason.rule, "list.labelled_item", "{}", m.id);
        assert!(m.reason.evidence.iter().any(|f| f.starts_with("field line") && f.contains("→ responsible")), "{}: {:?}", m.id, m.reason.evidence);
    }
    let (_, e) = explain("zoo/vestreviken-forskning-2025-2028.pdf");
    for m in &e.measures {
        assert_eq!(m.reason.rule, "list.responsibility_parenthesis", "{}", m.id);
        assert!(m.reason.evidence[0].contains("(Ansvar"), "{:?}", m.reason.evidence);
    }
    insta::assert_snapshot!("explain_vestreviken_pdf", rule_table(&e));
}

#[test]
fn timeline_marks_are_named_as_the_deadline_source() {
    let mut found = 0;
    for name in ["siv-kliniske-studier-2025-2027.pdf", "siv-kliniske-studier-2025-2027.docx", "siv-kliniske-studier-2025-2027.txt"] {
        let (doc, e) = explain(&format!("zoo/{name}"));
        for (m, x) in doc.measures.iter().zip(&e.measures) {
            if x.reason.evidence.iter().any(|f| f.starts_with("timeline marks under")) {
                found += 1;
                assert!(m.deadline.is_some(), "{name} {}", m.id);
            }
        }
    }
    assert!(found > 0, "no measure explained its deadline by timeline marks");
}

#[test]
fn minutes_items_name_their_numbering_style() {
    let (_, e) = explain("nsg-referat-2025-11-27.pdf");
    assert!(!e.items.is_empty());
    assert!(e.items.iter().all(|i| i.reason.rule.starts_with("minutes.item")), "{}", rule_table(&e));
    assert_eq!(e.metadata[0].reason.rule, "kind.minutes_cues");
}

#[test]
fn terminal_view_shows_every_measure_with_its_rule() {
    let out = bin().args(["explain", "corpus/zoo/vestreviken-forskning-2025-2028.pdf"]).current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let (doc, _) = explain("zoo/vestreviken-forskning-2025-2028.pdf");
    for m in &doc.measures {
        assert!(text.lines().any(|l| l.trim_start().starts_with(&m.id)), "{} missing from:\n{text}", m.id);
    }
    assert_eq!(text.matches("[list.responsibility_parenthesis]").count(), doc.measures.len());
    assert!(text.contains("Rules used"));

    let out = bin()
        .args(["explain", "corpus/zoo/vestreviken-forskning-2025-2028.pdf", "--json", "--id", "1/"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let ids: Vec<&str> = v["measures"].as_array().expect("measures").iter().filter_map(|m| m["id"].as_str()).collect();
    assert!(!ids.is_empty() && ids.iter().all(|i| i.starts_with("1/")), "{ids:?}");
    assert!(v["metadata"].as_array().is_some_and(|m| m.is_empty()));
    assert!(v["measures"][0]["rule"].is_string() && v["measures"][0]["evidence"].is_array());
}

#[test]
fn rules_flag_lists_the_catalogue_and_a_missing_file_is_named() {
    let out = bin().args(["explain", "--rules"]).output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for (name, _) in planparse::segment::explain::RULES {
        assert!(text.contains(name), "{name}");
    }
    let out = bin().args(["explain", "no/such/plan.pdf"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/plan.pdf"));
}
