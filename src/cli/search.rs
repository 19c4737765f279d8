//! `planparse search DB "query" [--responsible X] [--org Y] [--period 2021..2025]
//! [--kind action_plan] [--limit N] [--json] [--fts] [--words]`: ranked hits.
//!
//! The query is literal text matched as a substring (`støtte` finds
//! `forskningsstøtte`), case-insensitive, æ/ø/å kept apart from a/o. `--fts`
//! passes FTS5 syntax through (`"kliniske studier" AND biobank*`); `--words`
//! matches whole words instead of substrings. The first line says how many
//! hits there are ("20 of 134 hits"); matches are bold when stdout is a
//! terminal and unmarked otherwise (`«…»` is ordinary Norwegian quotation, so
//! no quote-like marks are added). `--json` gives each hit's whole unit and
//! its matches as char offsets (`highlights`) into a plain snippet. The same
//! plan indexed in several forms (PDF, DOCX...) is one hit listing its files.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use planparse::dataset::sqlite::{parse_kind, parse_period, Dataset, DatasetError, Hit, Index, Query, Results, UnitKind, RANK_WINDOW};
use planparse::model::DocumentKind;

#[derive(clap::Args)]
pub struct Args {
    /// The dataset built by `planparse index`
    db: PathBuf,
    /// Text to find (literal; an empty string lists everything the filters pass)
    query: String,
    /// Only measures this party is responsible for (normalized: `avd. ledere` = `avdelingsledere`)
    #[arg(long, value_name = "PARTY")]
    responsible: Option<String>,
    /// Only documents whose organization contains this text
    #[arg(long, value_name = "ORG")]
    org: Option<String>,
    /// Only documents whose period overlaps these years: 2021..2025, 2023, 2021.., ..2025
    #[arg(long, value_name = "YEARS", value_parser = parse_period)]
    period: Option<(i32, i32)>,
    /// Only documents of this kind
    #[arg(long, value_parser = parse_kind)]
    kind: Option<DocumentKind>,
    /// Most hits to print
    #[arg(short = 'n', long, default_value_t = 20)]
    limit: usize,
    /// Print the hits as JSON (whole units, matches as char offsets into the snippet)
    #[arg(long)]
    json: bool,
    /// Read the query as FTS5 syntax (AND, OR, NOT, NEAR, "phrases", prefix*)
    #[arg(long)]
    fts: bool,
    /// Match whole words (the unicode61 index) instead of substrings
    #[arg(long)]
    words: bool,
    /// Rank at most this many matches, the most recently indexed (broader
    /// queries say so on stderr)
    #[arg(long, value_name = "N", default_value_t = RANK_WINDOW)]
    rank_window: usize,
}

pub fn run(args: Args) -> i32 {
    let dataset = match Dataset::open_read_only(&args.db) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("planparse: {e}");
            return super::EXIT_FAILED;
        }
    };
    let query = Query {
        text: args.query.clone(),
        raw_fts: args.fts,
        index: if args.words { Index::Words } else { Index::Trigram },
        responsible: args.responsible.clone(),
        organization: args.org.clone(),
        period: args.period,
        kind: args.kind,
        limit: args.limit,
        rank_window: args.rank_window,
    };
    let results = match dataset.search(&query) {
        Ok(h) => h,
        Err(e @ (DatasetError::Query { .. } | DatasetError::QueryLimit(_))) => {
            eprintln!("planparse: {e}");
            return super::EXIT_USAGE;
        }
        Err(e) => {
            eprintln!("planparse: {e}");
            return super::EXIT_FAILED;
        }
    };
    let stdout = std::io::stdout();
    let bold = !args.json && stdout.is_terminal();
    let mut out = stdout.lock();
    let written = if args.json { print_json(&mut out, &args.query, &results) } else { print_text(&mut out, &args.query, &results, bold) };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("planparse: cannot write: {e}");
            return super::EXIT_FAILED;
        }
    }
    if !args.json {
        if let Some(n) = results.ranked_within {
            eprintln!("planparse: more than {n} matches; these are the best of the {n} most recently indexed (add words or filters to narrow)");
        }
    }
    super::EXIT_OK
}

/// `text` with the `[start, end)` char ranges in bold (ANSI), or unchanged.
fn emphasized(text: &str, highlights: &[[usize; 2]], bold: bool) -> String {
    if !bold {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8 * highlights.len());
    let mut spans = highlights.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        if spans.peek().is_some_and(|[start, _]| *start == i) {
            out.push_str("\x1b[1m");
        }
        out.push(c);
        if spans.peek().is_some_and(|[_, end]| *end == i + 1) {
            out.push_str("\x1b[0m");
            spans.next();
        }
    }
    out
}

fn print_json(out: &mut impl Write, query: &str, results: &Results) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct Output<'a> {
        query: &'a str,
        mode: &'a str,
        index: &'a str,
        /// Hits in all; `hits` holds the first `--limit` of them.
        total: usize,
        more: bool,
        ranked_within: Option<usize>,
        hits: &'a [Hit],
    }
    let output = Output {
        query,
        mode: results.mode,
        index: results.index,
        total: results.total,
        more: results.more,
        ranked_within: results.ranked_within,
        hits: &results.hits,
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}

/// The count line, then three lines a hit: the plan (with its files); where
/// in it (section, label, pages, parties, deadline, status); the snippet.
fn print_text(out: &mut impl Write, query: &str, results: &Results, bold: bool) -> std::io::Result<()> {
    let shown = results.hits.len();
    let total = if results.more { format!("more than {}", results.total) } else { results.total.to_string() };
    let noun = if results.total == 1 && !results.more { "hit" } else { "hits" };
    let how = format!("{} search, {} index", results.mode, results.index);
    if shown == results.total && !results.more {
        writeln!(out, "{total} {noun} for {query:?} ({how})")?;
    } else {
        writeln!(out, "{shown} of {total} {noun} for {query:?} ({how}; --limit N for more)")?;
    }
    for (n, hit) in results.hits.iter().enumerate() {
        let mut head = vec![hit.title.clone().unwrap_or_else(|| hit.file.clone())];
        head.extend(hit.organization.clone());
        head.extend(hit.period.map(|p| format!("{}–{}", p.from, p.to)));
        let files: Vec<&str> = hit.files.iter().map(|f| f.file.as_str()).collect();
        head.push(if files.len() > 1 { format!("files: {}", files.join(", ")) } else { hit.file.clone() });
        writeln!(out, "{}. {}", n + 1, head.join(" · "))?;
        let mut place = Vec::new();
        match hit.unit {
            UnitKind::Measure => {
                if let Some(title) = &hit.section_title {
                    place.push(format!("{} {title}", hit.section_number.as_deref().or(hit.section_id.as_deref()).unwrap_or_default()).trim().to_string());
                }
                place.push(format!("measure {}", hit.label.as_deref().unwrap_or(&hit.id)));
            }
            UnitKind::AgendaItem => place.push(format!("item {} {}", hit.id, hit.label.as_deref().unwrap_or_default()).trim().to_string()),
        }
        if !hit.pages.is_empty() {
            let pages: Vec<String> = hit.pages.iter().map(u32::to_string).collect();
            place.push(format!("p. {}", pages.join("–")));
        }
        if !hit.responsible.is_empty() {
            place.push(format!("responsible: {}", hit.responsible.join(", ")));
        }
        if let Some(d) = &hit.deadline {
            place.push(format!("deadline: {d}"));
        }
        if let Some(s) = &hit.status {
            place.push(format!("status: {s}"));
        }
        writeln!(out, "   {}", place.join(" · "))?;
        writeln!(out, "   {}", emphasized(&hit.snippet, &hit.highlights, bold))?;
    }
    Ok(())
}
