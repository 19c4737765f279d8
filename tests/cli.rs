//! The binary as a user meets it: exit codes, error messages that name the
//! file and the cause, good files converted even when others fail.

use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_planparse"))
}

fn corpus(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(name).display().to_string()
}

#[test]
fn convert_one_file_prints_json_to_stdout() {
    let out = bin().args(["convert", &corpus("krn-2020-2022.pdf")]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(doc["kind"], "action_plan");
    assert_eq!(doc["period"]["from"], 2020);
    assert_eq!(doc["measures"].as_array().map(Vec::len), Some(18));
}

#[test]
fn a_bad_file_fails_with_its_name_and_cause_while_good_files_convert() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("broken.pdf");
    std::fs::write(&bad, b"%PDF-1.4\nthis is not really a pdf").expect("write");
    let out_dir = dir.path().join("out");
    let out = bin()
        .args(["convert", &corpus("krn-2020-2022.pdf"), bad.to_str().unwrap_or_default(), "-o", out_dir.to_str().unwrap_or_default()])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.pdf"), "stderr names the file: {stderr}");
    assert!(out_dir.join("krn-2020-2022.pdf.json").exists(), "the good file was converted");
    assert!(!out_dir.join("broken.pdf.json").exists());
}

#[test]
fn a_missing_file_is_reported_not_panicked() {
    let out = bin().args(["convert", "/nonexistent/plan.pdf"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/plan.pdf: cannot read"));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let out = bin().args(["convert", "--no-such-flag", "x"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let help = bin().arg("--help").output().expect("runs");
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("Examples:"));
}

#[test]
fn extract_layout_prints_table_cells_with_separators() {
    let out = bin().args(["extract", "--layout", &corpus("nsg-referat-2025-11-27.pdf")]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Navn | Institusjon | Kategori"));
    assert!(text.contains("Gunbjørg Svineng | UiT Norges arktiske universitet | Leder 2025"));
    assert!(!text.contains("Side 1 av 5"), "page numbers are not body text");
}

#[test]
fn windows_1252_text_is_read_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("legacy.txt");
    std::fs::write(&f, b"Referat\r\nDato: 27.11.2025\r\nSak 1/25 Godkjenning av innkalling\r\nVedtak: Godkjent for m\xF8tet.\r\nSak 2/25 Eventuelt\r\n")
        .expect("write");
    let out = bin().args(["convert", f.to_str().unwrap_or_default()]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(doc["warnings"].as_array().is_some_and(|w| w.iter().any(|w| w["code"] == "not_utf8")));
    assert_eq!(doc["kind"], "meeting_minutes");
    assert_eq!(doc["meeting"]["items"][0]["decision"], "Godkjent for møtet.");
}

#[test]
fn extract_layout_json_dumps_tables_rows_cells_and_lines_with_boxes() {
    let out = bin().args(["extract", "--layout", "--json", &corpus("krn-2020-2022.pdf")]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["table_source"], "geometry");
    let tables: Vec<&serde_json::Value> = doc["blocks"].as_array().expect("blocks").iter().filter(|b| b["type"] == "table").collect();
    assert_eq!(tables.len(), 5, "one measure table per goal, continued across pages");
    let line = &tables[0]["rows"][1]["cells"][2]["lines"][0];
    assert_eq!(line["text"], "Klinikk/Avdeling");
    assert!(line["bbox"]["x0"].as_f64().is_some_and(|x| x > 300.0), "responsible column is on the right");
}
