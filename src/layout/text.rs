//! Text input (`.txt`, `.md`) into the layout model: one column of lines
//! without coordinates. Runs of tab-separated lines become tables.

use super::text_columns::TextTableCues;
use super::{Block, Cell, LayoutDocument, Line, Row, Table, TableOrigin};
use crate::model::{SourceFormat, Warning};

/// Decodes text bytes: UTF-8 with or without BOM; anything that is not valid
/// UTF-8 is read as Windows-1252 (the usual legacy encoding of Norwegian
/// text) with a warning.
pub fn decode(bytes: &[u8]) -> (String, Option<Warning>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(_) => {
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (s.into_owned(), Some(Warning::new("not_utf8", "text is not valid UTF-8; read as Windows-1252", None)))
        }
    }
}

/// Builds the layout of a text document. Form feeds count as page breaks
/// only for blank-line accounting; bare page-number lines are dropped.
pub fn layout(text: &str, format: SourceFormat) -> LayoutDocument {
    layout_with(text, format, None)
}

/// [`layout`], with tables aligned by spaces found through `cues` (the
/// vocabulary's column headers, given by the caller).
pub fn layout_with(text: &str, format: SourceFormat, cues: Option<&TextTableCues>) -> LayoutDocument {
    // Copied only when there is something to replace: a large input is not
    // duplicated three times over.
    let mut text = std::borrow::Cow::Borrowed(text);
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n").into();
    }
    let page_edges = page_edge_lines(&text);
    if text.contains('\u{000C}') {
        text = text.replace('\u{000C}', "\n\n").into();
    }
    let mut blocks = Vec::new();
    let mut blank = 0.0f32;
    let mut pending_rows: Vec<(Vec<String>, f32)> = Vec::new();

    let flush_table = |rows: &mut Vec<(Vec<String>, f32)>, blocks: &mut Vec<Block>| {
        if rows.is_empty() {
            return;
        }
        let width = rows.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
        let table_rows = rows
            .drain(..)
            .map(|(cells, _)| Row {
                cells: (0..width)
                    .map(|i| Cell { lines: cells.get(i).filter(|c| !c.trim().is_empty()).map(|c| vec![Line::plain(c.trim())]).unwrap_or_default() })
                    .collect(),
                pages: vec![],
                header: false,
            })
            .collect();
        blocks.push(Block::Table(Table { rows: table_rows, pages: vec![], origin: TableOrigin::Tabs }));
    };

    let (mut running, first_line) = running_lines(&text);
    running.extend(page_edges);
    let mut seen_first = false;
    let raws: Vec<&str> = text.split('\n').collect();
    let furniture = |i: usize| {
        let raw = raws[i].trim_end_matches([' ', '\u{00A0}']);
        is_page_number(&raws, i)
            || super::is_page_label(raw)
            || running.contains(&fold(raw))
            || first_line.as_ref() == Some(&fold(raw)) && i > 0 && raws[..i].iter().any(|r| !r.trim().is_empty())
    };
    let mut aligned = match cues {
        Some(c) => super::text_columns::find(&raws, c, &furniture),
        None => Vec::new(),
    }
    .into_iter()
    .peekable();
    let mut skip_to = 0usize;
    let mut kept_opening: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (i, raw) in raws.iter().enumerate() {
        if i < skip_to {
            continue;
        }
        if let Some(t) = aligned.next_if(|t| t.start == i) {
            flush_table(&mut pending_rows, &mut blocks);
            skip_to = t.end;
            blocks.push(Block::Table(t.table));
            blank = 0.0;
            continue;
        }
        let raw = raw.trim_end_matches([' ', '\u{00A0}']);
        if is_page_number(&raws, i) || super::is_page_label(raw) {
            // A page number printed as its own paragraph: not body text.
            continue;
        }
        let key = fold(raw);
        // A running line printed first at the left margin opens the document
        // (its title or owner on the cover): kept once.
        let opening = blocks.len() < 5 && !raw.starts_with("          ") && !kept_opening.contains(&key);
        if running.contains(&key) && !opening {
            // A running header or footer: not body text.
            continue;
        }
        if running.contains(&key) {
            kept_opening.insert(key.clone());
        }
        if first_line.as_ref() == Some(&key) {
            if seen_first {
                // The first line printed again further on is a running header.
                continue;
            }
            seen_first = true;
        }
        if raw.trim().is_empty() {
            // A blank line ends a tab-separated table.
            flush_table(&mut pending_rows, &mut blocks);
            blank += 1.0;
            continue;
        }
        if is_table_line(raw) {
            let cells: Vec<String> = raw.trim_start().split('\t').map(str::to_string).collect();
            pending_rows.push((cells, blank));
            blank = 0.0;
            continue;
        }
        flush_table(&mut pending_rows, &mut blocks);
        let indent = raw.chars().take_while(|c| *c == ' ' || *c == '\u{00A0}').count() as f32;
        let mut line = Line::plain(raw.trim().replace('\t', " "));
        line.space_before = blank;
        line.indent = indent;
        line.bullet = crate::text::strip_bullet(&line.text).is_some();
        blocks.push(Block::Line(line));
        blank = 0.0;
    }
    flush_table(&mut pending_rows, &mut blocks);
    LayoutDocument { format, pages: vec![], blocks, warnings: vec![], declared_title: None, table_source: "text", heading_source: "text" }
}

/// Lines that open or close two or more pages (pages split at form feeds):
/// running headers and footers of a text export.
fn page_edge_lines(text: &str) -> std::collections::HashSet<String> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let pages: Vec<&str> = text.split('\u{000C}').collect();
    if pages.len() < 3 {
        return Default::default();
    }
    for page in &pages {
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        // A table header printed again at a page top is no running header.
        let table_like = |l: &&&str| l.trim().contains("   ");
        let mut edges: Vec<String> = lines.iter().take(1).chain(lines.iter().rev().take(1)).filter(|l| !table_like(l)).map(|l| fold(l)).collect();
        edges.sort();
        edges.dedup();
        for e in edges {
            *counts.entry(e).or_default() += 1;
        }
    }
    // A running line is printed once a page: one that the body repeats more
    // often (a label of every table row) is content.
    let mut everywhere: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        let k = fold(l);
        if counts.contains_key(&k) {
            *everywhere.entry(k).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(k, n)| *n >= 2 && !k.is_empty() && k.split_whitespace().count() <= 14 && everywhere.get(k).copied().unwrap_or(0) <= pages.len() + 1)
        .map(|(k, _)| k)
        .collect()
}

/// Folds a line for comparison: digits to `#`, white space to one space.
fn fold(raw: &str) -> String {
    // Page numbers come and go beside a running header: drop number tokens.
    raw.split_whitespace().filter(|w| !w.chars().all(|c| c.is_ascii_digit())).collect::<Vec<_>>().join(" ")
}

/// Running headers and footers that the text extraction kept: short
/// all-capital lines repeated three times or more (with or without a page
/// number), and one of the document's first lines printed again later.
fn running_lines(text: &str) -> (std::collections::HashSet<String>, Option<String>) {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let lines: Vec<&str> = text.split('\n').filter(|l| !l.trim().is_empty()).collect();
    for l in &lines {
        *counts.entry(fold(l)).or_default() += 1;
    }
    let mut out = std::collections::HashSet::new();
    for (k, n) in &counts {
        let letters: Vec<char> = k.chars().filter(|c| c.is_alphabetic()).collect();
        let caps = letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase());
        if caps && *n >= 2 && k.split_whitespace().count() <= 8 && k.split_whitespace().count() >= 2 {
            out.insert(k.clone());
        }
    }
    // The first line (a running header in the source) seen again further on.
    let first = lines.first().map(|f| fold(f)).filter(|k| counts.get(k).is_some_and(|n| *n >= 2) && k.split_whitespace().count() >= 3);
    // A page number line folds to "": not a header text.
    out.retain(|k| !k.is_empty());
    (out, first)
}

/// A bare number of at most three digits standing between blank lines:
/// a page number the text export kept.
fn is_page_number(lines: &[&str], i: usize) -> bool {
    let t = lines[i].trim();
    let blank = |j: Option<usize>| j.and_then(|j| lines.get(j)).is_none_or(|l| l.trim().is_empty());
    !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit()) && blank(i.checked_sub(1)) && blank(Some(i + 1))
}

/// Most tab-separated cells a line may have and still be a table row; a
/// wider line is prose with tabs in it (rows are padded to the widest one,
/// so one very wide line would multiply every row).
const MAX_TAB_CELLS: usize = 64;

/// A line with at least one tab between two non-empty pieces of text.
fn is_table_line(raw: &str) -> bool {
    let t = raw.trim();
    t.contains('\t') && t.split('\t').filter(|c| !c.trim().is_empty()).count() >= 2 && t.split('\t').count() <= MAX_TAB_CELLS
}
