//! `planparse explain FILE [--json] [--id ID] [--rules]`: for each section,
//! measure, agenda item and metadata field, the rule that produced it and the
//! evidence the rule saw. What a user reads when a new plan comes out wrong,
//! and what a developer reads before adding a rule.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use planparse::pipeline;
use planparse::segment::explain::{self, Explained, Explanation};

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  planparse explain corpus/hlk-2021-2025.pdf\n  planparse explain corpus/zoo/kva-kven-naar.docx --id 2/3\n  planparse explain plan.pdf --json | jq '.measures[] | select(.rule == \"text.row\")'\n  planparse explain --rules"
)]
pub struct Args {
    /// The document to explain (.pdf, .docx, .html, .txt, .md)
    #[arg(required_unless_present = "rules")]
    file: Option<PathBuf>,
    /// Print the explanation as JSON (`metadata`, `sections`, `measures`, `items`, `warnings`;
    /// each entry has `id`, `value`, `rule`, `evidence`, `page`, `line`)
    #[arg(long)]
    json: bool,
    /// Only the parts whose id (section id, measure id, item number or metadata field) starts with ID
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// List every rule name with what it means, and exit
    #[arg(long)]
    rules: bool,
    /// Time limit in seconds; over it the file fails with "time limit exceeded"
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = super::convert::parse_seconds)]
    timeout: Duration,
    #[command(flatten)]
    limits: super::convert::LimitArgs,
    #[command(flatten)]
    ocr: super::convert::OcrArgs,
}

pub fn run(args: Args) -> i32 {
    let out = if args.rules {
        explain::RULES.iter().map(|(name, what)| format!("{name:<36} {what}\n")).collect()
    } else {
        let Some(path) = args.file.as_ref() else { return super::EXIT_USAGE };
        match explain_file(path, &args) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("planparse: {e}");
                return super::EXIT_FAILED;
            }
        }
    };
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    match lock.write_all(out.as_bytes()).and_then(|_| lock.flush()) {
        Ok(()) => super::EXIT_OK,
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => super::EXIT_OK,
        Err(e) => {
            eprintln!("planparse: cannot write output: {e}");
            super::EXIT_FAILED
        }
    }
}

/// The explanation of one file, rendered as the flags ask.
fn explain_file(path: &std::path::Path, args: &Args) -> Result<String, String> {
    let bytes = super::read_input(path)?;
    let name = path.display().to_string();
    let opts = args.limits.options(&args.ocr);
    let work_name = name.clone();
    let done = super::convert::isolated(&name, args.timeout, move || pipeline::explain_bytes(&work_name, &bytes, &opts).map_err(|e| e.to_string()))
        .map_err(|e| format!("{name}: {e}"))?;
    let (doc, mut explanation) = done.map_err(|e| format!("{name}: {e}"))?;
    if let Some(id) = &args.id {
        let keep = |list: &mut Vec<Explained>| list.retain(|e| e.id.starts_with(id.as_str()));
        keep(&mut explanation.metadata);
        keep(&mut explanation.sections);
        keep(&mut explanation.measures);
        keep(&mut explanation.items);
    }
    if args.json {
        let mut s = serde_json::to_string_pretty(&explanation).map_err(|e| format!("{name}: cannot serialize: {e}"))?;
        s.push('\n');
        return Ok(s);
    }
    let pages = doc.source.pages.map_or(String::new(), |n| format!(", {n} pages"));
    Ok(render(&explanation, &format!("{} — {}{pages}", explanation.file, doc.kind.as_str())))
}

/// The terminal view: one block per part, rule and page on the first line,
/// evidence below, then what each rule used means.
fn render(e: &Explanation, heading: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "{heading}");
    let mut used: Vec<&str> = Vec::new();
    let groups: [(&str, &[Explained]); 4] = [("Metadata", &e.metadata), ("Sections", &e.sections), ("Measures", &e.measures), ("Agenda items", &e.items)];
    for (title, list) in groups {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title} ({})", list.len());
        for part in list {
            let _ = writeln!(out, "  {:<14} {}", part.id, part.value);
            let page = part.reason.page.map_or(String::new(), |p| format!("  p. {p}"));
            let line = part.reason.line.as_deref().map_or(String::new(), |l| format!("  {:?}", cut(l, 70)));
            let _ = writeln!(out, "  {:<14} [{}]{page}{line}", "", part.reason.rule);
            for fact in &part.reason.evidence {
                let _ = writeln!(out, "  {:<14}   · {fact}", "");
            }
            if !used.contains(&part.reason.rule) {
                used.push(part.reason.rule);
            }
        }
    }
    if !e.warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings ({})", e.warnings.len());
        for w in &e.warnings {
            let page = w.page.map_or(String::new(), |p| format!(" p. {p}"));
            let _ = writeln!(out, "  {}{page}: {}", w.code, w.message);
        }
    }
    let _ = writeln!(out, "\nRules used");
    for rule in used {
        let _ = writeln!(out, "  {rule:<36} {}", explain::describe(rule).unwrap_or("(no description)"));
    }
    out
}

/// At most `n` characters of `s`.
fn cut(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}
