//! Words split at line ends come out as printed: on corpus plans whose narrow
//! table cells break lines after whole words (KRN, Chromium and LibreOffice
//! PDFs and the `pdftotext -layout` text), every measure's label, text,
//! actions and items equal the gold exactly, and footnote marks do not fuse
//! with the number before them (HMN).

mod common;

use serde_json::Value;

fn folded(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Label, strategy points, text, actions and items of a measure, as the
/// scorer's `text_exact` reads them.
fn measure_text(m: &Value) -> String {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut parts = vec![s(&m["label"])];
    for r in m["strategy_refs"].as_array().into_iter().flatten() {
        parts.push(s(&r["text"]));
    }
    parts.push(s(&m["text"]));
    for a in m["actions"].as_array().into_iter().flatten() {
        parts.push(s(&a["text"]));
        parts.extend(a["items"].as_array().into_iter().flatten().map(s));
    }
    folded(&parts.join(" "))
}

#[test]
fn narrow_cells_give_every_word_as_printed() {
    for name in ["krn-2020-2022.pdf", "krn-2020-2022.chromium.pdf", "krn-2020-2022.txt"] {
        let out = serde_json::to_value(common::convert(name)).expect("document as JSON");
        let gold = common::gold(name);
        let outs = out["measures"].as_array().expect("measures");
        let mut wrong = Vec::new();
        for g in gold["measures"].as_array().expect("gold measures") {
            let Some(o) = outs.iter().find(|o| o["id"] == g["id"]) else {
                wrong.push(format!("{}: missing", g["id"]));
                continue;
            };
            let (want, got) = (measure_text(g), measure_text(o));
            if want != got {
                wrong.push(format!("{}:\n  gold {want}\n  out  {got}", g["id"]));
            }
        }
        assert!(wrong.is_empty(), "{name}: measures whose words differ from the gold:\n{}", wrong.join("\n"));
        // The line ends that used to be glued into non-words.
        let all = out.to_string();
        for glued in ["forskningsmiljøenegjennom", "legemiddelindustrienog", "universitetssykehuseller"] {
            assert!(!all.contains(glued), "{name}: {glued}");
        }
    }
}

#[test]
fn footnote_marks_stay_out_of_the_text() {
    for name in ["hmn-2023-2026.pdf", "hmn-2023-2026.chromium.pdf"] {
        let all = serde_json::to_value(common::convert(name)).expect("document as JSON").to_string();
        assert!(!all.contains("2023-20261"), "{name}: footnote mark fused with the year range");
        assert!(all.contains("Regional utviklingsplan 2023-2026 og Nasjonal handlingsplan"), "{name}: sentence with the footnote mark");
    }
}
