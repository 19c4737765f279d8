//! Text input (`.txt`, `.md`) into the layout model: one column of lines
//! without coordinates. Runs of tab-separated lines become tables.

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
            (
                s.into_owned(),
                Some(Warning::new("not_utf8", "text is not valid UTF-8; read as Windows-1252", None)),
            )
        }
    }
}

/// Builds the layout of a text document. Form feeds count as page breaks
/// only for blank-line accounting; bare page-number lines are dropped.
pub fn layout(text: &str, format: SourceFormat) -> LayoutDocument {
    // Copied only when there is something to replace: a large input is not
    // duplicated three times over.
    let mut text = std::borrow::Cow::Borrowed(text);
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n").into();
    }
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
                    .map(|i| Cell {
                        lines: cells
                            .get(i)
                            .filter(|c| !c.trim().is_empty())
                            .map(|c| vec![Line::plain(c.trim())])
                            .unwrap_or_default(),
                    })
                    .collect(),
                pages: vec![],
                header: false,
            })
            .collect();
        blocks.push(Block::Table(Table { rows: table_rows, pages: vec![], origin: TableOrigin::Tabs }));
    };

    let (running, first_line) = running_lines(&text);
    let mut seen_first = false;
    let raws: Vec<&str> = text.split('\n').collect();
    for (i, raw) in raws.iter().enumerate() {
        let raw = raw.trim_end_matches([' ', '\u{00A0}']);
        if is_page_number(&raws, i) {
            // A page number printed as its own paragraph: not body text.
            continue;
        }
        let key = fold(raw);
        if running.contains(&key) {
            // A running header or footer: not body text.
            continue;
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
    LayoutDocument {
        format,
        pages: vec![],
        blocks,
        warnings: vec![],
        declared_title: None,
        table_source: "text",
        heading_source: "text",
    }
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
