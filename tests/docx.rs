use planparse::layout::{Block, Line};

fn show(l: &Line) -> String {
    format!(
        "{}{}{}{}h{:?} ind{} sp{} sz{} | {}",
        if l.bold { "B" } else { "-" },
        if l.italic { "I" } else { "-" },
        if l.bullet { "•" } else { "-" },
        " ",
        l.heading,
        l.indent,
        l.space_before,
        l.font_size,
        l.text
    )
}

#[test]
#[ignore]
fn dump() {
    let name = std::env::var("DOCX").unwrap();
    let bytes = std::fs::read(&name).unwrap();
    let doc = planparse::docx::read(&bytes).unwrap();
    println!("title {:?} warnings {:?}", doc.declared_title, doc.warnings);
    for b in &doc.blocks {
        match b {
            Block::Line(l) => println!("{}", show(l)),
            Block::Table(t) => {
                println!("TABLE {} rows", t.rows.len());
                for r in &t.rows {
                    println!("  ROW header={} cells={}", r.header, r.cells.len());
                    for (i, c) in r.cells.iter().enumerate() {
                        for l in &c.lines {
                            println!("    [{i}] {}", show(l));
                        }
                    }
                }
            }
        }
    }
}
