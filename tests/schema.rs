//! The checked-in JSON schema matches the Rust types, and every corpus
//! output validates against it.

mod common;

#[test]
fn checked_in_schema_is_current() {
    let generated = serde_json::to_value(schemars::schema_for!(planparse::model::Document)).expect("schema serializes");
    let path = common::corpus().join("../schemas/document.schema.json");
    let text = std::fs::read_to_string(&path).expect("schemas/document.schema.json exists");
    let on_disk: serde_json::Value = serde_json::from_str(&text).expect("schema file is JSON");
    assert_eq!(generated, on_disk, "schemas/document.schema.json is stale: run `planparse schema > schemas/document.schema.json`");
}

#[test]
fn every_corpus_output_validates_against_the_schema() {
    let schema = serde_json::to_value(schemars::schema_for!(planparse::model::Document)).expect("schema serializes");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for ext in [".pdf", ".txt", ".docx"] {
        for name in common::corpus_files(ext) {
            let out = serde_json::to_value(common::convert(&name)).expect("document serializes");
            let errors: Vec<String> = validator.iter_errors(&out).map(|e| format!("{} at {}", e, e.instance_path)).collect();
            assert!(errors.is_empty(), "{name}: {errors:?}");
        }
    }
}
