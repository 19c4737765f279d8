//! Text plans saved as UTF-16 or UTF-32 (issue 18): with or without a
//! byte-order mark they convert to the same measures as the UTF-8 original,
//! with a warning that names the encoding read.

use planparse::pipeline::{convert_bytes, Options};

fn corpus_text(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `text` in UTF-16 or UTF-32 (`width` 2 or 4 bytes), little- or big-endian, with or without a mark.
fn encode(text: &str, width: usize, little: bool, bom: bool) -> Vec<u8> {
    let units: Vec<u32> = if width == 2 { text.encode_utf16().map(u32::from).collect() } else { text.chars().map(u32::from).collect() };
    let mut out = Vec::with_capacity(units.len() * width + width);
    for u in bom.then_some(0xFEFF).into_iter().chain(units) {
        let bytes = if little { u.to_le_bytes() } else { u.to_be_bytes() };
        match (width, little) {
            (2, true) => out.extend(&bytes[..2]),
            (2, false) => out.extend(&bytes[2..]),
            _ => out.extend(bytes),
        }
    }
    out
}

#[test]
fn wide_copies_of_corpus_text_plans_give_the_same_measures() {
    for name in ["hlk-2021-2025.txt", "krn-2020-2022.txt"] {
        let text = corpus_text(name);
        let original = convert_bytes(name, text.as_bytes(), &Options::default()).expect("the UTF-8 plan converts");
        assert!(original.measures.len() > 5, "{name}: {} measures", original.measures.len());
        let measures = serde_json::to_value(&original.measures).expect("JSON");
        for (width, little, bom, label) in [
            (2, true, true, "UTF-16LE"),
            (2, true, false, "UTF-16LE"),
            (2, false, true, "UTF-16BE"),
            (2, false, false, "UTF-16BE"),
            (4, true, false, "UTF-32LE"),
            (4, false, true, "UTF-32BE"),
        ] {
            let bytes = encode(&text, width, little, bom);
            let doc = convert_bytes(name, &bytes, &Options::default()).unwrap_or_else(|e| panic!("{name} as {label}: {e}"));
            assert_eq!(serde_json::to_value(&doc.measures).expect("JSON"), measures, "{name} as {label} (bom: {bom})");
            let warning = doc.warnings.iter().find(|w| w.code == "not_utf8").unwrap_or_else(|| panic!("{name} as {label}: no encoding warning"));
            assert!(warning.message.contains(&format!("read as {label}")) && !warning.message.contains("1252"), "{}", warning.message);
        }
    }
}
