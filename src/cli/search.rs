//! `planparse search DB "query" [--responsible X] [--org Y] [--period 2021..2025]
//! [--kind action_plan] [--limit N] [--json] [--fts] [--words]`: ranked hits.
//!
//! The query is literal text matched as a substring (`støtte` finds
//! `forskningsstøtte`), case-insensitive, æ/ø/å kept apart from a/o. `--fts`
//! passes FTS5 syntax through (`"kliniske studier" AND biobank*`); `--words`
//! matches whole words instead of substrings. Matches are marked «…», or bold
//! on a terminal.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use planparse::dataset::sqlite::{parse_kind, parse_period, Dataset, DatasetError, Hit, Index, Query, Results, UnitKind, MARK_CLOSE, MARK_OPEN, RANK_WINDOW};
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
    /// Print the hits as JSON
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
    let (open, close) = if bold { ("\x1b[1m", "\x1b[0m") } else { ("«", "»") };
    let mut out = stdout.lock();
    let written = if args.json { print_json(&mut out, &args.query, &results, open, close) } else { print_text(&mut out, &results.hits, open, close) };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("planparse: cannot write: {e}");
            return super::EXIT_FAILED;
        }
    }
    if !args.json {
        if results.hits.is_empty() {
            eprintln!("planparse: no hits for {:?}", args.query);
        }
        if let Some(n) = results.ranked_within {
            eprintln!("planparse: more than {n} matches; these are the best of the {n} most recently indexed (add words or filters to narrow)");
        }
    }
    super::EXIT_OK
}

fn marked(snippet: &str, open: &str, close: &str) -> String {
    snippet.replace(MARK_OPEN, open).replace(MARK_CLOSE, close)
}

fn print_json(out: &mut impl Write, query: &str, results: &Results, open: &str, close: &str) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct Output<'a> {
        query: &'a str,
        index: &'a str,
        ranked_within: Option<usize>,
        hits: Vec<Hit>,
    }
    let hits: Vec<Hit> = results
        .hits
        .iter()
        .cloned()
        .map(|mut h| {
            h.snippet = marked(&h.snippet, open, close);
            h
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &Output { query, index: results.index, ranked_within: results.ranked_within, hits })?;
    writeln!(out)
}

/// Three lines a hit: the document; where in it (section, label, pages, parties);
/// the snippet.
fn print_text(out: &mut impl Write, hits: &[Hit], open: &str, close: &str) -> std::io::Result<()> {
    for (n, hit) in hits.iter().enumerate() {
        let mut head = vec![hit.title.clone().unwrap_or_else(|| hit.file.clone())];
        head.extend(hit.organization.clone());
        head.extend(hit.period.map(|p| format!("{}–{}", p.from, p.to)));
        head.push(hit.file.clone());
        writeln!(out, "{}. {}", n + 1, head.join(" · "))?;
        let mut place = Vec::new();
        match hit.unit {
            UnitKind::Measure => {
                if let Some(title) = &hit.section_title {
                    place.push(format!("{} {title}", hit.section_id.as_deref().unwrap_or_default()));
                }
                place.push(format!("tiltak {}", hit.label.as_deref().unwrap_or(&hit.id)));
            }
            UnitKind::AgendaItem => place.push(format!("Sak {} {}", hit.id, hit.label.as_deref().unwrap_or_default())),
        }
        if !hit.pages.is_empty() {
            let pages: Vec<String> = hit.pages.iter().map(u32::to_string).collect();
            place.push(format!("s. {}", pages.join("–")));
        }
        if !hit.responsible.is_empty() {
            place.push(format!("ansvar: {}", hit.responsible.join(", ")));
        }
        writeln!(out, "   {}", place.join(" · "))?;
        writeln!(out, "   {}", marked(&hit.snippet, open, close))?;
    }
    Ok(())
}
