//! insta snapshots of every corpus document in every format: a compact,
//! line-per-unit summary (sections, measures with their parties and counts,
//! agenda items with decisions, table sizes) that a reviewer can read
//! against the source. Full JSON is covered by the gold-score tests.

mod common;

use planparse::model::{Document, Section};

fn summary(d: &Document) -> String {
    let mut out =
        format!("kind: {}\ntitle: {:?}\norganization: {:?}\nperiod: {:?}\n", d.kind.as_str(), d.title, d.organization, d.period.map(|p| (p.from, p.to)));
    fn sections(out: &mut String, ss: &[Section], depth: usize) {
        for s in ss {
            out.push_str(&format!("{}section {} | {} | objectives {}\n", "  ".repeat(depth), s.id, s.title, s.objectives.len()));
            sections(out, &s.sections, depth + 1);
        }
    }
    sections(&mut out, &d.sections, 0);
    for m in &d.measures {
        let actions: Vec<String> = m.actions.iter().map(|a| format!("{}:{}", a.label.clone().unwrap_or_else(|| "-".into()), a.items.len())).collect();
        out.push_str(&format!(
            "measure {} | refs {} | actions [{}] | indicators {} | responsible {:?}\n",
            m.id,
            m.strategy_refs.len(),
            actions.join(" "),
            m.indicators.len(),
            m.responsible
        ));
    }
    if let Some(mt) = &d.meeting {
        out.push_str(&format!("meeting {:?} {:?}-{:?} at {:?}; {} participants\n", mt.date, mt.start, mt.end, mt.place, mt.participants.len()));
        for i in &mt.items {
            out.push_str(&format!("item {} | {} | {:?} | decision {:?}\n", i.number, i.title, i.kind, i.decision));
        }
    }
    for t in &d.tables {
        out.push_str(&format!("table {:?} | header {:?} | {} rows\n", t.title, t.header, t.rows.len()));
    }
    out
}

#[test]
fn corpus_summaries() {
    for ext in [".pdf", ".txt", ".docx"] {
        for name in common::corpus_files(ext) {
            let doc = common::convert(&name);
            insta::assert_snapshot!(name.replace('.', "_"), summary(&doc));
        }
    }
}
